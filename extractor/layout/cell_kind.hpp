// Layout → OCR hand-over: what a cell holds, judged from its ink shapes.
// Takes: a cleaned cell crop (ocr/crop.hpp) and its dpi.
// Gives: Numeric when every glyph looks like a digit or separator (narrow,
//        full-height blobs plus dots/commas), Text when CJK-like blobs are
//        present, Unknown when there is too little ink to tell. Column voting
//        then settles the doubtful cells of a numeric column.
#pragma once

#include "core/types.hpp"

#include <opencv2/core.hpp>

#include <vector>

namespace fiscan::layout {

CellKind guess_kind(const cv::Mat& clean_crop, int dpi);

// cells[i] kinds for one table (slot coordinates in `rows`/`cols`): a column
// whose body cells are mostly Numeric makes its Unknown cells Numeric.
void vote_column_kinds(const std::vector<int>& cols_of_cells, const std::vector<int>& rows_of_cells,
                       int header_rows, std::vector<CellKind>& kinds);

}  // namespace fiscan::layout
