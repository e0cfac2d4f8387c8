#include "image/prepare.hpp"

#include "core/components.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <vector>

namespace fiscan::image {

namespace {

constexpr double kPi = 3.14159265358979323846;

// Ink coordinates of a page reduced to ~100 dpi: enough to see lines, cheap to rotate.
std::vector<cv::Point2f> ink_points(const cv::Mat& ink, int dpi, double& scale) {
    scale = std::min(1.0, 100.0 / std::max(dpi, 1));
    cv::Mat small;
    cv::resize(ink, small, cv::Size(), scale, scale, cv::INTER_AREA);
    std::vector<cv::Point> pts;
    cv::findNonZero(small > 96, pts);
    std::vector<cv::Point2f> out;
    out.reserve(pts.size());
    // Subsample very dense pages: the projection profile needs shape, not every pixel.
    size_t stride = std::max<size_t>(1, pts.size() / 150000);
    for (size_t i = 0; i < pts.size(); i += stride) out.emplace_back(pts[i]);
    return out;
}

// Sharpness of the horizontal projection after rotating the points by deg:
// text lines and rulings give tall narrow peaks when level.
double projection_score(const std::vector<cv::Point2f>& pts, double deg, int rows) {
    double t = deg * kPi / 180.0, c = std::cos(t), s = std::sin(t);
    int pad = rows / 2;
    std::vector<int> hist(static_cast<size_t>(rows + 2 * pad), 0);
    for (const auto& p : pts) {
        int y = static_cast<int>(std::lround(p.x * s + p.y * c)) + pad;
        if (y >= 0 && y < static_cast<int>(hist.size())) ++hist[static_cast<size_t>(y)];
    }
    double score = 0;
    for (int h : hist) score += static_cast<double>(h) * h;
    return score;
}

double search(const std::vector<cv::Point2f>& pts, int rows, double lo, double hi, double step) {
    double best = 0, best_score = -1;
    for (double a = lo; a <= hi + 1e-9; a += step) {
        double sc = projection_score(pts, a, rows);
        if (sc > best_score) { best_score = sc; best = a; }
    }
    return best;
}

}  // namespace

cv::Mat normalise_background(const cv::Mat& gray, int dpi, const Params& p) {
    // Estimate paper brightness by closing away the ink at quarter resolution,
    // then divide: uneven light and yellowed paper become flat white.
    const double f = 0.25;
    cv::Mat small, bg;
    cv::resize(gray, small, cv::Size(), f, f, cv::INTER_AREA);
    int k = std::max(3, static_cast<int>(std::lround(p.background_kernel_mm / 25.4 * dpi * f)) | 1);
    cv::morphologyEx(small, bg, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {k, k}));
    cv::medianBlur(bg, bg, 5);
    cv::resize(bg, bg, gray.size(), 0, 0, cv::INTER_LINEAR);
    // gray / paper × 255, in bands of 64 rows: the same element-wise float
    // operations as on the whole page (bands of 64 rows start at multiples of
    // 64 elements, so SIMD and scalar code take the same pixels), without
    // three page-sized float images (105 MB at 300 dpi) to fault in.
    cv::Mat n8(gray.size(), CV_8U), g32, b32, norm;
    for (int y = 0; y < gray.rows; y += 64) {
        const cv::Range rows(y, std::min(gray.rows, y + 64));
        gray.rowRange(rows).convertTo(g32, CV_32F);
        bg.rowRange(rows).convertTo(b32, CV_32F);
        cv::max(b32, 1.0, b32);
        cv::divide(g32, b32, norm, 255.0);
        cv::Mat dst = n8.rowRange(rows);
        norm.convertTo(dst, CV_8U);
    }
    // Stretch faded ink: map the darkest 0.5% of pixels to black.
    int hist[256] = {0};
    for (int y = 0; y < n8.rows; ++y) {
        const uchar* r = n8.ptr<uchar>(y);
        for (int x = 0; x < n8.cols; ++x) ++hist[r[x]];
    }
    long total = static_cast<long>(n8.total()), acc = 0;
    int lo = 0;
    for (; lo < 255; ++lo) { acc += hist[lo]; if (acc > total / 200) break; }
    lo = std::min(lo, 160);  // a page of nothing but paper: do not stretch noise
    if (lo > 0) n8.convertTo(n8, CV_8U, 255.0 / (255 - lo), -255.0 * lo / (255 - lo));
    return n8;
}

cv::Mat binarise(const cv::Mat& normalised) {
    cv::Mat otsu;
    double t = cv::threshold(normalised, otsu, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
    // Otsu on a near-empty page picks a threshold inside the paper noise.
    if (t > 200) cv::threshold(normalised, otsu, 160, 255, cv::THRESH_BINARY_INV);
    return otsu;
}

cv::Mat occlusion_mask(const cv::Mat& gray, int dpi) {
    const double f = 0.125;
    cv::Mat small, paper, wide;
    cv::resize(gray, small, cv::Size(), f, f, cv::INTER_AREA);
    int k = std::max(3, static_cast<int>(std::lround(3.0 / 25.4 * dpi * f)) | 1);
    cv::morphologyEx(small, paper, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {k, k}));
    // The surroundings' paper: the brightest paper within ~25 mm.
    int w = std::max(5, static_cast<int>(std::lround(25.0 / 25.4 * dpi * f)) | 1);
    cv::dilate(paper, wide, cv::getStructuringElement(cv::MORPH_RECT, {w, w}));
    cv::Mat p32, w32, ratio;
    paper.convertTo(p32, CV_32F);
    wide.convertTo(w32, CV_32F);
    cv::max(w32, 1.0, w32);
    cv::divide(p32, w32, ratio);
    cv::Mat mask = ratio < 0.72;
    cv::resize(mask, mask, gray.size(), 0, 0, cv::INTER_NEAREST);
    return mask;
}

