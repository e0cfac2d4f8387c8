"""Deterministic generator of disclosure documents (部门决算/部门预算) with ground truth.

Modules: refdata (subject-code lists), table (logical tables, money format),
final / budget (document content), inject (deliberate inconsistencies),
render (pycairo PDF layout + truth geometry), check (self-check).
"""
