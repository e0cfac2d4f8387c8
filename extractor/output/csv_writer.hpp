// Output stage: CSV export of an extraction.
// Takes: the contract JSON of one document (output::to_json, or a stored
// result). Gives: one CSV per table (the cell grid: a merged cell's content in
// its top-left slot, the other slots it covers empty; numeric cells as plain
// numbers with the printed number of decimals), one CSV of the table's
// canonical records when the schema stage filled them, and findings.csv.
// UTF-8 without BOM, RFC 4180 quoting, "\r\n" line ends.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace fiscan::output {

// A number as a spreadsheet should show it: as many decimals as the page
// printed ("1,234.50" → 1234.50), else the shortest exact form.
std::string format_number(double v, const std::string& printed);
int printed_decimals(const std::string& printed);  // digits after the '.', 0 when none

// Canonical records (Table::records) flattened into a header and rows. Cells are
// numbers, strings or null. Code tables give code|name|level|<fields…>; the
// two-sided form ({"income":[…],"expense":[…]}) adds a leading "side" column.
struct RecordsGrid {
    std::vector<std::string> header;
    std::vector<std::vector<nlohmann::json>> rows;
    bool empty() const { return rows.empty(); }
};
RecordsGrid flatten_records(const nlohmann::json& records);

// The n_rows × n_cols grid of a table: for each slot the covering cell's JSON
// when the slot is that cell's top-left slot, null otherwise.
std::vector<std::vector<const nlohmann::json*>> table_grid(const nlohmann::json& table);

std::string csv_field(const std::string& s);
std::string table_csv(const nlohmann::json& table);
std::string records_csv(const nlohmann::json& records);  // "" when there are none
std::string findings_csv(const nlohmann::json& findings);

// Writes DIR/table-01.csv … (plus table-01.records.csv when records exist) and
// DIR/findings.csv, each atomically; creates DIR. Returns the paths written.
std::vector<std::string> write_csv_dir(const nlohmann::json& doc, const std::string& dir);

}  // namespace fiscan::output
