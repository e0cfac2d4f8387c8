#include "schema/classify.hpp"

#include "schema/text.hpp"

#include <algorithm>
#include <cmath>
#include <set>

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
        // a title inside a running sentence, cut where the line wraps
        if (s.title_inside && t.find(title) != std::string::npos) sim = std::max(sim, 0.95);
        best = std::max(best, sim);
    }
    return best;
}

bool continuation_title(const std::string& title, const ClassifierSettings& w) {
    std::string s = norm_label(title);
    bool marked = false;
    for (const auto& m : w.continuation_titles)
        for (size_t p; !m.empty() && (p = s.find(m)) != std::string::npos;) {
            s.erase(p, m.size());
            marked = true;
        }
    if (!marked) return false;
    // what is left: brackets, punctuation, a 表N prefix
    std::string rest;
    for (char32_t c : to_u32(s))
        if (c != U'(' && c != U')' && c != U'[' && c != U']' && c != U'【' && c != U'】' && c != U':' && c != U'、' &&
            c != U'.' && c != U'-' && c != U',')
            rest += to_u8(std::u32string(1, c));
    rest = strip_title_prefix(rest);
    // 续表1 / 续表一: the number of the table it continues
    static const std::u32string numerals = U"0123456789一二三四五六七八九十";
    for (char32_t c : to_u32(rest))
        if (numerals.find(c) == std::u32string::npos) return false;
    return true;
}

// A title a stain or a tear cut short ("的下经费支出表" for 一般公共预算“三公”
// 经费支出表): the share of its characters found, in order, in one of the
// schema's titles, when enough of them are — weighted below a whole title.
static double partial_title_score(const std::string& printed, const Schema& s, const ClassifierSettings& w) {
    std::u32string p = to_u32(norm_label(strip_title_prefix(printed)));
    if (static_cast<double>(p.size()) < w.partial_title_chars) return 0.0;
    double best = 0.0;
    for (const auto& title : s.titles) {
        std::u32string u = to_u32(norm_label(title));
        if (u.size() <= p.size()) continue;  // only a title shorter than the schema's was cut
        size_t k = common_subsequence(p, u);
        double share = static_cast<double>(k) / static_cast<double>(p.size());
        if (static_cast<double>(k) >= w.partial_title_chars && share >= w.partial_title_share) best = std::max(best, w.partial_title_weight * share);
    }
    return best;
}

static double title_evidence(const std::string& printed, const Schema& s, const ClassifierSettings& w) {
    return std::max(title_score(printed, s), partial_title_score(printed, s, w));
}

// Title evidence per schema (index of set.schemas): the printed title, or a
// page line above the table (slightly less trusted than what layout chose).
static std::vector<double> title_scores(const Table& t, const SchemaSet& set, const std::vector<std::string>& lines) {
    const auto& w = set.settings;
    bool has_title = !trim(t.title).empty() && !continuation_title(t.title, w);
    std::vector<double> out(set.schemas.size(), 0.0);
    for (size_t i = 0; i < set.schemas.size(); ++i) {
        const auto& s = set.schemas[i];
        double best = has_title ? title_evidence(t.title, s, w) : 0.0;
        for (const auto& l : lines) best = std::max(best, w.title_line_weight * title_evidence(l, s, w));
        out[i] = best;
    }
    return out;
}

