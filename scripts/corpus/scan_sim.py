#!/usr/bin/python3
"""Print-and-scan simulator: born-digital PDF + truth -> image-only PDF + truth.

  scan_sim.py IN.pdf IN.truth.json --quality {clean,typical,poor,damaged} --seed S -o OUT.pdf [--id ID]

Writes OUT.pdf (one JPEG per page, page size of the input page kept, image dpi
recorded) and OUT.truth.json (the input truth with quality / pdf / id / scan,
and for damaged scans the `obscured` list and `"obscured": true` on cells).
Deterministic for a seed. The recipe of every level is LEVELS below and is
documented in corpus/README.md.

Conventions recorded in truth["scan"]:
  skew_deg[i]  skew of page i+1 in degrees, positive = content turned
               counter-clockwise as the page is viewed;
  rotation[i]  0/90/180/270: the page content was turned that many degrees
               clockwise (a 90/270 page is stored landscape); undo it first.
  bbox_pt in the truth stays in the coordinates of the unrotated, unskewed
  original page (truth-format rule).
"""
import argparse
import copy
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time

import cv2
import numpy as np
from PIL import Image
import img2pdf

LEVELS = {
    # dpi: scan resolution; skew: max |skew| in degrees (uniform); blur: Gaussian sigma px;
    # noise: Gaussian sensor noise sigma (8-bit levels); paper: paper RGB; illum: depth of the
    # illumination gradient; fade: ink density factor range; breaks: share of ruling-line
    # pieces removed; faint: share of ruling-line regions lightened; jpeg: JPEG quality;
    # specks: dust specks per page; rotate: number of pages turned 90/180 (poor only).
    "clean": dict(dpi=300, skew=0.3, blur=0.35, noise=2.0, paper=(251, 251, 249), paper_tex=0.005,
                  illum=0.03, fade=(0.93, 1.0), fade_var=0.02, breaks=0.0, faint=0.0, jpeg=90,
                  gray=True, specks=0, rotate=0, damage=0),
    "typical": dict(dpi=200, skew=1.5, blur=0.6, noise=5.0, paper=(246, 240, 222), paper_tex=0.02,
                    illum=0.10, fade=(0.78, 0.92), fade_var=0.06, breaks=0.04, faint=0.15, jpeg=72,
                    gray=False, specks=40, rotate=0, damage=0),
    "poor": dict(dpi=150, skew=3.0, blur=0.85, noise=9.0, paper=(236, 224, 192), paper_tex=0.04,
                 illum=0.20, fade=(0.55, 0.72), fade_var=0.12, breaks=0.12, faint=0.35, jpeg=50,
                 gray=False, specks=250, rotate=1, damage=0),
    "damaged": dict(dpi=200, skew=1.5, blur=0.6, noise=5.0, paper=(244, 236, 214), paper_tex=0.025,
                    illum=0.10, fade=(0.78, 0.92), fade_var=0.06, breaks=0.04, faint=0.15, jpeg=72,
                    gray=False, specks=60, rotate=0, damage=1),
}
QUALITIES = list(LEVELS)
CHROMA = 0.4   # colour noise sigma, relative to the luminance noise

from truthio import dumps_truth  # noqa: E402  (shared with the other corpus tools)


# ------------------------------------------------------------------ helpers

def smooth_field(rng, h, w, cells, lo=-1.0, hi=1.0):
    """Low-frequency random field of shape (h, w) in [lo, hi]."""
    gh, gw = max(2, int(cells * h / max(h, w)) + 1), max(2, int(cells * w / max(h, w)) + 1)
    small = rng.uniform(lo, hi, (gh, gw)).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def blocky_field(rng, h, w, block, p):
    """Binary field of blocks of `block` px, each on with probability p."""
    gh, gw = h // block + 1, w // block + 1
    small = (rng.random((gh, gw)) < p).astype(np.uint8)
    big = cv2.resize(small, (gw * block, gh * block), interpolation=cv2.INTER_NEAREST)
    return big[:h, :w]


def render(pdf, page, dpi, tmp, gray=False):
    """Page raster at dpi: uint8 RGB (h, w, 3), or (h, w, 1) when gray."""
    base = os.path.join(tmp, "p%d" % page)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-singlefile"]
                   + (["-gray"] if gray else []) + [pdf, base], check=True, stderr=subprocess.DEVNULL)
    path = base + (".pgm" if gray else ".ppm")
    if gray:
        img = cv2.imread(path, cv2.IMREAD_GRAYSCALE)[:, :, None]
    else:
        img = cv2.imread(path, cv2.IMREAD_COLOR)[:, :, ::-1]   # RGB
    os.unlink(path)
    return np.ascontiguousarray(img)


