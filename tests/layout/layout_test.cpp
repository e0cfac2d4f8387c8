// Layout stage on rendered pages of a generated document whose truth gives
// every cell's slot and spans: a multi-level merged header (公开02表) and a
// table ruled only on its frame and header (公开04表).
#include "image/prepare.hpp"
#include "layout/context.hpp"
#include "layout/grid.hpp"
#include "pdf/pdf_document.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include <fstream>
#include <memory>
#include <sstream>
#include <set>
#include <tuple>

using namespace fiscan;

namespace {
std::string data(const std::string& name) { return std::string(FISCAN_TEST_DATA) + "/layout/" + name; }

// Page 1 of a one-page scan PDF in tests/data/layout, rendered at 300 dpi as the
// pipeline renders it (a JPEG of the render can lose a fault).
cv::Mat pdf_page(const std::string& name) {
    std::ifstream in(data(name), std::ios::binary);
    std::stringstream bytes;
    bytes << in.rdbuf();
    return pdf::PdfDocument::open(std::make_shared<const std::string>(bytes.str()))->render_gray(1, 300);
}

nlohmann::json truth(const std::string& name) {
    std::ifstream in(data(name));
    return nlohmann::json::parse(in);
}

using Slot = std::tuple<int, int, int, int>;

std::set<Slot> truth_slots(const nlohmann::json& t) {
    std::set<Slot> s;
    for (const auto& c : t["cells"]) s.insert({c["row"].get<int>(), c["col"].get<int>(), c["row_span"].get<int>(), c["col_span"].get<int>()});
    return s;
}

std::set<Slot> found_slots(const layout::DetectedTable& t) {
    std::set<Slot> s;
    for (const auto& c : t.cells) s.insert({c.row, c.col, c.row_span, c.col_span});
    return s;
}

std::vector<layout::DetectedTable> detect(const std::string& png) {
    cv::Mat page = cv::imread(data(png), cv::IMREAD_GRAYSCALE);
    EXPECT_FALSE(page.empty());
    auto prep = image::prepare(page, 200);
    return layout::detect_tables(prep.ink, prep.line_ink, 200);
}
}  // namespace

TEST(Layout, MergedHeaderGridMatchesTruthExactly) {
    auto t = truth("merged-header.truth.json");
    auto tables = detect("merged-header-200dpi.png");
    ASSERT_EQ(tables.size(), 1u);
    const auto& g = tables[0];
    EXPECT_EQ(g.n_rows(), t["n_rows"].get<int>());
    EXPECT_EQ(g.n_cols(), t["n_cols"].get<int>());
    EXPECT_EQ(found_slots(g), truth_slots(t));
    EXPECT_FALSE(g.partial_ruling);
    // The table box is where the truth puts it (points → pixels at 200 dpi).
    auto bb = t["bbox_pt"];
    EXPECT_NEAR(g.bbox.x0, bb[0].get<double>() * 200 / 72, 6);
    EXPECT_NEAR(g.bbox.y0, bb[1].get<double>() * 200 / 72, 6);
    EXPECT_NEAR(g.bbox.x1, bb[2].get<double>() * 200 / 72, 6);
    EXPECT_NEAR(g.bbox.y1, bb[3].get<double>() * 200 / 72, 6);
}

TEST(Layout, PartialRulingRowsComeFromTextBaselines) {
    auto t = truth("partial-ruling.truth.json");
    ASSERT_EQ(t["ruling"], "partial");
    auto tables = detect("partial-ruling-200dpi.png");
    ASSERT_EQ(tables.size(), 1u);
    const auto& g = tables[0];
    EXPECT_TRUE(g.partial_ruling);
    EXPECT_EQ(g.n_cols(), t["n_cols"].get<int>());
    EXPECT_EQ(g.n_rows(), t["n_rows"].get<int>());
    auto want = truth_slots(t), got = found_slots(g);
    int same = 0;
    for (const auto& s : want) same += got.count(s);
    EXPECT_GE(same, static_cast<int>(0.95 * want.size())) << same << " of " << want.size();
}

