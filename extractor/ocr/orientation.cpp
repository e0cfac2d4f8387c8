#include "ocr/orientation.hpp"

#include "core/components.hpp"
#include "ocr/recogniser.hpp"
#include "ocr/tesseract_engine.hpp"

#include <opencv2/imgproc.hpp>
#include <spdlog/spdlog.h>
#include <tesseract/baseapi.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>

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

namespace fiscan::ocr {

OrientationConfig load_orientation_config(const std::string& models_dir) {
    OrientationConfig c;
    std::ifstream in(models_dir + "/ocr/orientation.json");
    if (!in) return c;
    const auto j = nlohmann::json::parse(in, nullptr, true, true);
    c.method = j.value("method", c.method);
    if (c.method != "vote" && c.method != "osd" && c.method != "none")
        throw std::runtime_error("models/ocr/orientation.json: method must be vote, osd or none, not " + c.method);
    if (j.contains("vote")) {
        const auto& v = j["vote"];
        c.vote.max_samples = v.value("max_samples", c.vote.max_samples);
        c.vote.max_aspect = v.value("max_aspect", c.vote.max_aspect);
        c.vote.margin = v.value("margin", c.vote.margin);
        c.vote.sure_upright = v.value("sure_upright", c.vote.sure_upright);
        c.vote.min_samples = v.value("min_samples", c.vote.min_samples);
    }
    return c;
}

std::vector<cv::Rect> text_line_samples(const cv::Mat& text_ink, int dpi, const OrientationVoteParams& p) {
    std::vector<cv::Rect> out;
    if (text_ink.empty() || dpi <= 0) return out;
    const double px_mm = dpi / 25.4;
    const int bridge = std::max(2, static_cast<int>(std::lround(1.5 * px_mm)));
    // Components from runs (fiscan::Components): the same boxes and areas as
    // connectedComponentsWithStats, without a full-page label image.
    cv::Mat joined;
    cv::morphologyEx(text_ink, joined, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(bridge, 1)));
    const Components cc(joined);
    struct Cand { cv::Rect r; int ink; };
    std::vector<Cand> cands;
    for (const Component& k : cc.list()) {
        const int x = k.x0, y = k.y0, w = k.width(), h = k.height(), area = k.area;
        if (h < 1.8 * px_mm || h > 8 * px_mm || w < 2.5 * h) continue;
        // A solid bar (a blot, a stamp's edge, a ruling left over) is no text line.
        if (area > 0.85 * w * h) continue;
        const int cut = std::min(w, static_cast<int>(p.max_aspect * h));
        cands.push_back({cv::Rect(x, y, cut, h), area});
    }
    std::sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) { return a.ink > b.ink; });
    const int pad = std::max(1, static_cast<int>(std::lround(0.5 * px_mm)));
    const cv::Rect page(0, 0, text_ink.cols, text_ink.rows);
    for (const auto& c : cands) {
        if (static_cast<int>(out.size()) >= p.max_samples) break;
        out.push_back(cv::Rect(c.r.x - pad, c.r.y - pad, c.r.width + 2 * pad, c.r.height + 2 * pad) & page);
    }
    return out;
}

double reading_score(double mean_prob, int chars, double expected_chars) {
    if (chars <= 0) return 0.0;
    const double want = std::max(1.0, 0.5 * expected_chars);
    return mean_prob * std::min(1.0, chars / want);
}

OrientationVote vote_orientation(Recogniser& rec, const cv::Mat& gray, const std::vector<cv::Rect>& samples, int dpi,
                                 const OrientationVoteParams& p) {
    OrientationVote v;
    if (gray.empty() || static_cast<int>(samples.size()) < p.min_samples) return v;
    std::vector<Crop> up, down;
    for (const auto& r : samples) {
        cv::Mat a = gray(r).clone(), b;
        cv::rotate(a, b, cv::ROTATE_180);
        up.push_back({a, CellKind::Text, dpi});
        down.push_back({b, CellKind::Text, dpi});
    }
    auto score = [&](const Reading& r, const cv::Rect& box) {
        double sum = 0;
        for (const auto& s : r.symbols) sum += s.prob;
        const int k = static_cast<int>(r.symbols.size());
        return reading_score(k ? sum / k : 0.0, k, static_cast<double>(box.width) / std::max(1, box.height));
    };
    std::vector<double> su(samples.size()), st(samples.size(), 0.0);
    const auto ru = rec.recognise_batch(up);
    for (size_t i = 0; i < samples.size(); ++i) su[i] = score(ru[i], samples[i]);
    v.samples = static_cast<int>(samples.size());
    for (double x : su) v.upright += x / v.samples;
    if (v.upright >= p.sure_upright) return v;
    const auto rt = rec.recognise_batch(down);
    for (size_t i = 0; i < samples.size(); ++i) {
        st[i] = score(rt[i], samples[i]);
        v.turned += st[i] / v.samples;
        if (st[i] > su[i]) ++v.turned_wins;
    }
    if (v.turned >= v.upright + p.margin && 2 * v.turned_wins > v.samples) v.degrees = 180;
    return v;
}

}  // namespace fiscan::ocr