def page_sizes(pdf):
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "100000", pdf], check=True,
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout.decode("utf-8", "replace")
    sizes = {}
    for m in re.finditer(r"Page\s+(\d+) size:\s+([\d.]+) x ([\d.]+)", out):
        sizes[int(m.group(1))] = (float(m.group(2)), float(m.group(3)))
    rots = {int(m.group(1)): int(m.group(2)) for m in re.finditer(r"Page\s+(\d+) rot:\s+(\d+)", out)}
    res = []
    for p in sorted(sizes):
        w, h = sizes[p]
        if rots.get(p, 0) % 180 == 90:
            w, h = h, w
        res.append((w, h))
    return res

# ------------------------------------------------------------------ damage

def _blob(rng, cx, cy, rx, ry):
    """Irregular blot over the box centre (cx, cy) +- (rx, ry): a chain of
    jittered ellipses along the box (so the whole box is covered without
    spilling far into the rows above and below), a few splashes, soft edge.
    Returns (x0, y0, mask) with mask a float32 ROI."""
    pad = int(max(rx, ry) * 0.6 + 8)
    x0, y0 = int(cx - rx - pad), int(cy - ry - pad)
    W, H = int(2 * (rx + pad)) + 1, int(2 * (ry + pad)) + 1
    m = np.zeros((H, W), np.uint8)
    n = max(2, int(round(rx / max(ry, 1.0))) + 1)
    for i in range(n):
        ex = cx - rx + (i + 0.5) * (2 * rx / n) + rng.uniform(-0.1, 0.1) * rx / n
        ey = cy + rng.uniform(-0.08, 0.08) * ry
        ax = (rx / n) * rng.uniform(1.25, 1.5)
        ay = ry * rng.uniform(1.05, 1.2)
        cv2.ellipse(m, (int(ex - x0), int(ey - y0)), (max(2, int(ax)), max(2, int(ay))),
                    rng.uniform(-10, 10), 0, 360, 1, -1)
    for _ in range(int(rng.integers(2, 6))):
        a = rng.uniform(0, 2 * np.pi)
        r = max(2, int(ry * rng.uniform(0.1, 0.3)))
        px = cx + np.cos(a) * rx * rng.uniform(1.0, 1.15)
        py = cy + np.sin(a) * ry * rng.uniform(1.0, 1.2)
        cv2.circle(m, (int(px - x0), int(py - y0)), r, 1, -1)
    f = cv2.GaussianBlur(m.astype(np.float32), (0, 0), max(1.0, ry * 0.08))
    return x0, y0, np.clip(f * 1.6, 0, 1)


def _paste(img, alpha, x0, y0, a, color):
    """Composite colour with opacity ROI a at (x0, y0); update alpha (max)."""
    h, w = alpha.shape
    H, W = a.shape
    ax0, ay0 = max(0, -x0), max(0, -y0)
    bx0, by0 = max(0, x0), max(0, y0)
    bx1, by1 = min(w, x0 + W), min(h, y0 + H)
    if bx1 <= bx0 or by1 <= by0:
        return
    aa = a[ay0:ay0 + (by1 - by0), ax0:ax0 + (bx1 - bx0)]
    roi = img[by0:by1, bx0:bx1]
    roi[:] = roi * (1 - aa[..., None]) + color[None, None, :] * aa[..., None]
    alpha[by0:by1, bx0:bx1] = np.maximum(alpha[by0:by1, bx0:bx1], aa)


def _paste_alpha(alpha, x0, y0, a):
    h, w = alpha.shape
    H, W = a.shape
    bx0, by0, bx1, by1 = max(0, x0), max(0, y0), min(w, x0 + W), min(h, y0 + H)
    if bx1 > bx0 and by1 > by0:
        alpha[by0:by1, bx0:bx1] = np.maximum(alpha[by0:by1, bx0:bx1],
                                             a[by0 - y0:by1 - y0, bx0 - x0:bx1 - x0])


