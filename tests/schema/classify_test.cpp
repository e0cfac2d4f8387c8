// Classifier and continuation cases found by scripts/schema-errors on the
// evaluation corpus (issue 5): 续表 parts, page ranges that start inside a
// table, header words of another table, titles on the wrong line, scanned
// grids with stray marks. Fixtures are tables of the corpus PDFs as fiscan
// extracted them (text layer, or OCR where the file name says ocr_).
#include "schema/classify.hpp"
#include "schema/grid.hpp"
#include "schema/metadata.hpp"
#include "schema/stage.hpp"
#include "tsv_table.hpp"

#include <gtest/gtest.h>

#include "../project_data.hpp"

using namespace fiscan;
using fiscan::testing::schema_data;
using fiscan::testing::table_from_tsv;

namespace {

const SchemaSet& schemas() { return fiscan::testing::project_schemas(); }
const Lexicon& lexicon() { return fiscan::testing::project_lexicon(); }

Document doc_of(const std::vector<std::string>& fixtures) { return fiscan::testing::doc_of_tsv(fixtures); }

std::string schema_of(const Table& t) { return t.schema ? *t.schema : "(none)"; }

}  // namespace

// ---------------------------------------------------------------- continuations

TEST(SchemaContinuation, TitleSayingContinuedIsNoTitle) {
    const auto& w = schemas().settings;
    for (const char* s : {"续表", "续上表", "（续表）", "(续)", "表3（续）", "续表1"})
        EXPECT_TRUE(schema::continuation_title(s, w)) << s;
    for (const char* s : {"", "部门收支总表", "继续教育支出表", "部门收支总表（续）"})
        EXPECT_FALSE(schema::continuation_title(s, w)) << s;
}

TEST(SchemaContinuation, ContinuedTablePrintedUnderXuBiao) {
    // gen-budget-hn-s1-0002: page 2 of 部门收支总表 is titled 续表
    Document d = doc_of({"gen_hn01_p1.tsv", "gen_hn01_p2_continued.tsv"});
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(d.tables[0]), "budget.hn.01");
    ASSERT_TRUE(d.tables[1].continues);
    EXPECT_EQ(*d.tables[1].continues, 0);
    EXPECT_EQ(schema_of(d.tables[1]), "budget.hn.01");
    EXPECT_EQ(d.tables[1].unit, "万元");
}

TEST(SchemaContinuation, LayoutHeaderOverDataRowsIsCutBack) {
    // the scanned copy's layout said 3 header rows on a continuation page whose
    // first rows are 十六、金融支出 … (data): the header ends at the first data row
    Document d = doc_of({"real_socialwork2024_final04_p1.tsv", "real_socialwork2024_final04_p2.tsv"});
    ASSERT_EQ(d.tables[1].header_rows, 3);
    EXPECT_EQ(schema::analyse_grid(d.tables[1]).header_rows, 0);
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(d.tables[0]), "final.04");
    ASSERT_TRUE(d.tables[1].continues);
    EXPECT_EQ(schema_of(d.tables[1]), "final.04");
}

TEST(SchemaContinuation, RowLabelsOfThePreviousTableAreNoHeader) {
    // putuo-finance-2024-final p7: 使用非财政拨款结余 / 结余分配 lines of
    // 收入支出决算总表 carried over to the next page look like a header
    Document d = doc_of({"real_finance2024_final01.tsv", "real_finance2024_final01_p2.tsv"});
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(d.tables[0]), "final.01");
    ASSERT_TRUE(d.tables[1].continues);
    EXPECT_EQ(*d.tables[1].continues, 0);
    EXPECT_EQ(schema_of(d.tables[1]), "final.01");
}

