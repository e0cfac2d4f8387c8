#include "output/csv_writer.hpp"

#include "output/json_writer.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>

namespace fiscan::output {

using nlohmann::json;

int printed_decimals(const std::string& printed) {
    auto dot = printed.rfind('.');
    if (dot == std::string::npos) return 0;
    int d = 0;
    for (size_t i = dot + 1; i < printed.size() && printed[i] >= '0' && printed[i] <= '9'; ++i) ++d;
    return d;
}

std::string format_number(double v, const std::string& printed) {
    char buf[64];
    if (!std::isfinite(v)) return "";
    int d = printed_decimals(printed);
    if (d > 0 && d <= 10) {
        std::snprintf(buf, sizeof buf, "%.*f", d, v);
        double back = std::strtod(buf, nullptr);
        if (std::fabs(back - v) <= 1e-9 * std::max(1.0, std::fabs(v))) return buf;
    }
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
        std::snprintf(buf, sizeof buf, "%.0f", v);
        return buf;
    }
    std::snprintf(buf, sizeof buf, "%.15g", v);
    return buf;
}

namespace {

json field_cell(const json& f) {
    if (!f.is_object()) return f.is_primitive() ? f : json(nullptr);
    if (f.contains("value") && f["value"].is_number()) return f["value"];
    if (f.contains("text") && f["text"].is_string() && !f["text"].get<std::string>().empty()) return f["text"];
    return nullptr;
}

void flatten_list(const json& list, const std::string& side, RecordsGrid& g, std::vector<std::string>& fixed,
                  std::vector<std::string>& fields, std::vector<std::pair<std::string, const json*>>& recs) {
    static const char* kFixed[] = {"panel", "code", "key", "name", "level", "row"};
    for (const auto& r : list) {
        if (!r.is_object()) continue;
        for (const char* k : kFixed)
            if (r.contains(k) && std::find(fixed.begin(), fixed.end(), k) == fixed.end()) fixed.push_back(k);
        if (r.contains("fields") && r["fields"].is_object())
            for (const auto& [name, _] : r["fields"].items())
                if (std::find(fields.begin(), fields.end(), name) == fields.end()) fields.push_back(name);
        recs.emplace_back(side, &r);
    }
    (void)g;
}

}  // namespace

RecordsGrid flatten_records(const json& records) {
    RecordsGrid g;
    std::vector<std::string> fixed, fields;
    std::vector<std::pair<std::string, const json*>> recs;
    bool two_sided = false;
    if (records.is_array()) {
        flatten_list(records, "", g, fixed, fields, recs);
    } else if (records.is_object()) {
        two_sided = true;
        // Income before expense, then any other side, whatever the key order.
        std::vector<std::string> sides;
        for (const char* k : {"income", "expense"})
            if (records.contains(k)) sides.push_back(k);
        for (const auto& [side, list] : records.items())
            if (side != "income" && side != "expense") sides.push_back(side);
        for (const auto& side : sides)
            if (records[side].is_array()) flatten_list(records[side], side, g, fixed, fields, recs);
    }
    if (recs.empty()) return g;
    // Keep the canonical order of the identifying columns whatever order they appeared in.
    static const std::vector<std::string> order = {"panel", "code", "key", "name", "level", "row"};
    std::vector<std::string> fixed_sorted;
    for (const auto& k : order)
        if (std::find(fixed.begin(), fixed.end(), k) != fixed.end()) fixed_sorted.push_back(k);
    if (two_sided) g.header.push_back("side");
    for (const auto& k : fixed_sorted) g.header.push_back(k);
    for (const auto& f : fields) g.header.push_back(f);
    for (const auto& [side, r] : recs) {
        std::vector<json> row;
        if (two_sided) row.push_back(side);
        for (const auto& k : fixed_sorted) row.push_back(r->contains(k) ? (*r)[k] : json(nullptr));
        const json* fs = r->contains("fields") && (*r)["fields"].is_object() ? &(*r)["fields"] : nullptr;
        for (const auto& f : fields) row.push_back(fs && fs->contains(f) ? field_cell((*fs)[f]) : json(nullptr));
        g.rows.push_back(std::move(row));
    }
    return g;
}

