#!/usr/bin/python3
"""Writes layouts/<id>.json, the table schemas of the schema stage.

The JSON files are the data the extractor loads; this script is only the
compact source they were written from (python3 scripts/layouts/gen.py [outdir]).
Editing a JSON file by hand is fine; re-running the script overwrites it.
Format: docs/schemas.md.
"""
import json
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "layouts")

F_CODE = "科目编码|功能分类科目编码|支出功能分类科目编码|功能科目编码|功能分类科目|功能科目|编码"
E_CODE = "经济分类科目编码|部门经济科目编码|经济科目代码|经济科目编码|经济分类科目|经济科目|科目编码|编码"
NAME = "科目名称|功能分类科目名称|经济分类科目名称|经济科目名称|部门经济科目名称|功能科目名称|名称"


def code(system, labels=None):
    return {"field": "code", "role": "code", "path": [labels or (F_CODE if system == "function" else E_CODE)]}


def name():
    return {"field": "name", "role": "name", "path": [NAME]}


def num(field, path=None, col_no=None, optional=False):
    c = {"field": field, "role": "value", "path": path or [field]}
    if col_no is not None:
        c["col_no"] = col_no
    if optional:
        c["optional"] = True
    return c


def label(lbl="项目|项 目|科目|科目名称"):
    return {"field": "label", "role": "label", "path": [lbl]}


def line_no():
    return {"field": "line_no", "role": "line_no", "path": ["行次|栏次"]}


def hier(fields=("*",), over="code"):
    return {"id": "hierarchy", "kind": "hierarchy", "over": over, "fields": list(fields), "total_row": "合计"}


def row_sum(target, terms, iid=None, minus=None):
    d = {"id": iid or ("row_" + target), "kind": "row_sum", "target": target, "terms": terms}
    if minus:
        d["minus"] = minus
    return d


def ssum(iid, target, terms, minus=None, **kw):
    d = {"id": iid, "kind": "sum", "target": target, "terms": terms}
    if minus:
        d["minus"] = minus
    d.update(kw)
    return d


def equal(iid, left, right, **kw):
    d = {"id": iid, "kind": "equal", "left": left, "right": right}
    d.update(kw)
    return d


def cross(iid, left, right, **kw):
    d = {"id": iid, "kind": "cross", "left": left, "right": right}
    d.update(kw)
    return d


def fr(key, labels, side=None, years=None, after=None, code=None):
    d = {"key": key, "labels": labels if isinstance(labels, list) else [labels]}
    if side:
        d["side"] = side
    if years:
        d["years"] = years
    if after:
        d["after"] = after
    if code:
        d["code"] = code
    return d


TABLES = []


def T(**kw):
    kw.setdefault("years", "")
    kw.setdefault("layout", {})
    kw.setdefault("fixed_rows", [])
    kw.setdefault("identities", [])
    TABLES.append(kw)


# --------------------------------------------------------------- final.*
FINAL01_INCOME = [
    fr("一般公共预算财政拨款收入", ["一般公共预算财政拨款收入", "一般公共预算财政拨款"], "income", "2019-"),
    fr("政府性基金预算财政拨款收入", ["政府性基金预算财政拨款收入", "政府性基金预算财政拨款"], "income", "2019-"),
    fr("国有资本经营预算财政拨款收入", ["国有资本经营预算财政拨款收入", "国有资本经营预算财政拨款"], "income", "2019-"),
    fr("财政拨款收入", ["财政拨款收入"], "income", "-2018"),
    fr("上级补助收入", "上级补助收入", "income"),
    fr("事业收入", "事业收入", "income"),
    fr("经营收入", "经营收入", "income"),
    fr("附属单位上缴收入", "附属单位上缴收入", "income"),
    fr("其他收入", "其他收入", "income"),
    fr("本年收入合计", "本年收入合计", "income"),
    fr("使用非财政拨款结余", ["使用非财政拨款结余", "使用非财政拨款结余（含专用结余）", "使用非财政拨款结余(含专用结余)"], "income", "2019-"),
    fr("用事业基金弥补收支差额", "用事业基金弥补收支差额", "income", "-2018"),
    fr("年初结转和结余", "年初结转和结余", "income"),
    fr("总计", ["总计", "收入总计"], "income"),
]
FINAL01_EXPENSE = [
    fr("本年支出合计", "本年支出合计", "expense"),
    fr("结余分配", "结余分配", "expense"),
    fr("年末结转和结余", "年末结转和结余", "expense"),
    fr("总计", ["总计", "支出总计"], "expense"),
]
T(id="final.01", kind="final", family="final",
  titles=["收入支出决算总表", "部门收支决算总表", "收支决算总表"],
  numbering=["公开01表", "财决公开01表", "表一", "一"],
  years="2016-",
  row_key={"kind": "label", "class_lines": "function"},
  layout={"sides": ["income", "expense"], "side_titles": {"income": "收入", "expense": "支出"}},
  sides={
      "income": [label(), line_no(), num("决算数", ["决算数|金额|本年数"], 1)],
      "expense": [label(), line_no(), num("决算数", ["决算数|金额|本年数"], 2)],
  },
  fixed_rows=FINAL01_INCOME + FINAL01_EXPENSE,
  identities=[
      ssum("income_total", "income.本年收入合计/决算数",
           ["income.一般公共预算财政拨款收入", "income.政府性基金预算财政拨款收入", "income.国有资本经营预算财政拨款收入",
            "income.上级补助收入", "income.事业收入", "income.经营收入", "income.附属单位上缴收入", "income.其他收入"],
           years="2019-"),
      ssum("income_total_2018", "income.本年收入合计",
           ["income.财政拨款收入", "income.上级补助收入", "income.事业收入", "income.经营收入", "income.附属单位上缴收入",
            "income.其他收入"], years="-2018"),
      ssum("expense_total", "expense.本年支出合计", ["expense.class:*"]),
      ssum("income_grand", "income.总计", ["income.本年收入合计", "income.使用非财政拨款结余", "income.用事业基金弥补收支差额",
                                          "income.年初结转和结余"]),
      ssum("expense_grand", "expense.总计", ["expense.本年支出合计", "expense.结余分配", "expense.年末结转和结余"]),
      equal("balance", "income.总计", "expense.总计"),
      cross("x_income", "final.01:income.本年收入合计", "final.02:合计/本年收入合计"),
      cross("x_expense", "final.01:expense.本年支出合计", "final.03:合计/本年支出合计"),
      cross("x_class", "final.01:expense.class:*", "final.03:class:*/本年支出合计"),
  ])

