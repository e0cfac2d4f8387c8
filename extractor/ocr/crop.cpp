#include "ocr/crop.hpp"

#include "core/components.hpp"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <stdexcept>
#include <type_traits>

namespace fiscan::ocr {
namespace {

int mm_to_px(double mm, int dpi, int at_least = 1) {
    return std::max(at_least, static_cast<int>(std::lround(mm * dpi / 25.4)));
}

cv::Mat to_gray8(const cv::Mat& m) {
    if (m.empty()) return m;
    cv::Mat g;
    if (m.channels() == 3) cv::cvtColor(m, g, cv::COLOR_BGR2GRAY);
    else if (m.channels() == 4) cv::cvtColor(m, g, cv::COLOR_BGRA2GRAY);
    else g = m;
    if (g.depth() != CV_8U) g.convertTo(g, CV_8U);
    return g;
}

// Whitens rule rows (or columns) from one edge inward: within `depth` lines of
// the edge, every line darker than `coverage` is a rule; a blank line is a
// gap; the first line with some ink that is not a rule is where the content
// starts, so the scan stops there.
void clear_edge(cv::Mat& img, cv::Mat& mask, bool rows, bool from_start, int depth,
                double coverage, uchar paper) {
    const int n = rows ? img.rows : img.cols;
    const int len = rows ? img.cols : img.rows;
    depth = std::min(depth, n / 3);
    int last_rule = -1;
    for (int k = 0; k < depth; ++k) {
        const int i = from_start ? k : n - 1 - k;
        cv::Mat line = rows ? mask.row(i) : mask.col(i);
        const double cov = static_cast<double>(cv::countNonZero(line)) / len;
        if (cov > coverage) last_rule = k;
        else if (cov > 0.08) break;
    }
    // One more line: the blurred fringe of the rule.
    if (last_rule >= 0 && last_rule + 1 < depth) ++last_rule;
    for (int k = 0; k <= last_rule; ++k) {
        const int i = from_start ? k : n - 1 - k;
        if (rows) { img.row(i).setTo(paper); mask.row(i).setTo(0); }
        else { img.col(i).setTo(paper); mask.col(i).setTo(0); }
    }
}

// Erases thin components that touch a crop edge and run along an edge band:
// pieces of rules the row/column pass left (broken or partial lines, corner
// stubs).
void erase_edge_fragments(cv::Mat& img, cv::Mat& mask, int band, int thick, double aspect,
                          double min_run, uchar paper) {
    cv::Mat labels, stats, centroids;
    const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
    const int W = img.cols, H = img.rows;
    cv::Mat erase = cv::Mat::zeros(img.size(), CV_8U);
    bool any = false;
    for (int i = 1; i < n; ++i) {
        const int x = stats.at<int>(i, cv::CC_STAT_LEFT), y = stats.at<int>(i, cv::CC_STAT_TOP);
        const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
        // At the edge, or separated from it by a one-px sliver of paper (a
        // rule just inside the cut).
        const bool touches = x <= 1 || y <= 1 || x + w >= W - 1 || y + h >= H - 1;
        if (!touches) continue;
        const bool in_lr = x + w <= band || x >= W - band;
        const bool in_tb = y + h <= band || y >= H - band;
        // A rule piece is long along its edge; short thin bits near an edge are
        // as likely the faded stroke of a glyph (poor scans), so they stay.
        const bool vertical = w <= thick && h >= aspect * w && h >= min_run * H;
        const bool horizontal = h <= thick && w >= aspect * h && w >= min_run * W;
        const bool speck = std::max(w, h) <= thick / 2 && (x == 0 || y == 0 || x + w == W || y + h == H);
        if ((vertical && in_lr) || (horizontal && in_tb) || speck) {
            erase.setTo(255, labels == i);
            any = true;
        }
    }
    if (!any) return;
    // Include the anti-aliased fringe the ink threshold did not catch.
    cv::dilate(erase, erase, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
    img.setTo(paper, erase);
    mask.setTo(0, erase);
}

}  // namespace

CropOptions load_crop_options(const std::string& models_dir) {
    CropOptions o;
    std::ifstream in(models_dir + "/ocr/crop.json");
    if (!in) return o;
    nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/true, /*ignore_comments=*/true);
    auto get = [&](const char* k, auto& v) { if (j.contains(k)) v = j[k].get<std::decay_t<decltype(v)>>(); };
    get("inset_mm", o.inset_mm);
    get("outset_mm", o.outset_mm);
    get("edge_scan_mm", o.edge_scan_mm);
    get("line_coverage", o.line_coverage);
    get("fragment_thickness_mm", o.fragment_thickness_mm);
    get("fragment_min_aspect", o.fragment_min_aspect);
    get("fragment_min_run", o.fragment_min_run);
    get("trim_margin_of_height", o.trim_margin_of_height);
    get("ink_contrast", o.ink_contrast);
    get("rule_contrast", o.rule_contrast);
    get("min_ink_mm", o.min_ink_mm);
    get("min_ink_area_mm2", o.min_ink_area_mm2);
    get("speck_max_mm", o.speck_max_mm);
    get("ink_smooth_mm", o.ink_smooth_mm);
    get("trim_margin_mm", o.trim_margin_mm);
    get("trim", o.trim);
    get("obscured_blob_fraction", o.obscured_blob_fraction);
    get("obscured_stroke_mm", o.obscured_stroke_mm);
    get("obscured_min_blob_mm2", o.obscured_min_blob_mm2);
    get("core_smooth_mm", o.core_smooth_mm);
    get("core_glyph_min_mm", o.core_glyph_min_mm);
    get("core_glyph_max_mm", o.core_glyph_max_mm);
    get("core_margin_of_height", o.core_margin_of_height);
    get("core_max_share", o.core_max_share);
    get("core_side_margin_of_height", o.core_side_margin_of_height);
    get("core_skip_edge_ink", o.core_skip_edge_ink);
    get("core_edge_mm", o.core_edge_mm);
    get("core_line_by_band", o.core_line_by_band);
    return o;
}

int paper_level(const cv::Mat& gray_in) {
    cv::Mat gray = to_gray8(gray_in);
    if (gray.empty()) return 255;
    int hist[256] = {0};
    for (int r = 0; r < gray.rows; ++r) {
        const uchar* p = gray.ptr<uchar>(r);
        for (int c = 0; c < gray.cols; ++c) ++hist[p[c]];
    }
    // 80th percentile: the paper, even when ink and a stain cover much of the crop.
    const long target = static_cast<long>(0.8 * gray.total());
    long acc = 0;
    for (int v = 0; v < 256; ++v) {
        acc += hist[v];
        if (acc >= target) return v;
    }
    return 255;
}

cv::Mat ink_mask(const cv::Mat& gray_in, const CropOptions& opt) {
    cv::Mat gray = to_gray8(gray_in);
    cv::Mat mask;
    if (gray.empty()) return mask;
    const double thr = std::max(20.0, paper_level(gray) - opt.ink_contrast);
    cv::threshold(gray, mask, thr, 255, cv::THRESH_BINARY_INV);
    return mask;
}

Box ink_box(const cv::Mat& gray_in, int dpi, const CropOptions& opt) {
    cv::Mat gray = to_gray8(gray_in);
    if (!gray.empty() && opt.ink_smooth_mm > 0 && gray.rows >= 3 && gray.cols >= 3)
        cv::GaussianBlur(gray, gray, cv::Size(), std::max(0.5, opt.ink_smooth_mm * dpi / 25.4));
    cv::Mat mask = ink_mask(gray, opt);
    if (mask.empty()) return {};
    cv::Mat labels, stats, centroids;
    const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
    const int min_len = mm_to_px(opt.min_ink_mm, dpi, 2);
    const double px_per_mm = dpi / 25.4;
    const int min_area = std::max(3, static_cast<int>(opt.min_ink_area_mm2 * px_per_mm * px_per_mm));
    const int speck_len = mm_to_px(opt.speck_max_mm, dpi, 2);
    // A component counts as ink when it is big enough; small ones count only
    // when close to big ones (the dot of "0.55", the dot of a 、).
    std::vector<Box> big, small;
    for (int i = 1; i < n; ++i) {
        Box b{stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP), 0, 0};
        b.x1 = b.x0 + stats.at<int>(i, cv::CC_STAT_WIDTH);
        b.y1 = b.y0 + stats.at<int>(i, cv::CC_STAT_HEIGHT);
        const int area = stats.at<int>(i, cv::CC_STAT_AREA);
        const int side = std::max(b.width(), b.height());
        // Dust specks of a scan are solid round dots; a piece of a stroke
        // is elongated or hollow.
        const bool speck = side < speck_len && 2 * std::min(b.width(), b.height()) >= side && 5 * area >= 2 * b.area();
        if (side >= min_len && area >= min_area && !speck) big.push_back(b);
        else if (area >= 2) small.push_back(b);
    }
    // Dots in a row, evenly spaced, of one size: the ellipsis "…" of a
    // template row ("………" under a code), not dust. Dust does not line up.
    if (big.empty() && small.size() >= 3) {
        std::vector<Box> dots;
        for (const auto& s : small)
            if (s.width() >= 2 && s.height() >= 2 && std::max(s.width(), s.height()) < speck_len) dots.push_back(s);
        std::sort(dots.begin(), dots.end(), [](const Box& a, const Box& b) { return a.x0 < b.x0; });
        for (size_t i = 0; i + 2 < dots.size() && big.empty(); ++i) {
            // the longest run of evenly spaced dots on one line from dots[i]
            std::vector<Box> run{dots[i]};
            const int d = std::max(dots[i].width(), dots[i].height());
            for (size_t k = i + 1; k < dots.size(); ++k) {
                const Box& a = run.back();
                const Box& b = dots[k];
                const int gap = b.cx() - a.cx();
                const int size = std::max(b.width(), b.height());
                if (gap <= 0) continue;
                if (gap > 5 * d) break;
                if (std::abs(b.cy() - dots[i].cy()) * 4 > d + 4 || 3 * size > 5 * d || 5 * size < 3 * d || 2 * gap < 3 * d) continue;
                if (run.size() >= 2) {
                    const int first = run[1].cx() - run[0].cx();
                    if (2 * gap > 3 * first || 3 * gap < 2 * first) continue;
                }
                run.push_back(b);
            }
            if (run.size() >= 3)
                for (const auto& b : run) big.push_back(b);
        }
    }
    if (big.empty()) return {};
    Box u = big.front();
    for (const auto& b : big) u = u.unite(b);
    // Faded glyphs break into small pieces: keep those within a glyph's
    // height of the text, so trimming never cuts a faint first or last digit.
    const int reach = std::max(min_len * 2, u.height());
    for (const auto& s : small) {
        Box grown{u.x0 - reach, u.y0 - reach, u.x1 + reach, u.y1 + reach};
        if (!grown.intersect(s).empty()) u = u.unite(s);
    }
    return u;
}