TEST(SchemaContinuation, TornContinuationKeepsThePreviousTablesLeftColumns) {
    // gen-budget-std-s1-0003 damaged scan, page 3: the rest of 一般公共预算基本支出表
    // under a torn corner — 4 of its 5 columns, no title, a blot in the body
    Document d = doc_of({"ocr_std0003_std06_p2.tsv", "ocr_std0003_std06_p3_torn.tsv"});
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(d.tables[0]), "budget.std.06");
    ASSERT_TRUE(d.tables[1].continues);
    EXPECT_EQ(*d.tables[1].continues, 0);
    EXPECT_EQ(schema_of(d.tables[1]), "budget.std.06");
    EXPECT_LT(d.tables[1].schema_confidence, 0.8);

    // the same columns shifted by a column width are another table's
    Document moved = doc_of({"ocr_std0003_std06_p2.tsv", "ocr_std0003_std06_p3_torn.tsv"});
    for (int& x : moved.tables[1].col_lines) x += 150;
    moved.tables[1].col_lines.front() -= 150;
    apply_schemas(moved, schemas(), lexicon());
    EXPECT_FALSE(moved.tables[1].continues);
}

TEST(SchemaContinuation, LastLinesOfALabelTableOnTheNextPage) {
    // gen-budget-std-s1-0006 damaged scan (s2), page 3: 本年收入合计 … 收入总计 |
    // 支出总计 of 财政拨款收支总表 under two blots, 续表 read as "-Am", 4 columns
    // found against 5 on page 2; alone, its labels are budget.std.01's as much
    Document d = doc_of({"ocr_std0006_std04_p2.tsv", "ocr_std0006_std04_p3_tail.tsv"});
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(d.tables[0]), "budget.std.04");
    ASSERT_TRUE(d.tables[1].continues);
    EXPECT_EQ(*d.tables[1].continues, 0);
    EXPECT_EQ(schema_of(d.tables[1]), "budget.std.04");

    // after a table of codes (no fixed rows) the same lines are no continuation
    Document other = doc_of({"ocr_std0003_std06_p2.tsv", "ocr_std0006_std04_p3_tail.tsv"});
    apply_schemas(other, schemas(), lexicon());
    EXPECT_FALSE(other.tables[1].continues);
}

// ---------------------------------------------------------------- no title, no header

TEST(SchemaHeaderless, PageRangeStartingInsideAnIncomeTable) {
    // putuo-commerce-2025-budget pages 11-12: page 11 is the end of 部门收入预算总表
    // (function codes in 类/款/项 columns, 5 amount columns), page 12 a titled table
    Document d = doc_of({"real_commerce2025_sh02_tail.tsv", "real_commerce2025_sh03.tsv"});
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(d.tables[1]), "budget.sh.03");
    EXPECT_EQ(schema_of(d.tables[0]), "budget.sh.02");
    EXPECT_FALSE(d.tables[0].continues);
    EXPECT_GE(d.tables[0].schema_confidence, 0.5);
    EXPECT_LT(d.tables[0].schema_confidence, 0.9);  // shape and rows only: never sure
}

TEST(SchemaHeaderless, PageRangeStartingInsideAnEconomicTable) {
    // putuo-gov-office-2025-budget pages 19-20: 302xx codes in 类/款 columns, 3 amounts
    Document d = doc_of({"real_govoffice2025_sh08_tail.tsv", "real_govoffice2025_sh09.tsv"});
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(d.tables[1]), "budget.sh.09");
    EXPECT_EQ(schema_of(d.tables[0]), "budget.sh.08");
}

TEST(SchemaHeaderless, ScannedCodeColumnsWithStrayMarks) {
    // the damaged scan of the same page: a "1" and a "-" read in the code columns
    Document d = doc_of({"ocr_govoffice2025_sh08_tail.tsv", "real_govoffice2025_sh09.tsv"});
    auto g = schema::analyse_grid(d.tables[0]);
    EXPECT_EQ(g.cols[0].role, "code");
    EXPECT_EQ(g.cols[1].role, "code");
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(d.tables[0]), "budget.sh.08");
}

TEST(SchemaHeaderless, StrayTextColumnCountsAsAmounts) {
    // the typical scan of commerce p11: one stray CJK mark makes the last column "text"
    Document d = doc_of({"ocr_commerce2025_sh02_tail.tsv", "real_commerce2025_sh03.tsv"});
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(d.tables[0]), "budget.sh.02");
}

