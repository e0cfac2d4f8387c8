#include "ocr/router.hpp"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace fiscan::ocr {
namespace {

std::string without_spaces(const std::string& s) {
    std::string o;
    for (char c : s)
        if (c != ' ' && c != '\t') o += c;
    return o;
}

}  // namespace

RoutingConfig load_routing_config(const std::string& models_dir) {
    RoutingConfig c;
    std::ifstream in(models_dir + "/ocr/routing.json");
    if (!in) return c;
    const auto j = nlohmann::json::parse(in, nullptr, true, true);
    c.policy = j.value("policy", c.policy);
    c.dash_confidence = j.value("dash_confidence", c.dash_confidence);
    if (j.contains("numeric")) {
        const auto& n = j["numeric"];
        c.numeric_tesseract_min = n.value("tesseract_min_confidence", c.numeric_tesseract_min);
        c.numeric_ppocr_min = n.value("ppocr_min_confidence", c.numeric_ppocr_min);
        c.numeric_tesseract_lead_margin = n.value("tesseract_lead_margin", c.numeric_tesseract_lead_margin);
        if (n.contains("formats")) c.numeric_formats = n["formats"].get<std::vector<std::string>>();
        c.smooth_view_sigma_mm = n.value("smooth_view_sigma_mm", c.smooth_view_sigma_mm);
        if (n.contains("failed_text")) {
            const auto& k = n["failed_text"];
            c.failed_text_max_confidence = k.value("max_confidence", c.failed_text_max_confidence);
            c.failed_text_min_number_confidence = k.value("min_number_confidence", c.failed_text_min_number_confidence);
        }
        if (n.contains("column")) {
            const auto& k = n["column"];
            c.column_min_numbers = k.value("min_numbers", c.column_min_numbers);
            c.column_number_share = k.value("number_share", c.column_number_share);
            c.column_decimals_share = k.value("decimals_share", c.column_decimals_share);
            c.column_decimals_min_numbers = k.value("decimals_min_numbers", c.column_decimals_min_numbers);
        }
    }
    if (j.contains("text")) {
        const auto& t = j["text"];
        c.text_tesseract_min = t.value("tesseract_min_confidence", c.text_tesseract_min);
        c.text_ppocr_min = t.value("ppocr_min_confidence", c.text_ppocr_min);
    }
    return c;
}

CellReader::CellReader(std::unique_ptr<TesseractEngine> tesseract, std::unique_ptr<PpocrEngine> ppocr,
                       RoutingConfig cfg, CropOptions crop_opt, std::string ppocr_missing_reason)
    : tess_(std::move(tesseract)), ppocr_(std::move(ppocr)), cfg_(std::move(cfg)), crop_opt_(crop_opt),
      ppocr_missing_(std::move(ppocr_missing_reason)) {
    if (!tess_) throw std::invalid_argument("CellReader needs a Tesseract engine");
    if (cfg_.policy != "tesseract-only" && cfg_.policy != "cascade" && cfg_.policy != "ppocr-first")
        throw std::invalid_argument("unknown OCR routing policy '" + cfg_.policy + "'");
    policy_ = ppocr_ ? cfg_.policy : "tesseract-only";
    for (const auto& f : cfg_.numeric_formats) formats_.emplace_back(f);
}

bool CellReader::number_format_ok(const std::string& text) const {
    const std::string t = without_spaces(text);
    if (t.empty()) return false;
    for (const auto& re : formats_)
        if (std::regex_match(t, re)) return true;
    return false;
}

