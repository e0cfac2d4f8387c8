#include "schema/metadata.hpp"

#include "schema/numbers.hpp"
#include "schema/text.hpp"

#include <map>
#include <regex>
#include <set>

namespace fiscan::schema {

using nlohmann::json;

static std::string strip_org_prefix(const std::string& line) {
    std::string n = norm_label(line);
    for (const char* p : {"编制部门:", "编制单位:", "单位名称:", "预算单位:", "部门名称:", "部门:", "单位:"}) {
        std::string ps = norm_label(p);
        auto pos = n.find(ps);
        if (pos != std::string::npos) {
            std::string rest = n.substr(pos + ps.size());
            // a unit statement may follow on the same line: "…中心单位:万元"
            auto u = rest.find("单位:");
            if (u == std::string::npos) u = rest.find("金额单位");
            if (u != std::string::npos) rest = rest.substr(0, u);
            return rest;
        }
    }
    return "";
}

std::string government_level(const std::string& org) {
    if (org.empty()) return "";
    if (org.find("街道") != std::string::npos || org.find("镇人民政府") != std::string::npos ||
        org.find("乡人民政府") != std::string::npos)
        return "township";
    if (org.find("区") != std::string::npos || org.find("县") != std::string::npos) return "county";
    if (org.find("市") != std::string::npos || org.find("州") != std::string::npos) return "city";
    if (org.find("省") != std::string::npos || org.find("自治区") != std::string::npos) return "province";
    return "";
}

json document_metadata(const Document& doc) {
    std::map<std::string, int> orgs, years, kinds;
    static const std::regex year_re("(20[0-9]{2}) *年");
    for (const auto& t : doc.tables) {
        if (auto o = strip_org_prefix(t.organisation); !o.empty() && has_cjk(o)) ++orgs[o];
        std::smatch m;
        if (std::regex_search(t.title, m, year_re)) years[m[1]] += 2;
        // 决算 is in every final account's table title and in no budget's; 预算
        // is in both (一般公共预算财政拨款支出决算表), so a title a stain cut
        // before its 决算 reads like a budget's: one 决算 outweighs three of them
        if (t.title.find("决算") != std::string::npos) kinds["final"] += 3;
        else if (t.title.find("预算") != std::string::npos) ++kinds["budget"];
    }
    static const std::regex title_line("^(20[0-9]{2}) *年(?:度)?.{0,150}(决算|预算)表$");
    static const std::regex org_line("^(.{2,40}?)(20[0-9]{2}) *年(?:度)? *(部门|单位)?(决算|预算)");
    for (const auto& p : doc.pages) {
        size_t b = 0;
        int lines = 0;
        while (b < p.text.size() && lines < 60) {
            size_t e = p.text.find('\n', b);
            if (e == std::string::npos) e = p.text.size();
            std::string line = norm_label(p.text.substr(b, e - b));
            b = e + 1;
            ++lines;
            std::smatch m;
            if (std::regex_search(line, m, title_line)) {
                // a table title among the page lines (the layout took another line for the title)
                ++years[m[1]];
                ++kinds[m[2] == "决算" ? "final" : "budget"];
            } else if (std::regex_search(line, m, org_line)) {
                std::string o = m[1];
                for (const char* pre : {"第一部分", "第二部分", "第三部分", "第四部分"})
                    if (o.rfind(pre, 0) == 0) o = o.substr(std::string(pre).size());
                if (has_cjk(o) && o.find("年") == std::string::npos) ++orgs[o];
                ++years[m[2]];
                ++kinds[m[4] == "决算" ? "final" : "budget"];
            }
        }
    }
    auto best = [](const std::map<std::string, int>& m) {
        std::string k;
        int n = 0;
        for (const auto& [key, c] : m)
            if (c > n) { n = c; k = key; }
        return k;
    };
    json md;
    std::string org = best(orgs);
    md["organisation"] = org.empty() ? json(nullptr) : json(org);
    std::string y = best(years);
    md["year"] = y.empty() ? json(nullptr) : json(std::stoi(y));
    std::string k = best(kinds);
    md["kind"] = k.empty() ? json(nullptr) : json(k);
    std::string lvl = government_level(org);
    md["level"] = lvl.empty() ? json(nullptr) : json(lvl);
    md["sources"] = {{"organisation", orgs}, {"year", years}, {"kind", kinds}};
    return md;
}

json narrative_facts(const Document& doc, const json& vocab, const std::string& kind) {
    json out = json::array();
    // label vocabulary, longest first
    std::vector<std::pair<std::string, const json*>> labels;
    std::set<std::string> generic;  // wordings that name their concept only when nothing more specific precedes
    for (const auto& f : vocab) {
        for (const auto& l : f.value("labels", json::array())) labels.push_back({norm_label(l.get<std::string>()), &f});
        for (const auto& l : f.value("generic_labels", json::array())) {
            labels.push_back({norm_label(l.get<std::string>()), &f});
            generic.insert(labels.back().first);
        }
    }
    std::stable_sort(labels.begin(), labels.end(),
                     [](const auto& a, const auto& b) { return u32_length(a.first) > u32_length(b.first); });
    static const std::regex fig(
        "([0-9][0-9,]*(?:\\.[0-9]+)?)(万元|千元|亿元|元)(?:,?\\(?(?:占比|占|比例为?|占总支出的|占本年支出合计的)?([0-9]+(?:\\.[0-9]+)?)%)?");
    for (const auto& p : doc.pages) {
        // sentences: lines joined (a sentence wraps over lines), split at 。；!?
        std::string text;
        for (char ch : p.text) text.push_back(ch == '\n' ? ' ' : ch);
        std::string flat = norm_label(text);
        std::vector<std::string> sentences;
        std::u32string u = to_u32(flat), cur;
        for (char32_t c : u) {
            cur.push_back(c);
            if (c == U'。' || c == U';' || c == U'；' || c == U'!' || c == U'?') {
                sentences.push_back(to_u8(cur));
                cur.clear();
            }
        }
        if (!cur.empty()) sentences.push_back(to_u8(cur));
        for (const auto& s : sentences) {
            for (auto it = std::sregex_iterator(s.begin(), s.end(), fig); it != std::sregex_iterator(); ++it) {
                const auto& m = *it;
                std::string before = s.substr(0, m.position(0));
                // the label: the vocabulary entry closest before the figure (within 12 characters)
                std::u32string ub = to_u32(before);
                std::u32string window = ub.size() > 14 ? ub.substr(ub.size() - 14) : ub;
                std::string w8 = to_u8(window);
                const json* vocab_entry = nullptr;
                std::string label;
                size_t best_end = std::string::npos;
                for (const auto& [l, f] : labels) {
                    auto pos = w8.rfind(l);
                    if (pos == std::string::npos) continue;
                    size_t end = pos + l.size();
                    if (best_end == std::string::npos || end > best_end) { best_end = end; vocab_entry = f; label = l; }
                }
                if (vocab_entry && generic.count(label)) {
                    // "(一)基本支出2020年年初预算数为74.01万元": a generic wording takes the
                    // concept of the last specific label in its clause (after the previous
                    // figure or clause break), if there is one
                    const size_t at = before.size() - (w8.size() - (best_end - label.size()));
                    std::u32string clause = to_u32(before.substr(0, at));
                    size_t cut = 0;
                    for (size_t k = clause.size(); k-- > 0;) {
                        char32_t c = clause[k];
                        if (c == U',' || c == U'，' || c == U'%' || c == U'；' || c == U';' || c == U'元') { cut = k + 1; break; }
                    }
                    std::string c8 = to_u8(clause.substr(cut));
                    size_t spec_end = std::string::npos;
                    for (const auto& [l, f] : labels) {
                        if (generic.count(l)) continue;
                        auto pos = c8.rfind(l);
                        if (pos == std::string::npos) continue;
                        if (spec_end == std::string::npos || pos + l.size() > spec_end) { spec_end = pos + l.size(); vocab_entry = f; }
                    }
                }
                if (!vocab_entry) {
                    // no known label: the CJK run just before the figure
                    std::u32string run;
                    for (size_t k = window.size(); k-- > 0;) {
                        char32_t c = window[k];
                        if (c >= 0x4e00 && c <= 0x9fff) run.insert(run.begin(), c);
                        else if (!run.empty()) break;
                    }
                    label = to_u8(run);
                }
                auto num = parse_number(m[1].str());
                if (!num.numeric) continue;
                json f = {{"page", p.page}, {"sentence", s}, {"label", label}, {"value", *num.value}, {"unit", m[2].str()}};
                if (m[3].matched) f["share"] = std::stod(m[3].str());
                if (vocab_entry) {
                    f["concept"] = (*vocab_entry)["concept"];
                    auto refs = vocab_entry->value("refs", json::object());
                    f["refs"] = refs.value(kind, json::array());
                    auto alt = vocab_entry->value("alt_refs", json::object()).value(kind, json::array());
                    if (!alt.empty()) f["alt_refs"] = alt;
                }
                out.push_back(f);
            }
        }
    }
    return out;
}

}  // namespace fiscan::schema
