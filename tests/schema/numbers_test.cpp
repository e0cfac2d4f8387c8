#include "schema/numbers.hpp"
#include "schema/text.hpp"

#include <gtest/gtest.h>

using namespace fiscan::schema;

TEST(SchemaNumbers, SpaceInsideNumber) {
    auto p = parse_number("407. 37");
    ASSERT_TRUE(p.numeric);
    EXPECT_DOUBLE_EQ(*p.value, 407.37);
    EXPECT_EQ(p.normalised, "407.37");
    EXPECT_EQ(p.decimals, 2);
}

TEST(SchemaNumbers, ThousandsSeparators) {
    auto p = parse_number("96,282,213.44");
    ASSERT_TRUE(p.numeric);
    EXPECT_DOUBLE_EQ(*p.value, 96282213.44);
    EXPECT_TRUE(p.thousands);
    EXPECT_DOUBLE_EQ(*parse_number("2,932,700").value, 2932700.0);
    // a comma not followed by three digits is not a thousands separator
    EXPECT_FALSE(parse_number("12,34").numeric);
    EXPECT_FALSE(parse_number("1,2345.00").numeric);
}

TEST(SchemaNumbers, BlankAndDashesAreNull) {
    auto b = parse_number("");
    EXPECT_TRUE(b.blank);
    EXPECT_FALSE(b.value.has_value());
    EXPECT_TRUE(parse_number("   ").blank);
    for (const char* d : {"—", "-", "——", "－", "/"}) {
        auto p = parse_number(d);
        EXPECT_TRUE(p.dash) << d;
        EXPECT_FALSE(p.numeric) << d;
        EXPECT_FALSE(p.value.has_value()) << d;
    }
}

TEST(SchemaNumbers, ZeroIsAValue) {
    auto p = parse_number("0.00");
    ASSERT_TRUE(p.numeric);
    EXPECT_DOUBLE_EQ(*p.value, 0.0);
    EXPECT_TRUE(parse_number("0").numeric);
}

TEST(SchemaNumbers, Percentages) {
    auto p = parse_number("25.54%");
    ASSERT_TRUE(p.numeric);
    EXPECT_TRUE(p.percent);
    EXPECT_DOUBLE_EQ(*p.value, 25.54);
    auto q = parse_number("99.79％");
    ASSERT_TRUE(q.numeric);
    EXPECT_TRUE(q.percent);
}

TEST(SchemaNumbers, Negatives) {
    EXPECT_DOUBLE_EQ(*parse_number("(12.50)").value, -12.5);
    EXPECT_DOUBLE_EQ(*parse_number("（1,234.00）").value, -1234.0);
    EXPECT_DOUBLE_EQ(*parse_number("-3.2").value, -3.2);
    EXPECT_DOUBLE_EQ(*parse_number("－3.2").value, -3.2);
    EXPECT_TRUE(parse_number("-3.2").negative);
}

TEST(SchemaNumbers, FullWidthDigits) {
    auto p = parse_number("８１０．１６");
    ASSERT_TRUE(p.numeric);
    EXPECT_DOUBLE_EQ(*p.value, 810.16);
}

TEST(SchemaNumbers, TextIsNotANumber) {
    EXPECT_FALSE(parse_number("合计").numeric);
    EXPECT_FALSE(parse_number("1.2.3").numeric);
    EXPECT_FALSE(parse_number("12.").numeric);
    EXPECT_FALSE(parse_number(".5").numeric);
    EXPECT_FALSE(parse_number("30217公务接待费").numeric);
}

TEST(SchemaNumbers, UnitIsDetectedNotConverted) {
    EXPECT_EQ(detect_unit("单位：万元"), "万元");
    EXPECT_EQ(detect_unit("金额单位：元"), "元");
    EXPECT_EQ(detect_unit("单位:千元"), "千元");
    EXPECT_EQ(detect_unit("编制部门：上海市普陀区司法局        单位：元"), "元");
    EXPECT_EQ(detect_unit("单位名称：石峰区网格化管理服务中心单位：万元"), "万元");
    EXPECT_EQ(detect_unit("单位名称：石峰区网格化管理服务中心"), "");
}

