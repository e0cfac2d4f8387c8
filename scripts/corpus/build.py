#!/usr/bin/python3
"""Evaluation corpus builder.

  build.py OUTDIR [--seed S] [--size ci|small|full|final|damaged] [--no-generated] [--real-dir DIR] [--dry-run]
  build.py OUTDIR --samples            # the committed sample set (corpus/samples)

Gathers born-digital documents -- the real PDFs with their truth
(corpus/real/*.truth.json) and, when scripts/corpus/generate.py exists,
generated documents -- cuts them to selected table pages (pdfseparate /
pdfunite, truth page numbers adjusted), runs the scan simulator over them
for the quality levels of the plan, and writes OUTDIR/manifest.json:

  {"version": 1, "size": "small", "seed": 1, "scanned_pages": 72,
   "documents": [{"id", "pdf", "truth", "quality", "origin", "pages"}, ...]}

(paths relative to OUTDIR). Plans (see corpus/README.md):
  ci     1 real table page: born-digital + clean/typical/poor/damaged scans
         (4 scanned pages) and, if the generator is there, 1 generated table
         page as typical + damaged scan (<= 6 scanned pages in all).
  small  every real PDF cut to 2 table pages, each cut scanned at 2 levels
         (levels rotate over the documents), + 5 generated documents cut to
         2 table pages at 2 levels: ~72 scanned pages.
  full   every real PDF cut to all its table pages, scanned at all 4 levels,
         + 12 generated documents (all pages) at all 4 levels.
  final  the acceptance set of the pipeline issue: every final-account table
         page (schema final.*) of the real PDFs and of the seeds' final
         accounts (002, 003, re-typeset with generate.py --from-seed) as
         born-digital + typical scan (300 dpi, slight skew, noise, JPEG).
  damaged  the recovery acceptance set of the validation issue: 3 successive
         budget / final-account table pages (seeded start) of every real PDF
         and of 6 generated documents, each cut scanned twice at the damaged
         level (ids <cut>.damaged and <cut>.damaged.s2: other blots, stains,
         tears); no born-digital copies.
Deterministic: the same seed and inputs give the same manifest, truth and
image bytes.
"""
import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, HERE)
import scan_sim  # noqa: E402

QUALS = ["clean", "typical", "poor", "damaged"]


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def sub_seed(seed, *parts):
    return zlib.crc32(("%d|" % seed + "|".join(str(p) for p in parts)).encode()) & 0x7FFFFFFF


class Rng:
    """Tiny deterministic chooser (independent of Python's hash seed)."""

    def __init__(self, seed):
        self.s = seed & 0xFFFFFFFF or 1

    def next(self):
        # xorshift32
        x = self.s
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.s = x
        return x

    def randint(self, n):
        return self.next() % n

    def choice(self, seq):
        return seq[self.randint(len(seq))]

# ------------------------------------------------------------------ inputs

def load_real(real_dir):
    docs = []
    if not os.path.isdir(real_dir):
        return docs
    for f in sorted(os.listdir(real_dir)):
        if not f.endswith(".truth.json"):
            continue
        path = os.path.join(real_dir, f)
        t = json.load(open(path, encoding="utf-8"))
        pdf = os.path.normpath(os.path.join(real_dir, t["pdf"]))
        if not os.path.exists(pdf):
            log("build: %s: PDF %s missing, skipped" % (f, pdf))
            continue
        docs.append({"truth": t, "pdf": pdf, "name": f[:-len(".truth.json")]})
    return docs


def generated_docs(d):
    """The documents generate.py wrote into d, with their truth."""
    docs = []
    for f in sorted(os.listdir(d)):
        if f.endswith(".truth.json"):
            t = json.load(open(os.path.join(d, f), encoding="utf-8"))
            pdf = os.path.join(d, t.get("pdf") or f.replace(".truth.json", ".pdf"))
            if os.path.exists(pdf):
                docs.append({"truth": t, "pdf": pdf, "name": t["id"]})
    return docs


