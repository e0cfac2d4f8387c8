#include "schema/records.hpp"

#include "schema/numbers.hpp"
#include "schema/text.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace fiscan::schema {

using nlohmann::json;

std::string join_code(const std::vector<std::string>& parts_in) {
    std::string code;
    for (const auto& raw : parts_in) {
        std::string p = code_part(raw);
        if (p.empty()) continue;
        if (!is_digits(p)) return "";
        if (code.empty()) {
            if (p.size() != 3 && p.size() != 5 && p.size() != 7) return "";
            code = p;
        } else if (p.size() == 2) {
            code += p;
        } else if (p.size() > code.size() && p.compare(0, code.size(), code) == 0) {
            code = p;
        } else {
            return "";
        }
    }
    return code;
}

static const char* level_of(const std::string& code) {
    switch (code.size()) {
        case 3: return "类";
        case 5: return "款";
        case 7: return "项";
        default: return "";
    }
}

// "商品和服务支出86.59" in one cell over a name column and the amount column
// right of it (the ruling between them lost to damage or faintness): the
// label part and the amount part, or nothing.
static std::optional<std::pair<std::string, std::string>> label_and_amount(const std::string& text) {
    std::u32string s = to_u32(trim(text));
    size_t k = s.size();
    auto num_char = [](char32_t c) { return (c >= U'0' && c <= U'9') || c == U'.' || c == U',' || c == U' '; };
    while (k > 0 && num_char(s[k - 1])) --k;
    if (k == 0 || k == s.size()) return std::nullopt;
    std::string label = trim(to_u8(s.substr(0, k))), amount = trim(to_u8(s.substr(k)));
    if (!has_cjk(label)) return std::nullopt;
    auto p = parse_number(amount);
    // an amount: decimals or thousands separators (a bare "2" may be a name's ordinal)
    if (!p.numeric || !p.value || (p.decimals == 0 && !p.thousands)) return std::nullopt;
    return std::make_pair(label, amount);
}

int split_label_amount(Table& t, const GridInfo& g) {
    std::set<int> data(g.data_rows.begin(), g.data_rows.end());
    const int nc = static_cast<int>(g.cols.size());
    std::vector<Cell> extra;
    for (auto& cell : t.cells) {
        if (!data.count(cell.row) || cell.row_span != 1 || cell.col_span < 2 || cell.source != Source::Ocr) continue;
        const int last = cell.col + cell.col_span - 1;
        // the amount column: its slots are mostly under such cells, so its
        // content may not have shown it to be a value column
        if (last >= nc || (g.cols[last].role != "value" && g.cols[last].role != "empty" && g.cols[last].role != "other")) continue;
        if (g.cols[last].header.empty()) continue;
        bool labels = true;  // every other column it covers is a name / text column
        for (int c = cell.col; c < last; ++c) labels &= g.cols[c].role == "text";
        if (!labels || static_cast<int>(t.col_lines.size()) <= last) continue;
        auto parts = label_and_amount(cell.text);
        if (!parts) continue;
        Cell amount = cell;
        const std::string whole = cell.text;
        cell.col_span -= 1;
        cell.text = parts->first;
        cell.bbox.x1 = t.col_lines[last];
        cell.provenance["split_from"] = whole;
        amount.col = last;
        amount.col_span = 1;
        amount.text = parts->second;
        amount.bbox.x0 = t.col_lines[last];
        // the readings stay on both parts: what the engines read (the whole
        // cell) and how sure they were is the evidence for either part
        amount.kind = CellKind::Numeric;
        amount.provenance["split_from"] = whole;
        extra.push_back(std::move(amount));
    }
    for (auto& c : extra) t.cells.push_back(std::move(c));
    if (!extra.empty())
        std::sort(t.cells.begin(), t.cells.end(),
                  [](const Cell& a, const Cell& b) { return a.row != b.row ? a.row < b.row : a.col < b.col; });
    return static_cast<int>(extra.size());
}

// brackets, dots, commas and ticks only: what a speck or a stain's edge in a
// blank amount slot reads as
static bool speck_only(const std::string& text) {
    static const std::u32string marks = U"()（）.,。'`:;|";  // not 、，: PP-OCR's garble of faint digits (poor scans: "、" for 839.00)
    bool any = false;
    for (char32_t c : to_u32(text)) {
        if (c == U' ' || c == U'\t' || c == 0x3000) continue;
        if (marks.find(c) == std::u32string::npos) return false;
        any = true;
    }
    return any;
}

