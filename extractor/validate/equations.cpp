#include "validate/equations.hpp"

#include "schema/grid.hpp"
#include "schema/numbers.hpp"
#include "schema/text.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <sstream>

namespace fiscan::validate {

using nlohmann::json;

int Equation::n_items() const {
    if (kind == "sum" || kind == "row_sum" || kind == "hierarchy") return std::max<int>(1, static_cast<int>(rhs.size()));
    return std::max<int>(1, static_cast<int>(std::max(lhs.size(), rhs.size())));
}

std::vector<CellRef> Equation::cells() const {
    std::vector<CellRef> out;
    for (const auto& t : lhs) out.push_back(t.cell);
    for (const auto& t : rhs) out.push_back(t.cell);
    return out;
}

bool Equation::involves(const CellRef& c) const {
    for (const auto& t : lhs)
        if (t.cell == c) return true;
    for (const auto& t : rhs)
        if (t.cell == c) return true;
    return false;
}

// ------------------------------------------------------------ logical tables

std::vector<LogicalTable> logical_tables(const Document& doc) {
    std::vector<LogicalTable> out;
    std::map<int, int> lt_of;  // table index → logical table
    for (size_t i = 0; i < doc.tables.size(); ++i) {
        const Table& t = doc.tables[i];
        if (!t.schema || t.records.is_null()) continue;
        int idx = -1;
        if (t.continues) {
            auto it = lt_of.find(*t.continues);
            if (it != lt_of.end() && out[it->second].schema == *t.schema) idx = it->second;
        }
        if (idx < 0) {
            out.push_back({*t.schema, {}, json::object()});
            idx = static_cast<int>(out.size()) - 1;
        }
        lt_of[static_cast<int>(i)] = idx;
        LogicalTable& lt = out[idx];
        lt.parts.push_back(static_cast<int>(i));
        auto add = [&](const std::string& side, const json& arr) {
            if (!arr.is_array()) return;
            json& dst = lt.records[side];
            if (dst.is_null()) dst = json::array();
            for (json rec : arr) {
                rec["_t"] = static_cast<int>(i);
                dst.push_back(std::move(rec));
            }
        };
        if (t.records.is_object()) {
            for (const auto& [side, arr] : t.records.items()) add(side, arr);
        } else {
            add("", t.records);
        }
    }
    return out;
}

// ------------------------------------------------------------ references

std::string rec_code(const json& rec) {
    auto it = rec.find("code");
    return it != rec.end() && it->is_string() ? it->get<std::string>() : "";
}
std::string rec_name(const json& rec) {
    auto it = rec.find("name");
    return it != rec.end() && it->is_string() ? it->get<std::string>() : "";
}

namespace {

std::string norm(const std::string& s) { return schema::strip_ordinal(schema::norm_label(s)); }

std::vector<std::string> value_fields(const schema::Schema& s, const std::string& side) {
    std::vector<std::string> out;
    const auto& cols = s.sides.empty() ? s.columns : s.columns_of(side);
    for (const auto& c : cols)
        if (c.role == "value") out.push_back(c.field);
    return out;
}

std::string rec_key(const json& rec) {
    auto it = rec.find("key");
    return it != rec.end() && it->is_string() ? it->get<std::string>() : "";
}

bool is_total_rec(const json& rec) {
    std::string k = rec_key(rec);
    if (k == "合计" || k == "总计") return true;
    if (!rec_code(rec).empty()) return false;
    std::string n = norm(rec_name(rec));
    return n == "合计" || n == "总计";
}

CellRef anchor_of(const Document& doc, int t, int r, int c) {
    if (t < 0 || t >= static_cast<int>(doc.tables.size())) return {};
    const Cell* cell = doc.tables[t].at(r, c);
    if (!cell) return {};
    return {t, cell->row, cell->col};
}

// (record, pairing key) matches of a selector in one side's records
std::vector<std::pair<const json*, std::string>> select(const json& recs, const std::string& sel) {
    std::vector<std::pair<const json*, std::string>> out;
    if (!recs.is_array()) return out;
    if (sel == "row") {
        if (!recs.empty()) out.push_back({&recs[0], ""});
        return out;
    }
    if (sel == "sum" || sel == "*") {
        for (const auto& r : recs)
            if (!is_total_rec(r)) out.push_back({&r, ""});
        return out;
    }
    if (sel.rfind("class:", 0) == 0) {
        std::string want = sel.substr(6);
        for (const auto& r : recs) {
            std::string k = rec_key(r), code = rec_code(r);
            std::string cls;
            if (k.rfind("class:", 0) == 0) cls = k.substr(6);
            else if (code.size() == 3 && k.empty()) cls = code;
            if (cls.empty()) continue;
            if (want == "*" || want == cls) out.push_back({&r, cls});
        }
        return out;
    }
    if (!sel.empty() && sel.back() == '*' && schema::is_digits(sel.substr(0, sel.size() - 1))) {
        std::string p = sel.substr(0, sel.size() - 1);
        for (const auto& r : recs) {
            std::string code = rec_code(r);
            if (code.size() == p.size() + 2 && code.compare(0, p.size(), p) == 0) out.push_back({&r, code});
        }
        return out;
    }
    if (schema::is_digits(sel)) {
        for (const auto& r : recs)
            if (rec_code(r) == sel) return {{&r, sel}};
        return out;
    }
    for (const auto& r : recs)
        if (rec_key(r) == sel) return {{&r, sel}};
    if (sel == "合计" || sel == "总计") {
        for (const auto& r : recs)
            if (is_total_rec(r)) return {{&r, sel}};
        return out;
    }
    std::string ns = schema::norm_label(sel);
    for (const auto& r : recs)
        if (norm(rec_name(r)) == ns && rec_key(r).empty()) return {{&r, sel}};
    return out;
}

// The slot a record's field names, and the cell anchoring it (a merged cell
// may reach into the slot from another one).
struct FieldSlot {
    CellRef slot, anchor;
};
std::optional<FieldSlot> field_slot(const Document& doc, const json& rec, const std::string& field) {
    auto fit = rec.find("fields");
    if (fit == rec.end() || !fit->is_object()) return std::nullopt;
    auto f = fit->find(field);
    if (f == fit->end() || !f->is_object()) return std::nullopt;
    auto c = f->find("cell");
    if (c == f->end() || !c->is_array() || c->size() != 2) return std::nullopt;
    int t = rec.value("_t", -1);
    int r = (*c)[0].get<int>(), col = (*c)[1].get<int>();
    CellRef a = anchor_of(doc, t, r, col);
    if (a.table < 0) return std::nullopt;
    return FieldSlot{CellRef{t, r, col}, a};
}

std::optional<CellRef> field_cell(const Document& doc, const json& rec, const std::string& field) {
    auto fs = field_slot(doc, rec, field);
    if (!fs) return std::nullopt;
    const CellRef& s = fs->slot;
    // a merged cell reaching into the slot from elsewhere is not the field's own cell unless it states a number
    if ((fs->anchor.row != s.row || fs->anchor.col != s.col) &&
        !schema::parse_number(doc.tables[s.table].at(s.row, s.col)->text).numeric)
        return std::nullopt;
    return fs->anchor;
}

}  // namespace

bool blank_column_slot(const Document& doc, const CellRef& slot) {
    if (slot.table < 0 || slot.table >= static_cast<int>(doc.tables.size())) return false;
    const Table& t = doc.tables[slot.table];
    const Cell* cover = t.at(slot.row, slot.col);
    // A cell merged down over the amounts of other lines is damage (a lost
    // ruling), never a layout: a blank column is blank line by line. What a
    // column prints in other blocks says nothing about the lines it hides.
    if (cover && cover->row_span > 1 && cover->row >= t.header_rows) return false;
    auto g = schema::analyse_grid(t);  // data rows: not the header, 栏次 or 类/款/项 rows
    std::set<int> data(g.data_rows.begin(), g.data_rows.end());
    int blank = 0;
    for (const auto& c : t.cells) {
        if (&c == cover || c.col != slot.col || c.col_span != 1 || !data.count(c.row)) continue;
        if (c.obscured) return false;
        auto p = schema::parse_number(c.text);
        if (p.numeric && p.value && std::abs(*p.value) > 1e-9) return false;
        if (!(p.blank || p.dash || (p.numeric && p.value))) return false;  // garbage: not known blank
        ++blank;
    }
    return blank >= 3;
}

namespace {

// The slot of a field that a cell merged in from another slot covers: its
// value is not printed on its own (field_cell() refuses the merged cell, or —
// when it states a number — lets it stand for the slot, which is then a guess
// that the slot is blank). A slot of a column that states no amount anywhere
// else is blank, not covered.
std::optional<CellRef> covered_slot(const Document& doc, const json& rec, const std::string& field) {
    auto fs = field_slot(doc, rec, field);
    if (!fs || (fs->anchor.row == fs->slot.row && fs->anchor.col == fs->slot.col)) return std::nullopt;
    if (blank_column_slot(doc, fs->slot)) return std::nullopt;
    return fs->slot;
}

bool has_field(const json& rec, const std::string& field) {
    auto fit = rec.find("fields");
    return fit != rec.end() && fit->is_object() && fit->contains(field);
}

std::string first_field(const json& rec, const std::vector<std::string>& vf) {
    auto fit = rec.find("fields");
    if (fit == rec.end() || !fit->is_object()) return "";
    for (const auto& f : vf)
        if (fit->contains(f)) return f;
    return "";
}

}  // namespace

std::vector<Resolved> resolve(const Document& doc, const LogicalTable& lt, const schema::Schema& s,
                                 const std::string& ref_in, const std::string& default_side, bool with_covered) {
    std::vector<Resolved> out;
    std::string ref = schema::trim(ref_in);
    std::vector<std::string> sides;
    if (!s.sides.empty()) {
        for (const auto& sd : s.sides)
            if (ref.rfind(sd + ".", 0) == 0) {
                sides = {sd};
                ref = ref.substr(sd.size() + 1);
                break;
            }
        if (sides.empty()) sides = default_side.empty() ? s.sides : std::vector<std::string>{default_side};
    } else {
        sides = {""};
    }
    std::string sel = ref, field;
    if (auto slash = ref.rfind('/'); slash != std::string::npos) {
        sel = ref.substr(0, slash);
        field = ref.substr(slash + 1);
    }
    for (const auto& side : sides) {
        auto it = lt.records.find(side);
        if (it == lt.records.end()) continue;
        auto vf = value_fields(s, side);
        for (const auto& [rec, key] : select(*it, sel)) {
            std::string f = field.empty() ? first_field(*rec, vf) : field;
            if (f.empty()) continue;
            if (auto c = field_cell(doc, *rec, f)) out.push_back({*c, key, f});
            if (auto slot = with_covered ? covered_slot(doc, *rec, f) : std::nullopt) out.push_back({*slot, key, f, true});
        }
        if (!out.empty()) break;
    }
    return out;
}

// ------------------------------------------------------------ building

namespace {

double unit_factor(const std::string& u) {
    if (u == "元") return 1.0;
    if (u == "千元") return 1e3;
    if (u == "万元") return 1e4;
    if (u == "亿元") return 1e8;
    return 0.0;
}

struct Builder {
    const Document& doc;
    const schema::SchemaSet& schemas;
    std::vector<LogicalTable> lts;
    std::vector<Equation> eqs;
    std::set<std::string> seen;
    double closed_above = 0.0;  // ValidateSettings::table_closed_above (0: never taken as closed)

