"""Builders shared by the final-account and budget documents."""
from . import refdata as R
from .table import LTable, T, N, L
from .unit import hierarchy


def prefix_sum(items, code, fn):
    return sum(fn(it) for it in items if it.startswith(code))


def code_header(t, split, col0, row0, nrows, code_label="功能分类科目编码", name_label="科目名称",
                group_label="项目", group_split_label="科目编码"):
    """Header cells for the code/name columns starting at header row row0,
    occupying nrows header rows (栏次 excluded). Returns number of code columns."""
    if split:
        # 项目 / 科目编码(类 款 项) / 科目名称
        if nrows >= 3:
            t.h(row0, col0, group_label, cs=4)
            t.h(row0 + 1, col0, group_split_label, cs=3, rs=nrows - 2)
            t.h(row0 + nrows - 1, col0, "类")
            t.h(row0 + nrows - 1, col0 + 1, "款")
            t.h(row0 + nrows - 1, col0 + 2, "项")
            t.h(row0 + 1, col0 + 3, name_label, rs=nrows - 1)
        else:
            t.h(row0, col0, group_split_label, cs=3, rs=nrows - 1)
            t.h(row0 + nrows - 1, col0, "类")
            t.h(row0 + nrows - 1, col0 + 1, "款")
            t.h(row0 + nrows - 1, col0 + 2, "项")
            t.h(row0, col0 + 3, name_label, rs=nrows)
        return 3
    if nrows >= 2:
        t.h(row0, col0, group_label, cs=2, rs=nrows - 1)
        t.h(row0 + nrows - 1, col0, code_label)
        t.h(row0 + nrows - 1, col0 + 1, name_label)
    else:
        t.h(row0, col0, code_label)
        t.h(row0, col0 + 1, name_label)
    return 1


def code_cells(code, split):
    if not split:
        return [T(code, role="code")]
    k = code[3:5] if len(code) >= 5 else ""
    x = code[5:7] if len(code) >= 7 else ""
    return [T(code[:3], role="code", align="center"), T(k, role="code", align="center"),
            T(x, role="code", align="center")]


def code_rows(t, items, year, split, fns, hier=True, total_label="合计", name_fn=None,
              total_first=True, indent=False, total_name_col=False, extra_total_row=None):
    """Body rows keyed by function codes. fns: list of functions item->cents,
    one per numeric column; the first one is treated as the row-total column
    when rowtotal_col is set on t."""
    ncode = 3 if split else 1
    name_fn = name_fn or (lambda c: R.func_name(c, year))
    rows = hierarchy(items) if hier else [(it, 3) for it in sorted(items)]
    rt = getattr(t, "rowtotal_cols", ())

    def nums(code, role):
        out = []
        for k, fn in enumerate(fns):
            v = prefix_sum(items, code, fn) if code else sum(fn(it) for it in items)
            r = role
            if role == "leaf" and k in rt:
                r = "rowtotal"
            out.append(N(v, role=r))
        return out

    def total_row():
        if total_name_col:
            cells = [T("", role="code")] * 0
            cells = [T("") for _ in range(ncode)] + [T(total_label, role="label", align="center")]
        else:
            cells = [T(total_label, cs=ncode + 1, role="label", align="center")]
        t.add_row(cells + nums("", "total"))

    if total_first:
        total_row()
    for code, lv in rows:
        role = "leaf" if lv == 3 else "subtotal"
        ind = (lv - 1) if indent else 0
        t.add_row(code_cells(code, split) + [T(name_fn(code), indent=ind)] + nums(code, role))
    if not total_first:
        total_row()


def lanci_row(t, ncode, labels, label_text="栏次", label_col_span=None):
    """栏次 row as the last header row: label spanning the code/name columns, then 1..n."""
    r = t.header_rows
    cs = label_col_span if label_col_span is not None else ncode + 1
    t.h(r, 0, label_text, cs=cs)
    for k, s in enumerate(labels):
        t.h(r, cs + k, s)
