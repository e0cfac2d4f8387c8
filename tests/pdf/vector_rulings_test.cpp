// Vector rulings of born-digital pages (pdf/vector_rulings.hpp): a real page
// from tests/data/ gives the grid the render route finds, and the step from
// painted segments to line masks handles the CTM, the page's /Rotate, dash
// patterns, clipping, and paper painted over a ruling.
#include "layout/grid.hpp"
#include "pdf/pdf_document.hpp"
#include "pdf/vector_rulings.hpp"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>

using namespace fiscan;

namespace {

std::string data(const std::string& name) { return std::string(FISCAN_TEST_DATA) + "/pdf/" + name; }

// A one-page PDF (A4 portrait unless `media` says otherwise) drawing `content`,
// with a correct cross-reference table.
std::shared_ptr<const std::string> make_pdf(const std::string& content, int rotate = 0,
                                            const std::string& media = "0 0 595 842") {
    std::vector<std::string> objs = {
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [" + media + "] /Rotate " + std::to_string(rotate) +
            " /Contents 4 0 R /Resources << >> >>",
        "<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content + "\nendstream",
    };
    std::string pdf = "%PDF-1.4\n";
    std::vector<size_t> offsets;
    for (size_t i = 0; i < objs.size(); ++i) {
        offsets.push_back(pdf.size());
        pdf += std::to_string(i + 1) + " 0 obj\n" + objs[i] + "\nendobj\n";
    }
    const size_t xref = pdf.size();
    pdf += "xref\n0 " + std::to_string(objs.size() + 1) + "\n0000000000 65535 f \n";
    for (size_t o : offsets) {
        char line[32];
        std::snprintf(line, sizeof line, "%010zu 00000 n \n", o);
        pdf += line;
    }
    pdf += "trailer\n<< /Size " + std::to_string(objs.size() + 1) + " /Root 1 0 R >>\nstartxref\n" +
           std::to_string(xref) + "\n%%EOF\n";
    return std::make_shared<const std::string>(pdf);
}

constexpr int kDpi = 144;  // 2 device pixels per point: easy arithmetic
// As pipeline/page.cpp: thin_components' 0.7 mm in whole pixels, rounding allowed.
const double kThin = std::max(1l, std::lround(0.7 / 25.4 * kDpi)) + 0.5;

pdf::PagePaints paints_of(const std::string& content, int rotate = 0) {
    pdf::PopplerReader r(make_pdf(content, rotate));
    return r.paints(1, kDpi, kThin);
}

layout::LineMasks masks_of(const pdf::PagePaints& pp) {
    return pdf::line_masks_from_paints(pp.paints, {pp.width, pp.height}, kDpi, layout::Params{});
}

// Bounding box of a mask's ink.
cv::Rect ink_box(const cv::Mat& m) {
    std::vector<cv::Point> pts;
    cv::findNonZero(m, pts);
    return pts.empty() ? cv::Rect() : cv::boundingRect(pts);
}

}  // namespace

TEST(VectorRulings, StrokedLineLandsWhereTheCtmPutsIt) {
    // A 1 pt line from (100,700) to (300,700), then the same line under
    // "2 0 0 2 50 -700 cm" (scaled ×2, moved) from x 100 to 250.
    auto a = paints_of("0 G 1 w 100 700 m 300 700 l S");
    ASSERT_EQ(a.paints.size(), 1u);
    EXPECT_EQ(a.width, 1190);   // 595 pt × 2
    EXPECT_EQ(a.height, 1684);
    const auto& p = a.paints[0];
    EXPECT_TRUE(p.ink);
    EXPECT_TRUE(p.thin);
    EXPECT_NEAR(p.x0, 200, 0.01);
    EXPECT_NEAR(p.x1, 600, 0.01);
    EXPECT_NEAR((p.y0 + p.y1) / 2, (842 - 700) * 2, 0.01);  // device y runs down
    EXPECT_NEAR(p.y1 - p.y0, 2.0, 0.01);                     // 1 pt wide = 2 px

    auto b = paints_of("q 2 0 0 2 50 -700 cm 0 G 1 w 100 700 m 250 700 l S Q");
    ASSERT_EQ(b.paints.size(), 1u);
    EXPECT_NEAR(b.paints[0].x0, (2 * 100 + 50) * 2, 0.01);
    EXPECT_NEAR(b.paints[0].x1, (2 * 250 + 50) * 2, 0.01);
    EXPECT_NEAR((b.paints[0].y0 + b.paints[0].y1) / 2, (842 - (2 * 700 - 700)) * 2, 0.01);
    EXPECT_NEAR(b.paints[0].y1 - b.paints[0].y0, 4.0, 0.01);  // the width scales with the CTM

    auto m = masks_of(b);
    EXPECT_EQ(ink_box(m.horizontal), cv::Rect(500, 282, 600, 4));
    // Past the page's edge (the clip) nothing is painted.
    auto c = paints_of("q 2 0 0 2 50 -700 cm 0 G 1 w 100 700 m 300 700 l S Q");
    ASSERT_EQ(c.paints.size(), 1u);
    EXPECT_NEAR(c.paints[0].x1, 1190, 0.01);
    EXPECT_EQ(cv::countNonZero(m.vertical), 0);
}

