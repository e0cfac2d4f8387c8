// UTF-8 text helpers of the schema stage: code-point conversion, label
// normalisation (white space, full-width forms, quotes), ordinal / year
// prefixes, and edit distance over code points (OCR errors are per character).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace fiscan::schema {

std::u32string to_u32(std::string_view s);
std::string to_u8(std::u32string_view s);

// Label as compared: no white space, full-width ASCII folded (（）：，．０-９ →
// ()：,.0-9 halfwidth), quotes “”‘’"' and asterisks removed, dashes unified to '-'.
std::string norm_label(std::string_view s);

// Leading ordinal of a row label: 一、 （一） (1) 1. 1、 1． ① … removed.
std::string strip_ordinal(std::string_view s);

// Leading year/ordinal of a title: "1．2025年部门…" → "部门…"; "2020 年一般…" → "一般…".
std::string strip_title_prefix(std::string_view s);

// A trailing parenthesised qualifier: "行政运行(政府办公厅(室)及相关机构事务)" → "行政运行".
std::string strip_qualifier(std::string_view s);

int edit_distance(std::u32string_view a, std::u32string_view b);
int edit_distance(std::string_view a, std::string_view b);
// 1 − distance / longer length, in [0, 1]; 1 for two empty strings.
double similarity(std::string_view a, std::string_view b);
// Length of the longest common subsequence (code points).
size_t common_subsequence(std::u32string_view a, std::u32string_view b);
// Best similarity of `needle` to any substring window of `hay` of needle's length (±1).
double best_window_similarity(std::string_view needle, std::string_view hay);

size_t u32_length(std::string_view s);
// A CJK unified ideograph (the basic block or extension A).
bool is_cjk(char32_t c);
bool has_cjk(std::string_view s);
bool is_digits(std::string_view s);
std::string trim(std::string_view s);

// A code part as printed, without a speck or a ruling's stub beside its digits
// ("-99" → "99", ".05" → "05", "13|" → "13"); any other text unchanged (after
// norm_label). A dot inside digits is an amount's and stays.
std::string code_part(std::string_view raw);

}  // namespace fiscan::schema
