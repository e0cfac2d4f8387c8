#!/usr/bin/python3
"""Truth for the real born-digital disclosure PDFs (corpus/real/<name>.truth.json).

An independent route, deliberately not fiscan's own text-layer code:

* words and their boxes come from `pdftotext -bbox-layout`;
* ruling lines come from a `pdftoppm` raster (150 dpi, grey) with the text
  boxes blanked out, opened with long horizontal / vertical kernels (OpenCV
  morphology); every connected set of ruling lines with at least two
  horizontal and two vertical lines is a table;
* the grid is the set of distinct line positions; a slot boundary that has no
  ruling under it merges the two slots (union-find, closed to rectangles);
* a word belongs to the cell that holds its centre; a word that straddles a
  ruled cell boundary is split at the boundary (character widths estimated:
  CJK 1 em, others 0.55 em);
* the title, table number, unit and organisation are read from the text
  lines above the table; the schema id is the tables.json entry whose title
  (or `seen_in` variant) is the longest one contained in the printed title.

Usage:
  real_truth.py [--out corpus/real] [--pdf-dir /work/shared/real] [NAME.pdf ...]
  real_truth.py --overlay TRUTH.json PAGE OUT.png   # draw the truth grid over a render
  real_truth.py --check TRUTH.json ...               # structural + arithmetic checks
"""
import argparse
import copy
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import xml.etree.ElementTree as ET

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
DEFAULT_PDF_DIR = os.path.normpath(os.path.join(ROOT, "..", "shared", "real"))
if not os.path.isdir(DEFAULT_PDF_DIR):
    DEFAULT_PDF_DIR = "/work/shared/real"
TABLES_JSON = os.path.normpath(os.path.join(ROOT, "..", "shared", "reference", "tables.json"))
if not os.path.exists(TABLES_JSON):
    TABLES_JSON = "/work/shared/reference/tables.json"

DPI = 150
S = DPI / 72.0          # px per point

from truthio import dumps_truth  # noqa: E402  (shared with the other corpus tools)


# ---------------------------------------------------------------- text layer

def read_words(pdf):
    """Return [{'w','h', 'lines': [[(x0,y0,x1,y1,text), ...], ...]}] per page (points)."""
    out = subprocess.run(["pdftotext", "-bbox-layout", pdf, "-"], check=True,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout
    root = ET.fromstring(out)
    pages = []
    for page in root.iter():
        if not page.tag.endswith("}page") and page.tag != "page":
            continue
        pg = {"w": float(page.get("width")), "h": float(page.get("height")), "lines": []}
        for line in page.iter():
            if not line.tag.endswith("line"):
                continue
            ws = []
            for w in line:
                if not w.tag.endswith("word"):
                    continue
                t = unicodedata.normalize("NFC", w.text or "")
                if not t.strip():
                    continue
                ws.append((float(w.get("xMin")), float(w.get("yMin")),
                           float(w.get("xMax")), float(w.get("yMax")), t))
            if ws:
                pg["lines"].append(ws)
        pages.append(pg)
    return pages


def render_page(pdf, page, dpi, tmpdir, gray=True):
    base = os.path.join(tmpdir, "r%d" % page)
    args = ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"]
    if gray:
        args.append("-gray")
    subprocess.run(args + ["-png", pdf, base], check=True, stderr=subprocess.DEVNULL)
    img = cv2.imread(base + ".png", cv2.IMREAD_GRAYSCALE if gray else cv2.IMREAD_COLOR)
    os.unlink(base + ".png")
    return img

# ---------------------------------------------------------------- ruling

def _runs(mask1d, gap=1):
    """Groups of consecutive True indices -> list of (start, end) inclusive."""
    idx = np.flatnonzero(mask1d)
    if idx.size == 0:
        return []
    runs = []
    s = p = idx[0]
    for i in idx[1:]:
        if i - p > gap:
            runs.append((s, p))
            s = i
        p = i
    runs.append((s, p))
    return runs


def line_masks(gray, words):
    """Horizontal and vertical ruling masks of a page raster (text blanked)."""
    bw = (gray < 190).astype(np.uint8)
    erase = np.zeros_like(bw)
    for (x0, y0, x1, y1, _t) in words:
        # only the core band of the word box: some fonts report boxes taller
        # than the row, which would swallow the ruling lines
        cy, hh = (y0 + y1) / 2, (y1 - y0)
        a0, b0 = int(x0 * S) + 1, int((cy - 0.28 * hh) * S)
        a1, b1 = int(np.ceil(x1 * S)) - 1, int(np.ceil((cy + 0.28 * hh) * S))
        if a1 > a0 and b1 > b0:
            erase[b0:b1, a0:a1] = 1

    def detect(img):
        lh = int(18 * S)   # horizontal lines >= 18 pt
        lv = int(9 * S)    # vertical lines >= 9 pt
        h = cv2.morphologyEx(img, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (lh, 1)))
        v = cv2.morphologyEx(img, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, lv)))
        return h, v

    h, v = detect(bw * (1 - erase))
    # Restore ruling pixels under text boxes that straddle a detected line
    # (text overflowing its cell would otherwise cut the line).
    keep = erase.copy()
    for x in np.flatnonzero(v.sum(axis=0) > int(30 * S)):
        keep[:, max(0, x - 2):x + 3] = 0
    for y in np.flatnonzero(h.sum(axis=1) > int(60 * S)):
        keep[max(0, y - 2):y + 3, :] = 0
    h2, v2 = detect(bw * (1 - keep))
    # A restored column only counts where it continues a line found before.
    h = np.maximum(h, h2 & cv2.dilate(h, np.ones((3, int(40 * S)), np.uint8)))
    v = np.maximum(v, v2 & cv2.dilate(v, np.ones((int(40 * S), 3), np.uint8)))
    return h, v


