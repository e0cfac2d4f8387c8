"""--from-seed: re-typeset a seed truth (corpus/truth/seeds/*.truth.json) as a
born-digital PDF with the same cell texts and values, including the seed's own
(real, non-deliberate) inconsistencies, and write a truth with pages/bboxes."""
import json
import os
import random
import re

from . import render as RD
from .table import LTable


def _dlen(s):
    return sum(1.0 if ord(ch) > 0x2000 else 0.55 for ch in s or "")


def logical(seed):
    tabs = seed["tables"]
    groups = []
    owner = {}
    for k, t in enumerate(tabs):
        if t.get("continues") is not None and t["continues"] in owner:
            g = owner[t["continues"]]
            groups[g].append(k)
            owner[k] = g
        else:
            owner[k] = len(groups)
            groups.append([k])
    return groups


def build_table(seed, parts, rng, kind):
    tabs = seed["tables"]
    t0 = tabs[parts[0]]
    ncols = t0["n_cols"]
    # natural widths
    nat = [2.0] * ncols
    for k in parts:
        for c in tabs[k]["cells"]:
            if c["col_span"] == 1:
                L = _dlen(c["text"])
                if c["row"] < tabs[k]["header_rows"]:
                    L = min(L, 6.0)
                elif not c["numeric"]:
                    L = min(L, 16.0)
                nat[c["col"]] = max(nat[c["col"]], L + 1.0)
    t = LTable(t0["schema"] or "unknown", t0["title"] or "", t0.get("numbering"), ncols, nat)
    t.unit = t0.get("unit") or ""
    t.org = t0.get("organisation") or ""
    t.org_label = "单位名称：" if (t0["schema"] or "").startswith("budget.hn") else "部门："
    t.ruling = t0.get("ruling") or "full"
    t.font_size = 8.0
    t.landscape = ncols >= 12 or sum(nat) > 75
    hr = t0["header_rows"]
    for c in t0["cells"]:
        if c["row"] < hr:
            t.h(c["row"], c["col"], c["text"], rs=c["row_span"], cs=c["col_span"])
    t.header_rows = hr
    srcmap = {}        # (seed table, row, col) -> ("h", row, col) | ("b", body_row, col)
    for c in t0["cells"]:
        if c["row"] < hr:
            srcmap[(parts[0], c["row"], c["col"])] = ("h", c["row"], c["col"])
    first_body = None
    for pi, k in enumerate(parts):
        tk = tabs[k]
        h = tk["header_rows"]
        base = len(t.body)
        if pi == 1:
            first_body = base
            t.repeat_header = h > 0
        rows = {}
        for c in tk["cells"]:
            if c["row"] >= h:
                rows.setdefault(c["row"], []).append(c)
            elif pi > 0:
                srcmap[(k, c["row"], c["col"])] = ("h", c["row"], c["col"])
        for r in range(h, tk["n_rows"]):
            row = []
            for c in sorted(rows.get(r, []), key=lambda c: c["col"]):
                txt = c["text"] or ""
                num = bool(c["numeric"])
                align = "right" if num else ("center" if re.fullmatch(r"\d{1,2}|栏次|合计|总计", txt) else "left")
                row.append(dict(col=c["col"], cs=c["col_span"], rs=c["row_span"], text=txt, numeric=num,
                                value=c["value"], align=align, role="", cents=None, indent=0))
                srcmap[(k, c["row"], c["col"])] = ("b", base + r - h, c["col"])
            t.body.append(row)
    if first_body is not None:
        t.split_after = first_body
        t.cont_label = "续表"
    return t, srcmap


def narrative_blocks(seed):
    out = []
    for n in seed.get("narrative") or []:
        for ln in (n.get("text") or "").split("\n"):
            ln = ln.strip()
            if not ln:
                continue
            if len(ln) <= 30 and not ln.endswith("。") and not re.search(r"\d+\.\d\d", ln):
                out.append(("h", ln))
            else:
                out.append(("p", ln))
    return out


def main(path, outdir, seed_no, G):
    seed = json.load(open(path, encoding="utf-8"))
    rng = random.Random("fiscan-fromseed:%s:%d" % (seed["id"], seed_no))
    doc_id = "gen-%s-s%d" % (seed["id"], seed_no)
    meta = dict(seed.get("metadata") or {})
    fonts = G.choose_fonts(rng)
    pdf = os.path.join(outdir, doc_id + ".pdf")
    r = RD.Renderer(pdf, fonts)
    year = meta.get("year") or 2020
    kind = meta.get("kind") or ""
    G.cover(r, year, meta.get("organisation") or "", "部门决算" if kind == "final" else "部门预算", rng)
    blocks = narrative_blocks(seed)
    if blocks:
        r.new_page()
        G.render_blocks(r, blocks)
    groups = logical(seed)
    pos = {}
    maps = []
    for g, parts in enumerate(groups):
        t, srcmap = build_table(seed, parts, rng, kind)
        first = len(r.tables)
        r.table(t, width_frac=0.75 if t.ncols <= 3 else 1.0)
        pos[g] = list(range(first, len(r.tables)))
        maps.append((parts, srcmap))
    r.finish()
    truth_tables = r.tables

    def remap(tidx, row, col):
        for g, (parts, srcmap) in enumerate(maps):
            if tidx in parts:
                m = srcmap.get((tidx, row, col))
                if not m:
                    return None
                if m[0] == "h":
                    return pos[g][0], m[1]
                try:
                    return G.locate(truth_tables, pos[g], m[1], m[2])
                except KeyError:
                    return None
        return None
    incs = []
    for inc in seed.get("inconsistencies") or []:
        new = dict(inc)
        cells = []
        tnew = None
        for rc in inc.get("cells") or []:
            m = remap(inc["table"], rc[0], rc[1])
            if m:
                tnew = m[0] if tnew is None else tnew
                cells.append([m[1], rc[1]])
        if tnew is None:
            continue
        new["table"] = tnew
        new["cells"] = cells
        if "related" in inc:
            rel = []
            for x in inc["related"]:
                m = remap(x[0], x[1], x[2])
                if m:
                    rel.append([m[0], m[1], x[2]])
            new["related"] = rel
        new["deliberate"] = bool(inc.get("deliberate", False))
        incs.append(new)
    G.strip_private(truth_tables)
    meta["from_seed"] = seed["id"]
    meta["fonts"] = dict(body=fonts.body, head=fonts.head, table=fonts.table)
    land = sorted(p for p, s in r.page_sizes.items() if s != RD.A4)
    if land:
        meta["landscape_pages"] = land
    truth = dict(truth_version=1, id=doc_id, origin="generated", quality="born-digital", pdf=doc_id + ".pdf",
                 page_count=r.page, page_size_pt=list(RD.A4), metadata=meta, tables=truth_tables,
                 narrative=r.narrative(), inconsistencies=incs, obscured=[])
    G.write_truth(os.path.join(outdir, doc_id + ".truth.json"), truth)
    print("%s: %d pages, %d tables, %d inconsistencies (from %s)" % (doc_id, r.page, len(truth_tables), len(incs), path))
