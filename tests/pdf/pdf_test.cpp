// PDF stage on real inputs: a text-layer page cut from a real disclosure,
// and the broken inputs users send (not a PDF, truncated, encrypted, empty).
#include "pdf/pdf_document.hpp"
#include "pipeline/pipeline.hpp"

#include <gtest/gtest.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-page.h>

#include <cmath>
#include <memory>
#include <string>

using namespace fiscan;

namespace {
std::string data(const std::string& name) { return std::string(FISCAN_TEST_DATA) + "/pdf/" + name; }

std::shared_ptr<const std::string> bytes_of(const std::string& name) { return pdf::read_pdf_bytes(data(name)); }

// The glyphs poppler-cpp's page::text_list() gives (the way PdfDocument read
// them before it read them from its own PDFDoc): one per code point, boxes
// in pixels at dpi, the word's space flag on its last glyph.
std::vector<pdf::Glyph> text_list_glyphs(const std::string& bytes, int page, int dpi) {
    std::unique_ptr<poppler::document> doc(poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    std::unique_ptr<poppler::page> p(doc->create_page(page - 1));
    const double s = dpi / 72.0;
    std::vector<pdf::Glyph> out;
    for (const auto& tb : p->text_list()) {
        const auto u = tb.text().to_utf8();
        const std::string word(u.begin(), u.end());
        size_t k = 0;
        for (size_t i = 0; i < word.size(); ++k) {
            const auto c = static_cast<unsigned char>(word[i]);
            const size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
            const auto r = tb.char_bbox(k);
            out.push_back({{static_cast<int>(std::floor(r.left() * s)), static_cast<int>(std::floor(r.top() * s)),
                            static_cast<int>(std::ceil(r.right() * s)), static_cast<int>(std::ceil(r.bottom() * s))},
                           word.substr(i, n), false});
            i += n;
        }
        if (!out.empty()) out.back().space_after = tb.has_space_after();
    }
    return out;
}

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

TEST(PdfDocument, GlyphsAreThoseOfPopplerCppsTextList) {
    // PdfDocument reads the text layer from its own PDFDoc with Poppler's
    // TextOutputDev: every glyph (text, box at two resolutions, space flag)
    // is the one poppler-cpp's text_list() gives, in the same order.
    int spaces = 0;
    for (const char* name : {"real-final02-p8.pdf", "real-template-final06-p11.pdf", "real-template-notes-p15.pdf"}) {
        auto bytes = bytes_of(name);
        auto doc = pdf::PdfDocument::open(bytes);
        for (int dpi : {300, 150}) {
            const auto ours = doc->glyphs(1, dpi), theirs = text_list_glyphs(*bytes, 1, dpi);
            ASSERT_GT(theirs.size(), 200u) << name;
            ASSERT_EQ(ours.size(), theirs.size()) << name << " @" << dpi;
            for (size_t i = 0; i < ours.size(); ++i) {
                EXPECT_EQ(ours[i].text, theirs[i].text) << name << " glyph " << i;
                EXPECT_EQ(ours[i].bbox, theirs[i].bbox) << name << " glyph " << i << " " << ours[i].text;
                EXPECT_EQ(ours[i].space_after, theirs[i].space_after) << name << " glyph " << i;
                spaces += ours[i].space_after;
            }
        }
    }
    EXPECT_GT(spaces, 2 * 40);  // the notes page's words end in spaces: the flags are read, not all false
}

// The glyphs from first..last spelled by `chars` (one code point each), or an empty vector.
std::vector<pdf::Glyph> find_run(const std::vector<pdf::Glyph>& glyphs, const std::vector<std::string>& chars) {
    for (size_t i = 0; i + chars.size() <= glyphs.size(); ++i) {
        bool all = true;
        for (size_t k = 0; k < chars.size() && all; ++k) all = glyphs[i + k].text == chars[k];
        if (all) return {glyphs.begin() + static_cast<long>(i), glyphs.begin() + static_cast<long>(i + chars.size())};
    }
    return {};
}

TEST(PdfDocument, TextLayerGlyphBoxesAndSpacesOfRealPages) {
    // 公开02表's title on a landscape A4 page at 300 dpi: one box per
    // character, left to right on one baseline, no space between them.
    auto table = pdf::PdfDocument::open(bytes_of("real-final02-p8.pdf"));
    const auto title = find_run(table->glyphs(1, 300), {"收", "入", "决", "算", "表"});
    ASSERT_EQ(title.size(), 5u);
    const Box title_boxes[5] = {{1587, 418, 1655, 436}, {1654, 418, 1721, 436}, {1720, 418, 1788, 436}, {1787, 418, 1855, 436}, {1854, 418, 1921, 436}};
    for (size_t k = 0; k < 5; ++k) {
        EXPECT_EQ(title[k].bbox, title_boxes[k]) << title[k].text;
        EXPECT_FALSE(title[k].space_after) << title[k].text;
    }
    // Running text: 上海市 XX 局 2024 年度 — a word ends before and after the
    // Latin and the digits, and carries its space on its last glyph.
    auto notes = pdf::PdfDocument::open(bytes_of("real-template-notes-p15.pdf"));
    const auto run = find_run(notes->glyphs(1, 300), {"上", "海", "市", "X", "X", "局", "2", "0", "2", "4", "年", "度"});
    ASSERT_EQ(run.size(), 12u);
    std::string spaced;
    for (const auto& g : run) spaced += g.text + (g.space_after ? " " : "");
    EXPECT_EQ(spaced, "上海市 XX 局 2024 年度");
    const Box run_boxes[3] = {{833, 399, 897, 463}, {1037, 399, 1069, 463}, {1193, 399, 1225, 463}};  // 上, the first X, 2
    EXPECT_EQ(run[0].bbox, run_boxes[0]);
    EXPECT_EQ(run[3].bbox, run_boxes[1]);
    EXPECT_EQ(run[6].bbox, run_boxes[2]);
    for (size_t k = 1; k < run.size(); ++k) EXPECT_GT(run[k].bbox.x0, run[k - 1].bbox.x0) << run[k].text;
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
