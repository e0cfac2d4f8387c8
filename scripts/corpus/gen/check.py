"""Self-check of generated documents: grid coverage, geometry, identities
(except the deliberate inconsistencies) and pdftotext text per cell/page."""
import glob
import html
import json
import os
import re
import subprocess
import time

ORD = re.compile(r"^([一二三四五六七八九十]+|\d+)[、.．]")
WS = re.compile(r"\s+")


def nows(s):
    return WS.sub("", s or "")


# ====================================================================== structure
def check_structure(truth, errs):
    for ti, t in enumerate(truth["tables"]):
        R, C = t["n_rows"], t["n_cols"]
        grid = [[0] * C for _ in range(R)]
        for c in t["cells"]:
            for r in range(c["row"], c["row"] + c["row_span"]):
                for k in range(c["col"], c["col"] + c["col_span"]):
                    if 0 <= r < R and 0 <= k < C:
                        grid[r][k] += 1
                    else:
                        errs.append("table %d: cell (%d,%d) outside grid" % (ti, c["row"], c["col"]))
            b, tb = c["bbox_pt"], t["bbox_pt"]
            if not (b[0] >= tb[0] - 0.05 and b[1] >= tb[1] - 0.05 and b[2] <= tb[2] + 0.05 and b[3] <= tb[3] + 0.05):
                errs.append("table %d: cell (%d,%d) bbox outside table bbox" % (ti, c["row"], c["col"]))
            if c["numeric"] and c["text"] and c["value"] is None:
                errs.append("table %d: numeric cell (%d,%d) without value" % (ti, c["row"], c["col"]))
            m = re.search(r"-?[\d,]*\.?\d+", c["text"] or "")
            if c["value"] is not None and (not m or abs(float(m.group(0).replace(",", "")) - c["value"]) > 1e-9):
                errs.append("table %d: cell (%d,%d) value %r != text %r" % (ti, c["row"], c["col"], c["value"], c["text"]))
        area = sum((c["bbox_pt"][2] - c["bbox_pt"][0]) * (c["bbox_pt"][3] - c["bbox_pt"][1]) for c in t["cells"])
        tb = t["bbox_pt"]
        tarea = (tb[2] - tb[0]) * (tb[3] - tb[1])
        if abs(area - tarea) > 0.002 * tarea + 5:
            errs.append("table %d: cell areas %.0f do not tile the table bbox %.0f" % (ti, area, tarea))
        cs = sorted(t["cells"], key=lambda c: c["bbox_pt"][0])
        for a_i, a in enumerate(cs):
            for b in cs[a_i + 1:]:
                if b["bbox_pt"][0] >= a["bbox_pt"][2] - 0.05:
                    break
                ov_x = min(a["bbox_pt"][2], b["bbox_pt"][2]) - max(a["bbox_pt"][0], b["bbox_pt"][0])
                ov_y = min(a["bbox_pt"][3], b["bbox_pt"][3]) - max(a["bbox_pt"][1], b["bbox_pt"][1])
                if ov_x > 0.05 and ov_y > 0.05:
                    errs.append("table %d: cells (%d,%d) and (%d,%d) overlap" % (ti, a["row"], a["col"], b["row"], b["col"]))
        holes = [(r, k) for r in range(R) for k in range(C) if grid[r][k] != 1]
        if holes:
            errs.append("table %d (%s): grid slots covered %s" % (ti, t["schema"], holes[:5]))
        if t["continues"] is not None:
            p = truth["tables"][t["continues"]]
            if p["schema"] != t["schema"] or p["n_cols"] != C or p["page"] >= t["page"]:
                errs.append("table %d: bad continues %r" % (ti, t["continues"]))
        if not (1 <= t["page"] <= truth["page_count"]):
            errs.append("table %d: page %r" % (ti, t["page"]))