// A poor 150-dpi scan (scan simulator, seed 1: faded ink, 12% of the ruling
// pieces dropped and 35% lightened, noise, JPEG 50, skewed 2.9°): every
// ruling is broken into dashes, none a quarter of the table long, and grains
// of paper noise line up into stray fragments next to the frame. The table
// is still found, with the truth's 30 rows and 4 columns.
TEST(Layout, PoorScanBrokenRulingsStillMakeTheTable) {
    auto t = truth("poor-template.truth.json");
    cv::Mat page = cv::imread(data("poor-template-150dpi.jpg"), cv::IMREAD_GRAYSCALE);
    ASSERT_FALSE(page.empty());
    auto prep = image::prepare(page, 150);
    auto tables = layout::detect_tables(prep.ink, prep.line_ink, 150);
    ASSERT_EQ(tables.size(), 1u);
    const auto& g = tables[0];
    EXPECT_EQ(g.n_rows(), t["n_rows"].get<int>());
    EXPECT_EQ(g.n_cols(), t["n_cols"].get<int>());
    // Slots with the truth's spans: 106 of 118 when written (a broken
    // ruling between two empty cells of the left half still reads as a
    // merge in a few rows).
    auto want = truth_slots(t), got = found_slots(g);
    int same = 0;
    for (const auto& s : want) same += got.count(s);
    EXPECT_GE(same, static_cast<int>(0.85 * want.size())) << same << " of " << want.size();
    // The box is the frame's, not widened by stray fragments (the straightened
    // page is rotated about its centre, so only the size is compared).
    auto bb = t["bbox_pt"];
    EXPECT_NEAR(g.bbox.width(), (bb[2].get<double>() - bb[0].get<double>()) * 150 / 72, 8);
    EXPECT_NEAR(g.bbox.height(), (bb[3].get<double>() - bb[1].get<double>()) * 150 / 72, 8);
}

TEST(Layout, ContextLinesGiveTitleNumberUnitAndOrganisation) {
    std::vector<TextLine> lines = {
        {{400, 100, 900, 160}, "收入决算表", 1},
        {{1200, 180, 1400, 215}, "公开02表", 1},
        {{100, 220, 700, 255}, "部门：石门市石峰区统计局", 1},
        {{1250, 220, 1400, 255}, "单位：万元", 1},
        {{100, 900, 900, 935}, "注：本表反映部门本年度取得的各项收入情况。", 1},
    };
    Box table{90, 270, 1420, 880};
    auto ctx = layout::find_context(lines, table, 0, 3508, 300);
    EXPECT_EQ(ctx.title, "收入决算表");
    EXPECT_EQ(ctx.numbering, "公开02表");
    EXPECT_EQ(ctx.unit, "万元");
    EXPECT_EQ(ctx.organisation, "石门市石峰区统计局");
    ASSERT_EQ(ctx.notes.size(), 1u);
    EXPECT_EQ(ctx.notes[0].rfind("注：本表反映", 0), 0u);
}

TEST(Layout, ContextLineWithFusedFields) {
    layout::TableContext ctx;
    bool field = false;
    layout::parse_context_line("部门：公开 05 表", ctx, field);
    EXPECT_TRUE(field);
    EXPECT_EQ(ctx.numbering, "公开05表");
    layout::TableContext ctx2;
    layout::parse_context_line("编制单位：某区财政局    金额单位：元", ctx2, field);
    EXPECT_EQ(ctx2.unit, "元");
    EXPECT_EQ(ctx2.organisation, "某区财政局");
}

