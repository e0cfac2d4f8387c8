"""A made-up budget unit with leaf-level amounts (integer cents of 万元).

Everything the tables print is summed up from these leaves, so all the
identities of domain-notes §5 hold by construction.
"""
from . import refdata as R

CITIES = ["云溪市", "清河市", "南岭市", "白沙市", "江川市", "丰宁市", "临川市", "安澜市", "石门市", "湘源市"]
DISTRICTS = [("城东区", "区"), ("河西区", "区"), ("龙泉区", "区"), ("高新区", "区"), ("北湖区", "区"),
             ("桃源县", "县"), ("青山县", "县"), ("安平县", "县"), ("永和县", "县"), ("新田县", "县"),
             ("石峰区", "区"), ("芦淞区", "区")]
# (department, main 款, nature, year-from, special project 项 list)
DEPTS = [
    ("统计局", "20105", "行政", 2014, ["2010507"]),
    ("司法局", "20406", "行政", 2014, []),
    ("档案馆", "20126", "事业", 2014, []),
    ("政务服务中心", "20103", "事业", 2014, []),
    ("网格化管理服务中心", "20103", "事业", 2014, ["2010399"]),
    ("机关事务服务中心", "20103", "事业", 2014, ["2010303"]),
    ("人民政府办公室", "20103", "行政", 2014, []),
    ("人力资源和社会保障局", "20801", "行政", 2014, []),
    ("民政局", "20802", "行政", 2014, ["2080208"]),
    ("退役军人事务局", "20828", "行政", 2019, []),
    ("卫生健康局", "21001", "行政", 2014, ["2100410"]),
    ("农业农村局", "21301", "行政", 2019, []),
    ("应急管理局", "22401", "行政", 2019, ["2240108"]),
    ("市场监督管理局", "20138", "行政", 2019, []),
    ("文化旅游广电体育局", "20701", "行政", 2019, []),
    ("城市管理综合执法局", "21201", "行政", 2014, []),
    ("教育局", "20501", "行政", 2014, []),
    ("科学技术局", "20601", "行政", 2014, []),
    ("街道办事处", "20103", "行政", 2014, ["2010302"]),
]
STREETS = ["东风街道办事处", "建设街道办事处", "桂花街道办事处", "清水塘街道办事处", "人民路街道办事处"]


def cents(rng, lo, hi):
    """uniform amount in [lo, hi] 万元 as integer cents."""
    return int(round(rng.uniform(lo, hi) * 100))


class Unit:
    pass


