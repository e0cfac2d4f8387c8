#include "schema/text.hpp"

#include <algorithm>
#include <vector>

namespace fiscan::schema {

namespace {

// Bytes of the UTF-8 sequence a lead byte starts (1-4); 0 for a byte that
// starts none (it decodes as one U+FFFD).
int utf8_seq_len(unsigned char c) {
    if (c < 0x80) return 1;
    if ((c >> 5) == 6) return 2;
    if ((c >> 4) == 14) return 3;
    if ((c >> 3) == 30) return 4;
    return 0;
}

}  // namespace

std::u32string to_u32(std::string_view s) {
    std::u32string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        const int n = utf8_seq_len(c);
        if (n == 0) { ++i; out.push_back(0xfffd); continue; }
        if (i + n > s.size()) { out.push_back(0xfffd); break; }
        char32_t cp = n == 1 ? c : c & (0x7f >> n);
        for (int k = 1; k < n; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3f);
        out.push_back(cp);
        i += n;
    }
    return out;
}

std::string to_u8(std::u32string_view s) {
    std::string out;
    out.reserve(s.size() * 3);
    for (char32_t cp : s) {
        if (cp < 0x80) out.push_back(static_cast<char>(cp));
        else if (cp < 0x800) {
            out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
        } else if (cp < 0x10000) {
            out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
        } else {
            out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
            out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
            out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
        }
    }
    return out;
}

static bool is_space(char32_t c) {
    return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == 0x0c || c == 0x3000 || c == 0xa0 || c == 0x2002 ||
           c == 0x2003 || c == 0x2009 || c == 0x200b || c == 0xfeff;
}

static char32_t fold(char32_t c) {
    if (c >= 0xff01 && c <= 0xff5e) c = c - 0xff01 + 0x21;  // full-width ASCII
    switch (c) {
        case 0x2014: case 0x2013: case 0x2212: case 0x2015: case 0x2500: return U'-';
        case 0x3001: return U'、';
        default: return c;
    }
}

std::string norm_label(std::string_view s) {
    std::u32string out;
    for (char32_t c : to_u32(s)) {
        if (is_space(c)) continue;
        c = fold(c);
        if (c == U'"' || c == U'\'' || c == 0x201c || c == 0x201d || c == 0x2018 || c == 0x2019 || c == U'*' ||
            c == 0x300c || c == 0x300d)
            continue;
        out.push_back(c);
    }
    return to_u8(out);
}

static bool is_cn_numeral(char32_t c) {
    static const std::u32string d = U"一二三四五六七八九十百零〇两";
    return d.find(c) != std::u32string::npos;
}

std::string strip_ordinal(std::string_view s_in) {
    std::u32string s = to_u32(norm_label(s_in));
    size_t i = 0;
    auto digits = [&](size_t j) { while (j < s.size() && s[j] >= U'0' && s[j] <= U'9') ++j; return j; };
    auto cn = [&](size_t j) { while (j < s.size() && is_cn_numeral(s[j])) ++j; return j; };
    if (i < s.size() && (s[i] == U'(')) {
        size_t j = digits(i + 1);
        if (j == i + 1) j = cn(i + 1);
        if (j > i + 1 && j < s.size() && s[j] == U')') i = j + 1;
    } else if (i < s.size() && s[i] >= 0x2460 && s[i] <= 0x2473) {
        i = 1;  // ①…⑳
    } else {
        size_t j = digits(i);
        if (j == i) j = cn(i);
        if (j > i && j < s.size() && (s[j] == U'、' || s[j] == U'.' || s[j] == 0xff0e || s[j] == U',' ||
                                       (s[j] == U')'))) {
            i = j + 1;
        }
    }
    return to_u8(s.substr(i));
}

std::string strip_title_prefix(std::string_view s_in) {
    std::string s = strip_ordinal(s_in);
    std::u32string u = to_u32(s);
    // "表1" / "表一" / "表 1：" prefix
    if (!u.empty() && u[0] == U'表') {
        size_t j = 1;
        if (j < u.size() && u[j] >= U'0' && u[j] <= U'9')
            while (j < u.size() && u[j] >= U'0' && u[j] <= U'9') ++j;
        else
            while (j < u.size() && is_cn_numeral(u[j])) ++j;
        if (j > 1) {
            while (j < u.size() && (u[j] == U':' || u[j] == U'、' || u[j] == U'.')) ++j;
            u = u.substr(j);
        }
    }
    // year prefix: 2025年 / 2024年度
    size_t j = 0;
    while (j < u.size() && u[j] >= U'0' && u[j] <= U'9') ++j;
    if (j == 4 && j < u.size() && u[j] == U'年') {
        ++j;
        if (j < u.size() && u[j] == U'度') ++j;
        u = u.substr(j);
    }
    return to_u8(u);
}

std::string strip_qualifier(std::string_view s_in) {
    std::u32string u = to_u32(norm_label(s_in));
    if (u.empty() || u.back() != U')') return to_u8(u);
    int depth = 0;
    for (size_t k = u.size(); k-- > 0;) {
        if (u[k] == U')') ++depth;
        else if (u[k] == U'(' && --depth == 0) {
            if (k == 0) return to_u8(u);
            return to_u8(u.substr(0, k));
        }
    }
    return to_u8(u);
}