// A damaged scan (scan_sim.py, damaged level): two stains over the amounts
// (4,6) and (13,4) of a 预算 table darken the paper, its rulings vanish there
// and detect_tables merges each stained cell with its neighbour. The
// separators run under the occlusion map of the image stage: split back, every
// body cell is the truth's again.
TEST(Layout, CellsMergedUnderAStainAreSplitBack) {
    auto t = truth("stained-budget05.truth.json");
    cv::Mat page = cv::imread(data("stained-budget05-200dpi.jpg"), cv::IMREAD_GRAYSCALE);
    ASSERT_FALSE(page.empty());
    auto prep = image::prepare(page, 200);
    auto tables = layout::detect_tables(prep.ink, prep.line_ink, 200);
    ASSERT_EQ(tables.size(), 1u);
    ASSERT_EQ(tables[0].n_rows(), t["n_rows"].get<int>());
    ASSERT_EQ(tables[0].n_cols(), t["n_cols"].get<int>());
    const int header = t["header_rows"].get<int>();
    auto body = [&](const std::set<Slot>& s) {
        std::set<Slot> b;
        for (const auto& x : s)
            if (std::get<0>(x) >= header) b.insert(x);
        return b;
    };
    auto covering = [](const layout::DetectedTable& g, int r, int c) {
        for (const auto& x : g.cells)
            if (x.row <= r && r < x.row + x.row_span && x.col <= c && c < x.col + x.col_span) return x;
        return layout::GridCell{};
    };
    // Before: the stained cells are merged with a neighbour.
    const auto a = covering(tables[0], 4, 6), b = covering(tables[0], 13, 4);
    EXPECT_GT(a.row_span * a.col_span, 1);
    EXPECT_GT(b.row_span * b.col_span, 1);
    EXPECT_NE(body(found_slots(tables[0])), body(truth_slots(t)));
    EXPECT_EQ(layout::split_occluded_merges(tables, prep.occlusion, 200), 2);
    // After: one slot each, and the body is the truth's grid.
    const auto a2 = covering(tables[0], 4, 6), b2 = covering(tables[0], 13, 4);
    EXPECT_EQ(a2.row_span * a2.col_span, 1);
    EXPECT_EQ(b2.row_span * b2.col_span, 1);
    EXPECT_EQ(body(found_slots(tables[0])), body(truth_slots(t)));
    // Nothing to split on a page without damage.
    auto clean = detect("merged-header-200dpi.png");
    cv::Mat none = cv::Mat::zeros(cv::imread(data("merged-header-200dpi.png"), cv::IMREAD_GRAYSCALE).size(), CV_8U);
    auto before = found_slots(clean[0]);
    EXPECT_EQ(layout::split_occluded_merges(clean, none, 200), 0);
    EXPECT_EQ(found_slots(clean[0]), before);
}

// models/layout.json is the shipped copy of the thresholds: it loads, and it
// says what the defaults say (a change to one must be made to the other).
TEST(Layout, ParamsFileMatchesTheDefaults) {
    const auto f = layout::Params::load(std::string(FISCAN_SOURCE_DIR) + "/models/layout.json");
    const layout::Params d;
    EXPECT_DOUBLE_EQ(f.line_min_len_mm, d.line_min_len_mm);
    EXPECT_DOUBLE_EQ(f.gap_bridge_mm, d.gap_bridge_mm);
    EXPECT_DOUBLE_EQ(f.cluster_tol_mm, d.cluster_tol_mm);
    EXPECT_DOUBLE_EQ(f.separator_coverage, d.separator_coverage);
    EXPECT_DOUBLE_EQ(f.min_table_w_mm, d.min_table_w_mm);
    EXPECT_DOUBLE_EQ(f.min_table_h_mm, d.min_table_h_mm);
    EXPECT_DOUBLE_EQ(f.row_table_min_h_mm, d.row_table_min_h_mm);
    EXPECT_EQ(f.row_table_min_cols, d.row_table_min_cols);
    EXPECT_DOUBLE_EQ(f.text_row_factor, d.text_row_factor);
    EXPECT_DOUBLE_EQ(f.speck_max_mm, d.speck_max_mm);
    EXPECT_DOUBLE_EQ(f.glyph_min_mm, d.glyph_min_mm);
    EXPECT_DOUBLE_EQ(f.label_gap_mm, d.label_gap_mm);
    // ... and it is really read: a missing file gives the defaults too, so
    // check one value against the file's text.
    std::ifstream in(std::string(FISCAN_SOURCE_DIR) + "/models/layout.json");
    const auto j = nlohmann::json::parse(in);
    EXPECT_DOUBLE_EQ(j.at("glyph_min_mm").get<double>(), f.glyph_min_mm);
}

