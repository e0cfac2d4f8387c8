// Connected components of a binary mask (8-connectivity), from its runs.
// Takes: an 8-bit mask (any nonzero pixel is foreground), optionally a region.
// Gives: each component's box, area and centroid — the same numbers
//        cv::connectedComponentsWithStats gives (centroid = pixel coordinate
//        sums / area) — without a label image: the runs of each row are
//        joined with the runs of the row above, so the cost follows the ink
//        (sparse line masks, text masks), not the page area in 32-bit labels.
//        A mask of the components chosen can be painted back from the runs.
#pragma once

#include <opencv2/core.hpp>

#include <cstdint>
#include <functional>
#include <vector>

namespace fiscan {

struct Component {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;  // box, inclusive-exclusive: x0 ≤ x < x1
    int area = 0;
    std::uint64_t sum_x = 0, sum_y = 0;  // coordinate sums over the pixels
    int width() const { return x1 - x0; }
    int height() const { return y1 - y0; }
    double cx() const { return static_cast<double>(sum_x) / area; }
    double cy() const { return static_cast<double>(sum_y) / area; }
};

class Components {
public:
    // Components of mask (CV_8UC1); coordinates relative to the mask (a ROI
    // view labels only the ROI, as connectedComponentsWithStats(mask(roi)) would).
    explicit Components(const cv::Mat& mask);
    // Components in the raster order of their first pixel (OpenCV's block-
    // based labelling may number them otherwise; the set is the same).
    const std::vector<Component>& list() const& { return comps_; }
    void list() && = delete;  // for (k : Components(m).list()) would dangle: name the object
    size_t size() const { return comps_.size(); }
    // A mask of the mask's size holding the components keep(i) says yes to
    // (i indexes list()).
    cv::Mat painted(const std::function<bool(size_t)>& keep) const;

private:
    struct Run { int y, x0, x1; int comp; };
    cv::Size size_;
    std::vector<Run> runs_;
    std::vector<Component> comps_;
};

// The box of the nonzero pixels of mask (CV_8UC1), as
// cv::boundingRect(cv::findNonZero(mask)) gives it; empty when there are none.
cv::Rect nonzero_box(const cv::Mat& mask);

}  // namespace fiscan