def load_seed_finals(outdir, seed):
    """The seeds' final accounts (002, 003) re-typeset from their truth."""
    gen = os.path.join(HERE, "generate.py")
    d = os.path.join(outdir, "_generated")
    os.makedirs(d, exist_ok=True)
    for sid in ("seed002", "seed003"):
        src = os.path.join(ROOT, "corpus", "truth", "seeds", sid + ".truth.json")
        if not os.path.exists(src):
            continue
        r = subprocess.run(["/usr/bin/python3", gen, "--out", d, "--from-seed", src, "--seed", str(seed)],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        if r.returncode != 0:
            log("build: generate.py --from-seed %s failed (%d):\n%s"
                % (sid, r.returncode, r.stderr.decode("utf-8", "replace")[-2000:]))
    return generated_docs(d)


def load_generated(outdir, count, seed):
    gen = os.path.join(HERE, "generate.py")
    if count <= 0 or not os.path.exists(gen):
        return []
    d = os.path.join(outdir, "_generated")
    os.makedirs(d, exist_ok=True)
    r = subprocess.run(["/usr/bin/python3", gen, "--out", d, "--count", str(count), "--seed", str(seed)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if r.returncode != 0:
        log("build: generate.py failed (%d), continuing without generated documents:\n%s"
            % (r.returncode, r.stderr.decode("utf-8", "replace")[-2000:]))
        return []
    return generated_docs(d)

# ------------------------------------------------------------------ cutting

def table_pages(truth, with_schema=True):
    ps = sorted({t["page"] for t in truth.get("tables", []) if t.get("page")
                 and (t.get("schema") or not with_schema)})
    return ps or sorted({t["page"] for t in truth.get("tables", []) if t.get("page")})


def cut_truth(truth, pages, new_id, pdf_name):
    """Truth of the document made of `pages` (1-based, in order)."""
    pmap = {p: i + 1 for i, p in enumerate(pages)}
    out = copy.deepcopy(truth)
    keep = [i for i, t in enumerate(truth.get("tables", [])) if t.get("page") in pmap]
    tmap = {old: new for new, old in enumerate(keep)}
    tables = []
    for old in keep:
        t = copy.deepcopy(truth["tables"][old])
        t["page"] = pmap[t["page"]]
        t["continues"] = tmap.get(t.get("continues")) if t.get("continues") is not None else None
        tables.append(t)
    out["tables"] = tables
    out["narrative"] = [dict(n, page=pmap[n["page"]]) for n in truth.get("narrative", [])
                        if n.get("page") in pmap]
    incs = []
    for inc in truth.get("inconsistencies", []):
        tb = inc.get("table")
        if inc.get("page") is not None:
            if inc["page"] not in pmap:
                continue
            inc = dict(inc, page=pmap[inc["page"]])
        elif not narrative_kept(truth, inc, pmap):
            continue    # its narrative text is on a page the cut leaves out: nothing on the kept pages shows it
        if tb is None or tb in tmap:
            inc = copy.deepcopy(inc)
            if tb is not None:
                inc["table"] = tmap[tb]
            if isinstance(inc.get("related"), list):
                # [table, row, col] of the other side; sides on pages cut away are dropped
                inc["related"] = [[tmap[x[0]]] + list(x[1:]) for x in inc["related"]
                                  if isinstance(x, list) and len(x) == 3 and x[0] in tmap]
            for k in ("tables",):
                if isinstance(inc.get(k), list):
                    if not all(x in tmap for x in inc[k]):
                        break
                    inc[k] = [tmap[x] for x in inc[k]]
            else:
                incs.append(inc)
    out["inconsistencies"] = incs
    out["obscured"] = [dict(o, table=tmap[o["table"]]) for o in truth.get("obscured", []) if o["table"] in tmap]
    out["page_count"] = len(pages)
    if truth.get("page_sizes_pt"):
        out["page_sizes_pt"] = [truth["page_sizes_pt"][p - 1] for p in pages]
        out["page_size_pt"] = out["page_sizes_pt"][0]
    out["id"] = new_id
    out["pdf"] = pdf_name
    out["source"] = {"id": truth.get("id"), "pages": list(pages)}
    return out


def _squash(s):
    return re.sub(r"\s+", "", s or "")


def narrative_kept(truth, inc, pmap):
    """Whether the narrative text a narrative inconsistency quotes is on a kept
    page. Seed inconsistencies carry {"narrative": {"quote"}} (no page): the
    pages whose narrative lines contain the quote (white space ignored) hold
    it. Not a narrative inconsistency, or no quote to look for: kept."""
    if "narrative" not in (inc.get("kind") or ""):
        return True
    quote = _squash((inc.get("narrative") or {}).get("quote"))
    if not quote:
        return True
    pages = {n.get("page") for n in truth.get("narrative", []) if quote in _squash(n.get("text"))}
    if not pages:
        # the quote may run over a page break: look in the text of all pages joined
        return True
    return any(p in pmap for p in pages)


def cut_pdf(pdf, pages, out_pdf):
    with tempfile.TemporaryDirectory() as tmp:
        parts = []
        for p in pages:
            f = os.path.join(tmp, "p%04d.pdf" % p)
            subprocess.run(["pdfseparate", "-f", str(p), "-l", str(p), pdf, f], check=True,
                           stderr=subprocess.DEVNULL)
            parts.append(f)
        if len(parts) == 1:
            shutil.copyfile(parts[0], out_pdf)
        else:
            subprocess.run(["pdfunite"] + parts + [out_pdf], check=True, stderr=subprocess.DEVNULL)
    fix_pdf_id(out_pdf, "%s|%s" % (os.path.basename(pdf), ",".join(map(str, pages))))


def fix_pdf_id(path, key):
    """Poppler writes a random /ID into the files it makes: replace it by one
    derived from key, so that the corpus is byte-for-byte deterministic. Only
    an /ID at or after the last cross-reference section is touched (nothing
    after it is referenced by offset)."""
    import hashlib
    import re
    data = open(path, "rb").read()
    m = list(re.finditer(rb"startxref\s+(\d+)", data))
    if not m:
        return
    start = int(m[-1].group(1))
    h = hashlib.md5(key.encode()).hexdigest().encode()
    pat = re.compile(rb"/ID\s*\[\s*(?:<[0-9A-Fa-f]*>|\((?:\\.|[^\\)])*\))\s*(?:<[0-9A-Fa-f]*>|\((?:\\.|[^\\)])*\))\s*\]",
                     re.S)
    ids = [x for x in pat.finditer(data) if x.start() >= start]
    if not ids:
        return
    x = ids[-1]
    data = data[:x.start()] + b"/ID [<" + h + b"><" + h + b">]" + data[x.end():]
    open(path, "wb").write(data)


def page_tag(pages):
    runs, s = [], None
    for i, p in enumerate(pages):
        if s is None:
            s = p
        if i + 1 == len(pages) or pages[i + 1] != p + 1:
            runs.append("%d" % s if s == p else "%d-%d" % (s, p))
            s = None
    return "p" + "_".join(runs)


def choose_pages(doc, n, rng):
    """n table pages of doc: a run of consecutive table pages from a seeded start
    (keeps continued tables together)."""
    tp = table_pages(doc["truth"])
    if n is None or n >= len(tp):
        return tp
    start = rng.randint(len(tp) - n + 1)
    return tp[start:start + n]

# ------------------------------------------------------------------ plan

def make_plan(size, real, gen, seed):
    """-> list of (doc, pages, [qualities], include_born_digital)."""
    rng = Rng(sub_seed(seed, "plan", size))
    plan = []
    if size == "ci":
        def nvals(d, p):
            return sum(1 for t in d["truth"]["tables"] if t["page"] == p
                       for c in t["cells"] if c.get("value") not in (None, 0, 0.0))

        def ncells(d, p):
            return sum(len(t["cells"]) for t in d["truth"]["tables"] if t["page"] == p)
        if real:
            # a small table page with at least 8 non-zero numbers, of a seeded real document
            d = real[rng.randint(len(real))]
            tp = table_pages(d["truth"])
            good = [p for p in tp if nvals(d, p) >= 8] or tp
            plan.append((d, [min(good, key=lambda p: (ncells(d, p), p))], QUALS, True))
        if gen:
            d = gen[0]
            tp = table_pages(d["truth"])
            good = [p for p in tp if nvals(d, p) >= 8] or tp
            plan.append((d, [good[rng.randint(len(good))]], ["typical", "damaged"], True))
    elif size == "small":
        k = rng.randint(4)
        for i, d in enumerate(real):
            pages = choose_pages(d, 2, rng)
            qs = [QUALS[(k + 2 * i) % 4], QUALS[(k + 2 * i + 1) % 4]]
            plan.append((d, pages, qs, True))
        for i, d in enumerate(gen):
            pages = choose_pages(d, 2, rng)
            qs = [QUALS[(k + 2 * i + 1) % 4], QUALS[(k + 2 * i + 2) % 4]]
            plan.append((d, pages, qs, True))
    elif size == "final":
        for d in real + gen:
            tp = sorted({t["page"] for t in d["truth"].get("tables", [])
                         if (t.get("schema") or "").startswith("final.")})
            if tp:
                plan.append((d, tp, ["typical"], True))
    elif size == "damaged":
        # recovery acceptance set: budget and final-account table pages of
        # every real PDF and of generated documents, each cut scanned at the
        # damaged level with DAMAGED_SEEDS different damage draws
        for d in real + gen:
            tp = [p for p in table_pages(d["truth"])
                  if any((t.get("schema") or "").startswith(("final.", "budget."))
                         for t in d["truth"]["tables"] if t.get("page") == p)]
            if not tp:
                continue
            n = DAMAGED_PAGES
            start = rng.randint(max(1, len(tp) - n + 1))
            plan.append((d, tp[start:start + n], ["damaged"] * DAMAGED_SEEDS, False))
    else:   # full
        for d in real:
            plan.append((d, table_pages(d["truth"], with_schema=False), QUALS, True))
        for d in gen:
            plan.append((d, list(range(1, d["truth"]["page_count"] + 1)), QUALS, True))
    return plan


GEN_COUNT = {"ci": 1, "small": 5, "full": 12, "final": 0, "damaged": 6}
DAMAGED_PAGES = 3   # table pages per document in the damaged plan (a seeded run)
DAMAGED_SEEDS = 2   # damaged scans of each cut, with different damage


def build(outdir, size="small", seed=1, real_dir=None, generated=True, dry_run=False):
    t0 = time.time()
    real_dir = real_dir or os.path.join(ROOT, "corpus", "real")
    os.makedirs(outdir, exist_ok=True)
    real = load_real(real_dir)
    if size == "final":
        gen = load_seed_finals(outdir, seed) if generated else []
    else:
        gen = load_generated(outdir, GEN_COUNT[size], seed) if generated else []
    log("build: %d real, %d generated documents" % (len(real), len(gen)))
    plan = make_plan(size, real, gen, seed)
    if dry_run:
        n = 0
        for d, pages, quals, _bd in plan:
            print("%-45s pages %-30s %s" % (d["truth"]["id"], page_tag(pages), ",".join(quals)))
            n += len(pages) * len(quals)
        print("%d documents, %d scanned pages" % (len(plan), n))
        shutil.rmtree(os.path.join(outdir, "_generated"), ignore_errors=True)
        return None
    docs, sim_secs, sim_pages = [], 0.0, 0
    for d, pages, quals, with_bd in plan:
        origin = d["truth"].get("origin", "real")
        base = d["truth"]["id"]
        if not base.startswith(("real-", "gen")) and origin == "real":
            base = "real-" + base
        full_doc = pages == list(range(1, d["truth"]["page_count"] + 1))
        bid = base if full_doc else "%s.%s" % (base, page_tag(pages))
        src_pdf = os.path.join(outdir, bid + ".pdf")
        if full_doc:
            shutil.copyfile(d["pdf"], src_pdf)
        else:
            cut_pdf(d["pdf"], pages, src_pdf)
        truth = cut_truth(d["truth"], pages, bid, os.path.basename(src_pdf))
        truth["quality"] = "born-digital"
        with open(os.path.join(outdir, bid + ".truth.json"), "w", encoding="utf-8") as f:
            f.write(scan_sim.dumps_truth(truth))
        if with_bd:
            docs.append({"id": bid, "pdf": bid + ".pdf", "truth": bid + ".truth.json",
                         "quality": "born-digital", "origin": origin, "pages": len(pages)})
        for qi, q in enumerate(quals):
            # the same level more than once: further scans get .s2, .s3, …
            sid = "%s.%s" % (bid, q) + (".s%d" % (quals[:qi].count(q) + 1) if q in quals[:qi] else "")
            out_pdf = os.path.join(outdir, sid + ".pdf")
            st, secs = scan_sim.simulate(src_pdf, truth, q, sub_seed(seed, sid), out_pdf, doc_id=sid)
            sim_secs += secs * len(pages)
            sim_pages += len(pages)
            docs.append({"id": sid, "pdf": sid + ".pdf", "truth": sid + ".truth.json",
                         "quality": q, "origin": origin, "pages": len(pages)})
            ob = st.get("obscured", [])
            log("build: %-60s %2d p  %.2f s/p%s" % (sid, len(pages), secs,
                "  obscured %d (recoverable %d)" % (len(ob), sum(1 for o in ob if o["recoverable"]))
                if q == "damaged" else ""))
        if not with_bd:
            os.unlink(src_pdf)
            os.unlink(os.path.join(outdir, bid + ".truth.json"))
    gdir = os.path.join(outdir, "_generated")
    if os.path.isdir(gdir):
        shutil.rmtree(gdir)
    manifest = {"version": 1, "size": size, "seed": seed,
                "scanned_pages": sim_pages,
                "documents": docs}
    with open(os.path.join(outdir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    log("build: %d documents, %d scanned pages, %.2f s/page simulation, %.0f s total -> %s"
        % (len(docs), sim_pages, sim_secs / max(1, sim_pages), time.time() - t0,
           os.path.join(outdir, "manifest.json")))
    return manifest


# The committed sample set (corpus/samples): two final-account table pages
# of a real PDF (收入决算表, 一般公共预算财政拨款支出决算表) as
# born-digital, typical scan and damaged scan.
SAMPLES = [
    {"id": "sample-final", "source": "putuo-finance-2024-final", "pages": [8, 15],
     "qualities": ["typical", "damaged"]},
]


def build_samples(outdir, seed=1, real_dir=None):
    real_dir = real_dir or os.path.join(ROOT, "corpus", "real")
    os.makedirs(outdir, exist_ok=True)
    real = {d["name"]: d for d in load_real(real_dir)}
    docs = []
    for smp in SAMPLES:
        d = real[smp["source"]]
        bid = smp["id"]
        src_pdf = os.path.join(outdir, bid + ".pdf")
        cut_pdf(d["pdf"], smp["pages"], src_pdf)
        truth = cut_truth(d["truth"], smp["pages"], bid, os.path.basename(src_pdf))
        with open(os.path.join(outdir, bid + ".truth.json"), "w", encoding="utf-8") as f:
            f.write(scan_sim.dumps_truth(truth))
        docs.append({"id": bid, "pdf": bid + ".pdf", "truth": bid + ".truth.json",
                     "quality": "born-digital", "origin": "real", "pages": len(smp["pages"])})
        for q in smp["qualities"]:
            sid = "%s.%s" % (bid, q)
            st, secs = scan_sim.simulate(src_pdf, truth, q, sub_seed(seed, sid), os.path.join(outdir, sid + ".pdf"),
                                         doc_id=sid)
            docs.append({"id": sid, "pdf": sid + ".pdf", "truth": sid + ".truth.json",
                         "quality": q, "origin": "real", "pages": len(smp["pages"])})
            log("samples: %s %.2f s/page, obscured %d" % (sid, secs, len(st.get("obscured", []))))
    manifest = {"version": 1, "size": "samples", "seed": seed,
                "scanned_pages": sum(x["pages"] for x in docs if x["quality"] != "born-digital"),
                "documents": docs}
    with open(os.path.join(outdir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, ensure_ascii=False, indent=1)
    return manifest


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size", choices=["ci", "small", "full", "final", "damaged"], default="small")
    ap.add_argument("--real-dir")
    ap.add_argument("--no-generated", action="store_true")
    ap.add_argument("--samples", action="store_true", help="write the committed sample set into OUTDIR")
    ap.add_argument("--dry-run", action="store_true", help="print the plan only")
    a = ap.parse_args()
    if a.samples:
        build_samples(a.outdir, a.seed, a.real_dir)
        return
    build(a.outdir, a.size, a.seed, a.real_dir, not a.no_generated, a.dry_run)


if __name__ == "__main__":
    main()