namespace {
// Header slots (rows above header_rows) of the truth and of the one table
// detected on a 300-dpi crop of a typical scan from the final-account
// acceptance set (corpus/build/final; the truth file names page and crop).
struct HeaderCheck {
    std::set<Slot> want, got;
    int rows = 0, cols = 0, want_rows = 0, want_cols = 0;
};
HeaderCheck header_of(const std::string& name, int rows = -1) {
    auto t = truth(name + ".truth.json");
    cv::Mat page = cv::imread(data(name + "-300dpi.jpg"), cv::IMREAD_GRAYSCALE);
    EXPECT_FALSE(page.empty());
    auto prep = image::prepare(page, 300);
    auto tables = layout::detect_tables(prep.ink, prep.line_ink, 300);
    HeaderCheck h;
    EXPECT_EQ(tables.size(), 1u);
    if (tables.empty()) return h;
    const int header = rows >= 0 ? rows : t["header_rows"].get<int>();
    for (const auto& s : truth_slots(t))
        if (std::get<0>(s) < header) h.want.insert(s);
    for (const auto& s : found_slots(tables[0]))
        if (std::get<0>(s) < header) h.got.insert(s);
    h.rows = tables[0].n_rows();
    h.cols = tables[0].n_cols();
    h.want_rows = t["n_rows"].get<int>();
    h.want_cols = t["n_cols"].get<int>();
    return h;
}
}  // namespace

// 财政拨款“三公”经费 of a real final account, typical scan: 因公出国（境）费 and
// 公务接待费 span two header rows beside 公务用车购置及运行维护费, which spans
// one; the scan broke the column rulings between them in the upper row. The
// ruling under the one-row label stops at the boundary, so the boundary is
// there: three header cells, not one spanning ten columns.
TEST(Layout, TypicalScanHeaderCellsBesideATallerOneStaySeparate) {
    auto h = header_of("sanggong-typical");
    EXPECT_EQ(h.rows, h.want_rows);
    EXPECT_EQ(h.cols, h.want_cols);
    EXPECT_EQ(h.got, h.want);
}

// 政府性基金预算财政拨款收入支出决算表, typical scan: 本年收入 (one column) and
// 本年支出 (three) both span two header rows; the column ruling between them
// is dashed and missing along the lower row. Found along the upper row, it
// separates the two labels all the way down. (The label rows only: in the
// row under them the empty cell below 本年收入 still joins 合计 beside it,
// the ruling between them broken and no text left of it.)
TEST(Layout, TypicalScanDashedRulingBetweenTallHeaderCellsSeparates) {
    auto h = header_of("govfund-typical", 2);
    EXPECT_EQ(h.rows, h.want_rows);
    EXPECT_EQ(h.cols, h.want_cols);
    EXPECT_EQ(h.got, h.want);
}

// 支出决算表 of a generated document, typical scan: the ruling under 项目
// runs at the height of the labels 本年支出合计, 基本支出 and 经营支出, whose
// fused strokes the line mask takes for a ruling. Text above and below it
// makes it no ruling: those labels are one cell two rows tall, not split
// into halves read as noise.
TEST(Layout, TypicalScanLabelStrokesAreNoRowRuling) {
    auto h = header_of("gen-expenditure-typical");
    EXPECT_EQ(h.rows, h.want_rows);
    EXPECT_EQ(h.cols, h.want_cols);
    EXPECT_EQ(h.got, h.want);
}

// 收入支出决算总表 of a generated document, typical scan: 收入 spans the three
// columns of the income side, 支出 the three of the expense side. The scan
// broke the ruling between them in that top row (a stub at the top, the
// rest gone), and the slots next to it are the empty ends of the two
// labels: the text of each side is looked for across the slots it would
// join. Two header cells, not one 收入支出 across the table.
TEST(Layout, TypicalScanBrokenRulingBetweenCentredSpanningLabelsSeparates) {
    auto h = header_of("income-expense-typical");
    EXPECT_EQ(h.rows, h.want_rows);
    EXPECT_EQ(h.cols, h.want_cols);
    EXPECT_EQ(h.got, h.want);
}