# ====================================================================== logical tables
class LT:
    """A table with its continuation parts merged: body rows of dicts col -> (ref, cell)."""

    def __init__(self, truth, first):
        self.schema = truth["tables"][first]["schema"]
        self.idx = [first]
        for k in range(first + 1, len(truth["tables"])):
            if truth["tables"][k]["continues"] == self.idx[-1]:
                self.idx.append(k)
        self.rows = []
        for k in self.idx:
            t = truth["tables"][k]
            byrow = {}
            for c in t["cells"]:
                if c["row"] >= t["header_rows"]:
                    byrow.setdefault(c["row"], {})[c["col"]] = ((k, c["row"], c["col"]), c)
            for r in sorted(byrow):
                self.rows.append(byrow[r])
        t0 = truth["tables"][first]
        self.ncols = t0["n_cols"]
        self.header = [c for c in t0["cells"] if c["row"] < t0["header_rows"]]
        numcols = set()
        for row in self.rows:
            for col, (ref, c) in row.items():
                if c["numeric"]:
                    numcols.add(col)
        self.numcols = sorted(numcols)


def logical_tables(truth):
    out = []
    for k, t in enumerate(truth["tables"]):
        if t["continues"] is None:
            out.append(LT(truth, k))
    return out


class Ident:
    def __init__(self, errs_list):
        self.fails = []
        self.n = 0

    def eq(self, what, target, sources, signs=None):
        """target: (ref, cell); sources: list of (ref, cell). Blank = 0, but a
        blank target with non-zero parts fails."""
        if target is None:
            return
        sources = [s for s in sources if s is not None]
        signs = signs or [1] * len(sources)
        tv = target[1]["value"]
        sv = sum(sg * (s[1]["value"] or 0.0) for s, sg in zip(sources, signs))
        self.n += 1
        if tv is None:
            if abs(sv) > 0.004:
                self.fails.append((what + " (total blank, parts %.2f)" % sv, [target[0]] + [s[0] for s in sources]))
            return
        if abs(tv - sv) > 0.004:
            self.fails.append(("%s: %.2f != %.2f" % (what, tv, sv), [target[0]] + [s[0] for s in sources]))

    def same(self, what, a, b):
        if a is None or b is None:
            return
        self.eq(what, a, [b])


def cell_text(row, col):
    x = row.get(col)
    return nows(x[1]["text"]) if x else ""


def row_label(row, cols):
    return "".join(cell_text(row, c) for c in cols if row.get(c) and not row[c][1]["numeric"])


# ---------------------------------------------------------------- code-keyed
ROWSUMS = {
    "final.02": [(0, [1, 2, 3, 4, 5, 6], None)],
    "final.03": [(0, [1, 2, 3, 4, 5], None)],
    "final.05": [(0, [1, 2], None)],
    "final.08": [(2, [3, 4], None), (5, [0, 1, 2], [1, 1, -1])],
    "final.09": [(0, [1, 2], None)],
    "budget.hn.03": [(0, [1, 2, 3, 4, 5], None)],
    "budget.hn.04": [(0, [1, 2, 3, 4, 5], None)],
    "budget.hn.11": [(0, [1, 5], None), (1, [2, 3, 4], None), (5, [6, 7, 8, 9, 10, 11, 12], None)],
    "budget.std.02": [(0, list(range(1, 11)), None)],
    "budget.std.03": [(0, [1, 2, 3, 4, 5], None)],
    "budget.std.05": [(0, [1, 4], None), (1, [2, 3], None)],
    "budget.std.08": [(0, [1, 2], None)],
    "budget.std.09": [(0, [1, 2], None)],
    "budget.hn.17": [(0, [1, 2], None)],
    "budget.std.06": [(0, [1, 2], None)],
    "budget.hn.02": [(0, [1, 2, 3, 4, 5], None)],
}
CODE_KEYED = {"final.02", "final.03", "final.05", "final.08", "final.09", "budget.hn.03", "budget.hn.04",
              "budget.hn.11", "budget.std.02", "budget.std.03", "budget.std.05", "budget.std.08", "budget.std.09",
              "budget.hn.05", "budget.hn.06", "budget.hn.07", "budget.hn.17", "budget.std.06"}


