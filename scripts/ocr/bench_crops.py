#!/usr/bin/python3
"""Builds the OCR benchmark set: ~300 rendered cell crops with ground truth.

    /usr/bin/python3 scripts/ocr/bench_crops.py [OUT_DIR] [N_STRINGS]
        OUT_DIR    default out/ocr-bench (git-ignored)
        N_STRINGS  default 100; each string is rendered clean@300, typical@300 or
                   typical@200 (alternating) and poor@150 -> 3 x N crops

Strings: amounts and codes from the tab-separated table rows of
shared/seeds/*.txt (plus synthetic amounts with thousands separators and
negatives, which the seeds lack), Chinese subject names from the seeds and
shared/reference/*.csv. Same degradations as shared/docs/ocr-engines-study.md
(scripts/ocr/cellrender.py). Writes OUT_DIR/img/*.png and OUT_DIR/gt.tsv
(file, kind, dpi, quality, text). Then run the C++ bench:

    FISCAN_OCR_BENCH_DIR=out/ocr-bench OMP_THREAD_LIMIT=1 \\
      build-ocr/fiscan_tests --gtest_also_run_disabled_tests --gtest_filter='*DISABLED_OcrBench*'
"""
import csv
import glob
import os
import random
import re
import sys

import cv2

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import cellrender as cr  # noqa: E402

ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SHARED = os.environ.get("FISCAN_SHARED", os.path.normpath(os.path.join(ROOT, "..", "shared")))
if not os.path.isdir(SHARED):
    SHARED = "/work/shared"

AMOUNT = re.compile(r"^-?\d+\.\d{2}$")
CODE = re.compile(r"^(\d{3}|\d{5}|\d{7})$")
CJK = re.compile(r"[\u4e00-\u9fff]")


def harvest():
    amounts, codes, names = set(), set(), set()
    for f in sorted(glob.glob(os.path.join(SHARED, "seeds", "*.txt"))):
        for line in open(f, encoding="utf-8"):
            if "\t" not in line:
                continue
            for cell in line.rstrip("\n").split("\t"):
                c = re.sub(r"</?b>", "", cell).strip()
                if AMOUNT.match(c):
                    amounts.add(c)
                elif CODE.match(c):
                    codes.add(c)
                elif CJK.search(c) and 2 <= len(c) <= 16 and " " not in c:
                    names.add(c)
    for f in sorted(glob.glob(os.path.join(SHARED, "reference", "*.csv"))):
        for row in csv.DictReader(open(f, encoding="utf-8")):
            if row.get("name") and len(row["name"]) <= 16:
                names.add(row["name"])
            if row.get("code") and CODE.match(row["code"]):
                codes.add(row["code"])
    return sorted(amounts), sorted(codes), sorted(names)


def synthetic_amount(rng):
    v = rng.choice([rng.uniform(1000, 99999), rng.uniform(100000, 9999999)])
    s = f"{v:,.2f}"
    return "-" + s if rng.random() < 0.15 else s


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "out", "ocr-bench")
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    rng = random.Random(20261122)
    amounts, codes, names = harvest()
    n_num = int(n * 0.55)
    n_amt_seed = int(n_num * 0.55)
    n_amt_syn = int(n_num * 0.2)
    strings = [("numeric", s) for s in rng.sample(amounts, min(n_amt_seed, len(amounts)))]
    strings += [("numeric", synthetic_amount(rng)) for _ in range(n_amt_syn)]
    strings += [("numeric", s) for s in rng.sample(codes, min(n_num - len(strings), len(codes)))]
    strings += [("text", s) for s in rng.sample(names, min(n - len(strings), len(names)))]
    os.makedirs(os.path.join(out, "img"), exist_ok=True)
    rows = []
    for i, (kind, text) in enumerate(strings):
        font = "uming" if i % 2 == 0 else "noto-serif"
        margin = rng.uniform(0.12, 0.45)
        variants = [("clean", 300), ("typical", 300 if i % 2 == 0 else 200), ("poor", 150)]
        for quality, dpi in variants:
            img = cr.render(text, font, dpi, margin=margin)
            if quality == "typical":
                img = cr.typical(img, rng)
            elif quality == "poor":
                img = cr.poor(img, rng)
            name = f"{i:03d}_{quality}_{dpi}.png"
            cv2.imwrite(os.path.join(out, "img", name), img)
            rows.append((name, kind, str(dpi), quality, text))
    with open(os.path.join(out, "gt.tsv"), "w", encoding="utf-8") as f:
        f.write("file\tkind\tdpi\tquality\ttext\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    kinds = {k: sum(1 for s in strings if s[0] == k) for k in ("numeric", "text")}
    print(f"wrote {len(rows)} crops ({kinds['numeric']} numeric, {kinds['text']} text strings x 3) to {out}")


if __name__ == "__main__":
    main()
