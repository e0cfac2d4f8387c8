// Classification code lists (models/lexicon/*.csv, built by
// scripts/lexicon/build.py): 支出功能分类 (function), 部门预算支出经济分类
// (dept_economic), 政府预算支出经济分类 (gov_economic), 收入分类 (revenue).
// A code may carry several names, each with its year range.
#pragma once

#include "core/types.hpp"
#include "schema/schema.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace fiscan::schema {

struct LexEntry {
    std::string code, name, level, parent;
    int year_from = 0, year_to = 9999;   // 0 / 9999 = open
    bool verified = false;
    std::string norm;                    // normalised name, qualifier stripped
    bool in_year(int y) const { return y <= 0 || (y >= year_from && y <= year_to); }
};

class Lexicon {
public:
    void add(const std::string& system, LexEntry e);
    // Names of `code` valid in `year` (all names when none is valid that year).
    std::vector<const LexEntry*> lookup(const std::string& system, const std::string& code, int year = 0) const;
    // Codes of the given length whose name is exactly `name` (normalised).
    std::vector<const LexEntry*> by_name(const std::string& system, const std::string& name, size_t code_len) const;
    // A 类 line of a totals table ("一、一般公共服务支出", "1、一般公共服务") → its 3-digit code.
    std::optional<std::string> class_code(const std::string& system, const std::string& label, bool short_names) const;
    size_t size(const std::string& system) const;
    bool empty() const { return entries_.empty(); }

    // Narrative vocabulary (narrative.json): labels stated in the text → the
    // schema fields they state. See docs/schemas.md.
    nlohmann::json narrative = nlohmann::json::array();

private:
    std::map<std::string, std::multimap<std::string, LexEntry>> entries_;  // system → code → entries
};

// Reads function.csv, dept_economic.csv, gov_economic.csv, revenue.csv of `dir`
// (or of `dir`/lexicon). Missing files are allowed; a malformed one throws.
Lexicon load_lexicon(const std::string& dir);

struct LexiconSettings {
    int max_snap_distance = 2;     // names within this edit distance (and ≤ len/4) snap to the lexicon
    double unknown_code_factor = 0.85;  // record confidence factor for a code absent from the lexicon
};

// Checks the code/name of every record of `t` (schema `s`) against `lex`:
// OCR'd names within a small edit distance snap to the lexicon name (raw text
// kept in cell.raw_text, correction in cell.provenance); text-layer names are
// never changed. Unknown codes lower the record's confidence; names that belong
// to another code or differ widely yield `code_name_mismatch` findings.
// Header cells read by OCR snap to the schema's header vocabulary (every
// synonym of every header level, header words, side titles) when one label is
// nearest, within max_snap_distance and a third of its length; the raw
// reading is kept (raw_text, provenance.header_vocabulary). Two labels merged
// into one cell, or a reading near two labels, are left as read. Returns how
// many cells were snapped.
int snap_header_cells(Table& t, int header_rows, const Schema& s, const LexiconSettings& settings = {});

void apply_lexicon(Table& t, int table_index, const Schema& s, const Lexicon& lex, int year,
                   std::vector<Finding>& findings, const LexiconSettings& settings = {});

}  // namespace fiscan::schema
