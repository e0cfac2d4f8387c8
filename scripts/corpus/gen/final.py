"""部门决算 (final-account) documents: 公开01–09表 (2019+) and 财决公开01–08表 (2018)."""
from . import refdata as R
from .table import LTable, T, N, L, cn_ordinal, pct
from .common import code_header, code_rows, lanci_row, prefix_sum
from .unit import make_unit

NOTES = {
    "final.01": "注：本表反映部门本年度的总收支和年末结转结余情况。",
    "final.02": "注：本表反映部门本年度取得的各项收入情况。",
    "final.03": "注：本表反映部门本年度各项支出情况。",
    "final.04": "注：本表反映部门本年度一般公共预算财政拨款、政府性基金预算财政拨款和国有资本经营预算财政拨款的总收支和年末结转结余情况。",
    "final.05": "注：本表反映部门本年度一般公共预算财政拨款支出情况。",
    "final.06": "注：本表反映部门本年度一般公共预算财政拨款基本支出明细情况。",
    "final.07": "注：本表反映部门本年度“三公”经费支出预决算情况。其中，预算数为“三公”经费全年预算数，反映按规定程序调整后的预算数；决算数是包括当年一般公共预算财政拨款和以前年度结转资金安排的实际支出。",
    "final.08": "注：本表反映部门本年度政府性基金预算财政拨款收入、支出及结转和结余情况。",
    "final.09": "注：本表反映部门本年度国有资本经营预算财政拨款支出情况。",
}
TITLES = {
    "final.01": "收入支出决算总表", "final.02": "收入决算表", "final.03": "支出决算表",
    "final.04": "财政拨款收入支出决算总表", "final.05": "一般公共预算财政拨款支出决算表",
    "final.06": "一般公共预算财政拨款基本支出决算表",
    "final.07": "一般公共预算财政拨款“三公”经费支出决算表",
    "final.08": "政府性基金预算财政拨款收入支出决算表",
    "final.09": "国有资本经营预算财政拨款支出决算表",
}
ALL_CLASSES = ["201", "202", "203", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214",
               "215", "216", "217", "219", "220", "221", "222", "224", "229"]


