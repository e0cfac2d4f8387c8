// The identities of layouts/ (docs/schemas.md) expanded into linear equations
// over concrete cells of a Document: Σ lhs (op) Σ rhs, each term a cell with a
// sign. Every check, correction and recovery of the validation stage works on
// these equations, reading the cells' current values, so a correction made by
// one step is seen by the next.
#pragma once

#include "core/types.hpp"
#include "schema/schema.hpp"
#include "validate/settings.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fiscan::validate {

struct CellRef {
    int table = -1, row = -1, col = -1;   // anchor of the covering cell
    auto operator<=>(const CellRef&) const = default;
};

struct Term {
    CellRef cell;
    double sign = 1.0;                    // +1, or −1 for a "minus" term
};

struct Equation {
    std::string identity;                 // "<schema>:<identity id>"
    std::string kind;                     // sum | row_sum | hierarchy | equal | cross | duplicate
    std::string op = "=";                 // "=" or ">=" (lhs ≥ rhs)
    std::string label;                    // what is compared, for messages ("合计/本年支出合计")
    std::string unit;                     // unit of the lhs table
    std::vector<Term> lhs, rhs;           // lhs: the total / left side; rhs: items / right side
    std::vector<std::string> missing_terms;  // row sums: term columns the table's grid did not map
    // terms whose slot lies under a cell merged in from another slot (a ruling
    // hidden by damage, or misread): their own value is not on the page
    std::vector<CellRef> covered;
    // hierarchy: a block still open at the table's last line (the table does
    // not end with its total, so its lines may go on on a page not at hand):
    // it determines a hidden amount only when it holds in another column
    bool open_end = false;
    // an incomplete equation is checked (a warning when it fails) but never
    // corrects or recovers a cell
    bool incomplete() const { return !missing_terms.empty() || !covered.empty(); }
    int n_items() const;                  // summed items (rounding allowance)
    std::vector<CellRef> cells() const;   // lhs then rhs
    bool involves(const CellRef& c) const;
};

// A table and its continuations (Table::continues chain) with one schema.
struct LogicalTable {
    std::string schema;
    std::vector<int> parts;               // table indices, first = origin
    nlohmann::json records;               // parts' records concatenated; every record gets "_t": table index
};

std::vector<LogicalTable> logical_tables(const Document& doc);

// A record's "code" and "name" ("" when absent or null).
std::string rec_code(const nlohmann::json& rec);
std::string rec_name(const nlohmann::json& rec);

// Expands every applicable identity of every mapped table (and the cross-table
// identities between them) into equations, deduplicated (an identity stated
// from both sides appears once). `year` 0 = unknown (no identity is skipped by year).
// table_closed_above: a table whose last part ends above this share of its
// page's height, with no continuation after it, has no lines elsewhere (its
// last blocks are complete); 0 = never assumed (ValidateSettings).
std::vector<Equation> build_equations(const Document& doc, const schema::SchemaSet& schemas, int year,
                                      double table_closed_above = 0.0);

// Resolves one reference of the identity language ("final.03:合计/本年支出合计",
// "income.class:*") to the cells it names, within `lt` (schema prefix ignored).
// A wildcard yields several; each result has the record key it came from.
struct Resolved {
    CellRef cell;
    std::string key;   // class:201, 201, 合计, …  (pairing key of wildcard matches)
    std::string field;
    bool covered = false;  // the field's slot lies under a merged cell from elsewhere; cell = the slot
};
// `with_covered`: also yield the fields whose slot another cell covers (flagged
// `covered`), so that a sum over them can be marked incomplete.
std::vector<Resolved> resolve(const Document& doc, const LogicalTable& lt, const schema::Schema& s, const std::string& ref,
                              const std::string& default_side = "", bool with_covered = false);

// A slot (under a merged cell) of a column whose other body cells (at least 3)
// are all blank, dash or zero: the slot is taken as blank.
bool blank_column_slot(const Document& doc, const CellRef& slot);

// ---- the numeric state of a cell --------------------------------------------

enum class State { Value, Blank, Dash, Unknown };

struct CellValue {
    State state = State::Blank;
    double value = 0.0;                   // 0 for Blank / Dash
};

// Value: a number is printed (or was recovered/corrected). Blank: nothing
// printed. Dash: "—" (none). Unknown: obscured, or an OCR read that collapsed
// (garbage where a number belongs, or empty at low confidence).
CellValue cell_value(const Document& doc, const CellRef& r, const ValidateSettings& st);
bool is_unknown_cell(const Cell& c, const ValidateSettings& st);
// is_unknown_cell, or (for a cell of an equation: an amount slot) an OCR read of
// CJK text below `collapsed_below` in a row that states a number elsewhere.
bool is_unknown_at(const Document& doc, const CellRef& r, const ValidateSettings& st);

struct Evaluation {
    bool evaluable = false;               // no unknown cell, something printed
    bool holds = false;                   // exact (within epsilon)
    bool rounding = false;                // fails, but within the rounding allowance
    bool missing = false;                 // the total / a whole side is blank while the other is not zero
    bool missing_lhs = false;
    double found = 0, expected = 0, difference = 0;  // Σ lhs, Σ rhs, found − expected
    int unknowns = 0;
};

Evaluation evaluate(const Document& doc, const Equation& eq, const ValidateSettings& st);
double rounding_allowance(const Equation& eq, const ValidateSettings& st);

}  // namespace fiscan::validate

namespace fiscan::validate {

// A full reference ("final.05:合计/小计", "budget.hn.02:row/总计") resolved
// among the document's logical tables (first table of that schema).
std::vector<Resolved> resolve_ref(const Document& doc, const std::vector<LogicalTable>& lts,
                                  const schema::SchemaSet& schemas, const std::string& full_ref);

}  // namespace fiscan::validate