// 财政拨款收入支出决算总表 of a real final account continued on a page of its
// own, typical scan: the last row, empty, ruled as a row of seven cells and
// 6 mm tall — lower than a table of two rows. Its frame lines run its width
// and its column rulings its full height (the scan thickened the bottom
// ruling, so the rulings' ends overshoot its mask by a pixel or two): a
// table of one row, where the truth has it, with all seven columns.
TEST(Layout, TypicalScanOneRowTableIsATable) {
    auto t = truth("row-table-typical.truth.json");
    cv::Mat page = cv::imread(data("row-table-typical-300dpi.jpg"), cv::IMREAD_GRAYSCALE);
    ASSERT_FALSE(page.empty());
    auto prep = image::prepare(page, 300);
    auto tables = layout::detect_tables(prep.ink, prep.line_ink, 300);
    ASSERT_EQ(tables.size(), 1u);
    EXPECT_EQ(tables[0].n_rows(), t["n_rows"].get<int>());
    // Every column: the ruling between the second and third amounts ends a
    // hairline short of the bottom ruling, which is itself broken at the
    // junction; still a ruling (its top meets the top ruling).
    EXPECT_EQ(tables[0].n_cols(), t["n_cols"].get<int>());
    EXPECT_EQ(found_slots(tables[0]), truth_slots(t));
    // the box: the truth's (points → 300-dpi pixels, less the crop's top), within 3 mm
    const auto b = t["bbox_pt"];
    const double s = 300.0 / 72.0, top = t["crop_px_300dpi"][1].get<double>(), tol = 3.0 / 25.4 * 300;
    EXPECT_NEAR(tables[0].bbox.x0, b[0].get<double>() * s, tol);
    EXPECT_NEAR(tables[0].bbox.y0, b[1].get<double>() * s - top, tol);
    EXPECT_NEAR(tables[0].bbox.x1, b[2].get<double>() * s, tol);
    EXPECT_NEAR(tables[0].bbox.y1, b[3].get<double>() * s - top, tol);
}

namespace {
// The one table detected on a whole 300-dpi page of a typical scan from the
// final-account acceptance set (corpus/build/final; the truth file names
// document, page and table) against the truth's grid: rows, columns and
// every cell's slot and spans.
struct WholeGrid {
    std::set<Slot> want, got;
    int rows = 0, cols = 0, want_rows = 0, want_cols = 0;
};
// (ext ".pdf": the one page of the scan itself, see pdf_page.)
WholeGrid whole_grid(const std::string& name, const std::string& ext = ".jpg") {
    auto t = truth(name + ".truth.json");
    const cv::Mat page = ext == ".pdf" ? pdf_page(name + ".pdf") : cv::imread(data(name + "-300dpi" + ext), cv::IMREAD_GRAYSCALE);
    EXPECT_FALSE(page.empty());
    auto prep = image::prepare(page, 300);
    auto tables = layout::detect_tables(prep.ink, prep.line_ink, 300);
    WholeGrid g;
    g.want = truth_slots(t);
    g.want_rows = t["n_rows"].get<int>();
    g.want_cols = t["n_cols"].get<int>();
    EXPECT_EQ(tables.size(), 1u);
    if (tables.empty()) return g;
    g.got = found_slots(tables[0]);
    g.rows = tables[0].n_rows();
    g.cols = tables[0].n_cols();
    return g;
}
#define EXPECT_GRID_EXACT(g)              \
    do {                                  \
        EXPECT_EQ((g).rows, (g).want_rows); \
        EXPECT_EQ((g).cols, (g).want_cols); \
        EXPECT_EQ((g).got, (g).want);     \
    } while (0)
}  // namespace

// 收入决算表 of a real final account, typical scan: 科目编码 is centred over
// the three code columns under 功能分类, whose rulings the scan lost in that
// row; the boundary 类 | 款 falls between the glyphs 科 and 目, 1.3 mm apart.
// Glyphs that close across a boundary are one label (label_gap_mm): one
// cell over three columns. (Its header ruling under 功能分类, three narrow
// columns long, is a row too.)
TEST(Layout, TypicalScanLabelOverANarrowGlyphGapStaysOneCell) {
    auto g = whole_grid("income-label-gap-typical");
    EXPECT_GRID_EXACT(g);
}

// 一般公共预算财政拨款基本支出决算表 (40 × 6), typical scan: 人员经费合计 at the
// foot spans the code and name columns; the column ruling stops above it and
// the boundary runs through the glyph 人, whose strokes along it look like
// the pieces of a broken ruling. A glyph-sized component on the boundary is
// text across it: one cell.
TEST(Layout, TypicalScanGlyphOnTheBoundaryKeepsTheTotalLabelOneCell) {
    auto g = whole_grid("final06-foot-typical");
    EXPECT_GRID_EXACT(g);
}

