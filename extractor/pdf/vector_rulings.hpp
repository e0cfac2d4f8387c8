// PDF stage: Poppler's own reader of a document (its private API: one PDFDoc
// per reader), and the rulings a born-digital page draws as vector paths.
// Takes: the bytes of a PDF file.
// Gives: the page count and page boxes; a page's text layer as poppler-cpp's
//        page::text_list() gives it (the same TextOutputDev, the same words,
//        character boxes and space flags, in points); a page rendered to
//        gray by a Splash device kept for the document; and from an OutputDev
//        that only listens to stroke/fill (no text, no images, nothing
//        rasterised) every axis-aligned rectangle the page paints — stroked segments
//        (dash patterns laid out, caps added) and filled rectangles — in device
//        pixels at the dpi asked for (the page's /Rotate and the CTM applied,
//        clipped to the clip box), in painting order, each either ink (dark
//        enough to be ink in the render route's threshold) or paper (a light
//        paint that covers what lies under it); and from them the line masks
//        (layout::LineMasks) the grid detection takes, built the way
//        layout::find_line_masks would have found them in the render.
// Why the private API, and the fallback to the render route: docs/dependencies.md.
#pragma once

#include "layout/grid.hpp"

#include <opencv2/core.hpp>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace fiscan::pdf {

struct Paint {
    double x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // device pixels, x0 < x1, y0 < y1
    bool ink = true;    // false: paper-coloured (or light) paint over whatever lies under it
    bool thin = false;  // a ruling candidate: a stroked segment or a filled rectangle ≤ thin_max thick
};

struct PagePaints {
    std::vector<Paint> paints;   // painting order
    int width = 0, height = 0;   // page raster size at the dpi (as render_gray would give)
    int images = 0;              // images drawn (not decoded): what only a render would show
    int ink_segments() const;    // thin ink paints
};

// Thrown by PopplerReader's constructor when Poppler cannot open the bytes.
class PdfOpenError : public std::runtime_error {
public:
    PdfOpenError(const std::string& what, bool encrypted_) : std::runtime_error(what), encrypted(encrypted_) {}
    bool encrypted;  // readable, but locked by a password
};

// One word of a page's text layer, as poppler-cpp's text_box holds it: the
// text (UTF-8, after poppler-cpp's UTF-16 round trip) and one box per
// character, in points (72 dpi, y down, the page's crop box; rotation 0).
struct PdfWord {
    struct CharBox { double left = 0, top = 0, right = 0, bottom = 0; };
    std::string text;
    std::vector<CharBox> chars;
    bool space_after = false;
};

// Reads pages with Poppler's private API; one per worker thread (own PDFDoc
// on the same bytes; Poppler objects are not shared).
class PopplerReader {
public:
    // bytes must outlive the reader. Throws PdfOpenError when Poppler cannot
    // open them (poppler-cpp's document::load_from_raw_data opens them the
    // same way: a PDFDoc on the bytes, empty passwords).
    explicit PopplerReader(std::shared_ptr<const std::string> bytes);
    ~PopplerReader();
    int page_count() const;
    // The crop box's width and height in points, as poppler-cpp's
    // page::page_rect(crop_box) gives them, and the page's /Rotate (0, 90,
    // 180, 270). Throws std::runtime_error when the page cannot be loaded.
    cv::Size2d crop_size_pt(int page, int* rotate) const;
    // The words of poppler-cpp's page::text_list() (reading order).
    std::vector<PdfWord> words(int page) const;
    // thin_max_px: a filled rectangle at most this thick (device pixels) is a ruling candidate.
    PagePaints paints(int page, int dpi, double thin_max_px) const;  // page is 1-based
    // The page rendered to 8-bit gray as PdfDocument::render_gray renders it
    // (the same pixels), by one Splash device kept for the document: a font
    // object shared by several pages is parsed once, and no XRef is copied
    // per render. (Word exports embed each page's font subsets as separate
    // objects: those are still parsed page by page; their font files, when
    // stored with /FlateDecode alone, are inflated by zlib and libdeflate
    // instead of Poppler's own inflater — the same bytes.)
    cv::Mat render_gray(int page, int dpi) const;

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// The line masks of the rulings among `paints` (page size w × h at dpi), as
// layout::find_line_masks would find them in the render: paper paints
// painted later cut the rulings they cover across their whole thickness; a
// ruling is at least one pixel thick, its edges snapped to the pixel grid
// (the renderer's stroke adjustment); breaks up to gap_bridge_mm are bridged;
// horizontal rulings shorter than the render route's 4 mm opening, vertical
// ones shorter than 2.5 mm, and vertical ones shorter than line_min_len_mm
// whose ends meet no horizontal ruling are left out; `pieces` holds every
// vertical ruling of 0.8 mm or more, unbridged.
layout::LineMasks line_masks_from_paints(const std::vector<Paint>& paints, cv::Size size, int dpi,
                                         const layout::Params& p);

}  // namespace fiscan::pdf
