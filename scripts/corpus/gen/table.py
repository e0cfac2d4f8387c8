"""Logical tables (grid, spans, roles) and money formatting.

Money is carried as integer cents (分 of 万元, i.e. 0.01 万元) everywhere, so
every sum is exact; the printed text is derived by a per-document Fmt.
"""


class Fmt:
    def __init__(self, trim=False, thousands=False, zero="blank"):
        self.trim = trim            # 669.7 instead of 669.70
        self.thousands = thousands  # 1,234.56
        self.zero = zero            # "blank" | "0.00" | "0"

    def text(self, cents, zero=None):
        if cents is None:
            return ""
        zero = zero or self.zero
        if cents == 0:
            if zero == "blank":
                return ""
            if zero == "0":
                return "0"
            return "0.00"
        neg = cents < 0
        c = abs(cents)
        ip, fp = divmod(c, 100)
        s = "{:,}".format(ip) if self.thousands else str(ip)
        f = "%02d" % fp
        if self.trim:
            f = f.rstrip("0")
        s = s + ("." + f if f else "")
        return ("-" if neg else "") + s


def parse_value(text):
    t = text.replace(",", "").replace(" ", "")
    if t == "":
        return None
    try:
        return round(float(t), 2)
    except ValueError:
        return None


class LTable:
    """A table before layout.

    header: list of dicts {row, col, rs, cs, text}; header_rows counts the
    栏次 row. body: list of rows; a row is a list of dicts
    {col, cs, text, cents, numeric, align, role} covering every column.
    """

    def __init__(self, schema, title, numbering, ncols, widths):
        self.schema = schema
        self.title = title
        self.numbering = numbering
        self.ncols = ncols
        self.widths = widths
        self.header = []
        self.header_rows = 0
        self.body = []
        self.unit = "万元"
        self.org = ""
        self.ruling = "full"
        self.notes = []
        self.landscape = False
        self.split_after = None
        self.repeat_header = True
        self.cont_label = None     # e.g. "续表" printed above a continuation
        self.font_size = 8.5
        self.org_label = "部门："
        self.unit_label = "单位："
        self.meta_layout = "org_left_unit_right"
        self.title_before_number = True
        self.empty_note = None      # sentence printed below an empty table

    def h(self, row, col, text, rs=1, cs=1):
        self.header.append(dict(row=row, col=col, rs=rs, cs=cs, text=text))
        self.header_rows = max(self.header_rows, row + rs)

    def add_row(self, cells):
        """cells: list of dicts with col (optional, sequential), cs, text/cents."""
        row = []
        col = 0
        for c in cells:
            c = dict(c)
            c.setdefault("col", col)
            c.setdefault("cs", 1)
            c.setdefault("numeric", "cents" in c)
            c.setdefault("role", "")
            c.setdefault("align", "right" if c["numeric"] else "left")
            c.setdefault("text", None)
            c.setdefault("cents", None)
            c.setdefault("indent", 0)
            col = c["col"] + c["cs"]
            row.append(c)
        if col != self.ncols:
            raise ValueError("%s: row covers %d of %d columns: %r" % (self.schema, col, self.ncols, cells))
        self.body.append(row)
        return row

    def finalize_text(self, fmt):
        for row in self.body:
            for c in row:
                if c["text"] is None:
                    if c["numeric"]:
                        c["text"] = fmt.text(c["cents"], c.get("zero"))
                    else:
                        c["text"] = ""

    def check_header(self):
        grid = [[0] * self.ncols for _ in range(self.header_rows)]
        for c in self.header:
            for r in range(c["row"], c["row"] + c["rs"]):
                for k in range(c["col"], c["col"] + c["cs"]):
                    grid[r][k] += 1
        bad = [(r, k) for r in range(self.header_rows) for k in range(self.ncols) if grid[r][k] != 1]
        if bad:
            raise ValueError("%s header coverage %r" % (self.schema, bad))


def T(text, **kw):
    d = dict(text=text, numeric=False)
    d.update(kw)
    return d


def N(cents, **kw):
    d = dict(cents=cents, numeric=True)
    d.update(kw)
    return d


def L(text, **kw):
    """栏次/行次 label: not numeric, centred."""
    d = dict(text=text, numeric=False, align="center")
    d.update(kw)
    return d


CN_NUM = "一二三四五六七八九十"


def cn_ordinal(i):
    """1 -> 一, 11 -> 十一, 21 -> 二十一"""
    if i <= 10:
        return CN_NUM[i - 1]
    if i < 20:
        return "十" + CN_NUM[i - 11]
    t, u = divmod(i, 10)
    return CN_NUM[t - 1] + "十" + (CN_NUM[u - 1] if u else "")


def pct(a, b):
    if not b:
        return "0.00"
    return "%.2f" % (100.0 * a / b)