def rowsums(lt, I):
    for tgt, srcs, signs in ROWSUMS.get(lt.schema, []):
        nc = lt.numcols
        if max([tgt] + srcs) >= len(nc):
            I.fails.append(("%s: only %d numeric columns" % (lt.schema, len(nc)), []))
            continue
        for row in lt.rows:
            if all(row.get(nc[k]) for k in [tgt] + srcs):
                if all(row[nc[k]][1]["value"] is None for k in [tgt] + srcs):
                    continue
                I.eq("%s row-sum col %d" % (lt.schema, tgt), row[nc[tgt]], [row[nc[k]] for k in srcs], signs)


def code_keyed(lt, I):
    nc = lt.numcols
    txtcols = [c for c in range(lt.ncols) if c not in nc]
    keyed = {}
    total = None
    for row in lt.rows:
        code = ""
        for c in txtcols:
            t = cell_text(row, c)
            if t.isdigit():
                code += t
        lab = row_label(row, txtcols)
        if not code and re.sub(r"[\d]", "", lab) in ("合计", "总计"):
            total = row
        elif code:
            keyed[code] = row
    for col in nc:
        def ref(row):
            return row.get(col)
        codes = sorted(keyed)
        for code in codes:
            kids = [c for c in codes if c != code and c.startswith(code) and
                    len(c) == (len(code) + 2 if len(code) >= 3 else 3)]
            if kids:
                I.eq("%s %s col %d = Σ children" % (lt.schema, code, col), ref(keyed[code]), [ref(keyed[c]) for c in kids])
        if total is not None:
            tops = [c for c in codes if len(c) == 3]
            if not tops:
                m = min(len(c) for c in codes) if codes else 0
                tops = [c for c in codes if len(c) == m]
            if tops:
                I.eq("%s 合计 col %d" % (lt.schema, col), ref(total), [ref(keyed[c]) for c in tops])
    rowsums(lt, I)
    return total, keyed


# ---------------------------------------------------------------- two-sided
def sides(lt, spec):
    """spec: list of (label_col, [value_cols]). Returns per side list of (label, {vc: (ref,cell)})."""
    out = []
    for lc, vcs in spec:
        lines = []
        for row in lt.rows:
            lab = cell_text(row, lc)
            lines.append((lab, {vc: row.get(vc) for vc in vcs}))
        out.append(lines)
    return out


def find(lines, *names):
    for lab, v in lines:
        if lab in names:
            return v
    return None


CN_ORD = re.compile(r"^[一二三四五六七八九十]+、")
AR_ORD = re.compile(r"^\d+、")


def ordinal_sum(I, what, lines, total_names, vc, pat=ORD):
    tot = find(lines, *total_names)
    if tot is None:
        return
    parts = []
    for lab, v in lines:
        if lab in total_names:
            break
        if pat.match(lab):
            parts.append(v[vc])
    I.eq(what, tot[vc], parts)