    // The table's last part ends well above its page's foot (it did not run
    // out of page) and the next table is no continuation of it: no line of
    // it is on a page not at hand.
    bool ends_on_its_page(const LogicalTable& lt) const {
        if (closed_above <= 0.0 || lt.parts.empty()) return false;
        const int last = lt.parts.back();
        const Table& t = doc.tables[last];
        int height = 0;
        for (const auto& p : doc.pages)
            if (p.page == t.page) height = p.height;
        if (height <= 0 || t.bbox.y1 >= closed_above * height) return false;
        if (last + 1 < static_cast<int>(doc.tables.size()) && doc.tables[last + 1].continues == last) return false;
        return true;
    }

    std::string unit_of(int t) const { return t >= 0 ? doc.tables[t].unit : ""; }

    void add(Equation e) {
        // drop self-terms and empty sides
        for (const auto& l : e.lhs)
            e.rhs.erase(std::remove_if(e.rhs.begin(), e.rhs.end(),
                                       [&](const Term& r) { return r.cell == l.cell && r.sign == l.sign; }),
                        e.rhs.end());
        if (e.lhs.empty() || e.rhs.empty()) return;
        auto keyof = [](const std::vector<Term>& v) {
            std::vector<CellRef> c;
            for (const auto& t : v) c.push_back(t.cell);
            std::sort(c.begin(), c.end());
            std::ostringstream o;
            for (const auto& x : c) o << x.table << ',' << x.row << ',' << x.col << ';';
            return o.str();
        };
        std::string a = keyof(e.lhs), b = keyof(e.rhs);
        if (seen.count(a + "|" + b) || seen.count(b + "|" + a)) return;
        seen.insert(a + "|" + b);
        if (e.unit.empty() && !e.lhs.empty()) e.unit = unit_of(e.lhs[0].cell.table);
        eqs.push_back(std::move(e));
    }

