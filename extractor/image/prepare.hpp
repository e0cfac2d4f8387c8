// Image stage.
// Takes: an 8-bit grayscale page raster (from pdf/) and its dpi.
// Gives: the page straightened (90°/180° turns and skew up to ±max_skew_deg
//        removed), with the background flattened (uneven light, yellowed
//        paper), and a binary ink mask (ink = 255) that survives faded ink.
//        The angle applied is reported so coordinates can be related back.
#pragma once

#include <opencv2/core.hpp>

#include <functional>

namespace fiscan::image {

struct Params {
    double max_skew_deg = 5.0;
    double skew_step_deg = 0.05;   // final resolution of the skew search
    double min_skew_deg = 0.04;    // below this, do not resample the page
    int background_kernel_mm = 3;  // closing kernel that removes ink strokes (≈ 1.5× stroke length)
};

// Decides whether a page is upside down (true) from a straightened binary
// page; optional, provided by a later stage that owns a script detector.
using UpsideDownOracle = std::function<int(const cv::Mat& gray, int dpi)>;  // returns 0 or 180

struct Prepared {
    cv::Mat gray;            // straightened, background-normalised, 8-bit
    cv::Mat ink;             // binary, ink = 255, same geometry as gray
    cv::Mat line_ink;        // a more sensitive binarisation (local contrast) for faint rulings
    cv::Mat occlusion;       // 255 where a blot or stain darkens the paper itself (same geometry)
    double skew_deg = 0.0;   // rotation applied to remove skew (counter-clockwise positive)
    int quarter_turns = 0;   // 90° turns applied (clockwise), 0..3
    double rotation_deg() const { return quarter_turns * 90.0 + skew_deg; }
};

cv::Mat normalise_background(const cv::Mat& gray, int dpi, const Params& p = {});
cv::Mat binarise(const cv::Mat& normalised);
// Blots, stains and dark tears: the paper level (ink closed away) falls well
// below the paper level of the surroundings. Slow light gradients do not count.
cv::Mat occlusion_mask(const cv::Mat& gray, int dpi);
// Local-contrast binarisation: keeps faint, thin rulings that Otsu drops.
cv::Mat binarise_lines(const cv::Mat& normalised, int dpi);
// Skew angle of text lines and rulings, degrees, counter-clockwise positive:
// the page must be rotated by -angle... see rotate_deg.
double estimate_skew(const cv::Mat& ink, int dpi, const Params& p = {});
// True when text lines run vertically (the page is turned by 90° or 270°).
bool looks_sideways(const cv::Mat& ink, int dpi);
cv::Mat rotate_deg(const cv::Mat& img, double deg, int border_value);

Prepared prepare(const cv::Mat& gray, int dpi, const Params& p = {}, const UpsideDownOracle& oracle = {});

// Turns a prepared page by 180° (every raster, and the turn recorded), for an
// upside-down verdict reached after prepare() (the recogniser vote needs the
// page's text lines, which the layout stage finds).
void turn_half(Prepared& page);

}  // namespace fiscan::image