def apply_damage(rng, img, page_tables, s, log=None):
    """Blots, coffee stains and torn corners over chosen cells of this page.

    img: float32 (h, w, C), already faded; modified in place.
    Returns (img, alpha, events): alpha is the opacity map of all damage
    (1 = nothing of the print is left), events the damage placed, each with
    its own (x0, y0, roi-mask) so that obscured cells can be attributed."""
    h, w = img.shape[:2]
    C = img.shape[2]
    alpha = np.zeros((h, w), np.float32)
    cands = []
    for ti, t in page_tables:
        for c in t["cells"]:
            if c["row"] < t.get("header_rows", 0):
                continue
            pref = 3 if (c.get("numeric") and c.get("value") not in (None, 0, 0.0)) else \
                (2 if c.get("numeric") and c.get("text") else (1 if c.get("text") else 0))
            if pref:
                cands.append((pref, ti, c))
    if not cands:
        return img, alpha, []
    best = max(p for p, _, _ in cands)
    pool = [x for x in cands if x[0] == best]
    k = int(rng.integers(1, 4))          # 1..3 damage events per table page
    events = []
    used = set()

    def cdist(c):
        x0, y0, x1, y1 = c["bbox_pt"]
        return min(np.hypot(x, y) for x in (x0 * s, w - x1 * s) for y in (y0 * s, h - y1 * s))

    for _ in range(k):
        kind = str(rng.choice(["blot", "stain", "tear"], p=[0.45, 0.35, 0.20]))
        i = None
        if kind == "tear":
            order = sorted((j for j in range(len(pool)) if j not in used), key=lambda j: cdist(pool[j][2]))
            if order and cdist(pool[order[0]][2]) <= 0.2 * np.hypot(w, h):
                i = order[0]
            else:
                kind = "blot"
        if i is None:
            free = [j for j in range(len(pool)) if j not in used]
            if not free:
                break
            # mostly keep targets in distinct rows and columns (so that the
            # recoverable rule has a chance), sometimes not
            taken = [pool[j] for j in used]
            apart = [j for j in free if not any(pool[j][1] == u[1] and (pool[j][2]["row"] == u[2]["row"]
                                                or pool[j][2]["col"] == u[2]["col"]) for u in taken)]
            if apart and rng.random() < 0.75:
                free = apart
            i = int(free[int(rng.integers(0, len(free)))])
        used.add(i)
        _, ti, c = pool[i]
        x0, y0, x1, y1 = [v * s for v in c["bbox_pt"]]
        cx, cy, rx, ry = (x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2, (y1 - y0) / 2
        if kind == "blot":
            ox, oy, m = _blob(rng, cx, cy, rx, ry)
            color = np.array([28, 30, 48], np.float32) + rng.uniform(-8, 8, 3).astype(np.float32)
            a = m * float(rng.uniform(0.96, 1.0))
        elif kind == "stain":
            ox, oy, m = _blob(rng, cx, cy, rx * 1.02, ry)
            ring = np.clip(m - cv2.GaussianBlur(m, (0, 0), max(2.0, ry * 0.25)), 0, 1)
            color = np.array([92, 58, 30], np.float32) + rng.uniform(-10, 10, 3).astype(np.float32)
            a = np.clip(m * 0.95 + ring * 0.4, 0, 0.98)
            # a faint outer halo of the spill (does not hide print)
            hx, hy, hm = _blob(rng, cx + rng.uniform(-0.3, 0.3) * rx, cy, rx * 1.6, ry * 2.2)
            if C == 1:
                _paste(img, np.zeros_like(alpha), hx, hy, hm * 0.18, color.mean(keepdims=True))
            else:
                _paste(img, np.zeros_like(alpha), hx, hy, hm * 0.18, color)
        else:   # torn corner: paper missing -> light scanner lid, darker torn edge
            corners = [(0, 0), (w, 0), (0, h), (w, h)]
            cxn, cyn = min(corners, key=lambda p: np.hypot(p[0] - cx, p[1] - cy))
            far = max(abs(cxn - x) + abs(cyn - y) for x in (x0, x1) for y in (y0, y1)) * 1.06 + 6
            sx = 1 if cxn == 0 else -1
            sy = 1 if cyn == 0 else -1
            pts = [(cxn, cyn), (cxn + sx * far, cyn)]
            nj = 7
            for j in range(1, nj):
                t_ = j / nj
                pts.append((cxn + sx * far * (1 - t_) + rng.uniform(-0.025, 0.025) * far,
                            cyn + sy * far * t_ + rng.uniform(-0.025, 0.025) * far))
            pts.append((cxn, cyn + sy * far))
            ox, oy = int(min(p[0] for p in pts)) - 4, int(min(p[1] for p in pts)) - 4
            W = int(max(p[0] for p in pts)) - ox + 5
            H = int(max(p[1] for p in pts)) - oy + 5
            mm = np.zeros((H, W), np.uint8)
            cv2.fillPoly(mm, [np.array([(p[0] - ox, p[1] - oy) for p in pts], np.int32)], 1)
            edge = np.clip(cv2.dilate(mm, np.ones((5, 5), np.uint8)).astype(np.float32) - mm, 0, 1)
            _paste(img, np.zeros_like(alpha), ox, oy, edge * 0.45, np.zeros(C, np.float32) + 90)
            a = mm.astype(np.float32)
            color = np.array([226, 228, 230], np.float32)
        if C == 1:
            color = color.mean(keepdims=True)
        _paste(img, alpha, ox, oy, a, color)
        events.append({"kind": kind, "table": ti, "row": c["row"], "col": c["col"], "roi": (ox, oy, a)})
    return img, alpha, events


# ------------------------------------------------------------------ one page

def simulate_page(rgb, rec, rng, page_tables, dpi):
    """rgb: uint8 render of the page at dpi. Returns (uint8 image, skew, alpha, events)."""
    s = dpi / 72.0
    h, w, C = rgb.shape
    img = rgb.astype(np.float32)
    gray0 = rgb[:, :, 0] if C == 1 else cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
    # 1. broken / faint ruling lines
    if rec["breaks"] > 0 or rec["faint"] > 0:
        bw = (gray0 < 160).astype(np.uint8)
        hl = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (int(20 * s), 1)))
        vl = cv2.morphologyEx(bw, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(12 * s))))
        lines = cv2.dilate(np.maximum(hl, vl), np.ones((3, 3), np.uint8)) & (gray0 < 235).astype(np.uint8)
        if rec["faint"] > 0:
            fz = blocky_field(rng, h, w, int(40 * s), rec["faint"]) & lines
            img[fz > 0] = 255 - (255 - img[fz > 0]) * 0.35
        if rec["breaks"] > 0:
            bz = blocky_field(rng, h, w, max(2, int(4 * s)), rec["breaks"]) & lines
            img[bz > 0] = 255 - (255 - img[bz > 0]) * 0.08
    # 2. faded ink, varying over the page
    f = rng.uniform(*rec["fade"]) + rec["fade_var"] * smooth_field(rng, h, w, 6)
    img = 255 - (255 - img) * np.clip(f, 0.2, 1.0)[..., None]
    # 3. damage (physical, before the paper colour and the scan)
    alpha = np.zeros((h, w), np.float32)
    events = []
    if rec["damage"]:
        img, alpha, events = apply_damage(rng, img, page_tables, s, None)
    # 4. paper colour and texture
    paper = np.array(rec["paper"], np.float32) / 255.0
    if C == 1:
        paper = paper.mean(keepdims=True)
    tex = 1 + rec["paper_tex"] * smooth_field(rng, h, w, 60) + rec["paper_tex"] * 0.5 * smooth_field(rng, h, w, 8)
    # 5. uneven illumination: linear gradient in a random direction + vignette
    xx = (np.arange(w, dtype=np.float32) / w - 0.5)[None, :]
    yy = (np.arange(h, dtype=np.float32) / h - 0.5)[:, None]
    ang = rng.uniform(0, 2 * np.pi)
    g = (np.cos(ang) * xx + np.sin(ang) * yy) + 0.5
    vig = (xx ** 2 + yy ** 2) * 2
    illum = (1 - rec["illum"] * (0.7 * g + 0.3 * vig)) * tex
    img *= illum[..., None]
    img *= paper[None, None, :]
    del g, vig, illum, tex
    # 6. skew
    skew = float(rng.uniform(-rec["skew"], rec["skew"]))
    border = tuple(float(v) for v in (paper * 255 * (1 - rec["illum"] * 0.5)))
    M = cv2.getRotationMatrix2D((w / 2.0, h / 2.0), skew, 1.0)
    img = cv2.warpAffine(img, M, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                         borderValue=border)
    if img.ndim == 2:
        img = img[:, :, None]
    # 7. optics: blur, then sensor noise and dust specks
    if rec["blur"] > 0:
        img = cv2.GaussianBlur(img, (0, 0), rec["blur"])
        if img.ndim == 2:
            img = img[:, :, None]
    cv2.setRNGSeed(int(rng.integers(0, 2**31 - 1)))
    n1 = np.empty((h, w), np.float32)
    cv2.randn(n1, 0.0, float(rec["noise"]))
    img = img + n1[..., None]
    del n1
    if C == 3:
        n3 = np.empty((h, w, 3), np.float32)
        cv2.randn(n3, (0.0, 0.0, 0.0), (rec["noise"] * CHROMA,) * 3)
        img = img + n3
        del n3
    for _ in range(rec["specks"]):
        x, y = int(rng.integers(0, w)), int(rng.integers(0, h))
        r = int(rng.integers(1, max(2, int(0.6 * s))))
        v = float(rng.uniform(40, 140))
        cv2.circle(img, (x, y), r, (v,) * C, -1)
    img = np.clip(img, 0, 255).astype(np.uint8)
    return img, skew, alpha, events

