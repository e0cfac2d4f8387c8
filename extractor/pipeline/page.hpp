// One page through pdf → image → layout → ocr (internal to the pipeline).
// Takes: an open PdfDocument of this worker, a page number and the worker's
//        engines. Gives: the page entry, its tables (cells read, context
//        attached) and page-level findings. Pages are independent, so workers
//        run them in parallel.
#pragma once

#include "core/types.hpp"
#include "layout/grid.hpp"
#include "ocr/crop.hpp"
#include "ocr/recogniser.hpp"
#include "ocr/orientation.hpp"
#include "ocr/router.hpp"
#include "pipeline/pipeline.hpp"

#include <functional>
#include <memory>
#include <string>

namespace fiscan::pdf { class PdfDocument; }

namespace fiscan::pipeline {

// Everything one worker thread owns: created once, reused for all its pages.
// The OCR engines (seconds to load) are created the first time a page of
// this worker needs them, so text-layer documents never load them.
// models/ocr/page_text.json: lines outside tables that Tesseract reads
// poorly (noisy 150-dpi scans) are read again by PP-OCR.
struct PageTextConfig {
    double ppocr_below = 0.80;   // Tesseract line confidence under which PP-OCR reads the line too
    double ppocr_margin = 0.10;  // PP-OCR's mean character probability must beat Tesseract's by this
    double pad_mm = 0.6;         // margin around the line's box for the PP-OCR crop
};
PageTextConfig load_page_text_config(const std::string& models_dir);

struct Worker {
    std::string models_dir;
    std::function<void(const ocr::CellReader&)> on_engines;  // told once, when the engines exist
    void ensure_ocr();
    std::unique_ptr<pdf::PdfDocument> pdf;
    std::unique_ptr<ocr::CellReader> cells;          // cell recognisers with routing
    std::unique_ptr<ocr::PageTextReader> page_text;  // running text outside tables
    std::unique_ptr<ocr::OrientationDetector> orientation;  // upside-down pages (osd; only when it decides)
    ocr::OrientationConfig orientation_cfg;                  // models/ocr/orientation.json
    PageTextConfig page_text_cfg;                            // models/ocr/page_text.json
};

struct Settings {
    Options opt;
    layout::Params layout;
    ocr::CropOptions crop;
};

struct PageOutput {
    PageResult page;
    std::vector<Table> tables;
    std::vector<Finding> findings;
};

PageOutput process_page(Worker& w, int page, const Settings& s);

// Where running text may be on a page whose tables are blanked out: bands of
// rows holding ink, split at blank gaps of at least `gap_mm`, each cut to its
// ink's left/right extent (plus a margin). Specks (a band shorter than
// `min_height_mm` or with less ink than a few glyph strokes) are dropped, so a
// page holding only its tables gives no band and no page-text OCR at all.
// Pieces of one printed line that the recogniser returned as separate lines
// (a wide gap inside a title: 政府性基金预算支出 | 功能分类预算表) are joined
// when they share most of their height and the gap is under `max_gap_h`
// line heights; CJK pieces join without a space. Reading order is kept.
// A cell whose crop looks dark (ocr::looks_obscured) but which PP-OCR and
// Tesseract both read as the same well-formed number is legible after all.
// Measured on the session-4 outputs: 21 such cells on poor scans and 5 on
// damaged scans, every one right; a single confident engine was wrong on 4
// damaged cells (docs/benchmarks.md).
bool engines_agree_on_number(const std::vector<Reading>& readings, const std::function<bool(const std::string&)>& is_number);

void join_line_pieces(std::vector<TextLine>& lines, double max_gap_h = 1.5);

std::vector<cv::Rect> text_bands(const cv::Mat& ink, int dpi, double gap_mm = 6.0, double min_height_mm = 1.2);

void write_debug_image(const std::string& dir, int page, const cv::Mat& gray, const std::vector<Table>& tables);

}  // namespace fiscan::pipeline