def two_sided(lt, I):
    s = lt.schema
    if s == "final.01":
        L, Rr = sides(lt, [(0, [2]), (3, [5])])
        ordinal_sum(I, "final.01 本年收入合计", L, ("本年收入合计",), 2)
        ordinal_sum(I, "final.01 本年支出合计", Rr, ("本年支出合计",), 5)
        tot_l = [x for x in L if x[0] == "总计"]
        tot_r = [x for x in Rr if x[0] == "总计"]
        a = find(L, "本年收入合计")
        parts = [find(L, "使用非财政拨款结余", "用事业基金弥补收支差额"), find(L, "年初结转和结余")]
        if tot_l and a:
            I.eq("final.01 收入总计", tot_l[0][1][2], [a[2]] + [p[2] for p in parts if p])
        b = find(Rr, "本年支出合计")
        parts = [find(Rr, "结余分配"), find(Rr, "年末结转和结余")]
        if tot_r and b:
            I.eq("final.01 支出总计", tot_r[0][1][5], [b[5]] + [p[5] for p in parts if p])
        if tot_l and tot_r:
            I.same("final.01 收入总计 = 支出总计", tot_l[0][1][2], tot_r[0][1][5])
    elif s == "final.04":
        vcs = lt.numcols[1:]
        L, Rr = sides(lt, [(0, [2]), (3, vcs)])
        ordinal_sum(I, "final.04 本年收入合计", L, ("本年收入合计",), 2)
        for vc in vcs:
            ordinal_sum(I, "final.04 本年支出合计 col %d" % vc, Rr, ("本年支出合计",), vc)
        for row in lt.rows:
            if all(row.get(vc) for vc in vcs) and any(row[vc][1]["value"] is not None for vc in vcs):
                I.eq("final.04 支出 合计 = Σ funds", row[vcs[0]], [row[vc] for vc in vcs[1:]])
        # 年初财政拨款结转和结余 = its sub-lines (when printed)
        labs = [x[0] for x in L]
        if "年初财政拨款结转和结余" in labs:
            k = labs.index("年初财政拨款结转和结余")
            subs = []
            for lab, v in L[k + 1:]:
                if lab == "总计" or not lab:
                    break
                subs.append(v[2])
            if subs and any(x and x[1]["value"] is not None for x in subs):
                I.eq("final.04 年初结转 = sub-lines", L[k][1][2], subs)
            a = find(L, "本年收入合计")
            tl = find(L, "总计")
            if a and tl:
                I.eq("final.04 收入总计", tl[2], [a[2], L[k][1][2]])
        b = find(Rr, "本年支出合计")
        e = find(Rr, "年末财政拨款结转和结余")
        tr = find(Rr, "总计")
        if b and tr:
            for vc in vcs:
                I.eq("final.04 支出总计 col %d" % vc, tr[vc], [b[vc]] + ([e[vc]] if e else []))
        tl = find(L, "总计")
        if tl and tr:
            I.same("final.04 收入总计 = 支出总计", tl[2], tr[vcs[0]])
    elif s in ("budget.hn.01", "budget.std.01", "budget.hn.10", "budget.std.04"):
        nc = lt.numcols
        lab_cols = [c for c in range(lt.ncols) if c not in nc]
        lc, rc = lab_cols[0], lab_cols[1]
        lv = [c for c in nc if c < rc]
        rv = [c for c in nc if c > rc]
        L, Rr = sides(lt, [(lc, lv), (rc, rv)])
        inc_tot_names = ("收入总计", "本年收入合计")
        if s == "budget.hn.01":
            ordinal_sum(I, "hn.01 收入总计", L, ("收入总计",), lv[0], CN_ORD)
            hn_income_sublines(I, L, lv[0], s)
            ordinal_sum(I, "hn.01 支出总计", Rr, ("支出总计",), rv[0], AR_ORD)
        elif s == "budget.hn.10":
            ordinal_sum(I, "hn.10 收入总计", L, ("收入总计",), lv[0], CN_ORD)
            hn_income_sublines(I, L, lv[0], s)
            for vc in rv:
                ordinal_sum(I, "hn.10 支出总计 col %d" % vc, Rr, ("支出总计",), vc, AR_ORD)
        else:
            ordinal_sum(I, s + " 本年收入合计", L, ("本年收入合计",), lv[0])
            for vc in rv:
                ordinal_sum(I, s + " 本年支出合计 col %d" % vc, Rr, ("本年支出合计",), vc)
            a, tl = find(L, "本年收入合计"), find(L, "收入总计")
            c0 = find(L, "上年结转结余", "上年结转")
            if a and tl:
                I.eq(s + " 收入总计", tl[lv[0]], [a[lv[0]]] + ([c0[lv[0]]] if c0 else []))
            b, tr = find(Rr, "本年支出合计"), find(Rr, "支出总计")
            e = find(Rr, "年终结转结余")
            if b and tr:
                for vc in rv:
                    I.eq(s + " 支出总计 col %d" % vc, tr[vc], [b[vc]] + ([e[vc]] if e else []))
        if len(rv) > 1:
            for row in lt.rows:
                if all(row.get(vc) for vc in rv) and any(row[vc][1]["value"] is not None for vc in rv):
                    I.eq(s + " 支出 合计 = Σ funds", row[rv[0]], [row[vc] for vc in rv[1:]])
        tl = find(L, "收入总计")
        tr = find(Rr, "支出总计")
        if tl and tr:
            I.same(s + " 收入总计 = 支出总计", tl[lv[0]], tr[rv[0]])


