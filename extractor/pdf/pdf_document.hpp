// PDF stage (Poppler: one PDFDoc per document, read through its private API
// by pdf::PopplerReader; poppler-cpp for the OCR route's render).
// Takes: the bytes of a PDF file.
// Gives: page count, page sizes, a page rendered to an 8-bit grayscale raster
//        at a chosen dpi, and the page's text layer as glyphs with boxes
//        (pixels at the same dpi), plus a verdict on whether that text layer
//        is trustworthy enough to read the page from it.
// One PdfDocument per worker thread: Poppler objects are not shared across
// threads (each worker loads its own copy from the same bytes).
#pragma once

#include "core/types.hpp"
#include "pdf/vector_rulings.hpp"

#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <vector>

namespace poppler { class document; }

namespace fiscan::pdf {

struct Glyph {
    Box bbox;           // pixels at the dpi asked for
    std::string text;   // UTF-8, one code point
    bool space_after = false;
};

struct TextLayerVerdict {
    bool usable = false;
    int glyphs = 0;
    int cjk = 0, digits = 0, suspicious = 0;  // suspicious: PUA, replacement, control, unmapped Latin-1 soup
    std::string reason;
};

class PdfDocument {
public:
    // Throws InputError (pipeline/pipeline.hpp) with a one-line reason when the
    // bytes are not a readable PDF, are encrypted, or have no pages.
    static std::unique_ptr<PdfDocument> open(std::shared_ptr<const std::string> bytes);
    ~PdfDocument();

    int page_count() const;
    // Page size in points (after the page's own /Rotate).
    cv::Size2d page_size_pt(int page) const;  // page is 1-based
    cv::Mat render_gray(int page, int dpi) const;  // throws std::runtime_error on failure
    // The same pixels from one render device kept for the document (the
    // reader's): a font object shared by pages is parsed once.
    cv::Mat render_gray_kept(int page, int dpi) const;
    // The text layer as poppler-cpp's page::text_list() gives it, one glyph
    // per code point (throws std::runtime_error when the page cannot be loaded).
    std::vector<Glyph> glyphs(int page, int dpi) const;
    // The axis-aligned strokes and filled rectangles the page paints, in
    // device pixels at dpi (pdf/vector_rulings.hpp). Throws std::runtime_error
    // when Poppler's own API cannot read the page.
    PagePaints vector_paints(int page, int dpi, double thin_max_px) const;

private:
    explicit PdfDocument(std::shared_ptr<const std::string> bytes, std::unique_ptr<PopplerReader> reader);
    std::shared_ptr<const std::string> bytes_;
    // The one parse of the file: page count, sizes, glyphs, paints, kept render.
    std::unique_ptr<PopplerReader> reader_;
    // poppler-cpp's document, for render_gray (the OCR route): made on first use.
    mutable std::unique_ptr<poppler::document> render_doc_;
};

// Read the whole file; throws InputError when it cannot be read or is not a PDF.
std::shared_ptr<const std::string> read_pdf_bytes(const std::string& path);

// Is the text layer real text (CJK and digits in plausible proportions) rather
// than absent, or the garbage of a broken font map?
TextLayerVerdict judge_text_layer(const std::vector<Glyph>& glyphs);

}  // namespace fiscan::pdf
