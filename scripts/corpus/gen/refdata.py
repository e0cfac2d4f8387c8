"""Subject-code lists from shared/reference, with year-valid names."""
import csv
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))


def _ref_dir():
    for d in (os.environ.get("FISCAN_REFERENCE"),
              os.path.join(ROOT, "..", "shared", "reference"),
              "/work/shared/reference"):
        if d and os.path.isfile(os.path.join(d, "gov_function_classification.csv")):
            return os.path.abspath(d)
    raise SystemExit("generate: shared/reference not found (set FISCAN_REFERENCE)")


def _years(s):
    m = re.match(r"(\d{4})-(\d{4})", s or "")
    return (int(m.group(1)), int(m.group(2))) if m else (2014, 2030)


def _old_name(note):
    """'2018及以前: X' / '2018及以前名称: X' / '2014-2018名称: X' / '2016-2020: X (renamed 2021)'."""
    out = []
    for m in re.finditer(r"(?:(\d{4})-)?(\d{4})(?:及以前)?(?:名称)?:\s*([^\s(（;,]+)", note or ""):
        last = int(m.group(2))
        name = m.group(3)
        if name in ("only",):
            continue
        out.append((last, name))
    return out


class Code:
    __slots__ = ("code", "name", "level", "parent", "y0", "y1", "old")

    def __init__(self, row):
        self.code = row["code"]
        self.name = row["name"]
        self.level = row["level"]
        self.parent = row["parent"]
        self.y0, self.y1 = _years(row["years"])
        self.old = _old_name(row.get("note", ""))

    def name_for(self, year):
        for last, nm in sorted(self.old):
            if year <= last:
                return nm
        return self.name


class CodeList:
    def __init__(self, fname):
        self.codes = {}
        self.order = []
        with open(os.path.join(_ref_dir(), fname), encoding="utf-8") as f:
            for row in csv.DictReader(f):
                c = Code(row)
                self.codes[c.code] = c
                self.order.append(c.code)

    def get(self, code):
        return self.codes.get(code)

    def name(self, code, year):
        c = self.codes[code]
        return c.name_for(year)

    def valid(self, code, year):
        c = self.codes.get(code)
        if not c:
            return False
        # the list marks most 款/项 "2019-2024" although they existed before;
        # only classes created in 2019+ (224) or limited (234) are excluded.
        if c.level == "类" or c.y0 >= 2020:
            if c.old and year <= c.y1:      # renamed class: existed before under its old name
                return True
            return c.y0 <= year <= c.y1
        if c.parent and c.parent[:3] == "224":
            return year >= 2019
        return year <= c.y1

    def children(self, code):
        return [k for k in self.order if self.codes[k].parent == code]


_FUNC = None
_ECON = None


def func():
    global _FUNC
    if _FUNC is None:
        _FUNC = CodeList("gov_function_classification.csv")
    return _FUNC


def econ():
    global _ECON
    if _ECON is None:
        _ECON = CodeList("dept_economic_classification.csv")
    return _ECON


# Standard 项 pattern shared by most administrative 款 (行政运行 …).
STD_XIANG = [("01", "行政运行"), ("02", "一般行政管理事务"), ("03", "机关服务"), ("50", "事业运行")]


def func_name(code, year):
    """Name of a function code valid for the year; synthesises the standard
    项 (xx01 行政运行, xx02 一般行政管理事务, xx03 机关服务, xx50 事业运行,
    xx99 其他<款>支出) when the list does not carry it."""
    f = func()
    c = f.get(code)
    if c:
        nm = c.name_for(year)
        if code == "2080208" and year <= 2018:
            nm = "基层政权和社区建设"
        return nm
    if len(code) == 7:
        kuan = f.get(code[:5])
        suf = code[5:]
        for s, nm in STD_XIANG:
            if s == suf:
                return nm
        if suf == "99" and kuan:
            kn = kuan.name_for(year)
            return "其他" + kn + ("支出" if not kn.endswith("支出") else "")
    raise KeyError(code)


def econ_name(code, year):
    e = econ().get(code)
    nm = e.name_for(year)
    if code == "30110" and year <= 2019:
        nm = "城镇职工基本医疗保险缴费"
    return nm


def econ_valid(code, year):
    if code == "30311":
        return year >= 2020
    return econ().get(code) is not None
