#include "validate/stage.hpp"

#include "schema/numbers.hpp"
#include "schema/text.hpp"
#include "validate/candidates.hpp"
#include "validate/equations.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace fiscan {

using nlohmann::json;
using namespace validate;

ValidateOptions load_validate_options(const std::string& models_dir) {
    ValidateOptions o;
    o.settings = load_settings(models_dir);
    o.calibration = load_calibration((std::filesystem::path(models_dir) / "calibration" / "cells.json").string());
    return o;
}

namespace {

// v cut (not rounded) to d decimals, in units of the last one: 89.334 → 8933 at 2
long long cut_units(double v, int d) {
    return std::llround(std::trunc(v * std::pow(10.0, d) + (v < 0 ? -1e-6 : 1e-6)));
}

std::string fmt2(double v) {
    char b[64];
    std::snprintf(b, sizeof b, "%.2f", v);
    return b;
}

Cell* cell_at(Document& doc, const CellRef& r) {
    if (r.table < 0 || r.table >= static_cast<int>(doc.tables.size())) return nullptr;
    return doc.tables[r.table].at(r.row, r.col);
}

std::string text_of(const Document& doc, const Table& t) {
    (void)doc;
    return t.numbering.empty() ? t.title : t.numbering;
}

struct Context {
    Document& doc;
    const SchemaSet& schemas;
    const ValidateOptions& opt;
    const ValidateSettings& st;
    std::vector<Equation> eqs;
    std::map<CellRef, std::vector<int>> cell_eqs;
    std::map<int, json> ambiguous;          // equation → candidates that fit (correction not unique)
    std::map<CellRef, json> undetermined;   // unknown cell → why it was not recovered
    int corrected = 0, recovered = 0, recovered_text = 0, unrecoverable = 0;
    // identity#table whose informative equations mostly fail (columns mis-mapped)
    std::set<std::string> contradicted{};
    std::map<std::string, std::pair<int, int>> contradiction_counts{};  // key → (holding, failing)
    // cells merged over the slot of another field (a ruling lost under damage):
    // a value recovered there would stand for both slots
    std::set<CellRef> merged_over_field{};

    // Trust is judged per identity and table; for a hierarchy per block (the
    // parent code): summing down a column, it cannot fail from columns being
    // mis-mapped, only from a misread line of its block — which says nothing
    // about the other blocks.
    static std::string trust_key(const Equation& e) {
        std::string k = e.identity + "#" + std::to_string(e.lhs.empty() ? -1 : e.lhs[0].cell.table);
        if (e.kind == "hierarchy") k += "#" + e.label.substr(0, e.label.find('/'));
        return k;
    }

    bool usable(size_t i) const {
        const Equation& e = eqs[i];
        return !e.incomplete() && !contradicted.count(trust_key(e));
    }

    // An equation is informative when at least `min_nonzero` of its cells state a
    // non-zero number: then it cannot hold by accident of two columns being
    // swapped (a = b + 0 holds either way). An identity of a table whose
    // informative equations fail (beyond rounding) at least `min_failing` times
    // and more often than they hold has its columns mis-mapped, or its table is
    // not what the schema says: it neither corrects nor recovers there.
    void find_contradicted() {
        contradicted.clear();
        contradiction_counts.clear();
        // every evaluable equation, informative or not: a failure is a failure
        // whatever its zeros, and an identity that fails on most lines of a
        // table and holds on none (a = b + 0 with b mis-mapped to a column of
        // zeros fails on every line with a non-zero a) is not what its columns say
        std::map<std::string, std::pair<int, int>> all_counts;
        for (const auto& e : eqs) {
            if (e.incomplete()) continue;
            auto ev = evaluate(doc, e, st);
            if (!ev.evaluable) continue;
            auto& [hold_all, fail_all] = all_counts[trust_key(e)];
            if (ev.holds) ++hold_all;
            else if (!ev.rounding) ++fail_all;
            int nonzero = 0;
            for (const auto& c : e.cells()) {
                auto v = cell_value(doc, c, st);
                if (v.state == State::Value && std::abs(v.value) > st.exact_epsilon) ++nonzero;
            }
            if (nonzero < st.trust_min_nonzero) continue;
            auto& [hold, fail] = contradiction_counts[trust_key(e)];
            if (ev.holds) ++hold;
            else if (!ev.rounding) ++fail;
        }
        for (const auto& [k, hf] : contradiction_counts)
            if (hf.second >= st.trust_min_failing && hf.second > hf.first) {
                contradicted.insert(k);
                spdlog::debug("validate: {} contradicted ({} informative equations hold, {} fail)", k, hf.first, hf.second);
            }
        for (const auto& [k, hf] : all_counts)
            if (hf.second >= st.trust_min_failing && hf.second > hf.first && !contradicted.count(k)) {
                contradicted.insert(k);
                spdlog::debug("validate: {} contradicted ({} equations hold, {} fail)", k, hf.first, hf.second);
            }
    }

    // A cell spanning several slots of the body where one of the others is
    // not blank by its column (blank_column_slot): a ruling was lost (under a
    // blot, or misread) and the cell stands for several amounts.
    bool merged_over_values(const CellRef& ref) const {
        const Table& t = doc.tables[ref.table];
        const Cell* c = t.at(ref.row, ref.col);
        if (!c || (c->row_span <= 1 && c->col_span <= 1) || c->row < t.header_rows) return false;
        for (int r = c->row; r < c->row + c->row_span; ++r)
            for (int k = c->col; k < c->col + c->col_span; ++k)
                if ((r != c->row || k != c->col) && !blank_column_slot(doc, {ref.table, r, k})) return true;
        return false;
    }

    void find_merged_over_fields() {
        merged_over_field.clear();
        for (size_t ti = 0; ti < doc.tables.size(); ++ti) {
            const Table& t = doc.tables[ti];
            auto visit = [&](const json& recs) {
                if (!recs.is_array()) return;
                for (const auto& rec : recs) {
                    if (!rec.contains("fields") || !rec["fields"].is_object()) continue;
                    for (const auto& [f, v] : rec["fields"].items()) {
                        if (!v.is_object() || !v.contains("cell") || !v["cell"].is_array() || v["cell"].size() != 2) continue;
                        int r = v["cell"][0].get<int>(), c = v["cell"][1].get<int>();
                        const Cell* a = t.at(r, c);
                        if (a && (a->row != r || a->col != c) && !blank_column_slot(doc, {static_cast<int>(ti), r, c}))
                            merged_over_field.insert({static_cast<int>(ti), a->row, a->col});
                    }
                }
            };
            if (t.records.is_object())
                for (const auto& [side, arr] : t.records.items()) visit(arr);
            else
                visit(t.records);
        }
    }

    // hierarchy equations of one block (the same parent, every column)
    std::map<std::string, std::vector<int>> block_eqs{};
    // cells whose recovered value an identity refuted (check_recovered): never recovered again
    std::map<CellRef, std::string> refuted{};

    void index() {
        cell_eqs.clear();
        block_eqs.clear();
        for (size_t i = 0; i < eqs.size(); ++i)
            if (eqs[i].kind == "hierarchy") block_eqs[trust_key(eqs[i])].push_back(static_cast<int>(i));
        for (size_t i = 0; i < eqs.size(); ++i)
            for (const auto& c : eqs[i].cells()) {
                auto& v = cell_eqs[c];
                if (v.empty() || v.back() != static_cast<int>(i)) v.push_back(static_cast<int>(i));
            }
    }

    const std::vector<int>& eqs_of(const CellRef& c) const {
        static const std::vector<int> none;
        auto it = cell_eqs.find(c);
        return it == cell_eqs.end() ? none : it->second;
    }

    // the confidence the recogniser gave a cell, kept the first time this stage
    // sets another (scripts/undo-validation puts it back, so that the stage can
    // be re-run on an output as it was run in the pipeline)
    static void keep_read_confidence(Cell& c) {
        if (!c.provenance.contains("read_confidence")) c.provenance["read_confidence"] = std::round(c.confidence * 1e4) / 1e4;
    }

    // ---------------------------------------------------------- correction
    // a reading of at most speck_max_digits digits beside an obscured cell:
    // the stain's edge or a ruling's stub may be all it is ("1" at 0.97)
    bool stain_speck(const CellRef& r, const Cell& c) const {
        if (!c.value || c.source != Source::Ocr) return false;
        int digits = 0;
        for (char ch : c.text) digits += ch >= '0' && ch <= '9';
        return digits <= st.speck_max_digits && doc.tables[r.table].beside_obscured(c);
    }

    // two engines read the same number, each at least agree_min_confidence:
    // independent evidence that one identity (which another misread may break)
    // does not overrule (poor scan: 3832.36 read alike by both at 0.88/0.89,
    // "corrected" to 3832.35 by a row sum another misread broke)
    bool engines_agree(const Cell& c) const {
        if (st.agree_min_confidence <= 0.0) return false;
        std::vector<std::pair<std::string, double>> nums;
        for (const auto& rd : c.readings) {
            if (rd.confidence < st.agree_min_confidence) continue;
            auto p = schema::parse_number(rd.text);
            if (!p.numeric || !p.value) continue;
            const std::string engine = rd.engine.substr(0, rd.engine.find('-'));
            for (const auto& [e, v] : nums)
                if (e != engine && std::abs(v - *p.value) < 0.004) return true;
            nums.push_back({engine, *p.value});
        }
        return false;
    }

    // an amount beside an obscured cell: the blot's rim, or the stain
    // around it, may have faded its leading digits, and the engines read the
    // rest surely ("867, 680. 00" at 0.96 for 1,867,680.00 above a blotted
    // 合计, damaged gov-office-unit-2025 s2)
    bool blot_rim(const CellRef& r, const Cell& c) const {
        return c.value && c.source == Source::Ocr && doc.tables[r.table].beside_obscured(c);
    }

    // digits of a number's text, in order ("1,097.4" → "10974")
    static std::string digits_of(const std::string& s) {
        std::string d;
        for (char ch : s)
            if (ch >= '0' && ch <= '9') d.push_back(ch);
        return d;
    }

    // An OCR amount of at least tail_min_digits digits printed with fewer
    // decimals than its column prints: the reading lost its tail ("1,097"
    // for 1,097,073.43 under a tear, read at 0.96). However sure the engine
    // (two engines see the same torn page), it is a suspect.
    bool tail_lost(const CellRef& r, const Cell& c) const {
        if (st.tail_min_digits <= 0 || !c.value || c.source != Source::Ocr || *c.value <= 0) return false;
        const auto p = schema::parse_number(c.text);
        return p.numeric && static_cast<int>(digits_of(c.text).size()) >= st.tail_min_digits &&
               p.decimals < column_decimals(doc.tables[r.table], r.col);
    }

    bool suspect(const CellRef& r, const Cell& c) const {
        return c.source == Source::Ocr && !c.obscured && c.value.has_value() && !c.provenance.contains("corrected_by") &&
               (((c.confidence < st.correct_below || stain_speck(r, c) || blot_rim(r, c)) && !engines_agree(c)) ||
                tail_lost(r, c));
    }