bool meaningful_title(const Table& t, const SchemaSet& set, const std::vector<std::string>& title_lines) {
    auto ts = title_scores(t, set, title_lines);
    double best = ts.empty() ? 0.0 : *std::max_element(ts.begin(), ts.end());
    return best >= set.settings.title_noise;
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

// Share of the CJK characters of the header cells that the schema's header
// vocabulary (every synonym of every level, side titles, header words) or the
// generic header words explain. 一般公共预算支出 over 合计/基本支出/项目支出 is
// budget.sh.05's, not budget.hn.15's or budget.sh.06's.
static double header_coverage(const Table& t, const GridInfo& g, const Schema& s, const std::vector<std::string>& generic) {
    std::vector<std::string> vocab = generic;
    const auto labels = s.header_labels();
    vocab.insert(vocab.end(), labels.begin(), labels.end());
    std::stable_sort(vocab.begin(), vocab.end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    std::vector<std::string> seen;
    int total = 0, covered = 0;
    for (int r = 0; r < g.header_rows; ++r)
        for (int c = 0; c < t.n_cols; ++c) {
            std::string h = norm_label(slot_text(t, r, c));
            if (h.empty() || std::find(seen.begin(), seen.end(), h) != seen.end()) continue;
            seen.push_back(h);
            std::u32string u = to_u32(h);
            std::vector<bool> mark(u.size(), false);
            for (const auto& v : vocab) {
                std::u32string vu = to_u32(v);
                if (vu.empty()) continue;
                for (size_t p = u.find(vu); p != std::u32string::npos; p = u.find(vu, p + 1))
                    for (size_t k = p; k < p + vu.size(); ++k) mark[k] = true;
            }
            for (size_t k = 0; k < u.size(); ++k) {
                if (!has_cjk(to_u8(std::u32string(1, u[k])))) continue;
                ++total;
                covered += mark[k];
            }
        }
    return total ? static_cast<double>(covered) / total : 1.0;
}

static double header_score(const Table& t, const GridInfo& g, const Schema& s, const ClassifierSettings& w) {
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
    double explained = (1.0 - w.header_coverage) + w.header_coverage * header_coverage(t, g, s, w.generic_header_words);
    if (!s.sides.empty() || s.panels) {
        auto segs = segments(g);
        if (s.panels) {
            double acc = 0.0;
            for (auto [b, e] : segs) acc += map_columns(g, b, e, s.columns).score;
            return segs.empty() ? 0.0 : explained * acc / segs.size();
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
        return explained * sc;
    }
    auto m = map_columns(g, 0, t.n_cols, s.columns);
    return explained * m.score;
}

// A table printed without any header text (the first page of a --pages range,
// a continuation whose link was lost): does its shape fit the schema? Number
// of amount columns against the schema's value columns, codes split over
// columns as the schema prints them.
static double shape_score(const Table& t, const GridInfo& g, const Schema& s) {
    (void)t;
    if (s.row_key == "form") return 0.0;
    int values = 0, codes = 0, lines = 0;
    for (const auto& c : g.cols) {
        if (c.role == "value" || c.role == "empty" || c.role == "other") ++values;
        else if (c.role == "code") ++codes;
        else if (c.role == "line_no") ++lines;
    }
    // a code table: everything but the codes and the name is an amount (a
    // mostly empty column with a stray CJK mark read from a scan included)
    if (s.row_key == "code" && codes > 0 && !s.panels) values = std::max(0, static_cast<int>(g.cols.size()) - codes - lines - 1);
    int req = 0, tot = 0;
    bool code_spec = false;
    auto count = [&](const std::vector<ColumnSpec>& cols) {
        for (const auto& c : cols) {
            if (c.role == "code") code_spec = true;
            if (c.role != "value") continue;
            ++tot;
            if (!c.optional) ++req;
        }
    };
    if (!s.sides.empty())
        for (const auto& side : s.sides) count(s.columns_of(side));
    else
        count(s.columns);
    if (s.panels) {
        int n = std::max<int>(1, static_cast<int>(segments(g).size()));
        req *= n;
        tot *= n;
        codes = (codes + n - 1) / n;  // code columns per panel
    }
    if (tot == 0) return 0.0;
    // a schema of optional columns only (budget.std.07: two years' blocks) shows a third of them
    if (req == 0) req = std::max(1, tot / 3);
    double v = 1.0;
    if (values < req) v = std::max(0.0, 1.0 - 0.25 * (req - values));
    else if (values > tot) v = std::max(0.0, 1.0 - 0.25 * (values - tot));
    double c = 1.0;
    if (s.row_key == "code") {
        if (codes == 0) c = 0.7;  // codes lost, or read into the name column
        else if (codes > 1 && static_cast<int>(s.code_split.size()) != codes) c = 0.6;
    } else if (codes > 0 && !code_spec) {
        c = 0.6;
    }
    return v * c;
}

static double rows_score(const Table& t, const GridInfo& g, const Schema& s, const std::set<std::string>* known = nullptr) {
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
        double recall = total ? std::min(1.0, 1.5 * hit / total) : 0.5;
        if (!known) return recall;
        // a fragment (a page range starting inside the table) shows few of the
        // fixed rows: then the share of its known row labels that are this
        // schema's says more (其他收入/上年结转/收入总计 are budget.hn.01's and
        // budget.std.01's, 上年结转 is not budget.sh.01's)
        int seen = 0, mine = 0;
        for (const auto& l : labels) {
            if (!known->count(l)) continue;
            ++seen;
            mine += s.fixed_row_label(l);
        }
        return seen >= 2 ? std::max(recall, static_cast<double>(mine) / seen) : recall;
    }
    if (s.row_key == "single") return g.data_rows.size() <= 3 ? 0.8 : 0.2;
    return 0.5;
}

// Rows as evidence on their own: codes and fixed row labels are; the default
// of single-row tables and of label tables without fixed rows is not.
static double row_evidence(const Schema& s, double rows) {
    bool evidence = s.row_key == "code" || (s.row_key == "label" && !s.fixed_rows.empty());
    return evidence ? rows : std::min(rows, 0.5);
}

std::vector<Evidence> rank_schemas(const Table& t, const GridInfo& g, const SchemaSet& set, const ClassifyContext& ctx) {
    std::vector<Evidence> out;
    const auto& w = set.settings;
    auto ts = title_scores(t, set, ctx.title_lines);
    double best_title = ts.empty() ? 0.0 : *std::max_element(ts.begin(), ts.end());
    // a title naming no table at all is noise: classify as untitled
    bool has_title = best_title >= w.title_noise;
    // untitled tables: row labels known to any schema, for the share that is each schema's
    std::set<std::string> known;
    if (!has_title)
        for (const auto& s : set.schemas)
            for (const auto& fr : s.fixed_rows) known.insert(fr.labels.begin(), fr.labels.end());
    for (size_t i = 0; i < set.schemas.size(); ++i) {
        const auto& s = set.schemas[i];
        Evidence e;
        e.id = s.id;
        e.title = has_title ? ts[i] : 0.0;
        e.numbering = numbering_score(t, s);
        e.header = header_score(t, g, s, w);
        e.rows = rows_score(t, g, s, has_title ? nullptr : &known);
        double h = e.header < 0 ? 0.0 : e.header;
        double c;
        if (has_title) {
            double wt = w.w_title, wh = e.header < 0 ? 0.0 : w.w_header, wr = w.w_rows;
            c = (wt * e.title + wh * h + wr * e.rows) / (wt + wh + wr);
            // a title that is clearly another table caps the confidence
            if (e.title < w.title_floor) c = std::min(c, e.title);
        } else if (e.header > 0) {
            c = (0.65 * h + 0.35 * e.rows) * w.untitled_cap;
        } else if (e.header == 0) {
            // a "header" that names none of the schema's columns: data taken for a
            // header (a fragment starting with 上年结转结余 lines) or a scan's noise
            c = std::max(0.35 * e.rows * w.untitled_cap, shape_score(t, g, s) * row_evidence(s, e.rows) * w.headerless_cap);
        } else {
            // no title, no header: only the shape and the rows speak
            c = shape_score(t, g, s) * row_evidence(s, e.rows) * w.headerless_cap;
        }
        if (e.numbering > 0) c += w.numbering_bonus * e.numbering;
        if (!ctx.family.empty() && s.family == ctx.family) c += w.family_bonus;
        // an untitled table between two the package prints around it (final.04 | ? | final.06)
        if (!has_title && !ctx.next_schema.empty() && printed_before(set, s.id, ctx.next_schema)) c += w.order_bonus;
        if (!has_title && !ctx.prev_schema.empty() && printed_before(set, ctx.prev_schema, s.id)) c += w.order_bonus;
        if (!ctx.kind.empty() && !s.kind.empty() && s.kind != "performance" && s.kind != ctx.kind) c -= w.kind_penalty;
        if (ctx.year > 0 && !s.years.contains(ctx.year)) c -= w.year_penalty;
        if (!has_title && e.header < 0 && e.numbering <= 0 && s.funds == "all") {
            c += w.unrestricted_bonus;
            e.prior = w.unrestricted_bonus;
        }
        e.confidence = std::clamp(c, 0.0, 1.0);
        out.push_back(e);
    }
    std::stable_sort(out.begin(), out.end(), [](const Evidence& a, const Evidence& b) { return a.confidence > b.confidence; });
    return out;
}

std::optional<Evidence> classify_table(const Table& t, const GridInfo& g, const SchemaSet& set, const ClassifyContext& ctx) {
    return best_schema(rank_schemas(t, g, set, ctx), set);
}

std::optional<Evidence> best_schema(const std::vector<Evidence>& ranked, const SchemaSet& set) {
    if (ranked.empty() || ranked[0].confidence < set.settings.accept) return std::nullopt;
    Evidence best = ranked[0];
    // a near tie lowers the confidence: the table could be either — a regional
    // variant and its standard table (budget.sh.03, budget.std.03) are one answer
    size_t next = 1;
    while (next < ranked.size() && set.catalogue_id(ranked[next].id) == set.catalogue_id(best.id)) ++next;
    if (next < ranked.size()) {
        double gap = best.confidence - ranked[next].confidence;
        if (gap < set.settings.tie_gap) best.confidence *= 1.0 - (set.settings.tie_gap - gap);
        // won by the prior alone: a guess between equals
        if (best.prior > 0 && gap - best.prior < set.settings.tie_gap)
            best.confidence = std::min(best.confidence, set.settings.prior_cap);
    }
    return best;
}

bool printed_before(const SchemaSet& set, const std::string& before, const std::string& after) {
    const Schema* a = set.find(after);
    if (!a || a->family == "perf") return false;
    const Schema* prev = nullptr;
    for (const auto& s : set.schemas) {
        if (&s == a) break;
        if (s.family == a->family) prev = &s;
    }
    return prev && prev->id == before;
}

double continuation_score(const Table& t, const GridInfo& g, const Table& prev, const GridInfo& prev_g, const SchemaSet* set,
                          const std::vector<std::string>& title_lines) {
    if (!trim(t.numbering).empty()) return 0.0;
    static const ClassifierSettings defaults = [] {
        ClassifierSettings w;
        w.continuation_titles = {"续上表", "续表", "续"};
        return w;
    }();
    bool says_continued = continuation_title(t.title, set ? set->settings : defaults);
    if (!trim(t.title).empty() && !says_continued && (!set || meaningful_title(t, *set, title_lines))) return 0.0;
    if (trim(t.title).empty() && set && !title_lines.empty() && meaningful_title(t, *set, title_lines)) return 0.0;
    if (prev.page >= t.page || !prev.schema) return 0.0;
    // 续表 printed above it: the page says so, whatever the columns (a scan may
    // split or merge one)
    if (says_continued) return 0.9;
    // The tail of a table carried over to the next page — a 合计 line whose label
    // spans the code columns (wanli 2024 p15), an empty last row: a few rows of
    // the same width whose every column ruling is one of the previous table's
    // (relative to the tables' edges: a scan moves the page).
    if (t.n_rows <= 3 && t.col_lines.size() >= 3 && prev.col_lines.size() > t.col_lines.size() && !t.bbox.empty() &&
        !prev.bbox.empty()) {
        const double wt = t.bbox.x1 - t.bbox.x0, wp = prev.bbox.x1 - prev.bbox.x0;
        if (wt > 0 && wp > 0 && std::abs(wt - wp) <= 0.03 * wp) {
            bool all = true;
            for (int x : t.col_lines) {
                bool hit = false;
                for (int y : prev.col_lines) hit |= std::abs((x - t.bbox.x0) / wt - (y - prev.bbox.x0) / wp) <= 0.01;
                all &= hit;
            }
            if (all) return 0.8;
        }
    }
    // The two shapes below give at least `floor`; the columns' comparison may give more.
    double floor = 0.0;
    // The last lines of a label table (本年收入合计 … 收入总计 | 支出总计 of a
    // 收支总表) carried over to the next page, its layout found anew there —
    // a blot or a tear may leave other columns: its Chinese text cells are the
    // previous schema's fixed row labels, at least two and most of them.
    if (set && t.n_rows <= 6)
        if (const Schema* ps = set->find(*prev.schema); ps && !ps->fixed_rows.empty()) {
            int labels = 0, texts = 0;
            for (const auto& c : t.cells) {
                std::string v = strip_ordinal(trim(c.text));
                if (!has_cjk(v)) continue;  // amounts, a scan's specks
                ++texts;
                labels += ps->fixed_row_label(v);
            }
            if (labels >= 2 && labels * 4 >= texts * 3) floor = 0.75;
        }
    // A continuation cut short on the right — a torn page edge, a lost column
    // ruling at the end — keeps the previous table's left part: the same left
    // edge's column rulings (relative to the tables' left edges: a scan moves the
    // page), its leading headers (科目编码 | 科目名称) and its column roles.
    if (t.n_cols >= 3 && t.n_cols < prev.n_cols && t.col_lines.size() >= 3 && !t.bbox.empty() && !prev.bbox.empty() &&
        static_cast<int>(g.cols.size()) == t.n_cols && static_cast<int>(prev_g.cols.size()) == prev.n_cols) {
        const double wp = prev.bbox.x1 - prev.bbox.x0, wt = t.bbox.x1 - t.bbox.x0;
        if (wp > 0 && wt > 0 && wt < 0.97 * wp) {
            bool all = true;
            for (int x : t.col_lines) {
                bool hit = false;
                for (int y : prev.col_lines) hit |= std::abs((x - t.bbox.x0) - (y - prev.bbox.x0)) <= 0.01 * wp;
                // the cut edge itself need not be a ruling of the previous table
                all &= hit || x == t.col_lines.back();
            }
            int same = 0, differ = 0, roles = 0;
            for (int k = 0; k < t.n_cols; ++k) {
                const auto& gc = g.cols[static_cast<size_t>(k)];
                const auto& pc = prev_g.cols[static_cast<size_t>(k)];
                if (!gc.header.empty() && !pc.header.empty()) {
                    if (similarity(gc.header, pc.header) >= 0.8) ++same;
                    else if (k < 2) ++differ;  // the code / name headers must agree
                }
                roles += gc.role == pc.role || gc.role == "empty" || pc.role == "empty";
            }
            if (all && same >= 2 && differ == 0 && roles == t.n_cols) floor = 0.75;
        }
    }
    // Columns are compared from `ot` / `op` on, `n` of them: all of both
    // tables, or — when the counts differ — without the columns at either
    // table's edge that hold nothing (a margin ruling a poor scan doubled).
    const int nt = static_cast<int>(g.cols.size()), np = static_cast<int>(prev_g.cols.size());
    int ot = 0, op = 0, n = std::min(nt, np);
    bool same_count = t.n_cols == prev.n_cols;
    if (!same_count && nt > 0 && np > 0) {
        auto edges = [](const GridInfo& gi) {
            int n = static_cast<int>(gi.cols.size()), lead = 0, trail = 0;
            while (lead < n && gi.cols[lead].role == "empty" && gi.cols[lead].header.empty()) ++lead;
            while (trail < n - lead && gi.cols[n - 1 - trail].role == "empty" && gi.cols[n - 1 - trail].header.empty()) ++trail;
            return std::pair<int, int>{lead, trail};
        };
        auto [lt, tt] = edges(g);
        auto [lp, tp] = edges(prev_g);
        for (int a : {0, lt})
            for (int b : {0, tt})
                for (int c : {0, lp})
                    for (int d : {0, tp})
                        if (!same_count && nt - a - b == np - c - d && nt - a - b >= 3) {
                            same_count = true;
                            ot = a;
                            op = c;
                            n = nt - a - b;
                        }
    }
    double s = 0.0;
    if (same_count) s += 0.6;
    int same = 0, with = 0;
    for (int k = 0; k < n; ++k) {
        const auto& gc = g.cols[static_cast<size_t>(ot + k)];
        const auto& pc = prev_g.cols[static_cast<size_t>(op + k)];
        if (gc.header.empty() && pc.header.empty()) continue;
        ++with;
        if (similarity(gc.header, pc.header) >= 0.8) ++same;
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
    // or row labels of the previous table's schema (final.01's 结余分配 lines
    // at the top of the next page)
    if (!header_is_data && headers > 0 && set)
        if (const Schema* ps = set->find(*prev.schema); ps && !ps->fixed_rows.empty())
            for (int r = 0; r < g.header_rows && !header_is_data; ++r)
                for (int c = 0; c < t.n_cols && !header_is_data; ++c) {
                    std::string v = strip_ordinal(slot_text(t, r, c));
                    if (!v.empty() && ps->fixed_row_label(v)) header_is_data = true;
                }
    double role_part = 0.0;
    if (same_count && (headers == 0 || header_is_data)) {
        int agree = 0;
        for (int k = 0; k < n; ++k) {
            const auto& a = g.cols[static_cast<size_t>(ot + k)].role;
            const auto& b = prev_g.cols[static_cast<size_t>(op + k)].role;
            if (a == b || a == "empty" || b == "empty") ++agree;
        }
        role_part = 0.35 * agree / std::max(1, n);
    }
    return std::max(floor, s + std::max(header_part, role_part));
}

}  // namespace fiscan::schema
