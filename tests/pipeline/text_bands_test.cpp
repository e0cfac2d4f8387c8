// Page text is read only where ink is left once the tables are blanked out
// (pipeline::text_bands): the title and unit lines of a real scanned page,
// nothing for specks on blank paper.
#include "image/prepare.hpp"
#include "layout/grid.hpp"
#include "pdf/pdf_document.hpp"
#include "pipeline/page.hpp"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <fstream>
#include <memory>
#include <random>
#include <sstream>

using namespace fiscan;

namespace {

std::shared_ptr<const std::string> read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return std::make_shared<const std::string>(ss.str());
}

}  // namespace

TEST(TextBands, TitleAndUnitLinesOfAScannedTablePageAndNothingInsideTheTable) {
    auto doc = pdf::PdfDocument::open(read_file(std::string(FISCAN_SOURCE_DIR) + "/corpus/samples/sample-final.typical.pdf"));
    const int dpi = 150;
    image::Prepared prep = image::prepare(doc->render_gray(1, dpi), dpi);
    const auto tables = layout::detect_tables(prep.ink, prep.line_ink, dpi, {});
    ASSERT_EQ(tables.size(), 1u);
    const auto& tb = tables[0].bbox;
    cv::Mat rest = prep.ink.clone();
    rest(cv::Rect(tb.x0, tb.y0, tb.width(), tb.height())).setTo(0);
    const auto bands = pipeline::text_bands(rest, dpi);
    ASSERT_GE(bands.size(), 1u);
    // The title (收入决算表) and the unit line sit above the table, within a
    // few centimetres of it; every band is outside the table.
    // A band may reach into the table by its margin (1.5 mm), no further.
    const int tol = 2 * dpi / 25;
    bool above = false;
    for (const auto& b : bands) {
        EXPECT_TRUE(b.y + b.height <= tb.y0 + tol || b.y >= tb.y1 - tol) << "band inside the table at y=" << b.y << "+" << b.height;
        if (b.y + b.height <= tb.y0 + tol && tb.y0 - b.y < dpi * 2) above = true;
        EXPECT_LT(b.area(), prep.ink.rows * prep.ink.cols / 4) << "a band should be a few lines, not the page";
    }
    EXPECT_TRUE(above);
}

TEST(TextBands, SpecksOnBlankPaperGiveNoBand) {
    const int dpi = 300;
    cv::Mat ink = cv::Mat::zeros(3508, 2480, CV_8U);
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> x(0, ink.cols - 4), y(0, ink.rows - 4);
    for (int i = 0; i < 250; ++i) cv::rectangle(ink, cv::Rect(x(rng), y(rng), 3, 3), cv::Scalar(255), cv::FILLED);
    EXPECT_TRUE(pipeline::text_bands(ink, dpi).empty());
    // One line of "text": a 4-mm-high run of strokes 8 cm wide is one band.
    for (int k = 0; k < 40; ++k) cv::rectangle(ink, cv::Rect(600 + k * 22, 1000, 6, 47), cv::Scalar(255), cv::FILLED);
    const auto bands = pipeline::text_bands(ink, dpi);
    ASSERT_EQ(bands.size(), 1u);
    EXPECT_LE(bands[0].y, 1000);
    EXPECT_GE(bands[0].y + bands[0].height, 1047);
    EXPECT_LT(bands[0].height, 100);
}

// Two pieces of one title line (Tesseract split it at a wide gap, commerce
// unit 2025 budget, poor scan) are joined; the unit line beside it at the
// far right and the note below are not.
TEST(JoinLinePieces, PiecesOfOneTitleLineJoinOthersStay) {
    std::vector<TextLine> lines{
        {{832, 562, 2085, 677}, "2025年预算单位政府性基金预算支出", 0.89},
        {{2094, 554, 2610, 670}, "功能分类预算表", 0.95},
        {{3020, 662, 3268, 736}, "单位：元", 0.95},
        {{237, 1917, 1828, 1968}, "注:本单位2025年无政府性基金预算", 0.88},
    };
    pipeline::join_line_pieces(lines);
    ASSERT_EQ(lines.size(), 3u);
    EXPECT_EQ(lines[0].text, "2025年预算单位政府性基金预算支出功能分类预算表");
    EXPECT_EQ(lines[0].bbox.x1, 2610);
    EXPECT_DOUBLE_EQ(lines[0].confidence, 0.89);
    EXPECT_EQ(lines[1].text, "单位：元");
    // Latin pieces keep a space between them
    std::vector<TextLine> latin{{{0, 0, 100, 40}, "Total", 0.9}, {{130, 2, 230, 41}, "2024", 0.9}};
    pipeline::join_line_pieces(latin);
    ASSERT_EQ(latin.size(), 1u);
    EXPECT_EQ(latin[0].text, "Total 2024");
}

// Bold figures on a blurred poor scan look dark; two engines reading the same
// number make the cell legible, one engine alone or a disagreement do not.
TEST(EnginesAgreeOnNumber, BothEnginesSameWellFormedNumberOnly) {
    auto num = [](const std::string& s) { return !s.empty() && s.find_first_not_of("0123456789.,") == std::string::npos; };
    auto rd = [](std::string text, std::string engine) {
        Reading r;
        r.text = std::move(text);
        r.engine = std::move(engine);
        r.confidence = 0.9;
        return r;
    };
    EXPECT_TRUE(pipeline::engines_agree_on_number({rd("3521.99", "ppocr-v4"), rd("3521 .99", "tesseract-eng-digits")}, num));
    EXPECT_FALSE(pipeline::engines_agree_on_number({rd("3223.68", "ppocr-v4"), rd("3223.66", "tesseract-chi_sim")}, num));
    EXPECT_FALSE(pipeline::engines_agree_on_number({rd("22", "ppocr-v4")}, num));
    EXPECT_FALSE(pipeline::engines_agree_on_number({rd("总计", "ppocr-v4"), rd("总计", "tesseract-chi_sim")}, num));
    EXPECT_FALSE(pipeline::engines_agree_on_number({rd("", "ppocr-v4"), rd("", "tesseract-eng-digits")}, num));
}