    // The amount identity `e` needs at cell `r`, every other term of it sure:
    // a text-layer or corrected/recovered amount, a blank, or an OCR amount
    // read at correct_below or more with its column's decimals and no engine
    // reading another. nullopt when another term is unknown or unsure, the
    // cell occurs twice, or one sum of many rounded amounts (rounded_max_terms)
    // pins it only to a rounding cent.
    std::optional<double> needed_by(const Equation& e, const CellRef& r) const {
        if (e.op != "=" || e.incomplete()) return std::nullopt;
        double coef = 0, rest = 0;
        int occurrences = 0, nonzero = 0;
        for (int side = 0; side < 2; ++side)
            for (const auto& t : side == 0 ? e.lhs : e.rhs) {
                const double sgn = side == 0 ? 1.0 : -1.0;
                if (t.cell == r) {
                    coef += sgn * t.sign;
                    ++occurrences;
                    continue;
                }
                const auto v = cell_value(doc, t.cell, st);
                if (v.state == State::Unknown) return std::nullopt;
                if (v.state == State::Value) {
                    const Cell* o = cell_at(doc, t.cell);
                    if (o && o->source == Source::Ocr && !o->provenance.contains("corrected_by")) {
                        const int want = column_decimals(doc.tables[t.cell.table], t.cell.col);
                        if (term_confidence(*o) < st.correct_below || engines_disagree(*o, want) ||
                            schema::parse_number(o->text).decimals != want)
                            return std::nullopt;
                    }
                    nonzero += std::abs(v.value) > st.exact_epsilon;
                }
                rest += sgn * t.sign * v.value;
            }
        if (occurrences != 1 || std::abs(coef) < 1e-9) return std::nullopt;
        const std::string& unit = e.unit.empty() ? document_unit : e.unit;
        if (std::find(st.recovery_rounded_units.begin(), st.recovery_rounded_units.end(), unit) !=
                st.recovery_rounded_units.end() &&
            nonzero > st.recovery_rounded_max_terms)
            return std::nullopt;
        return std::round(-rest / coef * 100.0) / 100.0;
    }

    // The amount `e` needs at a cell one of whose readings lost its tail
    // (fewer decimals than the column prints, at least tail_min_digits
    // digits: PP-OCR's "91,016,775.3" where a blot covers the last digit)
    // when that amount begins with every digit the reading states: the tail
    // is what the page prints past the reading's end.
    std::optional<Candidate> tail_candidate(const Equation& e, const CellRef& r, const Cell& c) const {
        if (st.tail_min_digits <= 0) return std::nullopt;
        const int want = column_decimals(doc.tables[r.table], r.col);
        if (want <= 0) return std::nullopt;
        std::vector<std::string> read{c.text};
        for (const auto& rd : c.readings) read.push_back(rd.text);
        std::optional<double> need;
        bool solved = false;
        for (const auto& text : read) {
            const auto p = reading_number(text);
            if (!p.numeric || !p.value || *p.value <= 0 || p.decimals >= want) continue;
            const std::string have = digits_of(p.normalised);
            if (static_cast<int>(have.size()) < st.tail_min_digits) continue;
            if (!solved) {
                need = needed_by(e, r);
                solved = true;
            }
            if (!need || *need <= 0) return std::nullopt;
            char b[64];
            std::snprintf(b, sizeof b, "%.*f", want, *need);
            const std::string full = digits_of(b);
            if (full.size() > have.size() && full.compare(0, have.size(), have) == 0 &&
                std::abs(*need - *c.value) > st.exact_epsilon)
                return Candidate{format_value(doc.tables[r.table], r.col, *need), *need, "tail"};
        }
        return std::nullopt;
    }

    // a candidate that puts one digit before the reading's first: what a
    // blot's rim hides of a right-aligned amount
    static bool leading_digit(const Candidate& cand, const Cell& c) {
        const std::string a = digits_of(cand.text), b = digits_of(c.text);
        return cand.how == "dropped" && a.size() == b.size() + 1 && a.compare(1, std::string::npos, b) == 0;
    }

    struct Fit {
        CellRef cell;
        Candidate cand;
        int holding = 0;
        std::vector<std::string> ids;
        int considered = 0;
    };

    bool correct_pass() {
        bool changed = false;
        std::set<CellRef> done;
        for (size_t i = 0; i < eqs.size(); ++i) {
            if (!usable(i)) continue;  // an incomplete or contradicted sum decides nothing
            auto ev = evaluate(doc, eqs[i], st);
            if (!ev.evaluable || ev.holds || ev.missing) continue;
            std::vector<Fit> fits;
            for (const auto& ref : eqs[i].cells()) {
                if (done.count(ref)) continue;
                Cell* c = cell_at(doc, ref);
                if (!c || !suspect(ref, *c)) continue;
                done.insert(ref);
                const auto& mine = eqs_of(ref);
                std::vector<Evaluation> before;
                for (int j : mine) before.push_back(evaluate(doc, eqs[j], st));
                auto cands = candidates(*c, st, stain_speck(ref, *c));
                if (auto tail = tail_candidate(eqs[i], ref, *c);
                    tail && std::none_of(cands.begin(), cands.end(), [&](const Candidate& k) {
                        return std::abs(k.value - tail->value) <= st.exact_epsilon;
                    }))
                    cands.insert(cands.begin(), *tail);
                // a sure reading is suspect only of the leading digit a blot's
                // rim hid (a "dropped" candidate: two identities must hold) or
                // of the tail it lost
                if (c->confidence >= st.correct_below && !stain_speck(ref, *c))
                    cands.erase(std::remove_if(cands.begin(), cands.end(),
                                               [&](const Candidate& k) { return k.how != "tail" && !leading_digit(k, *c); }),
                                cands.end());
                auto saved = c->value;
                // a minus sign is not a misread where the column prints
                // another negative amount: the page may mean it
                bool other_negative = false;
                for (const auto& o : doc.tables[ref.table].cells)
                    if (o.col == ref.col && o.row != ref.row && o.value && *o.value < 0 && o.source != Source::Recovered)
                        other_negative = true;
                for (const auto& cand : cands) {
                    if (cand.how == "sign" && other_negative) continue;
                    c->value = cand.value;
                    bool ok = true, target = false;
                    int exact = 0, evaluable = 0;
                    std::vector<std::string> ids;
                    for (size_t k = 0; k < mine.size() && ok; ++k) {
                        if (!usable(static_cast<size_t>(mine[k]))) continue;
                        auto after = evaluate(doc, eqs[mine[k]], st);
                        if (!after.evaluable) continue;
                        ++evaluable;
                        if (after.holds) {
                            ++exact;
                            ids.push_back(eqs[mine[k]].identity);
                            if (mine[k] == static_cast<int>(i)) target = true;
                        } else if (before[k].holds || !after.rounding) {
                            ok = false;  // breaks an identity that held, or leaves a hard failure
                        }
                    }
                    c->value = saved;
                    auto need = st.min_identities.find(cand.how);
                    int min_ids = need == st.min_identities.end() ? 1 : need->second;
                    if (!ok || !target || exact < min_ids) continue;
                    std::sort(ids.begin(), ids.end());
                    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
                    fits.push_back({ref, cand, exact, ids, static_cast<int>(cands.size())});
                }
            }
            if (fits.size() == 1) {
                const Fit& f = fits[0];
                Cell* c = cell_at(doc, f.cell);
                std::string from = c->text;
                if (c->raw_text.empty() || c->raw_text == c->text) c->raw_text = c->text;
                c->provenance["corrected_by"] = f.ids;
                c->provenance["from"] = from;
                c->provenance["candidates"] = f.considered;
                c->provenance["how"] = f.cand.how;
                c->text = f.cand.text;
                // a digit put into a grouped amount regroups it ("1867,680.00")
                if (f.cand.text.find(',') != std::string::npos)
                    c->text = format_value(doc.tables[f.cell.table], f.cell.col, f.cand.value);
                c->value = f.cand.value;
                keep_read_confidence(*c);
                c->confidence = std::max(c->confidence, st.corrected.of(f.holding));
                if (f.cand.value == 0.0 && zero_is_blank(doc.tables[f.cell.table], f.cell.col)) {
                    // a speck read as a digit where the column leaves zero blank
                    c->text.clear();
                    c->value.reset();
                    c->source = Source::Empty;
                    c->provenance["blank"] = true;
                }
                ++corrected;
                changed = true;
                spdlog::debug("validate: corrected table {} ({},{}) {} → {} by {}", f.cell.table, f.cell.row,
                              f.cell.col, from, f.cand.text, f.ids.front());
            } else if (fits.size() > 1) {
                json a = json::array();
                for (const auto& f : fits)
                    a.push_back({{"table", f.cell.table}, {"cell", {f.cell.row, f.cell.col}}, {"text", f.cand.text}});
                ambiguous[static_cast<int>(i)] = a;
            }
        }
        return changed;
    }

    // ---------------------------------------------------------- recovery
    // A block still open at the table's last line whose total exceeds the
    // lines seen (no negative amount among them): its other lines may be on a
    // page not at hand. Its failure is no sign of a misread.
    bool open_block_short(const Equation& e, const Evaluation& ev) const {
        if (!e.open_end || e.kind != "hierarchy" || e.op != "=" || ev.found <= ev.expected) return false;
        for (const auto& t : e.rhs) {
            auto v = cell_value(doc, t.cell, st);
            if (t.sign < 0 || v.value < 0) return false;
        }
        return true;
    }

    // The number an engine's reading states, stain marks at its ends set
    // aside (Tesseract's ")。24, 606, 775. 35" states 24,606,775.35), as the
    // schema stage reads a cell's chosen text
    static schema::ParsedNumber reading_number(const std::string& text) {
        auto p = schema::parse_number(text);
        if (p.numeric) return p;
        auto q = schema::parse_number(schema::strip_speck_marks(text));
        return q.numeric && !q.percent ? q : p;
    }

    // The confidence an OCR amount carries as a term: its own, or that of
    // another reading of the cell that states the same amount (PP-OCR's
    // "3861,459.00" at 0.99 behind Tesseract's "3,861,459.00" at 0.0, ranked
    // first for its grouping; Tesseract's ")。24, 606, 775. 35" at 0.73 behind
    // the same engine's "24,606,775.35" at 0.0, damaged gov-office-2025):
    // two readings of one amount vouch for it.
    double term_confidence(const Cell& c) const {
        double best = c.confidence;
        if (!c.value) return best;
        for (const auto& r : c.readings) {
            if (r.confidence <= best) continue;
            auto p = reading_number(r.text);
            if (p.numeric && p.value && std::abs(*p.value - *c.value) <= st.exact_epsilon) best = r.confidence;
        }
        return best;
    }