// A number's misread separators and specks, fixed only when the result
// passes the format check (and only then):
//  - a speck after it read as a trailing "." or "," ("4461.67.");
//  - a speck or a ruling's stub before it (".57.97", ") 2,132,777.54");
//  - a decimal comma or colon ("213,28", "0,00", "60:99": ",dd" at the end
//    is no thousands group);
// ("2.850.39" stays: it may be two numbers fused, left for the checks.)
//  - a leading 0 before the digits of an amount with a point ("024.09").
void CellReader::tidy_number(Reading& r) const {
    // The new text is the spaceless text from `from` on, a character maybe
    // replaced; the symbols follow when they were one per character.
    auto set = [&r](const std::string& text, size_t from) {
        std::string joined;
        bool one_each = true;
        for (const auto& sym : r.symbols) {
            if (sym.text == " ") continue;
            one_each = one_each && sym.text.size() == 1;
            joined += sym.text;
        }
        std::vector<Symbol> kept;
        if (one_each && joined == without_spaces(r.text) && from + text.size() <= joined.size()) {
            for (const auto& sym : r.symbols)
                if (sym.text != " ") kept.push_back(sym);
            kept = std::vector<Symbol>(kept.begin() + static_cast<long>(from),
                                       kept.begin() + static_cast<long>(from + text.size()));
            for (size_t i = 0; i < text.size(); ++i) kept[i].text = std::string(1, text[i]);
        }
        r.text = text;
        r.symbols = std::move(kept);
    };
    while (r.text.size() > 1 && !number_format_ok(r.text)) {
        const char last = r.text.back();
        if (last != '.' && last != ',' && last != ':') break;
        std::string shorter = r.text.substr(0, r.text.size() - 1);
        if (!number_format_ok(shorter) && shorter.find_first_of(".,:", shorter.size() - 1) == std::string::npos) break;
        r.text = std::move(shorter);
        if (!r.symbols.empty() && r.symbols.back().text.size() == 1 && r.symbols.back().text[0] == last) r.symbols.pop_back();
    }
    if (r.text.empty()) return;
    if (!number_format_ok(r.text)) {
        std::string t = without_spaces(r.text);
        while (!t.empty() && std::string_view(".,:").find(t.back()) != std::string_view::npos) t.pop_back();
        size_t k = 0;
        while (k < t.size() && std::string_view(".,:)").find(t[k]) != std::string_view::npos) ++k;
        t = t.substr(k);
        if (t.find_first_of("0123456789") == std::string::npos) return;
        if (number_format_ok(t)) return set(t, k);
        // one decimal separator misread: the last "," or ":" before two digits
        const auto sep = t.find_last_of(",:");
        if (sep != std::string::npos && sep + 3 == t.size() && t.find_first_of(".:") >= sep) {
            std::string fixed = t;
            fixed[sep] = '.';
            if (number_format_ok(fixed)) return set(fixed, k);
        }
        return;
    }
    const std::string t = without_spaces(r.text);
    if (t.size() > 2 && t[0] == '0' && t[1] >= '0' && t[1] <= '9' && t.find('.') != std::string::npos) {
        size_t k = 0;
        while (k + 1 < t.size() && t[k] == '0' && t[k + 1] >= '0' && t[k + 1] <= '9') ++k;
        set(t.substr(k), k);
    }
}

void CellReader::tidy_ellipsis(Reading& r) {
    // what each dot-like mark counts for
    static const std::pair<std::string_view, int> kDots[] = {
        {".", 1}, {"\u00b7", 1}, {"\uff0e", 1}, {"\u30fb", 1}, {"\u3002", 1}, {"\u2026", 3}, {" ", 0}};
    int dots = 0;
    for (std::string_view rest = r.text; !rest.empty();) {
        bool known = false;
        for (const auto& [mark, n] : kDots)
            if (rest.starts_with(mark)) {
                dots += n;
                rest.remove_prefix(mark.size());
                known = true;
                break;
            }
        if (!known) return;
    }
    if (dots < 2) return;
    std::string e;
    for (int k = 0; k < std::max(1, (dots + 1) / 3); ++k) e += "\u2026";
    if (e == r.text) return;
    r.text = e;
    r.symbols = {Symbol{e, r.confidence, {}, {}}};
}

Reading CellReader::tesseract_read(const Crop& crop) {
    ++stats_.tesseract_calls;
    return tess_->recognise(crop);
}

bool CellReader::needs_second(const Crop& crop, const Reading& first, bool first_is_ppocr) const {
    const bool numeric = crop.kind == CellKind::Numeric;
    const double thr = numeric ? (first_is_ppocr ? cfg_.numeric_ppocr_min : cfg_.numeric_tesseract_min)
                               : (first_is_ppocr ? cfg_.text_ppocr_min : cfg_.text_tesseract_min);
    if (first.confidence < thr || first.text.empty()) return true;
    return numeric && !number_format_ok(first.text);
}

