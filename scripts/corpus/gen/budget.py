"""部门预算 documents: Hunan 17-table style (budget.hn.*) and national style (budget.std.01–07)."""
import os

from . import refdata as R
from . import render as RD
from .table import LTable, T, N, L, cn_ordinal, pct
from .common import code_header, code_rows, lanci_row, prefix_sum
from .unit import make_unit, hierarchy
from .inject import inject

HN_EXP = [("一般公共服务", "201"), ("国防", "203"), ("公共安全", "204"), ("教育", "205"), ("科学技术", "206"),
          ("文化旅游体育与传媒", "207"), ("社会保障和就业", "208"), ("卫生健康", "210"), ("节能环保", "211"),
          ("城乡社区", "212"), ("农林水", "213"), ("交通运输", "214"), ("资源勘探信息", "215"),
          ("商业服务业", "216"), ("金融", "217"), ("自然资源海洋气象等", "220"), ("住房保障", "221"),
          ("债务付息", "232"), ("粮油物资储备事务", "222"), ("灾害防治及应急管理", "224"), ("其他支出", "229")]
STD_CLASSES = ["201", "202", "203", "204", "205", "206", "207", "208", "210", "211", "212", "213", "214",
               "215", "216", "217", "219", "220", "221", "222", "224", "229"]


def yuan(c):
    return "%.2f" % (c / 100.0)


