// Table schemas (layouts/<id>.json, format in docs/schemas.md), loaded at run
// time: titles, numbering, years, column tree, row key, fixed rows, layout
// hints and the declarative identities a validation stage evaluates.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace fiscan::schema {

struct ColumnSpec {
    std::string field;                              // canonical field name ("code", "name", "本年支出.小计", …)
    std::string role;                               // code | name | label | line_no | value | text
    std::vector<std::vector<std::string>> path;     // header levels, each a list of synonyms (normalised)
    int col_no = -1;                                // printed column number (栏次), -1 if none
    bool optional = false;
};

struct FixedRow {
    std::string key;                     // canonical row key
    std::vector<std::string> labels;     // normalised, ordinal stripped
    std::string side;                    // income | expense | main | "" (any)
    std::string after;                   // only after this key was seen (sub-lines)
    int year_from = 0, year_to = 9999;
};

struct FormField {
    std::string field;
    std::vector<std::string> labels;
};

struct YearRange {
    int from = 0, to = 9999;
    bool contains(int y) const { return y <= 0 || (y >= from && y <= to); }
};
YearRange parse_years(const std::string& s);  // "2019-", "-2018", "2016-2018", "" → all

struct Schema {
    std::string id, kind, family;
    std::string standard;                 // catalogue id this layout is a regional variant of ("" = itself)
    std::vector<std::string> titles;      // normalised
    bool title_inside = false;            // a title may sit inside a sentence that wraps (纳入…编制范围的单位包括：)
    std::vector<std::string> numbering;   // normalised
    YearRange years;
    std::string row_key;                  // code | label | single | form
    std::string code_system;              // function | dept_economic | gov_economic | revenue
    std::string class_lines;              // function | function_short | "" (two-sided tables)
    std::string block;                    // economic block a table lists (301 …)
    std::string funds;                    // whose money it lists: all | general | gov_fund | state_capital | special | "" (not said)
    std::vector<std::string> sides;       // two-sided: income, expense; main
    std::map<std::string, std::string> side_titles;
    std::map<std::string, std::vector<ColumnSpec>> side_columns;
    std::vector<ColumnSpec> columns;      // one-sided tables (and each panel)
    bool panels = false;                  // repeated side-by-side panels (final.06)
    std::vector<std::string> code_split;  // 类 款 项 when codes may be split over columns
    std::vector<FixedRow> fixed_rows;
    std::vector<FormField> form_fields;
    std::vector<std::string> header_words;  // extra header vocabulary (forms)
    nlohmann::json identities = nlohmann::json::array();
    nlohmann::json raw;

    // Every header label the schema expects (all synonyms of all levels), for fingerprints.
    std::vector<std::vector<std::string>> header_vocabulary() const;
    // Every label a header cell of this table may print, normalised, sorted,
    // unique: each synonym of each level of the column tree (and of the
    // sides'), the header words and the side titles.
    std::vector<std::string> header_labels() const;
    const std::vector<ColumnSpec>& columns_of(const std::string& side) const;
    // `label` (normalised, ordinal stripped) is one of the labels of a fixed row.
    bool fixed_row_label(const std::string& label) const;
};

// Weights and thresholds of the classifier (layouts/_classifier.json).
struct ClassifierSettings {
    double w_title = 0.55, w_header = 0.30, w_rows = 0.15;
    double title_floor = 0.6;       // below: the title names another table; confidence ≤ title score
    double untitled_cap = 0.85;     // a table without title is never more certain than this
    double numbering_bonus = 0.05, family_bonus = 0.05;
    double kind_penalty = 0.15, year_penalty = 0.10;
    double accept = 0.5;            // below: no schema
    double tie_gap = 0.05;          // closer runner-up: confidence lowered
    double continuation = 0.7;      // continuation score needed to inherit the previous table's schema
    double headerless_cap = 0.75;   // untitled table without header text, classified from its shape
    double title_noise = 0.4;       // best title score below this: the "title" is noise (OCR, a 编制部门 line)
    double title_line_weight = 0.98;  // a page line above the table tried as its title
    double family_min_confidence = 0.75;  // titled tables at least this sure teach the document's family
    double order_bonus = 0.03;      // untitled table: the schema printed right before the next table's
    // untitled, headerless table: a fund-specific table (一般公共预算 / 政府性基金 …)
    // says its fund in its title or header, so with neither on the page the
    // all-funds table of the same columns is the reading that claims least;
    // a pick this prior alone decides is never more certain than `prior_cap`
    double unrestricted_bonus = 0.02, prior_cap = 0.5;
    // a title a stain or tear cut short: at least `partial_title_chars` of the
    // printed characters, and `partial_title_share` of them, found in order in
    // the schema's title score `partial_title_weight` × that share
    double partial_title_weight = 0.75, partial_title_share = 0.7, partial_title_chars = 5;
    double header_coverage = 0.25;  // share of the header score that depends on the header words the schema explains
    std::vector<std::string> generic_header_words;  // header words any table prints (项目, 类, 款, 项): always explained
    std::vector<std::string> continuation_titles;   // "titles" that only say the table goes on (续表, 续上表)
};

struct SchemaSet {
    std::vector<Schema> schemas;
    ClassifierSettings settings;
    const Schema* find(const std::string& id) const;
    // The catalogue id (tables.json) a layout stands for: its `standard` when
    // it is a regional variant (budget.sh.03 → budget.std.03), else `id`.
    std::string catalogue_id(const std::string& id) const;
};

// Reads every *.json of `dir` (sorted by name); files starting with '_' are
// settings (_classifier.json), not schemas. Throws std::runtime_error naming
// the file on a malformed schema.
SchemaSet load_schemas(const std::string& dir);
Schema parse_schema(const nlohmann::json& j);

}  // namespace fiscan::schema