TEST(VectorRulings, PageRotateTurnsHorizontalRulingsVertical) {
    // /Rotate 90: the page is shown turned clockwise; its horizontal line
    // becomes a vertical one and the raster is landscape.
    auto pp = paints_of("0 G 0.5 w 100 700 m 300 700 l S", 90);
    EXPECT_EQ(pp.width, 1684);
    EXPECT_EQ(pp.height, 1190);
    auto m = masks_of(pp);
    EXPECT_EQ(cv::countNonZero(m.horizontal), 0);
    const cv::Rect v = ink_box(m.vertical);
    EXPECT_NEAR(v.height, 400, 1);
    EXPECT_LE(v.width, 2);
    EXPECT_NEAR(v.x, 700 * 2, 1);  // user y 700 (near the top) → device x 1400 (the right) after the clockwise turn
    EXPECT_NEAR(v.y, 100 * 2, 1);
    EXPECT_EQ(cv::countNonZero(m.pieces), cv::countNonZero(m.vertical));
}

TEST(VectorRulings, FilledThinRectangleIsARulingAThickOneIsNot) {
    // WPS and ONLYOFFICE draw rulings as thin filled rectangles; a cell
    // background is a filled rectangle too, but not thin.
    auto pp = paints_of("0 g 100 500 200 1 re f 0.9 g 100 300 200 50 re f");
    ASSERT_EQ(pp.paints.size(), 2u);
    EXPECT_TRUE(pp.paints[0].thin && pp.paints[0].ink);
    EXPECT_FALSE(pp.paints[1].thin);
    EXPECT_FALSE(pp.paints[1].ink);  // light gray: paper in the render's threshold
    auto m = masks_of(pp);
    EXPECT_EQ(ink_box(m.horizontal), cv::Rect(200, (842 - 500) * 2 - 2, 400, 2));
    EXPECT_EQ(pp.ink_segments(), 1);
}

TEST(VectorRulings, DashesFarApartAreFragmentsCloseOnesAreOneRuling) {
    // [6 6]: 12 px dashes, 12 px gaps at 144 dpi — wider than the 0.5 mm
    // bridge (3 px), so fragments (each 12 px, below the 4 mm opening of
    // horizontal rulings: none survive as a horizontal ruling).
    auto far = paints_of("0 G 1 w [6 6] 0 d 100 700 m 300 700 l S");
    EXPECT_EQ(far.paints.size(), 17u);  // 200 pt / 12 pt: 16 whole dashes and the start of one more
    EXPECT_NEAR(far.paints[1].x0 - far.paints[0].x0, 24, 0.01);
    EXPECT_EQ(cv::countNonZero(masks_of(far).horizontal), 0);
    // [20 1]: 2 px gaps are bridged — one ruling end to end.
    auto close = paints_of("0 G 1 w [20 1] 0 d 100 700 m 300 700 l S");
    EXPECT_GT(close.paints.size(), 5u);
    auto m = masks_of(close);
    const cv::Rect h = ink_box(m.horizontal);
    EXPECT_EQ(h.x, 200);
    EXPECT_EQ(h.x + h.width, 600);
    EXPECT_EQ(cv::countNonZero(m.horizontal), 400 * 2);
    // The dash phase shifts the pattern: "[6 6] 6 d" starts with a gap.
    auto shifted = paints_of("0 G 1 w [6 6] 6 d 100 700 m 300 700 l S");
    ASSERT_FALSE(shifted.paints.empty());
    EXPECT_NEAR(shifted.paints[0].x0, 212, 0.01);  // after the 6 pt gap
}