Box text_core_box(const cv::Mat& gray_in, int dpi, const CropOptions& opt) {
    const cv::Mat gray = to_gray8(gray_in);  // (may share the caller's pixels: not written)
    if (gray.rows < 3 || gray.cols < 3) return {};
    cv::Mat smoothed;  // a buffer of its own
    if (opt.core_smooth_mm > 0) cv::GaussianBlur(gray, smoothed, cv::Size(), std::max(0.5, opt.core_smooth_mm * dpi / 25.4));
    else smoothed = gray;
    cv::Mat mask = ink_mask(smoothed, opt);
    if (mask.empty()) return {};
    cv::Mat labels, stats, centroids;
    const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
    const int hmin = mm_to_px(opt.core_glyph_min_mm, dpi, 3), hmax = mm_to_px(opt.core_glyph_max_mm, dpi, 4);
    std::vector<std::pair<Box, int>> glyphs;  // box, area
    std::vector<Box> rim;  // glyph-tall ink the crop's top or bottom edge cuts
    const int edge = mm_to_px(opt.core_edge_mm, dpi, 1);
    for (int i = 1; i < n; ++i) {
        Box b{stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP), 0, 0};
        b.x1 = b.x0 + stats.at<int>(i, cv::CC_STAT_WIDTH);
        b.y1 = b.y0 + stats.at<int>(i, cv::CC_STAT_HEIGHT);
        if (b.height() < hmin || b.height() > hmax) continue;
        // Ink the crop's top or bottom edge cuts (or all but cuts: a blurred
        // rim fades out before it) reaches in from beyond the cell — the trim
        // leaves a margin above and below printed glyphs — a blot's or a
        // stain's rim: it cannot be the line. (Not the sides: a right-aligned
        // amount's last digit may sit close to the crop's right edge.)
        if (opt.core_skip_edge_ink && (b.y0 <= edge || b.y1 >= gray.rows - edge)) rim.push_back(b);
        else glyphs.emplace_back(b, stats.at<int>(i, cv::CC_STAT_AREA));
    }
    if (glyphs.empty()) return {};
    auto same_line = [](const Box& a, const Box& b) {
        const int overlap = std::min(b.y1, a.y1) - std::max(b.y0, a.y0);
        return 2 * overlap >= std::min(b.height(), a.height());
    };
    // The line: the band of glyph-tall ink with the most ink (a row of digits
    // outweighs one solid piece of a blot's rim: damaged social-work s2, 6.18
    // under a rim piece larger than any of its digits), or, with
    // core_line_by_band off, the band of the largest piece.
    long best = -1;
    Box anchor;
    for (const auto& [a, area_a] : glyphs) {
        long score = area_a;
        if (opt.core_line_by_band) {
            score = 0;
            for (const auto& [b, area_b] : glyphs)
                if (same_line(a, b)) score += area_b;
        }
        if (score > best) { best = score; anchor = a; }
    }
    Box u = anchor;
    for (const auto& [b, area] : glyphs)
        if (same_line(anchor, b)) u = u.unite(b);
    // rim ink on the line widens it, never heightens it: a digit a stain's
    // rim joined to the edge is still read
    for (const auto& b : rim)
        if (same_line(anchor, b)) { u.x0 = std::min(u.x0, b.x0); u.x1 = std::max(u.x1, b.x1); }
    const int m = std::max(2, static_cast<int>(opt.core_margin_of_height * u.height()));
    const int side = std::max(2, static_cast<int>(opt.core_side_margin_of_height * u.height()));
    return Box{u.x0 - side, u.y0 - m, u.x1 + side, u.y1 + m}.intersect({0, 0, gray.cols, gray.rows});
}

