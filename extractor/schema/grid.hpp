// What the schema stage reads off a table's grid before it knows the schema:
// header rows, skipped rows (栏次, 类/款/项, column letters), each column's
// header text and content role, and how columns map onto a schema's columns.
#pragma once

#include "core/types.hpp"
#include "schema/schema.hpp"

#include <map>
#include <string>
#include <vector>

namespace fiscan::schema {

struct ColInfo {
    std::string header;   // normalised header text of the column, top to bottom
    std::string role;     // code | value | text | line_no | empty | other
    int col_no = -1;      // number printed in a 栏次 row above the data, -1 if none
    bool code_part = false;  // holds 2-digit 款/项 parts of a split code
};

struct GridInfo {
    int header_rows = 0;
    std::vector<int> data_rows;     // rows holding data (header, 栏次 rows excluded)
    std::vector<int> skipped_rows;  // 栏次 / 类款项 / column-letter rows inside the body
    std::vector<ColInfo> cols;
};

// The text a data slot holds: the cell anchored at (r, c); "" for slots a
// merged cell only spans. header_text: the covering cell's text.
std::string slot_text(const Table& t, int r, int c);
std::string header_text(const Table& t, int r, int c);

GridInfo analyse_grid(const Table& t);

// Column ranges [begin, end) of side-by-side blocks (two-sided tables, panels):
// a block starts where a code/text column follows a value/line_no/empty column.
std::vector<std::pair<int, int>> segments(const GridInfo& g);

struct ColumnMap {
    std::vector<int> code_cols;                  // 类 [款 [项]] or one full-code column
    int name_col = -1;                           // name / label column
    std::map<int, const ColumnSpec*> value_cols; // grid column → value spec
    std::map<std::string, int> text_cols;        // text field → grid column (forms, project tables)
    int matched_specs = 0, required_specs = 0, value_columns = 0;
    double score = 0.0;                          // header agreement in [0, 1]
};

// Maps grid columns [begin, end) onto `specs` by header text, falling back to
// order when the header says nothing.
ColumnMap map_columns(const GridInfo& g, int begin, int end, const std::vector<ColumnSpec>& specs);

// How well a header string matches a spec (0 = not at all).
double header_match(const ColumnSpec& spec, const std::string& header);

}  // namespace fiscan::schema
