#!/usr/bin/python3
"""Deterministic generator of disclosure documents with ground truth.

  generate.py --out DIR --count N --seed S [--kinds final,budget-hn,budget-std]
  generate.py --check DIR            re-verify every <id>.truth.json in DIR

Writes <id>.pdf (born-digital A4, pycairo) and <id>.truth.json (docs/truth-format.md).
Same seed -> byte-identical truth and PDF.
"""
import argparse
import json
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gen import render as RD                        # noqa: E402
from gen.table import Fmt                           # noqa: E402
from gen.inject import inject                       # noqa: E402
from gen import final as FN                         # noqa: E402

KINDS = ["final", "budget-hn", "budget-std"]


def choose_fonts(rng):
    song = rng.choice(RD.FONT_SONG)
    hei = rng.choice(RD.FONT_HEI)
    table = rng.choice([song, song, hei])
    return RD.Fonts(body=song, head=hei, table=table)


def choose_fmt(rng):
    return Fmt(trim=rng.random() < 0.25, thousands=rng.random() < 0.12,
               zero=rng.choice(["blank", "blank", "blank", "0.00"]))


def pick_split(rng, tables, prefer):
    cands = [t for t in tables if t.schema in prefer and len(t.body) >= 6]
    if not cands:
        cands = [t for t in tables if len(t.body) >= 6]
    if not cands:
        return None
    t = rng.choice(cands)
    n = len(t.body)
    t.split_after = rng.randint(max(2, int(n * 0.4)), max(3, int(n * 0.75)))
    t.repeat_header = rng.random() < 0.5
    t.cont_label = rng.choice([None, "续表", "（续表）"])
    return t


def render_blocks(r, blocks):
    for kind, text in blocks:
        if kind == "part":
            r.ensure(80)
            r.y += 8
            r.centered(text, 16, bold=True, gap_after=10)
        elif kind == "h":
            r.heading(text, size=12.5)
        elif kind == "p":
            r.paragraph(text, size=11)


def cover(r, year, org, what, rng):
    r.new_page()
    r.y = 240 + rng.randint(-30, 30)
    r.centered("%d年度" % year if "决算" in what else "%d年" % year, 22, gap_after=18)
    r.centered(org, 22, gap_after=18)
    r.centered(what, 26, gap_after=10)


def toc(r, lines):
    r.new_page()
    r.centered("目 录", 18, gap_after=16)
    for kind, s in lines:
        if kind == "h":
            r.heading(s, size=12.5)
        else:
            r.paragraph(s, size=11.5, indent_chars=2, spacing=1.5)


def strip_private(tables):
    for t in tables:
        for c in t["cells"]:
            c.pop("_role", None)
            c.pop("_src", None)


def build_final(rng, doc_id, outdir):
    year = rng.choice([2018, 2018, 2019, 2020, 2020, 2021, 2022, 2023, 2024])
    opts = dict(numbering2018=rng.random() < 0.7, notes=rng.random() < 0.9,
                p_partial=rng.choice([0.0, 0.15, 0.3]), table_fs=rng.choice([8.0, 8.5, 9.0]),
                class_lines=rng.choice(["all", "prefix", "valued"]), split_codes=rng.random() < 0.3,
                hier0203=rng.random() < 0.6, indent=rng.random() < 0.4, compact06=rng.random() < 0.3,
                landscape06=rng.random() < 0.35, zero07=rng.choice(["0.00", "0.00", "blank"]))
    d = FN.FinalDoc(rng, year, opts)
    fmt = choose_fmt(rng)
    tables = d.tables()
    for t in tables:
        t.check_header()
        t.finalize_text(fmt)
    pick_split(rng, tables, ("final.01", "final.05", "final.06", "final.03", "final.02"))
    incs = []
    if rng.random() < 0.6:
        incs = inject(rng, tables, fmt, rng.choice([1, 1, 2]))
    fonts = choose_fonts(rng)
    pdf = os.path.join(outdir, doc_id + ".pdf")
    r = RD.Renderer(pdf, fonts, date="%d-0%d-15T09:00:00" % (year + 1, rng.randint(1, 9)))
    txt = FN.FinalText(d)
    u = d.u
    cover(r, year, u.org, "部门决算", rng)
    if rng.random() < 0.7:
        tl = [("h", "第一部分 %s概况" % u.short), ("p", "一、部门职责"), ("p", "二、机构设置及决算单位构成"),
              ("h", "第二部分 %d年度部门决算表" % year)]
        tl += [("p", "%s、%s" % (FN.cn(k + 1), t.title)) for k, t in enumerate(tables)]
        tl += [("h", "第三部分 %d年度部门决算情况说明" % year), ("h", "第四部分 名词解释")]
        toc(r, tl)
    r.new_page()
    render_blocks(r, txt.part1(rng))
    number_above = rng.random() < 0.3
    bold_totals = rng.random() < 0.4
    pos = {}
    for k, t in enumerate(tables):
        first_idx = len(r.tables)
        r.table(t, number_above=number_above, number_align=rng.choice(["right", "left"]) if number_above else "right",
                org_line=not (t.schema == "final.09" and rng.random() < 0.3), bold_totals=bold_totals)
        pos[k] = list(range(first_idx, len(r.tables)))
    r.new_page()
    render_blocks(r, txt.part3(rng))
    if rng.random() < 0.6:
        r.new_page()
        render_blocks(r, txt.glossary())
    r.finish()
    truth_tables = r.tables
    inc_truth = []
    for ti, ri, col, kind, desc in incs:
        idx, row = locate(truth_tables, pos[ti], ri, col)
        inc_truth.append(dict(kind=kind, deliberate=True, table=idx, cells=[[row, col]], description=desc))
    strip_private(truth_tables)
    truth = dict(truth_version=1, id=doc_id, origin="generated", quality="born-digital",
                 pdf=doc_id + ".pdf", page_count=r.page, page_size_pt=list(RD.A4),
                 metadata=dict(organisation=u.org, year=year, kind="final", level=u.level,
                               template="2018" if d.v2018 else "2019",
                               fonts=dict(body=fonts.body, head=fonts.head, table=fonts.table)),
                 tables=truth_tables, narrative=r.narrative(), inconsistencies=inc_truth, obscured=[])
    land = {str(p): list(s) for p, s in sorted(r.page_sizes.items()) if s != RD.A4}
    if land:
        truth["metadata"]["landscape_pages"] = sorted(int(p) for p in land)
    return truth