TEST(SchemaHeaderless, NothingToGoOnGivesNoSchema) {
    // two text columns and a number: no codes, no labels of any schema
    Document d;
    Table t;
    t.page = 1;
    t.n_rows = 2;
    t.n_cols = 3;
    const char* text[2][3] = {{"计算机", "台", "3"}, {"打印机", "台", "1"}};
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 3; ++c) {
            Cell cell;
            cell.row = r;
            cell.col = c;
            cell.text = text[r][c];
            cell.source = Source::TextLayer;
            t.cells.push_back(cell);
        }
    d.tables.push_back(t);
    apply_schemas(d, schemas(), lexicon());
    EXPECT_FALSE(d.tables[0].schema);
}

// ---------------------------------------------------------------- header and title evidence

TEST(SchemaClassify, HeaderWordsOfAnotherTableCount) {
    // putuo-wanli-street-2024-budget p26: the header 一般公共预算支出 › 合计/基本支出/项目支出
    // repeated without a title; budget.hn.15 and budget.sh.06 have the same leaves
    Table t = table_from_tsv(schema_data("real_wanli2024_sh05_untitled.tsv"));
    ASSERT_TRUE(t.title.empty());
    auto g = schema::analyse_grid(t);
    auto ranked = schema::rank_schemas(t, g, schemas());
    ASSERT_FALSE(ranked.empty());
    EXPECT_EQ(ranked[0].id, "budget.sh.05");
    for (const auto& e : ranked) {
        if (e.id == "budget.hn.15" || e.id == "budget.sh.06") {
            EXPECT_LT(e.confidence, ranked[0].confidence) << e.id;
        }
    }
}

TEST(SchemaClassify, HeaderlessFragmentOfEqualColumnsIsTheAllFundsTableAtBestAGuess) {
    // putuo-wanli-street-2024-budget p18 (a page range starting inside 部门支出预算总表):
    // no title, no header; 一般公共预算 / 政府性基金 / 专户 tables have the same columns
    // but print their fund in the title or header, so the all-funds table is the
    // reading that claims least — and only a guess
    Document d = doc_of({"real_wanli2024_sh03_p18_untitled.tsv"});
    ASSERT_TRUE(d.tables[0].title.empty());
    auto g = schema::analyse_grid(d.tables[0]);
    auto ranked = schema::rank_schemas(d.tables[0], g, schemas());
    ASSERT_GE(ranked.size(), 3u);
    const schema::Schema* top = schemas().find(ranked[0].id);
    ASSERT_NE(top, nullptr);
    EXPECT_EQ(top->funds, "all");
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(d.tables[0]), "budget.sh.03");
    EXPECT_LE(d.tables[0].schema_confidence, schemas().settings.prior_cap);
    EXPECT_GE(d.tables[0].schema_confidence, schemas().settings.accept);
}

TEST(SchemaClassify, OrganisationLineTakenForTheTitleIsIgnored) {
    // the scanned copy of the same page: layout took the 编制部门 line for the title
    Document d = doc_of({"real_wanli2024_sh05_untitled.tsv"});
    d.tables[0].title = "编制部门：上海市普陀区人民政府万里街道办事处单位：元";
    EXPECT_FALSE(schema::meaningful_title(d.tables[0], schemas()));
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(d.tables[0]), "budget.sh.05");
}

TEST(SchemaClassify, TitleOnThePageLineAboveTheTable) {
    // final-account-template p5: layout took the document heading for the title;
    // 收入支出决算总表 is the page line right above the table
    Document d = doc_of({"real_finance2024_final01.tsv"});
    Table& t = d.tables[0];
    t.title = "上海市XX局2024年度部门决算表";
    t.page = 1;
    t.bbox = {260, 560, 2220, 2572};
    PageResult p;
    p.page = 1;
    p.lines = {{{771, 334, 1709, 398}, "上海市XX局2024年度部门决算表", 1.0},
               {{1065, 440, 1415, 485}, "收入支出决算总表", 1.0},
               {{1887, 505, 2107, 550}, "单位：万元", 1.0},
               {{374, 2585, 1469, 2629}, "注：本表反映部门本年度的总收支和年末结转结余情况。", 1.0}};
    d.pages.push_back(p);

    auto g = schema::analyse_grid(t);
    schema::ClassifyContext ctx;
    ctx.title_lines = {"单位：万元", "收入支出决算总表", "上海市XX局2024年度部门决算表"};
    auto ranked = schema::rank_schemas(t, g, schemas(), ctx);
    EXPECT_EQ(ranked[0].id, "final.01");
    EXPECT_GE(ranked[0].title, 0.95);

    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(t), "final.01");
    EXPECT_GE(d.metadata["schema_evidence"][0]["evidence"]["title"].get<double>(), 0.95);
}