// 政府性基金 table with no amounts, typical scan: the first body row is
// empty and the scan dropped two of its column rulings; the slots on both
// sides, empty, were one cell. A table has no empty merged cells: each
// slot is a cell of its own.
TEST(Layout, TypicalScanEmptySlotsAreNotMerged) {
    auto g = whole_grid("govfund-empty-merges-typical");
    EXPECT_GRID_EXACT(g);
}

// 政府性基金 table, typical scan: under 本年支出 the row 合计 | 基本支出 |
// 项目支出 | (the empty foot of 年末结转和结余); the ruling between 项目支出 and
// the empty slot is lost in that row. 项目支出 sits centred in its own slot,
// far from the middle of the join: two cells.
TEST(Layout, TypicalScanLabelCentredInOneSlotSeparatesIt) {
    auto g = whole_grid("govfund-centred-label-typical");
    EXPECT_GRID_EXACT(g);
}

// 政府性基金 table of a generated document, typical scan, three causes:
//  - the last column (年末结转和结余 over 6 and an amount) was cut by an
//    unruled column found in its white gap, though every column ruling of
//    the table runs its full height (a table ruled throughout has none);
//  - 年末结转和结余 spans two header rows, its one line centred on the row
//    boundary: its fused base strokes reach neither end of the slot, no
//    ruling;
//  - 栏次 and 合计 are centred over the code and name columns, whose ruling
//    stops in the header: rows ruled above and below are no unruled body,
//    the cells are merged.
TEST(Layout, TypicalScanRuledThroughoutTableHasTheTruthGrid) {
    auto g = whole_grid("govfund-ruled-throughout-typical");
    EXPECT_GRID_EXACT(g);
}

// 收入决算表 of a real final account, typical scan: the last row, ruled, holds
// three lines of "…". Lines of dots are no text rows: one row, not four.
TEST(Layout, TypicalScanLinesOfDotsAreNoRows) {
    auto g = whole_grid("income-dotted-row-typical");
    EXPECT_GRID_EXACT(g);
}

// 支出决算表 of a real final account, typical scan: 支出功能分类 over 科目编码
// across the three narrow code columns only; the ruling between them is too
// short for a row separator of the whole table, but runs whole from column
// ruling to column ruling in the header: three header rows, not two.
TEST(Layout, TypicalScanShortHeaderRulingIsARow) {
    auto g = whole_grid("expenditure-short-header-ruling-typical");
    EXPECT_GRID_EXACT(g);
}

// 三公 table of a generated document, typical scan: the labels 合计,
// 因公出国(境)费, 公务用车购置及运行费, 公务接待费 sit on one line, their fused
// strokes covering much of some slots. A ruling runs from column ruling to
// column ruling: no slot has them at both ends, so no row separator.
TEST(Layout, TypicalScanFusedLabelStrokesAreNoRowSeparator) {
    auto g = whole_grid("sanggong-label-strokes-typical");
    EXPECT_GRID_EXACT(g);
}

// 一般公共预算财政拨款基本支出决算表, typical scan: the note under the frame
// (注：本表反映…) widened the table's region; a stroke of it meets both the
// frame and its own fused strokes. The frame's sides do not enter that
// band: it is outside the table, 40 rows not 41.
TEST(Layout, TypicalScanNoteUnderTheFrameIsNoRow) {
    auto g = whole_grid("final06-note-under-frame-typical");
    EXPECT_GRID_EXACT(g);
}

// 财政拨款收入支出决算总表 of a generated document, typical scan: the row
// ruling between 403.21 and 0.00 is dashes too short for the line mask. Text
// above and below and only the ruling's thin dashes on the line: two cells.
TEST(Layout, TypicalScanDashesOfABodyRulingAreNoTextAcrossIt) {
    auto g = whole_grid("final04-dashed-body-ruling-typical");
    EXPECT_GRID_EXACT(g);
}

// 一般公共预算财政拨款基本支出决算表 of a real final account, typical scan: the
// row ruling under 劳务费's amount 2.01 is lost under that one column; the
// slot below (委托业务费) is empty. The text of a cell merged down two rows
// would be centred on the lost ruling; 2.01 is centred in its own slot, and
// the ruling runs under the rest of the row: two cells.
TEST(Layout, TypicalScanAmountCentredInItsSlotAboveALostRulingStaysOneRow) {
    auto g = whole_grid("final06-lost-row-ruling-typical", ".pdf");
    EXPECT_GRID_EXACT(g);
}

