#include "schema/lexicon.hpp"

#include "schema/text.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace fiscan::schema {

void Lexicon::add(const std::string& system, LexEntry e) {
    e.norm = strip_qualifier(e.name);
    entries_[system].emplace(e.code, std::move(e));
}

std::vector<const LexEntry*> Lexicon::lookup(const std::string& system, const std::string& code, int year) const {
    std::vector<const LexEntry*> all, in;
    auto it = entries_.find(system);
    if (it == entries_.end()) return all;
    auto [b, e] = it->second.equal_range(code);
    for (auto i = b; i != e; ++i) {
        all.push_back(&i->second);
        if (i->second.in_year(year)) in.push_back(&i->second);
    }
    return in.empty() ? all : in;
}

std::vector<const LexEntry*> Lexicon::by_name(const std::string& system, const std::string& name, size_t code_len) const {
    std::vector<const LexEntry*> out;
    auto it = entries_.find(system);
    if (it == entries_.end()) return out;
    std::string n = strip_qualifier(name);
    for (const auto& [code, e] : it->second)
        if (code.size() == code_len && e.norm == n) out.push_back(&e);
    return out;
}

std::optional<std::string> Lexicon::class_code(const std::string& system, const std::string& label, bool short_names) const {
    auto it = entries_.find(system);
    if (it == entries_.end()) return std::nullopt;
    std::string n = strip_ordinal(label);
    for (const auto& [code, e] : it->second) {
        if (code.size() != 3) continue;
        if (e.norm == n) return code;
        if (short_names && e.norm.size() > n.size() && e.norm.rfind(n, 0) == 0) {
            // "一般公共服务" for 一般公共服务支出; "资源勘探信息" for 资源勘探信息等支出
            std::string rest = e.norm.substr(n.size());
            if (rest == "支出" || rest == "等支出") return code;
        }
    }
    return std::nullopt;
}

size_t Lexicon::size(const std::string& system) const {
    auto it = entries_.find(system);
    return it == entries_.end() ? 0 : it->second.size();
}

static std::vector<std::string> csv_fields(const std::string& line) {
    std::vector<std::string> out;
    std::string cur;
    bool q = false;
    for (size_t i = 0; i < line.size(); ++i) {
        char c = line[i];
        if (q) {
            if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') { cur.push_back('"'); ++i; }
            else if (c == '"') q = false;
            else cur.push_back(c);
        } else if (c == '"') q = true;
        else if (c == ',') { out.push_back(cur); cur.clear(); }
        else if (c != '\r') cur.push_back(c);
    }
    out.push_back(cur);
    return out;
}

Lexicon load_lexicon(const std::string& dir_in) {
    namespace fs = std::filesystem;
    fs::path dir = dir_in;
    if (fs::is_directory(dir / "lexicon")) dir /= "lexicon";
    Lexicon lex;
    for (const char* system : {"function", "dept_economic", "gov_economic", "revenue"}) {
        fs::path p = dir / (std::string(system) + ".csv");
        std::ifstream in(p);
        if (!in) continue;
        std::string line;
        std::getline(in, line);
        auto header = csv_fields(line);
        auto idx = [&](const char* name) {
            for (size_t k = 0; k < header.size(); ++k)
                if (header[k] == name) return static_cast<int>(k);
            throw std::runtime_error("lexicon " + p.string() + ": no column " + name);
        };
        int ic = idx("code"), in_ = idx("name"), il = idx("level"), ip = idx("parent"), iy0 = idx("year_from"),
            iy1 = idx("year_to"), iv = idx("verified");
        int lineno = 1;
        while (std::getline(in, line)) {
            ++lineno;
            if (line.empty()) continue;
            auto f = csv_fields(line);
            if (f.size() < header.size())
                throw std::runtime_error("lexicon " + p.string() + ":" + std::to_string(lineno) + ": short row");
            LexEntry e;
            e.code = f[ic];
            e.name = f[in_];
            e.level = f[il];
            e.parent = f[ip];
            if (!f[iy0].empty()) e.year_from = std::stoi(f[iy0]);
            if (!f[iy1].empty()) e.year_to = std::stoi(f[iy1]);
            e.verified = f[iv] == "yes";
            lex.add(system, std::move(e));
        }
    }
    if (std::ifstream nin(dir / "narrative.json"); nin) {
        auto j = nlohmann::json::parse(nin);
        lex.narrative = j.value("facts", nlohmann::json::array());
    }
    return lex;
}