def hn_income_sublines(I, L, vc, s):
    labs = [x[0] for x in L]
    gp = [k for k, l in enumerate(labs) if l.startswith("一、")]
    if not gp:
        return
    k = gp[0]
    p1 = [i for i in range(k + 1, len(labs)) if labs[i].startswith("(1)") or labs[i].startswith("（1）")]
    p2 = [i for i in range(k + 1, len(labs)) if labs[i].startswith("(2)") or labs[i].startswith("（2）")]
    if p1 and p2:
        I.eq(s + " 一般公共预算拨款 = (1)+(2)", L[k][1][vc], [L[p1[0]][1][vc], L[p2[0]][1][vc]])
        subs = []
        for i in range(p2[0] + 1, len(labs)):
            if re.match(r"^\d[.．]", labs[i]):
                subs.append(L[i][1][vc])
            else:
                break
        if subs:
            I.eq(s + " 非税收入 = Σ 1-4", L[p2[0]][1][vc], subs)


# ---------------------------------------------------------------- economic
def econ_panels(lt, I):
    """final.06: three code|name|value panels + footer 人员经费合计/公用经费合计."""
    codes = {}
    footer = {}
    for row in lt.rows:
        cols = sorted(row)
        for k, col in enumerate(cols):
            t = cell_text(row, col)
            if row[col][1]["numeric"]:
                continue
            if t.isdigit() and len(t) in (3, 5):
                # value cell = next numeric col
                for c2 in cols[k + 1:]:
                    if row[c2][1]["numeric"]:
                        codes[t] = row[c2]
                        break
            elif t in ("人员经费合计", "公用经费合计"):
                for c2 in cols[k + 1:]:
                    if row[c2][1]["numeric"]:
                        footer[t] = row[c2]
                        break
    for cls in [c for c in codes if len(c) == 3]:
        kids = [c for c in codes if len(c) == 5 and c.startswith(cls)]
        if kids:
            I.eq("%s %s = Σ 款" % (lt.schema, cls), codes[cls], [codes[c] for c in kids])
    cls = [c for c in codes if len(c) == 3]
    if "人员经费合计" in footer:
        I.eq(lt.schema + " 人员经费合计", footer["人员经费合计"], [codes[c] for c in cls if c in ("301", "303")])
    if "公用经费合计" in footer:
        I.eq(lt.schema + " 公用经费合计", footer["公用经费合计"], [codes[c] for c in cls if c not in ("301", "303")])
    return codes, footer


def econ_rows(lt, I):
    """hn.05/06/07, hn.17, std.06: code | name | value(s)."""
    nc = lt.numcols
    codes = {}
    total = None
    for row in lt.rows:
        t = cell_text(row, 0)
        lab = row_label(row, [c for c in range(lt.ncols) if c not in nc])
        if t.isdigit():
            codes[t] = row
        elif lab.replace(" ", "") in ("合计", "总计"):
            total = row
    for col in nc:
        for cls in [c for c in codes if len(c) == 3]:
            kids = [c for c in codes if len(c) == 5 and c.startswith(cls)]
            if kids:
                I.eq("%s %s col %d = Σ 款" % (lt.schema, cls, col), codes[cls].get(col), [codes[c].get(col) for c in kids])
        if total is not None:
            I.eq("%s 合计 col %d" % (lt.schema, col), total.get(col), [codes[c].get(col) for c in codes if len(c) == 3])
    rowsums(lt, I)
    return total, codes