def write_truth(path, truth):
    """JSON with one table cell / narrative page / inconsistency per line."""
    def one(x):
        return json.dumps(x, ensure_ascii=False)
    out = ["{"]
    keys = list(truth)
    for k, key in enumerate(keys):
        v = truth[key]
        sep = "," if k < len(keys) - 1 else ""
        if key == "tables":
            out.append(' "tables": [')
            for ti, t in enumerate(v):
                out.append("  {")
                tk = list(t)
                for j, kk in enumerate(tk):
                    s2 = "," if j < len(tk) - 1 else ""
                    if kk == "cells":
                        out.append('   "cells": [')
                        out.append(",\n".join("    " + one(c) for c in t["cells"]))
                        out.append("   ]" + s2)
                    else:
                        out.append("   %s: %s%s" % (one(kk), one(t[kk]), s2))
                out.append("  }" + ("," if ti < len(v) - 1 else ""))
            out.append(" ]" + sep)
        elif isinstance(v, list) and v and isinstance(v[0], dict):
            out.append(" %s: [" % one(key))
            out.append(",\n".join("  " + one(x) for x in v))
            out.append(" ]" + sep)
        else:
            out.append(" %s: %s%s" % (one(key), one(v), sep))
    out.append("}")
    text = "\n".join(out) + "\n"
    json.loads(text)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def locate(truth_tables, idxs, body_row, col):
    for i in idxs:
        for c in truth_tables[i]["cells"]:
            if c.get("_src") == (body_row, col):
                return i, c["row"]
    raise KeyError((idxs, body_row, col))


def build(kind, rng, doc_id, outdir):
    if kind == "final":
        return build_final(rng, doc_id, outdir)
    if kind == "budget-hn":
        from gen import budget
        return budget.build_hn(rng, doc_id, outdir, sys.modules[__name__])
    if kind == "budget-std":
        from gen import budget
        return budget.build_std(rng, doc_id, outdir, sys.modules[__name__])
    raise SystemExit("unknown kind " + kind)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out")
    ap.add_argument("--count", type=int, default=1)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--kinds", default=",".join(KINDS))
    ap.add_argument("--start", type=int, default=1, help="number of the first document")
    ap.add_argument("--check", metavar="DIR")
    ap.add_argument("--from-seed", metavar="FILE")
    a = ap.parse_args()
    if a.check:
        from gen import check
        sys.exit(check.main(a.check))
    if not a.out:
        ap.error("--out is required")
    os.makedirs(a.out, exist_ok=True)
    if a.from_seed:
        from gen import fromseed
        fromseed.main(a.from_seed, a.out, a.seed, sys.modules[__name__])
        return
    kinds = [k.strip() for k in a.kinds.split(",") if k.strip()]
    for k in kinds:
        if k not in KINDS:
            ap.error("unknown kind %r (known: %s)" % (k, ", ".join(KINDS)))
    for n in range(a.start, a.start + a.count):
        kind = kinds[(n - 1) % len(kinds)]
        rng = random.Random("fiscan-gen:%d:%d:%s" % (a.seed, n, kind))
        doc_id = "gen-%s-s%d-%04d" % (kind, a.seed, n)
        t0 = time.time()
        truth = build(kind, rng, doc_id, a.out)
        write_truth(os.path.join(a.out, doc_id + ".truth.json"), truth)
        print("%s: %d pages, %d tables, %d inconsistencies, %.2fs"
              % (doc_id, truth["page_count"], len(truth["tables"]), len(truth["inconsistencies"]), time.time() - t0))


if __name__ == "__main__":
    main()
