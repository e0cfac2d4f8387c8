// OCR stage interface.
// Takes: a grayscale crop of one region (a cell, or a line of text outside a
//        table) that the layout stage found, and what kind of content it holds.
// Gives: a Reading (text, per-character probabilities and alternatives).
// Engines live behind this interface so a stage test can run without the
// others, and a second engine is added without touching the pipeline.
#pragma once

#include "core/types.hpp"

#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <vector>

namespace fiscan::ocr {

struct Crop {
    cv::Mat gray;          // 8-bit, 1 channel, dark ink on light paper
    CellKind kind = CellKind::Unknown;
    int dpi = 300;         // resolution of the crop
    // Set by the cell router (ocr/router.hpp): a table cell, whose reading
    // may be taken for a number though its kind is text (not a page line,
    // not an orientation sample).
    bool table_cell = false;
    // Set by the pipeline for the cells of one table read together: the
    // cell's column and row (-1: unknown). The cell router judges each cell
    // by the cells of its column below the column's first number (a column
    // of amounts holds numbers, with the same decimals).
    int column = -1;
    int row = -1;
};

class Recogniser {
public:
    virtual ~Recogniser() = default;
    virtual std::string name() const = 0;
    // One single-line (or multi-line, joined with "") region.
    virtual Reading recognise(const Crop& crop) = 0;
    // Many regions; engines that can batch (PP-OCR) override this.
    virtual std::vector<Reading> recognise_batch(const std::vector<Crop>& crops);
};

// A block of running text (page text outside tables): lines in reading order.
class PageTextReader {
public:
    virtual ~PageTextReader() = default;
    virtual std::vector<TextLine> read_lines(const cv::Mat& gray, int dpi) = 0;
};

}  // namespace fiscan::ocr