cv::Mat binarise_lines(const cv::Mat& normalised, int dpi) {
    cv::Mat out;
    int block = std::max(3, static_cast<int>(std::lround(2.0 / 25.4 * dpi)) | 1);  // ~2 mm neighbourhood
    cv::adaptiveThreshold(normalised, out, 255, cv::ADAPTIVE_THRESH_MEAN_C, cv::THRESH_BINARY_INV, block, 14);
    return out;
}

double estimate_skew(const cv::Mat& ink, int dpi, const Params& p) {
    double scale;
    auto pts = ink_points(ink, dpi, scale);
    if (pts.size() < 200) return 0.0;
    int rows = static_cast<int>(ink.rows * scale) + 1;
    double coarse = search(pts, rows, -p.max_skew_deg, p.max_skew_deg, 0.5);
    double fine = search(pts, rows, coarse - 0.5, coarse + 0.5, 0.1);
    return search(pts, rows, fine - 0.1, fine + 0.1, p.skew_step_deg);
}

bool looks_sideways(const cv::Mat& ink, int dpi) {
    // Glyphs of a line are closer together (< 1 mm) than the lines are
    // (> 1.5 mm). Bridging 1.2 mm gaps along one axis turns each line of text
    // into a long blob of glyph height; along the other axis it does not.
    // Rulings (thin) and table columns (no effect on glyph shape) don't count.
    const double scale = std::min(1.0, 100.0 / std::max(dpi, 1));
    cv::Mat small;
    cv::resize(ink, small, cv::Size(), scale, scale, cv::INTER_AREA);
    small = small > 96;
    const double px_mm = 100.0 / 25.4 * std::min(1.0, dpi / 100.0);
    const int bridge = std::max(2, static_cast<int>(std::lround(1.2 * px_mm)));
    auto text_lines = [&](bool horizontal) {
        cv::Mat d;
        cv::Size k = horizontal ? cv::Size(bridge, 1) : cv::Size(1, bridge);
        cv::morphologyEx(small, d, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, k));
        const Components cc(d);
        int count = 0;
        for (const auto& k : cc.list()) {
            int w = k.width(), h = k.height();
            int along = horizontal ? w : h, across = horizontal ? h : w;
            if (across >= 1.8 * px_mm && across <= 7 * px_mm && along >= 3 * across && along >= 10 * px_mm) ++count;
        }
        return count;
    };
    int h = text_lines(true), v = text_lines(false);
    return v >= 5 && v > 2 * h;
}

cv::Mat rotate_deg(const cv::Mat& img, double deg, int border_value) {
    cv::Point2f c(img.cols / 2.0f, img.rows / 2.0f);
    cv::Mat m = cv::getRotationMatrix2D(c, deg, 1.0);
    cv::Mat out;
    cv::warpAffine(img, out, m, img.size(), cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar(border_value));
    return out;
}

Prepared prepare(const cv::Mat& gray_in, int dpi, const Params& p, const UpsideDownOracle& oracle) {
    Prepared out;
    cv::Mat gray = normalise_background(gray_in, dpi, p);
    cv::Mat ink = binarise(gray);
    cv::Mat occ = occlusion_mask(gray_in, dpi);
    if (looks_sideways(ink, dpi)) {
        cv::rotate(gray, gray, cv::ROTATE_90_CLOCKWISE);
        cv::rotate(ink, ink, cv::ROTATE_90_CLOCKWISE);
        cv::rotate(occ, occ, cv::ROTATE_90_CLOCKWISE);
        out.quarter_turns = 1;
    }
    double skew = estimate_skew(ink, dpi, p);
    if (std::abs(skew) >= p.min_skew_deg) {
        // estimate_skew gives the angle that levels the projection; the
        // content is turned back by rotating the opposite way.
        gray = rotate_deg(gray, -skew, 255);
        // (most pages have nothing hidden: zeros turned are zeros)
        if (cv::countNonZero(occ) > 0) occ = rotate_deg(occ, -skew, 0) > 127;
        ink = binarise(gray);
        out.skew_deg = -skew;
    }
    out.gray = gray;
    out.ink = ink;
    out.line_ink = binarise_lines(gray, dpi) | ink;
    out.occlusion = occ;
    if (oracle && oracle(gray, dpi) == 180) turn_half(out);
    return out;
}

void turn_half(Prepared& page) {
    for (cv::Mat* m : {&page.gray, &page.ink, &page.line_ink, &page.occlusion})
        if (!m->empty()) cv::rotate(*m, *m, cv::ROTATE_180);
    page.quarter_turns = (page.quarter_turns + 2) % 4;
}

}  // namespace fiscan::image