namespace {

std::string digits_of(const std::string& s) {
    std::string d;
    for (char c : s)
        if (c >= '0' && c <= '9') d += c;
    return d;
}

// "170.57": the digits after the last '.' (-1 without one)
int decimals_of(const std::string& s) {
    const auto dot = s.rfind('.');
    if (dot == std::string::npos) return -1;
    return static_cast<int>(digits_of(s.substr(dot + 1)).size());
}

}  // namespace

// Both readings pass the number format and differ. Tesseract's leads when
// it is surer by the configured margin, or when it has the same digits
// with a decimal point (two decimals) that PP-OCR's lacks: at 150 dpi a
// faint point is what PP-OCR drops (170.57 read 17057). The margin rule is
// for amounts with a decimal point only: on a subject code (2010399 read
// 2010299 by Tesseract at 0.76 against PP-OCR's 0.59, typical scan) PP-OCR
// is the better reader.
bool CellReader::tesseract_number_leads(const Reading& pp, const Reading& ts) const {
    const std::string p = without_spaces(pp.text), t = without_spaces(ts.text);
    if (p == t) return false;
    if (digits_of(p) == digits_of(t) && decimals_of(p) < 0 && decimals_of(t) == 2) return true;
    return decimals_of(t) >= 0 && ts.confidence >= pp.confidence + cfg_.numeric_tesseract_lead_margin;
}

// Orders two readings of one crop. PP-OCR leads: it is the stronger reader
// (docs/ocr.md), whichever engine went first; Tesseract leads only when
// PP-OCR read nothing, or when just Tesseract's reading passes the number
// format check.
std::vector<Reading> CellReader::rank(const Crop& crop, Reading first, Reading second) const {
    const bool first_is_ppocr = first.engine == ppocr_->name();
    Reading& pp = first_is_ppocr ? first : second;
    Reading& ts = first_is_ppocr ? second : first;
    bool pp_leads = !pp.text.empty() || ts.text.empty();
    if (crop.kind == CellKind::Numeric) {
        const bool pp_ok = number_format_ok(pp.text), ts_ok = number_format_ok(ts.text);
        if (pp_ok != ts_ok) pp_leads = pp_ok;
        else if (pp_ok && ts_ok) pp_leads = !tesseract_number_leads(pp, ts);
    }
    if (pp_leads) return {std::move(pp), std::move(ts)};
    return {std::move(ts), std::move(pp)};
}

std::vector<Reading> CellReader::read(const Crop& crop) {
    return std::move(read(std::vector<Crop>{crop}).front());
}