def make_unit(rng, year, basic_classes=None):
    u = Unit()
    u.year = year
    city = rng.choice(CITIES)
    dist, level = rng.choice(DISTRICTS)
    dept = rng.choice([d for d in DEPTS if d[3] <= year])
    name, kuan, nature, _, special = dept
    if name == "街道办事处":
        name = rng.choice(STREETS)
    if nature == "事业" or name.endswith("中心"):
        nature = "事业"
    u.org = city + dist + name
    u.short = dist + name
    u.dept = name
    u.level = level
    u.nature = nature
    u.kuan = kuan
    # ------------------------------------------------------ basic economics
    n = rng.randint(5, 60)
    u.staff = n
    e = {}
    sal = cents(rng, 2.4, 4.2) * n
    e["30101"] = sal
    if nature == "行政" or rng.random() < 0.4:
        e["30102"] = int(sal * rng.uniform(0.5, 1.1))
    if rng.random() < 0.7:
        e["30103"] = int(sal * rng.uniform(0.15, 0.45))
    if nature == "事业" or rng.random() < 0.5:
        e["30107"] = int(sal * rng.uniform(0.3, 0.9))
    base = sum(e.values())
    e["30108"] = int(base * rng.uniform(0.14, 0.17))
    if rng.random() < 0.85:
        e["30109"] = int(base * rng.uniform(0.06, 0.085))
    e["30110"] = int(base * rng.uniform(0.06, 0.095))
    if rng.random() < 0.6:
        e["30111"] = int(base * rng.uniform(0.01, 0.03))
    if rng.random() < 0.5:
        e["30112"] = int(base * rng.uniform(0.003, 0.01))
    e["30113"] = int(base * rng.uniform(0.1, 0.12))
    if rng.random() < 0.3:
        e["30114"] = int(base * rng.uniform(0.01, 0.04))
    if rng.random() < 0.5:
        e["30199"] = int(base * rng.uniform(0.01, 0.12))
    # 302
    for code, p, lo, hi in [("30201", 1.0, 0.1, 0.6), ("30202", 0.4, 0.02, 0.2), ("30205", 0.5, 0.02, 0.1),
                            ("30206", 0.7, 0.05, 0.3), ("30207", 0.7, 0.02, 0.15), ("30209", 0.3, 0.05, 0.4),
                            ("30211", 0.8, 0.05, 0.3), ("30213", 0.5, 0.05, 0.5), ("30214", 0.15, 0.1, 0.8),
                            ("30215", 0.6, 0.01, 0.08), ("30216", 0.6, 0.01, 0.1), ("30217", 0.6, 0.01, 0.06),
                            ("30218", 0.2, 0.05, 0.4), ("30226", 0.4, 0.1, 1.2), ("30227", 0.3, 0.1, 2.0),
                            ("30228", 0.9, 0.03, 0.08), ("30229", 0.7, 0.02, 0.06), ("30231", 0.35, 0.1, 0.5),
                            ("30239", 0.6, 0.1, 0.6), ("30299", 0.6, 0.02, 0.5)]:
        if rng.random() < p:
            e[code] = max(1, int(n * rng.uniform(lo, hi) * 100 * rng.uniform(0.3, 1.0)))
    if e.get("30228"):
        e["30228"] = int(sal * 0.02)
    # 303
    if rng.random() < 0.35:
        e["30302"] = cents(rng, 1, 40)
    if rng.random() < 0.3:
        e["30305"] = cents(rng, 0.2, 8)
    if rng.random() < 0.25:
        e["30309"] = cents(rng, 0.1, 3)
    if year >= 2020 and rng.random() < 0.15:
        e["30311"] = cents(rng, 0.1, 2)
    if rng.random() < 0.15:
        e["30399"] = cents(rng, 0.1, 5)
    # 310 in basic spending (seed 002 shows 31002 there)
    if rng.random() < 0.25:
        e["31002"] = cents(rng, 0.3, 20)
    if rng.random() < 0.05:
        e["31013"] = cents(rng, 10, 25)
    if rng.random() < 0.08:
        e["39999"] = cents(rng, 0.1, 3)
    e = {k: v for k, v in e.items() if v > 0 and R.econ_valid(k, year)
         and (basic_classes is None or k[:3] in basic_classes)}
    u.econ = dict(sorted(e.items()))
    # ------------------------------------------------------ function items
    main_basic = kuan + ("01" if nature == "行政" else "50")
    assign = {}          # econ code -> function item
    items_basic = {}
    pension = "2080505"
    annuity = "2080506" if rng.random() < 0.6 else pension
    med = "2101101" if nature == "行政" else "2101102"
    med2 = "2101103" if rng.random() < 0.4 else med
    retire = "2080501" if nature == "行政" else "2080502"
    for code in u.econ:
        if code == "30108":
            it = pension
        elif code == "30109":
            it = annuity
        elif code == "30110":
            it = med
        elif code == "30111":
            it = med2
        elif code == "30113":
            it = "2210201"
        elif code == "30302":
            it = retire
        else:
            it = main_basic
        assign[code] = it
    u.assign = assign
    for code, it in assign.items():
        items_basic.setdefault(it, {})
        items_basic[it][code] = u.econ[code]
    # projects
    proj_pool = [kuan + "02", kuan + "99"] + [s for s in special if s[:5] != kuan or s not in (kuan + "02",)]
    proj_pool = list(dict.fromkeys(proj_pool))
    if main_basic in proj_pool:
        proj_pool.remove(main_basic)
    nproj = rng.choice([0, 1, 1, 2, 2, 3]) if len(items_basic) < 7 else rng.choice([0, 1])
    nproj = min(nproj, 8 - len(items_basic), len(proj_pool))
    basic_total = sum(u.econ.values())
    projects = {}
    if nproj:
        ptotal = int(basic_total * rng.uniform(0.08, 2.5))
        chosen = rng.sample(proj_pool, nproj)
        shares = sorted(rng.sample(range(1, 1000), nproj - 1)) if nproj > 1 else []
        cuts = [0] + [int(ptotal * s / 1000) for s in shares] + [ptotal]
        for k, it in enumerate(chosen):
            projects[it] = max(cuts[k + 1] - cuts[k], 137)
    u.projects = projects
    # project economic split (for hn.11): mostly goods & services
    u.proj_econ = {}
    for it, v in projects.items():
        cap = int(v * rng.choice([0, 0, 0, 0.2, 0.5])) if rng.random() < 0.5 else 0
        fam = int((v - cap) * rng.choice([0, 0, 0.1])) if rng.random() < 0.3 else 0
        u.proj_econ[it] = {"302": v - cap - fam, "310": cap, "303": fam}
    all_items = sorted(set(items_basic) | set(projects))
    u.items = all_items
    u.item_basic = {it: sum(items_basic.get(it, {}).values()) for it in all_items}
    u.item_basic_econ = items_basic
    u.item_proj = {it: projects.get(it, 0) for it in all_items}
    # ------------------------------------------------------ sources
    # 事业 units sometimes also spend 事业收入 / 其他收入 (not 财政拨款)
    u.other_src = None
    u.item_oth_basic = {it: 0 for it in all_items}
    u.item_oth_proj = {it: 0 for it in all_items}
    if nature == "事业" and rng.random() < 0.35:
        u.other_src = rng.choice(["事业收入", "其他收入"])
        u.item_oth_basic[main_basic] = cents(rng, 1, 30)
        if projects and rng.random() < 0.5:
            it = sorted(projects)[0]
            u.item_oth_proj[it] = cents(rng, 1, 20)
    elif rng.random() < 0.12:
        u.other_src = "其他收入"
        u.item_oth_proj[main_basic] = 0
        u.item_oth_basic[main_basic] = cents(rng, 0.2, 5)
    # 财政拨款 income per item = spending + unspent carry (d_i >= 0)
    u.item_carry = {it: 0 for it in all_items}
    for it in projects:
        if rng.random() < 0.3:
            u.item_carry[it] = int(projects[it] * rng.uniform(0.02, 0.3))
    u.b0 = cents(rng, 0.5, 40) if rng.random() < 0.3 else 0
    # ------------------------------------------------------ 三公 (final figures)
    jd = {
        "abroad": u.econ.get("30212", 0),
        "buy": u.econ.get("31013", 0),
        "run": u.econ.get("30231", 0),
        "recv": u.econ.get("30217", 0),
    }
    if projects and rng.random() < 0.3:
        jd["recv"] += cents(rng, 0.01, 0.5)
    u.sg_final = jd
    bud = {}
    for k, v in jd.items():
        if v:
            bud[k] = int(v * rng.uniform(1.0, 1.4))
        else:
            bud[k] = cents(rng, 0.5, 3) if (k == "recv" and rng.random() < 0.2) else 0
    u.sg_budget = bud
    u.meeting = u.econ.get("30215", 0)
    u.training = u.econ.get("30216", 0)
    return u


def class_of(code):
    return code[:3]


def hierarchy(items):
    """Ordered rows [(code, level)] for a list of 7-digit items: 类, 款, 项."""
    out = []
    seen = set()
    for it in sorted(items):
        for c, lv in ((it[:3], 1), (it[:5], 2), (it, 3)):
            if c not in seen:
                seen.add(c)
                out.append((c, lv))
    return out