def sangong(lt, I):
    nc = lt.numcols
    for row in lt.rows:
        vals = [row.get(c) for c in nc]
        blocks = [0, 6] if len(nc) >= 12 else [0]
        for b in blocks:
            if b + 5 < len(vals) and all(vals[b:b + 6]):
                I.eq("%s 合计 block %d" % (lt.schema, b), vals[b], [vals[b + 1], vals[b + 2], vals[b + 5]])
                I.eq("%s 公务用车 block %d" % (lt.schema, b), vals[b + 2], [vals[b + 3], vals[b + 4]])


def hn09(lt, I):
    lines = [(cell_text(r, 0), r.get(lt.numcols[0])) for r in lt.rows]
    labs = [l for l, _ in lines]

    def at(i):
        return lines[i][1]
    try:
        tot = labs.index("合计")
        sg = [i for i, l in enumerate(labs) if "三公" in l and "小计" in l][0]
        mt = [i for i, l in enumerate(labs) if "会议费" in l and "小计" in l][0]
    except (ValueError, IndexError):
        return
    I.eq("hn.09 合计", at(tot), [at(sg), at(mt)])
    top = [i for i in range(sg + 1, mt) if re.match(r"^\d[.．]", labs[i])]
    I.eq("hn.09 三公小计", at(sg), [at(i) for i in top])
    car = [i for i in top if "公务用车" in labs[i]]
    if car:
        subs = [i for i in range(car[0] + 1, mt) if labs[i].startswith("（") or labs[i].startswith("(")]
        if subs:
            I.eq("hn.09 公务用车购置及运行费", at(car[0]), [at(i) for i in subs])
    I.eq("hn.09 会议费培训费小计", at(mt), [at(i) for i in range(mt + 1, len(labs)) if re.match(r"^\d[.．]", labs[i])])


def check_identities(truth):
    I = Ident(None)
    info = {}
    for lt in logical_tables(truth):
        s = lt.schema
        if s in ("final.06",):
            info[s] = econ_panels(lt, I)
        elif s in ("budget.hn.05", "budget.hn.06", "budget.hn.07", "budget.hn.17", "budget.std.06"):
            info[s] = econ_rows(lt, I)
        elif s in CODE_KEYED:
            info[s] = code_keyed(lt, I)
        elif s in ("final.01", "final.04", "budget.hn.01", "budget.hn.10", "budget.std.01", "budget.std.04"):
            two_sided(lt, I)
            info[s] = lt
        elif s in ("final.07", "budget.std.07"):
            sangong(lt, I)
        elif s == "budget.hn.09":
            hn09(lt, I)
        elif s == "budget.hn.02":
            rowsums(lt, I)
            info[s] = lt
    cross(truth, info, I)
    return I


def _lt_line(lt, label, col_after_label=True):
    for row in lt.rows:
        for col in sorted(row):
            if cell_text(row, col) == label:
                for c2 in sorted(row):
                    if c2 > col and row[c2][1]["numeric"]:
                        return row[c2]
    return None