namespace {

// `reading` is `label` with one run of at least two CJK characters put in:
// a longer wording of the label printed on the page (公务用车购置及运行维护费
// for 公务用车购置及运行费), not a misreading of it. OCR drops or garbles
// characters; it does not invent whole words.
bool longer_wording(const std::string& reading, const std::string& label) {
    const std::u32string r = to_u32(reading), l = to_u32(label);
    if (r.size() < l.size() + 2) return false;
    const size_t extra = r.size() - l.size();
    for (size_t k = 0; k <= l.size(); ++k) {
        if (r.compare(0, k, l, 0, k) != 0) break;
        if (r.compare(k + extra, std::u32string::npos, l, k, std::u32string::npos) != 0) continue;
        bool words = true;
        for (size_t i = k; i < k + extra && words; ++i) words = is_cjk(r[i]);
        if (words) return true;
    }
    return false;
}

}  // namespace

int snap_header_cells(Table& t, int header_rows, const Schema& s, const LexiconSettings& settings) {
    const std::vector<std::string> vocab = s.header_labels();
    if (vocab.empty()) return 0;
    int snapped = 0;
    for (auto& cell : t.cells) {
        if (cell.row >= header_rows || cell.source != Source::Ocr || cell.text.empty()) continue;
        const std::string norm = norm_label(cell.text);
        int best = 1 << 20, second = 1 << 20;
        const std::string* label = nullptr;
        for (const auto& v : vocab) {
            const int d = edit_distance(norm, v);
            if (d < best) { second = best; best = d; label = &v; }
            else if (d < second) second = d;
        }
        if (!label || best == 0 || second <= best) continue;
        const int len = static_cast<int>(u32_length(*label));
        if (best > settings.max_snap_distance || best * 3 > len) continue;
        if (longer_wording(norm, *label)) continue;
        if (cell.raw_text.empty()) cell.raw_text = cell.text;
        cell.provenance["header_vocabulary"] = {{"from", cell.text}, {"to", *label}, {"distance", best}};
        cell.text = *label;
        ++snapped;
    }
    return snapped;
}

void apply_lexicon(Table& t, int table_index, const Schema& s, const Lexicon& lex, int year,
                   std::vector<Finding>& findings, const LexiconSettings& settings) {
    if (s.row_key != "code" || !t.records.is_array() || lex.size(s.code_system) == 0) return;
    for (auto& rec : t.records) {
        if (!rec.contains("code") || !rec["code"].is_string() || !rec.contains("name_cell")) continue;
        std::string code = rec["code"].get<std::string>();
        if (code.empty()) continue;
        auto nc = rec["name_cell"];
        Cell* cell = t.at(nc[0].get<int>(), nc[1].get<int>());
        if (!cell) continue;
        std::string printed = rec.value("name", "");
        std::string norm = strip_qualifier(printed);
        auto entries = lex.lookup(s.code_system, code, year);
        if (entries.empty()) {
            rec["code_known"] = false;
            rec["confidence"] = rec.value("confidence", 1.0) * settings.unknown_code_factor;
            continue;
        }
        rec["code_known"] = true;
        const LexEntry* best = nullptr;
        int bd = 1 << 20;
        for (const auto* e : entries) {
            int d = edit_distance(norm, e->norm);
            if (d < bd) { bd = d; best = e; }
        }
        if (bd == 0 || !best) continue;
        int len = static_cast<int>(u32_length(best->norm));
        bool near = bd <= settings.max_snap_distance && bd * 3 <= len;
        // does the printed name belong to another code of the same level?
        auto others = lex.by_name(s.code_system, norm, code.size());
        std::string other_code;
        for (const auto* o : others)
            if (o->code != code) { other_code = o->code; break; }
        if (near && other_code.empty()) {
            // a longer wording of the name (一般商品和服务支出 for 商品和服务支出) is the
            // page's, not a misreading: kept, as a text layer's name is
            if ((cell->source == Source::Ocr || cell->source == Source::Recovered) && !longer_wording(norm, best->norm)) {
                if (cell->raw_text.empty()) cell->raw_text = cell->text;
                cell->provenance["lexicon"] = {{"from", cell->text}, {"to", best->name}, {"code", code},
                                               {"system", s.code_system}, {"distance", bd}};
                cell->text = best->name;
                rec["name"] = best->name;
                rec["name_corrected_from"] = printed;
            } else {
                rec["lexicon_name"] = best->name;  // the page's own wording, kept
            }
            continue;
        }
        Finding f;
        f.kind = "code_name_mismatch";
        f.severity = other_code.empty() ? "warning" : "error";
        f.table = table_index;
        f.page = t.page;
        f.cells.push_back({nc[0].get<int>(), nc[1].get<int>()});
        std::ostringstream msg;
        msg << "code " << code << " is " << best->name << " in the " << s.code_system << " list, printed name " << printed;
        if (!other_code.empty()) msg << " is the name of " << other_code;
        f.message = msg.str();
        f.detail = {{"code", code}, {"printed", printed}, {"lexicon", best->name}, {"distance", bd}};
        if (!other_code.empty()) f.detail["name_of_code"] = other_code;
        findings.push_back(std::move(f));
        rec["code_name_mismatch"] = true;
    }
}

}  // namespace fiscan::schema
