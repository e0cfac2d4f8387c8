// Canonical records of a mapped table (Table::records):
//   code tables:  [{"code","name","level","fields":{field:{value,text,confidence,source,cell:[r,c]}}, …}]
//                 (codes split over 类|款|项 columns joined: 201|03|01 → 2010301)
//   panels:       final.06's side-by-side panels unfolded into one list ("panel": k)
//   two-sided:    {"income":[…], "expense":[…]} with "key" = the fixed row's canonical key
//                 (or "class:201" for a 类 line), "name" = the printed label
//   single row:   [{"fields":{…}}]
//   forms:        [{"fields":{field:{text,value,cell}}}]
// Header rows and 栏次 rows are skipped. Numeric cells of data rows get
// cell.value (in the table's unit, never converted).
#pragma once

#include "core/types.hpp"
#include "schema/grid.hpp"
#include "schema/lexicon.hpp"
#include "schema/schema.hpp"

#include <nlohmann/json.hpp>

namespace fiscan::schema {

// Sets cell.value / cell.kind for the numeric cells of data rows; a cell whose
// printed number had white space inside keeps it in raw_text.
void normalise_numbers(Table& t, const GridInfo& g);

// A name and its amount read as one cell across the ruling between them
// ("商品和服务支出86.59" spanning a name column and the value column right of
// it; the ruling lost to a stain or faint ink): split back into the two cells
// the grid has, at that column's ruling. Both keep provenance.split_from.
// Returns how many cells were split.
int split_label_amount(Table& t, const GridInfo& g);

nlohmann::json build_records(Table& t, const Schema& s, const GridInfo& g, const Lexicon* lex = nullptr, int year = 0);

// Joins a code split over 类|款|项 cells ("201","03","01" → "2010301"); a part
// may also be printed in full ("20103"). Returns "" when the parts are not a code.
std::string join_code(const std::vector<std::string>& parts);

}  // namespace fiscan::schema