def cross(truth, info, I):
    def tot(s, k=0):
        x = info.get(s)
        if not x or x[0] is None:
            return None
        total = x[0]
        lt = [l for l in logical_tables(truth) if l.schema == s][0]
        return total.get(lt.numcols[k]) if k < len(lt.numcols) else None
    f1 = info.get("final.01")
    if f1:
        I.same("final.01 本年收入合计 = final.02 合计", _lt_line(f1, "本年收入合计"), tot("final.02"))
        I.same("final.01 本年支出合计 = final.03 合计", _lt_line(f1, "本年支出合计"), tot("final.03"))
    f4 = info.get("final.04")
    if f4 and "final.05" in info:
        row = _lt_line(f4, "本年支出合计")
        if row:
            # 一般公共预算 column is the one after 合计
            ref = row[0]
            t = truth["tables"][ref[0]]
            cell = [c for c in t["cells"] if c["row"] == ref[1] and c["col"] == ref[2] + 1]
            if cell:
                I.same("final.04 本年支出合计/一般公共预算 = final.05 合计", ((ref[0], ref[1], ref[2] + 1), cell[0]), tot("final.05"))
    if "final.05" in info and "final.06" in info:
        codes, footer = info["final.06"]
        if "人员经费合计" in footer and "公用经费合计" in footer and tot("final.05", 1):
            I.eq("final.05 合计/基本支出 = final.06 人员+公用", tot("final.05", 1), [footer["人员经费合计"], footer["公用经费合计"]])
    h1 = info.get("budget.hn.01")
    if h1 and "budget.hn.02" in info:
        lt2 = info["budget.hn.02"]
        r = lt2.rows[0] if lt2.rows else None
        if r:
            I.same("hn.01 收入总计 = hn.02 总计", _lt_line(h1, "收入总计"), r.get(lt2.numcols[0]))
    if h1 and "budget.hn.03" in info:
        I.same("hn.01 支出总计 = hn.03 合计", _lt_line(h1, "支出总计"), tot("budget.hn.03"))
    if "budget.hn.11" in info and "budget.hn.17" in info:
        I.same("hn.11 基本支出合计 = hn.17 合计", tot("budget.hn.11", 1), tot("budget.hn.17"))
    s1 = info.get("budget.std.01")
    if s1 and "budget.std.03" in info:
        I.same("std.01 本年支出合计 = std.03 合计", _lt_line(s1, "本年支出合计"), tot("budget.std.03"))
    if "budget.std.05" in info and "budget.std.06" in info:
        I.same("std.05 合计/基本支出 = std.06 合计", tot("budget.std.05", 1), tot("budget.std.06"))


# ====================================================================== text
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
PAGE = re.compile(r"<page width")


def pdf_words(pdf):
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, text=True, check=True).stdout
    pages = out.split("<page width")[1:]
    res = []
    for p in pages:
        ws = []
        for m in WORD.finditer(p):
            x0, y0, x1, y1 = map(float, m.groups()[:4])
            ws.append((x0, y0, x1, y1, html.unescape(m.group(5))))
        res.append(ws)
    return res


def chars_of(word):
    """Split a word box into per-character boxes (full-width chars weigh 1, others 0.5)."""
    x0, y0, x1, y1, s = word
    wts = [1.0 if ord(ch) > 0x2000 else 0.5 for ch in s]
    tot = sum(wts) or 1.0
    out = []
    x = x0
    for ch, w in zip(s, wts):
        dx = (x1 - x0) * w / tot
        out.append((x + dx / 2, (y0 + y1) / 2, ch))
        x += dx
    return out


