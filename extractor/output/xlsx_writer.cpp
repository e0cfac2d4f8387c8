#include "output/xlsx_writer.hpp"

#include "output/csv_writer.hpp"

#include <xlsxwriter.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <unistd.h>

namespace fiscan::output {

using nlohmann::json;

namespace {

// Number format for `decimals` digits after the point, with thousands separators.
std::string num_format(int decimals) {
    std::string f = "#,##0";
    if (decimals > 0) {
        f.push_back('.');
        f.append(static_cast<size_t>(decimals), '0');
    }
    return f;
}

class Formats {
public:
    explicit Formats(lxw_workbook* wb) : wb_(wb) {}
    // kind: 0 plain, 1 low confidence, 2 recovered; decimals < 0: text cell.
    lxw_format* cell(int decimals, int kind) {
        auto key = std::make_pair(decimals, kind);
        if (auto it = cache_.find(key); it != cache_.end()) return it->second;
        lxw_format* f = workbook_add_format(wb_);
        format_set_border(f, LXW_BORDER_THIN);
        format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        if (decimals >= 0) format_set_num_format(f, num_format(decimals).c_str());
        else format_set_text_wrap(f);
        if (kind == 1) { format_set_pattern(f, LXW_PATTERN_SOLID); format_set_bg_color(f, 0xFFF2A8); }
        if (kind == 2) { format_set_pattern(f, LXW_PATTERN_SOLID); format_set_bg_color(f, 0xF8CBAD); }
        cache_[key] = f;
        return f;
    }
    lxw_format* bold() {
        if (!bold_) { bold_ = workbook_add_format(wb_); format_set_bold(bold_); }
        return bold_;
    }

private:
    lxw_workbook* wb_;
    std::map<std::pair<int, int>, lxw_format*> cache_;
    lxw_format* bold_ = nullptr;
};

void check(lxw_error e, const char* what) {
    if (e != LXW_NO_ERROR) throw std::runtime_error(std::string("xlsx: ") + what + ": " + lxw_strerror(e));
}

void write_value(lxw_worksheet* ws, int r, int c, const json& v, lxw_format* text_fmt) {
    if (v.is_number()) {
        check(worksheet_write_number(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), v.get<double>(), nullptr), "number");
    } else if (v.is_string() && !v.get<std::string>().empty()) {
        check(worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), v.get<std::string>().c_str(), text_fmt), "string");
    } else if (v.is_boolean() || v.is_array() || v.is_object()) {
        check(worksheet_write_string(ws, static_cast<lxw_row_t>(r), static_cast<lxw_col_t>(c), v.dump().c_str(), text_fmt), "string");
    }
}

std::string cell_text(const json& c) { return c.value("text", ""); }

