"""Shared I/O of corpus truth files (docs/truth-format.md)."""
import copy
import json
import re


def dumps_truth(truth):
    """JSON text of a truth file: indented, one line per cell."""
    t = copy.deepcopy(truth)
    cells = []
    for tb in t.get("tables", []):
        for i, c in enumerate(tb.get("cells", [])):
            tb["cells"][i] = "@@CELL%d@@" % len(cells)
            cells.append(c)
    s = json.dumps(t, ensure_ascii=False, indent=1)
    # short lists of numbers on one line
    s = re.sub(r"\[\s*(-?[\d.]+(?:,\s*-?[\d.]+)*)\s*\]",
               lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", s)
    for i, c in enumerate(cells):
        s = s.replace('"@@CELL%d@@"' % i, json.dumps(c, ensure_ascii=False), 1)
    return s + "\n"
