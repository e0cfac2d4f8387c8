#include "layout/context.hpp"

#include <algorithm>
#include <cmath>
#include <regex>

namespace fiscan::layout {

namespace {

// std::regex works on bytes; the patterns below only anchor on ASCII digits
// and whole UTF-8 sequences, which is safe.
const std::regex& numbering_re() {
    static const std::regex re("((财决)?公开 *[0-9０-９]{1,2} *表|表 *([0-9]{1,2}|(十|一|二|三|四|五|六|七|八|九){1,3})(?![0-9]))");
    return re;
}

std::string strip_spaces(std::string s) {
    std::string out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] == ' ' || s[i] == '\t') continue;
        if (s.compare(i, 3, "\xe3\x80\x80") == 0) { i += 2; continue; }  // U+3000 ideographic space
        out += s[i];
    }
    return out;
}

std::string after_colon(const std::string& s, size_t pos) {
    size_t c1 = s.find("：", pos), c2 = s.find(':', pos);
    size_t c = std::min(c1 == std::string::npos ? s.size() : c1 + 3, c2 == std::string::npos ? s.size() : c2 + 1);
    return c >= s.size() ? "" : s.substr(c);
}

bool starts_with(const std::string& s, const std::string& p) { return s.rfind(p, 0) == 0; }

}  // namespace

void parse_context_line(const std::string& raw, TableContext& ctx, bool& was_field) {
    std::string line = strip_spaces(raw);
    was_field = false;
    std::smatch m;
    if (std::regex_search(line, m, numbering_re())) {
        if (ctx.numbering.empty()) ctx.numbering = strip_spaces(m.str(0));
        line = m.prefix().str() + m.suffix().str();
        was_field = true;
    }
    // Unit: 单位：万元 / 金额单位：元 (but 单位：某某局 is an organisation line).
    for (size_t pos = line.find("单位"); pos != std::string::npos; pos = line.find("单位", pos + 1)) {
        std::string rest = after_colon(line, pos);
        for (const char* u : {"万元", "千元", "亿元", "元"}) {
            if (starts_with(rest, u)) {
                if (ctx.unit.empty()) ctx.unit = u;
                size_t begin = pos >= 6 && line.compare(pos - 6, 6, "金额") == 0 ? pos - 6 : pos;
                line.erase(begin, (line.size() - rest.size()) - begin + std::string(u).size());
                was_field = true;
                break;
            }
        }
        if (was_field && !ctx.unit.empty()) break;
    }
    for (const char* key : {"单位名称", "编制单位", "预算单位", "部门名称", "部门", "单位"}) {
        if (starts_with(line, key)) {
            std::string org = after_colon(line, 0);
            if (!org.empty() && ctx.organisation.empty()) ctx.organisation = org;
            if (!org.empty() || line == std::string(key) + "：") { line.clear(); was_field = true; }
            break;
        }
    }
    if (!line.empty() && was_field) return;  // leftovers of a field line are not a title
}

