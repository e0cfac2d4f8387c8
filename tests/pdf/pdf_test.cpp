// PDF stage on real inputs: a text-layer page cut from a real disclosure,
// and the broken inputs users send (not a PDF, truncated, encrypted, empty).
#include "pdf/pdf_document.hpp"
#include "pipeline/pipeline.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace fiscan;

namespace {
std::string data(const std::string& name) { return std::string(FISCAN_TEST_DATA) + "/pdf/" + name; }

std::string open_error(const std::string& name) {
    try {
        auto doc = pdf::PdfDocument::open(pdf::read_pdf_bytes(data(name)));
        return "";
    } catch (const InputError& e) {
        return e.what();
    }
}
}  // namespace

TEST(PdfDocument, RendersARealPageAtTheDpiAsked) {
    auto doc = pdf::PdfDocument::open(pdf::read_pdf_bytes(data("real-final02-p8.pdf")));
    ASSERT_EQ(doc->page_count(), 1);
    auto size = doc->page_size_pt(1);
    EXPECT_NEAR(size.width, 841.9, 1.0);  // landscape A4
    EXPECT_NEAR(size.height, 595.3, 1.0);
    cv::Mat g = doc->render_gray(1, 100);
    EXPECT_EQ(g.type(), CV_8UC1);
    EXPECT_NEAR(g.cols, 841.9 * 100 / 72, 2);
    EXPECT_NEAR(g.rows, 595.3 * 100 / 72, 2);
    // The page has a ruled table: plenty of dark pixels, mostly white paper.
    double dark = cv::countNonZero(g < 128) / static_cast<double>(g.total());
    EXPECT_GT(dark, 0.01);
    EXPECT_LT(dark, 0.3);
}

TEST(PdfDocument, TextLayerGlyphsCarryCjkDigitsAndBoxes) {
    auto doc = pdf::PdfDocument::open(pdf::read_pdf_bytes(data("real-final02-p8.pdf")));
    auto glyphs = doc->glyphs(1, 300);
    ASSERT_GT(glyphs.size(), 200u);
    std::string all;
    for (const auto& g : glyphs) {
        all += g.text;
        EXPECT_FALSE(g.bbox.empty());
        EXPECT_GE(g.bbox.x0, 0);
        EXPECT_LE(g.bbox.x1, 841.9 * 300 / 72 + 2);
    }
    EXPECT_NE(all.find("收入决算表"), std::string::npos);
    EXPECT_NE(all.find("2,946.25"), std::string::npos);
    auto v = pdf::judge_text_layer(glyphs);
    EXPECT_TRUE(v.usable) << v.reason;
    EXPECT_GT(v.cjk, 50);
    EXPECT_GT(v.digits, 50);
}

TEST(PdfDocument, GarbledOrMissingTextLayerIsNotTrusted) {
    std::vector<pdf::Glyph> none;
    EXPECT_FALSE(pdf::judge_text_layer(none).usable);
    // Mojibake of a CJK font without a ToUnicode map: Latin-1 soup.
    std::vector<pdf::Glyph> soup;
    for (int i = 0; i < 200; ++i) soup.push_back({{i * 10, 0, i * 10 + 9, 12}, i % 2 ? "\xc3\x8a" : "\xc2\xb5", false});
    auto v = pdf::judge_text_layer(soup);
    EXPECT_FALSE(v.usable);
    EXPECT_NE(v.reason.find("garbled"), std::string::npos);
}

TEST(PdfDocument, BrokenInputsGiveOneLineReasons) {
    EXPECT_NE(open_error("not-a-pdf.pdf").find("not a PDF"), std::string::npos);
    EXPECT_NE(open_error("truncated.pdf").find("not a readable PDF"), std::string::npos);
    EXPECT_NE(open_error("encrypted.pdf").find("encrypted"), std::string::npos);
    EXPECT_NE(open_error("zero-pages.pdf").find("no pages"), std::string::npos);
    EXPECT_THROW(pdf::read_pdf_bytes(data("does-not-exist.pdf")), InputError);
    for (const char* f : {"not-a-pdf.pdf", "truncated.pdf", "encrypted.pdf", "zero-pages.pdf"})
        EXPECT_EQ(open_error(f).find('\n'), std::string::npos) << f;
}