void normalise_numbers(Table& t, const GridInfo& g) {
    std::set<int> data(g.data_rows.begin(), g.data_rows.end());
    for (auto& cell : t.cells) {
        if (!data.count(cell.row) || cell.col >= static_cast<int>(g.cols.size())) continue;
        const auto& role = g.cols[cell.col].role;
        auto p = parse_number(cell.text);
        // An amount under a code column (the 公用经费合计 of a 3-panel 06表
        // spans into the next panel's code column): codes have no decimals.
        const bool amount = p.numeric && p.decimals > 0;
        if ((role == "code" && !amount) || role == "text" || role == "line_no") continue;
        if (cell.source == Source::Ocr && !p.numeric && !p.blank && !p.dash && speck_only(cell.text) &&
            t.beside_obscured(cell)) {
            // the edge of a stain on the next cell read as ")", ".", "(": no digit
            // is printed there (damaged set: every such reading beside an
            // obscured cell was blank or 0 in the truth; on poor scans "." can
            // be what is left of a faint 13.68, so elsewhere it stays unknown)
            if (cell.raw_text.empty()) cell.raw_text = cell.text;
            cell.text.clear();
            cell.value.reset();
            cell.kind = CellKind::Numeric;
            cell.provenance["speck"] = true;
            continue;
        }
        if (!p.numeric && cell.source == Source::Ocr) {
            // a number with a stain's edge beside it ("） 1, 097, 073.43"): the
            // number, marks kept in raw_text and provenance.speck
            auto q = parse_number(strip_speck_marks(cell.text));
            if (q.numeric && q.value && !q.percent) {
                p = q;
                cell.provenance["speck"] = true;
            }
        }
        if (p.numeric) {
            cell.value = p.value;
            cell.kind = CellKind::Numeric;
            if (p.normalised != cell.text) {
                if (cell.raw_text.empty()) cell.raw_text = cell.text;
                cell.text = p.normalised;
            }
            if (p.percent) cell.provenance["percent"] = true;
        } else if (p.blank || p.dash) {
            cell.value.reset();
            cell.kind = CellKind::Numeric;
            if (p.dash) cell.provenance["dash"] = true;
        }
    }
}

static json field_json(Table& t, int r, int c) {
    json f;
    const Cell* cell = t.at(r, c);
    f["cell"] = {r, c};
    if (!cell || cell->row != r || cell->col != c) {
        f["value"] = nullptr;
        f["text"] = "";
        f["confidence"] = cell ? cell->confidence : 0.0;
        f["source"] = "empty";
        return f;
    }
    auto p = parse_number(cell->text);
    f["value"] = p.numeric ? json(*p.value) : json(nullptr);
    f["text"] = cell->text;
    f["confidence"] = cell->confidence;
    f["source"] = to_string(cell->source);
    if (p.percent) f["percent"] = true;
    if (p.dash) f["dash"] = true;
    return f;
}

static double min_confidence(const json& fields, double start) {
    double m = start;
    for (const auto& [k, f] : fields.items())
        if (f.contains("confidence") && !f["text"].get<std::string>().empty()) m = std::min(m, f["confidence"].get<double>());
    return m;
}

static bool has_number(const json& fields) {
    for (const auto& [k, f] : fields.items())
        if (!f["value"].is_null()) return true;
    return false;
}

static json fields_of(Table& t, int r, const ColumnMap& m) {
    json fields = json::object();
    for (const auto& [c, spec] : m.value_cols) fields[spec->field] = field_json(t, r, c);
    for (const auto& [field, c] : m.text_cols) fields[field] = field_json(t, r, c);
    return fields;
}

