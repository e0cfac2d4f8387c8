// OCR stage helper for the image stage: is a straightened page upside down?
// Takes: a straightened grayscale page (and its ink with the tables' rulings
//        taken out) at its dpi.
// Gives: 0 or 180 with the evidence. Two methods:
//   - the recogniser vote (preferred): a few text lines of the page are read
//     as they stand and turned by 180°; a recogniser is far surer of upright
//     text, so the orientation whose readings score clearly higher wins;
//   - Tesseract's orientation-and-script model (osd), the fallback when no
//     line recogniser is available. At 150 dpi (poor scans) it is at chance
//     on the 0°/180° question (docs/benchmarks.md), hence the vote.
// A doubtful page is left as it is. One per worker thread (a TessBaseAPI is not thread-safe).
#pragma once

#include <opencv2/core.hpp>

#include <memory>
#include <string>
#include <vector>

namespace tesseract { class TessBaseAPI; }

namespace fiscan::ocr {

class Recogniser;

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

struct OrientationVoteParams {
    int max_samples = 3;        // text lines read
    double max_aspect = 3.3;    // a sample is cut to at most this × its height (the narrowest, cheapest net)
    double sure_upright = 0.85; // upright readings this good: no need to read them turned
    double margin = 0.10;       // turned must beat upright by this much (mean score)
    int min_samples = 2;        // fewer lines: no decision
};

// models/ocr/orientation.json: which method decides 0°/180°.
struct OrientationConfig {
    std::string method = "vote";   // "vote" (falls back to "osd" without PP-OCR), "osd", "none"
    OrientationVoteParams vote;
};
OrientationConfig load_orientation_config(const std::string& models_dir);

struct OrientationVote {
    int degrees = 0;        // 0 or 180
    double upright = 0.0;   // mean score of the samples as they stand
    double turned = 0.0;    // mean score of the samples turned by 180°
    int samples = 0;
    int turned_wins = 0;    // samples that scored higher turned
};

// Text lines of a page for the vote: glyph-height runs of ink (1.8–8 mm tall)
// joined along the line (gaps under 1.5 mm), at least 2.5× as wide as tall;
// the largest first, at most max_samples, each cut to max_aspect × its
// height. text_ink: binary, ink = 255, rulings removed.
std::vector<cv::Rect> text_line_samples(const cv::Mat& text_ink, int dpi, const OrientationVoteParams& p = {});

// A reading's score: the mean probability of its characters, scaled down
// when it read fewer characters than the line's shape suggests (a turned
// line often decodes into a few sure strokes and blanks). 0 for nothing read.
double reading_score(double mean_prob, int chars, double expected_chars);

// Reads every sample of `gray` as it stands with `rec` (batched); only when
// that is not clearly good, turned as well, and decides.
OrientationVote vote_orientation(Recogniser& rec, const cv::Mat& gray, const std::vector<cv::Rect>& samples, int dpi,
                                 const OrientationVoteParams& p = {});

}  // namespace fiscan::ocr