    // An OCR amount two of whose engines each read a number, and different
    // ones (a misread that the chosen reading may carry)
    // `decimals`: what the cell's column prints. Two readings are compared to
    // the column's decimals and to the shorter one's: a reading with more
    // decimals than the column carries a speck after its last digit
    // (Tesseract's "89.334" beside PP-OCR's "89.33", damaged
    // gen-budget-std-s1-0003), one with fewer lost its tail (Tesseract's "7.2"
    // beside PP-OCR's "7.21"): neither states another amount.
    bool engines_disagree(const Cell& c, int decimals) const {
        std::vector<std::pair<double, int>> read;  // value, decimals
        for (const auto& r : c.readings) {
            // a reading the engine itself gives (almost) no credit is no evidence
            // (Tesseract's "1193598.06" at 0.0 beside PP-OCR's 1193598.0 at 0.96)
            if (r.confidence < st.recovery_min_term_confidence) continue;
            auto p = reading_number(r.text);
            if (!p.numeric || !p.value) continue;
            read.emplace_back(*p.value, p.decimals);
        }
        for (size_t j = 1; j < read.size(); ++j) {
            const auto& [a, da] = read[0];
            const auto& [b, db] = read[j];
            if (decimals <= 0) {
                if (std::abs(a - b) > 0.004) return true;
                continue;
            }
            const int d = std::min({decimals, da, db});
            if (cut_units(a, d) != cut_units(b, d)) return true;
        }
        return false;
    }

    // The decimals most amounts of the column print (of the table's other
    // amounts when the column prints none: a one-row 合计 band continued from
    // the page before, its one amount in the column under a blot); 2 when
    // the table prints none.
    int column_decimals(const Table& t, int col) const {
        std::map<int, int> count;
        for (int pass = 0; pass < 2 && count.empty(); ++pass)
            for (const auto& c : t.cells) {
                if ((pass == 0 ? c.col != col : c.row < t.header_rows) || !c.value || c.source == Source::Recovered)
                    continue;
                auto p = schema::parse_number(c.text);
                if (p.numeric) count[p.decimals]++;
            }
        int best = 2, n = 0;
        for (auto [d, k] : count)
            if (k > n) { best = d; n = k; }
        return best;
    }

    // the column groups thousands with commas (1,075,000); a column that
    // prints no amount of four digits as the table's others do
    bool column_groups_thousands(const Table& t, int col) const {
        int with = 0, without = 0;
        for (int pass = 0; pass < 2 && with + without == 0; ++pass)
            for (const auto& c : t.cells) {
                if ((pass == 0 ? c.col != col : c.row < t.header_rows) || !c.value || std::abs(*c.value) < 1000 ||
                    c.source == Source::Recovered)
                    continue;
                if (!schema::parse_number(c.text).numeric) continue;
                (c.text.find(',') != std::string::npos ? with : without)++;
            }
        return with > without;
    }

    std::string format_value(const Table& t, int col, double v) const {
        // amounts print at most two decimals (more is two cells' texts run
        // together where a ruling was lost: 4.8930227)
        int d = std::min(column_decimals(t, col), 2);
        // a column of whole amounts: a recovered 2.13 is still printed 2.13, not 2
        if (std::abs(std::round(v * std::pow(10.0, d)) / std::pow(10.0, d) - v) > 0.004) d = 2;
        char b[64];
        std::snprintf(b, sizeof b, "%.*f", d, v);
        std::string s = b;
        if (!column_groups_thousands(t, col)) return s;
        size_t end = s.find('.');
        if (end == std::string::npos) end = s.size();
        size_t begin = (!s.empty() && s[0] == '-') ? 1 : 0;
        std::string out = s.substr(0, begin);
        for (size_t k = begin; k < end; ++k) {
            if (k > begin && (end - k) % 3 == 0) out.push_back(',');
            out.push_back(s[k]);
        }
        return out + s.substr(end);
    }

    bool column_has_negative(const Table& t, int col) const {
        for (const auto& c : t.cells)
            if (c.col == col && c.value && *c.value < 0 && c.source != Source::Recovered) return true;
        return false;
    }

    // zero amounts of this column are printed blank rather than 0.00
    bool zero_is_blank(const Table& t, int col) const {
        int zeros = 0, blanks = 0;
        for (const auto& c : t.cells) {
            if (c.col != col || c.row < t.header_rows || c.obscured) continue;
            if (c.source == Source::Recovered || c.provenance.contains("recovered_by")) continue;
            auto p = schema::parse_number(c.text);
            if (p.numeric && p.value && *p.value == 0.0) ++zeros;
            else if (p.blank || p.dash) ++blanks;
        }
        return zeros == 0 || blanks > zeros;
    }

    // the unit every table of the document that states one states ("" when
    // none does, they differ, or the setting is off)
    std::string document_unit = [this] {
        std::set<std::string> units;
        for (const auto& t : doc.tables)
            if (!t.unit.empty()) units.insert(t.unit);
        return st.recovery_unit_from_document && units.size() == 1 ? *units.begin() : std::string();
    }();

