"""Deliberate source inconsistencies, applied to the logical tables before layout."""


def _cands(tables, pred):
    out = []
    for ti, t in enumerate(tables):
        for ri, row in enumerate(t.body):
            for c in row:
                if c["numeric"] and c["cents"] and pred(t, c):
                    out.append((ti, ri, c))
    return out


def inject(rng, tables, fmt, n):
    """Apply n (1–2) inconsistencies; returns records (table_pos, body_row, col, kind, description)."""
    done = []
    used = set()
    kinds = ["sum_mismatch", "sum_mismatch", "digit_loss", "missing_total"]
    for _ in range(n):
        for _attempt in range(10):
            kind = rng.choice(kinds)
            if kind == "sum_mismatch":
                cands = _cands(tables, lambda t, c: c["role"] in ("total", "subtotal", "rowtotal"))
            elif kind == "digit_loss":
                cands = _cands(tables, lambda t, c: c["cents"] >= 1000)
            else:
                cands = _cands(tables, lambda t, c: c["role"] == "total")
            cands = [x for x in cands if (x[0], x[1], x[2]["col"]) not in used]
            if not cands:
                continue
            ti, ri, c = rng.choice(cands)
            t = tables[ti]
            old = c["text"]
            if kind == "sum_mismatch":
                delta = rng.choice([-1, 1])
                c["cents"] += delta
                c["text"] = fmt.text(c["cents"], c.get("zero"))
                desc = "%s：%s印为%s（应为%s，尾差0.01）" % (t.title, _where(t, ri, c), c["text"], old)
            elif kind == "digit_loss":
                ip, fp = divmod(c["cents"], 100)
                s = str(ip)
                k = rng.randrange(len(s))
                s2 = (s[:k] + s[k + 1:]).lstrip("0") or "0"
                c["cents"] = int(s2) * 100 + fp
                c["text"] = fmt.text(c["cents"], c.get("zero")) or "0.%02d" % fp
                desc = "%s：%s印为%s（应为%s，漏印一位数字）" % (t.title, _where(t, ri, c), c["text"], old)
            else:
                c["cents"] = None
                c["text"] = ""
                desc = "%s：%s合计数空白（应为%s）" % (t.title, _where(t, ri, c), old)
            used.add((ti, ri, c["col"]))
            done.append((ti, ri, c["col"], kind, desc))
            break
    return done


def _where(t, ri, c):
    row = t.body[ri]
    label = ""
    for x in row:
        if not x["numeric"] and x["text"] and x.get("role") != "code":
            label = x["text"]
            break
        if not x["numeric"] and x["text"] and not label:
            label = x["text"]
    col = None
    for h in t.header:
        if h["col"] <= c["col"] < h["col"] + h["cs"] and h["text"] and not h["text"].isdigit():
            col = h["text"]
    return "“%s”行“%s”栏" % (label or "第%d行" % (ri + 1), col or "第%d列" % (c["col"] + 1))