cv::Mat core_view(const cv::Mat& gray, int dpi, const CropOptions& opt) {
    const Box b = text_core_box(gray, dpi, opt);
    if (b.empty() || b.area() >= opt.core_max_share * gray.cols * gray.rows) return gray;
    return gray(cv::Rect(b.x0, b.y0, b.width(), b.height()));
}

bool is_empty(const cv::Mat& crop, int dpi, const CropOptions& opt) {
    // Cleaning is idempotent and cheap: rule remnants never count as ink.
    CropOptions o = opt;
    o.trim = false;
    return ink_box(clean_crop(crop, dpi, o), dpi, opt).empty();
}

cv::Mat clean_crop(const cv::Mat& crop_in, int dpi, const CropOptions& opt) {
    cv::Mat img = to_gray8(crop_in).clone();
    if (img.empty() || img.rows < 3 || img.cols < 3) return img;
    const uchar paper = static_cast<uchar>(paper_level(img));
    // Rules are solid and dark; a stricter threshold than for ink keeps the
    // blurred strokes of a text row from passing for a rule.
    CropOptions rule_opt = opt;
    rule_opt.ink_contrast = opt.rule_contrast;
    cv::Mat mask = ink_mask(img, rule_opt);
    const int band = mm_to_px(opt.edge_scan_mm, dpi, 3);
    for (int pass = 0; pass < 2; ++pass) {  // a second pass catches a rule behind a rule
        clear_edge(img, mask, false, true, band, opt.line_coverage, paper);
        clear_edge(img, mask, false, false, band, opt.line_coverage, paper);
        clear_edge(img, mask, true, true, band, opt.line_coverage, paper);
        clear_edge(img, mask, true, false, band, opt.line_coverage, paper);
    }
    erase_edge_fragments(img, mask, band, mm_to_px(opt.fragment_thickness_mm, dpi, 2),
                         opt.fragment_min_aspect, opt.fragment_min_run, paper);
    if (!opt.trim) return img;
    Box ink = ink_box(img, dpi, opt);
    if (ink.empty()) return img;
    // Margin relative to the text height: recognisers are tuned on crops
    // with 15–45% of the glyph height as white space around the text.
    const int m = std::max(mm_to_px(opt.trim_margin_mm, dpi, 2),
                           static_cast<int>(std::lround(opt.trim_margin_of_height * ink.height())));
    Box keep = Box{ink.x0 - m, ink.y0 - m, ink.x1 + m, ink.y1 + m}.intersect({0, 0, img.cols, img.rows});
    cv::Mat out = img(cv::Rect(keep.x0, keep.y0, keep.width(), keep.height())).clone();
    // Only ever cut: padding a tight crop with flat paper changes what the
    // recognisers see (measured: PP-OCR on poor scans loses ~15 points).
    return out;
}

