// PDF stage: the rulings a born-digital page draws as vector paths.
// Takes: a PDF page (Poppler's private API: PDFDoc + an OutputDev that only
//        listens to stroke/fill; no text, no images, nothing rasterised).
// Gives: every axis-aligned rectangle the page paints — stroked segments
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

// Reads the vector paints of pages with Poppler's private API; one per worker
// thread (own PDFDoc on the same bytes; Poppler objects are not shared).
class VectorReader {
public:
    // bytes must outlive the reader. Throws std::runtime_error when Poppler
    // cannot read them (the caller then keeps to the render route).
    explicit VectorReader(std::shared_ptr<const std::string> bytes);
    ~VectorReader();
    // thin_max_px: a filled rectangle at most this thick (device pixels) is a ruling candidate.
    PagePaints paints(int page, int dpi, double thin_max_px) const;  // page is 1-based
    // The page rendered to 8-bit gray as PdfDocument::render_gray renders it
    // (the same pixels), by one Splash device kept for the document: a font
    // object shared by several pages is parsed once, and no XRef is copied
    // per render. (Word exports embed each page's font subsets as separate
    // objects: those are still parsed page by page.)
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