    bool recover_pass() {
        bool changed = false;
        // cells of an identity that fails beyond rounding: one of them is
        // misread (or the page is inconsistent), none vouches for another cell
        std::set<CellRef> in_failing;
        std::map<std::pair<int, int>, int> col_decimals;
        auto decimals_of = [&](const CellRef& r) {
            auto [it, fresh] = col_decimals.try_emplace({r.table, r.col}, 0);
            if (fresh) it->second = column_decimals(doc.tables[r.table], r.col);
            return it->second;
        };
        // hierarchy blocks that this page satisfies only to rounding in some
        // column: a value they determine is exact only to that drift
        std::set<std::string> drifting;
        for (size_t i = 0; i < eqs.size(); ++i) {
            if (eqs[i].incomplete()) continue;
            auto ev = evaluate(doc, eqs[i], st);
            if (ev.evaluable && !ev.holds && !ev.rounding && !(st.recovery_open_block_short && open_block_short(eqs[i], ev))) {
                // one unsure reading among sure ones is what the failure is
                // blamed on (a 合计 read 235632 at 0.43 for 23563342): the sure
                // cells still vouch for other identities
                std::vector<CellRef> unsure;
                for (const auto& c : eqs[i].cells())
                    if (const Cell* cc = cell_at(doc, c);
                        cc && cc->source == Source::Ocr && (cc->confidence < st.correct_below || engines_disagree(*cc, decimals_of(c))))
                        unsure.push_back(c);
                // (an identity that fails on most lines is mis-mapped, not misread:
                // every cell of it stays in doubt)
                // Otherwise every cell is in doubt — but for one two engines
                // read alike (engines_agree), among unsure readings the failure
                // can be blamed on: independent agreement outweighs a failure
                // others explain (damaged dept-budget-2026 s2: 30226's 40000.00,
                // read alike at 0.98 and 0.67, in a torn 302 block whose
                // 公用经费 column holds "2" at 0.10 and "1" at 0.44).
                if (unsure.size() == 1 && usable(i)) in_failing.insert(unsure[0]);
                else
                    for (const auto& c : eqs[i].cells()) {
                        const Cell* cc = cell_at(doc, c);
                        if (!unsure.empty() && usable(i) && cc && cc->source == Source::Ocr && engines_agree(*cc))
                            continue;
                        in_failing.insert(c);
                    }
            }
            if (ev.evaluable && !ev.holds && ev.rounding && eqs[i].kind == "hierarchy") drifting.insert(trust_key(eqs[i]));
        }
        for (auto& [ref, ids] : cell_eqs) {
            Cell* c = cell_at(doc, ref);
            if (!c || !is_unknown_at(doc, ref, st)) continue;
            if (merged_over_field.count(ref) || merged_over_values(ref)) {
                undetermined[ref] = {{"reason", "merged over the cell of another field"}};
                continue;
            }
            if (auto rf = refuted.find(ref); rf != refuted.end()) {
                undetermined[ref] = {{"reason", rf->second}};
                continue;
            }
            // cut: terms read with a speck digit after the column's last one,
            // taken at their cut amount (corrected with the recovery they make)
            struct Det {
                double v; std::string kind, id; size_t terms; std::string unit; int nonzero;
                std::vector<std::pair<CellRef, double>> cut;
            };
            std::vector<Det> dets;
            std::string refused;  // why an identity that would determine the cell was not used
            for (int j : ids) {
                const Equation& e = eqs[j];
                if (e.op != "=" || !usable(static_cast<size_t>(j)) || drifting.count(trust_key(e))) {
                    spdlog::debug("validate: ({},{},{}) {} {}: {}", ref.table, ref.row, ref.col, e.identity, e.label,
                                  e.op != "=" ? "not an equality" : drifting.count(trust_key(e)) ? "drifts" : "not usable");
                    continue;
                }
                if (e.kind == "hierarchy") {
                    // A block sums the same lines in every column: where it fails
                    // in another column (beyond rounding), a line of it is not what
                    // the codes say (a code given to the wrong row, a misread) and
                    // it determines nothing. A block still open at the table's last
                    // line determines only when another column shows it complete
                    // (holds there with a non-zero total).
                    bool fails = false, confirmed = false;
                    for (int k : block_eqs[trust_key(e)]) {
                        if (k == j || eqs[k].incomplete()) continue;
                        auto ev = evaluate(doc, eqs[k], st);
                        if (!ev.evaluable) continue;
                        if (!ev.holds && !ev.rounding && !explained_failure(eqs[k], ev)) fails = true;
                        if (ev.holds && std::abs(ev.found) > st.exact_epsilon) confirmed = true;
                    }
                    if (fails) {
                        refused = "its block fails in another column";
                        continue;
                    }
                    if (e.open_end && !confirmed) {
                        refused = "the table may go on past its last line";
                        continue;
                    }
                }
                double coef = 0, rest = 0;
                std::vector<std::pair<CellRef, double>> cut;
                std::string unsure;  // the first other term that stops it (debug log)
                bool other_unknown = false, other_value = false, lhs_other_blank = true, in_lhs = false;
                int occurrences = 0;
                for (int side = 0; side < 2; ++side) {
                    const auto& terms = side == 0 ? e.lhs : e.rhs;
                    double sgn = side == 0 ? 1.0 : -1.0;
                    for (const auto& t : terms) {
                        if (t.cell == ref) {
                            coef += sgn * t.sign;
                            ++occurrences;
                            if (side == 0) in_lhs = true;
                            continue;
                        }
                        auto v = cell_value(doc, t.cell, st);
                        const bool was_unknown = other_unknown;
                        if (v.state == State::Unknown) other_unknown = true;
                        if (v.state == State::Value) other_value = true;
                        // an amount read at almost no confidence (a speck or a
                        // stain's edge read as "2") cannot vouch for another one
                        if (v.state == State::Value) {
                            const Cell* o = cell_at(doc, t.cell);
                            if (o && o->source == Source::Ocr && term_confidence(*o) < st.recovery_min_term_confidence)
                                other_unknown = true;
                            // two engines read different amounts there: which one
                            // is on the page is not known
                            // (unless identities corrected it: they decided between them)
                            if (o && o->source == Source::Ocr && !o->provenance.contains("corrected_by") &&
                                engines_disagree(*o, decimals_of(t.cell)))
                                other_unknown = true;
                            // an amount read without the decimals its column prints
                            // ("4,213" among x.xx amounts: the reading lost its tail), or
                            // with more than two (4.8930227: two cells run together) is
                            // not what the page prints there
                            if (o && o->source == Source::Ocr) {
                                int dec = schema::parse_number(o->text).decimals;
                                const int want = decimals_of(t.cell);
                                if (want >= 1 && dec == want + 1) {
                                    // one digit after the last one its column prints: a
                                    // speck (the cell's right ruling, a stain's grain) read
                                    // as a digit ("1,572,307.004" among x.xx amounts, the
                                    // other engine's "1,572,0.00" no number): the amount is
                                    // the reading cut to the column's decimals
                                    v.value = static_cast<double>(cut_units(v.value, want)) / std::pow(10.0, want);
                                    dec = want;
                                    cut.emplace_back(t.cell, v.value);
                                }
                                if (dec > 2 || (dec == 0 && want > 0)) other_unknown = true;
                                // fewer decimals than the column prints: a digit was lost
                                // somewhere — read at less than collapsed_below ("13000.0"
                                // at 0.39 for 130000.00), or stating a non-zero amount at
                                // any confidence (a crop that cut the last digit: "66.1" at
                                // 0.99 for 66.11) unless identities corrected it to that amount
                                // ("1193598.0" for Tesseract's 1193598.06). "0.0" at 0.73 is 0.00.
                                if (dec < want &&
                                    (o->confidence < st.collapsed_below ||
                                     (std::abs(v.value) > st.exact_epsilon && !o->provenance.contains("corrected_by") &&
                                      !confirmed_exactly(t.cell))))
                                    other_unknown = true;
                            }
                            if (in_failing.count(t.cell)) other_unknown = true;
                        }
                        if (other_unknown && !was_unknown)
                            unsure = std::to_string(t.cell.table) + ":" + std::to_string(t.cell.row) + "," + std::to_string(t.cell.col);
                        if (side == 0 && v.state != State::Blank) lhs_other_blank = false;
                        rest += sgn * t.sign * v.value;
                    }
                }
                if (other_unknown || occurrences != 1 || std::abs(coef) < 1e-9 || !other_value) {
                    spdlog::debug("validate: ({},{},{}) {} {}: {}", ref.table, ref.row, ref.col, e.identity, e.label,
                                  other_unknown ? "another term unknown or unsure: " + unsure : !other_value ? "no other amount" : "occurs twice");
                    continue;
                }
                // a blank total does not determine its items: blank is "missing"
                if (!in_lhs && lhs_other_blank) continue;
                int nonzero = 0;  // other cells stating a non-zero amount: each may carry a rounding cent
                for (const auto& c : e.cells())
                    if (!(c == ref)) {
                        auto v = cell_value(doc, c, st);
                        nonzero += v.state == State::Value && std::abs(v.value) > st.exact_epsilon;
                    }
                dets.push_back({-rest / coef, e.kind, e.identity, e.lhs.size() + e.rhs.size(), e.unit, nonzero, cut});
            }
            if (dets.empty()) {
                if (!refused.empty()) undetermined[ref] = {{"reason", refused}};
                continue;
            }
            // a duplicate table states the value itself: it decides when present
            std::vector<Det> use;
            for (const auto& d : dets)
                if (d.kind == "duplicate") use.push_back(d);
            if (use.empty()) use = dets;
            double lo = use[0].v, hi = use[0].v;
            for (const auto& d : use) { lo = std::min(lo, d.v); hi = std::max(hi, d.v); }
            if (hi - lo > st.exact_epsilon) {
                json cands = json::array();
                for (const auto& d : use) cands.push_back({{"value", std::round(d.v * 100) / 100}, {"identity", d.id}});
                undetermined[ref] = {{"reason", "identities disagree"}, {"candidates", cands}};
                continue;
            }
            // Amounts in 万元 / 千元 are rounded from 元: a printed total may
            // differ from the sum of many printed items by a cent or more (the
            // seeds' 301/302 blocks do), so one long sum pins a hidden item only
            // to that drift. It then takes a duplicate table, or two identities
            // that agree; a short one (≤ rounded_max_terms other amounts) will do.
            {
                bool dup = false, rounded = false;
                int fewest = 1 << 30;
                for (const auto& d : use) {
                    dup |= d.kind == "duplicate";
                    const std::string& unit = d.unit.empty() ? document_unit : d.unit;
                    rounded |= std::find(st.recovery_rounded_units.begin(), st.recovery_rounded_units.end(), unit) !=
                               st.recovery_rounded_units.end();
                    fewest = std::min(fewest, d.nonzero);
                }
                if (rounded && !dup && use.size() < 2 && fewest > st.recovery_rounded_max_terms) {
                    json cands = json::array();
                    for (const auto& d : use)
                        cands.push_back({{"value", std::round(d.v * 100) / 100}, {"identity", d.id}, {"other_amounts", d.nonzero}});
                    undetermined[ref] = {{"reason", "one identity in a rounded unit"}, {"candidates", cands}};
                    continue;
                }
            }
            double v = std::round(use[0].v * 100.0) / 100.0;
            if (std::abs(v) < 0.005) v = 0.0;
            const Table& t = doc.tables[ref.table];
            if (v < 0 && !column_has_negative(t, ref.col)) {
                // an amount column that prints no negative amount: some other
                // term is misread
                json cands = json::array();
                for (const auto& d : use) cands.push_back({{"value", v}, {"identity", d.id}});
                undetermined[ref] = {{"reason", "identities give a negative amount"}, {"candidates", cands}};
                continue;
            }
            before_recovery.emplace(ref, *c);
            std::string from = c->text;
            if (c->raw_text.empty()) c->raw_text = c->text;
            std::vector<std::string> idl;
            for (const auto& d : use) idl.push_back(d.id);
            std::sort(idl.begin(), idl.end());
            idl.erase(std::unique(idl.begin(), idl.end()), idl.end());
            c->kind = CellKind::Numeric;
            keep_read_confidence(*c);
            c->confidence = st.recovered.of(static_cast<int>(use.size()));
            if (v == 0.0 && zero_is_blank(t, ref.col)) {
                // the column leaves zero amounts blank: nothing was printed here
                c->text.clear();
                c->value.reset();
                c->source = c->obscured ? Source::Recovered : Source::Empty;
                c->provenance["blank"] = true;
            } else {
                c->text = format_value(t, ref.col, v);
                c->value = v;
                c->source = Source::Recovered;
            }
            c->provenance["recovered_by"] = idl;
            if (!from.empty()) c->provenance["from"] = from;
            c->provenance["determinations"] = static_cast<int>(use.size());
            // the speck digits the recovery set aside are corrected with it: the
            // page prints the amount without them (raw reading kept)
            for (const auto& d : use)
                for (const auto& [at, amount] : d.cut) {
                    Cell* o = cell_at(doc, at);
                    if (!o || o->source != Source::Ocr || o->provenance.contains("corrected_by")) continue;
                    const std::string was = o->text;
                    before_speck_cut.emplace(at, *o);
                    if (o->raw_text.empty()) o->raw_text = o->text;
                    o->provenance["corrected_by"] = json::array({d.id});
                    o->provenance["from"] = was;
                    o->provenance["how"] = "speck_decimal";
                    o->text = format_value(doc.tables[at.table], at.col, amount);
                    o->value = amount;
                    keep_read_confidence(*o);
                    o->confidence = std::max(o->confidence, st.corrected.of(1));
                    ++corrected;
                    spdlog::debug("validate: corrected table {} ({},{}) {} → {}: a speck after the column's decimals",
                                  at.table, at.row, at.col, was, o->text);
                }
            undetermined.erase(ref);
            ++recovered;
            changed = true;
        }
        return changed;
    }

    // A failure that one term read without the decimals its column prints
    // accounts for: the reading lost its tail ("314,218" for 314,218.15), so
    // the amount on the page is the reading plus less than one unit of its
    // last digit read. When the difference is such a tail — in the direction
    // that adding it closes — the identity does not refute a recovered value
    // (damaged gov-office-2025 s2: 21011's 合计 recovered from its row, the
    // 21011 block short by 0.15). Two such terms, or a difference no tail can
    // make up, still refute.
    bool lost_decimals_explain(const Equation& e, const Evaluation& ev) const {
        if (e.op != "=") return false;
        const Cell* lost = nullptr;
        double coef = 0, slack = 0;
        for (int side = 0; side < 2; ++side)
            for (const auto& t : side == 0 ? e.lhs : e.rhs) {
                const Cell* c = cell_at(doc, t.cell);
                if (!c || c->source != Source::Ocr || !c->value || before_recovery.count(t.cell)) continue;
                const int dec = schema::parse_number(c->text).decimals;
                const int want = column_decimals(doc.tables[t.cell.table], t.cell.col);
                if (dec >= want) continue;
                if (lost) return false;
                lost = c;
                coef = (side == 0 ? 1.0 : -1.0) * t.sign * (*c->value < 0 ? -1.0 : 1.0);
                slack = std::pow(10.0, -dec);
            }
        if (!lost) return false;
        // found − expected + coef × tail = 0, with 0 < tail < slack
        const double tail = -ev.difference / coef;
        return tail > st.exact_epsilon && tail < slack - st.exact_epsilon;
    }

    // One OCR amount of the identity (not a recovered one) read below
    // min_term_confidence with no other reading to vouch for it, the only
    // such term, whose value that would make the identity hold another
    // identity confirms exactly from sure amounts: the failure is that
    // reading's (damaged gen-budget-std-s1-0003: 30101's 171.19 under a stain
    // read "7" at 0.04 in the 301 block of a 合计 recovered from its row; its
    // own row states 171.19).
    bool unsure_term_explains(const Equation& e, const Evaluation& ev) {
        if (e.op != "=") return false;
        Cell* unsure = nullptr;
        CellRef at{};
        double coef = 0;
        for (int side = 0; side < 2; ++side)
            for (const auto& t : side == 0 ? e.lhs : e.rhs) {
                Cell* c = cell_at(doc, t.cell);
                if (!c || c->source != Source::Ocr || !c->value || before_recovery.count(t.cell) ||
                    term_confidence(*c) >= st.recovery_min_term_confidence)
                    continue;
                if (unsure && !(t.cell == at)) return false;
                unsure = c;
                at = t.cell;
                coef += (side == 0 ? 1.0 : -1.0) * t.sign;
            }
        if (!unsure || std::abs(coef) < 1e-9) return false;
        const auto saved = unsure->value;
        unsure->value = *unsure->value - ev.difference / coef;  // the value that would make e hold
        const bool confirmed = confirmed_exactly(at, &e);
        unsure->value = saved;
        return confirmed;
    }

