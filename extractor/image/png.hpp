// Image stage: PNG files of debug images (page overlays, cell crops).
// Takes: an 8-bit gray (CV_8UC1) or BGR (CV_8UC3) image and a path.
// Gives: the PNG file, written by Leptonica (linked for Tesseract anyway):
//        OpenCV's imgcodecs module is not linked into the binary, because
//        loading it and the sixty libraries it needs (GDAL, GDCM, HDF5 …)
//        cost every run about a tenth of a second of start-up.
#pragma once

#include <opencv2/core.hpp>

#include <string>

namespace fiscan::image {

// Throws std::runtime_error when the image type is not supported or the file cannot be written.
void write_png(const std::string& path, const cv::Mat& img);

}  // namespace fiscan::image