TEST(SchemaText, OrdinalAndTitlePrefixes) {
    EXPECT_EQ(strip_ordinal("一、一般公共预算财政拨款收入"), "一般公共预算财政拨款收入");
    EXPECT_EQ(strip_ordinal("（1）公务用车运行维护费"), "公务用车运行维护费");
    EXPECT_EQ(strip_ordinal("1. 一般公共预算"), "一般公共预算");
    EXPECT_EQ(strip_ordinal("二十二、灾害防治及应急管理支出"), "灾害防治及应急管理支出");
    EXPECT_EQ(strip_ordinal("本年收入合计"), "本年收入合计");
    EXPECT_EQ(strip_title_prefix("8．2025年预算单位一般公共预算基本支出部门预算经济分类预算表"),
              "预算单位一般公共预算基本支出部门预算经济分类预算表");
    EXPECT_EQ(strip_title_prefix("2020 年一般公共预算支出情况表"), "一般公共预算支出情况表");
    EXPECT_EQ(strip_title_prefix("表 13 一般公共预算基本支出－一般商品和服务支出"), "一般公共预算基本支出-一般商品和服务支出");
    EXPECT_EQ(strip_qualifier("行政运行（政府办公厅（室）及相关机构事务）"), "行政运行");
}

TEST(SchemaText, EditDistanceCountsCharacters) {
    EXPECT_EQ(edit_distance("陈制品", "陈列品"), 1);
    EXPECT_EQ(edit_distance("收入决算表", "收入决算表"), 0);
    EXPECT_NEAR(similarity("收入决算表", "收入诀算表"), 0.8, 1e-9);
    // past the stack rows (128 characters): the same table on the heap
    std::string long_a(200, 'a'), long_b = long_a;
    long_b[150] = 'b';
    long_b += "cc";
    EXPECT_EQ(edit_distance(long_a, long_b), 3);
    EXPECT_EQ(edit_distance(long_b, long_a), 3);
    EXPECT_EQ(edit_distance("", "收入"), 2);
}

// best_window_similarity: the best window of the needle's length ±1 in the
// header; a header hardly longer than the needle is compared whole.
TEST(SchemaText, BestWindowSimilarity) {
    EXPECT_NEAR(best_window_similarity("一般公共预算", "2024年一般公共预算支出决算表"), 1.0, 1e-9);
    EXPECT_NEAR(best_window_similarity("一般公共预算", "2024年一般公兵预算支出决算表"), 5.0 / 6.0, 1e-9);
    EXPECT_NEAR(best_window_similarity("决算数", "决算"), similarity("决算数", "决算"), 1e-9);
    EXPECT_EQ(best_window_similarity("", "决算数"), 0.0);
    // against its definition, window by window (needles of 1 to 6 characters)
    const std::string hay = "2024年一般公共预算财政拨款支出决算表（按功能分类）";
    const std::u32string h = to_u32(hay);
    for (const std::string needle : {"决", "预算", "一般公兵", "财政拨款支出", "功能分类", "收入决算表"}) {
        const std::u32string n = to_u32(needle);
        double want = 0.0;
        for (size_t len = n.size() > 1 ? n.size() - 1 : 1; len <= n.size() + 1; ++len)
            for (size_t i = 0; i + len <= h.size(); ++i)
                want = std::max(want, 1.0 - static_cast<double>(edit_distance(n, h.substr(i, len))) /
                                                static_cast<double>(std::max(n.size(), len)));
        EXPECT_EQ(best_window_similarity(needle, hay), want) << needle;
    }
}

// u32_length counts what to_u32 makes, malformed UTF-8 included.
TEST(SchemaText, U32LengthMatchesTheConversion) {
    for (const std::string& s : {std::string(""), std::string("abc"), std::string("收入决算表"), std::string("a\xff" "b"),
                                std::string("\xe6\x94"), std::string("x\xe6\x94"), std::string("\x80\x80z"),
                                std::string("\xf0\x9f\x98\x80!"), std::string("\xf0\x9f")})
        EXPECT_EQ(u32_length(s), to_u32(s).size()) << s.size();
}
