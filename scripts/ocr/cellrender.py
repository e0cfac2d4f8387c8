#!/usr/bin/python3
"""Renders table-cell crops the way a scanned disclosure shows them.

Shared by tests/data/ocr/make_fixtures.py (committed fixtures) and
scripts/ocr/bench_crops.py (the benchmark set). Debian python3-pil/numpy/opencv
only; deterministic for a given random.Random.
"""
import io
import math

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_FILES = {
    "uming": ("/usr/share/fonts/truetype/arphic/uming.ttc", "AR PL UMing CN"),
    "noto-serif": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", "Noto Serif CJK SC"),
}
_font_cache = {}


def font(name, px):
    key = (name, px)
    if key not in _font_cache:
        path, family = FONT_FILES[name]
        for idx in range(16):
            try:
                f = ImageFont.truetype(path, px, index=idx)
            except OSError:
                break
            if f.getname()[0] == family:
                _font_cache[key] = f
                break
        else:
            _font_cache[key] = ImageFont.truetype(path, px, index=0)
        _font_cache.setdefault(key, ImageFont.truetype(path, px, index=0))
    return _font_cache[key]


def em_px(dpi, pt=10.5):
    return int(round(pt / 72.0 * dpi))


def render(text, font_name, dpi, margin=0.25, lines=None, ink=20, paper=255):
    """Tight cell crop: text with `margin` × em of white around it.
    `lines` (list of strings) renders several lines, one under the other."""
    px = em_px(dpi)
    f = font(font_name, px)
    rows = lines or [text]
    boxes = [f.getbbox(r) for r in rows]
    w = max(b[2] - b[0] for b in boxes)
    lh = int(px * 1.35)
    m = max(2, int(round(margin * px)))
    h = lh * (len(rows) - 1) + (boxes[-1][3] - min(b[1] for b in boxes))
    img = Image.new("L", (w + 2 * m, h + 2 * m), paper)
    d = ImageDraw.Draw(img)
    top = min(b[1] for b in boxes)
    for i, r in enumerate(rows):
        d.text((m - boxes[i][0], m - top + i * lh), r, font=f, fill=ink)
    return np.array(img)


def add_edge_line(a, edge, thickness=2, offset=0, value=30, length=1.0, start=0.0):
    """A piece of a grid rule along one edge ('left','right','top','bottom')."""
    a = a.copy()
    h, w = a.shape
    if edge in ("left", "right"):
        y0, y1 = int(start * h), int(min(1.0, start + length) * h)
        x0 = offset if edge == "left" else w - offset - thickness
        a[y0:y1, max(0, x0):max(0, x0) + thickness] = value
    else:
        x0, x1 = int(start * w), int(min(1.0, start + length) * w)
        y0 = offset if edge == "top" else h - offset - thickness
        a[max(0, y0):max(0, y0) + thickness, x0:x1] = value
    return a


def skew(a, deg, paper=255):
    h, w = a.shape
    M = cv2.getRotationMatrix2D((w / 2, h / 2), deg, 1.0)
    return cv2.warpAffine(a, M, (w, h), flags=cv2.INTER_LINEAR, borderValue=paper)


def jpeg(a, q):
    buf = io.BytesIO()
    Image.fromarray(a).save(buf, "JPEG", quality=q)
    return np.array(Image.open(io.BytesIO(buf.getvalue())).convert("L"))


def typical(a, rng, edge=True):
    """±0.35° skew, ±1 px shift, blur σ 0.4–0.9, grey paper, noise σ 7, JPEG 55–65,
    a 1–2 px rule fragment at one edge."""
    a = skew(a, rng.uniform(-0.35, 0.35))
    a = np.roll(a, (rng.randint(-1, 1), rng.randint(-1, 1)), axis=(0, 1))
    if edge:
        a = add_edge_line(a, rng.choice(["left", "right", "top", "bottom"]), rng.randint(1, 2),
                          rng.randint(0, 1), value=rng.randint(20, 70))
    f = a.astype(np.float32)
    f = cv2.GaussianBlur(f, (0, 0), rng.uniform(0.4, 0.9))
    paper = rng.uniform(225, 245)
    f = f * (paper / 255.0)
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    f += nrng.normal(0, 7, f.shape)
    return jpeg(np.clip(f, 0, 255).astype(np.uint8), rng.randint(55, 65))


def poor(a, rng, edge=True):
    """Faded strokes (fade 0.45–0.8 field, 12% drop-out), blur, noise σ 16, JPEG 40–50,
    and a rule fragment."""
    h, w = a.shape
    if edge:
        a = add_edge_line(a, rng.choice(["left", "right", "top", "bottom"]), rng.randint(1, 2),
                          rng.randint(0, 1), value=rng.randint(20, 70))
    nrng = np.random.default_rng(rng.randint(0, 2**31))
    ink = (255.0 - a.astype(np.float32)) / 255.0
    field = cv2.resize(nrng.uniform(0.45, 0.8, (3, max(2, w // 40))).astype(np.float32), (w, h),
                       interpolation=cv2.INTER_CUBIC)
    drop = nrng.random((h, w)) < 0.12
    ink = ink * np.clip(field, 0.3, 1.0)
    ink[drop] *= 0.3
    f = 255.0 - ink * 255.0
    f = cv2.GaussianBlur(f, (0, 0), rng.uniform(0.6, 1.0))
    paper = rng.uniform(215, 240)
    f = f * (paper / 255.0)
    f += nrng.normal(0, 16, f.shape)
    return jpeg(np.clip(f, 0, 255).astype(np.uint8), rng.randint(40, 50))


def blot(a, rng, grey=False, frac=0.5):
    """An ink blot (very dark) or a stain (mid grey) covering `frac` of the crop."""
    a = a.astype(np.float32).copy()
    h, w = a.shape
    mask = np.zeros((h, w), np.uint8)
    cx, cy = int(w * rng.uniform(0.35, 0.65)), int(h * rng.uniform(0.4, 0.6))
    rx, ry = int(w * math.sqrt(frac) * 0.6), int(h * math.sqrt(frac) * 0.75)
    cv2.ellipse(mask, (cx, cy), (max(3, rx), max(3, ry)), rng.uniform(0, 30), 0, 360, 255, -1)
    level = rng.uniform(120, 160) if grey else rng.uniform(10, 40)
    m = mask > 0
    a[m] = np.minimum(a[m], level) if not grey else a[m] * (level / 255.0)
    return np.clip(a, 0, 255).astype(np.uint8)