std::vector<std::vector<const json*>> table_grid(const json& table) {
    int nr = table.value("n_rows", 0), nc = table.value("n_cols", 0);
    const json empty = json::array();
    const json& cells = table.contains("cells") && table["cells"].is_array() ? table["cells"] : empty;
    // Tolerate an n_rows/n_cols smaller than the cells say.
    for (const auto& c : cells) {
        nr = std::max(nr, c.value("row", 0) + 1);
        nc = std::max(nc, c.value("col", 0) + 1);
    }
    std::vector<std::vector<const json*>> g(static_cast<size_t>(nr), std::vector<const json*>(static_cast<size_t>(nc), nullptr));
    for (const auto& c : cells) {
        int r = c.value("row", -1), k = c.value("col", -1);
        if (r < 0 || k < 0) continue;
        g[static_cast<size_t>(r)][static_cast<size_t>(k)] = &c;
    }
    return g;
}

std::string csv_field(const std::string& s) {
    if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char ch : s) {
        if (ch == '"') out += '"';
        out += ch;
    }
    return out + "\"";
}

namespace {

std::string json_cell_text(const json& v) {
    if (v.is_null()) return "";
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number()) return format_number(v.get<double>(), "");
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    return v.dump();
}

std::string line(const std::vector<std::string>& fields) {
    std::string s;
    for (size_t i = 0; i < fields.size(); ++i) {
        if (i) s += ',';
        s += csv_field(fields[i]);
    }
    return s + "\r\n";
}

}  // namespace

std::string table_csv(const json& table) {
    std::string out;
    for (const auto& row : table_grid(table)) {
        std::vector<std::string> fields;
        for (const json* c : row) {
            if (!c) { fields.emplace_back(); continue; }
            std::string text = c->value("text", "");
            if (c->contains("value") && (*c)["value"].is_number())
                fields.push_back(format_number((*c)["value"].get<double>(), text));
            else
                fields.push_back(text);
        }
        out += line(fields);
    }
    return out;
}

std::string records_csv(const json& records) {
    RecordsGrid g = flatten_records(records);
    if (g.empty()) return "";
    std::string out = line(g.header);
    for (const auto& r : g.rows) {
        std::vector<std::string> fields;
        for (const auto& v : r) fields.push_back(json_cell_text(v));
        out += line(fields);
    }
    return out;
}

std::string findings_csv(const json& findings) {
    std::string out = line({"kind", "severity", "table", "page", "cells", "message"});
    if (!findings.is_array()) return out;
    for (const auto& f : findings) {
        std::string cells;
        for (const auto& rc : f.value("cells", json::array())) {
            if (!rc.is_array() || rc.size() != 2) continue;
            if (!cells.empty()) cells += ' ';
            cells.append("(").append(json_cell_text(rc[0])).append(",").append(json_cell_text(rc[1])).append(")");
        }
        out += line({f.value("kind", ""), f.value("severity", ""), json_cell_text(f.value("table", json(nullptr))),
                     json_cell_text(f.value("page", json(nullptr))), cells, f.value("message", "")});
    }
    return out;
}

std::vector<std::string> write_csv_dir(const json& doc, const std::string& dir) {
    namespace fs = std::filesystem;
    fs::create_directories(dir);
    std::vector<std::string> written;
    const json tables = doc.value("tables", json::array());
    for (size_t i = 0; i < tables.size(); ++i) {
        char name[32];
        std::snprintf(name, sizeof name, "table-%02zu", i + 1);
        std::string p = (fs::path(dir) / (std::string(name) + ".csv")).string();
        write_file_atomic(p, table_csv(tables[i]));
        written.push_back(p);
        if (tables[i].contains("records")) {
            std::string rc = records_csv(tables[i]["records"]);
            if (!rc.empty()) {
                std::string rp = (fs::path(dir) / (std::string(name) + ".records.csv")).string();
                write_file_atomic(rp, rc);
                written.push_back(rp);
            }
        }
    }
    std::string fp = (fs::path(dir) / "findings.csv").string();
    write_file_atomic(fp, findings_csv(doc.value("findings", json::array())));
    written.push_back(fp);
    return written;
}

}  // namespace fiscan::output
