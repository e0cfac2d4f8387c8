#include "schema/schema.hpp"

#include "schema/text.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fiscan::schema {

YearRange parse_years(const std::string& s) {
    YearRange r;
    if (s.empty()) return r;
    auto dash = s.find('-');
    if (dash == std::string::npos) {
        r.from = r.to = std::stoi(s);
        return r;
    }
    std::string a = s.substr(0, dash), b = s.substr(dash + 1);
    if (!a.empty()) r.from = std::stoi(a);
    if (!b.empty()) r.to = std::stoi(b);
    return r;
}

static std::vector<std::string> split_syn(const std::string& s) {
    std::vector<std::string> out;
    size_t b = 0;
    while (b <= s.size()) {
        size_t e = s.find('|', b);
        if (e == std::string::npos) e = s.size();
        std::string part = norm_label(s.substr(b, e - b));
        if (!part.empty()) out.push_back(part);
        b = e + 1;
    }
    return out;
}

static std::vector<std::string> norm_list(const nlohmann::json& j) {
    std::vector<std::string> out;
    if (j.is_array())
        for (const auto& s : j) out.push_back(norm_label(s.get<std::string>()));
    return out;
}

static ColumnSpec parse_column(const nlohmann::json& j) {
    ColumnSpec c;
    c.field = j.at("field").get<std::string>();
    c.role = j.value("role", "value");
    for (const auto& level : j.at("path")) c.path.push_back(split_syn(level.get<std::string>()));
    c.col_no = j.value("col_no", -1);
    c.optional = j.value("optional", false);
    return c;
}

Schema parse_schema(const nlohmann::json& j) {
    Schema s;
    s.raw = j;
    s.id = j.at("id").get<std::string>();
    s.kind = j.value("kind", "");
    s.family = j.value("family", "");
    s.standard = j.value("standard", "");
    s.funds = j.value("funds", "");
    s.titles = norm_list(j.value("titles", nlohmann::json::array()));
    if (s.titles.empty()) throw std::runtime_error("no titles");
    s.title_inside = j.value("title_inside", false);
    s.numbering = norm_list(j.value("numbering", nlohmann::json::array()));
    s.years = parse_years(j.value("years", ""));
    const auto& rk = j.at("row_key");
    s.row_key = rk.at("kind").get<std::string>();
    s.code_system = rk.value("system", "");
    s.class_lines = rk.value("class_lines", "");
    s.block = rk.value("block", "");
    auto layout = j.value("layout", nlohmann::json::object());
    if (layout.contains("sides"))
        for (const auto& x : layout["sides"]) s.sides.push_back(x.get<std::string>());
    if (layout.contains("side_titles"))
        for (auto it = layout["side_titles"].begin(); it != layout["side_titles"].end(); ++it)
            s.side_titles[it.key()] = norm_label(it.value().get<std::string>());
    s.panels = layout.contains("panels");
    if (layout.contains("code_split"))
        for (const auto& x : layout["code_split"]) s.code_split.push_back(x.get<std::string>());
    if (j.contains("sides"))
        for (auto it = j["sides"].begin(); it != j["sides"].end(); ++it) {
            auto& cols = s.side_columns[it.key()];
            for (const auto& c : it.value()) cols.push_back(parse_column(c));
        }
    if (j.contains("columns"))
        for (const auto& c : j["columns"]) s.columns.push_back(parse_column(c));
    for (const auto& f : j.value("fixed_rows", nlohmann::json::array())) {
        FixedRow r;
        r.key = f.at("key").get<std::string>();
        for (const auto& l : f.at("labels")) r.labels.push_back(strip_ordinal(l.get<std::string>()));
        r.side = f.value("side", "");
        r.after = f.value("after", "");
        auto y = parse_years(f.value("years", ""));
        r.year_from = y.from;
        r.year_to = y.to;
        s.fixed_rows.push_back(std::move(r));
    }
    for (const auto& f : j.value("form_fields", nlohmann::json::array()))
        s.form_fields.push_back({f.at("field").get<std::string>(), norm_list(f.at("labels"))});
    s.header_words = norm_list(j.value("header_words", nlohmann::json::array()));
    s.identities = j.value("identities", nlohmann::json::array());
    if (s.row_key == "label" && !s.sides.empty())
        for (const auto& side : s.sides)
            if (!s.side_columns.count(side)) throw std::runtime_error("side '" + side + "' has no columns");
    if (s.row_key == "code" && s.code_system.empty()) throw std::runtime_error("code row key without system");
    return s;
}

