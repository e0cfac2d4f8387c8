#include "validate/candidates.hpp"

#include "schema/numbers.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace fiscan::validate {

std::vector<Candidate> candidates(const Cell& c, const ValidateSettings& st, bool beside_stain) {
    std::vector<Candidate> out;
    std::set<long long> seen;
    auto key = [](double v) { return std::llround(v * 1000.0); };
    if (c.value) seen.insert(key(*c.value));
    // a candidate never has more decimals than the reading (amounts: at most 2)
    int max_decimals = std::max(2, schema::parse_number(c.text).decimals);
    auto add = [&](const std::string& text, const std::string& how) {
        auto p = schema::parse_number(text);
        if (!p.numeric || !p.value || p.percent || p.decimals > max_decimals) return;
        if (!seen.insert(key(*p.value)).second) return;
        out.push_back({p.normalised, *p.value, how});
    };
    // the engine's own alternatives, one symbol at a time
    if (!c.readings.empty()) {
        const Reading& r = c.readings[0];
        for (size_t i = 0; i < r.symbols.size(); ++i)
            for (const auto& alt : r.symbols[i].alternatives) {
                std::string t;
                for (size_t k = 0; k < r.symbols.size(); ++k) t += k == i ? alt.text : r.symbols[k].text;
                add(t, "alternative");
            }
        for (size_t k = 0; k < c.readings.size(); ++k) add(c.readings[k].text, "engine");
    }
    const std::string base = schema::parse_number(c.text).normalised;
    if (base.empty()) return out;
    // a minus sign that is a speck or a ruling's stub before the amount (the
    // stage takes it only where the column prints no other negative amount)
    if (c.value && *c.value < 0) add(schema::parse_number(c.text.substr(c.text.find('-') + 1)).normalised, "sign");
    // digit confusions
    for (size_t i = 0; i < base.size(); ++i)
        for (const auto& [a, b] : st.confusions) {
            std::string s(1, base[i]);
            if (s == a) add(base.substr(0, i) + b + base.substr(i + 1), "confusion");
            else if (s == b) add(base.substr(0, i) + a + base.substr(i + 1), "confusion");
        }
    // decimal point lost, extra or moved
    auto dot = base.find('.');
    std::string digits = base;
    if (dot != std::string::npos) digits.erase(dot, 1);
    for (size_t i = 1; i < digits.size(); ++i) add(digits.substr(0, i) + "." + digits.substr(i), "decimal");
    add(digits, "decimal");
    // a speck or a stain's edge read as a digit or two in a blank slot
    if (c.value && *c.value != 0.0 && (c.confidence < st.speck_below || beside_stain)) {
        int digits = 0;
        for (char ch : base) digits += ch >= '0' && ch <= '9';
        if (digits <= st.speck_max_digits) add("0", "speck");
    }
    // a dropped digit, an extra digit
    for (size_t i = 0; i <= base.size(); ++i)
        for (char d = '0'; d <= '9'; ++d) add(base.substr(0, i) + d + base.substr(i), "dropped");
    for (size_t i = 0; i < base.size(); ++i)
        if (base[i] >= '0' && base[i] <= '9') add(base.substr(0, i) + base.substr(i + 1), "extra");
    return out;
}

}  // namespace fiscan::validate