cv::Mat clean_cell_crop(const cv::Mat& page_gray, Box cell, int dpi, const CropOptions& opt) {
    const int in = mm_to_px(opt.inset_mm, dpi, 0) - mm_to_px(opt.outset_mm, dpi, 0);
    Box b = cell.inset(in, in).intersect({0, 0, page_gray.cols, page_gray.rows});
    if (b.empty()) return cv::Mat(1, 1, CV_8U, cv::Scalar(255));
    return clean_crop(page_gray(cv::Rect(b.x0, b.y0, b.width(), b.height())), dpi, opt);
}

bool looks_obscured(const cv::Mat& crop_in, int dpi, const CropOptions& opt) {
    cv::Mat gray = to_gray8(crop_in);
    if (gray.empty()) return false;
    // Anything visibly darker than the paper, mid-grey stains included.
    const int paper = std::max(paper_level(gray), 200);
    cv::Mat dark;
    cv::threshold(gray, dark, paper - 35, 255, cv::THRESH_BINARY_INV);
    // Opening with a disc wider than any printed stroke removes text and
    // rules and leaves solid regions.
    const int k = mm_to_px(opt.obscured_stroke_mm, dpi, 3) | 1;
    cv::morphologyEx(dark, dark, cv::MORPH_OPEN,
                     cv::getStructuringElement(cv::MORPH_ELLIPSE, {k, k}));
    // What survives is solid; but on a typical scan the dense strokes of a
    // bold glyph, blurred together, survive too (cores of 1-10 mm², one or
    // two glyphs). A blot or stain over a cell is larger than any glyph.
    const double px_per_mm = dpi / 25.4;
    const double min_area = opt.obscured_min_blob_mm2 * px_per_mm * px_per_mm;
    long solid = 0;
    const Components blobs(dark);
    for (const auto& b : blobs.list())
        if (b.area >= min_area) solid += b.area;
    const double frac = static_cast<double>(solid) / dark.total();
    return frac >= opt.obscured_blob_fraction;
}

