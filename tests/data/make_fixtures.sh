#!/usr/bin/env bash
# Regenerates the stage fixtures in tests/data/{pdf,image,layout} from the
# real PDFs (../shared/real) and the project's own generator and scan
# simulator. Deterministic; run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/../.."
REAL=../shared/real
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# pdf/: a text-layer page cut from a real PDF (收入决算表, ONLYOFFICE), and broken inputs.
pdfseparate -f 8 -l 8 "$REAL/putuo-finance-2024-final.pdf" tests/data/pdf/real-final02-p8.pdf
printf 'This is a plain text file, not a PDF.\n' > tests/data/pdf/not-a-pdf.pdf
head -c 4000 tests/data/pdf/real-final02-p8.pdf > tests/data/pdf/truncated.pdf
qpdf --encrypt secret secret 256 -- tests/data/pdf/real-final02-p8.pdf tests/data/pdf/encrypted.pdf
/usr/bin/python3 - <<'PY'
# A syntactically valid PDF whose page tree is empty.
objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
out = bytearray(b"%PDF-1.4\n")
offs = []
for i, o in enumerate(objs, 1):
    offs.append(len(out))
    out += b"%d 0 obj\n" % i + o + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
for o in offs:
    out += b"%010d 00000 n \n" % o
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
open("tests/data/pdf/zero-pages.pdf", "wb").write(bytes(out))
PY

# A generated final-account document (seed 5) and its typical scan.
/usr/bin/python3 scripts/corpus/generate.py --out "$T" --count 2 --seed 5 --kinds final >/dev/null
DOC=$T/gen-final-s5-0002
# layout/: born-digital renders at 200 dpi of a merged-header table (公开02表,
# page 5) and a partially ruled table (公开04表, page 8), with their truth.
pdftoppm -r 200 -gray -f 5 -l 5 -png "$DOC.pdf" "$T/p5"
pdftoppm -r 200 -gray -f 8 -l 8 -png "$DOC.pdf" "$T/p8"
cp "$T"/p5*.png tests/data/layout/merged-header-200dpi.png
cp "$T"/p8*.png tests/data/layout/partial-ruling-200dpi.png
/usr/bin/python3 - "$DOC.truth.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
keep = {}
for t in d["tables"]:
    if t["page"] == 5 and t["schema"] == "final.02": keep["merged-header"] = t
    if t["page"] == 8 and t["schema"] == "final.04": keep["partial-ruling"] = t
for name, t in keep.items():
    json.dump({k: t[k] for k in ("schema", "n_rows", "n_cols", "header_rows", "ruling", "bbox_pt", "cells")},
              open(f"tests/data/layout/{name}.truth.json", "w"), ensure_ascii=False)
PY

# image/: a skewed scan page. The typical scan of page 5, then turned by a
# known extra angle so the test knows the answer.
/usr/bin/python3 scripts/corpus/scan_sim.py "$DOC.pdf" "$DOC.truth.json" --quality clean --seed 11 -o "$T/clean.pdf" >/dev/null
pdftoppm -r 150 -gray -f 5 -l 5 -png "$T/clean.pdf" "$T/c5"
/usr/bin/python3 - "$T"/c5*.png "$T/clean.truth.json" <<'PY'
import cv2, json, sys
img = cv2.imread(sys.argv[1], 0)
skew = json.load(open(sys.argv[2]))["scan"]["skew_deg"][4]
extra = 2.5
h, w = img.shape
m = cv2.getRotationMatrix2D((w / 2, h / 2), extra, 1.0)
out = cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)
cv2.imwrite("tests/data/image/skewed-page-150dpi.jpg", out, [cv2.IMWRITE_JPEG_QUALITY, 80])
json.dump({"dpi": 150, "content_ccw_deg": extra + skew}, open("tests/data/image/skewed-page-150dpi.json", "w"))
PY
ls -la tests/data/pdf tests/data/image tests/data/layout

# image/: a scanned final-account page printed upside down (the committed
# typical sample's first page turned by 180°, 150 dpi, JPEG in a PDF).
pdftoppm -r 150 -gray -f 1 -l 1 -png corpus/samples/sample-final.typical.pdf "$T/up"
/usr/bin/python3 - "$T"/up*.png <<'PY'
import cv2, img2pdf, sys
img = cv2.rotate(cv2.imread(sys.argv[1], 0), cv2.ROTATE_180)
ok, jpg = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, 80])
layout = img2pdf.get_fixed_dpi_layout_fun((150, 150))
open("tests/data/image/upside-down-final02.pdf", "wb").write(img2pdf.convert(jpg.tobytes(), layout_fun=layout))
PY

# image/poor-upside-down-150dpi.jpg: a poor 150-dpi scan printed upside down
# (the scan simulator turned page 2 of gen-budget-hn-s1-0005.p8-9.poor by 180°),
# its lower half, grayscale. Needs `scripts/corpus-build corpus/build/small --size small`.
pdfimages -f 2 -l 2 -j corpus/build/small/gen-budget-hn-s1-0005.p8-9.poor.pdf "$T/pp"
/usr/bin/python3 - "$T"/pp-000.jpg <<'PY'
import cv2, sys
img = cv2.imread(sys.argv[1], 0)
cv2.imwrite("tests/data/image/poor-upside-down-150dpi.jpg", img[img.shape[0] // 2:], [cv2.IMWRITE_JPEG_QUALITY, 75])
PY
