#include "ocr/crop.hpp"
#include "ocr_fixtures.hpp"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

namespace fiscan::ocr {
namespace {

using testing::load_fixture;

double col_coverage(const cv::Mat& gray, int c) {
    cv::Mat m = ink_mask(gray);
    return static_cast<double>(cv::countNonZero(m.col(c))) / m.rows;
}
double row_coverage(const cv::Mat& gray, int r) {
    cv::Mat m = ink_mask(gray);
    return static_cast<double>(cv::countNonZero(m.row(r))) / m.cols;
}

CropOptions no_trim() {
    CropOptions o = load_crop_options(testing::models_dir());
    o.trim = false;
    return o;
}

TEST(CropTest, OptionsLoadFromModels) {
    const CropOptions o = load_crop_options(testing::models_dir());
    EXPECT_DOUBLE_EQ(o.line_coverage, 0.55);
    EXPECT_TRUE(o.trim);
}

TEST(CropTest, LeftRuleRemnantIsErasedAndDigitsKept) {
    const cv::Mat raw = load_fixture("num_055_leftline.png");
    ASSERT_GT(col_coverage(raw, 0), 0.9);
    const cv::Mat clean = clean_crop(raw, 300, no_trim());
    ASSERT_EQ(clean.size(), raw.size());
    EXPECT_EQ(col_coverage(clean, 0), 0.0);
    EXPECT_EQ(col_coverage(clean, 1), 0.0);
    // The glyphs, away from the edge, are untouched.
    const cv::Rect inner(8, 0, raw.cols - 8, raw.rows);
    EXPECT_EQ(cv::countNonZero(ink_mask(raw)(inner)), cv::countNonZero(ink_mask(clean)(inner)));
}

TEST(CropTest, BrokenFragmentNotReachingCoverageIsErased) {
    const cv::Mat raw = load_fixture("num_055_leftfrag.png");
    ASSERT_LT(col_coverage(raw, 1), 0.55);  // the row/column pass alone would keep it
    ASSERT_GT(col_coverage(raw, 1), 0.2);
    const cv::Mat clean = clean_crop(raw, 300, no_trim());
    for (int c = 0; c < 4; ++c) EXPECT_EQ(col_coverage(clean, c), 0.0) << "column " << c;
}

TEST(CropTest, FullFrameIsErased) {
    const cv::Mat raw = load_fixture("num_30203_frame.png");
    const cv::Mat clean = clean_crop(raw, 300, no_trim());
    for (int k = 0; k < 4; ++k) {
        EXPECT_LT(col_coverage(clean, k), 0.05);
        EXPECT_LT(col_coverage(clean, clean.cols - 1 - k), 0.05);
        EXPECT_LT(row_coverage(clean, k), 0.05);
        EXPECT_LT(row_coverage(clean, clean.rows - 1 - k), 0.05);
    }
    EXPECT_FALSE(is_empty(clean));
}

TEST(CropTest, TrimKeepsMarginAroundInk) {
    const cv::Mat raw = load_fixture("num_30203_frame.png");
    const cv::Mat clean = clean_crop(raw, 300, load_crop_options(testing::models_dir()));
    EXPECT_LT(clean.cols, raw.cols);
    EXPECT_LT(clean.rows, raw.rows);
    // A white margin all round: no ink in the outer 4 px.
    const cv::Mat m = ink_mask(clean);
    EXPECT_EQ(cv::countNonZero(m.colRange(0, 4)), 0);
    EXPECT_EQ(cv::countNonZero(m.colRange(m.cols - 4, m.cols)), 0);
    EXPECT_EQ(cv::countNonZero(m.rowRange(0, 4)), 0);
    EXPECT_EQ(cv::countNonZero(m.rowRange(m.rows - 4, m.rows)), 0);
}

TEST(CropTest, CellBoxOnPageCutsAtRulesAndCleans) {
    // Paste the framed cell into a page and cut it out by its rule box.
    const cv::Mat cell = load_fixture("num_30203_frame.png");
    cv::Mat page(600, 800, CV_8U, cv::Scalar(255));
    cell.copyTo(page(cv::Rect(100, 200, cell.cols, cell.rows)));
    const Box box{100, 200, 100 + cell.cols, 200 + cell.rows};
    const cv::Mat clean = clean_cell_crop(page, box, 300, no_trim());
    ASSERT_EQ(clean.cols, cell.cols);
    EXPECT_EQ(col_coverage(clean, 0), 0.0);
    EXPECT_EQ(row_coverage(clean, clean.rows - 1), 0.0);
    // A box running off the page is clipped, not a crash.
    const cv::Mat off = clean_cell_crop(page, {750, 550, 900, 700}, 300);
    EXPECT_FALSE(off.empty());
    EXPECT_TRUE(is_empty(off));
}

TEST(CropTest, EmptyCellsAreEmpty) {
    EXPECT_TRUE(is_empty(clean_crop(load_fixture("empty_specks.png"), 300)));
    EXPECT_TRUE(is_empty(clean_crop(load_fixture("empty_frame.png"), 300)));
    // Rule remnants alone do not count as ink even before cleaning.
    EXPECT_TRUE(is_empty(load_fixture("empty_frame.png"), 300));
}

TEST(CropTest, CellsWithContentAreNotEmpty) {
    for (const char* f : {"num_dash.png", "num_055_leftline.png", "txt_yiban_rules.png", "txt_poor150.png"}) {
        const int dpi = std::string(f).find("150") != std::string::npos ? 150 : 300;
        EXPECT_FALSE(is_empty(clean_crop(load_fixture(f), dpi), dpi)) << f;
    }
}

// The ellipsis "…" of a template row (corpus/build/final,
// real-final-account-template p5-14, typical, page 2, the row under
// 2050205 高等教育; crop as the pipeline cuts it): three dots, each the size
// of a dust speck, but in a row, evenly spaced and of one size: not empty.
TEST(CropTest, EllipsisDotsInARowAreInk) {
    EXPECT_FALSE(is_empty(load_fixture("txt_ellipsis_typical.png"), 300));
    // one dot of it alone is a speck
    cv::Mat one = load_fixture("txt_ellipsis_typical.png").clone();
    one(cv::Rect(one.cols / 3, 0, one.cols - one.cols / 3, one.rows)).setTo(255);
    EXPECT_TRUE(is_empty(one, 300));
}

// Cells of a poor 150-dpi scan rendered at 300 dpi (corpus/build/small,
// real-final-account-template p5-6, poor; crops as the pipeline cut them):
// grains of paper noise reach 0.75 mm and dust specks are ~0.8 mm solid dots,
// both past the size of ink. Smoothed, the grains fade; the specks are round
// and solid, and count only beside text (a decimal point, a 、).
TEST(CropTest, PoorScanGrainAndSpecksAreNotInk) {
    for (const char* f : {"empty_poor_grain.png", "empty_poor_speck.png"}) {
        EXPECT_TRUE(is_empty(load_fixture(f), 300)) << f;
        CropOptions before;  // without the smoothing and the speck test
        before.ink_smooth_mm = 0;
        before.speck_max_mm = 0;
        EXPECT_FALSE(is_empty(load_fixture(f), 300, before)) << f;
    }
}

TEST(CropTest, PoorScanTrimStopsAtTheText) {
    // 八、其他收入 in the left 300 px of a 750 px cell; a speck at x ≈ 700.
    const cv::Mat crop = load_fixture("txt_poor_bashi.png");
    ASSERT_EQ(crop.cols, 750);
    EXPECT_FALSE(is_empty(crop, 300));
    const Box ink = ink_box(crop, 300);
    EXPECT_LT(ink.x1, 320);
    EXPECT_LT(ink.x0, 40);
    EXPECT_LT(clean_crop(crop, 300).cols, 360);
}

TEST(CropTest, BlotAndStainLookObscured) {
    EXPECT_TRUE(looks_obscured(load_fixture("obscured_blot.png"), 300));
    EXPECT_TRUE(looks_obscured(load_fixture("obscured_stain.png"), 300));
}

TEST(CropTest, PrintedCellsDoNotLookObscured) {
    for (const char* f : {"num_055_leftline.png", "num_30203_frame.png", "num_1210616_typical.png",
                          "txt_yiban_rules.png", "txt_zhengfu_typical.png", "txt_multiline.png",
                          "empty_specks.png", "num_dash.png"})
        EXPECT_FALSE(looks_obscured(load_fixture(f), 300)) << f;
    EXPECT_FALSE(looks_obscured(load_fixture("txt_poor150.png"), 150));
    EXPECT_FALSE(looks_obscured(load_fixture("num_40737_200dpi.png"), 200));
}

// Real cell crops of a typical scan (gen-seed002 final account, page 6,
// fiscan's cleaned crops at 300 dpi): bold print blurred by the scan leaves
// solid cores inside dense glyphs, up to 15-26% of a tight crop, after the
// opening. They are glyph-sized; a blot or stain is larger than any glyph.
TEST(CropTest, BoldBlurredPrintDoesNotLookObscured) {
    for (const char* f : {"num_4_bold_typical.png", "txt_bold_zhuanxiang_typical.png", "txt_bold_twoline_typical.png"}) {
        const cv::Mat crop = load_fixture(f);
        ASSERT_FALSE(crop.empty()) << f;
        // without the size test these crops do look obscured (the regression guarded here)
        CropOptions any_blob;
        any_blob.obscured_min_blob_mm2 = 0.0;
        EXPECT_TRUE(looks_obscured(crop, 300, any_blob)) << f;
        EXPECT_FALSE(looks_obscured(crop, 300)) << f;
    }
    const CropOptions opt = load_crop_options(testing::models_dir());
    EXPECT_FALSE(looks_obscured(load_fixture("num_4_bold_typical.png"), 300, opt));
    EXPECT_TRUE(looks_obscured(load_fixture("obscured_blot.png"), 300, opt));
    EXPECT_TRUE(looks_obscured(load_fixture("obscured_stain.png"), 300, opt));
}

TEST(CropTest, DashIsRecognisedByShape) {
    EXPECT_TRUE(is_dash(clean_crop(load_fixture("num_dash.png"), 300)));
    for (const char* f : {"num_055_leftline.png", "num_30203_frame.png", "txt_yiban_rules.png", "empty_frame.png"})
        EXPECT_FALSE(is_dash(clean_crop(load_fixture(f), 300))) << f;
}

TEST(CropTest, CountsTextLines) {
    EXPECT_EQ(count_text_lines(clean_crop(load_fixture("txt_multiline.png"), 300)), 2);
    EXPECT_EQ(count_text_lines(clean_crop(load_fixture("txt_yiban_rules.png"), 300)), 1);
    EXPECT_EQ(count_text_lines(clean_crop(load_fixture("num_1210616_typical.png"), 300)), 1);
    EXPECT_EQ(count_text_lines(clean_crop(load_fixture("txt_poor150.png"), 150), 150), 1);
    // Two lines set close, the second one glyph (出): two lines, not one band.
    EXPECT_EQ(count_text_lines(clean_crop(load_fixture("txt_wrapped_tight_buzhu.png"), 300)), 2);
    EXPECT_EQ(count_text_lines(clean_crop(load_fixture("txt_wrapped_tight_yanglao.png"), 300)), 2);
}

}  // namespace
}  // namespace fiscan::ocr
