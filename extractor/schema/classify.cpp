#include "schema/classify.hpp"

#include "schema/text.hpp"

#include <algorithm>
#include <cmath>

namespace fiscan::schema {

double title_score(const std::string& printed, const Schema& s) {
    std::string t = strip_title_prefix(printed);
    if (t.empty()) return 0.0;
    double best = 0.0;
    for (const auto& title : s.titles) {
        double sim = similarity(t, title);
        // a title printed with an organisation or unit prefix: "XX局部门收支总表"
        if (sim < 1.0 && t.size() > title.size() && t.compare(t.size() - title.size(), title.size(), title) == 0) {
            double extra = static_cast<double>(u32_length(t) - u32_length(title));
            sim = std::max(sim, 0.97 - 0.02 * std::min(extra, 10.0));
        }
        best = std::max(best, sim);
    }
    return best;
}

static double numbering_score(const Table& t, const Schema& s) {
    std::string n = norm_label(t.numbering);
    if (n.empty()) return -1.0;  // unknown
    // "部门：公开05表" fused into the department line: keep the numbering part
    for (const auto& x : s.numbering) {
        if (x.empty()) continue;
        if (n == x) return 1.0;
        if (x.size() >= 4 && n.find(x) != std::string::npos) return 0.9;
    }
    return 0.0;
}

static double header_score(const Table& t, const GridInfo& g, const Schema& s) {
    (void)t;
    bool any_header = std::any_of(g.cols.begin(), g.cols.end(), [](const ColInfo& c) { return !c.header.empty(); });
    if (!any_header) return -1.0;
    if (s.row_key == "form") {
        // forms: the schema's labels anywhere in the table
        int found = 0, total = 0;
        std::string all;
        for (int r = 0; r < t.n_rows; ++r)
            for (int c = 0; c < t.n_cols; ++c) all += norm_label(slot_text(t, r, c));
        for (const auto& f : s.form_fields) {
            ++total;
            for (const auto& l : f.labels)
                if (all.find(l) != std::string::npos) { ++found; break; }
        }
        for (const auto& w : s.header_words) {
            ++total;
            if (all.find(w) != std::string::npos) ++found;
        }
        return total ? static_cast<double>(found) / total : 0.0;
    }
    if (!s.sides.empty() || s.panels) {
        auto segs = segments(g);
        if (s.panels) {
            double acc = 0.0;
            for (auto [b, e] : segs) acc += map_columns(g, b, e, s.columns).score;
            return segs.empty() ? 0.0 : acc / segs.size();
        }
        // two-sided: sides in order over the segments (extra segments merged into the last)
        double acc = 0.0;
        size_t n = s.sides.size();
        for (size_t k = 0; k < n; ++k) {
            if (k >= segs.size()) break;
            int b = segs[k].first, e = (k + 1 == n) ? segs.back().second : segs[k].second;
            acc += map_columns(g, b, e, s.columns_of(s.sides[k])).score;
        }
        double sc = acc / n;
        if (segs.size() < n) sc *= 0.6;  // one side only
        return sc;
    }
    auto m = map_columns(g, 0, t.n_cols, s.columns);
    return m.score;
}

static double rows_score(const Table& t, const GridInfo& g, const Schema& s) {
    if (g.data_rows.empty()) return 0.5;
    if (s.row_key == "code") {
        int codes = 0, agree = 0;
        for (int c = 0; c < t.n_cols; ++c) {
            if (g.cols[c].role != "code" || g.cols[c].code_part) continue;
            for (int r : g.data_rows) {
                std::string v = norm_label(slot_text(t, r, c));
                if (v.empty()) continue;
                ++codes;
                char want = s.code_system == "function" ? '2' : s.code_system == "dept_economic" ? '3'
                          : s.code_system == "gov_economic" ? '5' : '1';
                if (v[0] == want && (s.block.empty() || v.rfind(s.block, 0) == 0)) ++agree;
            }
            break;
        }
        if (codes == 0) return 0.3;  // no codes: an empty table or codes lost
        return static_cast<double>(agree) / codes;
    }
    if (s.row_key == "label" && !s.fixed_rows.empty()) {
        std::vector<std::string> labels;
        for (int r : g.data_rows)
            for (int c = 0; c < t.n_cols; ++c) {
                std::string v = slot_text(t, r, c);
                if (has_cjk(v)) labels.push_back(strip_ordinal(v));
            }
        int hit = 0, total = 0;
        for (const auto& fr : s.fixed_rows) {
            if (!fr.after.empty()) continue;
            ++total;
            for (const auto& l : labels)
                if (std::find(fr.labels.begin(), fr.labels.end(), l) != fr.labels.end()) { ++hit; break; }
        }
        return total ? std::min(1.0, 1.5 * hit / total) : 0.5;
    }
    if (s.row_key == "single") return g.data_rows.size() <= 3 ? 0.8 : 0.2;
    return 0.5;
}

std::vector<Evidence> rank_schemas(const Table& t, const GridInfo& g, const SchemaSet& set, const ClassifyContext& ctx) {
    std::vector<Evidence> out;
    const auto& w = set.settings;
    bool has_title = !trim(t.title).empty();
    for (const auto& s : set.schemas) {
        Evidence e;
        e.id = s.id;
        e.title = has_title ? title_score(t.title, s) : 0.0;
        e.numbering = numbering_score(t, s);
        e.header = header_score(t, g, s);
        e.rows = rows_score(t, g, s);
        double h = e.header < 0 ? 0.0 : e.header;
        double c;
        if (has_title) {
            double wt = w.w_title, wh = e.header < 0 ? 0.0 : w.w_header, wr = w.w_rows;
            c = (wt * e.title + wh * h + wr * e.rows) / (wt + wh + wr);
            // a title that is clearly another table caps the confidence
            if (e.title < w.title_floor) c = std::min(c, e.title);
        } else {
            c = e.header < 0 ? 0.0 : (0.65 * h + 0.35 * e.rows) * w.untitled_cap;
        }
        if (e.numbering > 0) c += w.numbering_bonus * e.numbering;
        if (!ctx.family.empty() && s.family == ctx.family) c += w.family_bonus;
        if (!ctx.kind.empty() && !s.kind.empty() && s.kind != "performance" && s.kind != ctx.kind) c -= w.kind_penalty;
        if (ctx.year > 0 && !s.years.contains(ctx.year)) c -= w.year_penalty;
        e.confidence = std::clamp(c, 0.0, 1.0);
        out.push_back(e);
    }
    std::stable_sort(out.begin(), out.end(), [](const Evidence& a, const Evidence& b) { return a.confidence > b.confidence; });
    return out;
}

std::optional<Evidence> classify_table(const Table& t, const GridInfo& g, const SchemaSet& set, const ClassifyContext& ctx) {
    auto ranked = rank_schemas(t, g, set, ctx);
    if (ranked.empty() || ranked[0].confidence < set.settings.accept) return std::nullopt;
    Evidence best = ranked[0];
    // a near tie lowers the confidence: the table could be either
    if (ranked.size() > 1) {
        double gap = best.confidence - ranked[1].confidence;
        if (gap < set.settings.tie_gap) best.confidence *= 1.0 - (set.settings.tie_gap - gap);
    }
    return best;
}

double continuation_score(const Table& t, const GridInfo& g, const Table& prev, const GridInfo& prev_g) {
    if (!trim(t.title).empty() || !trim(t.numbering).empty()) return 0.0;
    if (prev.page >= t.page || !prev.schema) return 0.0;
    double s = 0.0;
    if (t.n_cols == prev.n_cols) s += 0.6;
    int same = 0, with = 0;
    for (size_t c = 0; c < std::min(g.cols.size(), prev_g.cols.size()); ++c) {
        if (g.cols[c].header.empty() && prev_g.cols[c].header.empty()) continue;
        ++with;
        if (similarity(g.cols[c].header, prev_g.cols[c].header) >= 0.8) ++same;
    }
    double header_part = with > 0 ? 0.4 * same / with : 0.0;
    // A continuation printed without its header has data where the header
    // would be (amounts, codes), so its "header" matches nothing: then the
    // column roles must agree. A real header that differs is another table.
    int numeric_headers = 0, headers = 0;
    for (const auto& col : g.cols) {
        std::string h = trim(col.header);
        if (h.empty()) continue;
        ++headers;
        bool digits = h.find_first_not_of("0123456789.,-() ") == std::string::npos;
        numeric_headers += digits;
    }
    bool header_is_data = headers > 0 && numeric_headers * 10 >= headers * 3;
    double role_part = 0.0;
    if (t.n_cols == prev.n_cols && (headers == 0 || header_is_data)) {
        int agree = 0;
        for (size_t c = 0; c < g.cols.size(); ++c)
            if (g.cols[c].role == prev_g.cols[c].role || g.cols[c].role == "empty" || prev_g.cols[c].role == "empty") ++agree;
        role_part = 0.35 * agree / std::max<size_t>(1, g.cols.size());
    }
    return s + std::max(header_part, role_part);
}

}  // namespace fiscan::schema