# ------------------------------------------------------------------ truth

def cell_ink_coverage(gray, alpha, bbox, s):
    x0, y0, x1, y1 = [v * s for v in bbox]
    a0, b0 = int(x0) + 3, int(y0) + 3
    a1, b1 = int(x1) - 2, int(y1) - 2
    if a1 <= a0 or b1 <= b0:
        return 0.0, 0.0
    g = gray[b0:b1, a0:a1]
    al = alpha[b0:b1, a0:a1]
    ink = g < 140
    area = float((al >= 0.8).mean())
    if ink.sum() >= 6:
        return float((al[ink] >= 0.8).mean()), area
    return None, area


def _label(t, r):
    txt = [c["text"] for c in t["cells"] if c["row"] == r and not c.get("numeric")]
    return re.sub(r"\s+", "", "".join(txt))


def _code_rows(t, col=None):
    """row -> classification code (str) of the body rows. With col, the code
    of the panel the column belongs to: the run of code cells nearest to the
    left of col (tables like final.06 print several code/name/value panels
    side by side); split 类|款|项 code cells are concatenated."""
    hr = t.get("header_rows", 0)
    rows = {}
    for c in t["cells"]:
        if c["row"] >= hr and c["row_span"] == 1:
            rows.setdefault(c["row"], []).append(c)
    codes = {}
    for r, cs in rows.items():
        cs.sort(key=lambda c: c["col"])
        parts = []
        if col is None:
            for c in cs:
                tx = re.sub(r"\s+", "", c["text"])
                if c.get("numeric") or not re.fullmatch(r"\d{2,7}", tx):
                    break
                parts.append(tx)
        else:
            seen_name = False
            for c in reversed([c for c in cs if c["col"] < col]):
                tx = re.sub(r"\s+", "", c["text"])
                if not c.get("numeric") and re.fullmatch(r"\d{2,7}", tx):
                    parts.insert(0, tx)
                elif parts or (c.get("numeric") and seen_name):
                    break
                elif tx and not c.get("numeric"):
                    seen_name = True
        code = "".join(parts)
        if re.fullmatch(r"\d{3}(\d{2}){0,2}", code):
            codes[r] = code
    return codes