    const LogicalTable* table_for(const std::string& schema_id, const LogicalTable& self) const {
        if (schema_id.empty() || schema_id == self.schema) return &self;
        for (const auto& lt : lts)
            if (lt.schema == schema_id) return &lt;
        return nullptr;
    }

    // "schema:ref" → (schema, ref); a bare ref belongs to `self`
    std::pair<std::string, std::string> split_schema(const std::string& full) const {
        auto colon = full.find(':');
        if (colon != std::string::npos) {
            std::string p = schema::trim(full.substr(0, colon));
            if (schemas.find(p)) return {p, schema::trim(full.substr(colon + 1))};
        }
        return {"", schema::trim(full)};
    }

    std::vector<Resolved> res(const LogicalTable& self, const std::string& full, const std::string& side = "") const {
        auto [sid, ref] = split_schema(full);
        const LogicalTable* lt = table_for(sid, self);
        if (!lt) return {};
        const schema::Schema* s = schemas.find(lt->schema);
        if (!s) return {};
        return resolve(doc, *lt, *s, ref, side, true);
    }

    // a resolved reference as a term of `side`, or as a covered slot of `e`
    static void put(Equation& e, std::vector<Term>& side, const Resolved& r, double sign = 1.0) {
        if (r.covered) e.covered.push_back(r.cell);
        else side.push_back({r.cell, sign});
    }

    static std::vector<std::string> split_plus(const std::string& expr) {
        std::vector<std::string> out;
        size_t start = 0;
        while (true) {
            auto p = expr.find(" + ", start);
            out.push_back(schema::trim(expr.substr(start, p == std::string::npos ? std::string::npos : p - start)));
            if (p == std::string::npos) break;
            start = p + 3;
        }
        return out;
    }

    static std::string replace_star(std::string s, const std::string& f) {
        auto p = s.rfind("/*");
        if (p != std::string::npos && p + 2 == s.size()) s = s.substr(0, p) + "/" + f;
        return s;
    }

    static Term term(const Resolved& r, double sign = 1.0) { return {r.cell, sign}; }

    std::string side_of_ref(const schema::Schema& s, const std::string& ref) const {
        for (const auto& sd : s.sides)
            if (ref.rfind(sd + ".", 0) == 0) return sd;
        return "";
    }

