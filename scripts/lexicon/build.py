#!/usr/bin/python3
"""Builds models/lexicon/*.csv from the reference lists and the codes seen in
the seeds and the real PDFs (via `pdftotext -layout`). Reproducible: same
inputs, same output (rows sorted by code, then year range).

usage: scripts/lexicon/build.py [--shared /work/shared] [--out models/lexicon]

Output columns: code,name,level,parent,year_from,year_to,verified,source
year_to empty = still in use. A code may have several rows (a name per year
range, e.g. 210 医疗卫生与计划生育支出 ≤2018, 卫生健康支出 2019-).
"""
import argparse
import csv
import glob
import os
import re
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

SYSTEMS = {
    "function": "gov_function_classification.csv",
    "dept_economic": "dept_economic_classification.csv",
    "gov_economic": "gov_economic_classification.csv",
    "revenue": "revenue_classification.csv",
}
LEVELS = {3: "类", 5: "款", 7: "项"}


def years(s):
    m = re.match(r"(\d{4})\s*-\s*(\d{4})?", s or "")
    if not m:
        return "", ""
    return m.group(1), m.group(2) or ""


def clean_name(n):
    n = re.sub(r"\s+", "", n)
    n = n.replace("(", "（").replace(")", "）")
    return n


def system_of(code):
    if code[0] == "2":
        return "function"
    if code[0] == "3":
        return "dept_economic"
    if code[0] == "5":
        return "gov_economic"
    if code[0] == "1":
        return "revenue"
    return None


def observed_rows(text, year, source):
    """(code, name) pairs printed as `201 06 01 name` / `20106 name` / seed TSV."""
    out = []
    for line in text.splitlines():
        line = line.replace("\t", "   ")
        m = re.match(r"^\s*(\d{3})(?:\s{1,6}(\d{2}))?(?:\s{1,6}(\d{2}))?\s+([\u4e00-\u9fff][^\s\d]*)", line)
        if m:
            code = m.group(1) + (m.group(2) or "") + (m.group(3) or "")
        else:
            m = re.match(r"^\s*(\d{3}|\d{5}|\d{7})\s+([\u4e00-\u9fff][^\s\d]*)", line)
            if not m:
                continue
            code = m.group(1)
        name = clean_name(m.group(m.lastindex))
        if len(name) < 2 or system_of(code) is None:
            continue
        # drop the qualifier some units append: 行政运行（政府办公厅（室）及相关机构事务）
        out.append((code, name, year, source))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared"))
    ap.add_argument("--out", default=os.path.join(ROOT, "models", "lexicon"))
    a = ap.parse_args()
    rows = {s: {} for s in SYSTEMS}  # system -> (code, name) -> dict

    def add(system, code, name, level, parent, y0, y1, verified, source):
        key = (code, name)
        r = rows[system].get(key)
        if r is None:
            rows[system][key] = dict(code=code, name=name, level=level, parent=parent, year_from=y0, year_to=y1,
                                     verified=verified, source=source)
            return
        if y0 and (not r["year_from"] or int(y0) < int(r["year_from"])):
            r["year_from"] = y0
        if r["year_to"] and (not y1 or int(y1) > int(r["year_to"])):
            r["year_to"] = y1
        if verified == "yes":
            r["verified"] = "yes"
        if source not in r["source"].split(";"):
            r["source"] = r["source"] + ";" + source

    for system, fn in SYSTEMS.items():
        with open(os.path.join(a.shared, "reference", fn), encoding="utf-8") as f:
            for r in csv.DictReader(f):
                y0, y1 = years(r["years"])
                if y1 == "2024":
                    y1 = ""  # lists end where the sources end; still in use
                add(system, r["code"], clean_name(r["name"]), r["level"], r["parent"], y0, y1, r["verified"], "reference")
                # renames recorded in the note: "2018及以前名称: X" / "2014-2018名称: X" / "2018及以前: X"
                m = re.search(r"(?:2018及以前(?:名称)?|\d{4}-2018名称)\s*[:：]\s*([^\s(（;]+)|uses older name\s+(\S+)",
                              r.get("note") or "")
                if m:
                    add(system, r["code"], clean_name(m.group(1) or m.group(2)), r["level"], r["parent"], "2014", "2018",
                        "no", "reference-note")

    sources = []
    for p in sorted(glob.glob(os.path.join(a.shared, "seeds", "*.txt"))):
        txt = open(p, encoding="utf-8").read()
        m = re.search(r"(20\d\d)\s*年", txt)
        sources.append((os.path.basename(p), txt, m.group(1) if m else ""))
    for p in sorted(glob.glob(os.path.join(a.shared, "real", "*.pdf"))):
        if "altered" in p:
            continue  # carries deliberately introduced errors
        try:
            txt = subprocess.run(["pdftotext", "-layout", p, "-"], capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            continue
        m = re.search(r"(20\d\d)", os.path.basename(p))
        sources.append((os.path.basename(p), txt, m.group(1) if m else ""))

    for src, txt, year in sources:
        for code, name, y, s in observed_rows(txt, year, src):
            system = system_of(code)
            if system is None:
                continue
            if system == "dept_economic" and len(code) == 7:
                continue
            level = LEVELS.get(len(code), "")
            if not level or (system != "function" and len(code) == 7):
                continue
            parent = code[:-2] if len(code) > 3 else ""
            known = [r for (c, _), r in rows[system].items() if c == code]
            # a name the reference gives to another code of the same level is a
            # keying error on the page (seed 000 prints 民政管理事务 under 201 02)
            if len(code) <= 5 and any(c != code and len(c) == len(code) and n == name and r["source"].startswith("reference")
                   for (c, n), r in rows[system].items()):
                continue
            # a code the reference lists keeps the reference names: a page that names
            # it differently (a unit's own wording, a line-wrapped name, a keying
            # error) only adds its source when it prints the listed name
            ref_names = [r["name"] for r in known if "reference" in r["source"]]
            if ref_names and name not in ref_names:
                continue
            # a name seen on a real page with a code: verified for that year
            # first use of a code only seen on pages is unknown: year_from stays empty
            add(system, code, name, level, parent, known[0]["year_from"] if known else "",
                known[0]["year_to"] if known else "", "yes", "seen:" + s + (":" + y if y else ""))

    # names cut by a line wrap on the page ("…及相关机构事") are prefixes of the full name
    for system in SYSTEMS:
        for (c, n) in list(rows[system]):
            if any(c2 == c and n2 != n and n2.startswith(n) for (c2, n2) in rows[system]):
                del rows[system][(c, n)]

    os.makedirs(a.out, exist_ok=True)
    for system in SYSTEMS:
        out = os.path.join(a.out, system + ".csv")
        with open(out, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["code", "name", "level", "parent", "year_from", "year_to", "verified", "source"])
            for r in sorted(rows[system].values(), key=lambda r: (r["code"], r["year_from"], r["name"])):
                w.writerow([r["code"], r["name"], r["level"], r["parent"], r["year_from"], r["year_to"], r["verified"],
                            r["source"]])
        print(system, len(rows[system]), "rows ->", out)


if __name__ == "__main__":
    main()