def check_text(truth, pdf, errs):
    pages = pdf_words(pdf)
    if len(pages) != truth["page_count"]:
        errs.append("pdf has %d pages, truth %d" % (len(pages), truth["page_count"]))
        return
    narr = {n["page"]: n["text"] for n in truth["narrative"]}
    tables_by_page = {}
    for ti, t in enumerate(truth["tables"]):
        tables_by_page.setdefault(t["page"], []).append((ti, t))
    ncell = 0
    for p, words in enumerate(pages, start=1):
        chars = [c for w in words for c in chars_of(w)]
        tabs = tables_by_page.get(p, [])
        incell = {}
        outside = []
        for cx, cy, ch in chars:
            hit = None
            for ti, t in tabs:
                b = t["bbox_pt"]
                if b[0] <= cx <= b[2] and b[1] <= cy <= b[3]:
                    hit = ti
                    for c in t["cells"]:
                        bb = c["bbox_pt"]
                        if bb[0] <= cx <= bb[2] and bb[1] <= cy <= bb[3]:
                            incell.setdefault((ti, c["row"], c["col"]), []).append((cy, cx, ch))
                            break
                    else:
                        errs.append("page %d: char %r inside table %d but in no cell" % (p, ch, ti))
                    break
            if hit is None:
                outside.append((cy, cx, ch))
        for ti, t in tabs:
            for c in t["cells"]:
                ncell += 1
                got = incell.get((ti, c["row"], c["col"]), [])
                got.sort(key=lambda z: (round(z[0]), z[1]))
                s = "".join(ch for _, _, ch in got)
                if nows(s) != nows(c["text"]):
                    errs.append("page %d table %d cell (%d,%d): pdf %r != truth %r" % (p, ti, c["row"], c["col"], s, c["text"]))
        # narrative: compare character multisets and, loosely, order
        got = "".join(ch for _, _, ch in sorted(outside, key=lambda z: (round(z[0] / 3), z[1])))
        want = nows(narr.get(p, ""))
        if sorted(nows(got)) != sorted(want):
            errs.append("page %d narrative differs: pdf %r… truth %r…" % (p, nows(got)[:60], want[:60]))
    return ncell


# ====================================================================== main
def check_doc(tpath):
    t0 = time.time()
    truth = json.load(open(tpath, encoding="utf-8"))
    errs = []
    for k in ("truth_version", "id", "origin", "quality", "page_count", "page_size_pt", "metadata", "tables",
              "narrative", "inconsistencies", "obscured"):
        if k not in truth:
            errs.append("missing key " + k)
    check_structure(truth, errs)
    I = check_identities(truth)
    delib = set()
    listed = set()
    for inc in truth["inconsistencies"]:
        for rc in inc["cells"]:
            listed.add((inc["table"], rc[0], rc[1]))
            if inc.get("deliberate"):
                delib.add((inc["table"], rc[0], rc[1]))
        for x in inc.get("related") or []:
            listed.add(tuple(x))
    unexplained = [f for f in I.fails if not any(tuple(r) in listed for r in f[1])]
    for what, refs in unexplained:
        errs.append("identity fails: " + what)
    fired = set()
    for what, refs in I.fails:
        for r in refs:
            if tuple(r) in delib:
                fired.add(tuple(r))
    for d in sorted(delib - fired):
        errs.append("deliberate inconsistency %r is not detected by any identity" % (d,))
    ncell = 0
    if truth.get("pdf"):
        pdf = os.path.join(os.path.dirname(tpath), truth["pdf"])
        if not os.path.isfile(pdf):
            errs.append("pdf missing")
        else:
            ncell = check_text(truth, pdf, errs) or 0
    return truth, errs, I, ncell, time.time() - t0


def main(d):
    files = sorted(glob.glob(os.path.join(d, "*.truth.json")))
    if not files:
        print("check: no *.truth.json in", d)
        return 2
    bad = 0
    for f in files:
        truth, errs, I, ncell, dt = check_doc(f)
        st = "OK " if not errs else "BAD"
        print("%s %s: %d pages, %d tables, %d cells text-checked, %d identities (%d fail, all listed in inconsistencies=%s), %.2fs"
              % (st, truth["id"], truth["page_count"], len(truth["tables"]), ncell, I.n, len(I.fails),
                 "yes" if not [e for e in errs if e.startswith("identity")] else "no", dt))
        for e in errs[:25]:
            print("    " + e)
        if len(errs) > 25:
            print("    … %d more" % (len(errs) - 25))
        bad += bool(errs)
    print("check: %d/%d documents OK" % (len(files) - bad, len(files)))
    return 1 if bad else 0