    // A sum over a side's class lines ("expense.class:*") lacks every line of
    // that side that states an amount (or hides one) but was matched to no
    // class, no fixed row and no code — a label misread (")八、社会保障和就业支出"),
    // stained: those lines say "row N without a class".
    std::vector<std::string> unclassed_lines(const LogicalTable& lt, const schema::Schema& s, const std::string& ref) {
        std::vector<std::string> out;
        std::string sd = side_of_ref(s, ref);
        std::string field;
        if (auto slash = ref.find('/'); slash != std::string::npos) field = ref.substr(slash + 1);
        if (field.empty()) {
            auto vf = value_fields(s, sd);
            if (vf.empty()) return out;
            field = vf[0];
        }
        const json* recs = nullptr;
        if (lt.records.is_object() && !sd.empty() && lt.records.contains(sd)) recs = &lt.records[sd];
        else if (lt.records.is_array()) recs = &lt.records;
        if (!recs) return out;
        for (const auto& rec : *recs) {
            if (!rec_key(rec).empty() || !rec_code(rec).empty() || is_total_rec(rec)) continue;
            auto cc = field_cell(doc, rec, field);
            if (!cc) continue;
            const Cell* c = doc.tables[cc->table].at(cc->row, cc->col);
            if (!c) continue;
            bool amount = c->obscured;
            if (!amount) {
                auto pn = schema::parse_number(c->text);
                amount = pn.numeric ? (pn.value && std::abs(*pn.value) >= 0.005) : !(pn.blank || pn.dash);
            }
            if (amount) out.push_back("row " + std::to_string(cc->row) + " without a class");
        }
        return out;
    }

    void sum_identity(const LogicalTable& lt, const schema::Schema& s, const json& id, const std::string& name) {
        std::string target = id.value("target", "");
        std::vector<std::string> terms, minus;
        for (const auto& t : id.value("terms", json::array())) terms.push_back(t.get<std::string>());
        for (const auto& t : id.value("minus", json::array())) minus.push_back(t.get<std::string>());
        std::vector<std::string> fields = {""};
        bool star = target.size() >= 2 && target.compare(target.size() - 2, 2, "/*") == 0;
        if (star) fields = value_fields(s, side_of_ref(s, target));
        for (const auto& f : fields) {
            Equation e;
            e.identity = s.id + ":" + name;
            e.kind = "sum";
            std::string tg = star ? replace_star(target, f) : target;
            e.label = tg;
            for (const auto& r : res(lt, tg)) put(e, e.lhs, r);
            if (e.lhs.size() != 1) continue;
            for (const auto& t : terms)
                for (const auto& r : res(lt, star ? replace_star(t, f) : t)) put(e, e.rhs, r);
            for (const auto& t : minus)
                for (const auto& r : res(lt, star ? replace_star(t, f) : t)) put(e, e.rhs, r, -1.0);
            for (const auto& t : terms)
                if (t.find("class:*") != std::string::npos)
                    for (auto& m : unclassed_lines(lt, s, star ? replace_star(t, f) : t)) e.missing_terms.push_back(std::move(m));
            add(std::move(e));
        }
    }

    std::map<int, schema::GridInfo> grids;

