// Output stage: XLSX export of an extraction (libxlsxwriter).
// Takes: the contract JSON of one document. Gives: a workbook with one sheet
// per table — the cell grid with its merges, numbers stored as numeric cells
// (formatted with the printed number of decimals), text as text, cells below
// 0.8 confidence shaded yellow and recovered cells orange; below the grid, when
// the schema stage mapped the table, its canonical records as a block — and a
// last sheet "findings".
// Sheet layout: row 1 the table's title, row 2 page / unit / schema, the grid
// from row 4 (Excel numbering).
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace fiscan::output {

inline constexpr int kXlsxGridFirstRow = 3;  // 0-based row of the grid's first row

// Writes the workbook to `path` atomically (temp file in the same folder + rename).
void write_xlsx(const nlohmann::json& doc, const std::string& path);

// The workbook as bytes (for the service's result.xlsx).
std::string xlsx_bytes(const nlohmann::json& doc);

// The sheet name used for table `index` (0-based): "T01 p4 收入支出决算总表",
// at most 31 characters, without the characters Excel forbids.
std::string xlsx_sheet_name(size_t index, const nlohmann::json& table);

}  // namespace fiscan::output