std::vector<std::vector<Reading>> CellReader::read(const std::vector<Crop>& crops_in) {
    std::vector<std::vector<Reading>> out(crops_in.size());
    std::vector<Crop> crops(crops_in);  // (headers: the pixels are shared)
    std::vector<size_t> todo;
    std::set<size_t> cut;  // crops cut to their text core: both engines read them
    for (size_t i = 0; i < crops.size(); ++i) {
        ++stats_.crops;
        if (is_empty(crops[i].gray, crops[i].dpi, crop_opt_)) {
            ++stats_.empty;
            out[i].push_back(Reading{"", 1.0, {}, "empty"});
        } else if (crops[i].kind != CellKind::Text && is_dash(crops[i].gray, crops[i].dpi, crop_opt_)) {
            ++stats_.dash;
            out[i].push_back(Reading{"-", cfg_.dash_confidence, {Symbol{"-", cfg_.dash_confidence, {}, {}}}, "shape-dash"});
        } else {
            todo.push_back(i);
            // a number in a corner of a grainy cell: read its text core
            if (crops[i].kind == CellKind::Numeric) {
                const cv::Mat core = core_view(crops[i].gray, crops[i].dpi, crop_opt_);
                cut.insert(i);
                if (core.data == crops[i].gray.data && core.size() == crops[i].gray.size()) cut.erase(i);
                crops[i].gray = core;
            }
        }
    }
    if (todo.empty()) return out;

    const bool ppocr_first = policy_ == "ppocr-first";
    // First pass: Tesseract per crop, or PP-OCR batched by width bucket.
    std::vector<Reading> first(todo.size());
    if (ppocr_first) {
        std::vector<Crop> batch;
        for (size_t i : todo) {
            batch.push_back(crops[i]);
            batch.back().table_cell = true;
        }
        stats_.ppocr_calls += static_cast<long>(batch.size());
        first = ppocr_->recognise_batch(batch);
    } else {
        for (size_t k = 0; k < todo.size(); ++k) first[k] = tesseract_read(crops[todo[k]]);
    }
    // Second pass for the unsure ones (none under tesseract-only).
    std::vector<size_t> second_idx;
    if (policy_ != "tesseract-only")
        for (size_t k = 0; k < todo.size(); ++k)
            if (needs_second(crops[todo[k]], first[k], ppocr_first) || cut.count(todo[k])) second_idx.push_back(k);
    std::vector<Reading> second(todo.size());
    if (!ppocr_first && !second_idx.empty()) {
        std::vector<Crop> batch;
        for (size_t k : second_idx) {
            batch.push_back(crops[todo[k]]);
            batch.back().table_cell = true;
        }
        stats_.ppocr_calls += static_cast<long>(batch.size());
        auto rs = ppocr_->recognise_batch(batch);
        for (size_t b = 0; b < second_idx.size(); ++b) second[second_idx[b]] = std::move(rs[b]);
    } else {
        for (size_t k : second_idx) second[k] = tesseract_read(crops[todo[k]]);
    }
    std::vector<bool> has_second(todo.size(), false);
    for (size_t k : second_idx) has_second[k] = true;
    for (size_t k = 0; k < todo.size(); ++k) {
        const Crop& c = crops[todo[k]];
        // A text cell PP-OCR read as a number (on a poor scan, an amount whose
        // ink looked like text, read over the numeric characters by the
        // engine): Tesseract reads it as a number too, and the two readings
        // are ranked as numbers.
        Reading* pp = ppocr_first ? &first[k] : has_second[k] ? &second[k] : nullptr;
        if (c.kind != CellKind::Numeric && pp && pp->engine == ppocr_->name() && number_format_ok(pp->text) &&
            pp->text.find_first_of("0123456789") != std::string::npos) {
            Crop num = c;
            num.kind = CellKind::Numeric;
            Reading p = std::move(*pp), t = tesseract_read(num);
            tidy_number(p);
            tidy_number(t);
            ++stats_.text_read_as_number;
            out[todo[k]] = rank(num, std::move(p), std::move(t));
            continue;
        }
        if (c.kind == CellKind::Numeric) {
            tidy_number(first[k]);
            if (has_second[k]) tidy_number(second[k]);
        } else {
            tidy_ellipsis(first[k]);
            if (has_second[k]) tidy_ellipsis(second[k]);
        }
        if (has_second[k]) out[todo[k]] = rank(c, std::move(first[k]), std::move(second[k]));
        else out[todo[k]].push_back(std::move(first[k]));
    }
    if (ppocr_) settle_numbers(crops, out);
    return out;
}

namespace {

// Characters of `s` other than spaces and punctuation marks (ASCII and the
// CJK ones a grain speck is read as: 、。，．·).
int word_chars(const std::string& s) {
    int n = 0;
    for (std::string_view rest = s; !rest.empty();) {
        const auto c = static_cast<unsigned char>(rest[0]);
        const size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        const std::string_view ch = rest.substr(0, std::min(len, rest.size()));
        rest.remove_prefix(ch.size());
        if (len == 1 && (std::isalnum(c) == 0)) continue;
        if (ch == "\u3001" || ch == "\u3002" || ch == "\uff0c" || ch == "\uff0e" || ch == "\u00b7") continue;
        ++n;
    }
    return n;
}

}  // namespace

bool CellReader::is_number(const Reading& r) const {
    return r.text.find_first_of("0123456789") != std::string::npos && number_format_ok(r.text);
}

// Per column (body cells with a number read): the count of decimals most of
// its numbers have (-1: no point), when at least the configured share has it.
std::map<int, int> CellReader::column_decimals(const std::vector<Crop>& crops,
                                               const std::vector<std::vector<Reading>>& out) const {
    std::map<int, std::map<int, int>> count;
    for (size_t i = 0; i < crops.size(); ++i)
        if (crops[i].column >= 0 && is_number(out[i].front()))
            ++count[crops[i].column][decimals_of(without_spaces(out[i].front().text))];
    std::map<int, int> d;
    for (const auto& [col, hist] : count) {
        int n = 0, best = -1, best_n = 0;
        for (const auto& [dec, k] : hist) {
            n += k;
            if (k > best_n) best = dec, best_n = k;
        }
        if (best_n >= cfg_.column_decimals_min_numbers && best_n >= cfg_.column_decimals_share * n) d[col] = best;
    }
    return d;
}