TEST(SchemaGrid, OptionalColumnsAreNotExplainedByNothing) {
    // budget.std.07 lists both years' columns, all optional: a header that names
    // none of them must not score (it used to score 0.6 on any header)
    Table t;
    t.n_rows = 2;
    t.n_cols = 3;
    const char* text[2][3] = {{"本年支出", "本年支出", "年末结转和"}, {"12.00", "3.00", "9.00"}};
    for (int r = 0; r < 2; ++r)
        for (int c = 0; c < 3; ++c) {
            Cell cell;
            cell.row = r;
            cell.col = c;
            cell.text = text[r][c];
            t.cells.push_back(cell);
        }
    t.header_rows = 1;
    auto g = schema::analyse_grid(t);
    const auto* s = schemas().find("budget.std.07");
    ASSERT_NE(s, nullptr);
    EXPECT_LT(schema::map_columns(g, 0, t.n_cols, s->columns).score, 0.3);
}

TEST(SchemaMetadata, YearAndKindFromTitleLinesAndYearWithoutDu) {
    Document d;
    PageResult p;
    p.page = 1;
    p.text = "2024年部门政府性基金预算支出功能分类预算表\n编制部门：上海市普陀区人民政府万里街道办事处 单位：元";
    d.pages.push_back(p);
    auto md = schema::document_metadata(d);
    EXPECT_EQ(md["year"], 2024);
    EXPECT_EQ(md["kind"], "budget");

    Document d2;
    PageResult p2;
    p2.page = 1;
    p2.text = "上海市普陀区商务委员会2025年部门预算\n目录";
    d2.pages.push_back(p2);
    auto md2 = schema::document_metadata(d2);
    EXPECT_EQ(md2["organisation"], "上海市普陀区商务委员会");
    EXPECT_EQ(md2["year"], 2025);
}

TEST(SchemaHeaderless, PanelsCountTheirCodeColumnsPerPanel) {
    // final.06 printed in three panels (code | name | amount) × 3, page range starting inside it
    Document d = doc_of({"gen_final06_panels_tail.tsv"});
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(d.tables[0]), "final.06");
}

TEST(SchemaHeaderless, FragmentOfALabelTableByItsKnownRowLabels) {
    // a range starting with the 续表 part of 部门收支总表 (Hunan): 其他收入, 上年结转,
    // 收入总计, 支出总计 are all budget.hn.01 rows; budget.sh.01 has no 上年结转
    Document d = doc_of({"gen_hn01_continued_first.tsv", "gen_hn02.tsv"});
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(d.tables[1]), "budget.hn.02");
    EXPECT_EQ(schema_of(d.tables[0]), "budget.hn.01");
    EXPECT_FALSE(d.tables[0].continues);
}

TEST(SchemaHeaderless, RowsTakenForAHeaderDoNotStopTheShape) {
    // a range starting with the last lines of 财政拨款收支总表: 上年结转结余 /
    // 年终结转结余 taken for a header that names no column of any schema
    Document d = doc_of({"gen_std04_fragment.tsv", "gen_std05.tsv"});
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(d.tables[1]), "budget.std.05");
    EXPECT_EQ(schema_of(d.tables[0]), "budget.std.04");
}

TEST(SchemaHeaderless, LineNumbersWithoutTheirHeader) {
    // the end of 收入支出决算总表 with its 行次 columns (18, 19, … / 44, 45, …) and no header:
    // two amount columns, not four — final.01, not final.04
    Document d = doc_of({"gen_final01_tail_line_numbers.tsv", "gen_final02.tsv"});
    auto g = schema::analyse_grid(d.tables[0]);
    EXPECT_EQ(g.cols[1].role, "line_no");
    EXPECT_EQ(g.cols[4].role, "line_no");
    apply_schemas(d, schemas(), lexicon());
    EXPECT_EQ(schema_of(d.tables[1]), "final.02");
    EXPECT_EQ(schema_of(d.tables[0]), "final.01");
}
