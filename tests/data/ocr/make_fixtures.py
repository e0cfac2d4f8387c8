#!/usr/bin/python3
"""Regenerates the OCR test fixtures in this folder (committed PNGs).

    /usr/bin/python3 tests/data/ocr/make_fixtures.py

Each fixture is a rendered cell crop with the artefact the test is about;
fixtures.tsv lists file, kind (numeric/text/empty/page), dpi and the
expected text. Deterministic (fixed seeds).
"""
import os
import random
import sys

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "..", "scripts", "ocr"))
import cellrender as cr  # noqa: E402

rows = []


def save(name, img, kind, dpi, text):
    cv2.imwrite(os.path.join(HERE, name), img)
    rows.append((name, kind, str(dpi), text))


def cell(img, rule=2, pad=0, value=25):
    """Frames a tight crop as the layout stage cuts it: box at the rule centres,
    so half a rule (or more) shows on every side."""
    a = cv2.copyMakeBorder(img, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255)
    for e in ("left", "right", "top", "bottom"):
        a = cr.add_edge_line(a, e, rule, 0, value)
    return a


r = random.Random(20261122)
# 0.55 with a left vertical rule remnant: PP-OCR reads it as 10.55 unless cleaned.
a = cr.render("0.55", "uming", 300, margin=0.3)
save("num_055_leftline.png", cr.add_edge_line(a, "left", 2, 0, 30), "numeric", 300, "0.55")
# The same with a broken fragment (40% of the height) one px in from the edge.
save("num_055_leftfrag.png", cr.add_edge_line(a, "left", 2, 1, 30, length=0.4, start=0.3),
     "numeric", 300, "0.55")
# A code in a complete cell frame (rules on all four sides plus cell padding).
save("num_30203_frame.png", cell(cr.render("30203", "noto-serif", 300, margin=0.3), 3, 10),
     "numeric", 300, "30203")
# Typical scan of an amount with thousands separators and a top rule.
a = cr.typical(cr.add_edge_line(cr.render("1,210,616.00", "noto-serif", 300, margin=0.3), "top", 2, 0, 30),
               r, edge=False)
save("num_1210616_typical.png", a, "numeric", 300, "1,210,616.00")
# 200-dpi amount with right and bottom rules.
a = cr.render("407.37", "uming", 200, margin=0.3)
a = cr.add_edge_line(cr.add_edge_line(a, "right", 2, 0, 40), "bottom", 1, 0, 40)
save("num_40737_200dpi.png", cr.typical(a, r, edge=False), "numeric", 200, "407.37")
# Dash (an empty amount printed as "-") must not count as empty.
save("num_dash.png", cell(cr.render("-", "uming", 300, margin=0.3), 2, 30), "numeric", 300, "-")
# Chinese subject names.
a = cr.render("一般公共服务支出", "uming", 300, margin=0.3)
a = cr.add_edge_line(cr.add_edge_line(a, "right", 2, 0, 30), "bottom", 2, 1, 30)
save("txt_yiban_rules.png", a, "text", 300, "一般公共服务支出")
save("txt_zhengfu_typical.png", cr.typical(cr.render("政府办公厅（室）及相关机构事务", "noto-serif", 300,
                                                     margin=0.3), r), "text", 300, "政府办公厅（室）及相关机构事务")
save("txt_multiline.png", cell(cr.render("", "uming", 300, margin=0.3, lines=["机关事业单位基本", "养老保险缴费"]),
                               2, 12), "text", 300, "机关事业单位基本养老保险缴费")
save("txt_poor150.png", cr.poor(cr.render("社会保障和就业支出", "noto-serif", 150, margin=0.3), r),
     "text", 150, "社会保障和就业支出")
# An enumeration comma, which PP-OCR emits as 丶 (U+4E36) unless mapped.
save("txt_enum_comma.png", cr.typical(cr.render("二、项目支出", "noto-serif", 300, margin=0.3), r, edge=False),
     "text", 300, "二、项目支出")
# Empty cells: a frame with scanner specks; a frame only.
h, w = 60, 260
e = np.full((h, w), 236, np.uint8)
nrng = np.random.default_rng(7)
e = np.clip(e + nrng.normal(0, 7, e.shape), 0, 255).astype(np.uint8)
for _ in range(6):
    x, y = nrng.integers(10, w - 10), nrng.integers(8, h - 8)
    e[y:y + 2, x:x + 2] = 60
save("empty_specks.png", cell(e, 2, 0, 40), "empty", 300, "")
save("empty_frame.png", cell(np.full((50, 200), 255, np.uint8), 3, 8, 20), "empty", 300, "")
# Obscured cells: an ink blot and a grey stain over an amount.
a = cr.typical(cr.render("12.01", "uming", 300, margin=0.4), r, edge=False)
save("obscured_blot.png", cr.blot(a, r, grey=False, frac=0.5), "obscured", 300, "12.01")
save("obscured_stain.png", cr.blot(a, r, grey=True, frac=0.6), "obscured", 300, "12.01")
# Page text: two printed lines with a framed table region blanked out below them.
l1 = cr.render("一、收入支出决算总体情况说明", "noto-serif", 300, margin=0.0)
l2 = cr.render("2020年度收、支总计810.16万元。", "noto-serif", 300, margin=0.0)
W = max(l1.shape[1], l2.shape[1]) + 120
page = np.full((l1.shape[0] + l2.shape[0] + 200, W), 255, np.uint8)
page[60:60 + l1.shape[0], 60:60 + l1.shape[1]] = l1
y2 = 60 + l1.shape[0] + 30
page[y2:y2 + l2.shape[0], 60:60 + l2.shape[1]] = l2
save("page_two_lines.png", page, "page", 300, "一、收入支出决算总体情况说明|2020年度收、支总计810.16万元。")

with open(os.path.join(HERE, "fixtures.tsv"), "w", encoding="utf-8") as f:
    f.write("file\tkind\tdpi\ttext\n")
    for row in rows:
        f.write("\t".join(row) + "\n")
print(f"wrote {len(rows)} fixtures to {HERE}")