void CellReader::settle_numbers(const std::vector<Crop>& crops, std::vector<std::vector<Reading>>& out) {
    const std::string pp_name = ppocr_->name();
    auto is_tess = [](const Reading& r) { return r.engine.rfind("tesseract", 0) == 0; };
    auto same = [](const Reading& a, const Reading& b) { return without_spaces(a.text) == without_spaces(b.text); };

    // 1. A column of numbers: a body cell the ink shapes took for text and
    // that did not read as a number is read as a number by both engines.
    // Its text readings stay, after the numbers. PP-OCR keeps a sure word
    // without a digit even when decoding a number (ppocr.json numeric_text_keep).
    // The body: the rows from the table's first number down (the header
    // labels above it are not judged by the numbers).
    int first_number = -1;
    for (size_t i = 0; i < crops.size(); ++i)
        if (crops[i].column >= 0 && crops[i].row >= 0 && is_number(out[i].front()))
            first_number = first_number < 0 ? crops[i].row : std::min(first_number, crops[i].row);
    auto in_body = [&](const Crop& c) { return c.column >= 0 && first_number >= 0 && c.row >= first_number; };
    std::map<int, std::pair<int, int>> votes;  // column → (numbers, other non-empty) among body cells
    for (size_t i = 0; i < crops.size(); ++i) {
        if (!in_body(crops[i])) continue;
        const Reading& b = out[i].front();
        if (is_number(b)) ++votes[crops[i].column].first;
        else if (b.engine != "empty" && b.engine != "shape-dash" && !b.text.empty()) ++votes[crops[i].column].second;
    }
    for (size_t i = 0; i < crops.size(); ++i) {
        const Crop& c = crops[i];
        if (!in_body(c) || c.kind == CellKind::Numeric) continue;
        const auto [num, other] = votes[c.column];
        if (num < cfg_.column_min_numbers || num < cfg_.column_number_share * (num + other)) continue;
        const Reading& b = out[i].front();
        if (b.engine == "empty" || b.engine == "shape-dash" || is_number(b)) continue;
        Crop n = c;
        n.kind = CellKind::Numeric;
        n.table_cell = true;
        n.gray = core_view(c.gray, c.dpi, crop_opt_);
        ++stats_.ppocr_calls;
        Reading p = ppocr_->recognise(n);
        tidy_number(p);
        // PP-OCR must read a number, or at least two digits, itself:
        // Tesseract's digit whitelist makes digits of any word. ("248,17.54":
        // PP-OCR's digits, Tesseract's number.)
        if (!is_number(p) && digits_of(p.text).size() < 2) continue;
        Reading t = tesseract_read(n);
        tidy_number(t);
        auto r = rank(n, std::move(p), std::move(t));
        if (!is_number(r.front())) continue;
        for (auto& old : out[i]) {
            tidy_number(old);
            r.push_back(std::move(old));
        }
        // Both read "6099" over the numeric characters, where the whole
        // dictionary read "60:99": the same digits with a two-decimal point
        // lead (the point a faint mark, as in tesseract_number_leads).
        const std::string best = without_spaces(r.front().text);
        if (decimals_of(best) < 0)
            for (size_t j = 1; j < r.size(); ++j)
                if (is_number(r[j]) && decimals_of(without_spaces(r[j].text)) == 2 && digits_of(r[j].text) == digits_of(best)) {
                    Reading lead = std::move(r[j]);
                    r.erase(r.begin() + static_cast<long>(j));
                    r.insert(r.begin(), std::move(lead));
                    break;
                }
        out[i] = std::move(r);
        ++stats_.column_numbers;
    }

    auto decimals = column_decimals(crops, out);
    auto col_dec = [&](const Crop& c) {
        const auto it = c.column >= 0 ? decimals.find(c.column) : decimals.end();
        return it == decimals.end() ? -2 : it->second;  // -2: not known
    };

    // 2. The smoothed view of each number PP-OCR read.
    const double sigma_mm = cfg_.smooth_view_sigma_mm;
    for (size_t i = 0; sigma_mm > 0 && i < crops.size(); ++i) {
        const Crop& c = crops[i];
        auto& rs = out[i];
        if (c.kind != CellKind::Numeric && !is_number(rs.front())) continue;
        auto pp = std::find_if(rs.begin(), rs.end(), [&](const Reading& r) { return r.engine == pp_name; });
        if (pp == rs.end() || c.gray.empty()) continue;
        // A sure first view with a decimal point that Tesseract agrees with,
        // with its column's decimals (or none known): by the rules below the
        // second view cannot take its place, so it is not made (typical
        // scans: 432 of 604 views).
        {
            auto ts = std::find_if(rs.begin(), rs.end(), is_tess);
            const int d = col_dec(c), dpp = decimals_of(without_spaces(pp->text));
            if (pp->confidence >= cfg_.numeric_ppocr_min && is_number(*pp) && ts != rs.end() && same(*pp, *ts) &&
                dpp >= 0 && (d == -2 || dpp == d)) {
                ++stats_.smooth_skipped;
                continue;
            }
        }
        Crop n = c;
        n.kind = CellKind::Numeric;
        n.table_cell = true;
        const double sigma = sigma_mm * c.dpi / 25.4;
        cv::Mat smoothed;  // (n.gray shares the caller's pixels)
        cv::GaussianBlur(c.kind == CellKind::Numeric ? c.gray : core_view(c.gray, c.dpi, crop_opt_), smoothed, cv::Size(), sigma);
        n.gray = smoothed;
        ++stats_.smooth_views;  // (not in ppocr_calls: the crops sent to PP-OCR)
        Reading sm = ppocr_->recognise(n);
        tidy_number(sm);
        if (same(sm, *pp)) continue;
        auto ts = std::find_if(rs.begin(), rs.end(), is_tess);
        const int d = col_dec(c);
        bool take = false;
        const int dsm = decimals_of(sm.text), dpp = decimals_of(pp->text);
        if (is_number(sm) != is_number(*pp)) take = is_number(sm);
        // the same digits, one with a two-decimal point the other lacks
        else if (digits_of(sm.text) == digits_of(pp->text) && std::min(dsm, dpp) < 0 && std::max(dsm, dpp) == 2) take = dsm == 2;
        // a sure first view gives way to its column's decimals only (a
        // typical scan: "0.00" at 0.99, the smoothed view "-0.00" as
        // Tesseract read a ruling's stub)
        else if (pp->confidence >= cfg_.numeric_ppocr_min)
            take = d > -2 && decimals_of(sm.text) == d && decimals_of(pp->text) != d;
        else if (ts != rs.end() && same(sm, *ts) != same(*pp, *ts)) take = same(sm, *ts);
        else if (d > -2 && (decimals_of(sm.text) == d) != (decimals_of(pp->text) == d)) take = decimals_of(sm.text) == d;
        else take = sm.confidence > pp->confidence;
        Reading& kept = take ? sm : *pp;
        const Reading& dropped = take ? *pp : sm;
        // two views of one crop that differ: the kept one is no surer than
        // the other is unsure
        kept.confidence = std::min(kept.confidence, 1.0 - dropped.confidence);
        if (!take) {
            rs.push_back(std::move(sm));
            continue;
        }
        ++stats_.smooth_kept;
        Reading first_view = std::move(*pp);
        rs.erase(pp);
        ts = std::find_if(rs.begin(), rs.end(), is_tess);
        std::vector<Reading> ranked;
        if (ts != rs.end()) {
            Crop nk = c;
            nk.kind = CellKind::Numeric;
            Reading t = std::move(*ts);
            rs.erase(ts);
            ranked = rank(nk, std::move(sm), std::move(t));
        } else {
            ranked.push_back(std::move(sm));
        }
        ranked.push_back(std::move(first_view));
        for (auto& r : rs) ranked.push_back(std::move(r));
        rs = std::move(ranked);
    }

    // 3. The column's decimals: a number with other decimals than its column's
    // gives way to another reading of the cell that has them (7.0 / 2.49 in a
    // column of two-decimal amounts); one without a point ("5797") only to a
    // reading of the same digits.
    decimals = column_decimals(crops, out);
    for (size_t i = 0; i < crops.size(); ++i) {
        const Crop& c = crops[i];
        const int d = col_dec(c);
        auto& rs = out[i];
        if (d < 1 || !is_number(rs.front())) continue;
        const std::string best = without_spaces(rs.front().text);
        if (decimals_of(best) == d) continue;
        for (size_t j = 1; j < rs.size(); ++j) {
            if (!is_number(rs[j]) || decimals_of(without_spaces(rs[j].text)) != d) continue;
            if (decimals_of(best) < 0 && digits_of(rs[j].text) != digits_of(best)) continue;
            Reading r = std::move(rs[j]);
            rs.erase(rs.begin() + static_cast<long>(j));
            rs.insert(rs.begin(), std::move(r));
            ++stats_.column_decimals;
            break;
        }
    }

    // 4. A cell read as nothing ("", "、", ".", or without a digit at under failed_text_max_confidence)
    // whose crop holds a line of glyphs amid grain (core_view cuts it):
    // the line is read as a number (839.00 in a corner of a grainy cell the
    // ink shapes took for text). Both PP-OCR views of the line are made and
    // weighed as in pass 2; the number leads only when PP-OCR reads one at
    // failed_text_min_number_confidence or more; the old readings stay after it.
    for (size_t i = 0; i < crops.size(); ++i) {
        const Crop& c = crops[i];
        auto& rs = out[i];
        const Reading& b = rs.front();
        if (c.gray.empty() || b.engine == "empty" || b.engine == "shape-dash" || is_number(b)) continue;
        // (a reading with digits is not nothing: "12福茶送" at 0.05 is a code in dust)
        if (word_chars(b.text) >= 2 &&
            (b.confidence >= cfg_.failed_text_max_confidence || b.text.find_first_of("0123456789") != std::string::npos))
            continue;
        const cv::Mat core = core_view(c.gray, c.dpi, crop_opt_);
        if (core.data == c.gray.data && core.size() == c.gray.size()) continue;
        Crop n = c;
        n.kind = CellKind::Numeric;
        n.table_cell = true;
        n.gray = core;
        ++stats_.core_rereads;
        Reading p = ppocr_->recognise(n);
        cv::Mat smoothed;
        cv::GaussianBlur(core, smoothed, cv::Size(), std::max(0.5, cfg_.smooth_view_sigma_mm * c.dpi / 25.4));
        Crop ns = n;
        ns.gray = smoothed;
        Reading sm = ppocr_->recognise(ns);
        tidy_number(p);
        tidy_number(sm);
        Reading t = tesseract_read(n);
        tidy_number(t);
        if (!same(p, sm)) {
            bool take_sm;
            if (is_number(sm) != is_number(p)) take_sm = is_number(sm);
            else if (same(sm, t) != same(p, t)) take_sm = same(sm, t);
            else take_sm = sm.confidence > p.confidence;
            Reading& kept = take_sm ? sm : p;
            kept.confidence = std::min(kept.confidence, 1.0 - (take_sm ? p : sm).confidence);
            if (take_sm) std::swap(p, sm);
        } else {
            sm.text.clear();  // the same reading: not kept twice
        }
        if (!is_number(p) || std::max(p.confidence, sm.text.empty() ? 0.0 : sm.confidence) < cfg_.failed_text_min_number_confidence) continue;
        auto r = rank(n, std::move(p), std::move(t));
        if (!is_number(r.front())) continue;
        if (!sm.text.empty()) r.push_back(std::move(sm));
        for (auto& old : rs) r.push_back(std::move(old));
        rs = std::move(r);
        ++stats_.core_numbers;
    }
}

std::unique_ptr<CellReader> make_cell_reader(const std::string& models_dir, const std::string& policy) {
    RoutingConfig rc = load_routing_config(models_dir);
    if (!policy.empty()) rc.policy = policy;
    auto tess = std::make_unique<TesseractEngine>(load_tesseract_config(models_dir));
    std::unique_ptr<PpocrEngine> pp;
    std::string why;
    if (rc.policy != "tesseract-only") {
        pp = PpocrEngine::create(load_ppocr_config(models_dir), &why);
        if (!pp) {
            static std::once_flag logged;
            std::call_once(logged, [&] {
                spdlog::warn("ocr: PP-OCRv4 unavailable ({}); policy '{}' falls back to tesseract-only", why, rc.policy);
            });
        }
    }
    return std::make_unique<CellReader>(std::move(tess), std::move(pp), rc, load_crop_options(models_dir), why);
}

}  // namespace fiscan::ocr