def find_tables(h, v):
    """Connected ruling components that form a grid -> list of (x0,y0,x1,y1) px."""
    both = cv2.dilate(np.maximum(h, v), np.ones((5, 5), np.uint8))
    n, lab, stats, _ = cv2.connectedComponentsWithStats(both, connectivity=8)
    boxes = []
    for i in range(1, n):
        x, y, w, hh, _a = stats[i]
        if w < 60 * S or hh < 20 * S:
            continue
        sub = lab[y:y + hh, x:x + w] == i
        nh = len(_runs((h[y:y + hh, x:x + w] * sub).sum(axis=1) > 0, gap=2))
        nv = len(_runs((v[y:y + hh, x:x + w] * sub).sum(axis=0) > 0, gap=2))
        if nh >= 2 and nv >= 2:
            boxes.append((x, y, x + w, y + hh, i))
    return boxes, lab


def line_positions(mask, axis, lo, hi, min_len):
    """Centres of ruling lines in mask[lo:hi] along axis (0 = horizontal lines -> y)."""
    prof = (mask > 0).sum(axis=1 if axis == 0 else 0)
    pos = []
    for a, b in _runs(prof >= min_len, gap=2):
        pos.append((a + b) / 2.0)
    # merge lines closer than 3 pt
    merged = []
    for p in pos:
        if merged and p - merged[-1][-1] < 3 * S:
            merged[-1].append(p)
        else:
            merged.append([p])
    return [sum(m) / len(m) for m in merged]