class BudgetDoc:
    def __init__(self, rng, year, style, opts):
        self.rng = rng
        self.year = year
        self.style = style
        self.opts = opts
        self.u = u = make_unit(rng, year, basic_classes=("301", "302", "303"))
        it = u.items
        self.gp = {i: u.item_basic[i] + u.item_proj[i] for i in it}
        self.oth = {i: u.item_oth_basic[i] + u.item_oth_proj[i] for i in it}
        self.basic_all = {i: u.item_basic[i] + u.item_oth_basic[i] for i in it}
        self.proj_all = {i: u.item_proj[i] + u.item_oth_proj[i] for i in it}
        self.GP = sum(self.gp.values())
        self.OTH = sum(self.oth.values())
        self.TOT = self.GP + self.OTH
        self.G_basic = sum(u.item_basic.values())
        self.G_proj = sum(u.item_proj.values())
        # 非税 part of the general budget appropriation (Hunan income lines)
        self.NT = int(self.GP * rng.uniform(0.02, 0.2)) if rng.random() < 0.35 else 0
        self.classes = sorted({i[:3] for i in it})
        e = u.econ
        self.c301 = sum(v for k, v in e.items() if k[:3] == "301")
        self.c302 = sum(v for k, v in e.items() if k[:3] == "302")
        self.c303 = sum(v for k, v in e.items() if k[:3] == "303")
        self.personnel = self.c301 + self.c303
        self.public = self.c302
        self.sg = u.sg_budget

    def new(self, schema, title, k, ncols, widths):
        o = self.opts
        num = o["numfmt"](k)
        t = LTable(schema, title, num, ncols, widths)
        t.org = self.u.org if o["full_org"] else self.u.short
        t.org_label = o["org_label"]
        t.unit_label = o["unit_label"]
        t.ruling = "partial" if self.rng.random() < o["p_partial"] else "full"
        t.font_size = o["table_fs"]
        return t

    def cls_short(self, c):
        nm = R.func_name(c, self.year)
        return nm[:-2] if nm.endswith("支出") else nm

    # ================================================================ Hunan
    def hn01(self):
        t = self.new("budget.hn.01", "部门收支总表", 1, 4, [3.4, 1.2, 3.0, 1.2])
        t.h(0, 0, "收入", cs=2)
        t.h(0, 2, "支出", cs=2)
        for k, s in enumerate(["项目", "本年预算", "项目", "本年预算"]):
            t.h(1, k, s)
        u = self.u
        oth = self.OTH
        nt = self.NT
        inc = [("一、一般公共预算拨款", self.GP, "subtotal"), ("（1）经费拨款", self.GP - nt, "leaf"),
               ("（2）纳入一般公共预算管理的非税收入拨款", nt, "subtotal"), ("1.行政事业性收费收入", nt, "leaf"),
               ("2.专项收入", 0, "leaf"), ("3.国有资源（资产）有偿使用收入", 0, "leaf"), ("4.其他各项收入拨款", 0, "leaf"),
               ("二、政府性基金拨款", 0, "leaf"), ("三、纳入专户管理的非税收入拨款", 0, "leaf"), ("四、其他收入", oth, "leaf"),
               ("五、上年结转", 0, "leaf")]
        allv = {c: prefix_sum(u.items, c, lambda i: self.gp[i] + self.oth[i]) for c in self.classes}
        exp = [("%d、%s" % (k + 1, nm), allv.get(c, 0)) for k, (nm, c) in enumerate(HN_EXP)]
        n = max(len(inc), len(exp))
        for r in range(n):
            a = inc[r] if r < len(inc) else ("", None, "leaf")
            b = exp[r] if r < len(exp) else ("", None)
            t.add_row([T(a[0], role="label"), N(a[1], role=a[2]), T(b[0], role="label"), N(b[1], role="leaf")])
        t.add_row([T("收入总计", role="label", align="center"), N(self.TOT, role="total"),
                   T("支出总计", role="label", align="center"), N(self.TOT, role="total")])
        t.notes = ["说明：本套表为%s本级当年预算资金安排情况，均不包括上年结转。" % self.u.level] if self.rng.random() < 0.5 else []
        return t

    def hn02(self):
        with_unit = self.rng.random() < 0.5
        cols = ["总计", "一般公共预算拨款", "政府性基金拨款", "纳入专户管理的非税收入拨款", "其他收入", "上年结转"]
        nc = len(cols) + (1 if with_unit else 0)
        t = self.new("budget.hn.02", "部门收入总表", 2, nc, ([2.2] if with_unit else []) + [1.0] * 6)
        c0 = 0
        if with_unit:
            t.h(0, 0, "单位名称")
            c0 = 1
        for k, s in enumerate(cols):
            t.h(0, c0 + k, s)
        row = ([T(self.u.short)] if with_unit else []) + [N(self.TOT, role="total"), N(self.GP, role="leaf"),
                                                          N(0, role="leaf"), N(0, role="leaf"), N(self.OTH, role="leaf"),
                                                          N(0, role="leaf")]
        t.add_row(row)
        return t

    def hn03(self, schema="budget.hn.03", title="部门支出总表", k=3):
        t = self.new(schema, title, k, 10, [0.5, 0.5, 0.5, 3.0, 1.1, 1.1, 0.9, 1.1, 0.9, 0.9])
        code_header(t, True, 0, 0, 3, group_label="科目", group_split_label="科目编码")
        for j, s in enumerate(["总计", "一般公共预算拨款", "政府性基金拨款", "纳入专户管理的非税收入拨款", "其他收入", "上年结转"]):
            t.h(0, 4 + j, s, rs=3)
        fns = [lambda i: self.gp[i] + self.oth[i], lambda i: self.gp[i], lambda i: 0, lambda i: 0,
               lambda i: self.oth[i], lambda i: 0]
        t.rowtotal_cols = (0,)
        code_rows(t, self.u.items, self.year, True, fns, hier=True, indent=self.opts["indent"])
        return t

    def hn_econ(self, schema, title, k, cls, cls_name=None, head=("部门经济科目编码", "部门经济科目名称", "预算金额")):
        t = self.new(schema, title, k, 3, [1.3, 3.2, 1.4])
        for j, s in enumerate(head):
            t.h(0, j, s)
        e = self.u.econ
        y = self.year
        total = sum(v for kk, v in e.items() if kk[:3] == cls)
        t.add_row([T(cls), T(cls_name or R.econ_name(cls, y)), N(total, role="subtotal")])
        for kk in R.econ().children(cls):
            if not R.econ_valid(kk, y):
                continue
            if self.opts["compact_econ"] and not e.get(kk):
                continue
            t.add_row([T(kk), T(R.econ_name(kk, y)), N(e.get(kk, 0), role="leaf")])
        return t

    def hn09(self):
        t = self.new("budget.hn.09", "一般公共预算“三公”经费支出表", 9, 2, [3.5, 1.5])
        t.h(0, 0, "项目")
        t.h(0, 1, "预算金额")
        s = self.sg
        car = s["run"] + s["buy"]
        sg = s["abroad"] + s["recv"] + car
        mt_meet = self.u.meeting + (int(self.u.meeting * 0.2) if self.rng.random() < 0.3 else 0)
        mt_train = self.u.training
        rows = [("合计", sg + mt_meet + mt_train, "total"), ("一、“三公”经费小计", sg, "subtotal"),
                ("1.因公出国（境）费用", s["abroad"], "leaf"), ("2.公务接待费", s["recv"], "leaf"),
                ("3.公务用车购置及运行费", car, "subtotal"), ("（1）公务用车运行维护费", s["run"], "leaf"),
                ("（2）公务用车购置费", s["buy"], "leaf"), ("二、会议费、培训费小计", mt_meet + mt_train, "subtotal"),
                ("1.会议费", mt_meet, "leaf"), ("2.培训费", mt_train, "leaf")]
        z = self.opts["zero09"]
        for lab, v, role in rows:
            t.add_row([T(lab, align="center" if lab == "合计" else "left"), N(v, role=role, zero=z)])
        self.meet = mt_meet
        return t

    def hn10(self):
        t = self.new("budget.hn.10", "财政拨款收支总表", 10, 6, [3.0, 1.1, 2.6, 1.1, 1.1, 1.1])
        t.h(0, 0, "收入", cs=2)
        t.h(0, 2, "支出", cs=4)
        for k, s in enumerate(["项目", "本年预算", "项目", "合计", "一般公共预算", "政府性基金预算"]):
            t.h(1, k, s)
        nt = self.NT
        inc = [("一、一般公共预算拨款", self.GP, "subtotal"), ("（1）经费拨款", self.GP - nt, "leaf"),
               ("（2）纳入一般公共预算管理的非税收入拨款", nt, "leaf"), ("二、政府性基金拨款", 0, "leaf")]
        gv = {c: prefix_sum(self.u.items, c, lambda i: self.gp[i]) for c in self.classes}
        exp = [("%d、%s" % (k + 1, nm), gv.get(c, 0)) for k, (nm, c) in enumerate(HN_EXP)]
        n = max(len(inc), len(exp))
        for r in range(n):
            a = inc[r] if r < len(inc) else ("", None, "leaf")
            b = exp[r] if r < len(exp) else ("", None)
            ex = [N(b[1], role="rowtotal"), N(b[1], role="leaf"), N(0 if b[1] is not None else None, role="leaf")]
            t.add_row([T(a[0], role="label"), N(a[1], role=a[2]), T(b[0], role="label")] + ex)
        t.add_row([T("收入总计", role="label", align="center"), N(self.GP, role="total"),
                   T("支出总计", role="label", align="center"), N(self.GP, role="total"), N(self.GP, role="total"),
                   N(0, role="total")])
        return t

    def hn11(self):
        y = self.year
        t = self.new("budget.hn.11", "%d年一般公共预算支出情况表" % y if self.rng.random() < 0.6 else "一般公共预算支出情况表",
                     11, 17, [0.45, 0.4, 0.4, 2.3] + [0.95] * 13)
        if t.title.startswith(str(y)):
            t.numbering = None
        t.landscape = True
        t.font_size = min(t.font_size, 7.5)
        t.h(0, 0, "功能科目", cs=4)
        t.h(1, 0, "科目编码", cs=3)
        t.h(2, 0, "类")
        t.h(2, 1, "款")
        t.h(2, 2, "项")
        t.h(1, 3, "科目名称", rs=2)
        t.h(0, 4, "总计", rs=3)
        t.h(0, 5, "基本支出", cs=4, rs=2)
        for j, s in enumerate(["合计", "工资福利支出", "一般商品和服务支出", "对个人和家庭的补助"]):
            t.h(2, 5 + j, s)
        t.h(0, 9, "项目支出", cs=8, rs=2)
        for j, s in enumerate(["合计", "对个人和家庭的补助", "专项商品和服务支出", "对企事业单位的补贴", "债务利息支出",
                               "资本性支出", "其他支出", "对社会保障基金补助"]):
            t.h(2, 9 + j, s)
        u = self.u
        be = u.item_basic_econ
        pe = u.proj_econ

        def bcls(c):
            return lambda i: sum(v for k, v in be.get(i, {}).items() if k[:3] == c)

        def pcls(c):
            return lambda i: pe.get(i, {}).get(c, 0)
        fns = [lambda i: self.gp[i], lambda i: u.item_basic[i], bcls("301"), bcls("302"), bcls("303"),
               lambda i: u.item_proj[i], pcls("303"), pcls("302"), lambda i: 0, lambda i: 0, pcls("310"),
               lambda i: 0, lambda i: 0]
        t.rowtotal_cols = (0, 1, 5)
        code_rows(t, u.items, y, True, fns, hier=True)
        return t

    def hn17(self):
        y = self.year
        t = self.new("budget.hn.17", "%d年一般公共预算基本支出情况表" % y if self.rng.random() < 0.6 else "一般公共预算基本支出情况表",
                     17, 5, [1.2, 3.2, 1.2, 1.2, 1.2])
        if t.title.startswith(str(y)):
            t.numbering = None
        for j, s in enumerate(["经济科目", "经济科目名称", "合计", "人员经费", "公用经费"]):
            t.h(0, j, s)
        lanci_row(t, 1, ["1", "2", "3"])
        self._basic_rows_by_economic_class(t, y, indent=0)
        return t

    def _basic_rows_by_economic_class(self, t, y, indent):
        """合计, then each economic class (301/302/303) and its items, split into
        人员经费 (301, 303) and 公用经费 (302): hn.17 and std.06 print the same rows."""
        e = self.u.econ
        t.add_row([T("合计", cs=2, align="center"), N(self.G_basic, role="total"), N(self.personnel, role="total"),
                   N(self.public, role="total")])
        for cls in ("301", "302", "303"):
            tot = sum(v for k, v in e.items() if k[:3] == cls)
            if not tot:
                continue
            pers = cls != "302"

            def vals(v, role):
                return [N(v, role="rowtotal" if role == "leaf" else role), N(v if pers else 0, role=role),
                        N(0 if pers else v, role=role)]
            t.add_row([T(cls), T(R.econ_name(cls, y))] + vals(tot, "subtotal"))
            for k in sorted(e):
                if k[:3] == cls:
                    name = T(R.econ_name(k, y), indent=1) if indent else T(R.econ_name(k, y))
                    t.add_row([T(k), name] + vals(e[k], "leaf"))

    # ================================================================ national
    def std01(self):
        t = self.new("budget.std.01", "部门收支总表", 1, 4, [3.2, 1.2, 3.2, 1.2])
        t.h(0, 0, "收入", cs=2)
        t.h(0, 2, "支出", cs=2)
        for k, s in enumerate(["项目", "预算数", "项目", "预算数"]):
            t.h(1, k, s)
        names = ["一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入", "财政专户管理资金收入",
                 "事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入"]
        vals = {0: self.GP}
        src = self.u.other_src
        if self.OTH:
            vals[4 if src == "事业收入" else 8] = self.OTH
        inc = [("%s、%s" % (cn_ordinal(k + 1), nm), vals.get(k, 0)) for k, nm in enumerate(names)]
        allv = {c: prefix_sum(self.u.items, c, lambda i: self.gp[i] + self.oth[i]) for c in self.classes}
        cl = self.classes if self.opts["std_classes"] == "valued" else \
            [c for c in STD_CLASSES if R.func().valid(c, self.year)]
        exp = [("%s、%s" % (cn_ordinal(k + 1), R.func_name(c, self.year)), allv.get(c, 0)) for k, c in enumerate(cl)]
        n = max(len(inc), len(exp))
        for r in range(n):
            a = inc[r] if r < len(inc) else ("", None)
            b = exp[r] if r < len(exp) else ("", None)
            t.add_row([T(a[0]), N(a[1], role="leaf"), T(b[0]), N(b[1], role="leaf")])
        for a, b in ((("本年收入合计", self.TOT), ("本年支出合计", self.TOT)), (("上年结转结余", 0), ("年终结转结余", 0)),
                     (("收入总计", self.TOT), ("支出总计", self.TOT))):
            role = "total" if a[1] else "leaf"
            t.add_row([T(a[0], align="center"), N(a[1], role=role), T(b[0], align="center"), N(b[1], role=role)])
        return t

    def std02(self):
        split = self.opts["split_codes"]
        nc = 3 if split else 1
        cols = ["合计", "上年结转结余", "一般公共预算拨款收入", "政府性基金预算拨款收入", "国有资本经营预算拨款收入",
                "财政专户管理资金收入", "事业收入", "事业单位经营收入", "上级补助收入", "附属单位上缴收入", "其他收入"]
        t = self.new("budget.std.02", "部门收入总表", 2, nc + 1 + 11, ([0.45] * 3 if split else [1.0]) + [2.4] + [1.0] * 11)
        t.landscape = True
        hr = 3 if split else 2
        code_header(t, split, 0, 0, hr, code_label="科目编码", group_label="科目")
        for j, s in enumerate(cols):
            t.h(0, nc + 1 + j, s, rs=hr)
        src = self.u.other_src
        fns = [lambda i: self.gp[i] + self.oth[i], lambda i: 0, lambda i: self.gp[i], lambda i: 0, lambda i: 0,
               lambda i: 0, (lambda i: self.oth[i]) if src == "事业收入" else (lambda i: 0), lambda i: 0, lambda i: 0,
               lambda i: 0, (lambda i: self.oth[i]) if src != "事业收入" else (lambda i: 0)]
        t.rowtotal_cols = (0,)
        code_rows(t, self.u.items, self.year, split, fns, hier=True, indent=self.opts["indent"])
        return t

    def std03(self):
        split = self.opts["split_codes"]
        nc = 3 if split else 1
        cols = ["合计", "基本支出", "项目支出", "上缴上级支出", "事业单位经营支出", "对附属单位补助支出"]
        t = self.new("budget.std.03", "部门支出总表", 3, nc + 1 + 6, ([0.55] * 3 if split else [1.3]) + [2.8] + [1.1] * 6)
        hr = 3 if split else 2
        code_header(t, split, 0, 0, hr, code_label="科目编码", group_label="科目")
        for j, s in enumerate(cols):
            t.h(0, nc + 1 + j, s, rs=hr)
        fns = [lambda i: self.basic_all[i] + self.proj_all[i], lambda i: self.basic_all[i], lambda i: self.proj_all[i],
               lambda i: 0, lambda i: 0, lambda i: 0]
        t.rowtotal_cols = (0,)
        code_rows(t, self.u.items, self.year, split, fns, hier=True, indent=self.opts["indent"])
        return t

    def std04(self):
        t = self.new("budget.std.04", "财政拨款收支总表", 4, 7, [2.8, 1.1, 2.8, 1.1, 1.1, 1.1, 1.1])
        t.h(0, 0, "收入", cs=2)
        t.h(0, 2, "支出", cs=5)
        for k, s in enumerate(["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]):
            t.h(1, k, s)
        inc = [("一、一般公共预算拨款收入", self.GP), ("二、政府性基金预算拨款收入", 0), ("三、国有资本经营预算拨款收入", 0)]
        gv = {c: prefix_sum(self.u.items, c, lambda i: self.gp[i]) for c in self.classes}
        cl = self.classes if self.opts["std_classes"] == "valued" else \
            [c for c in STD_CLASSES if R.func().valid(c, self.year)]
        exp = [("%s、%s" % (cn_ordinal(k + 1), R.func_name(c, self.year)), gv.get(c, 0)) for k, c in enumerate(cl)]
        n = max(len(inc), len(exp))

        def ex(v, role="leaf"):
            if v is None:
                return [N(None) for _ in range(4)]
            return [N(v, role="rowtotal" if role == "leaf" else role), N(v, role=role), N(0, role=role), N(0, role=role)]
        for r in range(n):
            a = inc[r] if r < len(inc) else ("", None)
            b = exp[r] if r < len(exp) else ("", None)
            t.add_row([T(a[0]), N(a[1], role="leaf"), T(b[0])] + ex(b[1]))
        t.add_row([T("本年收入合计", align="center"), N(self.GP, role="total"), T("本年支出合计", align="center")] + ex(self.GP, "total"))
        t.add_row([T("上年结转结余", align="center"), N(0), T("年终结转结余", align="center")] + ex(0, "leaf"))
        t.add_row([T("收入总计", align="center"), N(self.GP, role="total"), T("支出总计", align="center")] + ex(self.GP, "total"))
        return t

    def std05(self):
        split = self.opts["split_codes"]
        nc = 3 if split else 1
        t = self.new("budget.std.05", "一般公共预算支出表", 5, nc + 6, ([0.55] * 3 if split else [1.3]) + [3.0] + [1.1] * 5)
        hr = 3 if split else 2
        code_header(t, split, 0, 0, hr, code_label="科目编码", group_label="科目")
        t.h(0, nc + 1, "合计", rs=hr)
        t.h(0, nc + 2, "基本支出", cs=3, rs=hr - 1)
        for j, s in enumerate(["小计", "人员经费", "公用经费"]):
            t.h(hr - 1, nc + 2 + j, s)
        t.h(0, nc + 5, "项目支出", rs=hr)
        u = self.u
        be = u.item_basic_econ

        def pers(i):
            return sum(v for k, v in be.get(i, {}).items() if k[:3] in ("301", "303"))

        def pub(i):
            return sum(v for k, v in be.get(i, {}).items() if k[:3] not in ("301", "303"))
        fns = [lambda i: self.gp[i], lambda i: u.item_basic[i], pers, pub, lambda i: u.item_proj[i]]
        t.rowtotal_cols = (0, 1)
        code_rows(t, u.items, self.year, split, fns, hier=True, indent=self.opts["indent"])
        return t

    def std06(self):
        y = self.year
        t = self.new("budget.std.06", "一般公共预算基本支出表", 6, 5, [1.2, 3.2, 1.2, 1.2, 1.2])
        t.h(0, 0, "部门预算支出经济分类科目", cs=2)
        t.h(1, 0, "科目编码")
        t.h(1, 1, "科目名称")
        t.h(0, 2, "本年一般公共预算基本支出", cs=3)
        t.h(1, 2, "合计")
        t.h(1, 3, "人员经费")
        t.h(1, 4, "公用经费")
        self._basic_rows_by_economic_class(t, y, indent=1)
        return t

    def std07(self):
        t = self.new("budget.std.07", "一般公共预算“三公”经费支出表", 7, 6, [1.0] * 6)
        t.h(0, 0, "合计", rs=2)
        t.h(0, 1, "因公出国（境）费", rs=2)
        t.h(0, 2, "公务用车购置及运行费", cs=3)
        t.h(1, 2, "小计")
        t.h(1, 3, "公务用车购置费")
        t.h(1, 4, "公务用车运行费")
        t.h(0, 5, "公务接待费", rs=2)
        s = self.sg
        z = self.opts["zero09"]
        car = s["buy"] + s["run"]
        t.add_row([N(s["abroad"] + car + s["recv"], role="total", zero=z), N(s["abroad"], role="leaf", zero=z),
                   N(car, role="subtotal", zero=z), N(s["buy"], role="leaf", zero=z), N(s["run"], role="leaf", zero=z),
                   N(s["recv"], role="leaf", zero=z)])
        return t

    # ================================================================ text
    def narrative(self):
        rng, u, y = self.rng, self.u, self.year
        out = [("part", "第一部分 部门预算公开说明"), ("h", "一、部门职能职责")]
        from .final import DUTIES, OFFICES
        for i, s in enumerate(DUTIES[:rng.randint(3, 5)]):
            out.append(("p", "（%s）%s" % (cn_ordinal(i + 1), s)))
        offs = rng.sample(OFFICES, rng.randint(3, 5))
        out.append(("h", "二、机构设置"))
        out.append(("p", "本部门共有编制人数%d人，实有人数%d人。内设科室%d个，分别为：%s。"
                    % (u.staff + rng.randint(0, 3), u.staff, len(offs), "、".join(offs))))
        out.append(("h", "三、部门收支总体情况"))
        s = "（一）收入预算：%d年年初预算数%s万元，其中，一般公共预算拨款%s万元" % (y, yuan(self.TOT), yuan(self.GP))
        if self.OTH:
            s += "，其他收入%s万元" % yuan(self.OTH)
        out.append(("p", s + "；政府性基金拨款0万元；上年结转0万元。"))
        parts = []
        for c in self.classes:
            v = prefix_sum(u.items, c, lambda i: self.gp[i] + self.oth[i])
            parts.append("%s%s万元" % (R.func_name(c, y), yuan(v)))
        out.append(("p", "（二）支出预算：%d年年初预算数%s万元，其中，%s。" % (y, yuan(self.TOT), "，".join(parts))))
        out.append(("h", "四、一般公共预算拨款支出预算"))
        out.append(("p", "%d年本部门一般公共预算拨款支出%s万元，其中：基本支出%s万元，占%s%%，包括工资福利支出%s万元、"
                    "%s%s万元、对个人和家庭的补助%s万元；项目支出%s万元，占%s%%。"
                    % (y, yuan(self.GP), yuan(self.G_basic), pct(self.G_basic, self.GP), yuan(self.c301),
                       "一般商品和服务支出" if self.style == "hn" else "商品和服务支出", yuan(self.c302), yuan(self.c303),
                       yuan(self.G_proj), pct(self.G_proj, self.GP))))
        out.append(("h", "五、其他重要事项情况说明"))
        if u.nature == "行政":
            out.append(("p", "（一）机关运行经费：本部门%d年年初预算机关运行经费共安排%s万元。" % (y, yuan(self.c302))))
        else:
            out.append(("p", "（一）机关运行经费：本单位为事业单位，不安排机关运行经费。"))
        s = self.sg
        tot = s["abroad"] + s["buy"] + s["run"] + s["recv"]
        out.append(("p", "（二）一般公共预算“三公”经费预算：%d年“三公”经费预算数%s万元，其中：因公出国（境）费%s万元，"
                    "公务接待费%s万元，公务用车购置及运行维护费%s万元（其中：公务用车购置费%s万元，公务用车运行维护费%s万元）。"
                    % (y, yuan(tot), yuan(s["abroad"]), yuan(s["recv"]), yuan(s["buy"] + s["run"]), yuan(s["buy"]),
                       yuan(s["run"]))))
        gp = int(self.TOT * rng.uniform(0, 0.1))
        out.append(("p", "（三）政府采购预算：%d年年初预算数为%s万元。" % (y, yuan(gp))))
        out.append(("p", "（四）预算绩效目标：纳入%d年部门整体支出绩效目标的金额为%s万元，其中，基本支出%s万元，项目支出%s万元。"
                    % (y, yuan(self.TOT), yuan(self.G_basic + sum(u.item_oth_basic.values())),
                       yuan(self.G_proj + sum(u.item_oth_proj.values())))))
        return out

    def tables(self):
        if self.style == "hn":
            sel = self.opts["hn_tables"]
            out = []
            for k in sel:
                if k == 1:
                    out.append(self.hn01())
                elif k == 2:
                    out.append(self.hn02())
                elif k == 3:
                    out.append(self.hn03())
                elif k == 4:
                    out.append(self.hn03("budget.hn.04", "部门支出预算明细表", 4))
                elif k == 5:
                    out.append(self.hn_econ("budget.hn.05", "基本支出－工资福利支出", 5, "301"))
                elif k == 6:
                    out.append(self.hn_econ("budget.hn.06", "基本支出－单位运转经费支出", 6, "302", "一般商品和服务支出"))
                elif k == 7:
                    out.append(self.hn_econ("budget.hn.07", "基本支出－对个人和家庭的补助", 7, "303",
                                            head=("经济科目代码", "经济科目名称", "预算金额")))
                elif k == 9:
                    out.append(self.hn09())
                elif k == 10:
                    out.append(self.hn10())
                elif k == 11:
                    out.append(self.hn11())
                elif k == 17:
                    out.append(self.hn17())
            return out
        return [self.std01(), self.std02(), self.std03(), self.std04(), self.std05(), self.std06(), self.std07()]


def _numfmt(rng, style):
    if style == "hn":
        v = rng.choice(["表%d", "表 %d", "表%s"])
    else:
        v = rng.choice(["表%d", "表%s", "附表%d"])
    if "%s" in v:
        return lambda k: v % cn_ordinal(k)
    return lambda k: v % k


def build(rng, doc_id, outdir, G, style):
    year = rng.choice([2019, 2020, 2020, 2021, 2022, 2023, 2024])
    hn_tables = sorted(set([1, 2, 3] + rng.sample([4, 5, 6, 7, 9, 10, 11, 17], rng.randint(3, 6))))
    if 5 not in hn_tables and rng.random() < 0.5:
        hn_tables = sorted(hn_tables + [5])
    if 9 not in hn_tables and rng.random() < 0.5:
        hn_tables = sorted(hn_tables + [9])
    opts = dict(numfmt=_numfmt(rng, style), full_org=rng.random() < 0.6,
                org_label="单位名称：" if style == "hn" else rng.choice(["部门：", "单位名称："]),
                unit_label=rng.choice(["单位：", "金额单位："]), p_partial=rng.choice([0.0, 0.2, 0.35]),
                table_fs=rng.choice([8.0, 8.5, 9.0]), indent=rng.random() < 0.3, compact_econ=rng.random() < 0.4,
                zero09=rng.choice(["blank", "0.00", "0"]), hn_tables=hn_tables,
                std_classes=rng.choice(["valued", "all"]), split_codes=rng.random() < 0.3)
    d = BudgetDoc(rng, year, style, opts)
    fmt = G.choose_fmt(rng)
    tables = d.tables()
    for t in tables:
        t.check_header()
        t.finalize_text(fmt)
    G.pick_split(rng, tables, ("budget.hn.01", "budget.hn.10", "budget.hn.06", "budget.std.01", "budget.std.04",
                               "budget.std.06"))
    incs = []
    if rng.random() < 0.6:
        incs = inject(rng, tables, fmt, rng.choice([1, 1, 2]))
    fonts = G.choose_fonts(rng)
    pdf = os.path.join(outdir, doc_id + ".pdf")
    r = RD.Renderer(pdf, fonts, date="%d-0%d-10T10:00:00" % (year, rng.randint(1, 3)))
    u = d.u
    G.cover(r, year, u.org, "部门预算", rng)
    titles = [t.title for t in tables]
    if rng.random() < 0.6:
        tl = [("h", "第一部分 部门预算公开说明"), ("h", "第二部分 部门预算公开表格")]
        tl += [("p", "表%s：%s" % (cn_ordinal(k + 1), s)) for k, s in enumerate(titles)]
        G.toc(r, tl)
    r.new_page()
    G.render_blocks(r, d.narrative())
    pos = {}
    number_above = style == "hn" or rng.random() < 0.5
    bold_totals = rng.random() < 0.3
    for k, t in enumerate(tables):
        first_idx = len(r.tables)
        wf = 0.75 if t.ncols <= 3 else 1.0
        r.table(t, width_frac=wf, number_above=number_above, number_align="left" if style == "hn" else "right",
                bold_totals=bold_totals)
        pos[k] = list(range(first_idx, len(r.tables)))
    r.finish()
    truth_tables = r.tables
    inc_truth = []
    for ti, ri, col, kind, desc in incs:
        idx, row = G.locate(truth_tables, pos[ti], ri, col)
        inc_truth.append(dict(kind=kind, deliberate=True, table=idx, cells=[[row, col]], description=desc))
    G.strip_private(truth_tables)
    truth = dict(truth_version=1, id=doc_id, origin="generated", quality="born-digital",
                 pdf=doc_id + ".pdf", page_count=r.page, page_size_pt=list(RD.A4),
                 metadata=dict(organisation=u.org, year=year, kind="budget", level=u.level,
                               template="hn" if style == "hn" else "std",
                               fonts=dict(body=fonts.body, head=fonts.head, table=fonts.table)),
                 tables=truth_tables, narrative=r.narrative(), inconsistencies=inc_truth, obscured=[])
    land = sorted(p for p, s in r.page_sizes.items() if s != RD.A4)
    if land:
        truth["metadata"]["landscape_pages"] = land
    return truth


def build_hn(rng, doc_id, outdir, G):
    return build(rng, doc_id, outdir, G, "hn")


def build_std(rng, doc_id, outdir, G):
    return build(rng, doc_id, outdir, G, "std")
