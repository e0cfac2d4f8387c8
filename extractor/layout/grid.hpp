// Layout stage: ruled tables.
// Takes: a straightened binary ink mask (ink = 255) from image/ and its dpi.
// Gives: the ruled tables of the page, each with its row and column separator
//        positions, its cells as grid slots with spans (merged cells), and
//        whether rows had to be found from text baselines (partial rulings:
//        outer frame and header lines only).
// Lines are found with morphology that bridges short breaks, so faint and
// broken rulings of scans still count; thresholds are data (models/layout.json).
// Regions of rulings whose boxes overlap over most of the narrower one's
// width are one table (blots that cut a table's broken rulings apart).
#pragma once

#include "core/types.hpp"

#include <opencv2/core.hpp>

#include <string>
#include <vector>

namespace fiscan::layout {

struct Params {
    double line_min_len_mm = 10.0;   // shorter strokes are text, not rulings
    double gap_bridge_mm = 0.5;      // breaks in a ruling up to this long are bridged
    double cluster_tol_mm = 1.0;     // line fragments this close are one separator
    double separator_coverage = 0.5; // share of a slot edge a ruling must cover
    double min_table_w_mm = 30.0, min_table_h_mm = 12.0;
    // A ruled band lower than min_table_h_mm (but at least row_table_min_h_mm)
    // is a table of one row (the last row of a table continued on the next
    // page) when its frame lines run its width and rulings that run its full
    // height cut it into at least row_table_min_cols columns.
    double row_table_min_h_mm = 4.0;
    int row_table_min_cols = 3;
    double text_row_factor = 2.6;    // an unruled band taller than this × text height is split at text gaps
    double speck_max_mm = 0.45;      // text ink that fits in a box this size is a speck (not for rulings)
    double glyph_min_mm = 1.0;       // text that bounds an unruled column: components at least this long
    double label_gap_mm = 1.5;       // glyphs this close across a boundary are one label running over it
    static Params load(const std::string& json_path);  // missing file → defaults
};

struct GridCell {
    int row = 0, col = 0, row_span = 1, col_span = 1;
    Box bbox;
    // A slot of a ruled table with no ruling (nor dashes of one) on any side:
    // the paper is torn off or covered there; an empty crop proves nothing.
    bool unruled = false;
};

struct DetectedTable {
    Box bbox;
    std::vector<int> rows, cols;   // separator positions, n+1 each
    std::vector<GridCell> cells;   // row-major by top-left slot
    bool partial_ruling = false;   // some rows came from text baselines
    int n_rows() const { return static_cast<int>(rows.size()) - 1; }
    int n_cols() const { return static_cast<int>(cols.size()) - 1; }
};

struct LineMasks {
    cv::Mat horizontal, vertical;  // ink = 255
    cv::Mat pieces;                // short vertical runs (≥ 0.8 mm): remnants of broken rulings
};

LineMasks find_line_masks(const cv::Mat& ink, int dpi, const Params& p);
std::vector<DetectedTable> detect_tables(const cv::Mat& ink, int dpi, const Params& p = {});
// line_ink: a more sensitive mask used to find the rulings (faint scans);
// ink: the ordinary mask used for text (row baselines, crossing text).
// masks_out, when given, receives the line masks found (for rule_mask).
std::vector<DetectedTable> detect_tables(const cv::Mat& ink, const cv::Mat& line_ink, int dpi, const Params& p = {},
                                         LineMasks* masks_out = nullptr);
// The text ink the layout reads (text rows and unruled columns from the
// gaps between lines): `ink` without what the image stage found occluded — a
// blot fills the white gaps between the rows it covers, and a band of three
// rows with a blot in two would stay one row. `ink` itself when nothing is
// occluded (occlusion empty or blank).
cv::Mat visible_ink(const cv::Mat& ink, const cv::Mat& occlusion);
// The same on line masks found elsewhere (the vector rulings of a born-digital
// page, pdf/vector_rulings.hpp): everything after find_line_masks. m's masks
// have ink's size.
std::vector<DetectedTable> detect_tables_on_masks(const cv::Mat& ink, const LineMasks& m, int dpi, const Params& p = {});
// The pixels of the tables' rulings, to erase before cells are cropped: the
// long rulings of find_line_masks plus the short runs (dashes of a broken or
// faint ruling) lying along a separator of one of `tables`, grown by a pixel
// for their blurred fringe. line_ink as given to detect_tables.
// m: the line masks detect_tables found on line_ink (masks_out).
cv::Mat rule_mask(const cv::Mat& line_ink, const LineMasks& m, int dpi, const std::vector<DetectedTable>& tables);
// Damage merges cells: under a blot or stain the paper itself is darkened, the
// rulings there vanish from the ink masks, and the slots on both sides of them
// become one cell. A merged cell whose separator runs (for at least
// `min_share` of its stretch inside the cell) under `occlusion` (255 where
// the paper is darkened, the geometry of the ink mask detect_tables got) is
// split back along it: the ruling is hidden, not absent. Pieces that would
// not be rectangles leave the cell merged. Returns the number of cells split.
int split_occluded_merges(std::vector<DetectedTable>& tables, const cv::Mat& occlusion, int dpi,
                          double min_share = 0.6);
// Same tables with every coordinate multiplied by s (low-res detection → output dpi).
DetectedTable scaled(const DetectedTable& t, double s);

}  // namespace fiscan::layout