def build_grid(h, v, box, lab):
    x0, y0, x1, y1, comp = box
    sub = (lab[y0:y1, x0:x1] == comp)
    hs = h[y0:y1, x0:x1] * sub
    vs = v[y0:y1, x0:x1] * sub
    ys = line_positions(hs, 0, 0, 0, int(8 * S))
    xs = line_positions(vs, 1, 0, 0, int(6 * S))
    if len(ys) < 2 or len(xs) < 2:
        return None
    nr, nc = len(ys) - 1, len(xs) - 1

    def vcov(c, r):   # vertical separator at xs[c] between ys[r]..ys[r+1]
        x = int(round(xs[c]))
        a, b = int(ys[r]) + 2, int(ys[r + 1]) - 1
        if b <= a:
            return 1.0
        col = vs[a:b, max(0, x - 2):x + 3].max(axis=1)
        return float(col.mean())

    def hcov(r, c):
        y = int(round(ys[r]))
        a, b = int(xs[c]) + 2, int(xs[c + 1]) - 1
        if b <= a:
            return 1.0
        row = hs[max(0, y - 2):y + 3, a:b].max(axis=0)
        return float(row.mean())

    parent = list(range(nr * nc))

    def find(a):
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    def union(a, b):
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)

    for r in range(nr):
        for c in range(nc - 1):
            if vcov(c + 1, r) < 0.5:
                union(r * nc + c, r * nc + c + 1)
    for r in range(nr - 1):
        for c in range(nc):
            if hcov(r + 1, c) < 0.5:
                union(r * nc + c, (r + 1) * nc + c)
    # close groups to rectangles
    changed = True
    while changed:
        changed = False
        groups = {}
        for s in range(nr * nc):
            groups.setdefault(find(s), []).append(s)
        for g, slots in groups.items():
            rs = [s // nc for s in slots]
            cs = [s % nc for s in slots]
            for r in range(min(rs), max(rs) + 1):
                for c in range(min(cs), max(cs) + 1):
                    if find(r * nc + c) != find(g):
                        union(g, r * nc + c)
                        changed = True
    groups = {}
    for s in range(nr * nc):
        groups.setdefault(find(s), []).append(s)
    cells = []
    for slots in groups.values():
        rs = [s // nc for s in slots]
        cs = [s % nc for s in slots]
        r0, r1, c0, c1 = min(rs), max(rs), min(cs), max(cs)
        cells.append({"row": r0, "col": c0, "row_span": r1 - r0 + 1, "col_span": c1 - c0 + 1})
    cells.sort(key=lambda c: (c["row"], c["col"]))
    xs_pt = [(x0 + x) / S for x in xs]
    ys_pt = [(y0 + y) / S for y in ys]
    # is every inner slot boundary ruled? ("full") or only some ("partial")
    inner_v = [vcov(c, r) for r in range(nr) for c in range(1, nc)]
    ruling = "full"
    if nc > 1 and sum(1 for x in inner_v if x < 0.5) > 0.5 * len(inner_v) and nr > 3:
        ruling = "partial"
    return {"xs": xs_pt, "ys": ys_pt, "cells": cells, "ruling": ruling,
            "vsep": lambda c, r: vcov(c, r) >= 0.5}

# ---------------------------------------------------------------- cell text

CJK_RE = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
NUM_RE = re.compile(r"^[-−+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$")
NUM_LOOSE = re.compile(r"^[-−+]?[\d,，]*\d(\s*\.\s*\d+)?$")


def char_w(ch):
    return 1.0 if CJK_RE.match(ch) else 0.55


def split_word(word, cuts):
    """Split word (x0,y0,x1,y1,t) at x positions (points) -> list of words."""
    x0, y0, x1, y1, t = word
    ws = [char_w(ch) for ch in t]
    tot = sum(ws) or 1.0
    pieces, cur, cx = [], "", x0
    edges = []
    acc = x0
    for ch, w in zip(t, ws):
        a = acc
        acc += w / tot * (x1 - x0)
        edges.append((ch, a, acc))
    cuts = sorted(cuts)
    part, start = [], x0
    ci = 0
    for ch, a, b in edges:
        mid = (a + b) / 2
        while ci < len(cuts) and mid > cuts[ci]:
            if part:
                pieces.append((start, y0, cuts[ci], y1, "".join(part)))
            part, start = [], cuts[ci]
            ci += 1
        part.append(ch)
    if part:
        pieces.append((start, y0, x1, y1, "".join(part)))
    return pieces


def join_tokens(tokens):
    """pdftotext splits words at visible gaps: keep one space there, except
    between two CJK characters (letter-spaced CJK, wrapped cell lines)."""
    out = ""
    for t in tokens:
        if out and not (CJK_RE.match(out[-1]) and CJK_RE.match(t[0])):
            out += " " + t
        else:
            out += t
    return out


def clean_text(t):
    t = unicodedata.normalize("NFC", t).strip()
    s = re.sub(r"\s+", "", t)
    if NUM_LOOSE.match(s):
        return s
    return t


def parse_number(t):
    s = t.replace("，", ",").replace("−", "-").strip()
    if not NUM_RE.match(s):
        return None
    try:
        return float(s.replace(",", ""))
    except ValueError:
        return None

# ---------------------------------------------------------------- schema

def load_catalogue():
    cat = json.load(open(TABLES_JSON, encoding="utf-8"))
    pairs = []
    for e in cat:
        if e["id"].startswith(("budget.hn.", "perf.hn.", "perf.sd.")):
            continue   # regional sets not used by the Shanghai PDFs
        names = list(e.get("titles") or [])
        for s in e.get("seen_in") or []:
            if isinstance(s, str) and CJK_RE.search(s) and "shared/real" not in s:
                names.append(s)
        for n in names:
            n2 = norm_title(n.replace("XXXX年", ""))
            if n2:
                pairs.append((n2, e["id"]))
    pairs.sort(key=lambda p: -len(p[0]))
    return pairs


def norm_title(t):
    t = unicodedata.normalize("NFKC", t)
    t = re.sub(r"\s+", "", t)
    t = t.replace("\"", "“").replace("”", "“")
    t = t.replace("（", "(").replace("）", ")")
    return t


def match_schema(title, catalogue):
    if not title:
        return None
    nt = norm_title(title).replace("“", "")
    for name, sid in catalogue:
        if name.replace("“", "") in nt:
            return sid
    return None


UNIT_RE = re.compile(r"单位[:：]\s*(万元|千元|元|亿元)")
ORG_RE = re.compile(r"(编制部门|编制单位|部门名称|单位名称|预算单位|预算主管部门|主管部门|部门|单位)[:：]\s*([^\s:：]+)")
NUMBERING_RE = re.compile(r"((?:财决)?公开\s*\d+\s*表|附?表\s*[0-9一二三四五六七八九十]+(?![\u4e00-\u9fff]))")
TITLE_HINT = re.compile(r"表$|表[(（]|情况表|明细表|总表|决算表|预算表")

# ---------------------------------------------------------------- main work

def table_context(lines, top_pt, left_pt, right_pt, floor_pt, catalogue):
    """Title / numbering / unit / organisation from the lines above a table."""
    above = []
    for ws in lines:
        ly0 = min(w[1] for w in ws)
        ly1 = max(w[3] for w in ws)
        if ly1 <= top_pt + 1 and ly0 >= floor_pt - 1 and top_pt - ly1 < 110:
            above.append((ly0, ly1, join_tokens([w[4] for w in sorted(ws)]), ws))
    above.sort()
    title = numbering = unit = org = None
    best = None
    for ly0, ly1, text, ws in above:
        flat = re.sub(r"\s+", "", text)
        m = UNIT_RE.search(flat)
        if m and unit is None:
            unit = m.group(1)
        for m in ORG_RE.finditer(text):
            if m.group(1) != "单位" or not UNIT_RE.search(m.group(0)):
                val = m.group(2)
                if val not in ("万元", "元", "千元") and org is None:
                    org = val
        m = NUMBERING_RE.search(flat)
        if m and numbering is None:
            numbering = m.group(1)
        if UNIT_RE.search(flat) or ORG_RE.search(text):
            continue
        score = (1 if match_schema(flat, catalogue) else 0, 1 if TITLE_HINT.search(flat) else 0, ly1 - ly0)
        if len(flat) >= 4 and (best is None or score > best[0]):
            best = (score, flat)
    if best and (best[0][0] or best[0][1]):
        title = best[1]
        if numbering and title.startswith(numbering.replace(" ", "")):
            pass
    return title, numbering, unit, org


NON_NUMERIC_HEAD = re.compile(r"^(类|款|项|栏次|行次|序号|项目|科目|.*编码|.*代码|.*名称|项目[(（].*[)）]|支出功能分类|单位|备注|说明)$")
MONEY_HEAD = re.compile(r"数$|金额|合计|小计|决算|预算|支出|收入|经费|结余|结转|拨款|费$|补助|资金")


def cell_numeric_flags(grid_cells, n_rows, n_cols, header_rows):
    """Numeric column detection from the lowest header cell of each column
    and the content of the body."""
    by_col_body = {c: [] for c in range(n_cols)}
    leaf = {c: "" for c in range(n_cols)}
    leaf_row = {c: -1 for c in range(n_cols)}
    for cell in grid_cells:
        for c in range(cell["col"], cell["col"] + cell["col_span"]):
            if cell["row"] < header_rows:
                t = re.sub(r"\s+", "", cell["text"])
                if t and cell["row"] > leaf_row[c]:
                    leaf[c], leaf_row[c] = t, cell["row"]
            elif cell["col_span"] == 1:
                by_col_body[c].append(cell["text"])
    numeric_col = {}
    for c in range(n_cols):
        h = re.sub(r"[\d()（）栏]+$", "", leaf[c]) if leaf[c] else ""
        texts = [t for t in by_col_body[c] if t]
        nums = [t for t in texts if parse_number(t) is not None]
        if h and NON_NUMERIC_HEAD.match(h):
            numeric_col[c] = False
        elif texts and len(nums) >= 0.6 * len(texts):
            if all(re.match(r"^\d{2,3}(\d{2}){0,2}$", t) for t in nums) and not MONEY_HEAD.search(h):
                numeric_col[c] = False      # classification codes
            else:
                numeric_col[c] = True
        elif texts:
            numeric_col[c] = False
        else:
            numeric_col[c] = bool(h) and bool(MONEY_HEAD.search(h))
    return numeric_col


ENUM_RE = re.compile(r"^([一二三四五六七八九十]+[、.．]|\d+[.、．](?!\d)|[（(][一二三四五六七八九十\d]+[)）])")


def is_header_word(t):
    if parse_number(t) is not None or ENUM_RE.match(t) or re.match(r"^.{0,6}(合计|总计)$", t) and len(t) > 2:
        return False
    return bool(MONEY_HEAD.search(t) or NON_NUMERIC_HEAD.match(re.sub(r"[\d()（）栏]+$", "", t)))


def detect_header_rows(rows_text, n_rows):
    """rows_text[r]: texts of the cells that start in row r, left to right."""
    for r in range(min(n_rows, 8)):
        if any("栏次" in t for t in rows_text[r]):
            return r + 1
    for r in range(n_rows):
        ts = [re.sub(r"\s+", "", t) for t in rows_text[r]]
        ne = [t for t in ts if t]
        if not ne:
            nxt = next((rows_text[k] for k in range(r + 1, n_rows) if any(x.strip() for x in rows_text[k])), None)
            nxt = [re.sub(r"\s+", "", x) for x in (nxt or []) if x.strip()]
            if nxt and not re.match(r"^.{0,6}(合计|总计)$", nxt[0]) and all(is_header_word(x) for x in nxt):
                continue
            return r
        if any(parse_number(t) is not None and ("." in t or "," in t) for t in ne):
            return r
        if re.match(r"^\d{3}(\d{2}){0,2}$", ne[0]) or ENUM_RE.match(ne[0]):
            return r
        if r > 0 and re.match(r"^.{0,6}(合计|总计)$", ne[0]) and all(parse_number(t) is not None for t in ne[1:]):
            return r
        if r == 0 and re.match(r"^(合计|总计)$", ne[0]) and any(parse_number(t) is not None for t in ne[1:]):
            return 0
    return min(1, n_rows)


def extract_pdf(pdf, catalogue, log=sys.stderr):
    pages = read_words(pdf)
    tables = []
    with tempfile.TemporaryDirectory() as tmp:
        for pi, pg in enumerate(pages, start=1):
            words = [w for ws in pg["lines"] for w in ws]
            gray = render_page(pdf, pi, DPI, tmp)
            h, v = line_masks(gray, words)
            boxes, lab = find_tables(h, v)
            boxes.sort(key=lambda b: (b[1], b[0]))
            floor = 0.0
            for box in boxes:
                g = build_grid(h, v, box, lab)
                if g is None or len(g["cells"]) < 4:
                    continue
                xs, ys = g["xs"], g["ys"]
                n_rows, n_cols = len(ys) - 1, len(xs) - 1
                # map slot -> cell
                slot = {}
                for k, cell in enumerate(g["cells"]):
                    cell["_w"] = []
                    for r in range(cell["row"], cell["row"] + cell["row_span"]):
                        for c in range(cell["col"], cell["col"] + cell["col_span"]):
                            slot[(r, c)] = k
                # words inside the table
                for w in words:
                    cx, cy = (w[0] + w[2]) / 2, (w[1] + w[3]) / 2
                    if not (xs[0] - 1 <= cx <= xs[-1] + 1 and ys[0] - 1 <= cy <= ys[-1] + 1):
                        continue
                    r = max(0, min(n_rows - 1, int(np.searchsorted(ys, cy) - 1)))
                    # split at ruled vertical boundaries crossed by the word
                    cuts = [xs[c] for c in range(1, n_cols) if w[0] + 1 < xs[c] < w[2] - 1
                            and g["vsep"](c, r)]
                    for piece in (split_word(w, cuts) if cuts else [w]):
                        px = (piece[0] + piece[2]) / 2
                        c = max(0, min(n_cols - 1, int(np.searchsorted(xs, px) - 1)))
                        g["cells"][slot[(r, c)]]["_w"].append(piece)
                for cell in g["cells"]:
                    ws = cell.pop("_w")
                    # group into printed lines by y, then left to right
                    ws.sort(key=lambda w: (round(((w[1] + w[3]) / 2) / 4), w[0]))
                    lines, cur, cy = [], [], None
                    for w in sorted(ws, key=lambda w: (w[1] + w[3]) / 2):
                        m = (w[1] + w[3]) / 2
                        if cy is None or abs(m - cy) < 0.5 * (w[3] - w[1]):
                            cur.append(w)
                            cy = m if cy is None else cy
                        else:
                            lines.append(cur)
                            cur, cy = [w], m
                    if cur:
                        lines.append(cur)
                    toks = [join_tokens([w[4] for w in sorted(l)]) for l in lines]
                    cell["text"] = clean_text(join_tokens(toks)) if toks else ""
                    cell["bbox_pt"] = [round(xs[cell["col"]], 2), round(ys[cell["row"]], 2),
                                       round(xs[cell["col"] + cell["col_span"]], 2),
                                       round(ys[cell["row"] + cell["row_span"]], 2)]
                rows_text = [[] for _ in range(n_rows)]
                for cell in sorted(g["cells"], key=lambda c: c["col"]):
                    rows_text[cell["row"]].append(cell["text"])
                header_rows = detect_header_rows(rows_text, n_rows)
                # merged header cells reaching further down extend the header
                for cell in g["cells"]:
                    if cell["row"] < header_rows < cell["row"] + cell["row_span"]:
                        header_rows = cell["row"] + cell["row_span"]
                numeric_col = cell_numeric_flags(g["cells"], n_rows, n_cols, header_rows)
                if header_rows == 0 and tables and tables[-1]["page"] == pi - 1 and tables[-1]["n_cols"] == n_cols:
                    # a continuation without its header: the columns of the part before
                    prev = tables[-1]
                    pcols = {c["col"] for c in prev["cells"] if c["numeric"] and c["col_span"] == 1}
                    numeric_col = {c: (c in pcols) for c in range(n_cols)}
                for cell in g["cells"]:
                    num = (cell["row"] >= header_rows and cell["col_span"] == 1
                           and numeric_col.get(cell["col"], False))
                    if cell["row"] >= header_rows and cell["col_span"] > 1:
                        cols = range(cell["col"], cell["col"] + cell["col_span"])
                        num = all(numeric_col.get(c, False) for c in cols)
                    cell["numeric"] = bool(num)
                    cell["value"] = parse_number(cell["text"]) if num else None
                    cell["obscured"] = False
                title, numbering, unit, org = table_context(
                    pg["lines"], ys[0], xs[0], xs[-1], floor, catalogue)
                first_on_page = floor == 0.0
                floor = ys[-1]
                schema = match_schema(title, catalogue)
                continues = None
                if title is None and tables:
                    prev = tables[-1]
                    if prev["page"] == pi - 1 and ys[0] < 0.3 * pg["h"] and first_on_page:
                        continues = len(tables) - 1
                        title, schema = prev["title"], prev["schema"]
                        numbering = numbering or prev["numbering"]
                        unit = unit or prev["unit"]
                        org = org or prev["organisation"]
                tables.append({
                    "page": pi, "schema": schema, "title": title, "numbering": numbering,
                    "unit": unit, "organisation": org,
                    "bbox_pt": [round(xs[0], 2), round(ys[0], 2), round(xs[-1], 2), round(ys[-1], 2)],
                    "n_rows": n_rows, "n_cols": n_cols, "header_rows": header_rows,
                    "ruling": g["ruling"], "continues": continues,
                    "cells": [{k: c[k] for k in ("row", "col", "row_span", "col_span", "text", "value",
                                                  "numeric", "bbox_pt", "obscured")} for c in g["cells"]],
                })
    narrative = []
    for pi, pg in enumerate(pages, start=1):
        tb = [t["bbox_pt"] for t in tables if t["page"] == pi]
        out = []
        for ws in pg["lines"]:
            keep = [w for w in ws if not any(b[0] - 1 <= (w[0] + w[2]) / 2 <= b[2] + 1
                                             and b[1] - 1 <= (w[1] + w[3]) / 2 <= b[3] + 1 for b in tb)]
            if keep:
                out.append(join_tokens([w[4] for w in sorted(keep)]))
        if out:
            narrative.append({"page": pi, "text": "\n".join(out)})
    return pages, tables, narrative


def metadata_for(name, pages):
    text = " ".join(w[4] for pg in pages[:3] for ws in pg["lines"] for w in ws)
    kind = "final" if ("决算" in name or "final" in name) else "budget"
    m = re.search(r"(20\d\d)", name)
    year = int(m.group(1)) if m else None
    org = None
    m = re.search(r"上海市普陀区[\u4e00-\u9fff]+?(局|委员会|办公室|部|街道办事处|中心|委|院)", text.replace(" ", ""))
    if m:
        org = m.group(0)
    return {"organisation": org, "year": year, "kind": kind, "level": "区"}


# Source inconsistencies checked by hand (the tables themselves were checked
# with --check; these are narrative statements contradicting the tables).
# "page" is the narrative page; "table": null (narrative kind).
KNOWN_INCONSISTENCIES = {
    "putuo-finance-2024-final": [
        {"kind": "narrative_mismatch", "deliberate": False, "table": None, "page": 21, "cells": [],
         "description": "四、财政拨款收入支出决算总体情况说明: 财政拨款收入支出总计0.3万元 (and 与2023年度相比…持平), "
                        "but 财政拨款收入支出决算总表 总计 = 2,961.68"},
    ],
    "putuo-finance-2024-final-altered": [
        {"kind": "narrative_mismatch", "deliberate": True, "table": None, "page": 18, "cells": [],
         "description": "一、收入支出决算总体情况说明: 收入支出总计0万元, but 收入支出决算总表 总计 = 2,995.39"},
        {"kind": "narrative_mismatch", "deliberate": True, "table": None, "page": 18, "cells": [],
         "description": "heading 第三部分…2023年度部门决算情况说明 in the 2024 final account"},
    ],
}


def make_truth(pdf, out_dir, catalogue):
    name = os.path.splitext(os.path.basename(pdf))[0]
    pages, tables, narrative = extract_pdf(pdf, catalogue)
    sizes = [[round(p["w"], 2), round(p["h"], 2)] for p in pages]
    truth = {
        "truth_version": 1,
        "id": "real-" + name,
        "origin": "real",
        "quality": "born-digital",
        "pdf": os.path.relpath(os.path.abspath(pdf), os.path.abspath(out_dir)),
        "page_count": len(pages),
        "page_size_pt": sizes[0] if sizes else None,
        "page_sizes_pt": sizes,
        "metadata": metadata_for(name, pages),
        "tables": tables,
        "narrative": narrative,
        "inconsistencies": KNOWN_INCONSISTENCIES.get(name, []),
        "obscured": [],
        "generator": "scripts/corpus/real_truth.py (pdftotext -bbox-layout + OpenCV ruling)",
    }
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, name + ".truth.json")
    with open(path, "w", encoding="utf-8") as f:
        f.write(dumps_truth(truth))
    return path, truth

# ---------------------------------------------------------------- overlay

def overlay(truth_path, page, out_png, dpi=110):
    truth = json.load(open(truth_path, encoding="utf-8"))
    pdf = os.path.normpath(os.path.join(os.path.dirname(truth_path), truth["pdf"]))
    with tempfile.TemporaryDirectory() as tmp:
        img = render_page(pdf, page, dpi, tmp, gray=False)
    s = dpi / 72.0
    for ti, t in enumerate(truth["tables"]):
        if t["page"] != page:
            continue
        x0, y0, x1, y1 = [int(v * s) for v in t["bbox_pt"]]
        cv2.rectangle(img, (x0, y0), (x1, y1), (255, 0, 0), 2)
        for c in t["cells"]:
            a0, b0, a1, b1 = [int(v * s) for v in c["bbox_pt"]]
            color = (0, 160, 0) if c["numeric"] else (0, 0, 255)
            if c.get("obscured"):
                color = (255, 0, 255)
            cv2.rectangle(img, (a0 + 2, b0 + 2), (a1 - 2, b1 - 2), color, 1)
            if c["row_span"] > 1 or c["col_span"] > 1:
                cv2.line(img, (a0 + 2, b0 + 2), (a1 - 2, b1 - 2), (0, 200, 255), 1)
            if c["row"] == t["header_rows"] and c["col"] == 0:
                cv2.line(img, (x0, b0), (x1, b0), (255, 0, 255), 2)
        cv2.putText(img, "#%d %s hr=%d %dx%d" % (ti, t["schema"], t["header_rows"], t["n_rows"], t["n_cols"]),
                    (x0, max(12, y0 - 4)), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (255, 0, 0), 1)
    cv2.imwrite(out_png, img)


def check(paths):
    """Structural checks of truth files + how many code-hierarchy and row-sum
    identities hold on their numbers (a cross-check of grid, columns, values)."""
    sys.path.insert(0, HERE)
    import scan_sim as SS
    bad = 0
    for path in paths:
        t = json.load(open(path, encoding="utf-8"))
        probs, hier_ok, hier_n, row_ok, row_n = [], 0, 0, 0, 0
        for ti, tb in enumerate(t["tables"]):
            seen = {}
            for c in tb["cells"]:
                for r in range(c["row"], c["row"] + c["row_span"]):
                    for k in range(c["col"], c["col"] + c["col_span"]):
                        seen[(r, k)] = seen.get((r, k), 0) + 1
                if c["numeric"] and c["text"] and c["value"] is None and c["text"] not in ("-", "—", "/"):
                    probs.append("t%d r%d c%d numeric text %r has no value" % (ti, c["row"], c["col"], c["text"]))
            for r in range(tb["n_rows"]):
                for k in range(tb["n_cols"]):
                    if seen.get((r, k)) != 1:
                        probs.append("t%d slot (%d,%d) covered %s times" % (ti, r, k, seen.get((r, k), 0)))
            cols = sorted({c["col"] for c in tb["cells"] if c["numeric"] and c["col_span"] == 1})
            for col in cols:
                codes = SS._code_rows(tb, col)
                vals = SS._vals(tb, col)
                for r, code in codes.items():
                    kids = [x for x, k in codes.items() if len(k) == len(code) + 2 and k.startswith(code)]
                    if kids and vals.get(r) is not None:
                        hier_n += 1
                        if SS._close(vals.get(r) or 0, sum(vals.get(x) or 0 for x in kids), len(kids)):
                            hier_ok += 1
            for r in range(tb["header_rows"], tb["n_rows"]):
                rc = sorted([c for c in tb["cells"] if c["row"] == r and c["numeric"] and c["col_span"] == 1],
                            key=lambda c: c["col"])
                vs = [c["value"] or 0 for c in rc]
                if len(vs) >= 3 and any(vs):
                    row_n += 1
                    row_ok += SS._close(vs[0], sum(vs[1:]), len(vs) - 1)
        print("%s: %d tables, hierarchy identities %d/%d hold, row sums %d/%d hold, %d problems%s" % (
            os.path.basename(path), len(t["tables"]), hier_ok, hier_n, row_ok, row_n, len(probs),
            "".join("\n   " + p for p in probs[:10])))
        bad += len(probs)
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdfs", nargs="*")
    ap.add_argument("--out", default=os.path.join(ROOT, "corpus", "real"))
    ap.add_argument("--pdf-dir", default=DEFAULT_PDF_DIR)
    ap.add_argument("--overlay", nargs=3, metavar=("TRUTH", "PAGE", "PNG"))
    ap.add_argument("--check", nargs="+", metavar="TRUTH")
    a = ap.parse_args()
    if a.check:
        sys.exit(1 if check(a.check) else 0)
    if a.overlay:
        overlay(a.overlay[0], int(a.overlay[1]), a.overlay[2])
        return
    catalogue = load_catalogue()
    pdfs = a.pdfs or sorted(os.path.join(a.pdf_dir, f) for f in os.listdir(a.pdf_dir) if f.endswith(".pdf"))
    for pdf in pdfs:
        if not os.path.exists(pdf):
            pdf = os.path.join(a.pdf_dir, pdf)
        path, truth = make_truth(pdf, a.out, catalogue)
        ts = truth["tables"]
        print("%s: %d pages, %d tables (%d with schema, %d continuations), %d cells" % (
            os.path.basename(path), truth["page_count"], len(ts), sum(1 for t in ts if t["schema"]),
            sum(1 for t in ts if t["continues"] is not None), sum(len(t["cells"]) for t in ts)))


if __name__ == "__main__":
    main()