bool is_dash(const cv::Mat& crop, int dpi, const CropOptions& opt) {
    cv::Mat mask = ink_mask(crop, opt);
    if (mask.empty()) return false;
    cv::Mat labels, stats, centroids;
    const int n = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8, CV_32S);
    const int min_len = mm_to_px(opt.min_ink_mm, dpi, 2);
    const int max_thick = mm_to_px(opt.fragment_thickness_mm, dpi, 2);
    int bars = 0, others = 0;
    for (int i = 1; i < n; ++i) {
        const int w = stats.at<int>(i, cv::CC_STAT_WIDTH), h = stats.at<int>(i, cv::CC_STAT_HEIGHT);
        if (std::max(w, h) < min_len / 2) continue;  // speck
        if (h <= max_thick && w >= 2.5 * h && w >= min_len) ++bars;
        else ++others;
    }
    return bars == 1 && others == 0;
}

std::vector<std::pair<int, int>> text_line_bands(const cv::Mat& crop, int dpi, const CropOptions& opt) {
    std::vector<std::pair<int, int>> lines;
    cv::Mat mask = ink_mask(crop, opt);
    if (mask.empty()) return lines;
    cv::Mat prof;
    cv::reduce(mask, prof, 1, cv::REDUCE_MAX, CV_8U);  // rows × 1: any ink in the row
    std::vector<std::pair<int, int>> bands;
    for (int r = 0; r < prof.rows; ++r) {
        if (!prof.at<uchar>(r, 0)) continue;
        if (!bands.empty() && bands.back().second == r) ++bands.back().second;
        else bands.emplace_back(r, r + 1);
    }
    if (bands.empty()) return lines;
    int tallest = 0;
    for (auto& b : bands) tallest = std::max(tallest, b.second - b.first);
    // Gaps inside a glyph (二, 三) are small against a line's height: merge
    // them. Two lines set close together (a wrapped name: 其他对个人和家庭的补助支
    // / 出) have a small gap too, but both sides are a glyph tall, so a gap is
    // only closed when one side is a thin piece of a glyph.
    std::vector<std::pair<int, int>> merged;
    for (auto& b : bands) {
        const bool thin = !merged.empty() &&
                          std::min(merged.back().second - merged.back().first, b.second - b.first) < tallest / 2;
        if (!merged.empty() && b.first - merged.back().second < std::max(2, tallest / 3) && thin)
            merged.back().second = b.second;
        else merged.push_back(b);
    }
    const int min_h = mm_to_px(opt.min_ink_mm, dpi, 2);
    tallest = 0;
    for (auto& b : merged) tallest = std::max(tallest, b.second - b.first);
    for (auto& b : merged)
        if (b.second - b.first >= std::max(min_h, tallest / 2)) lines.push_back(b);
    return lines;
}

int count_text_lines(const cv::Mat& crop, int dpi, const CropOptions& opt) {
    return static_cast<int>(text_line_bands(crop, dpi, opt).size());
}

}  // namespace fiscan::ocr