class FinalDoc:
    """Figures of one final-account document (all integer cents)."""

    def __init__(self, rng, year, opts):
        self.rng = rng
        self.year = year
        self.u = u = make_unit(rng, year)
        self.v2018 = year <= 2018
        self.opts = opts
        it = u.items
        self.fiscal = {i: u.item_basic[i] + u.item_proj[i] + u.item_carry[i] for i in it}
        self.other = {i: u.item_oth_basic[i] + u.item_oth_proj[i] for i in it}
        self.basic_all = {i: u.item_basic[i] + u.item_oth_basic[i] for i in it}
        self.proj_all = {i: u.item_proj[i] + u.item_oth_proj[i] for i in it}
        self.I_fiscal = sum(self.fiscal.values())
        self.I_other = sum(self.other.values())
        self.I = self.I_fiscal + self.I_other
        self.E_basic = sum(self.basic_all.values())
        self.E_proj = sum(self.proj_all.values())
        self.E = self.E_basic + self.E_proj
        self.G_basic = sum(u.item_basic.values())
        self.G_proj = sum(u.item_proj.values())
        self.G = self.G_basic + self.G_proj
        self.carry = sum(u.item_carry.values())
        self.B0 = u.b0
        self.B1 = u.b0 + self.carry
        self.total = self.I + self.B0
        assert self.total == self.E + self.B1
        self.classes = sorted({i[:3] for i in it})
        e = u.econ
        self.personnel = sum(v for k, v in e.items() if k[:3] in ("301", "303"))
        self.public = sum(v for k, v in e.items() if k[:3] not in ("301", "303"))
        assert self.personnel + self.public == self.G_basic
        self.numfmt = "公开%02d表" if not (self.v2018 and opts["numbering2018"]) else "财决公开%02d表"

    def cls_name(self, c):
        return R.func_name(c, self.year)

    def numbering(self, k):
        return self.numfmt % k

    def new_table(self, schema, ncols, widths):
        k = int(schema[-2:])
        t = LTable(schema, TITLES[schema], self.numbering(k), ncols, widths)
        t.org = self.u.org
        t.notes = [NOTES[schema]] if self.opts["notes"] else []
        t.ruling = "partial" if self.rng.random() < self.opts["p_partial"] else "full"
        t.font_size = self.opts["table_fs"]
        return t

    # ------------------------------------------------------------------ 01
    def class_lines(self, classes_with_values):
        mode = self.opts["class_lines"]
        valid = [c for c in ALL_CLASSES if R.func().valid(c, self.year)]
        if mode == "all":
            cl = valid
        elif mode == "prefix":
            cl = sorted(set(valid[:6]) | set(classes_with_values))
        else:
            cl = list(classes_with_values)
        return cl

    def t01(self):
        t = self.new_table("final.01", 6, [3.2, 0.7, 1.5, 3.2, 0.7, 1.5])
        t.h(0, 0, "收入", cs=3)
        t.h(0, 3, "支出", cs=3)
        for k, s in enumerate(["项目", "行次", "决算数", "项目", "行次", "决算数"]):
            t.h(1, k, s)
        for k, s in enumerate(["栏次", "", "1", "栏次", "", "2"]):
            t.h(2, k, s)
        u = self.u
        if self.v2018:
            inc = [("一、财政拨款收入", self.I_fiscal), ("二、上级补助收入", 0), ("三、事业收入", 0),
                   ("四、经营收入", 0), ("五、附属单位上缴收入", 0), ("六、其他收入", 0)]
            idx = {"事业收入": 2, "其他收入": 5}
            use_fund = "用事业基金弥补收支差额"
        else:
            inc = [("一、一般公共预算财政拨款收入", self.I_fiscal), ("二、政府性基金预算财政拨款收入", 0),
                   ("三、国有资本经营预算财政拨款收入", 0), ("四、上级补助收入", 0), ("五、事业收入", 0),
                   ("六、经营收入", 0), ("七、附属单位上缴收入", 0), ("八、其他收入", 0)]
            idx = {"事业收入": 4, "其他收入": 7}
            use_fund = "使用非财政拨款结余"
        if u.other_src:
            k = idx[u.other_src]
            inc[k] = (inc[k][0], self.I_other)
        cls_val = {c: prefix_sum(u.items, c, lambda i: self.basic_all[i] + self.proj_all[i]) for c in self.classes}
        cl = self.class_lines(self.classes)
        exp = [(cn_ordinal(k + 1) + "、" + self.cls_name(c), cls_val.get(c, 0)) for k, c in enumerate(cl)]
        n = max(len(inc), len(exp)) + (1 if self.rng.random() < 0.5 else 0)
        tail_in = [("本年收入合计", self.I, "total"), (use_fund, 0, "total"), ("年初结转和结余", self.B0, "leaf"),
                   ("总计", self.total, "total")]
        tail_ex = [("本年支出合计", self.E, "total"), ("结余分配", 0, "leaf"), ("年末结转和结余", self.B1, "leaf"),
                   ("总计", self.total, "total")]
        nrows = n + 4
        for r in range(nrows):
            if r < n:
                a = inc[r] if r < len(inc) else ("", None)
                b = exp[r] if r < len(exp) else ("", None)
                ra, rb = "leaf", "leaf"
            else:
                a3, b3 = tail_in[r - n], tail_ex[r - n]
                a, b, ra, rb = a3[:2], b3[:2], a3[2], b3[2]
            cells = [T(a[0], role="label"), L(str(r + 1)), N(a[1] if a[1] is not None else None, role=ra),
                     T(b[0], role="label"), L(str(nrows + r + 1)), N(b[1] if b[1] is not None else None, role=rb)]
            t.add_row(cells)
        return t

    # ------------------------------------------------------------------ 02 / 03
    def t02(self):
        split = self.opts["split_codes"]
        nc = 3 if split else 1
        cols = ["本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"]
        w = ([0.55] * 3 if split else [1.3]) + [2.6] + [1.05] * 7
        t = self.new_table("final.02", nc + 1 + 7, w)
        hr = 3 if split else 2
        code_header(t, split, 0, 0, hr)
        for k, s in enumerate(cols):
            t.h(0, nc + 1 + k, s, rs=hr)
        lanci_row(t, nc, [str(k + 1) for k in range(7)])
        u = self.u
        src = u.other_src

        def f_other(name):
            return lambda i: self.other[i] if src == name else 0
        fns = [lambda i: self.fiscal[i] + self.other[i], lambda i: self.fiscal[i], lambda i: 0,
               f_other("事业收入"), lambda i: 0, lambda i: 0, f_other("其他收入")]
        t.rowtotal_cols = (0,)
        code_rows(t, u.items, self.year, split, fns, hier=self.opts["hier0203"], indent=self.opts["indent"])
        return t

    def t03(self):
        split = self.opts["split_codes"]
        nc = 3 if split else 1
        cols = ["本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"]
        w = ([0.55] * 3 if split else [1.3]) + [2.6] + [1.1] * 6
        t = self.new_table("final.03", nc + 1 + 6, w)
        hr = 3 if split else 2
        code_header(t, split, 0, 0, hr)
        for k, s in enumerate(cols):
            t.h(0, nc + 1 + k, s, rs=hr)
        lanci_row(t, nc, [str(k + 1) for k in range(6)])
        fns = [lambda i: self.basic_all[i] + self.proj_all[i], lambda i: self.basic_all[i],
               lambda i: self.proj_all[i], lambda i: 0, lambda i: 0, lambda i: 0]
        t.rowtotal_cols = (0,)
        code_rows(t, self.u.items, self.year, split, fns, hier=self.opts["hier0203"], indent=self.opts["indent"])
        return t

    # ------------------------------------------------------------------ 04
    def t04(self):
        u = self.u
        if self.v2018:
            fund_cols = ["一般公共预算财政拨款", "政府性基金预算财政拨款"]
            inc = [("一、一般公共预算财政拨款", self.I_fiscal), ("二、政府性基金预算财政拨款", 0)]
            sub = ["一般公共预算财政拨款", "政府性基金预算财政拨款"]
        else:
            fund_cols = ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
            inc = [("一、一般公共预算财政拨款", self.I_fiscal), ("二、政府性基金预算财政拨款", 0),
                   ("三、国有资本经营预算财政拨款", 0)]
            sub = ["一般公共预算财政拨款", "政府性基金预算财政拨款", "国有资本经营预算财政拨款"]
        nf = len(fund_cols)
        ncols = 6 + nf
        t = self.new_table("final.04", ncols, [2.6, 0.55, 1.1, 2.6, 0.55] + [1.1] * (1 + nf))
        t.h(0, 0, "收入", cs=3)
        t.h(0, 3, "支出", cs=3 + nf)
        for k, s in enumerate(["项目", "行次", "金额", "项目", "行次", "合计"] + fund_cols):
            t.h(1, k, s)
        lab = ["栏次", "", "1", "栏次", ""] + [str(k + 2) for k in range(1 + nf)]
        for k, s in enumerate(lab):
            t.h(2, k, s)
        gcls = {c: prefix_sum(u.items, c, lambda i: u.item_basic[i] + u.item_proj[i]) for c in self.classes}
        cl = self.class_lines(self.classes)
        exp = [(cn_ordinal(k + 1) + "、" + self.cls_name(c), gcls.get(c, 0)) for k, c in enumerate(cl)]
        n = max(len(inc), len(exp))
        tail_in = [("本年收入合计", self.I_fiscal, "total"), ("年初财政拨款结转和结余", self.B0, "subtotal")] + \
                  [(s, self.B0 if k == 0 else 0, "leaf") for k, s in enumerate(sub)] + [("总计", self.I_fiscal + self.B0, "total")]
        tail_ex = [("本年支出合计", self.G, "total"), ("年末财政拨款结转和结余", self.B1, "subtotal")] + \
                  [("", None, "leaf") for _ in sub] + [("总计", self.G + self.B1, "total")]
        nrows = n + len(tail_in)

        def expv(v, role):
            if v is None:
                return [N(None, role=role) for _ in range(1 + nf)]
            return [N(v, role="rowtotal" if role == "leaf" else role), N(v, role=role)] + [N(0, role=role) for _ in range(nf - 1)]
        for r in range(nrows):
            if r < n:
                a = inc[r] if r < len(inc) else ("", None)
                b = exp[r] if r < len(exp) else ("", None)
                ra = rb = "leaf"
            else:
                a3, b3 = tail_in[r - n], tail_ex[r - n]
                a, b, ra, rb = a3[:2], b3[:2], a3[2], b3[2]
            cells = [T(a[0], role="label"), L(str(r + 1)), N(a[1], role=ra),
                     T(b[0], role="label"), L(str(nrows + r + 1))] + expv(b[1], rb)
            t.add_row(cells)
        return t

    # ------------------------------------------------------------------ 05
    def t05(self):
        split = self.opts["split_codes"]
        nc = 3 if split else 1
        w = ([0.55] * 3 if split else [1.3]) + [3.2] + [1.2] * 3
        t = self.new_table("final.05", nc + 4, w)
        hr = 3 if split else 2
        code_header(t, split, 0, 0, hr)
        t.h(0, nc + 1, "本年支出", cs=3, rs=hr - 1)
        for k, s in enumerate(["小计", "基本支出", "项目支出"]):
            t.h(hr - 1, nc + 1 + k, s)
        lanci_row(t, nc, ["1", "2", "3"])
        u = self.u
        fns = [lambda i: u.item_basic[i] + u.item_proj[i], lambda i: u.item_basic[i], lambda i: u.item_proj[i]]
        t.rowtotal_cols = (0,)
        code_rows(t, u.items, self.year, split, fns, hier=True, indent=self.opts["indent"])
        return t

    # ------------------------------------------------------------------ 06
    def t06(self):
        y = self.year
        E = R.econ()
        e = self.u.econ
        compact = self.opts["compact06"]

        def block(cls):
            out = [(cls, e and sum(v for k, v in e.items() if k[:3] == cls), "subtotal")]
            for k in E.children(cls):
                if not R.econ_valid(k, y):
                    continue
                if compact and not e.get(k):
                    continue
                out.append((k, e.get(k, 0), "leaf"))
            return out
        p1 = block("301") + block("303")
        p2 = block("302")
        p3 = ([] if self.v2018 else block("307")) + block("310") + ([] if self.v2018 else block("399"))
        if compact:
            p3 = [r for r in p3 if r[1] or len(r[0]) == 3 and r[0] in ("310",)]
        land = self.opts["landscape06"]
        t = self.new_table("final.06", 9, [0.9, 2.4, 1.0] * 3)
        t.landscape = land
        if self.v2018 and self.rng.random() < 0.5:
            t.h(0, 0, "人员经费", cs=3)
            t.h(0, 3, "公用经费", cs=6)
            r0 = 1
        else:
            r0 = 0
        for p in range(3):
            t.h(r0, 3 * p, "经济分类科目编码")
            t.h(r0, 3 * p + 1, "科目名称")
            t.h(r0, 3 * p + 2, "决算数")
        n = max(len(p1), len(p2), len(p3))
        for r in range(n):
            cells = []
            for pan in (p1, p2, p3):
                if r < len(pan):
                    code, v, role = pan[r]
                    cells += [T(code, role="code"), T(R.econ_name(code, y)), N(v, role=role)]
                else:
                    cells += [T(""), T(""), N(None)]
            t.add_row(cells)
        t.add_row([T("人员经费合计", cs=2, role="label", align="center"), N(self.personnel, role="total"),
                   T("公用经费合计", cs=5, role="label", align="center"), N(self.public, role="total")])
        return t

    # ------------------------------------------------------------------ 07
    def t07(self):
        t = self.new_table("final.07", 12, [1] * 12)
        t.h(0, 0, "预算数", cs=6)
        t.h(0, 6, "决算数", cs=6)
        for b in (0, 6):
            t.h(1, b, "合计", rs=2)
            t.h(1, b + 1, "因公出国（境）费", rs=2)
            t.h(1, b + 2, "公务用车购置及运行费", cs=3)
            t.h(2, b + 2, "小计")
            t.h(2, b + 3, "公务用车购置费")
            t.h(2, b + 4, "公务用车运行费")
            t.h(1, b + 5, "公务接待费", rs=2)
        for k in range(12):
            t.h(3, k, str(k + 1))
        cells = []
        for d in (self.u.sg_budget, self.u.sg_final):
            car = d["buy"] + d["run"]
            tot = d["abroad"] + car + d["recv"]
            z = self.opts["zero07"]
            cells += [N(tot, role="total", zero=z), N(d["abroad"], role="leaf", zero=z),
                      N(car, role="subtotal", zero=z), N(d["buy"], role="leaf", zero=z),
                      N(d["run"], role="leaf", zero=z), N(d["recv"], role="leaf", zero=z)]
        t.add_row(cells)
        return t

    # ------------------------------------------------------------------ 08 / 09
    def t08(self):
        split = False
        t = self.new_table("final.08", 8, [1.3, 2.6, 1.1, 1.1, 1.0, 1.0, 1.0, 1.1])
        code_header(t, split, 0, 0, 2)
        t.h(0, 2, "年初结转和结余", rs=2)
        t.h(0, 3, "本年收入", rs=2)
        t.h(0, 4, "本年支出", cs=3)
        t.h(1, 4, "小计")
        t.h(1, 5, "基本支出")
        t.h(1, 6, "项目支出")
        t.h(0, 7, "年末结转和结余", rs=2)
        lanci_row(t, 1, [str(k + 1) for k in range(6)])
        t.add_row([T("合计", cs=2, role="label", align="center")] + [N(None, role="total") for _ in range(6)])
        if self.rng.random() < 0.5:
            t.empty_note = "本单位无政府性基金预算财政拨款收入，也没有使用政府性基金预算财政拨款安排的支出，故本表为空表。"
        return t

    def t09(self):
        t = self.new_table("final.09", 5, [1.3, 3.0, 1.2, 1.2, 1.2])
        code_header(t, False, 0, 0, 2)
        t.h(0, 2, "本年支出", cs=3)
        t.h(1, 2, "合计")
        t.h(1, 3, "基本支出")
        t.h(1, 4, "项目支出")
        lanci_row(t, 1, ["1", "2", "3"])
        t.add_row([T("合计", cs=2, role="label", align="center")] + [N(None, role="total") for _ in range(3)])
        if self.rng.random() < 0.5:
            t.empty_note = "本单位无国有资本经营预算财政拨款支出，故本表为空表。"
        return t

    def tables(self):
        ts = [self.t01(), self.t02(), self.t03(), self.t04(), self.t05(), self.t06(), self.t07(), self.t08()]
        if not self.v2018:
            ts.append(self.t09())
        return ts


