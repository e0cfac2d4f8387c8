"""pycairo layout of generated documents; records the truth geometry.

Coordinates: PDF points, origin top-left of the (unrotated) page, which is
what cairo uses too, so bboxes are the drawing coordinates themselves.
"""
import re
import cairo

A4 = (595.28, 841.89)
FONT_SONG = ["AR PL UMing CN", "Noto Serif CJK SC"]
FONT_HEI = ["WenQuanYi Zen Hei", "Noto Sans CJK SC"]

_TOKEN = re.compile(r"[0-9A-Za-z.,%\-]+|.", re.S)


def r2(v):
    return round(v + 0.0, 2)


class Fonts:
    def __init__(self, body, head, table):
        self.body = body      # paragraphs
        self.head = head      # titles, headings
        self.table = table    # table text


class Renderer:
    def __init__(self, path, fonts, margins=(56.7, 56.7, 56.7, 62.0), page_numbers=True,
                 date="2021-01-01T00:00:00"):
        self.path = path
        self.fonts = fonts
        self.surface = cairo.PDFSurface(path, A4[0], A4[1])
        for k, v in ((cairo.PDFMetadata.CREATE_DATE, date), (cairo.PDFMetadata.MOD_DATE, date),
                     (cairo.PDFMetadata.CREATOR, "fiscan corpus generator"),
                     (cairo.PDFMetadata.TITLE, "generated disclosure document")):
            self.surface.set_metadata(k, v)
        self.ctx = cairo.Context(self.surface)
        self.ml, self.mt, self.mr, self.mb = margins
        self.page = 0
        self.size = A4
        self.y = None
        self.lines = {}       # page -> [(y, x, text)]
        self.tables = []      # truth table dicts
        self.page_sizes = {}
        self.page_numbers = page_numbers
        self._open = False

    # ------------------------------------------------------------ pages
    def new_page(self, landscape=False):
        if self._open:
            self._finish_page()
            self.ctx.show_page()
        self.size = (A4[1], A4[0]) if landscape else A4
        self.surface.set_size(*self.size)
        self.page += 1
        self.page_sizes[self.page] = self.size
        self.lines[self.page] = []
        self.y = self.mt
        self._open = True

    def _finish_page(self):
        if self.page_numbers and self.page > 1:
            s = "- %d -" % self.page
            self.text(s, self.size[0] / 2, self.size[1] - 30, self.fonts.body, 9, align="center")

    def finish(self):
        if self._open:
            self._finish_page()
        self.surface.finish()

    @property
    def width(self):
        return self.size[0] - self.ml - self.mr

    @property
    def bottom(self):
        return self.size[1] - self.mb

    # ------------------------------------------------------------ text
    def font(self, family, size, bold=False):
        self.ctx.select_font_face(family, cairo.FONT_SLANT_NORMAL,
                                  cairo.FONT_WEIGHT_BOLD if bold else cairo.FONT_WEIGHT_NORMAL)
        self.ctx.set_font_size(size)

    def tw(self, s, family, size, bold=False):
        self.font(family, size, bold)
        return self.ctx.text_extents(s)[4]

    def text(self, s, x, y, family, size, bold=False, align="left", record=True):
        """Draw s with its baseline at y; x is left/centre/right per align."""
        if not s:
            return
        self.font(family, size, bold)
        w = self.ctx.text_extents(s)[4]
        if align == "center":
            x -= w / 2
        elif align == "right":
            x -= w
        self.ctx.move_to(x, y)
        self.ctx.show_text(s)
        if record:
            self.lines[self.page].append((y, x, s))

    def wrap(self, s, width, family, size, bold=False, first_indent=0.0):
        """Greedy wrap; runs of digits/latin stay together; explicit newlines
        are kept; a line never starts with closing punctuation (the last
        character moves down with it instead)."""
        self.font(family, size, bold)
        out = []
        for k, para in enumerate(s.split("\n")):
            cur, curw = "", (first_indent if k == 0 else 0.0)
            for tok in _TOKEN.findall(para):
                w = self.ctx.text_extents(tok)[4]
                if cur and curw + w > width + 0.01:
                    if len(tok) == 1 and tok in "，。；：、）”》％！？" and len(cur) > 1:
                        out.append(cur[:-1])
                        cur = cur[-1]
                        curw = self.ctx.text_extents(cur)[4]
                    else:
                        out.append(cur)
                        cur, curw = "", 0.0
                cur += tok
                curw += w
            out.append(cur)
        if not out:
            out.append("")
        return out

    def line(self, x0, y0, x1, y1, w=0.6):
        self.ctx.set_line_width(w)
        self.ctx.move_to(x0, y0)
        self.ctx.line_to(x1, y1)
        self.ctx.stroke()

    # ------------------------------------------------------------ flow text
    def ensure(self, h):
        if self.y + h > self.bottom:
            self.new_page()

    def centered(self, s, size, bold=True, family=None, gap_after=6.0):
        family = family or self.fonts.head
        for ln in self.wrap(s, self.width, family, size, bold):
            self.ensure(size * 1.5)
            self.y += size * 1.15
            self.text(ln, self.ml + self.width / 2, self.y, family, size, bold, align="center")
            self.y += size * 0.35
        self.y += gap_after

    def heading(self, s, size=12.0, bold=True, indent=0.0, family=None):
        family = family or self.fonts.head
        lns = self.wrap(s, self.width - indent, family, size, bold)
        self.ensure(size * 1.6 * len(lns) + 30)
        for ln in lns:
            self.y += size * 1.2
            self.text(ln, self.ml + indent, self.y, family, size, bold)
            self.y += size * 0.5
        self.y += 2

    def paragraph(self, s, size=11.0, indent_chars=2, spacing=1.65, family=None):
        family = family or self.fonts.body
        ind = size * indent_chars
        lns = self.wrap(s, self.width, family, size, first_indent=ind)
        for i, ln in enumerate(lns):
            self.ensure(size * spacing)
            self.y += size * spacing
            self.text(ln, self.ml + (ind if i == 0 else 0), self.y - size * (spacing - 1.0) / 2,
                      family, size)
        self.y += 2

    # ------------------------------------------------------------ tables
    def table(self, t, width_frac=1.0, number_above=False, number_align="right",
              title_size=15.0, org_line=True, bold_totals=False, hide_title=False):
        """Lay out LTable t starting on a fresh page. Returns indices of the
        truth tables (parts) written."""
        self.new_page(landscape=t.landscape)
        fs = t.font_size
        fam = self.fonts.table
        # ---------------- title block
        if number_above and t.numbering:
            self.y += 11
            x = self.ml if number_align == "left" else self.ml + self.width
            self.text(t.numbering, x, self.y, fam, 10, align=number_align)
            self.y += 6
        if not hide_title:
            self.centered(t.title, title_size, bold=True, gap_after=4)
        if t.numbering and not number_above:
            self.y += 10
            self.text(t.numbering, self.ml + self.width, self.y, fam, 10, align="right")
            self.y += 4
        tw = self.width * width_frac
        x0 = self.ml + (self.width - tw) / 2
        if org_line or t.unit:
            self.y += 12
            if org_line:
                self.text(t.org_label + t.org, x0, self.y, fam, 10)
            if t.unit:
                self.text(t.unit_label + t.unit, x0 + tw, self.y, fam, 10, align="right")
            self.y += 5
        # ---------------- geometry
        tot = float(sum(t.widths))
        xs = [x0]
        for w in t.widths:
            xs.append(xs[-1] + tw * w / tot)
        pad = 2.5
        lh = fs * 1.22
        # shrink font until every numeric cell fits its column
        for row in t.body:
            for c in row:
                if c["numeric"] and c["text"]:
                    cw = xs[c["col"] + c["cs"]] - xs[c["col"]] - 2 * pad
                    while self.tw(c["text"], fam, fs) > cw and fs > 5.5:
                        fs -= 0.25
        lh = fs * 1.22

        def cell_lines(c, bold=False):
            cw = xs[c["col"] + c["cs"]] - xs[c["col"]] - 2 * pad - c.get("indent", 0) * fs
            if c.get("numeric") or not c["text"]:
                return [c["text"]]
            return self.wrap(c["text"], cw, fam, fs, bold)

        # header row heights
        hh = [lh + 2 * pad + 2] * t.header_rows
        hlines = []
        for c in t.header:
            lines = cell_lines(c)
            hlines.append(lines)
            need = len(lines) * lh + 2 * pad + 2
            if c["rs"] == 1:
                hh[c["row"]] = max(hh[c["row"]], need)
        for c, lines in zip(t.header, hlines):
            need = len(lines) * lh + 2 * pad + 2
            have = sum(hh[c["row"]:c["row"] + c["rs"]])
            if need > have:
                hh[c["row"] + c["rs"] - 1] += need - have
        avail = self.size[1] - self.mt - self.mb - sum(hh) - 60
        while True:
            blines, bh = [], []
            min_rh = lh + 2 * pad + getattr(t, "row_extra", 2.0)
            for row in t.body:
                ls = [cell_lines(c, bold_totals and c.get("role") == "total") for c in row]
                blines.append(ls)
                bh.append(max([min_rh] + [len(l) * lh + 2 * pad + 1 for l, c in zip(ls, row) if c.get("rs", 1) == 1]))
            # cells spanning several body rows (seed forms): grow their last row
            for k, (row, ls) in enumerate(zip(t.body, blines)):
                for c, l in zip(row, ls):
                    rs = c.get("rs", 1)
                    if rs > 1:
                        need = len(l) * lh + 2 * pad + 1
                        have = sum(bh[k:k + rs])
                        if need > have:
                            bh[k + rs - 1] += need - have
            if max(bh + [0]) <= avail or fs <= 5.0:
                break
            fs -= 0.5
            lh = fs * 1.22
        # no page break inside a row span
        nobreak = [False] * len(t.body)
        for k, row in enumerate(t.body):
            for c in row:
                for kk in range(k, k + c.get("rs", 1) - 1):
                    nobreak[kk] = True
        # ---------------- pagination
        parts = []
        i = 0
        first = True
        n = len(t.body)
        while True:
            with_header = first or t.repeat_header
            top = self.y + 2
            y = top + (sum(hh) if with_header else 0)
            j = i
            limit = n
            if first and t.split_after is not None and 0 < t.split_after < n:
                limit = t.split_after
            while j < limit and y + bh[j] <= self.bottom - 4:
                y += bh[j]
                j += 1
            while i < j < n and nobreak[j - 1]:
                j -= 1
                y -= bh[j]
            if j == i and j < n:
                j = i + 1      # at least one row
                y += bh[i]
            parts.append((i, j, with_header, top))
            self._draw_part(t, xs, hh, bh, hlines, blines, i, j, with_header, top, fs, lh, pad,
                            bold_totals, first, len(parts) - 1)
            self.y = y
            i = j
            if i >= n:
                break
            # continuation page
            self.new_page(landscape=t.landscape)
            first = False
            if t.cont_label:
                self.y += 11
                self.text(t.cont_label, self.ml + self.width, self.y, fam, 10, align="right")
                self.y += 4
        # ---------------- notes
        notes = list(t.notes)
        if t.empty_note:
            notes = notes + [t.empty_note]
        if notes:
            self.y += 3
            for note in notes:
                for ln in self.wrap(note, tw, fam, 9):
                    if self.y + 14 > self.bottom:
                        self.new_page(landscape=t.landscape)
                    self.y += 12
                    self.text(ln, x0, self.y, fam, 9)
                    self.y += 2
        return parts

    def _draw_part(self, t, xs, hh, bh, hlines, blines, i, j, with_header, top, fs, lh, pad,
                   bold_totals, first, part_no):
        fam = self.fonts.table
        cells = []
        y = top
        ys = [y]
        if with_header:
            for h in hh:
                ys.append(ys[-1] + h)
        hrows = len(ys) - 1
        for k in range(i, j):
            ys.append(ys[-1] + bh[k])
        x0, x1 = xs[0], xs[-1]
        y_end = ys[-1]

        def draw_text(lines, c, cx0, cy0, cx1, cy1, align, bold=False):
            n = len(lines)
            block = n * lh
            ty = (cy0 + cy1) / 2 - block / 2 + fs * 0.88
            for ln in lines:
                if align == "left":
                    self.text(ln, cx0 + pad + c.get("indent", 0) * fs, ty, fam, fs, bold, record=False)
                elif align == "right":
                    self.text(ln, cx1 - pad, ty, fam, fs, bold, align="right", record=False)
                else:
                    self.text(ln, (cx0 + cx1) / 2, ty, fam, fs, bold, align="center", record=False)
                ty += lh

        full = t.ruling == "full"
        self.ctx.set_source_rgb(0, 0, 0)
        if with_header:
            for c, lines in zip(t.header, hlines):
                cx0, cx1 = xs[c["col"]], xs[c["col"] + c["cs"]]
                cy0, cy1 = ys[c["row"]], ys[c["row"] + c["rs"]]
                draw_text(lines, c, cx0, cy0, cx1, cy1, "center")
                self.ctx.rectangle(cx0, cy0, cx1 - cx0, cy1 - cy0)
                self.ctx.set_line_width(0.6)
                self.ctx.stroke()
                cells.append(dict(row=c["row"], col=c["col"], row_span=c["rs"], col_span=c["cs"],
                                  text=c["text"], value=None, numeric=False,
                                  bbox_pt=[r2(cx0), r2(cy0), r2(cx1), r2(cy1)], obscured=False,
                                  _src=("h", c["row"], c["col"])))
        for k in range(i, j):
            r = hrows + (k - i)
            for c, lines in zip(t.body[k], blines[k]):
                rs = c.get("rs", 1)
                cy0, cy1 = ys[r], ys[min(r + rs, len(ys) - 1)]
                cx0, cx1 = xs[c["col"]], xs[c["col"] + c["cs"]]
                draw_text(lines, c, cx0, cy0, cx1, cy1, c["align"], bold_totals and c.get("role") == "total")
                if full:
                    self.ctx.rectangle(cx0, cy0, cx1 - cx0, cy1 - cy0)
                    self.ctx.set_line_width(0.6)
                    self.ctx.stroke()
                if "value" in c:
                    val = c["value"]
                else:
                    val = None
                    if c["numeric"] and c["text"]:
                        val = round(float(c["text"].replace(",", "")), 2)
                cells.append(dict(row=r, col=c["col"], row_span=rs, col_span=c["cs"],
                                  text=c["text"], value=val, numeric=bool(c["numeric"]),
                                  bbox_pt=[r2(cx0), r2(cy0), r2(cx1), r2(cy1)], obscured=False,
                                  _role=c.get("role", ""), _src=(k, c["col"])))
        # frame
        self.ctx.set_line_width(1.0 if not full else 0.8)
        self.ctx.rectangle(x0, top, x1 - x0, y_end - top)
        self.ctx.stroke()
        cells.sort(key=lambda c: (c["row"], c["col"]))
        truth = dict(page=self.page, schema=t.schema, title=t.title, numbering=t.numbering or None,
                     unit=t.unit or None, organisation=t.org or None,
                     bbox_pt=[r2(x0), r2(top), r2(x1), r2(y_end)],
                     n_rows=hrows + (j - i), n_cols=t.ncols,
                     header_rows=hrows, ruling=t.ruling,
                     continues=None if first else len(self.tables) - 1,
                     cells=cells)
        self.tables.append(truth)

    # ------------------------------------------------------------ narrative
    def narrative(self):
        out = []
        for p in sorted(self.lines):
            items = sorted(self.lines[p], key=lambda t: (round(t[0], 1), t[1]))
            lines = []
            for y, x, s in items:
                if lines and abs(lines[-1][0] - y) < 2.0:
                    lines[-1][1].append(s)
                else:
                    lines.append([y, [s]])
            text = "\n".join(" ".join(parts) for _, parts in lines)
            if text:
                out.append(dict(page=p, text=text))
        return out