// A value column whose own header is a fragment that names no field (合计
// read as 人计, 合, 人I口 under a stain) takes the one required field that no
// header matched, when it is the only such column and stands where that field
// is in the schema's order relative to every column matched by its header.
// (map_columns falls back on order only when the header is blank.)
static void map_fragment_by_order(ColumnMap& m, const GridInfo& g, int begin, int end,
                                  const std::vector<ColumnSpec>& specs, size_t max_fragment) {
    std::vector<int> rest;
    std::string common;  // the header text all value columns share (a spanning 一般公共预算支出)
    bool first = true;
    for (int c = begin; c < end; ++c) {
        const auto& role = g.cols[c].role;
        if (role != "value" && role != "empty" && role != "other") continue;
        const std::string& h = g.cols[c].header;
        if (first) { common = h; first = false; }
        else {
            size_t k = 0;
            while (k < common.size() && k < h.size() && common[k] == h[k]) ++k;
            while (k > 0 && k < common.size() && (static_cast<unsigned char>(common[k]) & 0xC0) == 0x80) --k;
            common.resize(k);
        }
        if (!m.value_cols.count(c)) rest.push_back(c);
    }
    std::vector<size_t> missing;
    for (size_t i = 0; i < specs.size(); ++i) {
        if (specs[i].role != "value" || specs[i].optional) continue;
        bool used = false;
        for (const auto& [c, sp] : m.value_cols) used |= sp == &specs[i];
        if (!used) missing.push_back(i);
    }
    if (rest.size() != 1 || missing.size() != 1 || m.value_cols.empty()) return;
    const int col = rest[0];
    const ColumnSpec& spec = specs[missing[0]];
    std::string own = trim(g.cols[col].header.substr(common.size()));
    if (own.empty() || is_digits(own) || u32_length(own) > max_fragment) return;
    for (const auto& sp : specs)
        if (sp.role == "value" && header_match(sp, own) > 0) return;
    auto index_of = [&](const ColumnSpec* sp) { return static_cast<size_t>(sp - specs.data()); };
    for (const auto& [c, sp] : m.value_cols)
        if ((c < col) != (index_of(sp) < missing[0])) return;
    m.value_cols[col] = &spec;
    ++m.matched_specs;
}

static ColumnMap map_value_columns(const GridInfo& g, int begin, int end, const std::vector<ColumnSpec>& specs) {
    auto m = map_columns(g, begin, end, specs);
    map_fragment_by_order(m, g, begin, end, specs, 3);
    return m;
}

// ---------------------------------------------------------------- code rows
// Whether the lexicon names `code` as `name` (normalised) in `year`.
static bool lexicon_names(const Lexicon& lex, const std::string& system, const std::string& code,
                          const std::string& name, int year) {
    const std::string n = norm_label(name);
    if (code.empty() || n.empty()) return false;
    for (const auto* e : lex.lookup(system, code, year))
        if (e->norm == n || norm_label(e->name) == n) return true;
    return false;
}

// A code part (款 or 项) whose cell a lost ruling merged down over several rows
// is printed on one of them only; slot_text gives it to the top row. When the
// lexicon names every row of the span by the codes of another choice (more
// rows than the top-row reading), the part goes to that row: 住房改革支出 22102 /
// 住房公积金 2210201 rather than 2210201 / 22102. Returns (row, col) → part text.
static std::map<std::pair<int, int>, std::string> merged_code_parts(const Table& t, const Schema& s, const GridInfo& g,
                                                                    const ColumnMap& m, const Lexicon* lex, int year) {
    std::map<std::pair<int, int>, std::string> out;
    if (!lex || lex->size(s.code_system) == 0 || m.name_col < 0 || m.code_cols.size() < 2) return out;
    std::set<int> data(g.data_rows.begin(), g.data_rows.end());
    for (int c : m.code_cols) {
        if (c == m.code_cols.front()) continue;  // the 类 part: carried down anyway
        for (const auto& cell : t.cells) {
            if (cell.col != c || cell.row_span < 2 || cell.col_span != 1) continue;
            std::vector<int> rows;
            for (int r = cell.row; r < cell.row + cell.row_span; ++r)
                if (data.count(r)) rows.push_back(r);
            if (rows.size() < 2) continue;
            auto code_of = [&](int r, int owner) {
                std::vector<std::string> parts;
                for (int k : m.code_cols) parts.push_back(k == c ? (r == owner ? cell.text : "") : slot_text(t, r, k));
                return join_code(parts);
            };
            auto named = [&](int owner) {
                int n = 0;
                for (int r : rows) n += lexicon_names(*lex, s.code_system, code_of(r, owner), slot_text(t, r, m.name_col), year);
                return n;
            };
            const int top = named(rows.front());
            int best = rows.front(), best_n = top, ties = 0;
            for (int r : rows) {
                int n = named(r);
                if (n > best_n) { best = r; best_n = n; ties = 0; }
                else if (n == best_n && r != best) ++ties;
            }
            if (best == rows.front() || ties > 0 || best_n < static_cast<int>(rows.size())) continue;
            for (int r : rows) out[{r, c}] = r == best ? cell.text : "";
        }
    }
    return out;
}