void write_table_sheet(lxw_workbook* wb, Formats& fmts, size_t index, const json& t) {
    std::string name = xlsx_sheet_name(index, t);
    lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
    if (!ws) throw std::runtime_error("xlsx: cannot add sheet " + name);
    std::string title = t.value("title", "");
    if (title.empty()) title = "table " + std::to_string(index + 1);
    check(worksheet_write_string(ws, 0, 0, title.c_str(), fmts.bold()), "title");
    std::string meta = "page " + std::to_string(t.value("page", 0));
    if (t.contains("unit") && t["unit"].is_string() && !t["unit"].get<std::string>().empty())
        meta += " · unit " + t["unit"].get<std::string>();
    if (t.contains("schema") && t["schema"].is_string()) meta += " · schema " + t["schema"].get<std::string>();
    if (t.contains("continues") && t["continues"].is_number_integer())
        meta += " · continues table " + std::to_string(t["continues"].get<int>() + 1);
    check(worksheet_write_string(ws, 1, 0, meta.c_str(), nullptr), "meta");

    auto grid = table_grid(t);
    const int nr = static_cast<int>(grid.size()), nc = nr ? static_cast<int>(grid[0].size()) : 0;
    std::vector<std::vector<char>> taken(static_cast<size_t>(nr), std::vector<char>(static_cast<size_t>(nc), 0));
    const int base = kXlsxGridFirstRow;
    for (int r = 0; r < nr; ++r) {
        for (int c = 0; c < nc; ++c) {
            const json* cell = grid[static_cast<size_t>(r)][static_cast<size_t>(c)];
            if (!cell || taken[static_cast<size_t>(r)][static_cast<size_t>(c)]) continue;
            int rs = std::max(1, cell->value("row_span", 1)), cs = std::max(1, cell->value("col_span", 1));
            rs = std::min(rs, nr - r);
            cs = std::min(cs, nc - c);
            // A span that would overlap a slot already written is not merged (Excel refuses overlaps).
            bool free = true;
            for (int i = r; i < r + rs && free; ++i)
                for (int j = c; j < c + cs; ++j)
                    if (taken[static_cast<size_t>(i)][static_cast<size_t>(j)]) { free = false; break; }
            if (!free) rs = cs = 1;
            for (int i = r; i < r + rs; ++i)
                for (int j = c; j < c + cs; ++j) taken[static_cast<size_t>(i)][static_cast<size_t>(j)] = 1;

            std::string text = cell_text(*cell);
            bool numeric = cell->contains("value") && (*cell)["value"].is_number();
            double conf = cell->value("confidence", 1.0);
            std::string source = cell->value("source", "");
            int kind = source == "recovered" ? 2 : (conf < 0.8 && source != "empty" ? 1 : 0);
            lxw_format* f = fmts.cell(numeric ? std::min(printed_decimals(text), 10) : -1, kind);
            auto R = static_cast<lxw_row_t>(base + r);
            auto C = static_cast<lxw_col_t>(c);
            if (rs > 1 || cs > 1)
                check(worksheet_merge_range(ws, R, C, static_cast<lxw_row_t>(base + r + rs - 1),
                                            static_cast<lxw_col_t>(c + cs - 1), "", f), "merge");
            if (numeric) check(worksheet_write_number(ws, R, C, (*cell)["value"].get<double>(), f), "number");
            else if (!text.empty()) check(worksheet_write_string(ws, R, C, text.c_str(), f), "string");
            else if (rs == 1 && cs == 1) check(worksheet_write_blank(ws, R, C, f), "blank");
        }
    }
    if (nc > 0) worksheet_set_column(ws, 0, 0, 28, nullptr);
    if (nc > 1) worksheet_set_column(ws, 1, static_cast<lxw_col_t>(nc - 1), 14, nullptr);

    if (t.contains("records")) {
        RecordsGrid g = flatten_records(t["records"]);
        if (!g.empty()) {
            int r0 = base + nr + 2;
            check(worksheet_write_string(ws, static_cast<lxw_row_t>(r0), 0, "records", fmts.bold()), "records");
            for (size_t j = 0; j < g.header.size(); ++j)
                check(worksheet_write_string(ws, static_cast<lxw_row_t>(r0 + 1), static_cast<lxw_col_t>(j), g.header[j].c_str(), fmts.bold()), "header");
            for (size_t i = 0; i < g.rows.size(); ++i)
                for (size_t j = 0; j < g.rows[i].size(); ++j)
                    write_value(ws, r0 + 2 + static_cast<int>(i), static_cast<int>(j), g.rows[i][j], nullptr);
        }
    }
}

void write_findings_sheet(lxw_workbook* wb, Formats& fmts, const json& doc) {
    lxw_worksheet* ws = workbook_add_worksheet(wb, "findings");
    const char* head[] = {"kind", "severity", "table", "page", "cells", "message"};
    for (int j = 0; j < 6; ++j) check(worksheet_write_string(ws, 0, static_cast<lxw_col_t>(j), head[j], fmts.bold()), "header");
    int r = 1;
    for (const auto& f : doc.value("findings", json::array())) {
        std::string cells;
        for (const auto& rc : f.value("cells", json::array()))
            if (rc.is_array() && rc.size() == 2) {
                if (!cells.empty()) cells.push_back(' ');
                cells.append("(").append(rc[0].dump()).append(",").append(rc[1].dump()).append(")");
            }
        write_value(ws, r, 0, f.value("kind", json("")), nullptr);
        write_value(ws, r, 1, f.value("severity", json("")), nullptr);
        json tbl = f.value("table", json(nullptr));
        if (tbl.is_number_integer()) tbl = tbl.get<int>() + 1;  // 1-based like the sheet names
        write_value(ws, r, 2, tbl, nullptr);
        write_value(ws, r, 3, f.value("page", json(nullptr)), nullptr);
        write_value(ws, r, 4, json(cells), nullptr);
        write_value(ws, r, 5, f.value("message", json("")), nullptr);
        ++r;
    }
    worksheet_set_column(ws, 0, 0, 18, nullptr);
    worksheet_set_column(ws, 5, 5, 80, nullptr);
}

