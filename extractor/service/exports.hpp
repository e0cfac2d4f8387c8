// Export formats shared by `fiscan extract --format`, `fiscan batch` and the
// service: json (the contract), csv (a folder of CSVs), xlsx (one workbook).
// Given a base path B: B.json, B.xlsx and the folder B.csv/ (table-01.csv …,
// findings.csv). The JSON is written last, so its presence means every other
// requested output is already complete (batch relies on this to resume).
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace fiscan::service {

struct Formats {
    bool json = true, csv = false, xlsx = false;
    std::string str() const;  // "json,csv"
};

// "json,csv,xlsx" (any order, any subset, spaces allowed). Throws InputError on
// an unknown name or an empty list.
Formats parse_formats(const std::string& list);

// Writes the requested formats for base path `base` (atomically each); returns
// the paths written, JSON last.
std::vector<std::string> write_outputs(const nlohmann::json& doc, const std::string& base, const Formats& f);

// Output paths for base `base`.
std::string json_path(const std::string& base);
std::string xlsx_path(const std::string& base);
std::string csv_dir(const std::string& base);

}  // namespace fiscan::service