static json code_records(Table& t, const Schema& s, const GridInfo& g, int begin, int end, int panel,
                         const Lexicon* lex, int year) {
    json out = json::array();
    auto m = map_value_columns(g, begin, end, s.columns);
    const auto moved = merged_code_parts(t, s, g, m, lex, year);
    std::string last_class;
    for (int r : g.data_rows) {
        std::vector<std::string> parts;
        std::string code_text;
        for (int c : m.code_cols) {
            auto mv = moved.find({r, c});
            std::string v = mv != moved.end() ? mv->second : slot_text(t, r, c);
            parts.push_back(v);
            if (!norm_label(v).empty() && !is_digits(code_part(v))) code_text = v;
        }
        // 款/项 printed without the 类 cell: carry the 类 of the rows above
        if (parts.size() > 1 && norm_label(parts[0]).empty() && !norm_label(parts[1]).empty() && !last_class.empty() &&
            code_part(parts[1]).size() == 2)
            parts[0] = last_class;
        // a 类 cell that lost its first digit to a stain ("08" under 208): the
        // 类 of the rows above, which it ends with
        if (parts.size() > 1 && !last_class.empty() && code_part(parts[0]).size() == 2 &&
            last_class.compare(1, 2, code_part(parts[0])) == 0 && code_part(parts[1]).size() == 2)
            parts[0] = last_class;
        std::string code = join_code(parts);
        if (code.size() == 3) last_class = code;
        std::string name = m.name_col >= 0 ? trim(slot_text(t, r, m.name_col)) : "";
        int name_c = m.name_col;
        if (name.empty() && !code_text.empty()) {
            name = trim(code_text);
            for (int c : m.code_cols)
                if (!norm_label(slot_text(t, r, c)).empty()) { name_c = c; break; }
        }
        json fields = fields_of(t, r, m);
        std::string nl = norm_label(name);
        std::string key;
        for (const auto& fr : s.fixed_rows)
            if (std::find(fr.labels.begin(), fr.labels.end(), strip_ordinal(nl)) != fr.labels.end()) key = fr.key;
        if (code.empty() && key.empty() && (nl == "合计" || nl == "总计")) key = "合计";
        if (code.empty() && key.empty()) {
            // a wrapped name fragment or "无": not a record unless it states numbers
            if (!has_number(fields)) continue;
        }
        json rec;
        rec["code"] = code.empty() ? json(nullptr) : json(code);
        rec["name"] = name;
        if (name_c >= 0) rec["name_cell"] = {r, name_c};
        if (!code.empty()) rec["level"] = level_of(code);
        if (!key.empty()) rec["key"] = key;
        if (panel >= 0) rec["panel"] = panel;
        rec["row"] = r;
        rec["fields"] = fields;
        rec["confidence"] = min_confidence(fields, 1.0);
        out.push_back(rec);
    }
    return out;
}

// ---------------------------------------------------------------- label rows
static const FixedRow* match_fixed(const Schema& s, const std::string& side, const std::string& label,
                                   const std::set<std::string>& seen, int year) {
    const FixedRow* plain = nullptr;
    const FixedRow* after = nullptr;
    const FixedRow* fuzzy = nullptr;
    double fuzzy_sim = 0.0;
    for (const auto& fr : s.fixed_rows) {
        if (!fr.side.empty() && !side.empty() && fr.side != side) continue;
        if (year > 0 && (year < fr.year_from || year > fr.year_to)) continue;
        bool exact = std::find(fr.labels.begin(), fr.labels.end(), label) != fr.labels.end();
        if (exact) {
            if (!fr.after.empty()) {
                if (seen.count(fr.after) && !seen.count(fr.key) && !after) after = &fr;
            } else if (!plain || (seen.count(plain->key) && !seen.count(fr.key))) {
                plain = &fr;
            }
            continue;
        }
        if (!fr.after.empty()) continue;
        for (const auto& l : fr.labels) {
            if (u32_length(l) < 4) continue;
            double sim = similarity(label, l);
            if (sim >= 0.8 && sim > fuzzy_sim) { fuzzy_sim = sim; fuzzy = &fr; }
        }
    }
    if (after && (!plain || seen.count(plain->key))) return after;
    if (plain) return plain;
    return fuzzy;
}

