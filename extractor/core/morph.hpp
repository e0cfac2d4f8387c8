// Erosion and dilation of an 8-bit image by a vertical line (a 1×k
// rectangle, anchor at its centre): the same pixels as cv::erode /
// cv::dilate / cv::morphologyEx with cv::getStructuringElement(MORPH_RECT,
// {1, k}) and the default border (pixels outside the image do not count),
// by van Herk / Gil-Werman: three row-wise min (max) per row whatever k,
// where OpenCV's column filter takes about k/2. find_line_masks opens and
// closes the page's ink with such lines at 300 dpi (k up to 30): the
// vertical passes were most of its time.
#pragma once

#include <opencv2/core.hpp>

namespace fiscan {

enum class LineOp { Erode, Dilate, Open, Close };

// src: CV_8UC1, any size; k ≥ 1. dst may be src.
void vertical_morph(const cv::Mat& src, cv::Mat& dst, LineOp op, int k);

}  // namespace fiscan
