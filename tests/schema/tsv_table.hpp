// Test helper: a fiscan::Table from a tab-separated fixture (tests/data/schema/*.tsv).
// Lines "# key: value" set title, numbering, unit, page, organisation,
// header_rows, source (text-layer | ocr), bbox (x0 y0 x1 y1, page px) and
// col_lines (column separators, page px; both need the scan's geometry). Cells: "<" = merged with the cell on
// the left, "^" = merged with the cell above. Bold tags <b></b> are dropped.
#pragma once

#include "core/types.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fiscan::testing {

inline std::string schema_data(const std::string& name) { return std::string(FISCAN_TEST_DATA) + "/schema/" + name; }

inline Table table_from_tsv(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("no fixture " + path);
    Table t;
    Source src = Source::TextLayer;
    std::vector<std::vector<std::string>> grid;
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.rfind("# ", 0) == 0) {
            auto colon = line.find(": ");
            if (colon == std::string::npos) continue;
            std::string k = line.substr(2, colon - 2), v = line.substr(colon + 2);
            if (k == "title") t.title = v;
            else if (k == "numbering") t.numbering = v;
            else if (k == "unit") t.unit = v;
            else if (k == "page") t.page = std::stoi(v);
            else if (k == "organisation") t.organisation = v;
            else if (k == "header_rows") t.header_rows = std::stoi(v);
            else if (k == "source") src = v == "ocr" ? Source::Ocr : Source::TextLayer;
            else if (k == "bbox") {
                std::istringstream is(v);
                is >> t.bbox.x0 >> t.bbox.y0 >> t.bbox.x1 >> t.bbox.y1;
            } else if (k == "col_lines") {
                std::istringstream is(v);
                for (int x; is >> x;) t.col_lines.push_back(x);
            }
            continue;
        }
        if (line.empty()) continue;
        std::vector<std::string> row;
        std::stringstream ss(line);
        std::string cell;
        while (std::getline(ss, cell, '\t')) {
            for (const char* tag : {"<b>", "</b>"})
                for (size_t p; (p = cell.find(tag)) != std::string::npos;) cell.erase(p, std::string(tag).size());
            row.push_back(cell);
        }
        if (!line.empty() && line.back() == '\t') row.push_back("");
        grid.push_back(row);
    }
    t.n_rows = static_cast<int>(grid.size());
    for (const auto& r : grid) t.n_cols = std::max(t.n_cols, static_cast<int>(r.size()));
    auto at = [&](int r, int c) -> std::string { return c < static_cast<int>(grid[r].size()) ? grid[r][c] : ""; };
    // owner[r][c] = index of the cell covering the slot
    std::vector<std::vector<int>> owner(t.n_rows, std::vector<int>(t.n_cols, -1));
    for (int r = 0; r < t.n_rows; ++r)
        for (int c = 0; c < t.n_cols; ++c) {
            std::string v = at(r, c);
            if (v == "<" && c > 0 && owner[r][c - 1] >= 0) {
                int idx = owner[r][c - 1];
                Cell& o = t.cells[idx];
                if (o.row == r) { o.col_span = c - o.col + 1; owner[r][c] = idx; continue; }
            }
            if (v == "^" && r > 0 && owner[r - 1][c] >= 0) {
                int idx = owner[r - 1][c];
                Cell& o = t.cells[idx];
                if (o.col == c) { o.row_span = r - o.row + 1; owner[r][c] = idx; continue; }
            }
            Cell cell;
            cell.row = r;
            cell.col = c;
            cell.text = v;
            cell.raw_text = "";
            cell.source = v.empty() ? Source::Empty : src;
            cell.confidence = v.empty() ? 1.0 : (src == Source::Ocr ? 0.9 : 0.99);
            t.cells.push_back(cell);
            owner[r][c] = static_cast<int>(t.cells.size()) - 1;
        }
    // a "^" below a horizontally merged cell: extend rows for every column it spans
    return t;
}

// A document of the tables of these fixtures (tests/data/schema/<name>).
inline Document doc_of_tsv(const std::vector<std::string>& fixtures) {
    Document d;
    for (const auto& f : fixtures) d.tables.push_back(table_from_tsv(schema_data(f)));
    return d;
}

}  // namespace fiscan::testing
