// OCR stage helper for the image stage: is a straightened page upside down?
// Takes: a straightened grayscale page and its dpi.
// Gives: 0 or 180, from Tesseract's orientation-and-script model (osd), with
//        a confidence floor so a doubtful page is left as it is.
// One per worker thread (a TessBaseAPI is not thread-safe).
#pragma once

#include <opencv2/core.hpp>

#include <memory>
#include <string>

namespace tesseract { class TessBaseAPI; }

namespace fiscan::ocr {

class OrientationDetector {
public:
    explicit OrientationDetector(const std::string& tessdata, double min_confidence = 2.0, int min_characters = 50);
    ~OrientationDetector();
    OrientationDetector(const OrientationDetector&) = delete;
    OrientationDetector& operator=(const OrientationDetector&) = delete;
    bool available() const { return api_ != nullptr; }
    int upside_down(const cv::Mat& gray, int dpi);  // 0 or 180

private:
    std::unique_ptr<tesseract::TessBaseAPI> api_;
    double min_conf_;
};

}  // namespace fiscan::ocr