    bool unmapped_number(const json& rec) {
        int t = rec.value("_t", -1), r = rec.value("row", -1);
        if (t < 0 || r < 0) return false;
        const Table& tb = doc.tables[t];
        auto g = grids.find(t);
        if (g == grids.end()) g = grids.emplace(t, schema::analyse_grid(tb)).first;
        std::set<int> mapped;
        if (auto f = rec.find("fields"); f != rec.end() && f->is_object())
            for (const auto& [k, v] : f->items())
                if (v.contains("cell") && v["cell"].is_array()) mapped.insert(v["cell"][1].get<int>());
        int first = 0;  // amounts sit right of the name (codes left of it)
        if (rec.contains("name_cell") && rec["name_cell"].is_array()) first = rec["name_cell"][1].get<int>() + 1;
        for (const auto& c : tb.cells) {
            if (c.row != r || c.col < first || mapped.count(c.col)) continue;
            if (c.col < static_cast<int>(g->second.cols.size())) {
                const auto& role = g->second.cols[c.col].role;
                if (role == "code" || role == "line_no" || role == "text") continue;
            }
            auto p = schema::parse_number(c.text);
            if (p.numeric && p.value && *p.value != 0.0) return true;
            // among the amounts (right of the first mapped one): an occluded
            // cell, or digits that do not parse (").00"), may be an amount
            if (mapped.empty() || c.col < *mapped.begin()) continue;
            if (c.obscured) return true;
            if (!p.numeric && std::any_of(c.text.begin(), c.text.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
                return true;
        }
        return false;
    }

    void row_sum_identity(const LogicalTable& lt, const schema::Schema& s, const json& id, const std::string& name) {
        std::string target = id.value("target", "");
        std::string side = id.value("side", "");
        std::vector<std::string> terms, minus;
        for (const auto& t : id.value("terms", json::array())) terms.push_back(t.get<std::string>());
        for (const auto& t : id.value("minus", json::array())) minus.push_back(t.get<std::string>());
        for (const auto& [sd, recs] : lt.records.items()) {
            if (!side.empty() && sd != side) continue;
            for (const auto& rec : recs) {
                auto tc = field_cell(doc, rec, target);
                if (!tc) continue;
                Equation e;
                e.identity = s.id + ":" + name;
                e.kind = "row_sum";
                std::string who = rec_code(rec).empty() ? rec_name(rec) : rec_code(rec);
                e.label = (who.empty() ? std::string("row") : who) + "/" + target;
                e.lhs.push_back({*tc, 1.0});
                if (auto slot = covered_slot(doc, rec, target)) e.covered.push_back(*slot);
                std::vector<std::string> absent;
                auto term_of = [&](const std::string& t, double sign) {
                    auto c = field_cell(doc, rec, t);
                    auto slot = covered_slot(doc, rec, t);
                    if (c) e.rhs.push_back({*c, sign});
                    if (slot) e.covered.push_back(*slot);
                    else if (!c && !has_field(rec, t)) absent.push_back(t);
                };
                for (const auto& t : terms) term_of(t, 1.0);
                for (const auto& t : minus) term_of(t, -1.0);
                // a term column the grid did not map is only harmless when the
                // row has no number in an unmapped value column
                if (!absent.empty() && unmapped_number(rec)) e.missing_terms = absent;
                add(std::move(e));
            }
        }
    }

    void hierarchy_identity(const LogicalTable& lt, const schema::Schema& s, const std::string& name) {
        for (const auto& [sd, recs] : lt.records.items()) {
            auto vf = value_fields(s, sd);
            std::map<std::string, std::vector<const json*>> by_code;
            std::vector<const json*> coded;
            const json* total = nullptr;
            for (const auto& rec : recs) {
                std::string code = rec_code(rec);
                if (!code.empty() && schema::is_digits(code)) {
                    by_code[code].push_back(&rec);
                    coded.push_back(&rec);
                } else if (!total && is_total_rec(rec)) {
                    total = &rec;
                }
            }
            // A row stating an amount in field f but no code (a code misread as
            // garbage, its digits lost) may be a line of any block it stands in:
            // the sums of those blocks are incomplete in f. A row with a blank,
            // dash or zero amount there changes no sum.
            std::vector<const json*> order;
            for (const auto& rec : recs) order.push_back(&rec);
            auto uncoded_amount = [&](const json& rec, const std::string& f) -> std::optional<int> {
                if (!rec_code(rec).empty() || !rec_key(rec).empty() || is_total_rec(rec)) return std::nullopt;
                auto cc = field_cell(doc, rec, f);
                if (!cc) return std::nullopt;
                const Cell* c = doc.tables[cc->table].at(cc->row, cc->col);
                if (!c) return std::nullopt;
                if (!c->obscured) {
                    if (c->value) {
                        if (std::abs(*c->value) < 0.005) return std::nullopt;
                    } else {
                        auto pn = schema::parse_number(c->text);
                        if (pn.blank || pn.dash || (pn.numeric && pn.value && std::abs(*pn.value) < 0.005)) return std::nullopt;
                    }
                }
                return cc->row;
            };
            auto uncoded_in_block = [&](const json* parent, const std::string& code, const std::string& f) {
                std::vector<std::string> out;
                auto it = std::find(order.begin(), order.end(), parent);
                if (it == order.end()) return out;
                for (++it; it != order.end(); ++it) {
                    std::string c = rec_code(**it);
                    if ((!c.empty() && c.compare(0, code.size(), code) != 0) || is_total_rec(**it)) break;
                    if (auto r = uncoded_amount(**it, f)) out.push_back("row " + std::to_string(*r) + " without a code");
                }
                return out;
            };
            // Rows of the table inside a block that hold something in the column
            // but are no line of it (their code and name lost under damage,
            // three lines merged into one unreadable row): the block's sum lacks
            // them. Checked between consecutive lines of the block, and after
            // its last line up to the next one.
            auto unread_in_block = [&](const json* parent, const std::string& code, const std::string& f) {
                std::vector<std::string> out;
                auto it = std::find(order.begin(), order.end(), parent);
                if (it == order.end()) return out;
                const json* prev = parent;
                for (auto jt = std::next(it);; ++jt) {
                    const json* next = jt == order.end() ? nullptr : *jt;
                    int t = prev->value("_t", -1), r0 = prev->value("row", -1);
                    auto pc = field_cell(doc, *prev, f);
                    if (t >= 0 && r0 >= 0 && pc && pc->table == t) {
                        const Table& tb = doc.tables[t];
                        int r1 = next && next->value("_t", -1) == t ? next->value("row", -1) : tb.n_rows;
                        // the name slot and the one left of it (the code, or its
                        // last part) legibly blank: no line is printed on that row,
                        // whatever a stain's edge left in the amount slot
                        int nc = prev->contains("name_cell") && (*prev)["name_cell"].is_array()
                                     ? (*prev)["name_cell"][1].get<int>()
                                     : -1;
                        auto legibly_blank = [&](int r, int col) {
                            if (col < 0) return false;
                            const Cell* x = tb.at(r, col);
                            if (!x) return true;
                            if (x->row != r || x->col != col || x->row_span != 1 || x->col_span != 1 || x->obscured ||
                                !schema::trim(x->text).empty())
                                return false;
                            for (const auto& rd : x->readings)
                                if (!schema::trim(rd.text).empty()) return false;  // an engine saw something
                            return true;
                        };
                        for (int r = r0 + 1; r < r1; ++r) {
                            const Cell* c = tb.at(r, pc->col);
                            if (!c || (!c->obscured && schema::trim(c->text).empty())) continue;
                            if (nc > 0 && legibly_blank(r, nc) && legibly_blank(r, nc - 1)) continue;
                            out.push_back("row " + std::to_string(r) + " not read as a line");
                        }
                    }
                    if (!next) break;
                    std::string c = rec_code(*next);
                    if ((!c.empty() && c.compare(0, code.size(), code) != 0) || is_total_rec(*next)) break;
                    prev = next;
                }
                return out;
            };
            // The blocks still open at the table's last line: when the table
            // does not end with its total, the lines after it may be on a page
            // not at hand (a cut, a missing page), and every ancestor of the last
            // code — and the total, when printed at the top — may lack children.
            std::set<std::string> open;
            bool total_open = false;
            const bool closed = ends_on_its_page(lt);
            for (auto it = order.rbegin(); it != order.rend() && !closed; ++it) {
                if (is_total_rec(**it)) break;
                std::string c = rec_code(**it);
                if (c.empty() || !schema::is_digits(c)) continue;
                for (const auto& [code, parents] : by_code)
                    if (code.size() < c.size() && c.compare(0, code.size(), code) == 0) open.insert(code);
                total_open = true;
                break;
            }
            for (const auto& f : vf) {
                // parent = Σ direct children (code + 2 digits)
                for (const auto& [code, parents] : by_code) {
                    Equation e;
                    e.identity = s.id + ":" + name;
                    e.kind = "hierarchy";
                    e.label = code + "/" + f;
                    auto pc = field_cell(doc, *parents[0], f);
                    if (!pc) continue;
                    e.lhs.push_back({*pc, 1.0});
                    if (auto slot = covered_slot(doc, *parents[0], f)) e.covered.push_back(*slot);
                    for (const auto* rec : coded) {
                        std::string c = rec_code(*rec);
                        if (c.size() == code.size() + 2 && c.compare(0, code.size(), code) == 0) {
                            if (auto cc = field_cell(doc, *rec, f)) e.rhs.push_back({*cc, 1.0});
                            if (auto slot = covered_slot(doc, *rec, f)) e.covered.push_back(*slot);
                        }
                    }
                    for (auto& m : uncoded_in_block(parents[0], code, f)) e.missing_terms.push_back(std::move(m));
                    for (auto& m : unread_in_block(parents[0], code, f)) e.missing_terms.push_back(std::move(m));
                    e.open_end = open.count(code) > 0;
                    add(std::move(e));
                }
                if (!total) continue;
                auto tc = field_cell(doc, *total, f);
                if (!tc) continue;
                Equation e;
                e.identity = s.id + ":" + name;
                e.kind = "hierarchy";
                e.label = "合计/" + f;
                e.lhs.push_back({*tc, 1.0});
                if (auto slot = covered_slot(doc, *total, f)) e.covered.push_back(*slot);
                size_t shortest = std::string::npos;
                for (const auto* rec : coded) shortest = std::min(shortest, rec_code(*rec).size());
                for (const auto* rec : coded) {
                    std::string c = rec_code(*rec);
                    bool top = true;
                    for (size_t len = 3; len < c.size(); len += 2)
                        if (by_code.count(c.substr(0, len))) top = false;
                    // a code below the table's top level whose parent is not listed (the
                    // table's start is on a page not at hand, or the parent's code was
                    // misread): the total sums lines that are not here
                    if (top && c.size() > shortest && by_code[c][0] == rec) e.missing_terms.push_back("parent of " + c);
                    // a code repeated (a keying error) is counted once
                    if (top && by_code[c][0] == rec) {
                        if (auto cc = field_cell(doc, *rec, f)) e.rhs.push_back({*cc, 1.0});
                        if (auto slot = covered_slot(doc, *rec, f)) e.covered.push_back(*slot);
                    }
                }
                for (const auto* rec : order)
                    if (auto r = uncoded_amount(*rec, f)) e.missing_terms.push_back("row " + std::to_string(*r) + " without a code");
                e.open_end = total_open;
                add(std::move(e));
            }
        }
    }

    void compare_identity(const LogicalTable& lt, const schema::Schema& s, const json& id, const std::string& name,
                          const std::string& kind) {
        std::string left = id.value("left", ""), right = id.value("right", "");
        std::vector<std::vector<Resolved>> L, R;
        for (const auto& p : split_plus(left)) L.push_back(res(lt, p));
        for (const auto& p : split_plus(right)) R.push_back(res(lt, p));
        // every part of "a + b" must be there: a partial sum proves nothing
        for (const auto* side : {&L, &R})
            if (side->size() > 1)
                for (const auto& part : *side)
                    if (part.empty()) return;
        auto flat = [](const std::vector<std::vector<Resolved>>& v) {
            std::vector<Resolved> o;
            for (const auto& x : v) o.insert(o.end(), x.begin(), x.end());
            return o;
        };
        auto fl = flat(L), fr = flat(R);
        if (fl.empty() || fr.empty()) return;
        std::string op = id.value("op", "=");
        auto scale_of = [&](const std::vector<Resolved>& l, const std::vector<Resolved>& r) {
            double a = unit_factor(unit_of(l[0].cell.table)), b = unit_factor(unit_of(r[0].cell.table));
            return (a > 0 && b > 0) ? b / a : 1.0;
        };
        auto pair_key = [](std::string k) {
            if (k.rfind("class:", 0) == 0) k = k.substr(6);
            return k;
        };
        bool wildcard = (left.find('*') != std::string::npos) && (right.find('*') != std::string::npos) &&
                        L.size() == 1 && R.size() == 1;
        if (wildcard) {
            for (const auto& l : fl) {
                for (const auto& r : fr) {
                    if (pair_key(l.key).empty() || pair_key(l.key) != pair_key(r.key)) continue;
                    Equation e;
                    e.identity = s.id + ":" + name;
                    e.kind = kind;
                    e.op = op;
                    e.label = left + " ↔ " + right + " [" + pair_key(l.key) + "]";
                    put(e, e.lhs, l);
                    put(e, e.rhs, r, scale_of({l}, {r}));
                    add(std::move(e));
                    break;
                }
            }
            return;
        }
        Equation e;
        e.identity = s.id + ":" + name;
        e.kind = kind;
        e.op = op;
        e.label = left + " ↔ " + right;
        double k = scale_of(fl, fr);
        for (const auto& l : fl) put(e, e.lhs, l);
        for (const auto& r : fr) put(e, e.rhs, r, k);
        add(std::move(e));
    }

    void duplicate_identity(const LogicalTable& lt, const schema::Schema& s, const json& id, const std::string& name) {
        const LogicalTable* other = table_for(id.value("of", ""), lt);
        if (!other || other == &lt) return;
        for (const auto& [sd, recs] : lt.records.items()) {
            auto oit = other->records.find(sd);
            if (oit == other->records.end()) continue;
            std::map<std::string, int> occ_self, occ_other;
            std::map<std::string, const json*> other_by;
            for (const auto& rec : *oit) {
                std::string k = rec_code(rec) + "|" + rec_key(rec) + "|" + (rec_code(rec).empty() && rec_key(rec).empty() ? norm(rec_name(rec)) : "");
                other_by[k + "#" + std::to_string(occ_other[k]++)] = &rec;
            }
            auto vf = value_fields(s, sd);
            for (const auto& rec : recs) {
                std::string k = rec_code(rec) + "|" + rec_key(rec) + "|" + (rec_code(rec).empty() && rec_key(rec).empty() ? norm(rec_name(rec)) : "");
                auto it = other_by.find(k + "#" + std::to_string(occ_self[k]++));
                if (it == other_by.end()) continue;
                for (const auto& f : vf) {
                    auto a = field_cell(doc, rec, f), b = field_cell(doc, *it->second, f);
                    if (!a || !b) continue;
                    Equation e;
                    e.identity = s.id + ":" + name;
                    e.kind = "duplicate";
                    std::string who = rec_code(rec).empty() ? rec_name(rec) : rec_code(rec);
                    e.label = who + "/" + f + " ≡ " + other->schema;
                    e.lhs.push_back({*a, 1.0});
                    e.rhs.push_back({*b, 1.0});
                    add(std::move(e));
                }
            }
        }
    }
};

}  // namespace

std::vector<Equation> build_equations(const Document& doc, const schema::SchemaSet& schemas, int year,
                                      double table_closed_above) {
    Builder b{doc, schemas, logical_tables(doc), {}, {}, table_closed_above, {}};
    for (const auto& lt : b.lts) {
        const schema::Schema* s = schemas.find(lt.schema);
        if (!s || !s->identities.is_array()) continue;
        for (const auto& id : s->identities) {
            if (!id.is_object()) continue;
            std::string name = id.value("id", "");
            std::string kind = id.value("kind", "");
            if (id.contains("when")) continue;  // a condition the tables cannot tell
            if (year > 0 && id.contains("years") && !schema::parse_years(id.value("years", "")).contains(year)) continue;
            try {
                if (kind == "sum") b.sum_identity(lt, *s, id, name);
                else if (kind == "row_sum") b.row_sum_identity(lt, *s, id, name);
                else if (kind == "hierarchy") b.hierarchy_identity(lt, *s, name);
                else if (kind == "equal") b.compare_identity(lt, *s, id, name, "equal");
                else if (kind == "cross") b.compare_identity(lt, *s, id, name, "cross");
                else if (kind == "duplicate") b.duplicate_identity(lt, *s, id, name);
                else spdlog::debug("validate: {}:{} has unknown kind {}", s->id, name, kind);
            } catch (const std::exception& e) {
                spdlog::warn("validate: identity {}:{} not evaluated: {}", s->id, name, e.what());
            }
        }
    }
    return std::move(b.eqs);
}

// ------------------------------------------------------------ evaluation

bool is_unknown_cell(const Cell& c, const ValidateSettings& st) {
    if (c.source == Source::Recovered) return false;
    if (c.source == Source::TextLayer) return false;
    if (c.obscured) return true;
    if (c.provenance.contains("speck")) return false;  // no digit printed there (schema stage)
    std::string t = schema::trim(c.text);
    if (schema::has_cjk(t)) return false;  // a label, not a collapsed number
    // nothing read where the recognisers were asked (the crop held ink) and
    // little trust in that: collapsed, not blank — whether the recogniser's
    // output was kept as an empty OCR text or as an empty cell (damaged
    // social-work s2: 6.18 read as nothing at 0.0 made its 20805 block sum
    // without it)
    if (t.empty())
        return (c.source == Source::Ocr || c.source == Source::Empty) && !c.readings.empty() &&
               c.confidence < st.collapsed_below;
    auto p = schema::parse_number(t);
    return !p.numeric && !p.dash && !p.blank;
}

// digits in the longest run of digits and separators (, .) of a text
static int digit_run(const std::string& text) {
    int best = 0, run = 0;
    for (char ch : text) {
        if (ch >= '0' && ch <= '9') best = std::max(best, ++run);
        else if (ch != ',' && ch != '.') run = 0;
    }
    return best;
}

bool is_unknown_at(const Document& doc, const CellRef& r, const ValidateSettings& st) {
    if (r.table < 0 || r.table >= static_cast<int>(doc.tables.size())) return true;
    const Table& t = doc.tables[r.table];
    const Cell* c = t.at(r.row, r.col);
    if (!c) return false;
    if (is_unknown_cell(*c, st)) return true;
    // an amount slot whose reading holds a number among CJK specks and
    // brackets ("西电2,925,857.00("): the amount is printed there under a
    // stain — unknown, not a label and not blank
    if (c->source == Source::Ocr && !c->value && c->row == r.row && c->col == r.col &&
        digit_run(c->text) >= st.stained_number_digits) {
        auto p = schema::parse_number(c->text);
        if (!p.numeric && !p.dash && !p.blank) return true;  // a printed number reads as itself
    }
    // an amount slot read as a few unsure CJK characters (a blot's texture, a
    // stain's edge) in a row that states numbers elsewhere: not a label
    if (c->source != Source::Ocr || c->confidence >= st.collapsed_below || c->value) return false;
    std::string text = schema::trim(c->text);
    if (!schema::has_cjk(text) || schema::parse_number(text).numeric) return false;
    for (const auto& o : t.cells)
        if (o.row == c->row && &o != c && (o.value || schema::parse_number(o.text).numeric)) return true;
    return false;
}

CellValue cell_value(const Document& doc, const CellRef& r, const ValidateSettings& st) {
    if (r.table < 0 || r.table >= static_cast<int>(doc.tables.size())) return {State::Unknown, 0};
    const Cell* c = doc.tables[r.table].at(r.row, r.col);
    if (!c) return {State::Blank, 0};
    if (is_unknown_at(doc, r, st)) return {State::Unknown, 0};
    if (c->value) return {State::Value, *c->value};
    auto p = schema::parse_number(c->text);
    if (p.numeric && p.value) return {State::Value, *p.value};
    if (p.dash) return {State::Dash, 0};
    return {State::Blank, 0};
}

double rounding_allowance(const Equation& eq, const ValidateSettings& st) {
    if (std::find(st.rounding_kinds.begin(), st.rounding_kinds.end(), eq.kind) == st.rounding_kinds.end()) return 0.0;
    auto it = st.rounding_per_item.find(eq.unit);
    double per = it != st.rounding_per_item.end() ? it->second : st.rounding_per_item.count("") ? st.rounding_per_item.at("") : 0.01;
    return std::min(per * eq.n_items(), st.rounding_cap);
}

Evaluation evaluate(const Document& doc, const Equation& eq, const ValidateSettings& st) {
    Evaluation ev;
    bool lhs_blank = true, rhs_blank = true;
    for (const auto& t : eq.lhs) {
        auto v = cell_value(doc, t.cell, st);
        if (v.state == State::Unknown) ev.unknowns++;
        if (v.state != State::Blank) lhs_blank = false;
        ev.found += t.sign * v.value;
    }
    for (const auto& t : eq.rhs) {
        auto v = cell_value(doc, t.cell, st);
        if (v.state == State::Unknown) ev.unknowns++;
        if (v.state != State::Blank) rhs_blank = false;
        ev.expected += t.sign * v.value;
    }
    ev.difference = ev.found - ev.expected;
    if (ev.unknowns > 0) return ev;
    if (lhs_blank && rhs_blank) return ev;
    ev.evaluable = true;
    const double eps = st.exact_epsilon;
    if (lhs_blank) {
        ev.holds = std::abs(ev.expected) <= eps;
        ev.missing = ev.missing_lhs = !ev.holds;
        return ev;
    }
    if (rhs_blank && (eq.kind == "cross" || eq.kind == "equal" || eq.kind == "duplicate")) {
        ev.holds = std::abs(ev.found) <= eps || (eq.op == ">=" && ev.found >= -eps);
        ev.missing = !ev.holds;
        return ev;
    }
    double d = ev.difference;
    if (eq.op == ">=") {
        ev.holds = d >= -eps;
        if (!ev.holds) ev.rounding = -d <= rounding_allowance(eq, st) + eps;
    } else {
        ev.holds = std::abs(d) <= eps;
        if (!ev.holds) ev.rounding = std::abs(d) <= rounding_allowance(eq, st) + eps;
    }
    return ev;
}

}  // namespace fiscan::validate

namespace fiscan::validate {

std::vector<Resolved> resolve_ref(const Document& doc, const std::vector<LogicalTable>& lts,
                                  const schema::SchemaSet& schemas, const std::string& full_ref) {
    auto colon = full_ref.find(':');
    if (colon == std::string::npos) return {};
    std::string sid = schema::trim(full_ref.substr(0, colon));
    const schema::Schema* s = schemas.find(sid);
    if (!s) return {};
    for (const auto& lt : lts)
        if (lt.schema == sid) return resolve(doc, lt, *s, full_ref.substr(colon + 1));
    return {};
}

}  // namespace fiscan::validate