def _vals(t, col):
    hr = t.get("header_rows", 0)
    out = {}
    for c in t["cells"]:
        if c["col"] == col and c["col_span"] == 1 and c["row"] >= hr and c.get("numeric"):
            out[c["row"]] = c.get("value")
    return out


def _close(a, b, n):
    return abs(a - b) <= 0.011 * max(1, n) + 1e-9


def _exact(a, b, n):
    """The identity holds on the printed numbers to the cent: only then does it
    determine a hidden item exactly. (The rule used _close, which allows a
    rounding cent per item: a 万元 block that the source itself misses by 0.01
    made its hidden item "recoverable exactly", which nothing can do.)"""
    del n
    return abs(a - b) <= 0.005


def recoverable(t, cell, obscured_rc):
    """Conservative rule (see corpus/README.md):
    the cell is numeric with a printed value, it is the only obscured cell of
    its row and of its column, and one identity that holds exactly (to the cent) on
    the printed (truth) numbers determines it: a code hierarchy (parent = Σ children), a
    total row (合计/总计 = Σ top-level rows), or the row identity
    first money column = Σ the other money columns."""
    if not cell.get("numeric") or cell.get("value") is None:
        return False, "not a printed number"
    r, c = cell["row"], cell["col"]
    if any(rr == r and cc != c for rr, cc in obscured_rc) or any(cc == c and rr != r for rr, cc in obscured_rc):
        return False, "another obscured cell in its row or column"
    vals = _vals(t, c)
    v = lambda rr: vals.get(rr) or 0.0
    codes = _code_rows(t, c)
    hr = t.get("header_rows", 0)
    total_rows = [rr for rr in sorted(vals) if rr not in codes and re.fullmatch(r"(合计|总计)", _label(t, rr))]
    if codes:
        code = codes.get(r)
        if code and len(code) > 3:
            parent = [rr for rr, k in codes.items() if k == code[:-2]]
            sibs = [rr for rr, k in codes.items() if len(k) == len(code) and k[:-2] == code[:-2]]
            if parent and _exact(v(parent[0]), sum(v(x) for x in sibs), len(sibs)):
                return True, "row %d col %d = parent %s − Σ other %d-digit rows under it" % (r, c, code[:-2], len(code))
        if code:
            kids = [rr for rr, k in codes.items() if len(k) == len(code) + 2 and k.startswith(code)]
            if kids and _exact(v(r), sum(v(x) for x in kids), len(kids)):
                return True, "row %d col %d = Σ rows under code %s" % (r, c, code)
        if total_rows:
            top = [rr for rr, k in codes.items() if len(k) == 3]
            T = total_rows[0]
            if (r == T or r in top) and top and _exact(v(T), sum(v(x) for x in top), len(top)):
                return True, "row %d col %d via 合计 = Σ 类 rows (column %d)" % (r, c, c)
    elif total_rows:
        T = total_rows[-1]
        body = [rr for rr in vals if hr <= rr < T]
        if body and (r == T or r in body) and _exact(v(T), sum(v(x) for x in body), len(body)):
            return True, "row %d col %d via %s = Σ rows above (column %d)" % (r, c, _label(t, T), c)
    # row identity
    rowcells = sorted([x for x in t["cells"] if x["row"] == r and x.get("numeric") and x["col_span"] == 1],
                      key=lambda x: x["col"])
    if len(rowcells) >= 3:
        vs = [x.get("value") or 0.0 for x in rowcells]
        if _exact(vs[0], sum(vs[1:]), len(vs) - 1) and any(x != 0 for x in vs):
            return True, "row %d col %d via first money column = Σ other money columns" % (r, c)
    return False, "no identity verified"