# ---------------------------------------------------------------------- narrative
DUTIES = [
    "贯彻执行国家、省、市有关法律法规和方针政策，拟订本行业发展规划并组织实施。",
    "负责本行政区域内相关业务的统筹协调、监督管理和指导服务工作。",
    "负责本部门预算编制、财务管理、国有资产管理和内部审计工作。",
    "负责相关信息的采集、统计、分析和发布，为区委、区政府决策提供依据。",
    "负责本系统干部队伍建设、教育培训和考核工作。",
    "承担上级交办的其他任务。",
]
OFFICES = ["办公室", "综合股", "财务股", "业务股", "法规股", "信息中心", "督查室", "政策研究室", "服务中心"]


def yuan(c):
    return "%.2f" % (c / 100.0)


class FinalText:
    def __init__(self, d):
        self.d = d

    def part1(self, rng):
        d, u = self.d, self.d.u
        out = [("part", "第一部分 " + u.short + "概况"), ("h", "一、部门职责")]
        k = rng.randint(3, 6)
        for i, s in enumerate(DUTIES[:k - 1] + DUTIES[-1:]):
            out.append(("p", "（%s）%s" % (cn(i + 1), s)))
        offs = rng.sample(OFFICES, rng.randint(3, 6))
        out.append(("h", "二、机构设置及决算单位构成"))
        out.append(("p", "（一）内设机构设置。%s内设机构%d个，包括：%s。" % (u.org, len(offs), "、".join(offs))))
        out.append(("p", "（二）决算单位构成。%s%d年部门决算汇总公开单位构成包括：%s本级。"
                    % (u.org, d.year, u.org)))
        out.append(("p", "（三）人员情况。本部门共有编制人数%d人，实有人数%d人。" % (u.staff + rng.randint(0, 4), u.staff)))
        return out

    def part3(self, rng):
        d, u = self.d, self.d.u
        y = d.year
        out = [("part", "第三部分 %d年度部门决算情况说明" % y)]
        prev = int(d.total * rng.uniform(0.7, 1.3))
        diff = d.total - prev
        out.append(("h", "一、收入支出决算总体情况说明"))
        out.append(("p", "%d年度收、支总计%s万元。与上年相比，%s%s万元，%s%s%%，主要是因为%s。"
                    % (y, yuan(d.total), "增加" if diff >= 0 else "减少", yuan(abs(diff)),
                       "增长" if diff >= 0 else "下降", pct(abs(diff), prev),
                       rng.choice(["人员变动及工资标准调整", "新增专项工作经费", "业务工作量增加", "压减一般性支出"]))))
        out.append(("h", "二、收入决算情况说明"))
        s = "本年收入合计%s万元，其中：财政拨款收入%s万元，占%s%%" % (yuan(d.I), yuan(d.I_fiscal), pct(d.I_fiscal, d.I))
        if u.other_src:
            s += "；%s%s万元，占%s%%" % (u.other_src, yuan(d.I_other), pct(d.I_other, d.I))
        out.append(("p", s + "。"))
        out.append(("h", "三、支出决算情况说明"))
        out.append(("p", "本年支出合计%s万元，其中：基本支出%s万元，占%s%%；项目支出%s万元，占%s%%。"
                    % (yuan(d.E), yuan(d.E_basic), pct(d.E_basic, d.E), yuan(d.E_proj), pct(d.E_proj, d.E))))
        out.append(("h", "四、财政拨款收入支出决算总体情况说明"))
        ft = d.I_fiscal + d.B0
        out.append(("p", "%d年度财政拨款收、支总计%s万元。其中本年财政拨款收入%s万元，年初财政拨款结转和结余%s万元；"
                    "财政拨款支出%s万元，年末财政拨款结转和结余%s万元。"
                    % (y, yuan(ft), yuan(d.I_fiscal), yuan(d.B0), yuan(d.G), yuan(d.B1))))
        out.append(("h", "五、一般公共预算财政拨款支出决算情况说明"))
        out.append(("p", "（一）一般公共预算财政拨款支出决算总体情况。%d年度一般公共预算财政拨款支出%s万元，占本年支出合计的%s%%。"
                    % (y, yuan(d.G), pct(d.G, d.E))))
        parts = []
        for c in d.classes:
            v = prefix_sum(u.items, c, lambda i: u.item_basic[i] + u.item_proj[i])
            nm = d.cls_name(c)
            nm = nm[:-2] if nm.endswith("支出") else nm
            parts.append("%s（类）支出%s万元，占%s%%" % (nm, yuan(v), pct(v, d.G)))
        out.append(("p", "（二）一般公共预算财政拨款支出决算结构情况。%d年度一般公共预算财政拨款支出%s万元，主要用于以下方面：%s。"
                    % (y, yuan(d.G), "；".join(parts))))
        budget = int(d.G * rng.uniform(0.85, 1.05))
        out.append(("p", "（三）一般公共预算财政拨款支出决算具体情况。%d年度一般公共预算财政拨款支出年初预算数为%s万元，"
                    "支出决算数为%s万元，完成年初预算的%s%%。其中：" % (y, yuan(budget), yuan(d.G), pct(d.G, budget))))
        for k, it in enumerate(u.items):
            v = u.item_basic[it] + u.item_proj[it]
            b = int(v * rng.uniform(0.8, 1.15))
            cn_ = R.func_name(it[:3], y)
            cn_ = cn_[:-2] if cn_.endswith("支出") else cn_
            out.append(("p", "%d、%s（类）%s（款）%s（项）。年初预算为%s万元，支出决算为%s万元，完成年初预算的%s%%。"
                        % (k + 1, cn_, R.func_name(it[:5], y), R.func_name(it, y), yuan(b), yuan(v), pct(v, b))))
        out.append(("h", "六、一般公共预算财政拨款基本支出决算情况说明"))
        e = u.econ
        pe_names = "、".join(R.econ_name(k, y) for k in e if k[:3] in ("301", "303"))
        pu_names = "、".join(R.econ_name(k, y) for k in e if k[:3] not in ("301", "303"))
        out.append(("p", "%d年度一般公共预算财政拨款基本支出%s万元，其中：人员经费%s万元，占基本支出的%s%%，主要包括%s；"
                    "公用经费%s万元，占基本支出的%s%%，主要包括%s。"
                    % (y, yuan(d.G_basic), yuan(d.personnel), pct(d.personnel, d.G_basic), pe_names,
                       yuan(d.public), pct(d.public, d.G_basic), pu_names or "无")))
        out.append(("h", "七、一般公共预算财政拨款“三公”经费支出决算情况说明"))
        b, f = u.sg_budget, u.sg_final
        bt = b["abroad"] + b["buy"] + b["run"] + b["recv"]
        ftot = f["abroad"] + f["buy"] + f["run"] + f["recv"]
        out.append(("p", "“三公”经费财政拨款支出预算为%s万元，支出决算为%s万元，完成预算的%s%%。其中：因公出国（境）费支出决算%s万元；"
                    "公务用车购置及运行费支出决算%s万元（其中：公务用车购置费%s万元，公务用车运行费%s万元）；公务接待费支出决算%s万元。"
                    % (yuan(bt), yuan(ftot), pct(ftot, bt) if bt else "0.00", yuan(f["abroad"]), yuan(f["buy"] + f["run"]),
                       yuan(f["buy"]), yuan(f["run"]), yuan(f["recv"]))))
        out.append(("h", "八、政府性基金预算收入支出决算情况说明"))
        out.append(("p", "%d年度政府性基金预算财政拨款收入0.00万元，支出0.00万元。本单位没有政府性基金收入，也没有使用政府性基金安排的支出。" % y))
        n = 9
        if not d.v2018:
            out.append(("h", "九、国有资本经营预算支出决算情况说明"))
            out.append(("p", "%d年度国有资本经营预算财政拨款支出0.00万元。本单位没有使用国有资本经营预算安排的支出。" % y))
            n = 10
        out.append(("h", "%s、机关运行经费支出说明" % cn(n)))
        if u.nature == "行政":
            ops = sum(v for k, v in e.items() if k[:3] == "302")
            out.append(("p", "本部门%d年度机关运行经费支出%s万元，主要用于办公费、水电费、差旅费、会议费、公务接待费等。" % (y, yuan(ops))))
        else:
            out.append(("p", "本单位为财政补助事业单位，不属于机关运行经费计算范围。"))
        out.append(("h", "%s、一般性支出情况说明" % cn(n + 1)))
        out.append(("p", "%d年开支会议费%s万元，开支培训费%s万元。" % (y, yuan(u.meeting), yuan(u.training))))
        return out

    def glossary(self):
        return [("part", "第四部分 名词解释"),
                ("p", "一、财政拨款收入：指单位从同级财政部门取得的财政预算资金。"),
                ("p", "二、事业收入：指事业单位开展专业业务活动及辅助活动取得的收入。"),
                ("p", "三、年初结转和结余：指单位以前年度尚未完成、结转到本年仍按原规定用途继续使用的资金。"),
                ("p", "四、“三公”经费：指通过财政拨款资金安排的因公出国（境）费、公务用车购置及运行费和公务接待费支出。"),
                ("p", "五、机关运行经费：指为保障行政单位（包括参照公务员法管理的事业单位）运行用于购买货物和服务的各项资金。")]


def cn(i):
    return cn_ordinal(i)