static json label_records(Table& t, const Schema& s, const GridInfo& g, int begin, int end, const std::string& side,
                          const Lexicon* lex, int year) {
    json out = json::array();
    auto m = map_value_columns(g, begin, end, s.columns_of(side));
    std::set<std::string> seen;
    for (int r : g.data_rows) {
        std::string label = m.name_col >= 0 ? trim(slot_text(t, r, m.name_col)) : "";
        json fields = fields_of(t, r, m);
        if (label.empty() && !has_number(fields)) continue;
        json rec;
        rec["name"] = label;
        if (m.name_col >= 0) rec["name_cell"] = {r, m.name_col};
        std::string nl = strip_ordinal(label);
        if (const FixedRow* fr = match_fixed(s, side, nl, seen, year)) {
            rec["key"] = fr->key;
            seen.insert(fr->key);
        } else if (!s.class_lines.empty() && lex) {
            if (auto code = lex->class_code("function", label, s.class_lines == "function_short")) {
                rec["key"] = "class:" + *code;
                rec["code"] = *code;
            }
        }
        if (!rec.contains("key") && !has_number(fields) && nl.empty()) continue;
        rec["row"] = r;
        rec["fields"] = fields;
        rec["confidence"] = min_confidence(fields, 1.0);
        out.push_back(rec);
    }
    return out;
}

// ---------------------------------------------------------------- forms
static json form_records(Table& t, const Schema& s, const GridInfo& g) {
    (void)g;
    json fields = json::object();
    for (int r = 0; r < t.n_rows; ++r)
        for (int c = 0; c < t.n_cols; ++c) {
            std::string v = norm_label(slot_text(t, r, c));
            if (v.empty()) continue;
            for (const auto& f : s.form_fields) {
                if (fields.contains(f.field)) continue;
                if (std::find(f.labels.begin(), f.labels.end(), v) == f.labels.end()) continue;
                for (int k = c + 1; k < t.n_cols; ++k) {
                    const Cell* cell = t.at(r, k);
                    if (cell && cell->col == k && cell->row == r && !trim(cell->text).empty()) {
                        fields[f.field] = field_json(t, r, k);
                        break;
                    }
                    if (cell && cell->col < c + 1) break;
                }
            }
        }
    json out = json::array();
    out.push_back({{"fields", fields}, {"confidence", min_confidence(fields, 1.0)}});
    return out;
}

json build_records(Table& t, const Schema& s, const GridInfo& g, const Lexicon* lex, int year) {
    normalise_numbers(t, g);
    if (t.unit.empty()) {
        for (const auto& line : t.notes)
            if (auto u = detect_unit(line); !u.empty()) t.unit = u;
        if (auto u = detect_unit(t.organisation); !u.empty()) t.unit = u;
        if (auto u = detect_unit(t.title); !u.empty()) t.unit = u;
    }
    if (s.row_key == "form") return form_records(t, s, g);
    if (!s.sides.empty()) {
        json out = json::object();
        auto segs = segments(g);
        size_t n = s.sides.size();
        for (size_t k = 0; k < n; ++k) {
            if (k >= segs.size()) {
                out[s.sides[k]] = json::array();
                continue;
            }
            int b = segs[k].first, e = (k + 1 == n) ? segs.back().second : segs[k].second;
            out[s.sides[k]] = label_records(t, s, g, b, e, s.sides[k], lex, year);
        }
        return out;
    }
    if (s.panels) {
        json out = json::array();
        auto segs = segments(g);
        int k = 0;
        for (auto [b, e] : segs) {
            auto part = code_records(t, s, g, b, e, k++, lex, year);
            for (auto& rec : part) out.push_back(std::move(rec));
        }
        return out;
    }
    if (s.row_key == "code") return code_records(t, s, g, 0, t.n_cols, -1, lex, year);
    if (s.row_key == "single") {
        json out = json::array();
        auto m = map_value_columns(g, 0, t.n_cols, s.columns);
        for (int r : g.data_rows) {
            json fields = fields_of(t, r, m);
            if (!has_number(fields)) continue;
            json rec = {{"row", r}, {"fields", fields}, {"confidence", min_confidence(fields, 1.0)}};
            for (int c = 0; c < t.n_cols; ++c)
                if (g.cols[c].role == "text") { rec["name"] = trim(slot_text(t, r, c)); break; }
            out.push_back(rec);
        }
        return out;
    }
    return label_records(t, s, g, 0, t.n_cols, "", lex, year);
}

}  // namespace fiscan::schema
