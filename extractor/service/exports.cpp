#include "service/exports.hpp"

#include "output/csv_writer.hpp"
#include "output/json_writer.hpp"
#include "output/xlsx_writer.hpp"
#include "pipeline/pipeline.hpp"

#include <filesystem>
#include <sstream>

namespace fiscan::service {

std::string Formats::str() const {
    std::string s;
    auto add = [&](bool on, const char* n) {
        if (!on) return;
        if (!s.empty()) s.push_back(',');
        s.append(n);
    };
    add(json, "json");
    add(csv, "csv");
    add(xlsx, "xlsx");
    return s;
}

Formats parse_formats(const std::string& list) {
    Formats f{false, false, false};
    std::stringstream ss(list);
    std::string item;
    bool any = false;
    while (std::getline(ss, item, ',')) {
        auto a = item.find_first_not_of(" \t"), b = item.find_last_not_of(" \t");
        if (a == std::string::npos) continue;
        item = item.substr(a, b - a + 1);
        if (item == "json") f.json = true;
        else if (item == "csv") f.csv = true;
        else if (item == "xlsx") f.xlsx = true;
        else throw InputError("unknown format '" + item + "' (json, csv, xlsx)");
        any = true;
    }
    if (!any) throw InputError("--format needs at least one of json, csv, xlsx");
    return f;
}

std::string json_path(const std::string& base) { return base + ".json"; }
std::string xlsx_path(const std::string& base) { return base + ".xlsx"; }
std::string csv_dir(const std::string& base) { return base + ".csv"; }

std::vector<std::string> write_outputs(const nlohmann::json& doc, const std::string& base, const Formats& f) {
    std::vector<std::string> written;
    auto parent = std::filesystem::path(base).parent_path();
    if (!parent.empty()) std::filesystem::create_directories(parent);
    if (f.csv)
        for (auto& p : output::write_csv_dir(doc, csv_dir(base))) written.push_back(p);
    if (f.xlsx) {
        output::write_xlsx(doc, xlsx_path(base));
        written.push_back(xlsx_path(base));
    }
    if (f.json) {
        output::write_file_atomic(json_path(base), doc.dump(1) + "\n");
        written.push_back(json_path(base));
    }
    return written;
}

}  // namespace fiscan::service
