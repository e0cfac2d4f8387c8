#!/usr/bin/python3
"""Machine-readable ground truth for the seed documents (docs/truth-format.md).

    scripts/corpus/seed_truth.py            # (re)generate corpus/truth/seeds/seed00{0,2,3,4}.truth.json
    scripts/corpus/seed_truth.py --check    # verify the files written there
    scripts/corpus/seed_truth.py --check -v # … and list every identity that was evaluated

The seeds (/work/shared/seeds/*.txt) are text conversions: tab-separated table
rows with layout noise.  Everything that is a judgement about how the printed
table looked is written here as data, per table (`SPECS`):

* `header`: the header grid, one token list per row, `"<"` = slot merged with the
  cell to its left, `"^"` = merged with the cell above.  Header words are checked
  against the seed's own header lines (`hdr` line range) so typos are caught.
* `src`: the seed line range of the body rows; `pick` maps raw tab fields to grid
  columns (per number of fields), `fix` replaces a mis-converted line with the
  tokens the printed row had (shifted 栏次/行次 numbers, a dropped column …),
  `split` splits a field holding two paragraphs that belong to two cells,
  `merges` declares merged body cells (r, c, row_span, col_span; body-relative).
* the printed numbers are never edited: `fix` rows only move fields.

`--check` verifies, per file: every grid slot covered exactly once, spans in
bounds, header_rows/n_rows/n_cols consistent, numeric values parse from text;
then evaluates the arithmetic identities of each schema (domain-notes §5), the
cross-table identities, code→name consistency, and the narrative figures
(`CLAIMS`).  Every failing identity must be explained by an entry of
`inconsistencies` (same cells), and every listed inconsistency must explain at
least one failure; otherwise the check exits non-zero.

Inconsistency kinds used:  sum_mismatch (an identity does not add up;
`magnitude` "rounding" = 0.01-type drift, "hard" = keying/coding error, after
domain-notes §6), missing_total (a total cell printed empty although its items
are not), cross_table_mismatch, code_error, label_mismatch, narrative_mismatch.
`ref` is the item number of domain-notes §6 (null for findings not listed there);
`related` lists further cells [table, row, col] involved (other tables).
"""
import argparse
import json
import os
import re
import sys
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
SEEDS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "seeds")
OUT = os.path.join(ROOT, "corpus", "truth", "seeds")
REF = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "reference")

SEED_FILES = {
    "000": "000_2b7bafaa0057ccba.txt",
    "002": "002_d953fc01aff4e977.txt",
    "003": "003_8fe747b01fd35593.txt",
    "004": "004_e02a64cfd8602149.txt",
}

# --------------------------------------------------------------------------
# text normalisation
# --------------------------------------------------------------------------
_ASCII = re.compile(r"[!-~]")


def norm(s):
    """NFC; HTML/markdown markup removed; paragraphs (<p>) → '\\n'; white space
    removed inside numbers and wherever a neighbour is not ASCII (CJK text has
    no spaces: the ones in the seeds are line-wrap / conversion artefacts)."""
    if s is None:
        return ""
    s = unicodedata.normalize("NFC", s)
    s = re.sub(r"</p>\s*<p>", "\n", s)
    s = re.sub(r"</?(?:b|p|br|strong|em)\s*/?>", "", s)
    s = s.replace("**", "")
    s = re.sub(r"(\d)\s*\.\s+(\d)", r"\1.\2", s)
    s = re.sub(r"(\d)\s+\.\s*(\d)", r"\1.\2", s)
    out_lines = []
    for line in s.split("\n"):
        line = line.strip()
        parts = re.split(r"([ \t\u3000\u00a0]+)", line)
        buf = ""
        for i, p in enumerate(parts):
            if i % 2 == 1:
                left = parts[i - 1][-1:] if parts[i - 1] else ""
                right = parts[i + 1][:1] if i + 1 < len(parts) else ""
                if left and right and _ASCII.match(left) and _ASCII.match(right):
                    buf += " "
            else:
                buf += p
        out_lines.append(buf)
    return "\n".join(l for l in out_lines if l != "" or len(out_lines) == 1)


_NUM = re.compile(r"^-?\d+(?:\.\d+)?$")


def parse_value(text):
    """Number stated by a numeric cell's text (an amount may carry 万元)."""
    t = text
    if t.endswith("万元"):
        t = t[:-2]
    if _NUM.match(t):
        return float(t)
    return None


# --------------------------------------------------------------------------
# table specifications (hand decisions as data)
# --------------------------------------------------------------------------
def row(*tok):
    return list(tok)


HN_ORG = "石峰区网格化管理服务中心"

SPECS = {}

