#include "eval/scorer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <tuple>

namespace fiscan::eval {

using nlohmann::json;

// ----- text ------------------------------------------------------------------

std::u32string to_u32(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        auto b = static_cast<unsigned char>(s[i]);
        int len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
        if (len == 0 || i + len > s.size()) {  // invalid byte: keep it as one unit
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        char32_t cp = len == 1 ? b : b & (0x7F >> len);
        for (int k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        out.push_back(cp);
        i += len;
    }
    return out;
}

static void append_utf8(std::string& out, char32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

static bool is_space(char32_t c) {
    return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\f' || c == U'\v' ||
           c == 0x00A0 || c == 0x3000 || c == 0x2002 || c == 0x2003 || c == 0x2009 || c == 0x200B;
}

std::string normalise(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    for (char32_t c : to_u32(utf8)) {
        if (is_space(c)) continue;
        if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;
        append_utf8(out, c);
    }
    return out;
}

std::size_t levenshtein(const std::u32string& a, const std::u32string& b) {
    if (a.empty()) return b.size();
    if (b.empty()) return a.size();
    std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
        std::swap(prev, cur);
    }
    return prev[b.size()];
}

double similarity(const std::u32string& a, const std::u32string& b) {
    std::size_t n = std::max(a.size(), b.size());
    if (n == 0) return 1.0;
    return 1.0 - static_cast<double>(levenshtein(a, b)) / static_cast<double>(n);
}

// ----- alignment ---------------------------------------------------------------

std::vector<int> align(const std::vector<std::vector<double>>& sim) {
    // The bonus makes a pair worth more than two gaps when nothing else
    // decides, so rows of garbled OCR still pair up in order.
    constexpr double kPairBonus = 0.05;
    const std::size_t n = sim.size(), m = n ? sim[0].size() : 0;
    std::vector<int> map(n, -1);
    if (n == 0 || m == 0) return map;
    std::vector<std::vector<double>> s(n + 1, std::vector<double>(m + 1, 0.0));
    for (std::size_t i = 1; i <= n; ++i)
        for (std::size_t j = 1; j <= m; ++j)
            s[i][j] = std::max({s[i - 1][j], s[i][j - 1], s[i - 1][j - 1] + sim[i - 1][j - 1] + kPairBonus});
    for (std::size_t i = n, j = m; i > 0 && j > 0;) {
        if (s[i][j] == s[i - 1][j - 1] + sim[i - 1][j - 1] + kPairBonus) {
            map[i - 1] = static_cast<int>(j - 1);
            --i, --j;
        } else if (s[i][j] == s[i - 1][j]) {
            --i;
        } else {
            --j;
        }
    }
    return map;
}

// ----- counts and metrics ------------------------------------------------------

Counts& Counts::operator+=(const Counts& o) {
    documents += o.documents;
    missing_predictions += o.missing_predictions;
    truth_tables += o.truth_tables;
    pred_tables += o.pred_tables;
    matched_tables += o.matched_tables;
    schema_correct += o.schema_correct;
    grid_exact += o.grid_exact;
    cells += o.cells;
    cells_correct += o.cells_correct;
    numeric += o.numeric;
    numeric_correct += o.numeric_correct;
    text_chars += o.text_chars;
    text_edits += o.text_edits;
    name_chars += o.name_chars;
    name_edits += o.name_edits;
    compared += o.compared;
    confident_wrong += o.confident_wrong;
    compared_numeric += o.compared_numeric;
    confident_wrong_numeric += o.confident_wrong_numeric;
    for (std::size_t b = 0; b < bins.size(); ++b) {
        bins[b].n += o.bins[b].n;
        bins[b].sum_conf += o.bins[b].sum_conf;
        bins[b].sum_correct += o.bins[b].sum_correct;
    }
    obscured += o.obscured;
    obscured_recoverable += o.obscured_recoverable;
    obscured_recovered += o.obscured_recovered;
    false_recoveries += o.false_recoveries;
    recovered_beyond_truth += o.recovered_beyond_truth;
    inconsistencies += o.inconsistencies;
    inconsistencies_found += o.inconsistencies_found;
    pages += o.pages;
    timed_pages += o.timed_pages;
    seconds += o.seconds;
    core_seconds += o.core_seconds;
    return *this;
}

double ece(const std::array<Bin, 10>& bins) {
    long n = 0;
    double gap = 0;
    for (const auto& b : bins) {
        n += b.n;
        gap += std::abs(b.sum_correct - b.sum_conf);
    }
    return n ? gap / static_cast<double>(n) : std::numeric_limits<double>::quiet_NaN();
}

static json ratio(double num, double den) {
    return den > 0 ? json(num / den) : json(nullptr);
}

json metrics(const Counts& c) {
    double e = ece(c.bins);
    return {
        {"documents", c.documents},
        {"missing_predictions", c.missing_predictions},
        {"pages", c.pages},
        {"table_recall", ratio(c.matched_tables, c.truth_tables)},
        {"table_precision", ratio(c.matched_tables, c.pred_tables)},
        {"schema_accuracy", ratio(c.schema_correct, c.matched_tables)},
        {"grid_exact", ratio(c.grid_exact, c.matched_tables)},
        {"cell_accuracy", ratio(c.cells_correct, c.cells)},
        {"numeric_accuracy", ratio(c.numeric_correct, c.numeric)},
        {"text_cer", ratio(c.text_edits, c.text_chars)},
        {"name_cer", ratio(c.name_edits, c.name_chars)},
        {"confidently_wrong", ratio(c.confident_wrong, c.compared)},
        {"confidently_wrong_numeric", ratio(c.confident_wrong_numeric, c.compared_numeric)},
        {"ece", std::isnan(e) ? json(nullptr) : json(e)},
        {"obscured_recovery", ratio(c.obscured_recovered, c.obscured_recoverable)},
        {"false_recoveries", c.false_recoveries},
        {"recovered_beyond_truth", c.recovered_beyond_truth},
        {"inconsistency_recall", ratio(c.inconsistencies_found, c.inconsistencies)},
        {"pages_per_min_per_core", ratio(c.timed_pages * 60.0, c.core_seconds)},
    };
}

json to_json(const Counts& c) {
    json bins = json::array();
    for (const auto& b : c.bins) bins.push_back({{"n", b.n}, {"sum_conf", b.sum_conf}, {"sum_correct", b.sum_correct}});
    return {{"documents", c.documents}, {"missing_predictions", c.missing_predictions},
            {"truth_tables", c.truth_tables}, {"pred_tables", c.pred_tables},
            {"matched_tables", c.matched_tables}, {"schema_correct", c.schema_correct}, {"grid_exact", c.grid_exact},
            {"cells", c.cells}, {"cells_correct", c.cells_correct},
            {"numeric", c.numeric}, {"numeric_correct", c.numeric_correct},
            {"text_chars", c.text_chars}, {"text_edits", c.text_edits},
            {"name_chars", c.name_chars}, {"name_edits", c.name_edits},
            {"compared", c.compared}, {"confident_wrong", c.confident_wrong},
            {"compared_numeric", c.compared_numeric}, {"confident_wrong_numeric", c.confident_wrong_numeric},
            {"ece_bins", bins},
            {"obscured", c.obscured}, {"obscured_recoverable", c.obscured_recoverable},
            {"obscured_recovered", c.obscured_recovered}, {"false_recoveries", c.false_recoveries},
            {"recovered_beyond_truth", c.recovered_beyond_truth}, {"inconsistencies", c.inconsistencies}, {"inconsistencies_found", c.inconsistencies_found},
            {"pages", c.pages}, {"timed_pages", c.timed_pages}, {"seconds", c.seconds}, {"core_seconds", c.core_seconds}};
}

// ----- reading the two JSON documents ----------------------------------------

namespace {

std::string get_str(const json& j, const char* k) {
    if (!j.is_object()) return {};
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

std::optional<double> get_num(const json& j, const char* k) {
    if (!j.is_object()) return std::nullopt;
    auto it = j.find(k);
    if (it == j.end() || !it->is_number()) return std::nullopt;
    return it->get<double>();
}

int get_int(const json& j, const char* k, int def) {
    auto v = get_num(j, k);
    return v ? static_cast<int>(std::lround(*v)) : def;
}

bool get_bool(const json& j, const char* k) {
    if (!j.is_object()) return false;
    auto it = j.find(k);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

const json& get_array(const json& j, const char* k) {
    static const json empty = json::array();
    if (!j.is_object()) return empty;
    auto it = j.find(k);
    return it != j.end() && it->is_array() ? *it : empty;
}

std::optional<std::array<double, 4>> get_box(const json& j, const char* k, double scale) {
    const json& a = get_array(j, k);
    if (a.size() != 4) return std::nullopt;
    std::array<double, 4> b{};
    for (int i = 0; i < 4; ++i) {
        if (!a[i].is_number()) return std::nullopt;
        b[i] = a[i].get<double>() * scale;
    }
    if (b[2] <= b[0] || b[3] <= b[1]) return std::nullopt;
    return b;
}

double iou(const std::array<double, 4>& a, const std::array<double, 4>& b) {
    double w = std::min(a[2], b[2]) - std::max(a[0], b[0]);
    double h = std::min(a[3], b[3]) - std::max(a[1], b[1]);
    double inter = w > 0 && h > 0 ? w * h : 0.0;
    double uni = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
    return uni > 0 ? inter / uni : 0.0;
}

// 2 to 7 ASCII digits: a subject code or one of its 类/款/项 parts.
bool is_code_text(const std::string& s) {
    return s.size() >= 2 && s.size() <= 7 && std::all_of(s.begin(), s.end(), [](char ch) { return ch >= '0' && ch <= '9'; });
}

bool has_cjk(const std::u32string& u) {
    return std::any_of(u.begin(), u.end(), [](char32_t c) { return c >= 0x4E00 && c <= 0x9FFF; });
}

struct ECell {
    int row = 0, col = 0, row_span = 1, col_span = 1;
    std::string text;          // normalised
    std::u32string u;          // the same, code points
    std::optional<double> value;
    bool numeric = false;
    double confidence = 0;
    std::string source;
};

struct ETable {
    int page = 0;              // 0 = unknown
    std::optional<std::array<double, 4>> bbox;  // pixels
    std::optional<std::string> schema;
    int n_rows = 0, n_cols = 0;
    std::vector<ECell> cells;
    std::vector<int> cover;    // slot → index of the covering cell, -1 if none
    std::vector<int> top;      // slot → index of the cell whose top-left it is, -1 if none

    int covering(int r, int c) const {
        return r >= 0 && c >= 0 && r < n_rows && c < n_cols ? cover[r * n_cols + c] : -1;
    }
    const std::u32string& text_at(int r, int c) const {
        static const std::u32string none;
        int i = top[r * n_cols + c];
        return i < 0 ? none : cells[i].u;
    }
};

ETable read_table(const json& t, const char* bbox_key, double bbox_scale) {
    ETable e;
    e.page = get_int(t, "page", 0);
    e.bbox = get_box(t, bbox_key, bbox_scale);
    if (t.contains("schema") && t["schema"].is_string()) e.schema = t["schema"].get<std::string>();
    e.n_rows = std::max(0, get_int(t, "n_rows", 0));
    e.n_cols = std::max(0, get_int(t, "n_cols", 0));
    for (const json& c : get_array(t, "cells")) {
        ECell x;
        x.row = get_int(c, "row", -1);
        x.col = get_int(c, "col", -1);
        if (x.row < 0 || x.col < 0) continue;
        x.row_span = std::max(1, get_int(c, "row_span", 1));
        x.col_span = std::max(1, get_int(c, "col_span", 1));
        x.text = normalise(get_str(c, "text"));
        x.u = to_u32(x.text);
        x.value = get_num(c, "value");
        x.numeric = get_bool(c, "numeric");
        x.confidence = std::clamp(get_num(c, "confidence").value_or(0.0), 0.0, 1.0);
        x.source = get_str(c, "source");
        e.n_rows = std::max(e.n_rows, x.row + x.row_span);
        e.n_cols = std::max(e.n_cols, x.col + x.col_span);
        e.cells.push_back(std::move(x));
    }
    e.cover.assign(static_cast<std::size_t>(e.n_rows) * e.n_cols, -1);
    e.top.assign(e.cover.size(), -1);
    for (std::size_t i = 0; i < e.cells.size(); ++i) {
        const ECell& c = e.cells[i];
        if (e.top[c.row * e.n_cols + c.col] >= 0) continue;  // duplicate slot: first wins
        e.top[c.row * e.n_cols + c.col] = static_cast<int>(i);
        for (int r = c.row; r < c.row + c.row_span; ++r)
            for (int k = c.col; k < c.col + c.col_span; ++k)
                if (e.cover[r * e.n_cols + k] < 0) e.cover[r * e.n_cols + k] = static_cast<int>(i);
    }
    return e;
}

double content_dice(const ETable& a, const ETable& b) {
    std::map<std::string, long> bag;
    long na = 0, nb = 0, common = 0;
    for (const auto& c : a.cells)
        if (!c.text.empty()) ++bag[c.text], ++na;
    for (const auto& c : b.cells) {
        if (c.text.empty()) continue;
        ++nb;
        auto it = bag.find(c.text);
        if (it != bag.end() && it->second > 0) --it->second, ++common;
    }
    return na + nb ? 2.0 * static_cast<double>(common) / static_cast<double>(na + nb) : 0.0;
}

// Row and column correspondence of one matched table pair.
struct Alignment {
    std::vector<int> rows, cols;  // truth index → predicted index or -1
};

Alignment align_tables(const ETable& t, const ETable& p) {
    Alignment a;
    auto row_text = [](const ETable& e, int r) {
        std::u32string s;
        for (int c = 0; c < e.n_cols; ++c) s += e.text_at(r, c);
        return s;
    };
    std::vector<std::u32string> pr(p.n_rows);
    for (int j = 0; j < p.n_rows; ++j) pr[j] = row_text(p, j);
    std::vector<std::vector<double>> sim(t.n_rows, std::vector<double>(p.n_rows));
    for (int i = 0; i < t.n_rows; ++i) {
        std::u32string tr = row_text(t, i);
        for (int j = 0; j < p.n_rows; ++j) sim[i][j] = similarity(tr, pr[j]);
    }
    a.rows = align(sim);
    // Columns are compared cell by cell over the rows already aligned.
    std::vector<std::pair<int, int>> pairs;
    for (int i = 0; i < t.n_rows; ++i)
        if (a.rows[i] >= 0) pairs.emplace_back(i, a.rows[i]);
    std::vector<std::vector<double>> csim(t.n_cols, std::vector<double>(p.n_cols, 0.0));
    if (!pairs.empty())
        for (int c = 0; c < t.n_cols; ++c)
            for (int d = 0; d < p.n_cols; ++d) {
                double s = 0;
                for (auto [i, j] : pairs) s += similarity(t.text_at(i, c), p.text_at(j, d));
                csim[c][d] = s / static_cast<double>(pairs.size());
            }
    a.cols = align(csim);
    return a;
}

bool value_right(const ECell& truth, const ECell& pred, double tol) {
    if (truth.value) return pred.value && std::abs(*pred.value - *truth.value) < tol;
    return !pred.value && pred.text == truth.text;
}

}  // namespace

// ----- one document ------------------------------------------------------------

DocScore score_document(const json& truth, const json& pred, const ScoreOptions& opt) {
    DocScore out;
    out.id = get_str(truth, "id");
    out.quality = get_str(truth, "quality");
    Counts& k = out.counts;
    k.documents = 1;
    k.pages = get_int(truth, "page_count", 0);
    if (!pred.is_object()) k.missing_predictions = 1;

    std::map<int, double> dpi;  // page → raster dpi of the prediction
    for (const json& pg : get_array(pred, "pages")) dpi[get_int(pg, "page", 0)] = get_num(pg, "dpi").value_or(0);
    double truth_dpi = get_num(truth.is_object() ? truth.value("scan", json::object()) : json::object(), "dpi")
                           .value_or(opt.default_dpi);

    std::vector<ETable> tt, pt;
    for (const json& t : get_array(truth, "tables")) {
        int page = get_int(t, "page", 0);
        double d = dpi.count(page) && dpi[page] > 0 ? dpi[page] : truth_dpi;
        tt.push_back(read_table(t, "bbox_pt", d / 72.0));
    }
    for (const json& t : get_array(pred, "tables")) pt.push_back(read_table(t, "bbox", 1.0));
    k.truth_tables = static_cast<long>(tt.size());
    k.pred_tables = static_cast<long>(pt.size());

    // Table matching: best pairs first, each table used once.
    struct Cand {
        double score;
        std::size_t ti, pi;
        bool by_iou;
    };
    std::vector<Cand> cands;
    for (std::size_t i = 0; i < tt.size(); ++i)
        for (std::size_t j = 0; j < pt.size(); ++j) {
            if (tt[i].page > 0 && pt[j].page != tt[i].page) continue;
            if (tt[i].bbox && pt[j].bbox) {
                double s = iou(*tt[i].bbox, *pt[j].bbox);
                if (s >= opt.min_iou) cands.push_back({s, i, j, true});
            } else {
                double s = content_dice(tt[i], pt[j]);
                if (s >= opt.min_content_dice) cands.push_back({s, i, j, false});
            }
        }
    std::stable_sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) { return a.score > b.score; });
    std::vector<int> t2p(tt.size(), -1), p2t(pt.size(), -1);
    json matches = json::array();
    for (const Cand& c : cands) {
        if (t2p[c.ti] >= 0 || p2t[c.pi] >= 0) continue;
        t2p[c.ti] = static_cast<int>(c.pi);
        p2t[c.pi] = static_cast<int>(c.ti);
    }

    // Obscured truth cells: (table, row, col) → recoverable.
    std::map<std::tuple<int, int, int>, bool> obscured;
    {
        const json& tabs = get_array(truth, "tables");
        for (std::size_t i = 0; i < tabs.size(); ++i)
            for (const json& c : get_array(tabs[i], "cells"))
                if (get_bool(c, "obscured"))
                    obscured[{static_cast<int>(i), get_int(c, "row", -1), get_int(c, "col", -1)}] = false;
        for (const json& o : get_array(truth, "obscured"))
            obscured[{get_int(o, "table", -1), get_int(o, "row", -1), get_int(o, "col", -1)}] = get_bool(o, "recoverable");
    }

    std::vector<Alignment> aligns(tt.size());
    json errors = json::array();  // wrong truth cells, for reading a score (capped)
    constexpr std::size_t kMaxErrors = 3000;
    for (std::size_t ti = 0; ti < tt.size(); ++ti) {
        const ETable& t = tt[ti];
        const ETable* p = t2p[ti] >= 0 ? &pt[t2p[ti]] : nullptr;
        Alignment& al = aligns[ti];
        if (p) {
            k.matched_tables++;
            if (t.schema == p->schema) k.schema_correct++;
            al = align_tables(t, *p);
            long rows = std::count_if(al.rows.begin(), al.rows.end(), [](int x) { return x >= 0; });
            long cols = std::count_if(al.cols.begin(), al.cols.end(), [](int x) { return x >= 0; });
            // the grid: the truth's row and column count, every row and column
            // aligned, and every truth cell's span found at its place
            bool grid = p->n_rows == t.n_rows && p->n_cols == t.n_cols && rows == t.n_rows && cols == t.n_cols;
            for (const ECell& tc : t.cells) {
                if (!grid) break;
                int pi = p->covering(al.rows[tc.row], al.cols[tc.col]);
                grid = pi >= 0 && p->cells[pi].row == al.rows[tc.row] && p->cells[pi].col == al.cols[tc.col] &&
                       p->cells[pi].row_span == tc.row_span && p->cells[pi].col_span == tc.col_span;
            }
            k.grid_exact += grid;
            matches.push_back({{"truth", ti}, {"pred", t2p[ti]}, {"rows_aligned", rows}, {"cols_aligned", cols},
                               {"truth_rows", t.n_rows}, {"truth_cols", t.n_cols},
                               {"pred_rows", p->n_rows}, {"pred_cols", p->n_cols}, {"grid_exact", grid}});
        } else {
            al.rows.assign(t.n_rows, -1);
            al.cols.assign(t.n_cols, -1);
            matches.push_back({{"truth", ti}, {"pred", nullptr}});
        }
        const long correct_before = k.cells_correct;
        // Rows holding a subject code (201, or 201 | 03 | 01 across 类/款/项):
        // their CJK text cells are subject names, which the lexicon corrects.
        std::vector<bool> code_row(static_cast<std::size_t>(std::max(0, t.n_rows)), false);
        for (const ECell& tc : t.cells)
            if (!tc.numeric && is_code_text(tc.text) && tc.row >= 0 && tc.row < t.n_rows) code_row[static_cast<std::size_t>(tc.row)] = true;
        for (const ECell& tc : t.cells) {
            int pi = p ? p->covering(al.rows[tc.row], al.cols[tc.col]) : -1;
            const ECell* pc = pi >= 0 ? &p->cells[pi] : nullptr;
            bool text_ok = pc && pc->text == tc.text;
            k.cells++;
            k.cells_correct += text_ok;
            bool numeric = tc.numeric && !tc.text.empty();
            if (numeric) {
                k.numeric++;
                k.numeric_correct += pc && value_right(tc, *pc, opt.value_tolerance);
            } else if (!tc.text.empty()) {
                const long edits = static_cast<long>(pc ? levenshtein(tc.u, pc->u) : tc.u.size());
                k.text_chars += static_cast<long>(tc.u.size());
                k.text_edits += edits;
                if (tc.row >= 0 && tc.row < t.n_rows && code_row[static_cast<std::size_t>(tc.row)] && has_cjk(tc.u)) {
                    k.name_chars += static_cast<long>(tc.u.size());
                    k.name_edits += edits;
                }
            }
            if (pc && (!tc.text.empty() || !pc->text.empty())) {
                bool sure = pc->confidence >= opt.confident;
                k.compared++;
                k.confident_wrong += sure && !text_ok;
                if (numeric) {
                    k.compared_numeric++;
                    k.confident_wrong_numeric += sure && !text_ok;
                }
                Bin& b = k.bins[std::min(9, static_cast<int>(pc->confidence * 10))];
                b.n++;
                b.sum_conf += pc->confidence;
                b.sum_correct += text_ok;
            }
            auto ob = obscured.find({static_cast<int>(ti), tc.row, tc.col});
            const bool value_wrong = numeric && !(pc && value_right(tc, *pc, opt.value_tolerance));
            if ((!text_ok || value_wrong) && errors.size() < kMaxErrors && (!tc.text.empty() || (pc && !pc->text.empty()))) {
                json e = {{"table", ti}, {"page", t.page}, {"row", tc.row}, {"col", tc.col}, {"numeric", numeric},
                          {"truth", tc.text}, {"pred", pc ? json(pc->text) : json(nullptr)}};
                if (pc) {
                    e["confidence"] = pc->confidence;
                    e["source"] = pc->source;
                    e["value_right"] = numeric && value_right(tc, *pc, opt.value_tolerance);
                    if (pc->value) e["pred_value"] = *pc->value;
                }
                if (ob != obscured.end()) e["obscured"] = ob->second ? "recoverable" : "unrecoverable";
                errors.push_back(std::move(e));
            }
            if (ob != obscured.end()) {
                k.obscured++;
                if (ob->second) {
                    k.obscured_recoverable++;
                    k.obscured_recovered += pc && pc->source == "recovered" && value_right(tc, *pc, opt.value_tolerance);
                }
            }
        }
        matches.back()["cells"] = t.cells.size();
        matches.back()["cells_correct"] = k.cells_correct - correct_before;
    }

    // False recoveries: every predicted "recovered" cell whose value is wrong,
    // that has no truth cell, or whose truth cell is not recoverable.
    for (std::size_t pi = 0; pi < pt.size(); ++pi) {
        const ETable& p = pt[pi];
        int ti = p2t[pi];
        std::vector<int> inv_rows(p.n_rows, -1), inv_cols(p.n_cols, -1);
        if (ti >= 0) {
            for (std::size_t r = 0; r < aligns[ti].rows.size(); ++r)
                if (aligns[ti].rows[r] >= 0) inv_rows[aligns[ti].rows[r]] = static_cast<int>(r);
            for (std::size_t c = 0; c < aligns[ti].cols.size(); ++c)
                if (aligns[ti].cols[c] >= 0) inv_cols[aligns[ti].cols[c]] = static_cast<int>(c);
        }
        for (const ECell& pc : p.cells) {
            if (pc.source != "recovered") continue;
            int tr = inv_rows[pc.row], tcl = inv_cols[pc.col];
            int idx = ti >= 0 ? tt[ti].covering(tr, tcl) : -1;
            bool ok = false;
            if (idx >= 0) {
                const ECell& tc = tt[ti].cells[idx];
                auto ob = obscured.find({ti, tc.row, tc.col});
                bool unrecoverable = ob != obscured.end() && !ob->second;
                ok = value_right(tc, pc, opt.value_tolerance);
                // Right, though the truth's (conservative) rule says nothing
                // determines it: counted apart, not as false.
                k.recovered_beyond_truth += ok && unrecoverable;
            }
            k.false_recoveries += !ok;
        }
    }

    // Source inconsistencies.
    const json& findings = get_array(pred, "findings");
    for (const json& inc : get_array(truth, "inconsistencies")) {
        k.inconsistencies++;
        std::string kind = get_str(inc, "kind");
        int ti = get_int(inc, "table", -1);
        bool found = false;
        const bool narrative = kind.find("narrative") != std::string::npos;
        // a narrative one that names the table cells it contradicts is scored
        // like a table one: a finding must name one of those cells
        if (ti < 0 || ti >= static_cast<int>(tt.size()) || (narrative && get_array(inc, "cells").empty())) {
            for (const json& f : findings) {
                std::string fk = get_str(f, "kind");
                if (narrative ? fk.find("narrative") != std::string::npos : fk == kind) found = true;
            }
        } else {
            // The predicted cells (table, cell index) the inconsistency names: its
            // cells in its table and the `related` cells ([table, row, col]) of
            // the other side of a cross-table one, each through its table's
            // alignment.
            std::set<std::pair<int, int>> want;
            auto add = [&](int t, const json& r, const json& c) {
                if (t < 0 || t >= static_cast<int>(tt.size()) || t2p[t] < 0) return;
                if (!r.is_number() || !c.is_number()) return;
                int tcov = tt[t].covering(r.get<int>(), c.get<int>());
                if (tcov < 0) return;
                const ECell& tc = tt[t].cells[tcov];
                const Alignment& al = aligns[t];
                int idx = pt[t2p[t]].covering(al.rows[tc.row], al.cols[tc.col]);
                if (idx >= 0) want.insert({t2p[t], idx});
            };
            for (const json& rc : get_array(inc, "cells"))
                if (rc.is_array() && rc.size() == 2) add(ti, rc[0], rc[1]);
            for (const json& x : get_array(inc, "related"))
                if (x.is_array() && x.size() == 3 && x[0].is_number()) add(x[0].get<int>(), x[1], x[2]);
            bool any_cell = get_array(inc, "cells").empty();  // a whole-table problem
            // A finding names its cells in its table and, for an identity between
            // two tables, detail.other_cells in detail.other_table.
            auto names = [&](int pti, const json& cells) {
                if (pti < 0 || pti >= static_cast<int>(pt.size())) return false;
                for (const json& rc : cells) {
                    if (!rc.is_array() || rc.size() != 2 || !rc[0].is_number() || !rc[1].is_number()) continue;
                    if (want.count({pti, pt[pti].covering(rc[0].get<int>(), rc[1].get<int>())})) return true;
                }
                return false;
            };
            for (const json& f : findings) {
                int fti = get_int(f, "table", -1);
                if (any_cell && t2p[ti] >= 0 && fti == t2p[ti]) found = true;
                if (names(fti, get_array(f, "cells"))) found = true;
                if (f.contains("detail") && f["detail"].is_object()) {
                    const json& d = f["detail"];
                    if (names(get_int(d, "other_table", -1), get_array(d, "other_cells"))) found = true;
                }
            }
        }
        k.inconsistencies_found += found;
    }

    out.detail = {{"tables", matches}, {"errors", std::move(errors)}};
    return out;
}

}  // namespace fiscan::eval
