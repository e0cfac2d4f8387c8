#include "ocr/orientation.hpp"

#include "ocr/tesseract_engine.hpp"

#include <opencv2/imgproc.hpp>
#include <spdlog/spdlog.h>
#include <tesseract/baseapi.h>

namespace fiscan::ocr {

OrientationDetector::OrientationDetector(const std::string& tessdata, double min_confidence, int min_characters)
    : min_conf_(min_confidence) {
    auto api = std::make_unique<tesseract::TessBaseAPI>();
    if (api->Init(tessdata.c_str(), "osd", tesseract::OEM_TESSERACT_ONLY) != 0) {
        spdlog::info("orientation model (osd) not available in {}; 180° pages are not turned", tessdata);
        return;
    }
    api->SetPageSegMode(tesseract::PSM_OSD_ONLY);
    // Blobs classified in 4 orientations: at least this many, at most 5× as many.
    api->SetVariable("min_characters_to_try", std::to_string(min_characters).c_str());
    api_ = std::move(api);
}

OrientationDetector::~OrientationDetector() {
    if (api_) api_->End();
}

int OrientationDetector::upside_down(const cv::Mat& gray, int dpi) {
    if (!api_ || gray.empty()) return 0;
    single_thread_openmp();
    // OSD needs only glyph shapes: 150 dpi is plenty and four times cheaper.
    cv::Mat img = gray;
    if (dpi > 150) cv::resize(gray, img, cv::Size(), 150.0 / dpi, 150.0 / dpi, cv::INTER_AREA);
    api_->SetImage(img.data, img.cols, img.rows, 1, static_cast<int>(img.step));
    api_->SetSourceResolution(std::min(dpi, 150));
    int deg = 0;
    float conf = 0, script_conf = 0;
    const char* script = nullptr;
    bool ok = api_->DetectOrientationScript(&deg, &conf, &script, &script_conf);
    api_->Clear();
    return ok && deg == 180 && conf >= min_conf_ ? 180 : 0;
}

}  // namespace fiscan::ocr