namespace {

// The last row of the edit-distance table of `a` against `b`: row[j] is the
// distance of `a` to b's first j characters. `row` holds b.size() + 1 ints
// and `tmp` as many.
void edit_distance_row(std::u32string_view a, std::u32string_view b, int* row, int* tmp) {
    int* prev = row;
    int* cur = tmp;
    for (size_t j = 0; j <= b.size(); ++j) prev[j] = static_cast<int>(j);
    for (size_t i = 1; i <= a.size(); ++i) {
        cur[0] = static_cast<int>(i);
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    if (prev != row) std::copy(prev, prev + b.size() + 1, row);
}

}  // namespace

int edit_distance(std::u32string_view a, std::u32string_view b) {
    // Two rows of the table; on the stack for the short strings of labels
    // and headers (the schema stage calls this for every header window).
    constexpr size_t kStack = 128;
    int stack_rows[2 * kStack];
    std::vector<int> heap;
    int* row = stack_rows;
    int* tmp = stack_rows + kStack;
    if (b.size() + 1 > kStack) {
        heap.resize(2 * (b.size() + 1));
        row = heap.data();
        tmp = heap.data() + b.size() + 1;
    }
    edit_distance_row(a, b, row, tmp);
    return row[b.size()];
}

int edit_distance(std::string_view a, std::string_view b) { return edit_distance(to_u32(a), to_u32(b)); }

namespace {

double similarity_u32(std::u32string_view ua, std::u32string_view ub) {
    size_t m = std::max(ua.size(), ub.size());
    if (m == 0) return 1.0;
    return 1.0 - static_cast<double>(edit_distance(ua, ub)) / static_cast<double>(m);
}

}  // namespace

double similarity(std::string_view a, std::string_view b) { return similarity_u32(to_u32(a), to_u32(b)); }

size_t common_subsequence(std::u32string_view a, std::u32string_view b) {
    std::vector<size_t> prev(b.size() + 1, 0), cur(b.size() + 1, 0);
    for (size_t i = 1; i <= a.size(); ++i) {
        for (size_t j = 1; j <= b.size(); ++j)
            cur[j] = a[i - 1] == b[j - 1] ? prev[j - 1] + 1 : std::max(prev[j], cur[j - 1]);
        std::swap(prev, cur);
    }
    return prev[b.size()];
}


double best_window_similarity(std::string_view needle, std::string_view hay) {
    auto n = to_u32(needle), h = to_u32(hay);
    if (n.empty()) return 0.0;
    if (h.size() <= n.size() + 1) return similarity_u32(n, h);
    // Windows of the needle's length - 1, + 0 and + 1 at each start: one
    // table of the needle against the longest of them gives all three (the
    // distances to its prefixes, in its last row).
    const size_t lo = std::max<size_t>(1, n.size() - 1), hi = n.size() + 1;
    std::vector<int> rows(2 * (hi + 1));
    double best = 0.0;
    for (size_t i = 0; i + lo <= h.size(); ++i) {
        const size_t L = std::min(hi, h.size() - i);
        edit_distance_row(n, std::u32string_view(h).substr(i, L), rows.data(), rows.data() + hi + 1);
        for (size_t len = lo; len <= L; ++len) {
            const size_t m = std::max(n.size(), len);
            best = std::max(best, 1.0 - static_cast<double>(rows[len]) / static_cast<double>(m));
        }
    }
    return best;
}

size_t u32_length(std::string_view s) {
    // to_u32(s).size() without building the string: the same steps over
    // the bytes (a bad lead byte is one U+FFFD; a cut sequence ends it).
    size_t n = 0;
    for (size_t i = 0; i < s.size(); ++n) {
        const size_t k = utf8_seq_len(static_cast<unsigned char>(s[i]));
        if (k == 0) { ++i; continue; }
        if (i + k > s.size()) { ++n; break; }
        i += k;
    }
    return n;
}

bool is_cjk(char32_t c) { return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF); }

bool has_cjk(std::string_view s) {
    for (char32_t c : to_u32(s))
        if (is_cjk(c)) return true;
    return false;
}

bool is_digits(std::string_view s) {
    if (s.empty()) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string trim(std::string_view s) {
    auto u = to_u32(s);
    size_t b = 0, e = u.size();
    while (b < e && is_space(u[b])) ++b;
    while (e > b && is_space(u[e - 1])) --e;
    return to_u8(std::u32string_view(u).substr(b, e - b));
}

// a code part with a speck or a ruling's stub beside its digits ("-99", "13|"):
// the digits. Dots and commas are kept (an amount run into a code column is
// not a code).
std::string code_part(std::string_view raw) {
    std::string p = norm_label(raw), digits;
    // a speck read as a dot before or after the digits (".05"); a dot inside
    // them is an amount's
    size_t b = 0, e = p.size();
    while (b < e && p[b] == '.') ++b;
    while (e > b && p[e - 1] == '.') --e;
    if (b > 0 || e < p.size()) {
        std::string inner = p.substr(b, e - b);
        if (!inner.empty() && is_digits(inner)) return inner;
    }
    for (char ch : p) {
        if (ch >= '0' && ch <= '9') digits.push_back(ch);
        else if (ch != '-' && ch != '_' && ch != '|' && ch != '`' && ch != '~') return p;
    }
    return digits.empty() ? p : digits;
}

}  // namespace fiscan::schema