// 政府性基金 table of a generated document, typical scan, every ruling left
// in dashes: no row has its column rulings found whole almost everywhere, so
// the body (栏次, 合计) is found from the dashes, and there the dashed
// ruling 本年收入 | 本年支出 is a ruling: 本年收入 spans two header rows,
// 本年支出 three columns, not one cell over both.
TEST(Layout, TypicalScanAllDashedRulingsStillSeparateTheHeader) {
    auto g = whole_grid("govfund-dashed-header-typical", ".pdf");
    EXPECT_GRID_EXACT(g);
}

// 一般公共预算基本支出表 of a generated budget, damaged scan (page 2 of
// corpus/build/damaged/gen-budget-std-s1-0003.p8-10.damaged.s2): ruled in the
// header only; a blot covers the 合计 amount of 30110 and ends on the
// boundary 合计 | 人员经费. The blot's edge is no dashed ruling (a ruling's
// dashes have paper on both sides): the column rulings end with the header,
// and the body's amounts stay in their own columns.
TEST(Layout, DamagedScanBlotEdgeIsNoRulingThatMergesTheAmounts) {
    auto prep = image::prepare(pdf_page("budget06-blot-on-boundary-damaged.pdf"), 300);
    auto tables = layout::detect_tables(prep.ink, prep.line_ink, 300);
    layout::split_occluded_merges(tables, prep.occlusion, 300);  // as the pipeline does: no cell merged across the blot
    ASSERT_EQ(tables.size(), 1u);
    const auto& t = tables[0];
    ASSERT_EQ(t.n_cols(), 5);  // code, name, 合计, 人员经费, 公用经费
    int across = 0, body = 0;
    for (const auto& c : t.cells) {
        if (c.row < 2) continue;  // the two header rows
        ++body;
        across += c.col <= 2 && c.col + c.col_span - 1 >= 3;
    }
    EXPECT_GE(body, 40);
    EXPECT_EQ(across, 0);
}

namespace {
std::vector<layout::DetectedTable> detect_pdf_page(const std::string& name) {
    auto prep = image::prepare(pdf_page(name), 300);
    // as the pipeline does: text rows and columns from the ink no blot covers
    return layout::detect_tables(layout::visible_ink(prep.ink, prep.occlusion), prep.line_ink, 300);
}
}  // namespace

// The last three lines of 财政拨款收支总表 carried over to a page of their own
// (page 3 of corpus/build/damaged/gen-budget-std-s1-0006.p6-8.damaged): ruled
// only round the frame, rows from the gaps between text lines — and two blots
// over the 本年支出合计 / 支出总计 amounts fill those gaps. Read from the ink
// the blots leave visible, the band is a table of its three lines; from all
// the ink it is no table at all (one band, one column).
TEST(Layout, DamagedScanBlotsDoNotCloseTheGapsBetweenTextRows) {
    auto prep = image::prepare(pdf_page("budget04-tail-under-blots-damaged.pdf"), 300);
    ASSERT_GT(cv::countNonZero(prep.occlusion), 0);
    const auto blind = layout::detect_tables(prep.ink, prep.line_ink, 300);
    EXPECT_TRUE(blind.empty());
    const auto tables = layout::detect_tables(layout::visible_ink(prep.ink, prep.occlusion), prep.line_ink, 300);
    ASSERT_EQ(tables.size(), 1u);
    const auto& t = tables[0];
    // the frame: 56.7–538.6 pt wide, 73.7–125.8 pt high (truth), at 300 dpi
    EXPECT_NEAR(t.bbox.x0, 56.7 * 300 / 72, 15);
    EXPECT_NEAR(t.bbox.x1, 538.6 * 300 / 72, 15);
    EXPECT_NEAR(t.bbox.y1, 125.8 * 300 / 72, 15);
    EXPECT_GE(t.n_rows(), 3);  // 本年收入合计 / 上年结转结余 / 收入总计 apart
    EXPECT_GE(t.n_cols(), 3);
}

