#include "output/json_writer.hpp"

#include <openssl/evp.h>

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <fcntl.h>
#include <unistd.h>

namespace fiscan::output {

namespace {

// A string field, "" when absent or null (the contract allows null titles,
// units, numbering, organisation).
std::string str_of(const nlohmann::json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

nlohmann::json box_json(const Box& b) { return {b.x0, b.y0, b.x1, b.y1}; }

Box box_from(const nlohmann::json& j) {
    if (!j.is_array() || j.size() != 4) return {};
    return {j[0].get<int>(), j[1].get<int>(), j[2].get<int>(), j[3].get<int>()};
}

// Confidences are probabilities: keep them readable and stable across runs.
double round4(double v) { return std::round(v * 10000.0) / 10000.0; }

Source source_from(const std::string& s) {
    if (s == "ocr") return Source::Ocr;
    if (s == "text-layer") return Source::TextLayer;
    if (s == "recovered") return Source::Recovered;
    return Source::Empty;
}

nlohmann::json reading_json(const Reading& r) {
    nlohmann::json j = {{"engine", r.engine}, {"text", r.text}, {"confidence", round4(r.confidence)}};
    // Per-character probabilities and alternatives only where they carry doubt.
    nlohmann::json chars = nlohmann::json::array();
    for (const auto& s : r.symbols) {
        if (s.prob >= 0.995 && s.alternatives.empty()) continue;
        nlohmann::json alts = nlohmann::json::array();
        for (const auto& a : s.alternatives) alts.push_back({{"text", a.text}, {"p", round4(a.prob)}});
        chars.push_back({{"text", s.text}, {"p", round4(s.prob)}, {"alternatives", alts}});
    }
    if (!chars.empty()) j["uncertain_chars"] = chars;
    return j;
}

// A reading as reading_json wrote it: the characters it left out were sure
// (p ≥ 0.995, no alternative); the uncertain ones are put back in order.
Reading reading_from(const nlohmann::json& j) {
    Reading r;
    r.engine = j.value("engine", "");
    r.text = j.value("text", "");
    r.confidence = j.value("confidence", 0.0);
    for (size_t i = 0; i < r.text.size();) {  // one symbol per code point, spaces left out
        unsigned char b = static_cast<unsigned char>(r.text[i]);
        size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
        std::string ch = r.text.substr(i, n);
        i += n;
        if (ch == " ") continue;
        Symbol s;
        s.text = ch;
        s.prob = 1.0;
        r.symbols.push_back(std::move(s));
    }
    size_t next = 0;
    for (const auto& cj : j.value("uncertain_chars", nlohmann::json::array())) {
        const std::string text = cj.value("text", "");
        size_t k = next;
        while (k < r.symbols.size() && r.symbols[k].text != text) ++k;
        if (k == r.symbols.size()) break;  // not one symbol per character: keep what matched
        r.symbols[k].prob = cj.value("p", 0.0);
        for (const auto& a : cj.value("alternatives", nlohmann::json::array()))
            r.symbols[k].alternatives.push_back({a.value("text", ""), a.value("p", 0.0)});
        next = k + 1;
    }
    return r;
}

}  // namespace

nlohmann::json cell_to_json(const Cell& c) {
    nlohmann::json j = {{"row", c.row}, {"col", c.col}, {"row_span", c.row_span}, {"col_span", c.col_span},
                        {"bbox", box_json(c.bbox)}, {"text", c.text},
                        {"value", c.value ? nlohmann::json(*c.value) : nlohmann::json(nullptr)},
                        {"confidence", round4(c.confidence)}, {"source", to_string(c.source)}};
    if (c.kind != CellKind::Unknown) j["kind"] = c.kind == CellKind::Numeric ? "numeric" : "text";
    if (c.raw_text != c.text) j["raw_text"] = c.raw_text;
    if (c.obscured) j["obscured"] = true;
    if (!c.readings.empty() && c.source != Source::TextLayer) {  // a recovered or blanked cell keeps what the engines read there
        nlohmann::json rs = nlohmann::json::array();
        for (const auto& r : c.readings) rs.push_back(reading_json(r));
        j["readings"] = rs;
    }
    if (!c.provenance.empty()) j["provenance"] = c.provenance;
    return j;
}

nlohmann::json to_json(const Document& doc) {
    nlohmann::json pages = nlohmann::json::array();
    for (const auto& p : doc.pages) {
        nlohmann::json lines = nlohmann::json::array();
        for (const auto& l : p.lines) lines.push_back({{"bbox", box_json(l.bbox)}, {"text", l.text}, {"confidence", round4(l.confidence)}});
        pages.push_back({{"page", p.page}, {"method", p.method}, {"dpi", p.dpi}, {"width", p.width},
                         {"height", p.height}, {"rotation_deg", std::round(p.rotation_deg * 100.0) / 100.0},
                         {"text", p.text}, {"lines", lines}, {"seconds", std::round(p.seconds * 1000.0) / 1000.0},
                         {"timings", p.timings}});
        if (!p.orientation.is_null()) pages.back()["orientation"] = p.orientation;
    }
    nlohmann::json tables = nlohmann::json::array();
    for (const auto& t : doc.tables) {
        nlohmann::json cells = nlohmann::json::array();
        for (const auto& c : t.cells) cells.push_back(cell_to_json(c));
        nlohmann::json tj = {{"page", t.page}, {"bbox", box_json(t.bbox)}, {"title", t.title},
                             {"numbering", t.numbering}, {"unit", t.unit}, {"organisation", t.organisation},
                             {"notes", t.notes},
                             {"schema", t.schema ? nlohmann::json(*t.schema) : nlohmann::json(nullptr)},
                             {"schema_confidence", round4(t.schema_confidence)},
                             {"n_rows", t.n_rows}, {"n_cols", t.n_cols}, {"header_rows", t.header_rows},
                             {"partial_ruling", t.partial_ruling},
                             {"row_lines", t.row_lines}, {"col_lines", t.col_lines},
                             {"cells", cells},
                             {"continues", t.continues ? nlohmann::json(*t.continues) : nlohmann::json(nullptr)}};
        if (t.schema_variant) tj["schema_variant"] = *t.schema_variant;
        if (!t.records.is_null()) tj["records"] = t.records;
        tables.push_back(std::move(tj));
    }
    nlohmann::json findings = nlohmann::json::array();
    for (const auto& f : doc.findings) {
        nlohmann::json cells = nlohmann::json::array();
        for (auto [r, c] : f.cells) cells.push_back({r, c});
        nlohmann::json fj = {{"kind", f.kind}, {"severity", f.severity},
                             {"table", f.table ? nlohmann::json(*f.table) : nlohmann::json(nullptr)},
                             {"cells", cells}, {"message", f.message}};
        if (f.page) fj["page"] = *f.page;
        if (!f.detail.empty()) fj["detail"] = f.detail;
        findings.push_back(std::move(fj));
    }
    return {{"schema_version", kSchemaVersion},
            {"generator", {{"name", "fiscan"}, {"version", FISCAN_VERSION}}},
            {"document", {{"file", doc.file}, {"sha256", doc.sha256}, {"page_count", doc.page_count}}},
            {"metadata", doc.metadata},
            {"pages", pages},
            {"tables", tables},
            {"findings", findings}};
}

Document from_json(const nlohmann::json& j) {
    Document d;
    const auto& dj = j.at("document");
    d.file = str_of(dj, "file");
    d.sha256 = dj.value("sha256", "");
    d.page_count = dj.value("page_count", 0);
    d.metadata = j.value("metadata", nlohmann::json::object());
    for (const auto& pj : j.value("pages", nlohmann::json::array())) {
        PageResult p;
        p.page = pj.value("page", 0);
        p.method = str_of(pj, "method");
        p.dpi = pj.value("dpi", 300);
        p.width = pj.value("width", 0);
        p.height = pj.value("height", 0);
        p.rotation_deg = pj.value("rotation_deg", 0.0);
        p.text = str_of(pj, "text");
        // the lines with their boxes: the schema stage reads titles above a table from them
        for (const auto& lj : pj.value("lines", nlohmann::json::array()))
            p.lines.push_back({box_from(lj.value("bbox", nlohmann::json::array())), str_of(lj, "text"), lj.value("confidence", 1.0)});
        if (pj.contains("orientation")) p.orientation = pj["orientation"];
        d.pages.push_back(std::move(p));
    }
    for (const auto& tj : j.value("tables", nlohmann::json::array())) {
        Table t;
        t.page = tj.value("page", 0);
        t.bbox = box_from(tj.value("bbox", nlohmann::json::array()));
        t.title = str_of(tj, "title");
        t.numbering = str_of(tj, "numbering");
        t.unit = str_of(tj, "unit");
        t.organisation = str_of(tj, "organisation");
        if (tj.contains("schema") && tj["schema"].is_string()) t.schema = tj["schema"].get<std::string>();
        // Re-checking needs the layout that was actually used.
        if (tj.contains("schema_variant") && tj["schema_variant"].is_string()) t.schema = tj["schema_variant"].get<std::string>();
        t.schema_confidence = tj.value("schema_confidence", 0.0);
        t.n_rows = tj.value("n_rows", 0);
        t.n_cols = tj.value("n_cols", 0);
        t.header_rows = tj.value("header_rows", 0);
        t.partial_ruling = tj.value("partial_ruling", false);
        for (const char* k : {"row_lines", "col_lines"})  // the schema stage compares a table's rulings with the previous one's
            if (tj.contains(k) && tj[k].is_array())
                for (const auto& v : tj[k])
                    if (v.is_number_integer()) (std::string(k) == "row_lines" ? t.row_lines : t.col_lines).push_back(v.get<int>());
        if (tj.contains("continues") && tj["continues"].is_number_integer()) t.continues = tj["continues"].get<int>();
        for (const auto& cj : tj.value("cells", nlohmann::json::array())) {
            Cell c;
            c.row = cj.value("row", 0);
            c.col = cj.value("col", 0);
            c.row_span = cj.value("row_span", 1);
            c.col_span = cj.value("col_span", 1);
            c.bbox = box_from(cj.value("bbox", nlohmann::json::array()));
            c.text = str_of(cj, "text");
            c.raw_text = cj.value("raw_text", c.text);
            if (cj.contains("value") && cj["value"].is_number()) c.value = cj["value"].get<double>();
            c.confidence = cj.value("confidence", 0.0);
            c.source = source_from(cj.value("source", "empty"));
            auto kind = str_of(cj, "kind");
            c.kind = kind == "numeric" ? CellKind::Numeric : kind == "text" ? CellKind::Text : CellKind::Unknown;
            c.obscured = cj.value("obscured", false);
            c.provenance = cj.value("provenance", nlohmann::json::object());
            if (cj.contains("readings") && cj["readings"].is_array())
                for (const auto& rj : cj["readings"]) c.readings.push_back(reading_from(rj));
            t.cells.push_back(std::move(c));
        }
        if (tj.contains("records")) t.records = tj["records"];
        d.tables.push_back(std::move(t));
    }
    return d;
}

void write_file_atomic(const std::string& path, const std::string& content, const std::string& tmp_suffix) {
    namespace fs = std::filesystem;
    fs::path target(path);
    fs::path tmp = target;
    tmp += tmp_suffix.empty() ? ".tmp." + std::to_string(::getpid()) : tmp_suffix;
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot write " + tmp.string());
    size_t off = 0;
    while (off < content.size()) {
        ssize_t n = ::write(fd, content.data() + off, content.size() - off);
        if (n < 0) {
            if (errno == EINTR) continue;
            ::close(fd);
            fs::remove(tmp);
            throw std::runtime_error("write failed: " + tmp.string());
        }
        off += static_cast<size_t>(n);
    }
    const bool synced = ::fsync(fd) == 0;
    ::close(fd);
    if (!synced) {
        fs::remove(tmp);
        throw std::runtime_error("fsync failed: " + tmp.string());
    }
    fs::rename(tmp, target);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
}

std::string sha256_hex(const std::string& bytes) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
    static const char* hex = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < len; ++i) { out += hex[md[i] >> 4]; out += hex[md[i] & 15]; }
    return out;
}

}  // namespace fiscan::output