    // A failure that a reading known to be unsure accounts for is no
    // evidence that the identity's lines are not what the codes say:
    // a term read at almost no confidence whose corrected value another
    // identity confirms (unsure_term_explains), a term that lost its
    // decimals' tail (lost_decimals_explain), or a term with more decimals
    // than its column prints whose extra digits — a speck — are all the
    // difference ("1,572,307.004" in a 20805 block, damaged unit-budget-2026).
    bool explained_failure(const Equation& e, const Evaluation& ev) {
        if (unsure_term_explains(e, ev)) {
            spdlog::debug("validate: {} {} fails on a term read at almost no confidence", e.identity, e.label);
            return true;
        }
        if (lost_decimals_explain(e, ev)) {
            spdlog::debug("validate: {} {} fails by the tail of a term read without its decimals", e.identity, e.label);
            return true;
        }
        if (e.op != "=") return false;
        double diff = ev.difference;
        bool cut = false;
        for (int side = 0; side < 2; ++side)
            for (const auto& t : side == 0 ? e.lhs : e.rhs) {
                const Cell* c = cell_at(doc, t.cell);
                if (!c || c->source != Source::Ocr || !c->value) continue;
                const int want = column_decimals(doc.tables[t.cell.table], t.cell.col);
                if (want <= 0 || schema::parse_number(c->text).decimals <= want) continue;
                const double v = *c->value, kept = static_cast<double>(cut_units(v, want)) / std::pow(10.0, want);
                diff += (side == 0 ? 1.0 : -1.0) * t.sign * (kept - v);
                cut = true;
            }
        return cut && std::abs(diff) <= st.exact_epsilon;
    }

    // An identity the cell takes part in holds exactly, a non-zero sum of
    // amounts no other unknown or unsure term among them: arithmetic states
    // the amount as read, whatever digits the reading dropped (PP-OCR's
    // "1193598.0" for 1193598.00, its 301 block holding with it).
    // (`except`: an identity not to count.)
    bool confirmed_exactly(const CellRef& r, const Equation* except = nullptr) const {
        for (int i : eqs_of(r)) {
            const Equation& e = eqs[static_cast<size_t>(i)];
            if (&e == except || e.op != "=" || e.incomplete() || !usable(static_cast<size_t>(i))) continue;
            auto ev = evaluate(doc, e, st);
            if (!ev.evaluable || !ev.holds || std::abs(ev.found) <= st.exact_epsilon) continue;
            bool others_sure = true;
            for (const auto& c : e.cells()) {
                if (c == r) continue;
                const Cell* o = cell_at(doc, c);
                if (o && o->source == Source::Ocr && o->value && term_confidence(*o) < st.recovery_min_term_confidence)
                    others_sure = false;
            }
            if (others_sure) return true;
        }
        return false;
    }

    // cells as they were before this stage recovered them
    std::map<CellRef, Cell> before_recovery{};
    // terms a recovery corrected (speck_decimal), as they were: put back with it
    std::map<CellRef, Cell> before_speck_cut{};

    // Every identity a recovered value takes part in must still hold: a
    // recovered amount that makes another (complete, trusted) identity fail
    // beyond rounding rests on something misread — a code on the wrong row,
    // a column mis-mapped, a term misread with confidence. Such values are
    // put back (the cell is unknown again, and stays so) with the identity
    // that refutes them; a value recovered from them is put back too.
    // Returns whether anything was put back.
    bool check_recovered() {
        std::set<CellRef> back;
        std::map<CellRef, std::string> why;
        for (size_t i = 0; i < eqs.size(); ++i) {
            const Equation& e = eqs[i];
            // (the bound below refutes only: it holds for contradicted identities too)
            if (e.incomplete() || contradicted.count(trust_key(e))) {
                // An incomplete sum still bounds its items: with no negative
                // amount, the terms it lacks can only add. Items that already
                // exceed the total — with a recovered one among them — refute it
                // (a 760.00 "recovered" into a 302 line's 人员经费, whose 302
                // total is 0.00, from a row whose 公用经费 was a stain read blank).
                if (e.op != "=" || e.lhs.size() != 1 || e.kind == "duplicate" || e.kind == "cross" || e.kind == "equal") continue;
                auto total = cell_value(doc, e.lhs[0].cell, st);
                if (total.state != State::Value && total.state != State::Blank && total.state != State::Dash) continue;
                double items = 0;
                bool negative = false, unknown = false;
                std::vector<CellRef> rec;
                for (const auto& t : e.rhs) {
                    auto v = cell_value(doc, t.cell, st);
                    if (v.state == State::Unknown) { unknown = true; continue; }
                    if (t.sign < 0 || v.value < 0) negative = true;
                    items += v.value;
                    if (before_recovery.count(t.cell) && v.value > st.exact_epsilon) rec.push_back(t.cell);
                }
                (void)unknown;  // unknown terms can only add too
                if (negative || rec.empty() || items <= total.value + rounding_allowance(e, st) + st.exact_epsilon) continue;
                for (const auto& c : rec)
                    if (!back.count(c)) {
                        back.insert(c);
                        why[c] = "a recovered value exceeds " + e.identity + " " + e.label;
                    }
                continue;
            }
            auto ev = evaluate(doc, e, st);
            if (!ev.evaluable || ev.holds || ev.rounding) continue;
            if (st.recovery_open_block_short && open_block_short(e, ev)) continue;
            if (explained_failure(e, ev)) continue;
            for (const auto& c : e.cells())
                if (before_recovery.count(c) && !back.count(c)) {
                    back.insert(c);
                    why[c] = "a recovered value breaks " + e.identity + " " + e.label;
                }
        }
        if (back.empty()) return false;
        // everything recovered after a refuted value may rest on it: put back
        // all recoveries and recover again without the refuted cells
        for (const auto& [ref, cell] : before_recovery) {
            Cell* c = cell_at(doc, ref);
            if (!c) continue;
            *c = cell;
            --recovered;
        }
        before_recovery.clear();
        for (const auto& [ref, cell] : before_speck_cut) {
            Cell* c = cell_at(doc, ref);
            if (!c) continue;
            *c = cell;
            --corrected;
        }
        before_speck_cut.clear();
        for (const auto& c : back) {
            refuted[c] = why[c];
            spdlog::debug("validate: recovery of table {} ({},{}) put back: {}", c.table, c.row, c.col, why[c]);
        }
        return true;
    }

    static size_t code_points(const std::string& s) {
        size_t n = 0;
        for (unsigned char ch : s) n += (ch & 0xC0) != 0x80;
        return n;
    }
    static bool engines_read_whole_name(const Cell& c, const std::string& lexicon_name) {
        const Reading* pp = first_reading(c.readings, "ppocr");
        const Reading* ts = first_reading(c.readings, "tesseract");
        if (!pp || !ts) return false;
        const std::string a = schema::trim(pp->text), b = schema::trim(ts->text);
        return !a.empty() && a == b && schema::has_cjk(a) && code_points(a) >= code_points(lexicon_name);
    }

    // subject names of code rows whose name cell is obscured: from the lexicon
    void recover_names(int year) {
        if (!opt.lexicon) return;
        for (size_t ti = 0; ti < doc.tables.size(); ++ti) {
            Table& t = doc.tables[ti];
            if (!t.schema || !t.records.is_array()) continue;
            const schema::Schema* s = schemas.find(*t.schema);
            if (!s || s->code_system.empty()) continue;
            for (const auto& rec : t.records) {
                if (!rec.contains("code") || !rec["code"].is_string() || !rec.contains("name_cell")) continue;
                Cell* c = t.at(rec["name_cell"][0].get<int>(), rec["name_cell"][1].get<int>());
                if (!c || !c->obscured || c->source == Source::Recovered) continue;
                auto hits = opt.lexicon->lookup(s->code_system, rec["code"].get<std::string>(), year);
                std::set<std::string> names;
                for (const auto* e : hits) names.insert(e->name);
                if (names.size() != 1) continue;
                // the reading already is that name (read whole under a light
                // stain, or snapped to it by the schema stage, which keeps what
                // the page said in provenance.lexicon): nothing is recovered
                if (c->text == *names.begin()) continue;
                // both engines read the same name, at least as long as the
                // lexicon's: the page is legible there and says something else
                // (a bold class line looks dark; 310 其他资本性支出 where the
                // list has 资本性支出). What the page says stays.
                if (engines_read_whole_name(*c, *names.begin())) continue;
                if (c->raw_text.empty()) c->raw_text = c->text;
                c->provenance["recovered_by"] = "lexicon:" + s->code_system;
                c->provenance["code"] = rec["code"];
                if (!c->text.empty()) c->provenance["from"] = c->text;
                c->text = *names.begin();
                c->source = Source::Recovered;
                keep_read_confidence(*c);
                c->confidence = st.recovered_text_confidence;
                ++recovered_text;
            }
        }
    }

    void report_unrecoverable() {
        std::set<CellRef> cells;
        for (const auto& [ref, ids] : cell_eqs) cells.insert(ref);
        for (size_t ti = 0; ti < doc.tables.size(); ++ti)
            for (const auto& c : doc.tables[ti].cells)
                if (c.obscured && c.source != Source::Recovered) cells.insert({static_cast<int>(ti), c.row, c.col});
        for (const auto& ref : cells) {
            Cell* c = cell_at(doc, ref);
            if (!c || !is_unknown_at(doc, ref, st)) continue;
            bool numeric = cell_eqs.count(ref) || c->kind == CellKind::Numeric;
            Finding f;
            f.kind = "unrecoverable";
            f.severity = "warning";  // an extraction limit, not an identity of the source failing
            f.table = ref.table;
            f.page = doc.tables[ref.table].page;
            f.cells = {{ref.row, ref.col}};
            f.detail = {{"bbox", {c->bbox.x0, c->bbox.y0, c->bbox.x1, c->bbox.y1}},
                        {"obscured", c->obscured},
                        {"read", c->text}};
            auto u = undetermined.find(ref);
            std::string why = u != undetermined.end() ? u->second.value("reason", "") : "no identity determines it";
            f.detail["reason"] = why;
            if (u != undetermined.end() && u->second.contains("candidates")) f.detail["candidates"] = u->second["candidates"];
            std::vector<std::string> ids;
            for (int j : eqs_of(ref)) ids.push_back(eqs[j].identity);
            if (!ids.empty()) f.detail["identities"] = ids;
            std::ostringstream m;
            m << text_of(doc, doc.tables[ref.table]) << " cell (" << ref.row << "," << ref.col << ") is "
              << (c->obscured ? "obscured" : "illegible") << " and " << why;
            f.message = m.str();
            if (numeric) {
                if (c->raw_text.empty()) c->raw_text = c->text;
                c->text.clear();
                c->value.reset();
                keep_read_confidence(*c);
                c->confidence = st.unrecoverable_confidence;
            } else {
                keep_read_confidence(*c);
                c->confidence = std::min(c->confidence, 0.3);
            }
            ++unrecoverable;
            doc.findings.push_back(std::move(f));
        }
    }