def out_truth_path(out_pdf):
    base = out_pdf[:-4] if out_pdf.lower().endswith(".pdf") else out_pdf
    return base + ".truth.json"

# ------------------------------------------------------------------ driver

def simulate(in_pdf, truth, quality, seed, out_pdf, doc_id=None, log=None):
    """Scan-simulate in_pdf. truth: dict or path. Returns (truth_dict, seconds_per_page)."""
    if isinstance(truth, str):
        truth = json.load(open(truth, encoding="utf-8"))
    rec = LEVELS[quality]
    dpi = rec["dpi"]
    s = dpi / 72.0
    t0 = time.time()
    # seed mixes the quality so that levels differ for one seed
    rng = np.random.default_rng([int(seed), QUALITIES.index(quality), 7919])
    sizes = page_sizes(in_pdf)
    n = len(sizes)
    rotate_pages = {}
    if rec["rotate"] and n >= 1:
        # poor scans: one page turned (not the first of a document with >= 2
        # pages; a one-page document only every other time)
        cand = list(range(2, n + 1)) if n >= 2 else [1]
        p = int(cand[int(rng.integers(0, len(cand)))])
        turn = int(rng.choice([90, 180, 270]))
        if n >= 2 or rng.random() < 0.5:
            rotate_pages[p] = turn
    out = copy.deepcopy(truth)
    for t in out.get("tables", []):
        for c in t["cells"]:
            c["obscured"] = False
    skews, rots, jpegs, psizes = [], [], [], []
    obscured = []
    with tempfile.TemporaryDirectory() as tmp:
        for p in range(1, n + 1):
            rgb = render(in_pdf, p, dpi, tmp, gray=rec["gray"])
            page_tables = [(ti, t) for ti, t in enumerate(out.get("tables", [])) if t.get("page") == p]
            img, skew, alpha, events = simulate_page(rgb, rec, rng, page_tables, dpi)
            if events:
                gray = rgb[:, :, 0] if rgb.shape[2] == 1 else cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)
                for ti, t in page_tables:
                    for c in t["cells"]:
                        ink, area = cell_ink_coverage(gray, alpha, c["bbox_pt"], s)
                        hit = (ink is not None and ink >= 0.2) or (ink is None and area >= 0.5)
                        if not hit:
                            continue
                        c["obscured"] = True
                        targeted = [e for e in events if e["table"] == ti and e["row"] == c["row"]
                                    and e["col"] == c["col"]]
                        if targeted:
                            kind = targeted[0]["kind"]
                        else:   # the event that covers most of the cell
                            def cov(e):
                                ox, oy, a = e["roi"]
                                one = np.zeros_like(alpha)
                                _paste_alpha(one, ox, oy, a)
                                r = cell_ink_coverage(gray, one, c["bbox_pt"], s)
                                return r[0] if r[0] is not None else r[1]
                            kind = max(events, key=cov)["kind"]
                        obscured.append({"table": ti, "row": c["row"], "col": c["col"], "damage": kind,
                                         "coverage": round(ink if ink is not None else area, 3),
                                         "targeted": bool(targeted), "_page": p})
            rot = rotate_pages.get(p, 0)
            if rot:
                img = np.ascontiguousarray(np.rot90(img, k=-(rot // 90)))   # clockwise
            w_pt, h_pt = sizes[p - 1]
            if rot in (90, 270):
                w_pt, h_pt = h_pt, w_pt
            pil = Image.fromarray(img[:, :, 0] if img.shape[2] == 1 else img)
            buf = io.BytesIO()
            pil.save(buf, "JPEG", quality=rec["jpeg"], dpi=(dpi, dpi))
            jpegs.append(buf.getvalue())
            psizes.append((w_pt, h_pt))
            skews.append(round(skew, 3))
            rots.append(rot)
    it = iter(psizes)

    def layout(imgw, imgh, ndpi):
        w_pt, h_pt = next(it)
        return (w_pt, h_pt, w_pt, h_pt)
    os.makedirs(os.path.dirname(os.path.abspath(out_pdf)), exist_ok=True)
    with open(out_pdf, "wb") as f:
        f.write(img2pdf.convert(jpegs, layout_fun=layout, nodate=True, producer="fiscan scan_sim",
                                engine=img2pdf.Engine.internal))
    # obscured list with the recoverable rule
    by_table = {}
    for o in obscured:
        by_table.setdefault(o["table"], set()).add((o["row"], o["col"]))
    for o in obscured:
        t = out["tables"][o["table"]]
        cell = next(c for c in t["cells"] if c["row"] == o["row"] and c["col"] == o["col"])
        ok, by = recoverable(t, cell, by_table[o["table"]])
        o["recoverable"] = ok
        o["by"] = by if ok else None
        if not ok:
            o["why_not"] = by
        del o["_page"]
    obscured.sort(key=lambda o: (o["table"], o["row"], o["col"]))
    out["obscured"] = obscured
    out["quality"] = quality
    out["pdf"] = os.path.basename(out_pdf)
    out["id"] = doc_id or "%s.%s" % (truth.get("id", "doc"), quality)
    out["page_count"] = n
    out["scan"] = {"dpi": dpi, "skew_deg": skews, "rotation": rots, "seed": int(seed), "recipe": quality,
                   "jpeg_quality": rec["jpeg"], "grayscale": rec["gray"],
                   "source_pdf": truth.get("pdf"), "source_id": truth.get("id")}
    with open(out_truth_path(out_pdf), "w", encoding="utf-8") as f:
        f.write(dumps_truth(out))
    secs = (time.time() - t0) / max(1, n)
    return out, secs


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("pdf")
    ap.add_argument("truth")
    ap.add_argument("--quality", required=True, choices=QUALITIES)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("-o", "--out", required=True)
    ap.add_argument("--id")
    a = ap.parse_args()
    truth = json.load(open(a.truth, encoding="utf-8"))
    out, secs = simulate(a.pdf, truth, a.quality, a.seed, a.out, a.id)
    ob = out.get("obscured", [])
    print("%s: %d pages, %.2f s/page, skew %s, rotation %s, %d obscured cells (%d recoverable)" % (
        a.out, out["page_count"], secs, out["scan"]["skew_deg"], out["scan"]["rotation"], len(ob),
        sum(1 for o in ob if o["recoverable"])))


if __name__ == "__main__":
    main()