TEST(VectorRulings, PaperPaintedOverARulingCutsItPaperUnderneathDoesNot) {
    // A black ruling, then a white box over its middle: the render shows two
    // rulings with a gap. The same white box painted first hides nothing.
    auto over = paints_of("0 G 1 w 100 700 m 300 700 l S 1 g 150 650 100 100 re f");
    auto m = masks_of(over);
    EXPECT_EQ(cv::countNonZero(m.horizontal.row(284)), 200);  // 100 pt of 200 left
    EXPECT_EQ(m.horizontal.at<uchar>(284, 400), 0);
    EXPECT_EQ(m.horizontal.at<uchar>(284, 250), 255);

    auto under = paints_of("1 g 150 650 100 100 re f 0 G 1 w 100 700 m 300 700 l S");
    EXPECT_EQ(cv::countNonZero(masks_of(under).horizontal.row(284)), 400);
    // Paper that covers only part of the ruling's thickness leaves it.
    // (1.5 pt = 3 px thick: rows 283–285; the paper covers down to row 283.)
    auto half = paints_of("0 G 1.5 w 100 700 m 300 700 l S 1 g 150 700 100 10 re f");
    auto hm = masks_of(half);
    EXPECT_EQ(cv::countNonZero(hm.horizontal.row(285)), 400);
    EXPECT_EQ(cv::countNonZero(hm.horizontal.col(400)), 3);
}

TEST(VectorRulings, ClipAndLightStrokes) {
    // Clipped to x ≤ 200 pt: the ruling stops there.
    auto clipped = paints_of("q 0 0 200 842 re W n 0 G 1 w 100 700 m 300 700 l S Q");
    ASSERT_EQ(clipped.paints.size(), 1u);
    EXPECT_NEAR(clipped.paints[0].x1, 400, 0.01);
    // A very light stroke is not ink in the render route's threshold.
    auto light = paints_of("0.9 G 1 w 100 700 m 300 700 l S");
    EXPECT_EQ(light.ink_segments(), 0);
    // Curves and slanted strokes are no rulings.
    auto other = paints_of("0 G 1 w 100 100 m 300 300 l S 100 500 m 150 600 200 600 250 500 c S");
    EXPECT_EQ(other.paints.size(), 0u);
}

TEST(VectorRulings, RealPageGivesTheGridOfTheRenderRoute) {
    // A page of a real final-account disclosure (text layer, ruled table):
    // the grid from its vector rulings is the grid the render route finds.
    auto doc = pdf::PdfDocument::open(pdf::read_pdf_bytes(data("real-final02-p8.pdf")));
    const int dpi = 150;
    const layout::Params params;
    auto glyphs = doc->glyphs(1, dpi);
    cv::Mat gray = doc->render_gray(1, dpi), text_ink;
    cv::threshold(gray, text_ink, 192, 255, cv::THRESH_BINARY_INV);
    cv::Mat ink = text_ink.clone();
    for (const auto& g : glyphs) {
        Box b = g.bbox.inset(std::max(1, g.bbox.width() / 6), std::max(1, g.bbox.height() / 4));
        if (!b.empty()) cv::rectangle(ink, cv::Rect(b.x0, b.y0, b.width(), b.height()), cv::Scalar(0), cv::FILLED);
    }
    auto rendered = layout::detect_tables(text_ink, ink, dpi, params);

    // The vector route as pipeline/page.cpp runs it: rulings from the paths,
    // text ink from a render at half the resolution.
    auto pp = doc->vector_paints(1, dpi, std::max(1l, std::lround(0.7 / 25.4 * dpi)) + 0.5);
    EXPECT_EQ(pp.width, gray.cols);
    EXPECT_EQ(pp.height, gray.rows);
    EXPECT_GT(pp.ink_segments(), 20);
    EXPECT_EQ(pp.images, 0);
    auto m = pdf::line_masks_from_paints(pp.paints, gray.size(), dpi, params);
    cv::Mat half = doc->render_gray(1, dpi / 2), up, half_ink;
    cv::resize(half, up, gray.size(), 0, 0, cv::INTER_LINEAR);
    cv::threshold(up, half_ink, 192, 255, cv::THRESH_BINARY_INV);
    auto vector = layout::detect_tables_on_masks(half_ink, m, dpi, params);

    ASSERT_FALSE(rendered.empty());
    ASSERT_EQ(vector.size(), rendered.size());
    for (size_t t = 0; t < rendered.size(); ++t) {
        const auto& a = rendered[t];
        const auto& b = vector[t];
        ASSERT_EQ(b.n_rows(), a.n_rows()) << "table " << t;
        ASSERT_EQ(b.n_cols(), a.n_cols()) << "table " << t;
        ASSERT_EQ(b.cells.size(), a.cells.size()) << "table " << t;
        for (size_t i = 0; i < a.cells.size(); ++i) {
            const auto& ca = a.cells[i];
            const auto& cb = b.cells[i];
            EXPECT_EQ(std::tie(cb.row, cb.col, cb.row_span, cb.col_span), std::tie(ca.row, ca.col, ca.row_span, ca.col_span));
            EXPECT_NEAR(cb.bbox.x0, ca.bbox.x0, 2);
            EXPECT_NEAR(cb.bbox.y0, ca.bbox.y0, 2);
            EXPECT_NEAR(cb.bbox.x1, ca.bbox.x1, 2);
            EXPECT_NEAR(cb.bbox.y1, ca.bbox.y1, 2);
        }
    }
}