# ---- seed 002: 2020 final account, 公开01-09表 ------------------------------
ORG2 = "株洲市渌口区网格化管理服务中心"
SPECS["002"] = dict(
    id="seed002",
    metadata={"organisation": ORG2, "year": 2020, "kind": "final", "level": "区"},
    narrative=[(286, 396)],
    tables=[
        dict(schema="final.01", title="收入支出决算总表", numbering="公开01表", unit="万元", org=ORG2,
             hdr=(95, 97),
             header=[row("收入", "<", "<", "支出", "<", "<"),
                     row("项目", "行次", "决算数", "项目", "行次", "决算数"),
                     row("栏次", "", "1", "栏次", "", "2")],
             src=(98, 110), numeric=[2, 5],
             footnote="注：1.本表反映部门本年度的总收支和年末结转结余情况。\n2.本套报表金额单位转换时可能存在尾数误差。"),
        dict(schema="final.02", title="收入决算表", numbering="公开02表", unit="万元", org=ORG2,
             hdr=(124, 126),
             header=[row("项目", "<", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"),
                     row("功能分类科目编码", "科目名称", "^", "^", "^", "^", "^", "^", "^"),
                     row("栏次", "<", "1", "2", "3", "4", "5", "6", "7")],
             src=(127, 131), merges=[(0, 0, 1, 2)], numeric=list(range(2, 9)),
             footnote="注：本表反映部门本年度取得的各项收入情况。"),
        dict(schema="final.03", title="支出决算表", numbering="公开03表", unit="万元", org=ORG2,
             hdr=(143, 145),
             header=[row("项目", "<", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"),
                     row("功能分类科目编码", "科目名称", "^", "^", "^", "^", "^", "^"),
                     row("栏次", "<", "1", "2", "3", "4", "5", "6")],
             src=(146, 150), merges=[(0, 0, 1, 2)], numeric=list(range(2, 8)),
             footnote="注：本表反映部门本年度各项支出情况。"),
        dict(schema="final.04", title="财政拨款收入支出决算总表", numbering="公开04表", unit="万元", org=ORG2,
             hdr=(162, 164),
             header=[row("收入", "<", "<", "支出", "<", "<", "<", "<", "<"),
                     row("项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"),
                     # seed: "栏 次|1|栏 次||2|3|4||5" — the 1 shifted one cell left
                     row("栏次", "", "1", "栏次", "", "2", "3", "4", "5")],
             src=(165, 178), numeric=[2, 5, 6, 7, 8],
             footnote="注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。"),
        # seed prints "部门：公开 05 表": the number fused into an empty 部门 line
        dict(schema="final.05", title="一般公共预算财政拨款支出决算表", numbering="公开05表", unit="万元", org="",
             hdr=(187, 189),
             header=[row("项目", "<", "本年支出", "<", "<"),
                     row("功能分类科目编码", "科目名称", "小计", "基本支出", "项目支出"),
                     row("", "栏次", "1", "2", "3")],
             src=(190, 201), numeric=[2, 3, 4],
             footnote="注：本表反映部门本年度一般公共预算财政拨款支出情况。"),
        dict(schema="final.06", title="一般公共预算财政拨款基本支出决算表", numbering="公开06表", unit="万元", org="",
             hdr=(211, 211),
             header=[row("经济分类科目编码", "科目名称", "决算数") * 3],
             src=(212, 240), merges=[(28, 6, 1, 2)], numeric=[2, 5, 8],
             footnote="注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。"),
        dict(schema="final.07", title="一般公共预算财政拨款“三公”经费支出决算表", numbering="公开07表", unit="万元", org="",
             hdr=(250, 253),
             header=[row("预算数", "<", "<", "<", "<", "<", "决算数", "<", "<", "<", "<", "<"),
                     row("合计", "因公出国(境)费", "公务用车购置及运行费", "<", "<", "公务接待费") * 2,
                     row("^", "^", "小计", "公务用车购置费", "公务用车运行费", "^") * 2,
                     row(*[str(i) for i in range(1, 13)])],
             src=(254, 254), numeric=list(range(12)),
             footnote="注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，反映按规定程序调整后的预算数；决算数是包括当年一般公共预算财政拨款和以前年度结转资金安排的实际支出。"),
        dict(schema="final.08", title="政府性基金预算财政拨款收入支出决算表", numbering="公开08表", unit="万元", org="",
             hdr=(263, 265),
             header=[row("项目", "<", "年初结转和结余", "本年收入", "本年支出", "<", "<", "年末结转和结余"),
                     row("功能分类科目编码", "科目名称", "^", "^", "小计", "基本支出", "项目支出", "^"),
                     row("栏次", "<", "1", "2", "3", "4", "5", "6")],
             src=(266, 266), merges=[(0, 0, 1, 2)], numeric=list(range(2, 8)),
             footnote="注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况"),
        dict(schema="final.09", title="国有资本经营预算财政拨款支出决算表", numbering="公开09表", unit="万元", org="",
             hdr=(277, 279),
             header=[row("项目", "<", "本年支出", "<", "<"),
                     row("功能分类科目编码", "科目名称", "合计", "基本支出", "项目支出"),
                     row("栏次", "<", "1", "2", "3")],
             src=(280, 280), merges=[(0, 0, 1, 2)], numeric=[2, 3, 4],
             footnote="注：本表反映部门本年度国有资本经营预算财政拨款支出情况。"),
    ],
)

# ---- seed 003: 2018 final account, 财决公开01-08表 ---------------------------
ORG3 = "株洲市石峰区政务服务中心"
SPECS["003"] = dict(
    id="seed003",
    metadata={"organisation": ORG3, "year": 2018, "kind": "final", "level": "区"},
    narrative=[(302, 420), (444, 468)],
    tables=[
        # seed repeats the 支出 block three times (empty duplicated columns): dropped
        dict(schema="final.01", title="收入支出决算总表", numbering="财决公开01表", unit="万元", org="",
             hdr=(85, 87),
             header=[row("收入", "<", "<", "支出", "<", "<"),
                     row("项目", "行次", "决算数", "项目", "行次", "决算数"),
                     row("栏次", "", "1", "栏次", "", "2")],
             src=(88, 113), pick={12: [0, 1, 2, 3, 4, 5]},
             fix={94: ["", "7", "", "", "33", ""]},   # seed "|7||33|…": 行次 33 shifted into 项目
             numeric=[2, 5],
             footnote="注：1.本表反映部门本年度的总收支和年末结转结余情况。\n2.本表以“万元”为金额单位（保留两位小数）。"),
        # "功能分类 / 科目编码" is one two-line header cell split over two text lines
        dict(schema="final.02", title="收入决算表", numbering="财决公开02表", unit="万元", org="",
             hdr=(127, 130),
             header=[row("收入", "<", "<", "<", "<", "<", "<", "<", "<"),
                     row("功能分类科目编码", "科目名称", "本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"),
                     row("栏次", "<", "1", "2", "3", "4", "5", "6", "7")],
             src=(131, 138), merges=[(0, 0, 1, 2)], numeric=list(range(2, 9)),
             footnote="注：1.本表反映部门年度取得的各项收入情况。\n2.本表以“万元”为金额单位（保留两位小数）。"),
        dict(schema="final.03", title="支出决算表", numbering="财决公开03表", unit="万元", org=ORG3,
             hdr=(154, 156),
             header=[row("项目", "<", "本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"),
                     row("功能分类科目编码", "科目名称", "^", "^", "^", "^", "^", "^"),
                     row("栏次", "<", "1", "2", "3", "4", "5", "6")],
             src=(157, 164), merges=[(0, 0, 1, 2)], numeric=list(range(2, 8)),
             footnote="注：1.本表反映部门年度取得的各项支出情况。\n2.本表以“万元”为金额单位（保留两位小数）。"),
        dict(schema="final.04", title="财政拨款收入支出决算总表", numbering="财决公开04表", unit="万元", org=ORG3,
             hdr=(180, 182),
             header=[row("收入", "<", "<", "支出", "<", "<", "<", "<"),
                     row("项目", "行次", "金额", "项目", "行次", "合计", "一般公共预算财政拨款", "政府性基金预算财政拨款"),
                     row("栏次", "", "1", "栏次", "", "2", "3", "4")],
             src=(183, 209), numeric=[2, 5, 6, 7],
             footnote="注：1.本表反映部门本年度一般公共预算财政拨款和政府性基金预算财政拨款的总收支和年末结转结余情况。\n2.本表以“万元”为金额单位（保留两位小数）。"),
        dict(schema="final.05", title="一般公共预算财政拨款支出决算表", numbering="财决公开05表", unit="万元", org=ORG3,
             hdr=(219, 221),
             header=[row("项目", "<", "本年支出", "<", "<"),
                     row("功能分类科目编码", "科目名称", "小计", "基本支出", "项目支出"),
                     row("栏次", "<", "1", "2", "3")],
             src=(222, 229), merges=[(0, 0, 1, 2)], numeric=[2, 3, 4],
             footnote="注：1.本表反映部门本年度一般公共预算财政拨款支出情况。\n2.本表以“万元”为金额单位（保留两位小数）。"),
        # totals row "人员经费合计||81.51|公用经费合计|||21.42||": merged cells of the xls
        dict(schema="final.06", title="一般公共预算财政拨款基本支出决算表", numbering="财决公开06表", unit="万元", org=ORG3,
             hdr=(239, 240),
             header=[row("人员经费", "<", "<", "公用经费", "<", "<", "<", "<", "<"),
                     row("科目编码", "科目名称", "金额") * 3],
             src=(241, 269), merges=[(28, 0, 1, 2), (28, 3, 1, 3), (28, 6, 1, 3)], numeric=[2, 5, 8],
             footnote="注：1.本表反映部门本年度一般公共预算财政拨款基本支出明细情况。\n2.本表以“万元”为金额单位（保留两位小数）。"),
        # seed line 277 "A|B|…|L" is the spreadsheet's column-letter row: not printed
        dict(schema="final.07", title="一般公共预算财政拨款“三公”经费支出决算表", numbering="财决公开07表", unit="万元", org=ORG3,
             hdr=(280, 283),
             header=[row("预算数", "<", "<", "<", "<", "<", "决算数", "<", "<", "<", "<", "<"),
                     row("合计", "因公出国（境）费", "公务用车购置及运行费", "<", "<", "公务接待费") * 2,
                     row("^", "^", "小计", "公务用车购置费", "公务用车运行费", "^") * 2,
                     row(*[str(i) for i in range(1, 13)])],
             src=(284, 284), numeric=list(range(12)),
             footnote="注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费年初预算数，决算数是包括当年一般公共预算财政拨款和以前年度结转资金安排的实际数。"),
        dict(schema="final.08", title="政府性基金预算财政拨款收入支出决算表", numbering="财决公开08表", unit="万元", org=ORG3,
             hdr=(291, 293),
             header=[row("项目", "<", "年初结转和结余", "本年收入", "本年支出", "<", "<", "年末结转和结余"),
                     row("功能分类科目编码", "科目名称", "^", "^", "合计", "基本支出", "项目支出", "^"),
                     row("栏次", "<", "1", "2", "3", "4", "5", "6")],
             src=(294, 294), merges=[(0, 0, 1, 2)], numeric=list(range(2, 8)),
             footnote="注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况（若本表为空表，需说明本单位无政府性基金收支。\n本单位无政府性基金预算财政拨款收入和支出。"),
    ],
)

# ---- seed 000: 2020 Hunan budget, 表1-表17 + 绩效表1-3 -----------------------
ORG0 = "株洲市石峰区网格化管理服务中心"
HN_ECON_HDR = row("部门经济科目编码", "部门经济科目名称", "预算金额")
SPECS["000"] = dict(
    id="seed000",
    metadata={"organisation": ORG0, "year": 2020, "kind": "budget", "level": "区"},
    narrative=[(93, 195)],
    tables=[
        # 0/1: 表1 split over two pages (expense lines 16 → 17); 4 real columns
        dict(schema="budget.hn.01", title="部门收支总表", numbering="表1", unit="万元", org=HN_ORG,
             hdr=(207, 208),
             header=[row("收入", "<", "支出", "<"),
                     row("项目", "本年预算", "项目", "本年预算")],
             src=(209, 224), pick={7: [0, 3, 4, 6]}, numeric=[1, 3]),
        dict(schema="budget.hn.01", title="部门收支总表", numbering="表1", unit="万元", org=HN_ORG,
             header=[], src=(226, 231), pick={6: [0, 1, 2, 3]}, numeric=[1, 3], continues=0,
             # the seed prints the 支出总计 pair twice ("spread over extra cells"): dropped
             footnote="说明：本套表为区本级当年预算资金安排情况，均不包括上年结转。"),
        dict(schema="budget.hn.02", title="部门收入总表", numbering="表2", unit="万元", org=HN_ORG,
             hdr=(241, 241),
             header=[row("总计", "一般公共预算拨款", "政府性基金拨款", "纳入专户管理的非税收入拨款", "其他收入", "上年结转")],
             src=(242, 242), numeric=list(range(6))),
        dict(schema="budget.hn.03", title="部门支出总表", numbering="表3", unit="万元", org=HN_ORG,
             hdr=(250, 252),
             header=[row("科目", "<", "<", "<", "总计", "一般公共预算拨款", "政府性基金拨款", "纳入专户管理的非税收入拨款", "其他收入", "上年结转"),
                     row("科目编码", "<", "<", "科目名称", "^", "^", "^", "^", "^", "^"),
                     row("类", "款", "项", "^", "^", "^", "^", "^", "^", "^")],
             src=(253, 260), merges=[(0, 0, 1, 4)], numeric=list(range(4, 10))),
        dict(schema="budget.hn.04", title="部门支出预算明细表", numbering="表4", unit="万元", org=HN_ORG,
             hdr=(270, 271),
             header=[row("科目编码", "<", "<", "科目名称", "总计", "一般公共预算拨款", "政府性基金拨款", "纳入专户管理的非税收入拨款", "其他收入", "上年结转"),
                     row("类", "款", "项", "^", "^", "^", "^", "^", "^", "^")],
             src=(272, 279), merges=[(0, 0, 1, 4)], numeric=list(range(4, 10))),
        dict(schema="budget.hn.05", title="基本支出–工资福利支出", numbering="表5", unit="万元", org=HN_ORG,
             hdr=(287, 287), header=[HN_ECON_HDR], src=(288, 299), numeric=[2]),
        dict(schema="budget.hn.06", title="基本支出—单位运转经费支出", numbering="表6", unit="万元", org=HN_ORG,
             hdr=(307, 307), header=[HN_ECON_HDR], src=(308, 332), numeric=[2]),
        dict(schema="budget.hn.07", title="基本支出–对个人和家庭的补助", numbering="表7", unit="万元", org=HN_ORG,
             hdr=(340, 340), header=[row("经济科目代码", "经济科目名称", "预算金额")], src=(341, 345), numeric=[2]),
        # 表8 项目支出预算明细表 is "[illegible]" in the seed: not included
        dict(schema="budget.hn.09", title="一般公共预算“三公”经费支出表", numbering="表9", unit="万元", org=HN_ORG,
             hdr=(361, 361), header=[row("项目", "预算金额")], src=(362, 371), numeric=[1]),
        dict(schema="budget.hn.10", title="财政拨款收支总表", numbering="表10", unit="万元", org=HN_ORG,
             hdr=(379, 380),
             header=[row("收入", "<", "支出", "<", "<", "<"),
                     row("项目", "本年预算", "项目", "合计", "一般公共预算", "政府性基金预算")],
             src=(381, 396), numeric=[1, 3, 4, 5]),
        dict(schema="budget.hn.10", title="财政拨款收支总表", numbering="表10", unit="万元", org=HN_ORG,
             header=[], src=(398, 403), numeric=[1, 3, 4, 5], continues=9),
        dict(schema="budget.hn.11", title="2020年一般公共预算支出情况表", numbering="", unit="万元",
             org="石峰区网格化管理服务中心心",   # doubled 心 as in the seed
             hdr=(413, 415),
             header=[row("功能科目", "<", "<", "<", "总计", "基本支出", "<", "<", "<", "项目支出", "<", "<", "<", "<", "<", "<", "<"),
                     row("科目编码", "<", "<", "科目名称", "^", "合计", "工资福利支出", "一般商品和服务支出", "对个人和家庭的补助",
                         "合计", "对个人和家庭的补助", "专项商品和服务支出", "对企事业单位的补贴", "债务利息支出", "资本性支出", "其他支出", "对社会保障基金补助"),
                     row("类", "款", "项", "^", "^", "^", "^", "^", "^", "^", "^", "^", "^", "^", "^", "^", "^")],
             src=(416, 423), numeric=list(range(4, 17))),
        dict(schema="budget.hn.12", title="一般公共预算基本支出–工资福利支出", numbering="表12", unit="万元", org=HN_ORG,
             hdr=(431, 431), header=[HN_ECON_HDR], src=(432, 443), numeric=[2]),
        dict(schema="budget.hn.13", title="一般公共预算基本支出－一般商品和服务支出", numbering="表13", unit="万元", org=HN_ORG,
             hdr=(451, 451), header=[HN_ECON_HDR], src=(452, 477), numeric=[2]),
        # unit fused into the 单位名称 line ("…中心单位：万元")
        dict(schema="budget.hn.14", title="一般公共预算基本支出–对个人和家庭的补助", numbering="表14", unit="万元", org=HN_ORG,
             hdr=(483, 483), header=[row("经济科目代码", "经济科目名称", "预算金额")], src=(484, 488), numeric=[2]),
        # 表15/表16 appear in the TOC only (blank): not included
        dict(schema="budget.hn.17", title="2020年一般公共预算基本支出情况表", numbering="", unit="万元", org=HN_ORG,
             hdr=(500, 501),
             header=[row("经济科目", "经济科目名称", "合计", "人员经费", "公用经费"),
                     row("", "", "1", "2", "3")],    # seed "**|**|1|2|3": empty bold cells
             src=(502, 527), numeric=[2, 3, 4]),
        dict(schema="perf.dept_overall", title="2020年部门整体支出绩效申报表", numbering="表1", unit="万元", org="",
             header=[], src=(537, 544),
             merges=[(0, 1, 1, 2), (1, 0, 4, 1), (2, 1, 1, 2), (5, 1, 1, 2), (6, 0, 2, 1)],
             numeric_cells=[(1, 2), (3, 2), (4, 2)]),
        dict(schema="perf.hn.special_summary", title="2020年区级专项资金预算绩效目标汇总表", numbering="表2", unit="万元", org="",
             hdr=(552, 552),
             header=[row("序号", "专项支出名称", "支出方向", "资金总额", "实施期绩效目标", "年度绩效目标")],
             src=(553, 555), numeric=[3]),
        dict(schema="perf.hn.special_direction", title="2020年区级专项资金支出方向绩效目标表", numbering="表3", unit="万元", org="",
             hdr=(563, 565),
             header=[row("主管部门", "支出方向", "所属专项名称", "专项实施期", "支出方向年度金额", "实施期绩效目标", "年度绩效目标",
                         "绩效指标", "<", "<", "<", "<", "<", "<", "<", "<"),
                     row("^", "^", "^", "^", "^", "^", "^", "产出指标", "<", "<", "<", "效益指标", "<", "<", "<", "<"),
                     row("^", "^", "^", "^", "^", "^", "^", "数量指标", "质量指标", "时效指标", "成本指标",
                         "经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标", "社会公益或服务对象满意度指标")],
             src=(566, 571), skip=r"^[-\t| ]+$",
             # 568: 实施期 and 年度 goals converted into one field (two <p>): split.
             # 571: 15 fields; the dropped (empty) field is taken to be 时效指标 (col 9).
             split={568: 5}, insert={571: 9}, numeric=[4]),
    ],
)


# ---- seed 004: Weihai 2020 project performance-target forms ------------------
def _sd_form(first, last, fix=None, numeric_rows=(6, 7)):
    # rows 0-16: label/value block; row 17: indicator header; 18-: indicators
    return dict(schema="perf.sd.project_issue", title="2020年部门项目支出预算绩效目标下达表", numbering="", unit="万元", org="",
                header=[], src=(first, last), fix=fix or {}, kv_rows=(0, 16), vmerge_from=18,
                numeric_cells=[(r, c) for r in numeric_rows for c in (1, 3)])


SPECS["004"] = dict(
    id="seed004",
    metadata={"organisation": "社管中心", "year": 2020, "kind": "performance", "level": "区"},
    narrative=[],
    tables=[
        _sd_form(7, 45),
        _sd_form(51, 90),
        _sd_form(96, 135, fix={125: ["", "成本", "", ""]}),   # seed "成本|||": shifted into 一级指标
    ],
)

# --------------------------------------------------------------------------
# inconsistencies (domain-notes §6), as data.  Cells are given as
# (table, row-key, col); row-keys are resolved like the checker does.
# --------------------------------------------------------------------------
INCONS = {
    "000": [
        dict(ref=1, kind="sum_mismatch", magnitude="rounding", table=2, cells=[(None, 0)],
             related=[(0, "收入总计", 1), (3, "合计", 4)],
             description="表2 总计 407.36 ≠ 一般公共预算拨款 407.37; 表1 收入总计 and 表3 合计 are 407.37"),
        dict(ref=2, kind="sum_mismatch", magnitude="rounding", table=3,
             cells=[("合计", 5), ("201", 5), ("20103", 5), ("2010301", 5)],
             description="表3 一般公共预算拨款: 201 = 199 vs 总计 199.01, 20103 = 199 vs 199.01, 2010301 = 74 vs 74.01; column 199 + 208.36 = 407.36 ≠ 合计 407.37"),
        dict(ref=2, kind="sum_mismatch", magnitude="rounding", table=4,
             cells=[("合计", 5), ("201", 5), ("20103", 5), ("2010301", 5)],
             description="表4 (duplicate of 表3): same 0.01 drift in 一般公共预算拨款"),
        dict(ref=3, kind="code_error", magnitude="hard", table=3, cells=[("20102", 0), ("20102", 1), ("20102", 4), ("20102", 5)],
             description="表3 民政管理事务 款 row printed 201 | 02; belongs to 208 (208 02 / 2080208 follow)"),
        dict(ref=3, kind="code_error", magnitude="hard", table=4, cells=[("20102", 0), ("20102", 1), ("20102", 4), ("20102", 5)],
             description="表4 民政管理事务 款 row printed 201 | 02; belongs to 208"),
        dict(ref=4, kind="sum_mismatch", magnitude="rounding", table=11,
             cells=[("合计", 5), ("201", 5), ("20103", 5), ("2010301", 5)],
             description="一般公共预算支出情况表 基本支出合计 74.01 ≠ 工资福利 61.39 + 一般商品和服务 12.61 = 74.00 (rows 合计, 201, 20103, 2010301)"),
        dict(ref=5, kind="sum_mismatch", magnitude="rounding", table=15, cells=[("合计", 2)],
             description="一般公共预算基本支出情况表 合计 74.01 ≠ 人员经费 61.39 + 公用经费 12.61 = 74.00 (and ≠ 301 + 302)"),
        dict(ref=6, kind="cross_table_mismatch", magnitude="hard", table=15,
             cells=[("30102", 2), ("30102", 3), ("30107", 2), ("30107", 3)],
             related=[(5, "30102", 2), (12, "30102", 2)],
             description="13.55 is 30102 津贴补贴 in 表5/表12 but 30107 绩效工资 in 基本支出情况表 (30102 = 0.00 there); 301 totals agree (61.39)"),
        dict(ref=7, kind="label_mismatch", magnitude="hard", table=15, cells=[("302", 1)],
             related=[(6, "302", 1), (13, "302", 1)],
             description="class 302 named 一般商品和服务支出 in 表6/表13 but 商品和服务支出 in 基本支出情况表 (naming only)"),
        dict(ref=8, kind="narrative_mismatch", magnitude="rounding", table=11, cells=[("合计", 9)],
             quote="基本支出74.01万元，项目支出333.37万元",
             description="narrative §七(四): 项目支出 333.37 vs 333.36 in §五 and in the tables"),
        dict(ref=8, kind="narrative_mismatch", magnitude="rounding", table=11, cells=[("合计", 5)],
             quote="2020年年初预算数为74.01万元",
             description="narrative §五(一): 基本支出 74.01 vs its stated parts 61.39 + 12.61 + 0 = 74.00"),
    ],
    "002": [
        dict(ref=9, kind="missing_total", magnitude="hard", table=2, cells=[("合计", 2), ("合计", 3)],
             related=[(0, "本年支出合计", 5)],
             description="支出决算表 合计 row printed empty; items sum to 810.16 (all 基本支出)"),
        dict(ref=10, kind="sum_mismatch", magnitude="hard", table=3,
             cells=[("七、卫生健康支出", 5), ("七、卫生健康支出", 6), ("本年支出合计", 6)],
             related=[(4, "210", 2)],
             description="财政拨款收入支出决算总表 卫生健康支出: 合计 12.01 but 一般公共预算财政拨款 1.01 (digit loss); that column sums to 799.16 vs 本年支出合计 810.16; 公开05表 210 = 12.01"),
        dict(ref=11, kind="sum_mismatch", magnitude="rounding", table=5, cells=[("301", 2)],
             description="基本支出决算表 301 items sum to 140.11 vs printed 301 = 140.10"),
        dict(ref=12, kind="sum_mismatch", magnitude="hard", table=5, cells=[("302", 5)],
             description="基本支出决算表 302 items sum to 320.43 vs printed 302 = 320.54 (0.11: a missing or misread item)"),
        dict(ref=13, kind="cross_table_mismatch", magnitude="hard", table=6, cells=[(None, 11)],
             related=[(5, "30217", 5)],
             description="三公 决算 公务接待费 0.40 while 公开06表 30217 公务接待费 is blank although the unit has no 项目支出 (should be 0.40)"),
        dict(ref=14, kind="narrative_mismatch", magnitude="hard", table=4, cells=[("合计", 2)],
             quote="2020年度一般公共预算财政拨款支出790.76万元，占本年支出合计的97.61%",
             description="narrative §五(一): 一般公共预算财政拨款支出 790.76 (= 一般公共服务类 only) vs 810.16 in 公开05表"),
        dict(ref=14, kind="narrative_mismatch", magnitude="hard", table=4, cells=[("210", 1), ("2100410", 0)],
             quote="2、一般公共服务（类）公共卫生（款）突发公共卫生事件应急处理（项）",
             description="narrative §五(三) item 2 files 公共卫生 / 突发公共卫生事件应急处理 under 一般公共服务（类）; the table has it under 210 卫生健康支出"),
        dict(ref=None, kind="narrative_mismatch", magnitude="hard", table=4, cells=[("221", 1), ("2210201", 0)],
             quote="3、一般公共服务（类）住房改革支出（款）住房公积金（项）",
             description="narrative §五(三) item 3 files 住房改革支出 / 住房公积金 under 一般公共服务（类）; the table has it under 221 住房保障支出. Not in domain-notes §6 (same slip as item 2)."),
        dict(ref=None, kind="narrative_mismatch", magnitude="hard", table=4, cells=[("2010399", 2)],
             quote="年初预算为207.86万元，支出决算为790.76万元",
             description="narrative §五(三) item 1 (项 其他政府办公厅（室）及相关机构事务支出): 支出决算 790.76 vs 669.7 in 公开05表 (790.76 is the 类 201). Not in domain-notes §6."),
    ],
    "003": [
        dict(ref=15, kind="missing_total", magnitude="hard", table=0, cells=[("总计", 2), ("总计", 5)],
             related=[(3, "总计", 2), (3, "总计", 5)],
             description="收入支出决算总表 总计 cells (收入 and 支出) empty; expected 403.08 + 0.13 = 403.21 on both sides"),
        dict(ref=16, kind="sum_mismatch", magnitude="rounding", table=4, cells=[("2010302", 2), ("20103", 2)],
             related=[(2, "2010302", 2)],
             description="一般公共预算财政拨款支出决算表 2010302: 小计 20.21 vs 项目支出 20.22; 20103 children then sum to 401.51 vs 401.52; 支出决算表 prints 20.22"),
        dict(ref=17, kind="sum_mismatch", magnitude="hard", table=6, cells=[(None, 8)],
             description="三公 决算 公务用车购置及运行费 小计 2.93 ≠ 购置费 0 + 运行费 2 (the 0.93 接待费 appears double-counted); 合计 3.86 = 0 + 2.93 + 0.93 is therefore off too"),
        dict(ref=18, kind="label_mismatch", magnitude="hard", table=4, cells=[("2010399", 1)],
             related=[(1, "2010399", 1), (2, "2010399", 1)],
             description="2010399 named 其他行政运行（其他）支出 in 收入决算表/支出决算表 but 其他政府办公厅（室）及相关机构事务支出 in 财决公开05表"),
        dict(ref=19, kind="label_mismatch", magnitude="hard", table=5, cells=[("310", 7)],
             description="基本支出决算表: heading of class 310 printed 其他资本性支出 (standard name 资本性支出)"),
        dict(ref=20, kind="narrative_mismatch", magnitude="hard", table=2, cells=[("合计", 2)],
             quote="本年度支出403.08万元。",
             description="narrative §三: 本年度支出 403.08 vs 403.21 in the tables"),
        dict(ref=20, kind="narrative_mismatch", magnitude="hard", table=3, cells=[("本年支出合计", 5)],
             quote="按资金来源：财政拨款支出403.08万元",
             description="narrative §三: 财政拨款支出 403.08 vs 403.21 (财决公开04表)"),
        dict(ref=20, kind="narrative_mismatch", magnitude="hard", table=4, cells=[("合计", 2)],
             quote="2018年度财政拨款支出为403.08万元",
             description="narrative §五(三): 财政拨款支出 403.08 vs 403.21 (财决公开05表)"),
        dict(ref=20, kind="narrative_mismatch", magnitude="hard", table=6, cells=[(None, 10)],
             quote="公务用车运行费2.93万元",
             description="narrative §七(二): 公务用车运行费 2.93 vs 2.00 in 财决公开06表 30231 / 07表"),
        dict(ref=20, kind="narrative_mismatch", magnitude="hard", table=6, cells=[(None, 6)],
             quote="三公经费2.93万元",
             description="绩效评价报告: 三公经费 2.93 (= 2.0 + 0.93) vs 合计 3.86 in 财决公开07表 (same double count as item 17)"),
    ],
    "004": [],
}

# --------------------------------------------------------------------------
# narrative claims: quote (must occur in the narrative), number stated, and the
# table cells whose sum it must equal (or `parts`, numbers it must be the sum of)
# --------------------------------------------------------------------------
CLAIMS = {
    "000": [
        ("2020年年初预算数407.37万元，其中，一般公共预算拨款407.37万元", 407.37, [(0, "收入总计", 1)]),
        ("2020年年初预算数407.37万元，其中，一般公共预算拨款407.37万元", 407.37, [(0, "一、一般公共预算拨款", 1)]),
        ("一般公共服务支出199.01万元", 199.01, [(0, "1、一般公共服务", 3)]),
        ("社会保障和就业支出208.36万元", 208.36, [(0, "7、社会保障和就业", 3)]),
        ("2020年年初预算数为74.01万元", 74.01, [(11, "合计", 5)]),
        ("2020年年初预算数为74.01万元", 74.01, dict(parts=[61.39, 12.61, 0])),
        ("工资福利支出61.39万元", 61.39, [(11, "合计", 6)]),
        ("一般商品和服务支出12.61万元", 12.61, [(11, "合计", 7)]),
        ("2020年年初预算数为333.36万元", 333.36, [(11, "合计", 9)]),
        ("业务性专项经费10万元", 10, [(17, "业务性专项经费", 3)]),
        ("网格化系统维护费115万元", 115, [(17, "网格化系统维护费", 3)]),
        ("基层社会治理专项208.36万元", 208.36, [(17, "基层社会治理专项", 3)]),
        ("共安排12.61万元", 12.61, [(13, "302", 2)]),
        ("纳入2020年部门整体支出绩效目标的金额为407.37万元", 407.37, [(16, "资金总额:", 2)]),
        ("基本支出74.01万元，项目支出333.37万元", 74.01, [(16, "其中:基本支出:", 2)]),
        ("基本支出74.01万元，项目支出333.37万元", 333.37, [(16, "项目支出:", 2)]),
        ("2020年“三公”经费预算数0.1万元，其中：公务接待费0.1万元", 0.1, [(8, "一、“三公”经费小计", 1)]),
        ("2020年“三公”经费预算数0.1万元，其中：公务接待费0.1万元", 0.1, [(8, "2.公务接待费", 1)]),
        ("2020年预算安排会议费0.16万元", 0.16, [(8, "1.会议费", 1)]),
        ("2020年预算安排培训费0万元", 0, [(8, "2.培训费", 1)]),
    ],
    "002": [
        ("2020年度收、支总计810.16万元", 810.16, [(0, "总计", 2)]),
        ("2020年度收、支总计810.16万元", 810.16, [(0, "总计", 5)]),
        ("本年收入合计810.16万元", 810.16, [(0, "本年收入合计", 2)]),
        ("其中：财政拨款收入810.16万元", 810.16, [(1, "合计", 3)]),
        ("本年支出合计810.16万元", 810.16, [(0, "本年支出合计", 5)]),
        ("其中：基本支出810.16万元", 810.16, [(4, "合计", 3)]),
        ("2020年度财政拨款收、支总计810.16万元", 810.16, [(3, "总计", 2)]),
        ("2020年度一般公共预算财政拨款支出790.76万元，占本年支出合计的97.61%", 790.76, [(4, "合计", 2)]),
        ("2020年度一般公共预算财政拨款支出810.16万元", 810.16, [(4, "合计", 2)]),
        ("一般公共服务（类）支出790.76万元", 790.76, [(4, "201", 2)]),
        ("年初预算为207.86万元，支出决算为790.76万元", 790.76, [(4, "2010399", 2)]),
        ("1、一般公共服务（类）政府办公厅（室）及相关机构事务（款）其他政府办公厅（室）及相关机构事务支出（项）", None,
         dict(class_of=(4, "其他政府办公厅（室）及相关机构事务支出", "一般公共服务支出"))),
        ("2、一般公共服务（类）公共卫生（款）突发公共卫生事件应急处理（项）", None,
         dict(class_of=(4, "突发公共卫生事件应急处理", "一般公共服务支出"))),
        ("3、一般公共服务（类）住房改革支出（款）住房公积金（项）", None,
         dict(class_of=(4, "住房公积金", "一般公共服务支出"))),
        ("年初预算为0.00万元，支出决算为12.01万元", 12.01, [(4, "2100410", 2)]),
        ("年初预算为8.11万元，支出决算为7.39万元", 7.39, [(4, "2210201", 2)]),
        ("2020年度一般公共预算财政拨款基本支出810.16万元", 810.16, [(4, "合计", 3)]),
        ("人员经费140.10万元", 140.10, [(5, "人员经费合计", 2)]),
        ("公用经费320.54万元", 320.54, [(5, "302", 5)]),
        ("资本性支出349.52万元", 349.52, [(5, "310", 8)]),
        ("“三公”经费财政拨款支出预算为0.40万元，支出决算为0.40万元", 0.40, [(6, None, 6)]),
        ("公务接待费支出预算为0.40万元，支出决算为0.40万元", 0.40, [(6, None, 11)]),
        ("因公出国（境）费支出预算为0.00万元，支出决算为0.00万元", 0.0, [(6, None, 7)]),
        ("公务用车购置费及运行维护费支出预算为0.00万元，支出决算为0.00万元", 0.0, [(6, None, 8)]),
        ("2020年开支会议费0.42万元", 0.42, [(5, "30215", 5)]),
        ("开支培训费0.12万元", 0.12, [(5, "30216", 5)]),
    ],
    "003": [
        ("年初结转和结余0.13万元，全年总收入403.08万元", 0.13, [(0, "年初结转和结余", 2)]),
        ("年初结转和结余0.13万元，全年总收入403.08万元", 403.08, [(0, "本年收入合计", 2)]),
        ("全年支出403.21万元", 403.21, [(0, "本年支出合计", 5)]),
        ("本年收入403.08万元，其中财政拨款收入403.08万元", 403.08, [(1, "合计", 3)]),
        ("本年度支出403.08万元。", 403.08, [(2, "合计", 2)]),
        ("按资金来源：财政拨款支出403.08万元", 403.08, [(3, "本年支出合计", 5)]),
        ("按支出性质：基本支出102.93万元", 102.93, [(2, "合计", 3)]),
        ("项目支出300.28万元(占比74.46%)", 300.28, [(2, "合计", 4)]),
        ("本年财政拨款收入403.08万元，支出403.21万元", 403.21, [(3, "本年支出合计", 5)]),
        ("2018年一般公共预算财政拨款支出403.21万元", 403.21, [(4, "合计", 2)]),
        ("工资福利支出81.51万元，占79.19%", 81.51, [(5, "301", 2)]),
        ("商品和服务支出21.42万元，占20.81%", 21.42, [(5, "302", 5)]),
        ("2018年度财政拨款支出为403.08万元", 403.08, [(4, "合计", 2)]),
        ("其中行政运行102.93万元", 102.93, [(4, "2010301", 2)]),
        ("一般行政管理事务20.21万元", 20.21, [(4, "2010302", 2)]),
        ("其他政府办公厅（室）及相关机构事务支出278.37万元", 278.37, [(4, "2010399", 2)]),
        ("“三公”经费支出合计3.86万元", 3.86, [(6, None, 6)]),
        ("公务接待费支出0.93万元", 0.93, [(6, None, 11)]),
        ("公务用车购置及运行维护费支出2.93万元", 2.93, [(6, None, 8)]),
        ("公务用车购置费用0万元", 0, [(6, None, 9)]),
        ("公务用车运行费2.93万元", 2.93, [(6, None, 10)]),
        ("机关运行经费支出21.42万元", 21.42, [(5, "302", 5)]),
        ("开支会议费0.18万元", 0.18, [(5, "30215", 5)]),
        ("开支培训费0.88万元", 0.88, [(5, "30216", 5)]),
        ("单位年度总收入403.21万元", 403.21, [(3, "总计", 2)]),
        ("其中：财政拨款403.08万元，其他收入0.13万元", 0.13, [(0, "年初结转和结余", 2)]),
        ("项目支出300.28万元，基本支出102.93万元，人员支出81.51万元，公用经费支出21.42万元", 81.51, [(5, "人员经费合计", 2)]),
        ("项目支出300.28万元，基本支出102.93万元，人员支出81.51万元，公用经费支出21.42万元", 21.42, [(5, "公用经费合计", 6)]),
        ("三公经费2.93万元", 2.93, [(6, None, 6)]),
        ("公车购置和维护费2.0万元", 2.0, [(6, None, 9), (6, None, 10)]),
    ],
    "004": [],
}


# --------------------------------------------------------------------------
# build
# --------------------------------------------------------------------------
def read_lines(key):
    with open(os.path.join(SEEDS, SEED_FILES[key]), encoding="utf-8") as f:
        return f.read().split("\n")


def build_grid(tokens):
    """tokens: list of rows of strings with '<' / '^' merge markers → cells."""
    n_rows = len(tokens)
    n_cols = len(tokens[0]) if tokens else 0
    owner = [[None] * n_cols for _ in range(n_rows)]
    cells = []
    for r in range(n_rows):
        assert len(tokens[r]) == n_cols, f"row {r}: {len(tokens[r])} tokens, expected {n_cols}: {tokens[r]}"
        for c in range(n_cols):
            t = tokens[r][c]
            if t == "<":
                assert c > 0, f"'<' in column 0 at row {r}"
                owner[r][c] = owner[r][c - 1]
            elif t == "^":
                assert r > 0, f"'^' in row 0 at col {c}"
                owner[r][c] = owner[r - 1][c]
            else:
                owner[r][c] = len(cells)
                cells.append({"row": r, "col": c, "text": t})
    for i, cell in enumerate(cells):
        slots = [(r, c) for r in range(n_rows) for c in range(n_cols) if owner[r][c] == i]
        r0, c0 = cell["row"], cell["col"]
        r1 = max(r for r, _ in slots)
        c1 = max(c for _, c in slots)
        assert len(slots) == (r1 - r0 + 1) * (c1 - c0 + 1), f"cell {cell} is not a rectangle"
        cell["row_span"] = r1 - r0 + 1
        cell["col_span"] = c1 - c0 + 1
    return cells, n_rows, n_cols


def body_rows(lines, spec):
    first, last = spec["src"]
    skip = re.compile(spec["skip"]) if spec.get("skip") else None
    rows = []
    for ln in range(first, last + 1):
        raw = lines[ln - 1]
        if raw.strip() == "" or (skip and skip.match(raw.strip())):
            continue
        if ln in spec.get("fix", {}):
            rows.append(list(spec["fix"][ln]))
            continue
        fields = raw.split("\t")
        if ln in spec.get("split", {}):
            i = spec["split"][ln]
            paras = re.split(r"</p>\s*<p>", fields[i])
            assert len(paras) == 2, f"line {ln}: split expects two paragraphs"
            fields[i:i + 1] = [paras[0] + "</p>", "<p>" + paras[1]]
        if ln in spec.get("insert", {}):
            fields.insert(spec["insert"][ln], "")
        pick = spec.get("pick", {}).get(len(fields))
        if pick is not None:
            fields = [fields[i] for i in pick]
        rows.append(fields)
    return rows


def check_header_words(lines, spec, where):
    if not spec.get("hdr"):
        return
    a, b = spec["hdr"]
    raw = re.sub(r"\s+|<[^>]+>|\*", "", "".join(lines[a - 1:b]).replace("\t", ""))
    raw = unicodedata.normalize("NFC", raw)
    for hrow in spec["header"]:
        for t in hrow:
            if t in ("<", "^", ""):
                continue
            probe = t.replace("(", "").replace(")", "").replace("（", "").replace("）", "")
            hay = raw.replace("(", "").replace(")", "").replace("（", "").replace("）", "")
            # a two-line header cell may be converted into two text lines
            ok = probe in hay or any(probe[:k] in hay and probe[k:] in hay for k in range(2, len(probe) - 1))
            assert ok, f"{where}: header word {t!r} not in seed lines {a}-{b}"


def make_table(lines, spec, where):
    check_header_words(lines, spec, where)
    header = [list(r) for r in spec["header"]]
    body = body_rows(lines, spec)
    n_cols = len(header[0]) if header else len(body[0])
    for i, r in enumerate(body):
        assert len(r) == n_cols, f"{where}: body row {i} has {len(r)} fields, expected {n_cols}: {r}"
    body = [[norm(t) for t in r] for r in body]
    # declared merges in the body
    merges = list(spec.get("merges", []))
    if "kv_rows" in spec:          # label/value form: a value followed by empties spans them
        a, b = spec["kv_rows"]
        for r in range(a, b + 1):
            if body[r][2] == "" and body[r][3] == "":
                merges.append((r, 1, 1, 3))
    if "vmerge_from" in spec:      # indicator grid: empty 一级 (and 二级 when 三级 is set) = merged above
        for r in range(spec["vmerge_from"] + 1, len(body)):
            if body[r][0] == "":
                body[r][0] = "^"
            if body[r][1] == "" and body[r][2] != "" and body[r][0] == "^":
                body[r][1] = "^"
    for (r, c, rs, cs) in merges:
        for rr in range(r, r + rs):
            for cc in range(c, c + cs):
                if (rr, cc) == (r, c):
                    continue
                assert body[rr][cc] == "", f"{where}: merge {(r, c, rs, cs)} covers non-empty {body[rr][cc]!r}"
                body[rr][cc] = "<" if rr == r else "^"
                if rr > r and cc > c:
                    body[rr][cc] = "^"
    tokens = header + body
    cells, n_rows, n_cols = build_grid(tokens)
    hr = len(header)
    numeric_cols = set(spec.get("numeric", []))
    numeric_cells = set(spec.get("numeric_cells", []))
    out_cells = []
    for cell in cells:
        text = cell["text"]
        is_num = False
        if cell["row"] >= hr:
            br = cell["row"] - hr
            cols = range(cell["col"], cell["col"] + cell["col_span"])
            in_num = any(c in numeric_cols for c in cols) or (br, cell["col"]) in numeric_cells
            v = parse_value(text)
            is_num = in_num and (text == "" or v is not None)
        value = parse_value(text) if is_num else None
        if value is not None and value == int(value) and "." not in text.replace("万元", ""):
            value = int(value)
        out_cells.append({"row": cell["row"], "col": cell["col"],
                          "row_span": cell["row_span"], "col_span": cell["col_span"],
                          "text": text, "value": value, "numeric": is_num})
    t = {"page": None, "schema": spec["schema"], "title": spec["title"], "numbering": spec["numbering"],
         "unit": spec["unit"], "organisation": spec["org"],
         "n_rows": n_rows, "n_cols": n_cols, "header_rows": hr, "ruling": "full",
         "continues": spec.get("continues"), "cells": out_cells}
    if spec.get("footnote"):
        t["footnote"] = spec["footnote"]
    return t


def narrative_blocks(lines, ranges):
    """One entry per section heading; markdown markup dropped, one line per printed line."""
    out = []
    for a, b in ranges:
        cur = []
        for ln in range(a, b + 1):
            raw = lines[ln - 1].strip()
            if not raw:
                continue
            # markdown headings (seeds 000/002) or bare section lines "一、…说明" (seed 003)
            is_heading = raw.startswith("#") or (ORD.match(raw) is not None and len(raw) <= 40 and "。" not in raw)
            raw = re.sub(r"^#+\s*", "", raw)
            raw = re.sub(r"^-\s+", "", raw)
            text = norm(raw)
            if is_heading and cur:
                out.append(cur)
                cur = []
            cur.append(text)
        if cur:
            out.append(cur)
    return [{"page": None, "text": "\n".join(block)} for block in out]


def generate(write=True):
    """Build every truth document; write them (or just return them, for --check)."""
    os.makedirs(OUT, exist_ok=True)
    written, built = [], {}
    for key, doc in SPECS.items():
        lines = read_lines(key)
        tables = [make_table(lines, spec, f"seed{key} table {i} ({spec['schema']})")
                  for i, spec in enumerate(doc["tables"])]
        truth = {"truth_version": 1, "id": doc["id"], "origin": "seed", "quality": "born-digital",
                 "source_text": "shared/seeds/" + SEED_FILES[key],
                 "metadata": doc["metadata"], "tables": tables,
                 "narrative": narrative_blocks(lines, doc["narrative"]),
                 "inconsistencies": [], "obscured": []}
        v = View(truth)
        for inc in INCONS[key]:
            t = inc["table"]
            cells = []
            for (k, c) in inc["cells"]:
                tt, r = v.find_row(t, k)
                assert tt == t, f"seed{key}: cell key {k!r} resolved into another part"
                cells.append([r, c])
            entry = {"kind": inc["kind"], "deliberate": False, "table": t, "cells": cells,
                     "description": inc["description"], "ref": inc["ref"], "magnitude": inc["magnitude"]}
            if inc.get("related"):
                rel = []
                for (t2, k, c) in inc["related"]:
                    tt, r = v.find_row(t2, k)
                    rel.append([tt, r, c])
                entry["related"] = rel
            if inc.get("quote"):
                idx = v.narrative_index(inc["quote"])
                assert idx is not None, f"seed{key}: quote not in narrative: {inc['quote']}"
                entry["narrative"] = {"index": idx, "quote": inc["quote"]}
            truth["inconsistencies"].append(entry)
        path = os.path.join(OUT, f"{doc['id']}.truth.json")
        built[doc["id"]] = truth
        if not write:
            continue
        with open(path, "w", encoding="utf-8") as f:
            json.dump(truth, f, ensure_ascii=False, indent=1)
            f.write("\n")
        written.append((path, len(tables), sum(len(t["cells"]) for t in tables), len(truth["inconsistencies"])))
    for p, nt, nc, ni in written:
        print(f"wrote {os.path.relpath(p, ROOT)}: {nt} tables, {nc} cells, {ni} inconsistencies")
    return built


# --------------------------------------------------------------------------
# reading a truth file back
# --------------------------------------------------------------------------
CODE_RE = re.compile(r"^\d{3}(\d{2}){0,2}$")


class View:
    """Slot access over a truth document; continuation parts are joined."""

    def __init__(self, truth):
        self.truth = truth
        self.tables = truth["tables"]
        self.slot = []       # per table: dict (r, c) -> cell
        for t in self.tables:
            m = {}
            for cell in t["cells"]:
                for r in range(cell["row"], cell["row"] + cell["row_span"]):
                    for c in range(cell["col"], cell["col"] + cell["col_span"]):
                        m.setdefault((r, c), cell)
            self.slot.append(m)
        self.parts = {}      # first part -> [parts in order]
        for i, t in enumerate(self.tables):
            root = i
            while self.tables[root].get("continues") is not None:
                root = self.tables[root]["continues"]
            self.parts.setdefault(root, []).append(i)

    def cell(self, t, r, c):
        return self.slot[t].get((r, c))

    def is_anchor(self, t, r, c):
        cell = self.cell(t, r, c)
        return cell is not None and cell["row"] == r and cell["col"] == c

    def body(self, t):
        """(table, row) pairs of body rows of t and its continuations."""
        out = []
        for p in self.parts.get(t, [t]):
            tb = self.tables[p]
            out += [(p, r) for r in range(tb["header_rows"], tb["n_rows"])]
        return out

    def text(self, t, r, c):
        cell = self.cell(t, r, c)
        return cell["text"] if cell else ""

    def code(self, t, r):
        """Function/economic code of a row (split 类|款|项 columns are joined)."""
        tb = self.tables[t]
        if tb["schema"] in ("budget.hn.03", "budget.hn.04", "budget.hn.11"):
            parts = [self.text(t, r, c) if self.is_anchor(t, r, c) else "" for c in (0, 1, 2)]
            s = "".join(parts)
            return s if CODE_RE.match(s) else None
        s = self.text(t, r, 0) if self.is_anchor(t, r, 0) else ""
        return s if CODE_RE.match(s) else None

    def find_row(self, t, key):
        """Row whose code or some non-numeric cell text equals key (body rows of t
        and its continuations).  key None → the single body row."""
        rows = self.body(t)
        if key is None:
            assert len(rows) == 1, f"table {t}: key None but {len(rows)} body rows"
            return rows[0]
        for (p, r) in rows:
            if self.code(p, r) == key:
                return (p, r)
        for (p, r) in rows:
            for c in range(self.tables[p]["n_cols"]):
                cell = self.cell(p, r, c)
                if cell and not cell["numeric"] and cell["text"] == key and cell["row"] == r:
                    return (p, r)
        raise KeyError(f"table {t}: no row {key!r}")

    def narrative_index(self, quote):
        for i, n in enumerate(self.truth.get("narrative", [])):
            if quote in n["text"].replace("\n", ""):
                return i
        return None


# --------------------------------------------------------------------------
# checks
# --------------------------------------------------------------------------
TOL = 0.005
ORD = re.compile(r"^[一二三四五六七八九十]+、")
SUBP = re.compile(r"^[(（]\d+[)）]")
NUMD = re.compile(r"^\d+[.．]")
NUMC = re.compile(r"^\d+、")


class Checker:
    def __init__(self, truth, key, verbose=False):
        self.truth, self.key, self.v, self.verbose = truth, key, View(truth), verbose
        self.errors = []       # structural problems
        self.failures = []     # failing identities: dict(kind, cells={(t,r,c)}, desc, quote)
        self.n_ok = 0

    # -- helpers -----------------------------------------------------------
    def val(self, ref):
        t, r, c = ref
        cell = self.v.cell(t, r, c)
        if cell is None or not cell["numeric"]:
            return None
        return cell["value"]

    def empty(self, ref):
        t, r, c = ref
        cell = self.v.cell(t, r, c)
        return cell is None or cell["text"] == ""

    def anchor_ref(self, ref):
        t, r, c = ref
        cell = self.v.cell(t, r, c)
        return (t, cell["row"], cell["col"]) if cell else ref

    def note(self, ok, desc):
        if ok:
            self.n_ok += 1
        if self.verbose:
            print(("   ok    " if ok else "   FAIL  ") + desc)

    def fail(self, kind, refs, desc, quote=None, key=None):
        """key: the cells the failure is about (a sum's total); refs: all cells involved."""
        cells = {self.anchor_ref(x) for x in refs}
        keys = {self.anchor_ref(x) for x in key} if key is not None else cells
        self.failures.append(dict(kind=kind, cells=cells, key=keys, desc=desc, quote=quote))
        self.note(False, f"[{kind}] {desc}")

    def label(self, ref):
        t, r, c = ref
        return self.v.text(t, r, c)

    def check_sum(self, total, items, desc, minus=()):
        """total = Σ items − Σ minus; blank = 0 for addends; a blank total with a
        non-zero sum is a missing total."""
        items = [x for x in items]
        if not items and not minus:
            return
        allrefs = [total] + items + list(minus)
        if all(self.empty(x) for x in allrefs):
            return
        # cells a failure points at: the total and the non-blank items
        shown = [total] + [x for x in items + list(minus) if not self.empty(x)]
        s = sum(self.val(x) or 0 for x in items) - sum(self.val(x) or 0 for x in minus)
        if self.empty(total):
            if abs(s) > TOL:
                self.fail("missing_total", shown, f"{desc}: total blank, items sum to {s:.2f}", key=[total])
            else:
                self.note(True, f"{desc}: blank = 0")
            return
        tv = self.val(total)
        if tv is None:
            self.fail("sum", shown, f"{desc}: total {self.label(total)!r} not numeric", key=[total])
            return
        if abs(tv - s) > TOL:
            self.fail("sum", shown, f"{desc}: {tv:.2f} ≠ {s:.2f} (diff {tv - s:+.2f})", key=[total])
        else:
            self.note(True, f"{desc}: {tv:.2f}")

    def check_eq(self, a, b, desc, kind="cross", op="eq"):
        if self.empty(a) and self.empty(b):
            return
        va, vb = self.val(a) or 0, self.val(b) or 0
        ok = abs(va - vb) <= TOL if op == "eq" else va <= vb + TOL
        if ok and (self.empty(a) != self.empty(b)) and op == "eq" and (va != 0 or vb != 0):
            ok = False
        if not ok:
            self.fail(kind, [a, b], f"{desc}: {self.label(a) or '∅'} vs {self.label(b) or '∅'}")
        else:
            self.note(True, f"{desc}: {va:.2f}")

    def numcols(self, t):
        return sorted({c["col"] for c in self.v.tables[t]["cells"]
                       if c["numeric"] and c["col_span"] == 1 and c["row"] >= self.v.tables[t]["header_rows"]})

    # -- structure ---------------------------------------------------------
    def structure(self):
        for ti, t in enumerate(self.v.tables):
            where = f"table {ti} ({t['schema']})"
            seen = {}
            for cell in t["cells"]:
                for k in ("row", "col", "row_span", "col_span", "text", "value", "numeric"):
                    if k not in cell:
                        self.errors.append(f"{where}: cell without {k}: {cell}")
                r0, c0, rs, cs = cell["row"], cell["col"], cell["row_span"], cell["col_span"]
                if rs < 1 or cs < 1 or r0 < 0 or c0 < 0 or r0 + rs > t["n_rows"] or c0 + cs > t["n_cols"]:
                    self.errors.append(f"{where}: span out of bounds {cell}")
                for r in range(r0, r0 + rs):
                    for c in range(c0, c0 + cs):
                        if (r, c) in seen:
                            self.errors.append(f"{where}: slot {(r, c)} covered twice")
                        seen[(r, c)] = cell
                if cell["numeric"]:
                    v = parse_value(cell["text"]) if cell["text"] else None
                    if cell["text"] and v is None:
                        self.errors.append(f"{where}: numeric cell text does not parse {cell}")
                    if (v is None) != (cell["value"] is None) or (v is not None and abs(v - cell["value"]) > 1e-9):
                        self.errors.append(f"{where}: value {cell['value']} ≠ text {cell['text']!r}")
                    if cell["row"] < t["header_rows"]:
                        self.errors.append(f"{where}: numeric header cell {cell}")
                elif cell["value"] is not None:
                    self.errors.append(f"{where}: non-numeric cell with value {cell}")
                if cell["text"] != unicodedata.normalize("NFC", cell["text"]) or re.search(r"<[a-z/]", cell["text"]):
                    self.errors.append(f"{where}: text not normalised {cell['text']!r}")
            missing = [(r, c) for r in range(t["n_rows"]) for c in range(t["n_cols"]) if (r, c) not in seen]
            if missing:
                self.errors.append(f"{where}: {len(missing)} slots uncovered, e.g. {missing[:3]}")
            if not (0 <= t["header_rows"] <= t["n_rows"]):
                self.errors.append(f"{where}: header_rows out of range")
            for k in ("page", "schema", "title", "numbering", "unit", "organisation", "ruling"):
                if k not in t:
                    self.errors.append(f"{where}: missing {k}")
            if t.get("page") is not None or "bbox_pt" in t:
                self.errors.append(f"{where}: seed truth must have page null and no bbox")
            if t.get("continues") is not None and not (0 <= t["continues"] < ti):
                self.errors.append(f"{where}: continues points forward")
        if "pdf" in self.truth:
            self.errors.append("seed truth must not name a pdf")

    # -- per-schema identities ---------------------------------------------
    def hierarchy(self, t, name_col):
        rows = self.v.body(t)
        coded = [(p, r, self.v.code(p, r)) for (p, r) in rows if self.v.code(p, r)]
        total = None
        for (p, r) in rows:
            if any(self.v.text(p, r, c) in ("合计", "总计") for c in range(name_col + 1)):
                total = (p, r)
                break
        for col in self.numcols(t):
            by_len = {n: [(p, r, k) for (p, r, k) in coded if len(k) == n] for n in (3, 5, 7)}
            if total is not None:
                top = next((by_len[n] for n in (3, 5, 7) if by_len[n]), [])
                self.check_sum((total[0], total[1], col), [(p, r, col) for (p, r, _) in top],
                               f"t{t} c{col} 合计 = Σ top-level rows")
            for n, m in ((3, 5), (5, 7)):
                for (p, r, k) in by_len[n]:
                    kids = [(pp, rr, col) for (pp, rr, kk) in by_len[m] if kk.startswith(k)]
                    if not kids and n == 3:
                        kids = [(pp, rr, col) for (pp, rr, kk) in by_len[7] if kk.startswith(k)]
                    if kids:
                        self.check_sum((p, r, col), kids, f"t{t} c{col} {k} = Σ children")

    def row_sums(self, t, total_col, plus, minus=(), rows=None, name=""):
        for (p, r) in (rows or self.v.body(t)):
            if not self.v.is_anchor(p, r, total_col):
                continue
            self.check_sum((p, r, total_col), [(p, r, c) for c in plus],
                           f"t{t} r{r} {name or 'row'} c{total_col} = Σ{list(plus)}" + (f" − Σ{list(minus)}" if minus else ""),
                           minus=[(p, r, c) for c in minus])

    def lines_by(self, t, label_col, pattern=None, labels=None):
        out = []
        for (p, r) in self.v.body(t):
            s = self.v.text(p, r, label_col) if self.v.is_anchor(p, r, label_col) else ""
            if (pattern and pattern.match(s)) or (labels and s in labels):
                out.append((p, r, s))
        return out

    def find(self, t, label_col, label):
        rs = self.lines_by(t, label_col, labels=[label])
        return (rs[0][0], rs[0][1]) if rs else None

    def totals_side(self, t, label_col, val_cols, item_pat, subtotal, extra_total, extras):
        """subtotal = Σ item lines; extra_total = subtotal + Σ extras."""
        items = self.lines_by(t, label_col, item_pat)
        st = self.find(t, label_col, subtotal)
        for vc in val_cols:
            if st:
                self.check_sum((st[0], st[1], vc), [(p, r, vc) for (p, r, _) in items], f"t{t} c{vc} {subtotal} = Σ lines")
            tot = self.find(t, label_col, extra_total) if extra_total else None
            if tot and st:
                ex = [self.find(t, label_col, e) for e in extras]
                self.check_sum((tot[0], tot[1], vc), [(st[0], st[1], vc)] + [(e[0], e[1], vc) for e in ex if e],
                               f"t{t} c{vc} {extra_total} = {subtotal} + {'+'.join(extras)}")

    def econ_blocks(self, t, panels):
        """panels: [(code_col, value_col)], value cols may be several."""
        entries = []
        for (p, r) in self.v.body(t):
            for (cc, vcs) in panels:
                s = self.v.text(p, r, cc) if self.v.is_anchor(p, r, cc) else ""
                if re.match(r"^3\d{2}(\d{2})?$", s):
                    entries.append((s, p, r, vcs))
        classes = {}
        for (k, p, r, vcs) in entries:
            if len(k) == 3:
                kids = [(pp, rr) for (kk, pp, rr, _) in entries if len(kk) == 5 and kk.startswith(k)]
                for vc in vcs:
                    self.check_sum((p, r, vc), [(pp, rr, vc) for (pp, rr) in kids], f"t{t} c{vc} {k} = Σ {k}xx")
                classes[k] = (p, r, vcs)
        return classes

    def schema_checks(self):
        v = self.v
        for t, tb in enumerate(v.tables):
            if tb.get("continues") is not None:
                continue
            s = tb["schema"]
            if s in ("final.02", "final.03", "final.05", "final.08", "final.09"):
                self.hierarchy(t, 1)
                if s == "final.02":
                    self.row_sums(t, 2, range(3, 9))
                elif s == "final.03":
                    self.row_sums(t, 2, range(3, 8))
                elif s in ("final.05", "final.09"):
                    self.row_sums(t, 2, [3, 4])
                elif s == "final.08":
                    self.row_sums(t, 4, [5, 6])
                    self.row_sums(t, 7, [2, 3], minus=[4], name="年末 = 年初 + 收入 − 支出")
            elif s in ("budget.hn.03", "budget.hn.04"):
                self.hierarchy(t, 3)
                self.row_sums(t, 4, range(5, 10))
            elif s == "budget.hn.11":
                self.hierarchy(t, 3)
                self.row_sums(t, 4, [5, 9])
                self.row_sums(t, 5, [6, 7, 8])
                self.row_sums(t, 9, range(10, 17))
            elif s == "final.01":
                extra = "使用非财政拨款结余" if self.find(t, 0, "使用非财政拨款结余") else "用事业基金弥补收支差额"
                self.totals_side(t, 0, [2], ORD, "本年收入合计", "总计", [extra, "年初结转和结余"])
                self.totals_side(t, 3, [5], ORD, "本年支出合计", "总计", ["结余分配", "年末结转和结余"])
                a, b = self.find(t, 0, "总计"), self.find(t, 3, "总计")
                self.check_eq((a[0], a[1], 2), (b[0], b[1], 5), f"t{t} 收入总计 = 支出总计", kind="sum")
            elif s == "final.04":
                vcs = [c for c in self.numcols(t) if c >= 5]
                self.totals_side(t, 0, [2], ORD, "本年收入合计", "总计", ["年初财政拨款结转和结余"])
                a = self.find(t, 0, "年初财政拨款结转和结余")
                b = self.find(t, 0, "总计")
                subs = [(p, r) for (p, r) in v.body(t) if a and b and a[1] < r < b[1] and v.text(p, r, 0)]
                if a:
                    self.check_sum((a[0], a[1], 2), [(p, r, 2) for (p, r) in subs], f"t{t} 年初财政拨款结转和结余 = Σ sub-lines")
                self.totals_side(t, 3, vcs, ORD, "本年支出合计", "总计", ["年末财政拨款结转和结余"])
                self.row_sums(t, 5, vcs[1:], rows=[(p, r) for (p, r) in v.body(t) if v.text(p, r, 3)])
                c = self.find(t, 3, "总计")
                self.check_eq((b[0], b[1], 2), (c[0], c[1], 5), f"t{t} 收入总计 = 支出总计", kind="sum")
            elif s in ("budget.hn.01", "budget.hn.10"):
                one = self.find(t, 0, "一、一般公共预算拨款")
                two = self.find(t, 0, "(2)纳入一般公共预算管理的非税收入拨款")
                sub1 = self.find(t, 0, "(1)经费拨款")
                self.check_sum((one[0], one[1], 1), [(sub1[0], sub1[1], 1), (two[0], two[1], 1)], f"t{t} 一般公共预算拨款 = (1) + (2)")
                nums = [(p, r) for (p, r, _) in self.lines_by(t, 0, NUMD)]
                self.check_sum((two[0], two[1], 1), [(p, r, 1) for (p, r) in nums], f"t{t} (2) = Σ 1.-4.")
                inc_total = "收入总计" if s == "budget.hn.01" else "本年收入合计"
                exp_total = "支出总计" if s == "budget.hn.01" else "本年支出合计"
                self.totals_side(t, 0, [1], ORD, inc_total, None, [])
                vcs = [3] if s == "budget.hn.01" else [3, 4, 5]
                self.totals_side(t, 2, vcs, NUMC, exp_total, None, [])
                if s == "budget.hn.10":
                    self.row_sums(t, 3, [4, 5], rows=[(p, r) for (p, r) in v.body(t) if v.text(p, r, 2)])
                a, b = self.find(t, 0, inc_total), self.find(t, 2, exp_total)
                self.check_eq((a[0], a[1], 1), (b[0], b[1], 3), f"t{t} {inc_total} = {exp_total}", kind="sum")
            elif s == "budget.hn.02":
                self.row_sums(t, 0, range(1, 6))
            elif s in ("budget.hn.05", "budget.hn.06", "budget.hn.07", "budget.hn.12", "budget.hn.13", "budget.hn.14"):
                self.econ_blocks(t, [(0, [2])])
            elif s == "budget.hn.17":
                classes = self.econ_blocks(t, [(0, [2, 3, 4])])
                tot = self.find(t, 1, "合计")
                for vc in (2, 3, 4):
                    self.check_sum((tot[0], tot[1], vc), [(p, r, vc) for (p, r, _) in classes.values()], f"t{t} c{vc} 合计 = Σ classes")
                self.row_sums(t, 2, [3, 4])
            elif s == "final.06":
                classes = self.econ_blocks(t, [(0, [2]), (3, [5]), (6, [8])])
                ry = self.total_value_ref(t, "人员经费合计")
                rg = self.total_value_ref(t, "公用经费合计")
                cref = lambda k: (classes[k][0], classes[k][1], classes[k][2][0])
                if ry:
                    self.check_sum(ry, [cref(k) for k in ("301", "303") if k in classes], f"t{t} 人员经费合计 = 301 + 303")
                if rg:
                    self.check_sum(rg, [cref(k) for k in classes if k not in ("301", "303")],
                                   f"t{t} 公用经费合计 = Σ other classes ({'+'.join(k for k in classes if k not in ('301', '303'))})")
            elif s == "final.07":
                (p, r) = v.body(t)[0]
                for off, name in ((0, "预算数"), (6, "决算数")):
                    self.check_sum((p, r, off), [(p, r, off + 1), (p, r, off + 2), (p, r, off + 5)], f"t{t} {name} 合计 = 出国 + 车 + 接待")
                    self.check_sum((p, r, off + 2), [(p, r, off + 3), (p, r, off + 4)], f"t{t} {name} 公务用车 小计 = 购置 + 运行")
            elif s == "budget.hn.09":
                g = lambda lab: (lambda x: (x[0], x[1], 1))(self.find(t, 0, lab))
                self.check_sum(g("合计"), [g("一、“三公”经费小计"), g("二、会议费、培训费小计")], f"t{t} 合计 = 三公 + 会议培训")
                self.check_sum(g("一、“三公”经费小计"), [g("1.因公出国（境）费用"), g("2.公务接待费"), g("3.公务用车购置及运行费")], f"t{t} 三公小计")
                self.check_sum(g("3.公务用车购置及运行费"), [g("（1）公务用车运行维护费"), g("（2）公务用车购置费")], f"t{t} 公务用车")
                self.check_sum(g("二、会议费、培训费小计"), [g("1.会议费"), g("2.培训费")], f"t{t} 会议培训")
            elif s == "perf.dept_overall":
                g = lambda lab: (lambda x: (x[0], x[1], 2))(v.find_row(t, lab))
                self.check_sum(g("资金总额:"), [g("其中:基本支出:"), g("项目支出:")], f"t{t} 资金总额 = 基本 + 项目")
            elif s == "perf.sd.project_issue":
                p, r = v.find_row(t, self.sd_label(t))
                self.check_eq((p, r, 1), (p, r, 3), f"t{t} 项目总金额 = 本年度预算申请金额", kind="sum")

    def sd_label(self, t):
        for (p, r) in self.v.body(t):
            if self.v.text(p, r, 0).startswith("项目总金额"):
                return self.v.text(p, r, 0)
        raise KeyError("项目总金额")

    def total_value_ref(self, t, label):
        for (p, r) in self.v.body(t):
            for c in range(self.v.tables[p]["n_cols"]):
                if self.v.is_anchor(p, r, c) and self.v.text(p, r, c) == label:
                    cell = self.v.cell(p, r, c)
                    for c2 in range(c + cell["col_span"], self.v.tables[p]["n_cols"]):
                        if self.v.is_anchor(p, r, c2) and self.v.cell(p, r, c2)["numeric"]:
                            return (p, r, c2)
        return None

    # -- cross-table -------------------------------------------------------
    def ref(self, t, key, col):
        p, r = self.v.find_row(t, key)
        return (p, r, col)

    def schema_index(self, schema):
        return [i for i, t in enumerate(self.v.tables) if t["schema"] == schema and t.get("continues") is None]

    def by_code(self, t):
        return {self.v.code(p, r): (p, r) for (p, r) in self.v.body(t) if self.v.code(p, r)}

    def class_total(self, t, cls, col):
        """value of class row cls in a function-coded table, or the sum of its 项 rows."""
        codes = self.by_code(t)
        if cls in codes:
            return [(codes[cls][0], codes[cls][1], col)]
        return [(p, r, col) for k, (p, r) in codes.items() if len(k) == 7 and k.startswith(cls)]

    def cross(self):
        v, S = self.v, self.schema_index
        kind = self.truth["metadata"]["kind"]
        if kind == "final":
            f1, f2, f3, f4, f5, f6, f7 = (S(x)[0] for x in ("final.01", "final.02", "final.03", "final.04", "final.05", "final.06", "final.07"))
            self.check_eq(self.ref(f1, "本年收入合计", 2), self.ref(f2, "合计", 2), "final.01 本年收入合计 = final.02 合计")
            self.check_eq(self.ref(f1, "本年支出合计", 5), self.ref(f3, "合计", 2), "final.01 本年支出合计 = final.03 合计")
            for (p, r, lab) in self.lines_by(f1, 3, ORD):
                if self.empty((p, r, 5)):
                    continue
                name = ORD.sub("", lab)
                cls = next((k for k, (pp, rr) in self.by_code(f5).items() if len(k) == 3 and v.text(pp, rr, 1) == name), None)
                if cls:
                    items = self.class_total(f3, cls, 2)
                    if len(items) == 1:
                        self.check_eq((p, r, 5), items[0], f"final.01 {name} = final.03 {cls}")
                    else:
                        self.check_sum((p, r, 5), items, f"final.01 {name} = Σ final.03 {cls}xxxxx")
            # all income is 财政拨款 → final.01 totals = final.04 totals
            inc = self.ref(f2, "合计", 2)
            fin = self.ref(f2, "合计", 3)
            if not self.empty(inc) and abs((self.val(inc) or 0) - (self.val(fin) or 0)) <= TOL:
                self.check_eq(self.ref(f1, "本年收入合计", 2), self.ref(f4, "本年收入合计", 2), "final.01 本年收入合计 = final.04")
                a = v.find_row(f1, "总计")
                b = v.find_row(f4, "总计")
                self.check_eq((a[0], a[1], 2), (b[0], b[1], 2), "final.01 收入总计 = final.04 收入总计")
                self.check_eq((a[0], a[1], 5), (b[0], b[1], 5), "final.01 支出总计 = final.04 支出总计")
            self.check_eq(self.ref(f4, "本年支出合计", 6), self.ref(f5, "合计", 2), "final.04 本年支出合计/一般公共预算 = final.05 合计")
            for (p, r, lab) in self.lines_by(f4, 3, ORD):
                name = ORD.sub("", lab)
                cls = next((k for k, (pp, rr) in self.by_code(f5).items() if len(k) == 3 and v.text(pp, rr, 1) == name), None)
                if cls:
                    self.check_eq((p, r, 6), self.class_total(f5, cls, 2)[0], f"final.04 {name} 一般公共预算 = final.05 {cls}")
            if S("final.08"):
                f8 = S("final.08")[0]
                self.check_eq(self.ref(f4, "本年支出合计", 7), self.ref(f8, "合计", 4), "final.04 本年支出合计/政府性基金 = final.08 合计")
            if S("final.09"):
                f9 = S("final.09")[0]
                self.check_eq(self.ref(f4, "本年支出合计", 8), self.ref(f9, "合计", 2), "final.04 本年支出合计/国有资本 = final.09 合计")
            # final.05 per code = final.03 per code when all spending is 一般公共预算
            if abs((self.val(self.ref(f4, "本年支出合计", 5)) or 0) - (self.val(self.ref(f4, "本年支出合计", 6)) or 0)) <= TOL:
                c3 = self.by_code(f3)
                for k, (p, r) in self.by_code(f5).items():
                    if k in c3:
                        for a_col, b_col in ((2, 2), (3, 3), (4, 4)):
                            self.check_eq((p, r, a_col), (c3[k][0], c3[k][1], b_col), f"final.05 {k} c{a_col} = final.03")
            # final.05 基本支出 = final.06 人员 + 公用
            ry, rg = self.total_value_ref(f6, "人员经费合计"), self.total_value_ref(f6, "公用经费合计")
            self.check_sum(self.ref(f5, "合计", 3), [ry, rg], "final.05 合计 基本支出 = final.06 人员经费合计 + 公用经费合计")
            # final.07 决算 ≥ final.06 basic lines; equality when no 项目支出
            no_proj = self.empty(self.ref(f5, "合计", 4)) or (self.val(self.ref(f5, "合计", 4)) or 0) == 0
            (p7, r7) = v.body(f7)[0]
            for code, col in (("30217", 11), ("30231", 10), ("30212", 7), ("31013", 9)):
                ref6 = self.econ_ref(f6, code)
                if ref6 is None:
                    continue
                if no_proj:
                    self.check_eq((p7, r7, col), ref6, f"final.07 决算 c{col} = final.06 {code} (no 项目支出)")
                else:
                    self.check_eq(ref6, (p7, r7, col), f"final.06 {code} ≤ final.07 决算 c{col}", op="le")
        elif kind == "budget":
            h = lambda s: S(s)[0]
            h1, h2, h3, h4, h11, h17 = (h(x) for x in ("budget.hn.01", "budget.hn.02", "budget.hn.03", "budget.hn.04", "budget.hn.11", "budget.hn.17"))
            self.check_eq(self.ref(h1, "收入总计", 1), self.ref(h2, None, 0), "hn.01 收入总计 = hn.02 总计")
            self.check_eq(self.ref(h2, None, 0), self.ref(h3, "合计", 4), "hn.02 总计 = hn.03 合计")
            self.check_eq(self.ref(h1, "收入总计", 1), self.ref(h3, "合计", 4), "hn.01 收入总计 = hn.03 合计")
            # duplicate tables
            for a, b, cols in (("budget.hn.03", "budget.hn.04", range(4, 10)), ("budget.hn.05", "budget.hn.12", [2]),
                               ("budget.hn.06", "budget.hn.13", [2]), ("budget.hn.07", "budget.hn.14", [2])):
                A, B = h(a), h(b)
                ka, kb = self.by_code(A), self.by_code(B)
                if set(ka) != set(kb):
                    self.fail("cross", [], f"{a} and {b} list different codes: {sorted(set(ka) ^ set(kb))}")
                for k in ka:
                    if k in kb:
                        for c in cols:
                            self.check_eq((ka[k][0], ka[k][1], c), (kb[k][0], kb[k][1], c), f"{a} {k} c{c} = {b}")
            # hn.17 vs hn.12 / hn.13 per code
            k17 = self.by_code(h17)
            for other in ("budget.hn.12", "budget.hn.13"):
                ko = self.by_code(h(other))
                for k, (p, r) in k17.items():
                    if k in ko:
                        self.check_eq((p, r, 2), (ko[k][0], ko[k][1], 2), f"hn.17 {k} = {other}")
            # hn.11 vs hn.12/13/14/17 and hn.03
            self.check_eq(self.ref(h11, "合计", 6), self.ref(h("budget.hn.12"), "301", 2), "hn.11 基本/工资福利 = hn.12 301")
            self.check_eq(self.ref(h11, "合计", 7), self.ref(h("budget.hn.13"), "302", 2), "hn.11 基本/一般商品和服务 = hn.13 302")
            self.check_eq(self.ref(h11, "合计", 8), self.ref(h("budget.hn.14"), "303", 2), "hn.11 基本/对个人和家庭 = hn.14 303")
            self.check_eq(self.ref(h11, "合计", 5), self.ref(h17, "合计", 2), "hn.11 基本合计 = hn.17 合计")
            c3 = self.by_code(h3)
            for k, (p, r) in self.by_code(h11).items():
                if k in c3:
                    self.check_eq((p, r, 4), (c3[k][0], c3[k][1], 5), f"hn.11 {k} 总计 = hn.03 一般公共预算拨款")
            h10 = h("budget.hn.10")
            for lab, cls in (("1、一般公共服务", "201"), ("7、社会保障和就业", "208")):
                self.check_eq(self.ref(h10, lab, 4), self.ref(h11, cls, 4), f"hn.10 {lab} 一般公共预算 = hn.11 {cls}")
                self.check_eq(self.ref(h1, lab, 3), self.ref(h3, cls, 4), f"hn.01 {lab} = hn.03 {cls}")
            h9, h13 = h("budget.hn.09"), h("budget.hn.13")
            self.check_eq(self.ref(h13, "30217", 2), self.ref(h9, "2.公务接待费", 1), "hn.13 30217 ≤ hn.09 公务接待费", op="le")
            self.check_eq(self.ref(h13, "30215", 2), self.ref(h9, "1.会议费", 1), "hn.13 30215 ≤ hn.09 会议费", op="le")
            p1, p2, p3 = h("perf.dept_overall"), h("perf.hn.special_summary"), h("perf.hn.special_direction")
            self.check_eq(self.ref(p1, "资金总额:", 2), self.ref(h1, "收入总计", 1), "绩效表1 资金总额 = hn.01 收入总计")
            self.check_eq(self.ref(p1, "其中:基本支出:", 2), self.ref(h11, "合计", 5), "绩效表1 基本支出 = hn.11 基本合计")
            self.check_eq(self.ref(p1, "项目支出:", 2), self.ref(h11, "合计", 9), "绩效表1 项目支出 = hn.11 项目合计")
            self.check_sum(self.ref(p1, "项目支出:", 2), [(p, r, 3) for (p, r) in v.body(p2)], "绩效表1 项目支出 = Σ 绩效表2 资金总额")
            for (p, r) in v.body(p2):
                name = v.text(p, r, 1)
                q = next(((pp, rr) for (pp, rr) in v.body(p3) if v.text(pp, rr, 2) == name), None)
                if q:
                    self.check_eq((p, r, 3), (q[0], q[1], 4), f"绩效表2 {name} = 绩效表3")
        self.names()

    def econ_ref(self, t, code):
        for (p, r) in self.v.body(t):
            for cc, vc in ((0, 2), (3, 5), (6, 8)):
                if self.v.is_anchor(p, r, cc) and self.v.text(p, r, cc) == code:
                    return (p, r, vc)
        return None

    # -- names ---------------------------------------------------------------
    def names(self):
        """same code → same name across the document's tables; economic classes
        against the reference list."""
        seen = {}
        v = self.v
        for t, tb in enumerate(v.tables):
            s = tb["schema"]
            if s.startswith("perf") or s in ("final.01", "final.04", "budget.hn.01", "budget.hn.10", "budget.hn.02", "budget.hn.09", "final.07"):
                continue
            name_col = 3 if s in ("budget.hn.03", "budget.hn.04", "budget.hn.11") else 1
            for (p, r) in v.body(t):
                pairs = []
                if s == "final.06":
                    for cc in (0, 3, 6):
                        if v.is_anchor(p, r, cc) and re.match(r"^3\d{2}(\d{2})?$", v.text(p, r, cc)):
                            pairs.append((v.text(p, r, cc), (p, r, cc + 1)))
                else:
                    k = v.code(p, r)
                    if k:
                        pairs.append((k, (p, r, name_col)))
                for k, ref in pairs:
                    seen.setdefault(k, []).append(ref)
        econ = {}
        with open(os.path.join(REF, "dept_economic_classification.csv"), encoding="utf-8") as f:
            for line in f.read().splitlines()[1:]:
                parts = line.split(",")
                if len(parts[0]) == 3:
                    econ[parts[0]] = parts[1]

        def same(a, b):
            return a == b or a.startswith(b + "（") or b.startswith(a + "（")
        for k, refs in seen.items():
            names = [self.label(x) for x in refs]
            if any(not same(names[0], n) for n in names[1:]):
                self.fail("label", refs, f"code {k} named differently: {sorted(set(names))}")
            else:
                self.note(True, f"code {k} names agree")
            if k in econ:
                for x in refs:
                    if self.label(x) != econ[k]:
                        self.fail("label", [x], f"class {k} printed {self.label(x)!r}, standard {econ[k]!r}")

    # -- narrative -----------------------------------------------------------
    def narrative(self):
        for quote, number, target in CLAIMS.get(self.key, []):
            idx = self.v.narrative_index(quote)
            if idx is None:
                self.errors.append(f"narrative quote not found: {quote}")
                continue
            nums = [float(x) for x in re.findall(r"\d+(?:\.\d+)?", quote)]
            if number is not None and not any(abs(n - number) < 1e-9 for n in nums):
                self.errors.append(f"claim number {number} not in quote {quote}")
            if isinstance(target, dict) and "class_of" in target:
                t, item, cls_name = target["class_of"]
                p, r = self.v.find_row(t, item)
                code = self.v.code(p, r)
                pc, rc = self.v.find_row(t, code[:3])
                printed = self.v.text(pc, rc, 1)
                desc = f"narrative files {item} under {cls_name}; table: {code[:3]} {printed}"
                if printed == cls_name:
                    self.note(True, desc)
                else:
                    self.fail("narrative", [(p, r, 0), (pc, rc, 1)], desc, quote=quote)
                continue
            if isinstance(target, dict):
                s = sum(target["parts"])
                ok = abs(s - number) <= TOL
                refs = []
                desc = f"narrative {number} = Σ stated parts {s:.2f}"
            else:
                refs = [self.ref(*x) for x in target]
                s = sum(self.val(x) or 0 for x in refs)
                ok = abs(s - number) <= TOL
                desc = f"narrative {number} = table {s:.2f}"
            if ok:
                self.note(True, f"{desc} «{quote}»")
            else:
                self.fail("narrative", refs, f"{desc} «{quote}»", quote=quote)

    # -- matching ----------------------------------------------------------
    def run(self):
        self.structure()
        if self.errors:
            return
        self.schema_checks()
        self.cross()
        self.narrative()

    def match(self):
        incs = self.truth.get("inconsistencies", [])
        primary, inc_cells = [], []
        for inc in incs:
            cs = {self.anchor_ref((inc["table"], r, c)) for r, c in inc["cells"]}
            primary.append(cs)
            inc_cells.append(cs | {self.anchor_ref(tuple(x)) for x in inc.get("related", [])})
        used = [0] * len(incs)
        unexplained = []
        for f in self.failures:
            hits = []
            for i, inc in enumerate(incs):
                if f["quote"] is not None:
                    if inc.get("narrative", {}).get("quote") == f["quote"]:
                        hits.append(i)
                elif inc["kind"] != "narrative_mismatch" and (f["key"] & inc_cells[i] or f["cells"] & primary[i]):
                    hits.append(i)
            for i in hits:
                used[i] += 1
            if not hits:
                unexplained.append(f)
            f["hits"] = hits
        return unexplained, [incs[i] for i in range(len(incs)) if not used[i]], used


def check(verbose=False):
    ok_all = True
    fresh = generate(write=False)
    for key, doc in SPECS.items():
        path = os.path.join(OUT, f"{doc['id']}.truth.json")
        with open(path, encoding="utf-8") as f:
            truth = json.load(f)
        if json.loads(json.dumps(fresh[doc["id"]])) != truth:
            print(f"  WARNING: {os.path.relpath(path, ROOT)} differs from what the script generates now (stale?)")
        print(f"== {os.path.relpath(path, ROOT)}: {len(truth['tables'])} tables, "
              f"{sum(len(t['cells']) for t in truth['tables'])} cells, {len(truth['inconsistencies'])} listed inconsistencies")
        ch = Checker(truth, key, verbose)
        ch.run()
        if ch.errors:
            ok_all = False
            for e in ch.errors:
                print("  STRUCTURE ERROR:", e)
            continue
        print(f"  structure ok; identities holding: {ch.n_ok}; failing: {len(ch.failures)}")
        unexplained, unused, used = ch.match()
        incs = truth["inconsistencies"]
        for f in ch.failures:
            tag = ",".join(f"#{incs[i]['ref'] or '+'}" for i in f["hits"]) or "UNEXPLAINED"
            print(f"  fail [{f['kind']}] {f['desc']}  → {tag}")
        for i, inc in enumerate(incs):
            print(f"  listed #{inc['ref'] or '+'} {inc['kind']} t{inc['table']} {inc['cells']}: explains {used[i]} failure(s)")
        if unexplained or unused:
            ok_all = False
            for f in unexplained:
                print("  ERROR: failing identity not listed:", f["desc"])
            for inc in unused:
                print("  ERROR: listed inconsistency not reproduced by any check:", inc["description"])
    print("CHECK PASSED" if ok_all else "CHECK FAILED")
    return 0 if ok_all else 1


def selftest():
    """The checker must reject damaged copies of the truth files."""
    import copy
    with open(os.path.join(OUT, "seed002.truth.json"), encoding="utf-8") as f:
        base = json.load(f)

    def verdict(t):
        ch = Checker(t, "002")
        ch.run()
        if ch.errors:
            return "structure"
        unexplained, unused, _ = ch.match()
        return "identities" if unexplained or unused else "pass"

    def cell(t, ti, r, c):
        return next(x for x in t["tables"][ti]["cells"] if x["row"] == r and x["col"] == c)

    cases = []
    t = copy.deepcopy(base); x = cell(t, 1, 5, 2); x["text"], x["value"] = "121.07", 121.07
    cases.append(("a number changed (公开02表 2010507 121.06 → 121.07)", t, "identities"))
    t = copy.deepcopy(base); t["tables"][0]["cells"].pop(20)
    cases.append(("a cell dropped", t, "structure"))
    t = copy.deepcopy(base); t["tables"][0]["cells"][0]["col_span"] = 4
    cases.append(("overlapping spans", t, "structure"))
    t = copy.deepcopy(base); x = cell(t, 0, 3, 2); x["value"] = 81.016
    cases.append(("value not matching text", t, "structure"))
    t = copy.deepcopy(base); t["inconsistencies"].pop(2)
    cases.append(("a listed inconsistency removed (#11)", t, "identities"))
    t = copy.deepcopy(base); x = cell(t, 5, 17, 5); x["text"], x["value"] = "0.40", 0.40
    cases.append(("a source error repaired (30217 := 0.40): #13 no longer reproduced", t, "identities"))
    t = copy.deepcopy(base)
    cases.append(("unchanged", t, "pass"))
    bad = 0
    for name, t, want in cases:
        got = verdict(t)
        bad += got != want
        print(f"  {'ok  ' if got == want else 'FAIL'} {name}: {got} (want {want})")
    print("SELFTEST PASSED" if not bad else "SELFTEST FAILED")
    return 1 if bad else 0


def show(doc_id):
    with open(os.path.join(OUT, f"{doc_id}.truth.json"), encoding="utf-8") as f:
        truth = json.load(f)
    for i, t in enumerate(truth["tables"]):
        print(f"--- table {i}: {t['schema']} {t['numbering']} 《{t['title']}》 unit={t['unit']} org={t['organisation']!r} "
              f"{t['n_rows']}x{t['n_cols']} header_rows={t['header_rows']} continues={t['continues']}")
        grid = [[""] * t["n_cols"] for _ in range(t["n_rows"])]
        for c in t["cells"]:
            txt = c["text"].replace("\n", "⏎")
            if len(txt) > 14:
                txt = txt[:13] + "…"
            span = f"[{c['row_span']}x{c['col_span']}]" if c["row_span"] > 1 or c["col_span"] > 1 else ""
            grid[c["row"]][c["col"]] = txt + span + ("#" if c["numeric"] else "")
            for r in range(c["row"], c["row"] + c["row_span"]):
                for cc in range(c["col"], c["col"] + c["col_span"]):
                    if (r, cc) != (c["row"], c["col"]):
                        grid[r][cc] = "·"
        for r, rowv in enumerate(grid):
            print(f"{r:3d} | " + " | ".join(rowv))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="verify the truth files instead of writing them")
    ap.add_argument("-v", "--verbose", action="store_true", help="with --check: list every identity evaluated")
    ap.add_argument("--show", metavar="ID", help="print the tables of a written truth file as text grids (e.g. seed002)")
    ap.add_argument("--selftest", action="store_true", help="check that the checker rejects damaged copies of seed002")
    a = ap.parse_args()
    if a.selftest:
        sys.exit(selftest())
    if a.show:
        show(a.show)
        return
    if a.check:
        sys.exit(check(a.verbose))
    generate()


if __name__ == "__main__":
    main()