std::vector<std::vector<std::string>> Schema::header_vocabulary() const {
    std::vector<std::vector<std::string>> out;
    auto add = [&](const std::vector<ColumnSpec>& cols) {
        for (const auto& c : cols) {
            if (c.role == "line_no") continue;
            // the leaf level identifies the column; upper levels are shared
            if (!c.path.empty()) out.push_back(c.path.back());
        }
    };
    add(columns);
    for (const auto& [side, cols] : side_columns) add(cols);
    for (const auto& w : header_words) out.push_back({w});
    for (const auto& [side, t] : side_titles) out.push_back({t});
    return out;
}

std::vector<std::string> Schema::header_labels() const {
    std::vector<std::string> out;
    auto add = [&](const std::vector<ColumnSpec>& cols) {
        for (const auto& c : cols)
            for (const auto& level : c.path) out.insert(out.end(), level.begin(), level.end());
    };
    add(columns);
    for (const auto& [side, cols] : side_columns) add(cols);
    out.insert(out.end(), header_words.begin(), header_words.end());
    for (const auto& [side, t] : side_titles) out.push_back(t);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

const std::vector<ColumnSpec>& Schema::columns_of(const std::string& side) const {
    auto it = side_columns.find(side);
    return it == side_columns.end() ? columns : it->second;
}

const Schema* SchemaSet::find(const std::string& id) const {
    for (const auto& s : schemas)
        if (s.id == id) return &s;
    return nullptr;
}

bool Schema::fixed_row_label(const std::string& label) const {
    for (const auto& fr : fixed_rows)
        if (std::find(fr.labels.begin(), fr.labels.end(), label) != fr.labels.end()) return true;
    return false;
}

std::string SchemaSet::catalogue_id(const std::string& id) const {
    const Schema* s = find(id);
    return s && !s->standard.empty() ? s->standard : id;
}

SchemaSet load_schemas(const std::string& dir) {
    namespace fs = std::filesystem;
    if (!fs::is_directory(dir)) throw std::runtime_error("layouts directory not found: " + dir);
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir))
        if (e.is_regular_file() && e.path().extension() == ".json") files.push_back(e.path());
    std::sort(files.begin(), files.end());
    SchemaSet set;
    for (const auto& p : files) {
        std::ifstream in(p);
        if (p.filename().string().rfind("_", 0) == 0) {
            if (p.filename() == "_classifier.json") {
                auto j = nlohmann::json::parse(in);
                auto& w = set.settings;
                for (auto [key, ptr] : std::initializer_list<std::pair<const char*, double*>>{
                         {"w_title", &w.w_title}, {"w_header", &w.w_header}, {"w_rows", &w.w_rows},
                         {"title_floor", &w.title_floor}, {"untitled_cap", &w.untitled_cap},
                         {"numbering_bonus", &w.numbering_bonus}, {"family_bonus", &w.family_bonus},
                         {"kind_penalty", &w.kind_penalty}, {"year_penalty", &w.year_penalty},
                         {"accept", &w.accept}, {"tie_gap", &w.tie_gap}, {"continuation", &w.continuation},
                         {"headerless_cap", &w.headerless_cap}, {"title_noise", &w.title_noise},
                         {"title_line_weight", &w.title_line_weight}, {"header_coverage", &w.header_coverage},
                         {"family_min_confidence", &w.family_min_confidence}, {"order_bonus", &w.order_bonus},
                         {"partial_title_weight", &w.partial_title_weight}, {"partial_title_share", &w.partial_title_share},
                         {"partial_title_chars", &w.partial_title_chars},
                         {"unrestricted_bonus", &w.unrestricted_bonus}, {"prior_cap", &w.prior_cap}})
                    if (j.contains(key)) *ptr = j[key].get<double>();
                w.generic_header_words = norm_list(j.value("generic_header_words", nlohmann::json::array()));
                w.continuation_titles = norm_list(j.value("continuation_titles", nlohmann::json::array()));
                // longest first: 续上表 before 续表 before 续
                for (auto* v : {&w.generic_header_words, &w.continuation_titles})
                    std::stable_sort(v->begin(), v->end(), [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
            }
            continue;
        }
        try {
            auto j = nlohmann::json::parse(in);
            set.schemas.push_back(parse_schema(j));
        } catch (const std::exception& e) {
            throw std::runtime_error("layout " + p.string() + ": " + e.what());
        }
        if (set.schemas.back().id + ".json" != p.filename().string())
            throw std::runtime_error("layout " + p.string() + ": id does not match file name");
    }
    return set;
}

}  // namespace fiscan::schema