// 政府性基金 table of a real unit budget, damaged scan (page 3 of
// corpus/build/damaged/real-putuo-commerce-unit-2025-budget.p17-19.damaged.s2):
// the lower right corner is torn off, taking the last column's amounts of the
// last rows with it (the truth marks them obscured). Those slots have no
// ruling left on any side: unruled, so the pipeline keeps them empty only at
// confidence 0.5 (provenance.unruled), not as surely empty cells. A slot
// beside them with its rulings is not unruled.
TEST(Layout, DamagedScanTornCornerSlotsAreUnruled) {
    auto tables = detect_pdf_page("budget-torn-corner-damaged.pdf");
    ASSERT_EQ(tables.size(), 1u);
    std::set<std::pair<int, int>> unruled;
    for (const auto& c : tables[0].cells)
        if (c.unruled) unruled.insert({c.row, c.col});
    const int last = tables[0].n_rows() - 1, col = tables[0].n_cols() - 1;
    EXPECT_TRUE(unruled.count({last, col}));
    EXPECT_TRUE(unruled.count({last - 1, col}));
    EXPECT_FALSE(unruled.count({last, col - 1}));  // its amount is there, ruled on the left
    EXPECT_LE(unruled.size(), 3u);
}

// Typical scans (rulings faded or in dashes, never torn): no slot is unruled.
TEST(Layout, TypicalScanSlotsAreNeverUnruled) {
    for (const std::string name : {"govfund-dashed-header-typical.pdf", "final06-lost-row-ruling-typical.pdf"}) {
        auto tables = detect_pdf_page(name);
        ASSERT_FALSE(tables.empty()) << name;
        for (const auto& t : tables)
            for (const auto& c : t.cells) EXPECT_FALSE(c.unruled) << name << " (" << c.row << "," << c.col << ")";
    }
}

// The 合计 line of a real 一般公共预算支出表 carried over to a page of its own
// (page 3 of corpus/build/damaged/real-putuo-wanli-street-2024-budget.p18-20.damaged.s2):
// one ruled row, 合计 | 156,211,123 | 99,706,020 | 56,505,103, a blot over the
// first amount and over the ruling before it. The blot reaches below the
// row's bottom ruling, so the region the rulings and the blot make is taller
// than the row: the band is ruled top and bottom if its top and bottom
// rulings run its width, wherever the blot ends. One row of four cells, the
// row's box its rulings' (8.6 mm, not the blot's 10.8).
TEST(Layout, DamagedScanOneRowBandWithABlotPastItsRulingIsATable) {
    auto tables = detect_pdf_page("budget03-total-band-under-blot-damaged.pdf");
    ASSERT_EQ(tables.size(), 1u);
    const auto& t = tables[0];
    EXPECT_EQ(t.n_rows(), 1);
    EXPECT_EQ(t.n_cols(), 4);
    ASSERT_EQ(t.rows.size(), 2u);
    EXPECT_NEAR(t.rows[1] - t.rows[0], 8.6 / 25.4 * 300, 12);
    // the rulings the blot leaves right of it (2304, 2773, 3273 px)
    ASSERT_EQ(t.cols.size(), 5u);
    EXPECT_NEAR(t.cols[2], 2304, 12);
    EXPECT_NEAR(t.cols[3], 2773, 12);
    EXPECT_NEAR(t.cols[4], 3273, 12);
}

// Continuation of a real 一般公共预算支出功能分类预算表 (page 2 of
// corpus/build/damaged/real-putuo-gov-office-unit-2025-budget.p14-16.damaged):
// blots over 购房补贴's 合计 and the 合计 row's 基本支出 cut the broken rulings
// of the table's foot apart, and the last two rows came out as a second
// table whose box reached back into the first one's — the 合计 row belonged to
// neither grid. Regions whose boxes overlap over most of the narrower one's
// width are one table: 11 rows × 7 columns down to the frame's foot
// (324.2 pt), the 合计 label spanning the four code and name columns.
TEST(Layout, DamagedScanFootCutOffByBlotsStaysInItsTable) {
    auto tables = detect_pdf_page("budget05-foot-under-blot-damaged.pdf");
    ASSERT_EQ(tables.size(), 1u);
    const auto& t = tables[0];
    EXPECT_EQ(t.n_rows(), 11);
    EXPECT_EQ(t.n_cols(), 7);
    EXPECT_NEAR(t.bbox.y1, 324.24 * 300 / 72, 15);
    bool total_span = false;
    for (const auto& c : t.cells) total_span |= c.row == 10 && c.col == 0 && c.col_span == 4;
    EXPECT_TRUE(total_span);
}