T(id="final.02", kind="final", family="final",
  titles=["收入决算表", "部门收入决算表"],
  numbering=["公开02表", "财决公开02表", "表二", "二"], years="2016-",
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"]},
  columns=[code("function"), name(),
           num("本年收入合计", ["本年收入合计|合计"], 1), num("财政拨款收入", None, 2), num("上级补助收入", None, 3),
           num("事业收入", None, 4), num("经营收入", None, 5), num("附属单位上缴收入", None, 6), num("其他收入", None, 7)],
  identities=[hier(),
              row_sum("本年收入合计", ["财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]),
              cross("x_final01", "final.02:合计/本年收入合计", "final.01:income.本年收入合计"),
              cross("x_final04", "final.02:合计/财政拨款收入", "final.04:income.本年收入合计")])

T(id="final.03", kind="final", family="final",
  titles=["支出决算表", "部门支出决算表"],
  numbering=["公开03表", "财决公开03表", "表三", "三"], years="2016-",
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"]},
  columns=[code("function"), name(),
           num("本年支出合计", ["本年支出合计|合计"], 1), num("基本支出", None, 2), num("项目支出", None, 3),
           num("上缴上级支出", None, 4), num("经营支出", None, 5), num("对附属单位补助支出", None, 6)],
  identities=[hier(),
              row_sum("本年支出合计", ["基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]),
              cross("x_final01", "final.03:合计/本年支出合计", "final.01:expense.本年支出合计"),
              {"id": "x_final05_basic", "kind": "cross", "op": ">=", "left": "final.03:合计/基本支出",
               "right": "final.05:合计/基本支出"}])

FINAL04_INCOME = [
    fr("一般公共预算财政拨款", ["一般公共预算财政拨款", "一般公共预算财政拨款收入"], "income"),
    fr("政府性基金预算财政拨款", ["政府性基金预算财政拨款", "政府性基金预算财政拨款收入"], "income"),
    fr("国有资本经营预算财政拨款", ["国有资本经营预算财政拨款", "国有资本经营预算财政拨款收入"], "income", "2019-"),
    fr("本年收入合计", "本年收入合计", "income"),
    fr("年初财政拨款结转和结余", "年初财政拨款结转和结余", "income"),
    fr("年初财政拨款结转和结余.一般公共预算财政拨款", "一般公共预算财政拨款", "income", after="年初财政拨款结转和结余"),
    fr("年初财政拨款结转和结余.政府性基金预算财政拨款", "政府性基金预算财政拨款", "income", after="年初财政拨款结转和结余"),
    fr("年初财政拨款结转和结余.国有资本经营预算财政拨款", "国有资本经营预算财政拨款", "income", after="年初财政拨款结转和结余"),
    fr("总计", ["总计", "收入总计"], "income"),
]
FINAL04_EXPENSE = [
    fr("本年支出合计", "本年支出合计", "expense"),
    fr("年末财政拨款结转和结余", "年末财政拨款结转和结余", "expense"),
    fr("总计", ["总计", "支出总计"], "expense"),
]
T(id="final.04", kind="final", family="final",
  titles=["财政拨款收入支出决算总表", "财政拨款收支决算总表"],
  numbering=["公开04表", "财决公开04表", "表四", "四"], years="2016-",
  row_key={"kind": "label", "class_lines": "function"},
  layout={"sides": ["income", "expense"], "side_titles": {"income": "收入", "expense": "支出"}},
  sides={
      "income": [label(), line_no(), num("决算数", ["决算数|金额"], 1)],
      "expense": [label(), line_no(), num("合计", ["合计"], 2), num("一般公共预算财政拨款", ["一般公共预算财政拨款|一般公共预算"], 3),
                  num("政府性基金预算财政拨款", ["政府性基金预算财政拨款|政府性基金预算"], 4),
                  num("国有资本经营预算财政拨款", ["国有资本经营预算财政拨款|国有资本经营预算"], 5, optional=True)],
  },
  fixed_rows=FINAL04_INCOME + FINAL04_EXPENSE,
  variants=[{"years": "-2018", "note": "only two funding columns; no 国有资本经营 line"}],
  identities=[
      ssum("income_total", "income.本年收入合计", ["income.一般公共预算财政拨款", "income.政府性基金预算财政拨款",
                                                  "income.国有资本经营预算财政拨款"]),
      ssum("carry_in", "income.年初财政拨款结转和结余",
           ["income.年初财政拨款结转和结余.一般公共预算财政拨款", "income.年初财政拨款结转和结余.政府性基金预算财政拨款",
            "income.年初财政拨款结转和结余.国有资本经营预算财政拨款"]),
      ssum("income_grand", "income.总计", ["income.本年收入合计", "income.年初财政拨款结转和结余"]),
      {"id": "expense_row", "kind": "row_sum", "side": "expense", "target": "合计",
       "terms": ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]},
      ssum("expense_total", "expense.本年支出合计/*", ["expense.class:*/*"]),
      ssum("expense_grand", "expense.总计/*", ["expense.本年支出合计/*", "expense.年末财政拨款结转和结余/*"]),
      equal("balance", "income.总计", "expense.总计/合计"),
      cross("x_final05", "final.04:expense.本年支出合计/一般公共预算财政拨款", "final.05:合计/小计"),
      cross("x_final08", "final.04:expense.本年支出合计/政府性基金预算财政拨款", "final.08:合计/本年支出.小计"),
      cross("x_final09", "final.04:expense.本年支出合计/国有资本经营预算财政拨款", "final.09:合计/本年支出.合计"),
      cross("x_final05_class", "final.04:expense.class:*/一般公共预算财政拨款", "final.05:class:*/小计"),
  ])

T(id="final.05", kind="final", family="final",
  titles=["一般公共预算财政拨款支出决算表", "一般公共预算支出决算表"],
  numbering=["公开05表", "财决公开05表", "表五", "五"], years="2016-",
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"]},
  columns=[code("function"), name(),
           num("小计", ["本年支出", "小计|合计"], 1), num("基本支出", ["本年支出", "基本支出"], 2),
           num("项目支出", ["本年支出", "项目支出"], 3)],
  identities=[hier(), row_sum("小计", ["基本支出", "项目支出"]),
              cross("x_final06", "final.05:合计/基本支出", "final.06:人员经费合计 + final.06:公用经费合计")])

T(id="final.06", kind="final", family="final",
  titles=["一般公共预算财政拨款基本支出决算表", "基本支出决算表"],
  numbering=["公开06表", "财决公开06表", "表六", "六"], years="2016-",
  row_key={"kind": "code", "system": "dept_economic"},
  layout={"panels": "repeat", "code_split": ["类", "款"],
          "note": "2019+: three side-by-side panels (Shanghai 2024: two); 2018: panels headed 人员经费 | 公用经费"},
  columns=[code("dept_economic"), name(), num("决算数", ["决算数|金额"])],
  fixed_rows=[fr("人员经费合计", "人员经费合计"), fr("公用经费合计", "公用经费合计")],
  identities=[hier(over="code"),
              ssum("personnel", "人员经费合计", ["301", "303"]),
              ssum("public", "公用经费合计", ["302", "307", "309", "310", "312", "399"]),
              cross("x_final05", "final.06:人员经费合计 + final.06:公用经费合计", "final.05:合计/基本支出")])

SANGONG = [("合计", "合计"), ("因公出国（境）费", "因公出国（境）费|因公出国(境)费|因公出国（境）费用"),
           ("公务用车购置及运行费.小计", "公务用车购置及运行费>小计"),
           ("公务用车购置及运行费.公务用车购置费", "公务用车购置及运行费>公务用车购置费|购置费"),
           ("公务用车购置及运行费.公务用车运行费", "公务用车购置及运行费>公务用车运行费|运行费|公务用车运行维护费"),
           ("公务接待费", "公务接待费")]


def sangong_cols(blocks, start=1):
    cols = []
    n = start
    for b in blocks:
        for f, p in SANGONG:
            path = ([b] if b else []) + p.split(">")
            cols.append(num((b + "." if b else "") + f, path, n))
            n += 1
    return cols


def sangong_ids(blocks):
    ids = []
    for b in blocks:
        p = (b + ".") if b else ""
        ids.append(row_sum(p + "合计", [p + "因公出国（境）费", p + "公务用车购置及运行费.小计", p + "公务接待费"], "sum_" + (b or "total")))
        ids.append(row_sum(p + "公务用车购置及运行费.小计",
                           [p + "公务用车购置及运行费.公务用车购置费", p + "公务用车购置及运行费.公务用车运行费"], "car_" + (b or "total")))
    return ids


T(id="final.07", kind="final", family="final",
  titles=["一般公共预算财政拨款“三公”经费支出决算表", "财政拨款“三公”经费支出决算表", "“三公”经费支出决算表"],
  numbering=["公开07表", "财决公开07表", "表七", "七"], years="2016-",
  row_key={"kind": "single"},
  layout={"note": "预算数 and 决算数 either as two blocks or interleaved per item (Shanghai 2024); header paths decide"},
  columns=sangong_cols(["预算数", "决算数"]),
  identities=sangong_ids(["预算数", "决算数"]) + [
      {"id": "x_final06_reception", "kind": "cross", "op": ">=", "left": "final.07:row/决算数.公务接待费", "right": "final.06:30217"},
      {"id": "x_final06_car", "kind": "cross", "op": ">=", "left": "final.07:row/决算数.公务用车购置及运行费.公务用车运行费",
       "right": "final.06:30231"}])

T(id="final.08", kind="final", family="final",
  titles=["政府性基金预算财政拨款收入支出决算表", "政府性基金决算表", "政府性基金预算财政拨款支出决算表"],
  numbering=["公开08表", "财决公开08表", "表八", "八"], years="2016-",
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"]},
  columns=[code("function"), name(), num("年初结转和结余", None, 1), num("本年收入", None, 2),
           num("本年支出.小计", ["本年支出", "小计|合计"], 3), num("本年支出.基本支出", ["本年支出", "基本支出"], 4),
           num("本年支出.项目支出", ["本年支出", "项目支出"], 5), num("年末结转和结余", None, 6)],
  identities=[hier(), row_sum("本年支出.小计", ["本年支出.基本支出", "本年支出.项目支出"]),
              row_sum("年末结转和结余", ["年初结转和结余", "本年收入"], "carry", minus=["本年支出.小计"])])

T(id="final.09", kind="final", family="final",
  titles=["国有资本经营预算财政拨款支出决算表", "国有资本经营预算财政拨款收入支出决算表", "国有资本经营支出决算表"],
  numbering=["公开09表", "表九", "九"], years="2019-",
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"],
          "note": "Shanghai 2024 prints the 收入支出 form with the final.08 columns"},
  columns=[code("function"), name(),
           num("年初结转和结余", None, None, True), num("本年收入", None, None, True),
           num("本年支出.合计", ["本年支出", "合计|小计"], 1), num("本年支出.基本支出", ["本年支出", "基本支出"], 2),
           num("本年支出.项目支出", ["本年支出", "项目支出"], 3), num("年末结转和结余", None, None, True)],
  identities=[hier(), row_sum("本年支出.合计", ["本年支出.基本支出", "本年支出.项目支出"])])

# --------------------------------------------------------------- budget.std.*
STD01_INCOME = [
    fr("一般公共预算拨款收入", ["一般公共预算拨款收入", "一般公共预算拨款", "一般公共预算"], "income"),
    fr("政府性基金预算拨款收入", ["政府性基金预算拨款收入", "政府性基金预算拨款", "政府性基金预算"], "income"),
    fr("国有资本经营预算拨款收入", ["国有资本经营预算拨款收入", "国有资本经营预算拨款", "国有资本经营预算"], "income"),
    fr("财政专户管理资金收入", ["财政专户管理资金收入", "财政专户管理资金"], "income"),
    fr("事业收入", "事业收入", "income"),
    fr("事业单位经营收入", "事业单位经营收入", "income"),
    fr("上级补助收入", "上级补助收入", "income"),
    fr("附属单位上缴收入", "附属单位上缴收入", "income"),
    fr("其他收入", "其他收入", "income"),
    fr("本年收入合计", ["本年收入合计", "收入合计"], "income"),
    fr("上年结转结余", ["上年结转结余", "上年结转", "上年结转结余收入"], "income"),
    fr("收入总计", ["收入总计", "总计"], "income"),
]
STD01_EXPENSE = [
    fr("本年支出合计", ["本年支出合计", "支出合计"], "expense"),
    fr("结转下年", ["结转下年", "年末结转和结余"], "expense"),
    fr("支出总计", ["支出总计", "总计"], "expense"),
]
T(id="budget.std.01", kind="budget", family="budget.std",
  titles=["部门收支总表", "收支总表", "部门收支预算总表"],
  numbering=["表1", "表一", "附表1", "一", "1"], years="2017-",
  row_key={"kind": "label", "class_lines": "function"},
  layout={"sides": ["income", "expense"], "side_titles": {"income": "收入", "expense": "支出"}},
  sides={"income": [label(), num("预算数", ["预算数|本年预算|金额"])],
         "expense": [label(), num("预算数", ["预算数|本年预算|金额"])]},
  fixed_rows=STD01_INCOME + STD01_EXPENSE,
  identities=[ssum("income_total", "income.本年收入合计", ["income.一般公共预算拨款收入", "income.政府性基金预算拨款收入",
                                                          "income.国有资本经营预算拨款收入", "income.财政专户管理资金收入",
                                                          "income.事业收入", "income.事业单位经营收入", "income.上级补助收入",
                                                          "income.附属单位上缴收入", "income.其他收入"]),
              ssum("expense_total", "expense.本年支出合计", ["expense.class:*"]),
              equal("balance", "income.收入总计", "expense.支出总计")])

T(id="budget.std.02", kind="budget", family="budget.std",
  titles=["部门收入总表", "收入总表", "部门收入预算表"],
  numbering=["表2", "表二", "附表2", "二", "2"], years="2017-",
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"]},
  columns=[code("function"), name(), num("合计", ["合计|总计"]), num("上年结转结余", ["上年结转结余|上年结转"], optional=True),
           num("一般公共预算拨款收入", ["一般公共预算拨款收入|一般公共预算拨款"]),
           num("政府性基金预算拨款收入", ["政府性基金预算拨款收入|政府性基金预算拨款"]),
           num("国有资本经营预算拨款收入", ["国有资本经营预算拨款收入|国有资本经营预算拨款"], optional=True),
           num("财政专户管理资金收入", ["财政专户管理资金收入|财政专户管理资金"], optional=True),
           num("事业收入", optional=True), num("事业单位经营收入", optional=True), num("上级补助收入", optional=True),
           num("附属单位上缴收入", optional=True), num("其他收入", optional=True)],
  identities=[hier(), row_sum("合计", ["上年结转结余", "一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入",
                                       "财政专户管理资金收入", "事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入"])])

T(id="budget.std.03", kind="budget", family="budget.std",
  titles=["部门支出总表", "支出总表", "部门支出预算表"],
  numbering=["表3", "表三", "附表3", "三", "3"], years="2017-",
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"]},
  columns=[code("function"), name(), num("合计", ["合计|总计"]), num("基本支出"), num("项目支出"),
           num("上缴上级支出", optional=True), num("事业单位经营支出", optional=True), num("对附属单位补助支出", optional=True)],
  identities=[hier(), row_sum("合计", ["基本支出", "项目支出", "上缴上级支出", "事业单位经营支出", "对附属单位补助支出"]),
              cross("x_std01", "budget.std.03:合计/合计", "budget.std.01:expense.本年支出合计")])

T(id="budget.std.04", kind="budget", family="budget.std",
  titles=["财政拨款收支总表", "财政拨款收支预算总表"],
  numbering=["表4", "表四", "附表4", "四", "4"], years="2017-",
  row_key={"kind": "label", "class_lines": "function"},
  layout={"sides": ["income", "expense"], "side_titles": {"income": "收入", "expense": "支出"}},
  sides={"income": [label(), num("预算数", ["预算数|本年预算|金额"])],
         "expense": [label(), num("合计"), num("一般公共预算"), num("政府性基金预算"), num("国有资本经营预算", optional=True)]},
  fixed_rows=[fr("一般公共预算", ["一般公共预算", "一般公共预算拨款", "一般公共预算拨款收入"], "income"),
              fr("政府性基金预算", ["政府性基金预算", "政府性基金预算拨款", "政府性基金预算拨款收入"], "income"),
              fr("国有资本经营预算", ["国有资本经营预算", "国有资本经营预算拨款", "国有资本经营预算拨款收入"], "income"),
              fr("本年收入合计", "本年收入合计", "income"), fr("上年结转", ["上年结转", "上年结转结余"], "income"),
              fr("收入总计", ["收入总计", "总计"], "income"),
              fr("本年支出合计", "本年支出合计", "expense"), fr("结转下年", "结转下年", "expense"),
              fr("支出总计", ["支出总计", "总计"], "expense")],
  identities=[{"id": "expense_row", "kind": "row_sum", "side": "expense", "target": "合计",
               "terms": ["一般公共预算", "政府性基金预算", "国有资本经营预算"]},
              equal("balance", "income.收入总计", "expense.支出总计/合计"),
              cross("x_std05", "budget.std.04:expense.本年支出合计/一般公共预算", "budget.std.05:合计/合计")])

T(id="budget.std.05", kind="budget", family="budget.std",
  titles=["一般公共预算支出表", "一般公共预算支出预算表", "一般公共预算支出情况表"],
  numbering=["表5", "表五", "附表5", "五", "5"], years="2017-",
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"]},
  columns=[code("function"), name(), num("合计", ["合计|总计"]), num("基本支出.小计", ["基本支出", "小计|合计"]),
           num("基本支出.人员经费", ["基本支出", "人员经费"]), num("基本支出.公用经费", ["基本支出", "公用经费"]), num("项目支出")],
  identities=[hier(), row_sum("合计", ["基本支出.小计", "项目支出"]),
              row_sum("基本支出.小计", ["基本支出.人员经费", "基本支出.公用经费"])])

T(id="budget.std.06", kind="budget", family="budget.std",
  titles=["一般公共预算基本支出表", "一般公共预算基本支出明细表（按经济分类）", "一般公共预算基本支出预算表"],
  numbering=["表6", "表六", "附表6", "六", "6"], years="2017-",
  row_key={"kind": "code", "system": "dept_economic"},
  layout={"code_split": ["类", "款"]},
  columns=[code("dept_economic"), name(), num("合计", ["合计|总计"]), num("人员经费"), num("公用经费")],
  identities=[hier(), row_sum("合计", ["人员经费", "公用经费"])])

T(id="budget.std.07", kind="budget", family="budget.std",
  titles=["一般公共预算“三公”经费支出表", "“三公”经费支出预算表", "财政拨款“三公”经费支出表"],
  numbering=["表7", "表七", "附表7", "七", "7"], years="2017-",
  row_key={"kind": "single"},
  layout={"note": "often 上年预算 and 本年预算 blocks"},
  columns=sangong_cols(["上年预算", "本年预算"]) + sangong_cols([""]),
  identities=sangong_ids([""]))
# single-block columns are the plain names; make the block ones optional
for c in TABLES[-1]["columns"]:
    c["optional"] = True

T(id="budget.std.08", kind="budget", family="budget.std",
  titles=["政府性基金预算支出表", "政府性基金预算支出预算表"],
  numbering=["表8", "表八", "附表8", "八", "8"], years="2017-",
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"]},
  columns=[code("function"), name(), num("合计", ["本年政府性基金预算支出|政府性基金预算支出", "合计|小计"]),
           num("基本支出"), num("项目支出")],
  identities=[hier(), row_sum("合计", ["基本支出", "项目支出"])])

T(id="budget.std.09", kind="budget", family="budget.std",
  titles=["国有资本经营预算支出表", "国有资本经营预算预算支出表"],
  numbering=["表9", "表九", "附表9", "九", "9"], years="2017-",
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"]},
  columns=[code("function"), name(), num("合计", ["本年国有资本经营预算支出|国有资本经营预算支出", "合计|小计"]),
           num("基本支出"), num("项目支出")],
  identities=[hier(), row_sum("合计", ["基本支出", "项目支出"])])

T(id="budget.std.10", kind="budget", family="budget.std",
  titles=["一般公共预算项目支出表", "项目支出表", "项目支出预算表"],
  numbering=["表10", "表十", "附表10", "十", "10"], years="2017-",
  row_key={"kind": "label"},
  columns=[{"field": "name", "role": "label", "path": ["项目名称"]},
           {"field": "unit", "role": "text", "path": ["项目单位|单位名称"], "optional": True},
           code("function", "科目编码|功能分类科目编码"),
           num("合计", ["合计|总计"]), num("一般公共预算", optional=True), num("政府性基金预算", optional=True),
           num("国有资本经营预算", optional=True)],
  identities=[row_sum("合计", ["一般公共预算", "政府性基金预算", "国有资本经营预算"])])

# --------------------------------------------------------------- budget.sh.* (Shanghai 9-table set)
SH_YEAR = "2023-"
T(id="budget.sh.01", kind="budget", family="budget.sh",
  titles=["部门财务收支预算总表", "预算单位财务收支预算总表", "单位财务收支预算总表", "财务收支预算总表"],
  numbering=["1"], years=SH_YEAR,
  row_key={"kind": "label", "class_lines": "function"},
  layout={"sides": ["income", "expense"], "side_titles": {"income": "本年收入", "expense": "本年支出"}},
  sides={"income": [label(), num("预算数")], "expense": [label(), num("预算数")]},
  fixed_rows=[fr("财政拨款收入", "财政拨款收入", "income"),
              fr("财政拨款收入.一般公共预算", ["一般公共预算"], "income", after="财政拨款收入"),
              fr("财政拨款收入.政府性基金预算", ["政府性基金预算"], "income", after="财政拨款收入"),
              fr("财政拨款收入.国有资本经营预算", ["国有资本经营预算"], "income", after="财政拨款收入"),
              fr("事业收入", "事业收入", "income"), fr("事业单位经营收入", "事业单位经营收入", "income"),
              fr("其他收入", "其他收入", "income"), fr("收入总计", ["收入总计", "总计"], "income"),
              fr("支出总计", ["支出总计", "总计"], "expense")],
  identities=[ssum("fiscal", "income.财政拨款收入", ["income.财政拨款收入.一般公共预算", "income.财政拨款收入.政府性基金预算",
                                                    "income.财政拨款收入.国有资本经营预算"]),
              ssum("income_total", "income.收入总计", ["income.财政拨款收入", "income.事业收入", "income.事业单位经营收入",
                                                      "income.其他收入"]),
              ssum("expense_total", "expense.支出总计", ["expense.class:*"]),
              equal("balance", "income.收入总计", "expense.支出总计"),
              cross("x_sh02", "budget.sh.01:income.收入总计", "budget.sh.02:合计/合计"),
              cross("x_sh03", "budget.sh.01:expense.支出总计", "budget.sh.03:合计/合计")])

T(id="budget.sh.02", kind="budget", family="budget.sh",
  titles=["部门收入预算总表", "预算单位收入预算总表", "单位收入预算总表", "收入预算总表"],
  numbering=["2"], years=SH_YEAR,
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"]},
  columns=[code("function"), name(), num("合计", ["收入预算", "合计"]), num("财政拨款收入"), num("事业收入"),
           num("事业单位经营收入"), num("其他收入")],
  identities=[hier(), row_sum("合计", ["财政拨款收入", "事业收入", "事业单位经营收入", "其他收入"])])

T(id="budget.sh.03", kind="budget", family="budget.sh",
  titles=["部门支出预算总表", "预算单位支出预算总表", "单位支出预算总表", "支出预算总表"],
  numbering=["3"], years=SH_YEAR,
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"]},
  columns=[code("function"), name(), num("合计", ["支出预算", "合计"]), num("基本支出"), num("项目支出"),
           num("事业单位经营支出", optional=True)],
  identities=[hier(), row_sum("合计", ["基本支出", "项目支出", "事业单位经营支出"])])

T(id="budget.sh.04", kind="budget", family="budget.sh",
  titles=["部门财政拨款收支预算总表", "预算单位财政拨款收支预算总表", "单位财政拨款收支预算总表"],
  numbering=["4"], years=SH_YEAR,
  row_key={"kind": "label", "class_lines": "function"},
  layout={"sides": ["income", "expense"], "side_titles": {"income": "财政拨款收入", "expense": "财政拨款支出"}},
  sides={"income": [label(), num("预算数")],
         "expense": [label(), num("合计"), num("一般公共预算"), num("政府性基金预算"), num("国有资本经营预算")]},
  fixed_rows=[fr("一般公共预算", "一般公共预算", "income"), fr("政府性基金预算", "政府性基金预算", "income"),
              fr("国有资本经营预算", "国有资本经营预算", "income"), fr("收入总计", ["收入总计", "总计"], "income"),
              fr("支出总计", ["支出总计", "总计"], "expense")],
  identities=[ssum("income_total", "income.收入总计", ["income.一般公共预算", "income.政府性基金预算", "income.国有资本经营预算"]),
              {"id": "expense_row", "kind": "row_sum", "side": "expense", "target": "合计",
               "terms": ["一般公共预算", "政府性基金预算", "国有资本经营预算"]},
              ssum("expense_total", "expense.支出总计/*", ["expense.class:*/*"]),
              equal("balance", "income.收入总计", "expense.支出总计/合计"),
              cross("x_sh05", "budget.sh.04:expense.支出总计/一般公共预算", "budget.sh.05:合计/合计")])

T(id="budget.sh.05", kind="budget", family="budget.sh",
  titles=["部门一般公共预算支出功能分类预算表", "预算单位一般公共预算支出功能分类预算表", "一般公共预算支出功能分类预算表"],
  numbering=["5"], years=SH_YEAR,
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"]},
  columns=[code("function"), name(), num("合计", ["一般公共预算支出", "合计"]), num("基本支出"), num("项目支出")],
  identities=[hier(), row_sum("合计", ["基本支出", "项目支出"]),
              cross("x_sh08", "budget.sh.05:合计/基本支出", "budget.sh.08:合计/合计")])

T(id="budget.sh.06", kind="budget", family="budget.sh",
  titles=["部门政府性基金预算支出功能分类预算表", "预算单位政府性基金预算支出功能分类预算表", "政府性基金预算支出功能分类预算表"],
  numbering=["6"], years=SH_YEAR,
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"]},
  columns=[code("function"), name(), num("合计", ["政府性基金预算支出", "合计"]), num("基本支出"), num("项目支出")],
  identities=[hier(), row_sum("合计", ["基本支出", "项目支出"])])

T(id="budget.sh.07", kind="budget", family="budget.sh",
  titles=["部门国有资本经营预算支出功能分类预算表", "预算单位国有资本经营预算支出功能分类预算表", "国有资本经营预算支出功能分类预算表"],
  numbering=["7"], years=SH_YEAR,
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"]},
  columns=[code("function"), name(), num("合计", ["国有资本经营预算支出", "合计"]), num("基本支出"), num("项目支出")],
  identities=[hier(), row_sum("合计", ["基本支出", "项目支出"])])

T(id="budget.sh.08", kind="budget", family="budget.sh",
  titles=["部门一般公共预算基本支出部门预算经济分类预算表", "预算单位一般公共预算基本支出部门预算经济分类预算表",
          "一般公共预算基本支出部门预算经济分类预算表"],
  numbering=["8"], years=SH_YEAR,
  row_key={"kind": "code", "system": "dept_economic"},
  layout={"code_split": ["类", "款"]},
  columns=[code("dept_economic", "部门预算经济分类科目编码|经济分类科目编码|部门预算经济分类科目|编码"), name(),
           num("合计", ["一般公共预算基本支出", "合计"]), num("人员经费"), num("公用经费")],
  identities=[hier(), row_sum("合计", ["人员经费", "公用经费"])])

T(id="budget.sh.09", kind="budget", family="budget.sh",
  titles=["部门“三公”经费和机关运行经费预算表", "单位“三公”经费和机关运行经费预算表", "“三公”经费和机关运行经费预算表"],
  numbering=["9"], years=SH_YEAR,
  row_key={"kind": "single"},
  columns=[num("合计", ["“三公”经费预算数|三公经费预算数", "合计"]), num("因公出国（境）费", ["因公出国（境）费|因公出国(境)费"]),
           num("公务接待费"), num("公务用车购置及运行费.小计", ["公务用车购置及运行费", "小计"]),
           num("公务用车购置及运行费.购置费", ["公务用车购置及运行费", "购置费"]),
           num("公务用车购置及运行费.运行费", ["公务用车购置及运行费", "运行费"]),
           num("机关运行经费", ["机关运行经费预算数|机关运行经费"])],
  identities=[row_sum("合计", ["因公出国（境）费", "公务接待费", "公务用车购置及运行费.小计"], "sum"),
              row_sum("公务用车购置及运行费.小计", ["公务用车购置及运行费.购置费", "公务用车购置及运行费.运行费"], "car"),
              cross("x_sh08_reception", "budget.sh.09:row/公务接待费", "budget.sh.08:30217/合计", op=">=", unit_note="sh.09 is in 万元, sh.08 in 元")])

# --------------------------------------------------------------- budget.hn.* (Hunan 17-table set)
HN_SRC = [num("一般公共预算拨款"), num("政府性基金拨款"), num("纳入专户管理的非税收入拨款"), num("其他收入"), num("上年结转")]
HN01_INCOME = [
    fr("一般公共预算拨款", "一般公共预算拨款", "income"), fr("经费拨款", "经费拨款", "income"),
    fr("纳入一般公共预算管理的非税收入拨款", "纳入一般公共预算管理的非税收入拨款", "income"),
    fr("行政事业性收费收入", "行政事业性收费收入", "income"), fr("专项收入", "专项收入", "income"),
    fr("国有资源（资产）有偿使用收入", ["国有资源（资产）有偿使用收入", "国有资源(资产)有偿使用收入"], "income"),
    fr("其他各项收入拨款", "其他各项收入拨款", "income"), fr("政府性基金拨款", "政府性基金拨款", "income"),
    fr("纳入专户管理的非税收入拨款", "纳入专户管理的非税收入拨款", "income"), fr("其他收入", "其他收入", "income"),
    fr("上年结转", "上年结转", "income"), fr("本年收入合计", "本年收入合计", "income"),
    fr("收入总计", ["收入总计", "总计"], "income"),
    fr("本年支出合计", "本年支出合计", "expense"), fr("支出总计", ["支出总计", "总计"], "expense")]
T(id="budget.hn.01", kind="budget", family="budget.hn",
  titles=["部门收支总表"], numbering=["表1", "表一", "一"], years="2018-",
  row_key={"kind": "label", "class_lines": "function_short"},
  layout={"sides": ["income", "expense"], "side_titles": {"income": "收入", "expense": "支出"}},
  sides={"income": [label(), num("本年预算", ["本年预算|预算数"])], "expense": [label(), num("本年预算", ["本年预算|预算数"])]},
  fixed_rows=HN01_INCOME,
  identities=[ssum("general", "income.一般公共预算拨款", ["income.经费拨款", "income.纳入一般公共预算管理的非税收入拨款"]),
              ssum("nontax", "income.纳入一般公共预算管理的非税收入拨款",
                   ["income.行政事业性收费收入", "income.专项收入", "income.国有资源（资产）有偿使用收入", "income.其他各项收入拨款"]),
              ssum("expense_total", "expense.支出总计", ["expense.class:*"]),
              equal("balance", "income.收入总计", "expense.支出总计"),
              cross("x_hn02", "budget.hn.01:income.收入总计", "budget.hn.02:row/总计"),
              cross("x_hn03", "budget.hn.01:income.收入总计", "budget.hn.03:合计/总计")])

T(id="budget.hn.02", kind="budget", family="budget.hn",
  titles=["部门收入总表"], numbering=["表2", "表二", "二"], years="2018-",
  row_key={"kind": "label"},
  columns=[{"field": "name", "role": "label", "path": ["单位名称|单位|项目"], "optional": True},
           num("总计", ["总计|合计"])] + HN_SRC,
  identities=[row_sum("总计", ["一般公共预算拨款", "政府性基金拨款", "纳入专户管理的非税收入拨款", "其他收入", "上年结转"])])

for hid, titles in (("budget.hn.03", ["部门支出总表"]), ("budget.hn.04", ["部门支出预算明细表"])):
    T(id=hid, kind="budget", family="budget.hn", titles=titles,
      numbering=["表" + hid[-1], "表" + "一二三四"[int(hid[-1]) - 1], "一二三四"[int(hid[-1]) - 1]], years="2018-",
      row_key={"kind": "code", "system": "function"},
      layout={"code_split": ["类", "款", "项"]},
      columns=[code("function"), name(), num("总计", ["总计|合计"])] + HN_SRC,
      identities=[hier(), row_sum("总计", ["一般公共预算拨款", "政府性基金拨款", "纳入专户管理的非税收入拨款", "其他收入", "上年结转"])]
      + ([{"id": "dup_hn03", "kind": "duplicate", "of": "budget.hn.03"}] if hid == "budget.hn.04" else []))

ECON_BLOCKS = [
    ("budget.hn.05", ["基本支出－工资福利支出", "基本支出—工资福利支出", "基本支出-工资福利支出"], "5", "五", "301", None),
    ("budget.hn.06", ["基本支出－单位运转经费支出", "基本支出—单位运转经费支出", "基本支出-单位运转经费支出"], "6", "六", "302", None),
    ("budget.hn.07", ["基本支出－对个人和家庭的补助", "基本支出—对个人和家庭的补助", "基本支出-对个人和家庭的补助"], "7", "七", "303", None),
    ("budget.hn.12", ["一般公共预算基本支出－工资福利支出", "一般公共预算基本支出-工资福利支出"], "12", "十二", "301", "budget.hn.05"),
    ("budget.hn.13", ["一般公共预算基本支出－一般商品和服务支出", "一般公共预算基本支出-一般商品和服务支出"], "13", "十三", "302", "budget.hn.06"),
    ("budget.hn.14", ["一般公共预算基本支出－对个人和家庭的补助", "一般公共预算基本支出-对个人和家庭的补助"], "14", "十四", "303", "budget.hn.07"),
]
for hid, titles, n, cn, block, dup in ECON_BLOCKS:
    ids = [hier(), ssum("block", block + "/预算金额", [block + "*/预算金额"], note="block total = Σ its 款")]
    if dup:
        ids.append({"id": "dup", "kind": "duplicate", "of": dup, "note": "holds when basic spending is wholly 一般公共预算"})
    T(id=hid, kind="budget", family="budget.hn", titles=titles, numbering=["表" + n, "表" + cn, cn], years="2018-",
      row_key={"kind": "code", "system": "dept_economic", "block": block},
      columns=[code("dept_economic"), name(), num("预算金额", ["预算金额|金额|预算数"])],
      identities=ids)

T(id="budget.hn.08", kind="budget", family="budget.hn", titles=["项目支出预算明细表"], numbering=["表8", "表八", "八"],
  years="2018-", row_key={"kind": "label"},
  columns=[{"field": "name", "role": "label", "path": ["项目名称|项目"]}, code("function", "科目编码|功能科目编码"),
           num("合计", ["合计|总计"]), num("一般公共预算拨款", optional=True), num("政府性基金拨款", optional=True),
           num("纳入专户管理的非税收入拨款", optional=True), num("其他收入", optional=True), num("上年结转", optional=True)],
  layout={"note": "illegible in seed 000; columns from the hn.03 funding sources"})

T(id="budget.hn.09", kind="budget", family="budget.hn", titles=["一般公共预算“三公”经费支出表"],
  numbering=["表9", "表九", "九"], years="2018-",
  row_key={"kind": "label"},
  sides={"main": [label(), num("预算金额", ["预算金额|预算数|金额"])]},
  layout={"sides": ["main"]},
  fixed_rows=[fr("合计", ["合计", "总计"]), fr("三公经费小计", ["“三公”经费小计", "三公经费小计"]),
              fr("因公出国（境）费", ["因公出国（境）费用", "因公出国（境）费", "因公出国(境)费用"]),
              fr("公务接待费", "公务接待费"), fr("公务用车购置及运行费", "公务用车购置及运行费"),
              fr("公务用车运行维护费", ["公务用车运行维护费", "公务用车运行费"]), fr("公务用车购置费", "公务用车购置费"),
              fr("会议费培训费小计", ["会议费、培训费小计", "会议费培训费小计"]), fr("会议费", "会议费"), fr("培训费", "培训费")],
  identities=[ssum("total", "main.合计", ["main.三公经费小计", "main.会议费培训费小计"]),
              ssum("sangong", "main.三公经费小计", ["main.因公出国（境）费", "main.公务接待费", "main.公务用车购置及运行费"]),
              ssum("car", "main.公务用车购置及运行费", ["main.公务用车运行维护费", "main.公务用车购置费"]),
              ssum("meet", "main.会议费培训费小计", ["main.会议费", "main.培训费"]),
              {"id": "x_hn13_reception", "kind": "cross", "op": ">=", "left": "budget.hn.09:main.公务接待费",
               "right": "budget.hn.13:30217/预算金额"}])

T(id="budget.hn.10", kind="budget", family="budget.hn", titles=["财政拨款收支总表"],
  numbering=["表10", "表十", "十"], years="2018-",
  row_key={"kind": "label", "class_lines": "function_short"},
  layout={"sides": ["income", "expense"], "side_titles": {"income": "收入", "expense": "支出"}},
  sides={"income": [label(), num("本年预算", ["本年预算|预算数"])],
         "expense": [label(), num("合计"), num("一般公共预算"), num("政府性基金预算")]},
  fixed_rows=[f for f in HN01_INCOME if f["key"] in ("一般公共预算拨款", "经费拨款", "纳入一般公共预算管理的非税收入拨款",
                                                         "行政事业性收费收入", "专项收入", "国有资源（资产）有偿使用收入",
                                                         "其他各项收入拨款", "政府性基金拨款", "本年收入合计", "收入总计",
                                                         "本年支出合计", "支出总计")],
  identities=[{"id": "expense_row", "kind": "row_sum", "side": "expense", "target": "合计", "terms": ["一般公共预算", "政府性基金预算"]},
              ssum("expense_total", "expense.本年支出合计/*", ["expense.class:*/*"]),
              equal("balance", "income.本年收入合计", "expense.本年支出合计/合计"),
              cross("x_hn11_class", "budget.hn.10:expense.class:*/一般公共预算", "budget.hn.11:class:*/总计")])

T(id="budget.hn.11", kind="budget", family="budget.hn", titles=["一般公共预算支出情况表"],
  numbering=["表11", "表十一", "十一"], years="2018-",
  row_key={"kind": "code", "system": "function"},
  layout={"code_split": ["类", "款", "项"]},
  columns=[code("function"), name(), num("总计", ["总计|合计"]),
           num("基本支出.合计", ["基本支出", "合计"]), num("基本支出.工资福利支出", ["基本支出", "工资福利支出"]),
           num("基本支出.一般商品和服务支出", ["基本支出", "一般商品和服务支出|商品和服务支出"]),
           num("基本支出.对个人和家庭的补助", ["基本支出", "对个人和家庭的补助"]),
           num("项目支出.合计", ["项目支出", "合计"]), num("项目支出.对个人和家庭的补助", ["项目支出", "对个人和家庭的补助"]),
           num("项目支出.专项商品和服务支出", ["项目支出", "专项商品和服务支出"]),
           num("项目支出.对企事业单位的补贴", ["项目支出", "对企事业单位的补贴"]),
           num("项目支出.债务利息支出", ["项目支出", "债务利息支出"]), num("项目支出.资本性支出", ["项目支出", "资本性支出"]),
           num("项目支出.其他支出", ["项目支出", "其他支出"]), num("项目支出.对社会保障基金补助", ["项目支出", "对社会保障基金补助"])],
  identities=[hier(), row_sum("总计", ["基本支出.合计", "项目支出.合计"]),
              row_sum("基本支出.合计", ["基本支出.工资福利支出", "基本支出.一般商品和服务支出", "基本支出.对个人和家庭的补助"]),
              row_sum("项目支出.合计", ["项目支出.对个人和家庭的补助", "项目支出.专项商品和服务支出", "项目支出.对企事业单位的补贴",
                                       "项目支出.债务利息支出", "项目支出.资本性支出", "项目支出.其他支出", "项目支出.对社会保障基金补助"]),
              cross("x_hn12", "budget.hn.11:合计/基本支出.工资福利支出", "budget.hn.12:301/预算金额"),
              cross("x_hn13", "budget.hn.11:合计/基本支出.一般商品和服务支出", "budget.hn.13:302/预算金额"),
              cross("x_hn14", "budget.hn.11:合计/基本支出.对个人和家庭的补助", "budget.hn.14:303/预算金额"),
              cross("x_hn17", "budget.hn.11:合计/基本支出.合计", "budget.hn.17:合计/合计")])

for hid, titles, n, cn in (("budget.hn.15", ["政府性基金拨款部门支出总表"], "15", "十五"),
                           ("budget.hn.16", ["纳入专户管理的非税收入拨款部门支出总表"], "16", "十六")):
    T(id=hid, kind="budget", family="budget.hn", titles=titles, numbering=["表" + n, "表" + cn, cn], years="2018-",
      row_key={"kind": "code", "system": "function"}, layout={"code_split": ["类", "款", "项"], "note": "blank in seed 000"},
      columns=[code("function"), name(), num("总计", ["总计|合计"]), num("基本支出", optional=True), num("项目支出", optional=True)],
      identities=[hier(), row_sum("总计", ["基本支出", "项目支出"])])

T(id="budget.hn.17", kind="budget", family="budget.hn", titles=["一般公共预算基本支出情况表"],
  numbering=["表17", "表十七", "十七"], years="2018-",
  row_key={"kind": "code", "system": "dept_economic"},
  columns=[code("dept_economic", "经济科目|经济科目编码|经济分类科目编码"), name(), num("合计", None, 1), num("人员经费", None, 2),
           num("公用经费", None, 3)],
  identities=[hier(), row_sum("合计", ["人员经费", "公用经费"])])

# --------------------------------------------------------------- perf.*
T(id="perf.dept_overall", kind="performance", family="perf",
  titles=["部门整体支出绩效目标表", "部门整体支出绩效申报表", "部门整体支出绩效目标申报表"],
  numbering=["绩效表1"], years="2018-", row_key={"kind": "form"},
  form_fields=[{"field": "部门名称", "labels": ["部门名称", "单位名称"]},
               {"field": "资金总额", "labels": ["资金总额"]}, {"field": "基本支出", "labels": ["基本支出"]},
               {"field": "项目支出", "labels": ["项目支出"]}, {"field": "整体绩效目标", "labels": ["整体绩效目标"]},
               {"field": "产出指标", "labels": ["产出指标"]}, {"field": "效益指标", "labels": ["效益指标"]},
               {"field": "满意度指标", "labels": ["满意度指标"]}],
  header_words=["年度预算申请", "按支出性质分", "资金总额", "整体绩效目标", "年度绩效指标"],
  identities=[ssum("funds", "资金总额", ["基本支出", "项目支出"])])

T(id="perf.project_target", kind="performance", family="perf",
  titles=["项目支出绩效目标表", "项目支出绩效目标申报表", "项目绩效目标表"], numbering=[], years="2018-",
  row_key={"kind": "form"},
  form_fields=[{"field": f, "labels": [f]} for f in ["项目名称", "主管部门", "实施单位", "年度资金总额", "财政拨款", "其他资金", "年度总体目标"]],
  header_words=["一级指标", "二级指标", "三级指标", "指标值", "项目资金"],
  identities=[ssum("funds", "年度资金总额", ["财政拨款", "其他资金"])])

T(id="perf.hn.special_summary", kind="performance", family="perf",
  titles=["区级专项资金预算绩效目标汇总表", "专项资金预算绩效目标汇总表"], numbering=["绩效表2"], years="2018-",
  row_key={"kind": "label"},
  columns=[{"field": "序号", "role": "text", "path": ["序号"], "optional": True},
           {"field": "name", "role": "label", "path": ["专项支出名称|专项名称"]},
           {"field": "支出方向", "role": "text", "path": ["支出方向"], "optional": True},
           num("资金总额", ["资金总额|金额"]),
           {"field": "实施期绩效目标", "role": "text", "path": ["实施期绩效目标"], "optional": True},
           {"field": "年度绩效目标", "role": "text", "path": ["年度绩效目标"], "optional": True}],
  identities=[{"id": "x_projects", "kind": "cross", "left": "perf.hn.special_summary:sum/资金总额",
               "right": "perf.dept_overall:项目支出", "note": "Σ 专项 资金总额 = 项目支出"}])

T(id="perf.hn.special_direction", kind="performance", family="perf",
  titles=["区级专项资金支出方向绩效目标表", "专项资金支出方向绩效目标表"], numbering=["绩效表3"], years="2018-",
  row_key={"kind": "form"},
  form_fields=[{"field": f, "labels": [f]} for f in ["主管部门", "支出方向", "所属专项名称", "专项实施期", "支出方向年度金额",
                                                      "实施期绩效目标", "年度绩效目标"]],
  header_words=["产出指标", "效益指标", "数量指标", "质量指标", "时效指标", "成本指标"])

T(id="perf.sd.project_issue", kind="performance", family="perf",
  titles=["部门项目支出预算绩效目标下达表", "项目支出预算绩效目标下达表"], numbering=[], years="2018-",
  row_key={"kind": "form"},
  form_fields=[{"field": f, "labels": [f, f + "*", "*" + f]} for f in
               ["预算单位", "项目名称", "项目类别", "项目性质", "是否包含二级项目", "功能科目", "部门经济科目", "项目总金额",
                "本年度预算申请金额", "上年度项目预算金额", "上年度项目执行数", "项目总目标", "年度绩效目标"]],
  header_words=["一级指标", "二级指标", "三级指标", "年度目标值", "投入与目标管理", "产出目标", "效果目标"],
  identities=[ssum("single_year", "项目总金额", ["本年度预算申请金额"], when="single-year project")])


def main():
    os.makedirs(OUT, exist_ok=True)
    ids = set()
    for t in TABLES:
        assert t["id"] not in ids, t["id"]
        ids.add(t["id"])
        doc = {"id": t.pop("id")}
        doc.update(t)
        with open(os.path.join(OUT, doc["id"] + ".json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False, indent=1)
            f.write("\n")
    print(len(TABLES), "layouts written to", os.path.abspath(OUT))


if __name__ == "__main__":
    main()