    // ---------------------------------------------------------- findings
    // An OCR cell that may not say what the page prints: read below
    // suspect_below, or a non-zero amount without the decimals its column
    // prints (the reading lost its tail: "1,097" under a tear for
    // 1,097,073.43, read at 0.99), or with two engines reading different amounts. A failure
    // with such a cell is "uncertain", not the page's own inconsistency.
    bool low_confidence_ocr(const CellRef& r) {
        const Cell* c = cell_at(doc, r);
        if (!c || c->source != Source::Ocr) return false;
        if (c->confidence < st.correct_below) return true;
        if (!c->value) return false;
        const int want = column_decimals(doc.tables[r.table], r.col);
        // (no decimal point at all: one decimal less may be the page's own
        // style — seed 002 prints 669.7 among x.xx amounts)
        if (std::abs(*c->value) > st.exact_epsilon && want > 0 && schema::parse_number(c->text).decimals == 0) return true;
        return engines_disagree(*c, want);
    }

    void report_equations() {
        std::set<std::string> seen;
        for (size_t i = 0; i < eqs.size(); ++i) {
            const Equation& e = eqs[i];
            auto ev = evaluate(doc, e, st);
            if (!ev.evaluable || ev.holds) continue;
            int tbl = e.lhs[0].cell.table;
            bool cross = false;
            for (const auto& c : e.cells())
                if (c.table != tbl) {
                    // parts of one continued table are one table
                    const Table& a = doc.tables[tbl];
                    const Table& b = doc.tables[c.table];
                    bool same = a.schema == b.schema && (a.continues == c.table || b.continues == tbl ||
                                                         (a.continues && a.continues == b.continues));
                    if (!same) cross = true;
                }
            Finding f;
            if (ev.rounding) f.kind = "rounding";
            else if (ev.missing_lhs && (e.kind == "sum" || e.kind == "row_sum" || e.kind == "hierarchy")) f.kind = "missing_total";
            else if (e.kind == "duplicate") f.kind = "duplicate_mismatch";
            else if (cross) f.kind = "cross_table_mismatch";
            else f.kind = "sum_mismatch";
            f.severity = ev.rounding ? "info" : "error";
            f.table = tbl;
            f.page = doc.tables[tbl].page;
            json other = json::array();
            int other_table = -1;
            bool suspect_ocr = false, text_layer = true;
            for (const auto& c : e.cells()) {
                if (c.table == tbl) {
                    std::pair<int, int> rc{c.row, c.col};
                    if (std::find(f.cells.begin(), f.cells.end(), rc) == f.cells.end()) f.cells.push_back(rc);
                } else {
                    other.push_back({c.table, c.row, c.col});
                    if (other_table < 0) other_table = c.table;
                }
                if (low_confidence_ocr(c)) suspect_ocr = true;
                const Cell* cc = cell_at(doc, c);
                if (cc && cc->source != Source::TextLayer && cc->source != Source::Empty) text_layer = false;
            }
            std::string key = f.kind + "#" + std::to_string(tbl);
            for (auto [r, c] : f.cells) key += "," + std::to_string(r) + ":" + std::to_string(c);
            if (!seen.insert(key).second) continue;
            f.detail = {{"identity", e.identity},
                        {"identity_kind", e.kind},
                        {"compared", e.label},
                        {"op", e.op},
                        {"expected", std::round(ev.expected * 100) / 100},
                        {"found", std::round(ev.found * 100) / 100},
                        {"difference", std::round(ev.difference * 100) / 100},
                        {"items", e.n_items()},
                        {"origin", suspect_ocr ? "uncertain" : (text_layer ? "source (text layer)" : "source")}};
            if (!e.unit.empty()) f.detail["unit"] = e.unit;
            if (e.incomplete()) {
                // a column of the identity was not found in the grid, or a term's
                // slot lies under a merged cell: the sum is incomplete
                if (!e.missing_terms.empty()) f.detail["missing_terms"] = e.missing_terms;
                if (!e.covered.empty()) {
                    json cov = json::array();
                    for (const auto& c : e.covered) cov.push_back({c.table, c.row, c.col});
                    f.detail["covered_terms"] = cov;
                }
                if (f.severity == "error") f.severity = "warning";
            }
            if (other_table >= 0) {
                f.detail["other_table"] = other_table;
                f.detail["other_cells"] = other;
            }
            if (ev.missing) f.detail["missing"] = ev.missing_lhs ? "total" : "other side";
            if (auto a = ambiguous.find(static_cast<int>(i)); a != ambiguous.end()) f.detail["ambiguous_corrections"] = a->second;
            std::ostringstream m;
            m << e.identity << " " << e.label << ": ";
            if (ev.missing_lhs)
                m << "printed blank, items sum to " << fmt2(ev.expected);
            else if (ev.missing)
                m << fmt2(ev.found) << " but the other side is blank";
            else
                m << fmt2(ev.found) << (e.op == ">=" ? " < " : " ≠ ") << fmt2(ev.expected) << " (difference "
                  << fmt2(ev.difference) << (ev.rounding ? ", rounding over " + std::to_string(e.n_items()) + " items" : "")
                  << ")";
            if (other_table >= 0) m << " [other table " << other_table << " " << text_of(doc, doc.tables[other_table]) << "]";
            if (!e.missing_terms.empty()) m << " [terms not found: " << e.missing_terms.size() << "]";
            if (!e.covered.empty()) m << " [terms under a merged cell: " << e.covered.size() << "]";
            f.message = m.str();
            doc.findings.push_back(std::move(f));
        }
    }

    // the figure stated right after `label` in `sentence` (no other word
    // between): {byte offset of the clause the label is in — after the previous
    // figure —, byte offset where the figure ends}; npos if it is not
    std::pair<size_t, size_t> attached(const std::string& sentence, const std::string& label, double value) const {
        const std::pair<size_t, size_t> none{std::string::npos, std::string::npos};
        if (label.empty()) return none;
        std::u32string s = schema::to_u32(sentence), l = schema::to_u32(label);
        std::u32string prefixes = schema::to_u32(st.narrative_label_prefixes);
        auto bytes_of = [&](size_t n) {  // UTF-8 length of s[0, n)
            size_t b = 0;
            for (size_t i = 0; i < n; ++i) b += s[i] < 0x80 ? 1 : s[i] < 0x800 ? 2 : s[i] < 0x10000 ? 3 : 4;
            return b;
        };
        for (size_t pos = s.find(l); pos != std::u32string::npos; pos = s.find(l, pos + 1)) {
            if (pos > 0) {
                char32_t p = s[pos - 1];
                bool cjk = p >= 0x4e00 && p <= 0x9fff;
                bool after_word = false;  // a heading run into the sentence: "…情况说明本年度支出…"
                for (const auto& w : st.narrative_label_after_words) {
                    std::u32string uw = schema::to_u32(w);
                    after_word |= pos >= uw.size() && s.compare(pos - uw.size(), uw.size(), uw) == 0;
                }
                if (cjk && !after_word && prefixes.find(p) == std::u32string::npos) continue;
            }
            size_t k = pos + l.size(), gap = 0;
            while (k < s.size() && !(s[k] >= U'0' && s[k] <= U'9') && gap < static_cast<size_t>(st.narrative_max_gap)) {
                ++k;
                ++gap;
            }
            std::string num;
            while (k < s.size() && ((s[k] >= U'0' && s[k] <= U'9') || s[k] == U'.' || s[k] == U',')) num += static_cast<char>(s[k++]);
            auto p = schema::parse_number(num);
            if (p.numeric && std::abs(*p.value - value) < 1e-6) {
                size_t clause = pos;  // back to the previous figure's last digit
                while (clause > 0 && !(s[clause - 1] >= U'0' && s[clause - 1] <= U'9')) --clause;
                return {bytes_of(clause), bytes_of(k)};
            }
        }
        return none;
    }

    void report_narrative(const std::vector<LogicalTable>& lts) {
        const auto& facts = doc.metadata.contains("narrative_facts") ? doc.metadata["narrative_facts"] : json();
        if (!facts.is_array()) return;
        auto factor = [](const std::string& u) {
            if (u == "元") return 1.0;
            if (u == "千元") return 1e3;
            if (u == "万元") return 1e4;
            if (u == "亿元") return 1e8;
            return 0.0;
        };
        int doc_year = 0;
        if (doc.metadata.contains("year") && doc.metadata["year"].is_number_integer()) doc_year = doc.metadata["year"].get<int>();
        std::set<std::string> seen;
        std::string prev_sentence;
        bool prev_known = false;  // the previous figure of the same sentence states a known concept
        for (const auto& fact : facts) {
            if (!fact.is_object() || !fact["value"].is_number()) continue;
            const std::string sentence = fact.value("sentence", "");
            double value = fact["value"].get<double>();
            const auto [clause, end] = attached(sentence, fact.value("label", ""), value);
            const bool after_unknown = sentence == prev_sentence && !prev_known;
            prev_known = fact.contains("concept") && end != std::string::npos;
            prev_sentence = sentence;
            if (!fact.contains("refs")) continue;
            if (fact.contains("share") && !fact["share"].is_null() && fact.value("label", "").empty()) continue;
            if (end == std::string::npos) continue;
            // "(2017年度财政拨款收入177.19万元)" in a 2018 account: another year's figure
            if (doc_year > 0 && clause >= 4 && sentence.compare(clause, 3, "年") == 0) {
                const std::string y = sentence.substr(clause - 4, 4);
                if (std::all_of(y.begin(), y.end(), [](char ch) { return ch >= '0' && ch <= '9'; }) && std::stoi(y) != doc_year)
                    continue;
            }
            // "支出0.00万元，其中基本支出0.00万元": a part of a figure whose scope is
            // unknown (here: the government-fund spending) has that unknown scope too
            if (after_unknown && sentence.find("其中", clause) < end) continue;
            // year-on-year wording before the figure and after the previous one
            // ("与上年相比，增加…") makes it a change, not a level; after it
            // ("…790.76万元，与上年相比…") or before an earlier figure
            // ("…比上年减少28.33%，三公经费2.93万元") it does not
            bool skip = false;
            for (const auto& w : st.narrative_skip_words) {
                const size_t at = sentence.find(w, clause);
                if (at != std::string::npos && at < end) skip = true;
            }
            if (skip) continue;
            const double fu = factor(fact.value("unit", ""));
            // the fields a list of references names, read and in the figure's unit
            auto read_fields = [&](const json& refs) {
                std::vector<std::pair<Resolved, double>> out;
                for (const auto& r : refs) {
                    if (!r.is_string()) continue;
                    auto res = resolve_ref(doc, lts, schemas, r.get<std::string>());
                    if (res.size() != 1) continue;
                    auto v = cell_value(doc, res[0].cell, st);
                    if (v.state != State::Value) continue;
                    const double tu = factor(doc.tables[res[0].cell.table].unit);
                    double tv = (fu > 0 && tu > 0) ? v.value * tu / fu : v.value;
                    if (fu > 0 && tu > 0 && tu != fu) tv = std::round(tv * 100) / 100;  // 371,514,749元 states 37,151.47万元
                    out.push_back({res[0], tv});
                }
                return out;
            };
            const auto stated_fields = read_fields(fact["refs"]);  // every field the figure states, read
            double best = 1e300;
            std::optional<Resolved> near;
            double near_v = 0;
            for (const auto& [r, tv] : stated_fields)
                if (std::abs(tv - value) < best) { best = std::abs(tv - value); near = r; near_v = tv; }
            if (stated_fields.empty() || best <= st.exact_epsilon) continue;
            // another field the same wording may state (公用经费: the 302 block when the
            // narrative states 资本性支出 apart): equal to it, the figure is not reported
            bool alt_equal = false;
            for (const auto& [r, tv] : read_fields(fact.value("alt_refs", json::array())))
                alt_equal |= std::abs(tv - value) <= st.exact_epsilon;
            if (alt_equal) continue;
            Finding f;
            f.kind = "narrative_mismatch";
            double per = st.rounding_per_item.count("") ? st.rounding_per_item.at("") : 0.01;
            bool rounding = best <= per + st.exact_epsilon;
            f.severity = rounding ? "info" : "warning";
            f.table = near->cell.table;
            f.page = fact.value("page", 0) > 0 ? std::optional<int>(fact["page"].get<int>()) : std::nullopt;
            f.cells = {{near->cell.row, near->cell.col}};
            f.detail = {{"sentence", sentence}, {"label", fact.value("label", "")}, {"stated", value},
                        {"table_value", std::round(near_v * 100) / 100}, {"difference", std::round((value - near_v) * 100) / 100},
                        {"unit", fact.value("unit", "")}, {"rounding", rounding}};
            if (fact.contains("concept")) f.detail["concept"] = fact["concept"];
            for (const auto& [r, tv] : stated_fields)  // the same field in another table (財政拨款支出: 04表 and 05表)
                if (r.cell.table != near->cell.table && std::abs(tv - near_v) <= st.exact_epsilon) {
                    f.detail["other_table"] = r.cell.table;
                    f.detail["other_cells"] = json::array({json::array({r.cell.row, r.cell.col})});
                    break;
                }
            std::string key = fact.value("label", "") + "#" + fmt2(value) + "#" + std::to_string(near->cell.table) + ":" +
                              std::to_string(near->cell.row) + ":" + std::to_string(near->cell.col);
            if (!seen.insert(key).second) continue;
            std::ostringstream m;
            m << "narrative states " << fact.value("label", "") << " " << fmt2(value) << fact.value("unit", "") << ", "
              << text_of(doc, doc.tables[near->cell.table]) << " has " << fmt2(near_v) << " (difference "
              << fmt2(value - near_v) << ")";
            f.message = m.str();
            doc.findings.push_back(std::move(f));
        }
    }

