#include "schema/numbers.hpp"

#include "schema/text.hpp"

#include <cstdlib>

namespace fiscan::schema {

ParsedNumber parse_number(std::string_view text) {
    ParsedNumber p;
    std::u32string u;
    for (char32_t c : to_u32(text)) {
        if (c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == 0x3000 || c == 0xa0 || c == 0x2009) continue;
        if (c >= 0xff10 && c <= 0xff19) c = c - 0xff10 + U'0';
        else if (c == 0xff0e || c == 0x3002) c = U'.';  // ． and an OCR'd 。 inside digits
        else if (c == 0xff0c) c = U',';
        else if (c == 0xff08) c = U'(';
        else if (c == 0xff09) c = U')';
        else if (c == 0xff05) c = U'%';
        else if (c == 0xff0d || c == 0x2212) c = U'-';
        u.push_back(c);
    }
    if (u.empty()) {
        p.blank = true;
        return p;
    }
    static const std::u32string dashes = U"-—–―─/／";
    bool all_dash = true;
    for (char32_t c : u)
        if (dashes.find(c) == std::u32string::npos) all_dash = false;
    if (all_dash) {
        p.dash = true;
        p.normalised = to_u8(u);
        return p;
    }
    size_t b = 0, e = u.size();
    if (u[b] == U'(' && u[e - 1] == U')') { p.negative = true; ++b; --e; }
    if (b < e && u[e - 1] == U'%') { p.percent = true; --e; }
    if (b < e && (u[b] == U'-' || u[b] == U'+')) { p.negative = p.negative || u[b] == U'-'; ++b; }
    if (b >= e) return p;
    std::string digits;
    int dots = 0;
    bool seen_digit = false;
    for (size_t i = b; i < e; ++i) {
        char32_t c = u[i];
        if (c >= U'0' && c <= U'9') { digits.push_back(static_cast<char>(c)); seen_digit = true; if (dots) ++p.decimals; }
        else if (c == U'.') { if (++dots > 1 || !seen_digit) return p; digits.push_back('.'); }
        else if (c == U',') {
            // a thousands separator sits before exactly three digits
            size_t k = i + 1, n = 0;
            while (k < e && u[k] >= U'0' && u[k] <= U'9') { ++k; ++n; }
            if (dots || !seen_digit || n != 3) return p;
            p.thousands = true;
        } else return p;
    }
    if (!seen_digit || digits.back() == '.') return p;
    p.numeric = true;
    double v = std::strtod(digits.c_str(), nullptr);
    if (p.negative) v = -v;
    p.value = v;
    p.normalised = to_u8(u);
    return p;
}

// a number's text without the marks a stain's edge leaves beside it: closing
// brackets before it, opening ones after it (unbalanced, so not a negative
// amount's parentheses), ticks, bars and full-width punctuation at either end
std::string strip_speck_marks(const std::string& text) {
    std::u32string s = to_u32(trim(text));
    static const std::u32string ends = U"。、，：；'`|";
    auto lead = [&](char32_t c) { return c == U')' || c == 0xFF09 || c == U' ' || ends.find(c) != std::u32string::npos; };
    auto tail = [&](char32_t c) { return c == U'(' || c == 0xFF08 || c == U' ' || ends.find(c) != std::u32string::npos; };
    size_t b = 0, e = s.size();
    while (b < e && lead(s[b])) ++b;
    while (e > b && tail(s[e - 1])) --e;
    if (b == 0 && e == s.size()) return text;
    return to_u8(s.substr(b, e - b));
}

std::string detect_unit(std::string_view text) {
    std::string s = norm_label(text);
    size_t pos = s.find("单位");
    while (pos != std::string::npos) {
        std::string rest = s.substr(pos + std::string("单位").size());
        if (!rest.empty() && (rest[0] == ':' || rest.rfind("：", 0) == 0)) {
            rest = rest.substr(rest[0] == ':' ? 1 : std::string("：").size());
            for (const char* unit : {"万元", "千元", "亿元", "元"})
                if (rest.rfind(unit, 0) == 0) return unit;
        }
        pos = s.find("单位", pos + 1);
    }
    return "";
}

}  // namespace fiscan::schema
