#include "schema/grid.hpp"

#include "schema/numbers.hpp"
#include "schema/text.hpp"

#include <algorithm>

namespace fiscan::schema {

std::string slot_text(const Table& t, int r, int c) {
    const Cell* cell = t.at(r, c);
    if (!cell || cell->row != r || cell->col != c) return "";
    return cell->text;
}

std::string header_text(const Table& t, int r, int c) {
    const Cell* cell = t.at(r, c);
    return cell ? cell->text : "";
}

static bool is_code_text(const std::string& s) {
    std::string n = norm_label(s);
    return is_digits(n) && (n.size() == 3 || n.size() == 5 || n.size() == 7);
}

static bool money_like(const std::string& s) {
    auto p = parse_number(s);
    if (!p.numeric) return false;
    std::string n = norm_label(s);
    return n.find('.') != std::string::npos || n.find(',') != std::string::npos;
}

static bool starts_with_ordinal(const std::string& s) {
    std::string n = norm_label(s);
    return !n.empty() && strip_ordinal(n) != n && has_cjk(n);
}

static bool is_marker_row(const Table& t, int r) {
    // 栏次 rows, 类/款/项 rows, spreadsheet column letters, "**" rows
    int nonempty = 0, markers = 0;
    for (int c = 0; c < t.n_cols; ++c) {
        std::string s = norm_label(slot_text(t, r, c));
        if (s.empty()) continue;
        ++nonempty;
        if (s.find("栏次") != std::string::npos) return true;
        bool small_int = is_digits(s) && s.size() <= 2;
        bool letter = s.size() == 1 && s[0] >= 'A' && s[0] <= 'Z';
        if (small_int || letter || s == "类" || s == "款" || s == "项" || s == "**" || s == "行次")
            ++markers;
    }
    return nonempty > 0 && markers == nonempty && nonempty >= 2;
}

static bool is_data_like(const Table& t, int r) {
    bool code = false, cjk = false, money = false, number = false;
    int cjk_cells = 0;
    std::string first;
    for (int c = 0; c < t.n_cols; ++c) {
        std::string s = slot_text(t, r, c);
        std::string n = norm_label(s);
        if (n.empty()) continue;
        if (first.empty()) first = n;
        if (is_code_text(n)) code = true;
        if (has_cjk(n)) { cjk = true; ++cjk_cells; }
        if (money_like(n)) money = true;
        if (parse_number(n).numeric) number = true;
    }
    if (code && cjk) return true;
    if (money) return true;
    if (starts_with_ordinal(first)) return true;
    // a totals row (合计 / 总计) — not a header row that merely starts with 合计
    return (first == "合计" || first == "总计") && (number || cjk_cells == 1);
}

GridInfo analyse_grid(const Table& t) {
    GridInfo g;
    g.cols.resize(std::max(0, t.n_cols));
    int h = t.header_rows;
    if (h <= 0) {
        h = 0;
        while (h < t.n_rows && !is_data_like(t, h)) ++h;
        if (h == t.n_rows) h = std::min(t.n_rows, 1);  // nothing looks like data: first row is the header
    } else {
        // the layout's header ends at the first row holding data (a continuation
        // page whose first rows were taken for a header)
        for (int r = 0; r < h; ++r)
            if (!is_marker_row(t, r) && is_data_like(t, r)) { h = r; break; }
    }
    g.header_rows = h;
    // header strings and 栏次 numbers
    for (int c = 0; c < t.n_cols; ++c) {
        std::string acc, last;
        for (int r = 0; r < h; ++r) {
            std::string s = norm_label(header_text(t, r, c));
            if (is_marker_row(t, r)) {
                if (is_digits(s) && s.size() <= 2) g.cols[c].col_no = std::stoi(s);
                continue;
            }
            if (s.empty() || s == last) continue;
            acc += s;
            last = s;
        }
        g.cols[c].header = acc;
    }
    for (int r = h; r < t.n_rows; ++r) {
        if (is_marker_row(t, r)) {
            g.skipped_rows.push_back(r);
            for (int c = 0; c < t.n_cols; ++c) {
                std::string s = norm_label(slot_text(t, r, c));
                if (is_digits(s) && s.size() <= 2 && g.cols[c].col_no < 0) g.cols[c].col_no = std::stoi(s);
            }
            continue;
        }
        bool any = false;
        for (int c = 0; c < t.n_cols && !any; ++c) any = !trim(slot_text(t, r, c)).empty();
        if (any) g.data_rows.push_back(r);
    }
    // roles
    std::vector<bool> codeish(t.n_cols, false), part(t.n_cols, false);
    for (int c = 0; c < t.n_cols; ++c) {
        auto& ci = g.cols[c];
        int n = 0, num = 0, cjk = 0, codes = 0, parts = 0;
        for (int r : g.data_rows) {
            // what a blot over a slot reads as ("人") says nothing of its column
            if (const Cell* x = t.at(r, c); x && x->obscured) continue;
            std::string s = norm_label(slot_text(t, r, c));
            if (s.empty()) continue;
            ++n;
            if (!has_cjk(s) && is_digits(code_part(s))) s = code_part(s);  // ".05", "-99": a code part with a speck
            if (has_cjk(s)) ++cjk;
            else if (is_digits(s) && (s.size() == 3 || s.size() == 5 || s.size() == 7)) ++codes;
            else if (is_digits(s) && s.size() == 2) ++parts;
            if (parse_number(s).numeric || parse_number(s).dash) ++num;
        }
        // 行次 printed without its header (a continuation page): 18, 19, 20, … in
        // the column right of a label column (款/项 code parts follow codes, and
        // are zero-padded)
        bool counting = n >= 3 && c > 0 && g.cols[c - 1].role == "text";
        for (int r = 0, last = -1; counting && r < static_cast<int>(g.data_rows.size()); ++r) {
            std::string v = norm_label(slot_text(t, g.data_rows[r], c));
            if (v.empty()) continue;
            if (!is_digits(v) || v.size() > 3 || v[0] == '0' || (last >= 0 && std::stoi(v) != last + 1)) counting = false;
            else last = std::stoi(v);
        }
        if (ci.header.find("行次") != std::string::npos || ci.header.find("栏次") != std::string::npos) ci.role = "line_no";
        else if (counting) ci.role = "line_no";
        else if (n == 0) ci.role = "empty";
        else if (cjk * 2 >= n) ci.role = "text";
        else if (codes + parts > 0 && (codes + parts + cjk == n || (codes + parts) * 10 >= n * 8) && cjk * 4 <= n) {
            // codes (a totals label such as 合计 may sit in the code column; a
            // stray mark read from a scan does not make it another column)
            ci.role = "value";
            codeish[c] = true;
            part[c] = parts > 0 && codes == 0;
        }
        else if (num * 10 >= n * 6) ci.role = "value";
        else ci.role = "other";
    }
    // a run of code-like columns right before a text column holds codes
    for (int c = 0; c < t.n_cols; ++c) {
        if (g.cols[c].role != "text") continue;
        int b = c;
        while (b > 0 && codeish[b - 1]) --b;
        for (int k = b; k < c; ++k) {
            g.cols[k].role = "code";
            g.cols[k].code_part = part[k];
        }
    }
    return g;
}

std::vector<std::pair<int, int>> segments(const GridInfo& g) {
    std::vector<std::pair<int, int>> out;
    int n = static_cast<int>(g.cols.size()), b = 0;
    for (int c = 1; c < n; ++c) {
        const auto& r = g.cols[c].role;
        const auto& p = g.cols[c - 1].role;
        if ((r == "code" || r == "text") && (p == "value" || p == "line_no" || p == "empty" || p == "other")) {
            out.push_back({b, c});
            b = c;
        }
    }
    if (n > 0) out.push_back({b, n});
    return out;
}

double header_match(const ColumnSpec& spec, const std::string& header) {
    if (spec.path.empty() || header.empty()) return 0.0;
    double score = 0.0;
    std::string rest = header;
    // leaf level: must be present (exactly, or nearly for OCR errors)
    const auto& leaf = spec.path.back();
    double leaf_score = 0.0;
    std::string leaf_hit;
    for (const auto& syn : leaf) {
        double len = static_cast<double>(u32_length(syn));
        if (header.find(syn) != std::string::npos) {
            if (len > leaf_score) { leaf_score = len; leaf_hit = syn; }
        } else if (len >= 4) {
            double sim = best_window_similarity(syn, header);
            if (sim >= 0.75 && len * sim * 0.8 > leaf_score) { leaf_score = len * sim * 0.8; leaf_hit.clear(); }
        }
    }
    if (leaf_score == 0.0) return 0.0;
    score += leaf_score;
    if (!leaf_hit.empty()) {
        auto pos = rest.find(leaf_hit);
        rest.erase(pos, leaf_hit.size());
    }
    for (size_t l = 0; l + 1 < spec.path.size(); ++l) {
        double best = 0.0;
        for (const auto& syn : spec.path[l])
            if (rest.find(syn) != std::string::npos) best = std::max(best, static_cast<double>(u32_length(syn)));
        score += best * 0.6;
    }
    // unexplained header text lowers the match a little (a 合计 spec against 本年收入合计)
    double hl = static_cast<double>(u32_length(header));
    return score / (1.0 + 0.02 * std::max(0.0, hl - score));
}

ColumnMap map_columns(const GridInfo& g, int begin, int end, const std::vector<ColumnSpec>& specs) {
    ColumnMap m;
    std::vector<int> values;
    bool want_code = false, want_name = false;
    for (const auto& s : specs) {
        if (s.role == "code") want_code = true;
        if (s.role == "name" || s.role == "label") want_name = true;
    }
    for (int c = begin; c < end; ++c) {
        const auto& ci = g.cols[c];
        if (ci.role == "code" && want_code && (m.code_cols.empty() || m.code_cols.back() == c - 1) && m.name_col < 0) {
            m.code_cols.push_back(c);
        } else if (ci.role == "text" && want_name && m.name_col < 0) {
            m.name_col = c;
        } else if (ci.role == "code" && !want_code && want_name && m.name_col < 0) {
            m.name_col = c;  // a label column of numbers-like text
        } else if (ci.role == "line_no") {
            continue;
        } else if (ci.role == "empty" && (want_code || want_name) && m.code_cols.empty() && m.name_col < 0) {
            continue;  // nothing left of the codes and the name: a margin, not an amount column
        } else if (ci.role == "value" || ci.role == "empty" || ci.role == "other") {
            values.push_back(c);
        } else if (ci.role == "text") {
            // further text columns: text specs (forms, project tables) by header
            const ColumnSpec* best = nullptr;
            double bs = 0.0;
            for (const auto& s : specs)
                if (s.role == "text" && !m.text_cols.count(s.field)) {
                    double sc = header_match(s, ci.header);
                    if (sc > bs) { bs = sc; best = &s; }
                }
            if (best) m.text_cols[best->field] = c;
        }
    }
    m.value_columns = static_cast<int>(values.size());
    std::vector<const ColumnSpec*> vspecs;
    for (const auto& s : specs)
        if (s.role == "value") {
            vspecs.push_back(&s);
            if (!s.optional) ++m.required_specs;
        }
    struct Cand { double score; int col; const ColumnSpec* spec; };
    std::vector<Cand> cands;
    for (int c : values)
        for (const auto* s : vspecs) {
            double sc = header_match(*s, g.cols[c].header);
            if (s->col_no > 0 && g.cols[c].col_no == s->col_no) sc += (sc > 0 ? 1.0 : 0.5);
            if (sc > 0) cands.push_back({sc, c, s});
        }
    std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) { return a.score > b.score; });
    std::map<const ColumnSpec*, int> used;
    for (const auto& cd : cands) {
        if (m.value_cols.count(cd.col) || used.count(cd.spec)) continue;
        m.value_cols[cd.col] = cd.spec;
        used[cd.spec] = cd.col;
    }
    int matched_by_header = static_cast<int>(m.value_cols.size());
    // fallback by order: remaining columns without a usable header ↔ remaining required specs
    std::vector<int> rest_cols;
    for (int c : values)
        if (!m.value_cols.count(c)) rest_cols.push_back(c);
    std::vector<const ColumnSpec*> rest_specs;
    for (const auto* s : vspecs)
        if (!used.count(s) && !s->optional) rest_specs.push_back(s);
    if (!rest_cols.empty() && rest_cols.size() == rest_specs.size()) {
        bool headerless = std::all_of(rest_cols.begin(), rest_cols.end(), [&](int c) {
            const auto& h = g.cols[c].header;
            return h.empty() || is_digits(h);
        });
        if (headerless || matched_by_header == 0)
            for (size_t k = 0; k < rest_cols.size(); ++k) m.value_cols[rest_cols[k]] = rest_specs[k];
    } else if (!rest_cols.empty() && matched_by_header == 0) {
        // no header at all (a table cut from its header by a page break): as
        // many amount columns as the schema has value columns, optional ones
        // included, are those columns in their order
        std::vector<const ColumnSpec*> all;
        for (const auto* s : vspecs)
            if (!used.count(s)) all.push_back(s);
        bool headerless = std::all_of(rest_cols.begin(), rest_cols.end(), [&](int c) { return g.cols[c].header.empty(); });
        if (headerless && rest_cols.size() == all.size())
            for (size_t k = 0; k < rest_cols.size(); ++k) m.value_cols[rest_cols[k]] = all[k];
    }
    for (const auto& [c, s] : m.value_cols)
        if (!s->optional) ++m.matched_specs;
    // recall against what the table could show: every required column, and as
    // many optional ones as the table has amount columns (a schema of optional
    // columns only — budget.std.07's two years — is not explained by one 合计)
    int expect = std::max(m.required_specs, std::min(static_cast<int>(vspecs.size()), m.value_columns));
    double recall = expect ? static_cast<double>(std::min(matched_by_header, expect)) / expect : 0.0;
    double precision = m.value_columns ? static_cast<double>(matched_by_header) / m.value_columns : 0.0;
    m.score = vspecs.empty() ? 0.0 : 0.6 * recall + 0.4 * precision;
    return m;
}

}  // namespace fiscan::schema
