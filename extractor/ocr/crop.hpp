// Cell crops for the recognisers.
// Takes: the deskewed grayscale page and a cell box from the layout stage.
// Gives: a crop with the ruling lines and their remnants erased, trimmed to
//        the ink with a margin; plus ink tests (empty cell, obscured cell).
// Why: a 1–2 px remnant of a grid line at a crop edge is read as a leading
// "1" by PP-OCR (0.55 → 10.55, a silent error) and wrecks Tesseract on
// Chinese cells (docs/ocr.md, shared/docs/ocr-engines-study.md).
#pragma once

#include "core/types.hpp"

#include <opencv2/core.hpp>

#include <string>
#include <utility>
#include <vector>

namespace fiscan::ocr {

// All lengths in millimetres on the page (converted with the crop's dpi), so
// the same settings hold at 150, 200 and 300 dpi. Loaded from
// models/ocr/crop.json; the defaults below are the values shipped there.
struct CropOptions {
    double inset_mm = 0.0;          // step inside the cell box before looking for rules
    double outset_mm = 0.0;         // or look a little outside it (negative inset)
    double edge_scan_mm = 0.8;      // how deep from each edge rule rows/columns are searched
    double line_coverage = 0.55;    // a row/column darker than this fraction is a rule
    double fragment_thickness_mm = 0.6;  // line fragments at most this thick are erased
    double fragment_min_aspect = 3.0;    // ... and at least this elongated
    double fragment_min_run = 0.3;       // ... and this long, as a fraction of the edge
    double ink_contrast = 55.0;     // ink: grey level this far below the paper level
    double rule_contrast = 90.0;    // rules (and rule fragments): this far below
    double min_ink_mm = 0.7;        // a component must be this long (max side) to count as ink
    double min_ink_area_mm2 = 0.08; // ... and cover this area
    double ink_smooth_mm = 0.085;   // Gaussian sigma before the ink test of ink_box: grains of paper noise
                                    // (grainy low-dpi scans) fade below the ink contrast, strokes do not
    double speck_max_mm = 1.1;      // a solid, roundish blob smaller than this is a speck (dust), not ink,
                                    // unless it sits by the text (decimal point, 、)
    double trim_margin_mm = 0.5;    // margin kept around the ink when trimming, at least
    double trim_margin_of_height = 0.35;  // ... and this fraction of the ink height
    bool trim = true;               // trim the cleaned crop to its ink
    double obscured_blob_fraction = 0.15;  // solid dark/grey blob area / crop area
    double obscured_stroke_mm = 0.9;       // wider than any printed stroke
    double obscured_min_blob_mm2 = 20.0;   // a blob smaller than this is the core of bold, blurred
                                           // glyphs (普, 4 on a typical scan), not a blot or stain
    // text_core_box: the line of glyph-tall ink in a grainy crop, found on
    // the crop smoothed with this sigma (grain fades, strokes stay), glyphs
    // between these heights, kept with this margin (fraction of the height).
    double core_smooth_mm = 0.17;
    double core_glyph_min_mm = 1.2;
    double core_glyph_max_mm = 6.0;
    double core_margin_of_height = 0.4;   // above and below
    double core_side_margin_of_height = 0.8;  // left and right: a faint first or last digit
                                              // falls apart below glyph height
    // core_view: a crop whose text core covers less than this share of it
    // (the trim kept grain) is cut to the core.
    double core_max_share = 0.6;
    // text_core_box: glyph-tall ink the crop's top or bottom edge cuts is not
    // the line (a blot's rim); it may only widen the line it overlaps
    bool core_skip_edge_ink = true;
    double core_edge_mm = 0.45;     // ... ink within this of the edge (a blurred rim fades out before it)
    bool core_line_by_band = true;  // the line is the band with the most glyph ink (else: of the largest glyph)
};

// Loads <models_dir>/ocr/crop.json if present (missing keys keep defaults).
CropOptions load_crop_options(const std::string& models_dir);

// Crops `cell` (page pixels) from `page_gray`, erases rule rows/columns and
// line fragments touching the crop edges, and (if opt.trim) trims to the ink.
// Returns an 8-bit single-channel crop; an empty cell gives a white crop.
cv::Mat clean_cell_crop(const cv::Mat& page_gray, Box cell, int dpi,
                        const CropOptions& opt = {});

// The same cleaning on a crop that is already cut (whole image = cell).
cv::Mat clean_crop(const cv::Mat& crop_gray, int dpi, const CropOptions& opt = {});

// Paper level (bright percentile) and the ink mask: pixels clearly darker
// than the paper.
int paper_level(const cv::Mat& gray);
cv::Mat ink_mask(const cv::Mat& gray, const CropOptions& opt = {});

// Bounding box of the ink components that count (specks excluded);
// an empty Box if there are none.
Box ink_box(const cv::Mat& gray, int dpi, const CropOptions& opt = {});

// The line of glyph-tall ink of a crop, with a margin: on a grainy 150-dpi
// scan the ink test keeps grain and dust all over the cell, so the trimmed
// crop is the whole cell with a small number in a corner, which PP-OCR reads
// as nothing. Components of the crop smoothed with core_smooth_mm that are
// core_glyph_min_mm..core_glyph_max_mm tall and share the band of the
// largest one make the line. An empty Box when there is none.
Box text_core_box(const cv::Mat& gray, int dpi, const CropOptions& opt = {});

// The crop cut to its text core when the core covers less than
// core_max_share of it; else the crop as it is.
cv::Mat core_view(const cv::Mat& gray, int dpi, const CropOptions& opt = {});

// No ink of a reasonable size (specks and rule remnants do not count).
bool is_empty(const cv::Mat& crop, int dpi = 300, const CropOptions& opt = {});

// A blot or stain covers the cell: a solid dark or mid-grey region wider than
// any printed stroke takes up a large part of the crop.
bool looks_obscured(const cv::Mat& crop, int dpi = 300, const CropOptions& opt = {});

// The cell holds a lone dash ("-", "—": printed for a nil amount), which
// Tesseract does not read on its own. Call on a cleaned crop.
bool is_dash(const cv::Mat& crop, int dpi = 300, const CropOptions& opt = {});

// Number of text lines (ink bands separated by blank rows) in a cleaned crop.
int count_text_lines(const cv::Mat& crop, int dpi = 300, const CropOptions& opt = {});
// The same lines as [first row, end row) bands, top to bottom.
std::vector<std::pair<int, int>> text_line_bands(const cv::Mat& crop, int dpi = 300, const CropOptions& opt = {});

}  // namespace fiscan::ocr