void write_workbook(const json& doc, const std::string& path) {
    lxw_workbook* wb = workbook_new(path.c_str());
    if (!wb) throw std::runtime_error("xlsx: cannot create " + path);
    try {
        Formats fmts(wb);
        const json tables = doc.value("tables", json::array());
        for (size_t i = 0; i < tables.size(); ++i) write_table_sheet(wb, fmts, i, tables[i]);
        write_findings_sheet(wb, fmts, doc);
    } catch (...) {
        workbook_close(wb);
        std::remove(path.c_str());
        throw;
    }
    lxw_error e = workbook_close(wb);
    if (e != LXW_NO_ERROR) {
        std::remove(path.c_str());
        throw std::runtime_error(std::string("xlsx: cannot write ") + path + ": " + lxw_strerror(e));
    }
}

}  // namespace

std::string xlsx_sheet_name(size_t index, const json& t) {
    char head[32];
    std::snprintf(head, sizeof head, "T%02zu p%d", index + 1, t.value("page", 0));
    std::string name = head;
    std::string title = t.contains("title") && t["title"].is_string() ? t["title"].get<std::string>() : "";
    if (!title.empty()) name += " ";
    // Count code points; Excel allows 31 (CJK here are single UTF-16 units).
    size_t points = 0;
    for (unsigned char ch : name) points += (ch & 0xC0) != 0x80;
    for (size_t i = 0; i < title.size();) {
        unsigned char ch = static_cast<unsigned char>(title[i]);
        size_t len = ch < 0x80 ? 1 : (ch >> 5) == 6 ? 2 : (ch >> 4) == 14 ? 3 : (ch >> 3) == 30 ? 4 : 1;
        if (points + (len == 4 ? 2 : 1) > 31 || i + len > title.size()) break;
        if (len == 1 && (std::string_view("[]:*?/\\'").find(static_cast<char>(ch)) != std::string_view::npos || ch < 0x20))
            name.push_back('_');
        else
            name.append(title, i, len);
        points += len == 4 ? 2 : 1;
        i += len;
    }
    while (!name.empty() && (name.back() == ' ' || name.back() == '_')) name.pop_back();
    return name;
}

void write_xlsx(const json& doc, const std::string& path) {
    namespace fs = std::filesystem;
    fs::path target(path);
    fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
    static std::atomic<unsigned> counter{0};
    // Built by appending: `"." + std::string&&` trips GCC 12's -Wrestrict false positive.
    std::string name = ".";
    name += target.filename().string();
    name += ".tmp" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
    fs::path tmp = dir / name;
    write_workbook(doc, tmp.string());
    std::error_code ec;
    fs::rename(tmp, target, ec);
    if (ec) {
        fs::remove(tmp);
        throw std::runtime_error("xlsx: cannot rename to " + path + ": " + ec.message());
    }
}

std::string xlsx_bytes(const json& doc) {
    namespace fs = std::filesystem;
    std::string tmpl = (fs::temp_directory_path() / "fiscan-xlsx-XXXXXX").string();
    int fd = ::mkstemp(tmpl.data());
    if (fd < 0) throw std::runtime_error("xlsx: cannot create a temporary file");
    ::close(fd);
    try {
        write_workbook(doc, tmpl);
        std::ifstream in(tmpl, std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        fs::remove(tmpl);
        return ss.str();
    } catch (...) {
        std::error_code ec;
        fs::remove(tmpl, ec);
        throw;
    }
}

}  // namespace fiscan::output