TEST(VectorRulings, KeptRenderDeviceGivesTheSamePixels) {
    // The text-layer route renders through one device kept for the document
    // (fonts parsed once): every page, rendered again after the others, and
    // at two resolutions, has the pixels of a fresh poppler-cpp render.
    // (Its font files are inflated by zlib and libdeflate: the pixels are those of Poppler's own inflater.)
    for (const std::string& path : {data("real-final02-p8.pdf"), data("real-template-final06-p11.pdf"),
                                    data("real-template-notes-p15.pdf"), std::string(FISCAN_TEST_DATA) + "/service/two-pages.pdf"}) {
        auto doc = pdf::PdfDocument::open(pdf::read_pdf_bytes(path));
        for (int round = 0; round < 2; ++round)
            for (int page = 1; page <= doc->page_count(); ++page)
                for (int dpi : {75, 150}) {
                    const cv::Mat a = doc->render_gray(page, dpi), b = doc->render_gray_kept(page, dpi);
                    ASSERT_EQ(a.size(), b.size()) << path << " p" << page << " @" << dpi;
                    EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0) << path << " p" << page << " @" << dpi;
                    EXPECT_LT(cv::mean(a)[0], 254.5) << "a page with ink";
                }
    }
}

TEST(VectorRulings, KeptRenderReadsDamagedFontFilesAsPopplerDoes) {
    // A font file zlib or libdeflate will not inflate to its end is read on
    // by Poppler's own inflater from where they stopped: the same pixels as
    // poppler-cpp's render of the same damaged bytes. real-final02-p8.pdf's
    // CJK font file (object 13, /FlateDecode, 110299 stored bytes) with its
    // checksum broken (they refuse it, Poppler does not check it), and with
    // a byte in its middle changed.
    std::ifstream in(data("real-final02-p8.pdf"), std::ios::binary);
    const std::string pdf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const size_t obj = pdf.find("\n13 0 obj");
    ASSERT_NE(obj, std::string::npos);
    const size_t start = pdf.find("stream\r\n", obj) + 8, end = pdf.find("\r\nendstream", start);
    ASSERT_EQ(end - start, 110299u);
    for (size_t at : {end - 1, start + (end - start) / 2}) {
        std::string damaged = pdf;
        damaged[at] = static_cast<char>(damaged[at] ^ 0x55);
        auto doc = pdf::PdfDocument::open(std::make_shared<const std::string>(damaged));
        for (int dpi : {75, 150}) {
            const cv::Mat a = doc->render_gray(1, dpi), b = doc->render_gray_kept(1, dpi);
            ASSERT_EQ(a.size(), b.size()) << at << " @" << dpi;
            EXPECT_EQ(cv::norm(a, b, cv::NORM_INF), 0) << at << " @" << dpi;
        }
        if (at == end - 1) {  // only the checksum: the font is whole, the page is the undamaged one's
            auto good = pdf::PdfDocument::open(std::make_shared<const std::string>(pdf));
            EXPECT_EQ(cv::norm(good->render_gray(1, 75), doc->render_gray_kept(1, 75), cv::NORM_INF), 0);
        }
    }
}