    // The subjects a final account's narrative walks through ("1、一般公共服务（类）
    // 政府办公厅（室）及相关机构事务（款）其他政府办公厅（室）及相关机构事务支出（项）。
    // 年初预算为207.86万元，支出决算为790.76万元"): the 项 is looked up by name among
    // the function-coded records of the document (the first table holding it);
    // a 款 or 项 the table files under another 类 than the narrative names, and a
    // 支出决算 figure that differs from the 项's total, are narrative_mismatch findings.
    void report_narrative_subjects() {
        if (!opt.lexicon || doc.metadata.value("kind", json()) != json("final")) return;
        struct Rec {
            int table;
            const json* rec;
        };
        // the tables the narrative speaks of first (final.05), then the others
        std::vector<size_t> order(doc.tables.size());
        for (size_t ti = 0; ti < order.size(); ++ti) order[ti] = ti;
        std::stable_partition(order.begin(), order.end(), [&](size_t ti) {
            const auto& sch = doc.tables[ti].schema;
            return sch && std::find(st.narrative_subject_tables.begin(), st.narrative_subject_tables.end(), *sch) !=
                              st.narrative_subject_tables.end();
        });
        auto find_rec = [&](const std::string& name, size_t code_len) -> std::optional<Rec> {
            const std::string want = schema::strip_qualifier(schema::strip_ordinal(name));
            for (size_t ti : order) {
                const Table& t = doc.tables[ti];
                if (!t.schema || !t.records.is_array()) continue;
                const schema::Schema* s = schemas.find(*t.schema);
                if (!s || s->code_system != "function") continue;
                for (const auto& r : t.records)
                    if (rec_code(r).size() == code_len && schema::strip_qualifier(schema::strip_ordinal(rec_name(r))) == want)
                        return Rec{static_cast<int>(ti), &r};
            }
            return std::nullopt;
        };
        auto row_cells = [&](const Rec& r, bool with_code) {
            json cells = json::array();
            const auto& nc = (*r.rec)["name_cell"];
            if (with_code)
                for (int c = 0; c < nc[1].get<int>(); ++c) cells.push_back(json::array({nc[0], c}));
            cells.push_back(nc);
            return cells;
        };
        static const std::u32string kLei = U"(类)", kKuan = U"(款)", kXiang = U"(项)";
        for (const auto& page : doc.pages) {
            std::u32string u = schema::to_u32(schema::norm_label(page.text));
            for (size_t a = u.find(kLei); a != std::u32string::npos; a = u.find(kLei, a + 1)) {
                size_t b = u.find(kKuan, a), c = u.find(kXiang, a);
                if (b == std::u32string::npos || c == std::u32string::npos || c < b) continue;
                if (b - a > 40 || c - b > 50 || u.find(kLei, a + 1) < c) continue;
                bool names_only = true;  // the 款 and 项 names: CJK and brackets, nothing else
                for (size_t k = a + kLei.size(); k < c && names_only; ++k)
                    names_only = schema::is_cjk(u[k]) || u[k] == U'(' || u[k] == U')';
                if (!names_only) continue;
                size_t s0 = a;  // the 类 name: back to the item number or punctuation
                while (s0 > 0 && schema::is_cjk(u[s0 - 1])) --s0;
                const std::string lei = schema::to_u8(u.substr(s0, a - s0));
                const std::string kuan = schema::to_u8(u.substr(a + kLei.size(), b - a - kLei.size()));
                const std::string xiang = schema::to_u8(u.substr(b + kKuan.size(), c - b - kKuan.size()));
                auto cls = opt.lexicon->class_code("function", lei, true);
                auto rx = find_rec(xiang, 7);
                if (!cls || !rx) continue;
                const std::string xcode = (*rx->rec)["code"].get<std::string>();
                auto rk = find_rec(kuan, 5);
                const std::string item = lei + "(类)" + kuan + "(款)" + xiang + "(项)";
                if (xcode.compare(0, 3, *cls) != 0) {
                    Finding f;
                    f.kind = "narrative_mismatch";
                    f.severity = "warning";
                    f.table = rx->table;
                    f.page = page.page;
                    json cells = json::array();
                    const Table& t = doc.tables[rx->table];
                    for (const auto& r : t.records)  // the 类 the table files it under
                        if (rec_code(r) == xcode.substr(0, 3) && r.contains("name_cell")) cells.push_back(r["name_cell"]);
                    if (rk && rk->table == rx->table)
                        for (const auto& x : row_cells(*rk, false)) cells.push_back(x);
                    for (const auto& x : row_cells(*rx, true)) cells.push_back(x);
                    for (const auto& x : cells) f.cells.push_back({x[0].get<int>(), x[1].get<int>()});
                    f.detail = {{"item", item}, {"stated_class", *cls}, {"code", xcode}, {"table_class", xcode.substr(0, 3)}};
                    f.message = "narrative files " + kuan + "(款) " + xiang + "(项) under " + lei + "(类) (" + *cls +
                                "); " + text_of(doc, t) + " has it as " + xcode + " under " + xcode.substr(0, 3);
                    doc.findings.push_back(std::move(f));
                }
                // the figure: "支出决算为790.76万元" within the next sentence or two
                const std::u32string after = u.substr(c, 120);
                static const std::u32string kStated = U"支出决算为";
                size_t p = after.find(kStated);
                if (p == std::u32string::npos) continue;
                p += kStated.size();
                std::string num;
                while (p < after.size() && ((after[p] >= U'0' && after[p] <= U'9') || after[p] == U'.' || after[p] == U','))
                    num += static_cast<char>(after[p++]);
                if (after.compare(p, 2, U"万元") != 0) continue;
                auto stated = schema::parse_number(num);
                if (!stated.numeric) continue;
                const Table& t = doc.tables[rx->table];
                if (t.unit != "万元" || !(*rx->rec).contains("fields")) continue;
                const json* total = nullptr;
                for (const char* fld : {"小计", "合计", "本年支出合计", "决算数"})
                    if ((*rx->rec)["fields"].contains(fld)) { total = &(*rx->rec)["fields"][fld]; break; }
                if (!total || !total->contains("cell")) continue;
                const auto& cell = (*total)["cell"];
                auto v = cell_value(doc, CellRef{rx->table, cell[0].get<int>(), cell[1].get<int>()}, st);
                if (v.state != State::Value || std::abs(v.value - *stated.value) <= st.exact_epsilon) continue;
                Finding f;
                f.kind = "narrative_mismatch";
                const double per = st.rounding_per_item.count("") ? st.rounding_per_item.at("") : 0.01;
                const bool rounding = std::abs(v.value - *stated.value) <= per + st.exact_epsilon;
                f.severity = rounding ? "info" : "warning";
                f.table = rx->table;
                f.page = page.page;
                f.cells = {{cell[0].get<int>(), cell[1].get<int>()}};
                f.detail = {{"item", item}, {"label", "支出决算"}, {"stated", *stated.value}, {"table_value", v.value},
                            {"difference", std::round((*stated.value - v.value) * 100) / 100}, {"unit", "万元"},
                            {"rounding", rounding}};
                f.message = "narrative states " + xiang + "(项) 支出决算 " + fmt2(*stated.value) + "万元, " + text_of(doc, t) +
                            " has " + fmt2(v.value) + " for " + xcode;
                doc.findings.push_back(std::move(f));
            }
        }
    }