TableContext find_context(const std::vector<TextLine>& lines, const Box& table, int prev_bottom, int next_top, int dpi) {
    TableContext ctx;
    const int reach_above = static_cast<int>(45.0 / 25.4 * dpi);  // titles sit within ~45 mm above
    const int reach_below = static_cast<int>(30.0 / 25.4 * dpi);
    std::vector<const TextLine*> above, below;
    for (const auto& l : lines) {
        bool overlaps_x = l.bbox.x1 > table.x0 && l.bbox.x0 < table.x1;
        if (!overlaps_x) continue;
        if (l.bbox.y1 <= table.y0 + 2 && l.bbox.y0 >= std::max(prev_bottom, table.y0 - reach_above)) above.push_back(&l);
        if (l.bbox.y0 >= table.y1 - 2 && l.bbox.y1 <= std::min(next_top, table.y1 + reach_below)) below.push_back(&l);
    }
    // Nearest first; the title is the tallest remaining line, ties to the nearest.
    std::sort(above.begin(), above.end(), [](auto* a, auto* b) { return a->bbox.y0 > b->bbox.y0; });
    const TextLine* title = nullptr;
    for (auto* l : above) {
        bool field = false;
        parse_context_line(l->text, ctx, field);
        if (field) continue;
        std::string t = strip_spaces(l->text);
        if (t.empty() || starts_with(t, "注")) continue;
        // A title is a short line centred over the table (or naming a 表);
        // the last line of a paragraph above is not.
        bool centred = std::abs(l->bbox.cx() - table.cx()) < table.width() / 5;
        if (!centred && t.find("表") == std::string::npos) continue;
        if (t.size() > 40 * 3) continue;
        if (!title || l->bbox.height() > title->bbox.height() * 1.15) title = l;
    }
    if (title) ctx.title = strip_spaces(title->text);
    std::sort(below.begin(), below.end(), [](auto* a, auto* b) { return a->bbox.y0 < b->bbox.y0; });
    bool in_notes = false;
    for (auto* l : below) {
        std::string t = strip_spaces(l->text);
        if (starts_with(t, "注") || starts_with(t, "说明")) in_notes = true;
        if (!in_notes) {
            // Units/numbers printed under the table belong to it too.
            bool field = false;
            parse_context_line(t, ctx, field);
            if (!field) break;
            continue;
        }
        ctx.notes.push_back(t);
    }
    return ctx;
}

std::vector<TextLine> group_into_lines(std::vector<PositionedText> items) {
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.bbox.cy() < b.bbox.cy(); });
    std::vector<std::vector<PositionedText>> groups;
    std::vector<Box> gbox;
    for (auto& it : items) {
        if (it.bbox.empty()) continue;
        bool placed = false;
        // Compare with the most recent lines only: items are sorted by centre.
        for (size_t k = groups.size(); k-- > 0 && k + 4 >= groups.size();) {
            // Font boxes of neighbouring lines overlap; their centres do not.
            const auto& last = groups[k].back().bbox;
            if (std::abs(last.cy() - it.bbox.cy()) < 0.4 * std::max(last.height(), it.bbox.height())) {
                groups[k].push_back(it);
                gbox[k] = gbox[k].unite(it.bbox);
                placed = true;
                break;
            }
        }
        if (!placed) { groups.push_back({it}); gbox.push_back(it.bbox); }
    }
    std::vector<TextLine> out;
    for (size_t k = 0; k < groups.size(); ++k) {
        auto& g = groups[k];
        std::sort(g.begin(), g.end(), [](const auto& a, const auto& b) { return a.bbox.x0 < b.bbox.x0; });
        TextLine line;
        line.bbox = gbox[k];
        int h = std::max(1, gbox[k].height());
        for (size_t i = 0; i < g.size(); ++i) {
            if (i > 0) {
                int gap = g[i].bbox.x0 - g[i - 1].bbox.x1;
                if (gap > h || (g[i - 1].space_after && gap > h / 4)) line.text += ' ';
            }
            line.text += g[i].text;
        }
        out.push_back(std::move(line));
    }
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
        return a.bbox.cy() != b.bbox.cy() ? a.bbox.cy() < b.bbox.cy() : a.bbox.x0 < b.bbox.x0;
    });
    return out;
}

std::string join_cell_text(std::vector<PositionedText> items) {
    auto lines = group_into_lines(std::move(items));
    std::string out;
    for (size_t i = 0; i < lines.size(); ++i) {
        // Latin words wrapped across lines keep a space; CJK and numbers do not.
        if (i > 0 && !out.empty() && static_cast<unsigned char>(out.back()) < 0x80 && std::isalpha(static_cast<unsigned char>(out.back())) &&
            !lines[i].text.empty() && std::isalpha(static_cast<unsigned char>(lines[i].text.front())))
            out += ' ';
        out += lines[i].text;
    }
    return out;
}

}  // namespace fiscan::layout