    // The same subject code named differently in two tables of the document
    // (2010399 其他行政运行（其他）支出 in 02/03表 but 其他政府办公厅（室）及相关机构
    // 事务支出 in 05表): an info finding, both printings kept. Names read from a
    // text layer or with confidence ≥ label_min_confidence only, never a name the
    // lexicon corrected; the name the lexicon gives (else the first printed) is
    // the reference the others are compared with.
    void report_label_mismatches(int year) {
        struct Printed {
            int table, row, col;
            std::string name, norm;
        };
        std::map<std::string, std::vector<Printed>> by_code;  // "system|code"
        for (size_t ti = 0; ti < doc.tables.size(); ++ti) {
            const Table& t = doc.tables[ti];
            if (!t.schema) continue;
            const schema::Schema* s = schemas.find(t.schema_variant ? *t.schema_variant : *t.schema);
            if (!s) s = schemas.find(*t.schema);
            if (!s || s->code_system.empty()) continue;
            auto visit = [&](const json& recs) {
                if (!recs.is_array()) return;
                for (const auto& rec : recs) {
                    const std::string code = rec_code(rec);
                    if (code.empty() || !rec.contains("name_cell")) continue;
                    const auto& nc = rec["name_cell"];
                    const Cell* c = t.at(nc[0].get<int>(), nc[1].get<int>());
                    if (!c || c->text.empty() || c->provenance.contains("lexicon") || c->source == Source::Recovered) continue;
                    if (c->source != Source::TextLayer && c->confidence < st.label_min_confidence) continue;
                    const std::string norm = schema::strip_qualifier(schema::strip_ordinal(schema::norm_label(c->text)));
                    if (norm.empty()) continue;
                    const std::string key = s->code_system + "|" + code;
                    by_code[key].push_back({static_cast<int>(ti), c->row, c->col, c->text, norm});
                }
            };
            if (t.records.is_array()) visit(t.records);
            else if (t.records.is_object())
                for (const auto& [side, recs] : t.records.items()) visit(recs);
        }
        for (const auto& [key, printed] : by_code) {
            std::set<std::string> names;
            for (const auto& p : printed) names.insert(p.norm);
            if (names.size() < 2) continue;
            const std::string system = key.substr(0, key.find('|')), code = key.substr(key.find('|') + 1);
            std::string ref_norm = printed[0].norm;
            if (opt.lexicon)
                for (const auto* e : opt.lexicon->lookup(system, code, year))
                    if (names.count(e->norm)) { ref_norm = e->norm; break; }
            const Printed* ref = nullptr;
            for (const auto& p : printed)
                if (p.norm == ref_norm) { ref = &p; break; }
            std::set<std::string> done;
            for (const auto& p : printed) {
                if (p.norm == ref_norm || p.table == ref->table || !done.insert(std::to_string(p.table) + ":" + p.norm).second)
                    continue;
                // a name the list gives another code is a misplaced record or code (code_name_mismatch), not a wording
                bool other_code = false;
                if (opt.lexicon)
                    for (const auto* e : opt.lexicon->by_name(system, p.norm, code.size())) other_code |= e->code != code;
                if (other_code) continue;
                Finding f;
                f.kind = "label_mismatch";
                f.severity = "info";
                f.table = p.table;
                f.page = doc.tables[p.table].page;
                f.cells = {{p.row, p.col}};
                f.detail = {{"code", code}, {"printed", p.name}, {"other_printed", ref->name}, {"other_table", ref->table},
                            {"other_cells", json::array({json::array({ref->row, ref->col})})}};
                std::ostringstream m;
                m << "code " << code << " is named " << p.name << " in " << text_of(doc, doc.tables[p.table]) << " but "
                  << ref->name << " in " << text_of(doc, doc.tables[ref->table]);
                f.message = m.str();
                doc.findings.push_back(std::move(f));
            }
        }
    }

    // ---------------------------------------------------------- confidence
    void calibrate(std::set<CellRef>& in_fail, std::set<CellRef>& in_ok) {
        for (size_t ti = 0; ti < doc.tables.size(); ++ti) {
            std::map<int, int> col_decimals;  // column → the decimals its amounts print
            for (auto& c : doc.tables[ti].cells) {
                if (c.source == Source::Empty && c.text.empty()) continue;
                CellRef ref{static_cast<int>(ti), c.row, c.col};
                CellEvidence ev;
                if (c.source == Source::TextLayer) ev.engine = "text-layer";
                else if (!c.readings.empty() && !c.readings[0].engine.empty()) ev.engine = c.readings[0].engine;
                ev.kind = (c.kind == CellKind::Numeric || c.value) ? "numeric" : "text";
                if (c.source == Source::Recovered) ev.arith = "recovered";
                else if (c.provenance.contains("corrected_by")) ev.arith = "corrected";
                else if (in_fail.count(ref)) ev.arith = "fail";
                else if (in_ok.count(ref)) ev.arith = "ok";
                if (c.readings.size() >= 2) {
                    auto n0 = schema::norm_label(c.readings[0].text), n1 = schema::norm_label(c.readings[1].text);
                    ev.agreement = n0 == n1 ? "agree" : "disagree";
                }
                ev.lexicon = c.provenance.contains("lexicon");
                double raw = std::clamp(c.confidence, 0.0, 1.0);
                double cal;
                // A text-layer cell takes only a curve fitted on text-layer cells:
                // the pooled curves are OCR's, and would blur its 0.995.
                const Curve* cv = opt.calibration.find(ev.engine, ev.kind, ev.evidence());
                if (cv && (ev.arith == "recovered" || ev.arith == "corrected")) {
                    // The stage set this confidence (recovery / correction
                    // confidence), not an OCR engine: the pooled curves map OCR
                    // confidences (0.85 → 0.98) and do not apply. Only a curve
                    // fitted on such cells does; else it is kept.
                    auto it = opt.calibration.classes.find(ev.engine + "|" + ev.kind + "|" + ev.evidence());
                    auto jt = opt.calibration.classes.find("*|" + ev.kind + "|" + ev.evidence());
                    cv = it != opt.calibration.classes.end() ? &it->second
                       : jt != opt.calibration.classes.end() ? &jt->second : nullptr;
                }
                if (cv && c.source == Source::TextLayer) {
                    auto it = opt.calibration.classes.find(ev.engine + "|" + ev.kind + "|" + ev.evidence());
                    auto jt = opt.calibration.classes.find(ev.engine + "|" + ev.kind + "|*");
                    cv = it != opt.calibration.classes.end() ? &it->second
                       : jt != opt.calibration.classes.end() ? &jt->second : nullptr;
                }
                if (cv) {
                    cal = cv->apply(raw);
                } else {
                    double err = 1.0 - raw;
                    auto f = [&](const std::string& k) {
                        auto it = st.evidence_error_factor.find(k);
                        return it == st.evidence_error_factor.end() ? 1.0 : it->second;
                    };
                    if (ev.arith == "ok") err *= f("arith_ok");
                    if (ev.arith == "fail" && c.source == Source::Ocr && raw < st.correct_below) err *= f("arith_fail");
                    // a recovered / corrected cell's confidence is the stage's:
                    // what the engines read there (garbage, or the misread it
                    // replaced) says nothing about it
                    if (ev.arith != "recovered" && ev.arith != "corrected") {
                        if (ev.agreement == "agree") err *= f("agree");
                        if (ev.agreement == "disagree") err *= f("disagree");
                        if (ev.lexicon) err *= f("lexicon");
                    }
                    cal = 1.0 - std::clamp(err, 0.0, 1.0);
                }
                // An amount of three digits or more printed without the decimals
                // its column prints lost its tail — a tear, a blot's rim, a crop
                // ("31,364" for 31,364,000.00 at 1.00): however sure the engine,
                // such readings were right 5 times in 24 on the damaged set and
                // the small corpus (session 11): at most lost_tail.max_confidence.
                // (One or two digits may be printed so: a 栏次 row's "1", "2".)
                if (c.source == Source::Ocr && c.value && std::abs(*c.value) >= 100.0 &&
                    st.lost_tail_max_confidence < 1.0 && schema::parse_number(c.text).decimals == 0) {
                    auto [it, fresh] = col_decimals.try_emplace(c.col, 0);
                    if (fresh) it->second = column_decimals(doc.tables[ti], c.col);
                    if (it->second > 0 && cal > st.lost_tail_max_confidence) {
                        cal = st.lost_tail_max_confidence;
                        c.provenance["lost_tail"] = true;
                    }
                }
                if (c.source != Source::TextLayer || !opt.calibration.empty())
                    c.provenance["confidence"] = {{"raw", std::round(raw * 1e4) / 1e4}, {"class", ev.key()}};
                c.confidence = std::round(cal * 1e4) / 1e4;
            }
        }
    }
};

}  // namespace

void validate_document(Document& doc, const SchemaSet& schemas, const ValidateOptions& opt) {
    int year = 0;
    if (doc.metadata.contains("year") && doc.metadata["year"].is_number_integer()) year = doc.metadata["year"].get<int>();
    Context cx{doc, schemas, opt, opt.settings, build_equations(doc, schemas, year, opt.settings.table_closed_above), {}, {}, {}};
    const auto& st = opt.settings;
    {
        // "≥" becomes "=" when the unit has no project spending
        auto lts = logical_tables(doc);
        int seen = 0;
        bool zero = true;
        for (const auto& ref : st.ge_equal_when_zero) {
            auto r = resolve_ref(doc, lts, schemas, ref);
            if (r.size() != 1) continue;
            auto v = cell_value(doc, r[0].cell, st);
            if (v.state == State::Unknown) continue;
            ++seen;
            if (std::abs(v.value) > st.exact_epsilon) zero = false;
        }
        if (seen > 0 && zero)
            for (auto& e : cx.eqs)
                if (e.op == ">=") {
                    e.op = "=";
                    e.label += " (no project spending: equal)";
                }
    }
    cx.index();
    cx.find_merged_over_fields();
    for (int round = 0; round < 8; ++round) {
        for (int pass = 0; pass < st.max_passes; ++pass) {
            bool changed = false;
            cx.find_contradicted();
            if (opt.correct && st.correct) changed |= cx.correct_pass();
            if (opt.recover && st.recover) changed |= cx.recover_pass();
            if (!changed) break;
        }
        if (!(opt.recover && st.recover) || !cx.check_recovered()) break;
    }
    if (opt.recover && st.recover) {
        cx.recover_names(year);
        cx.report_unrecoverable();
    }
    cx.report_equations();
    if (st.narrative) cx.report_narrative(logical_tables(doc));
    if (st.narrative) cx.report_narrative_subjects();
    cx.report_label_mismatches(year);

    int holding = 0, failing = 0, evaluated = 0, rounding = 0;
    std::set<CellRef> in_fail, in_ok;
    for (const auto& e : cx.eqs) {
        auto ev = evaluate(doc, e, st);
        if (!ev.evaluable) continue;
        ++evaluated;
        if (ev.holds) ++holding;
        else if (ev.rounding) ++rounding;
        else ++failing;
        for (const auto& c : e.cells()) (ev.holds ? in_ok : in_fail).insert(c);
    }
    if (opt.calibrate) cx.calibrate(in_fail, in_ok);
    doc.metadata["validation"] = {{"equations", cx.eqs.size()}, {"evaluated", evaluated}, {"holding", holding},
                                  {"rounding", rounding}, {"failing", failing}, {"corrected", cx.corrected},
                                  {"recovered", cx.recovered}, {"recovered_text", cx.recovered_text},
                                  {"unrecoverable", cx.unrecoverable},
                                  {"calibration", opt.calibration.source.empty() ? "none" : opt.calibration.source}};
    spdlog::debug("validate: {} equations, {} evaluated, {} hold, {} rounding, {} fail; {} corrected, {} recovered",
                  cx.eqs.size(), evaluated, holding, rounding, failing, cx.corrected, cx.recovered);
}

}  // namespace fiscan
