// Components against OpenCV's labelling on real page masks: the same
// components (boxes, areas, centroids) and the same painted masks.
#include "image/prepare.hpp"
#include "core/components.hpp"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <tuple>
#include <vector>

using namespace fiscan;

namespace {

std::string data(const std::string& name) { return std::string(FISCAN_TEST_DATA) + "/" + name; }

using Stat = std::tuple<int, int, int, int, int, double, double>;  // x, y, w, h, area, cx, cy

std::vector<Stat> opencv_stats(const cv::Mat& mask) {
    cv::Mat labels, stats, cents;
    const int n = cv::connectedComponentsWithStats(mask, labels, stats, cents, 8, CV_32S);
    std::vector<Stat> out;
    for (int i = 1; i < n; ++i)
        out.emplace_back(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP), stats.at<int>(i, cv::CC_STAT_WIDTH),
                         stats.at<int>(i, cv::CC_STAT_HEIGHT), stats.at<int>(i, cv::CC_STAT_AREA), cents.at<double>(i, 0),
                         cents.at<double>(i, 1));
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<Stat> our_stats(const Components& cc) {
    std::vector<Stat> out;
    for (const auto& k : cc.list()) out.emplace_back(k.x0, k.y0, k.width(), k.height(), k.area, k.cx(), k.cy());
    std::sort(out.begin(), out.end());
    return out;
}

// OpenCV's mask of the components with at least min_side on their longer side.
cv::Mat opencv_painted(const cv::Mat& mask, int min_side) {
    cv::Mat labels, stats, cents;
    const int n = cv::connectedComponentsWithStats(mask, labels, stats, cents, 8, CV_32S);
    cv::Mat out = cv::Mat::zeros(mask.size(), CV_8U);
    for (int y = 0; y < mask.rows; ++y)
        for (int x = 0; x < mask.cols; ++x) {
            const int l = labels.at<int>(y, x);
            if (l > 0 && l < n && std::max(stats.at<int>(l, cv::CC_STAT_WIDTH), stats.at<int>(l, cv::CC_STAT_HEIGHT)) >= min_side)
                out.at<uchar>(y, x) = 255;
        }
    return out;
}

void expect_same(const cv::Mat& mask, const std::string& what) {
    const Components cc(mask);
    const auto a = opencv_stats(mask), b = our_stats(cc);
    ASSERT_EQ(a.size(), b.size()) << what;
    EXPECT_TRUE(a == b) << what;
    for (int side : {3, 12, 40}) {
        const auto& k = cc.list();
        const cv::Mat ours = cc.painted([&](size_t i) { return std::max(k[i].width(), k[i].height()) >= side; });
        EXPECT_EQ(cv::countNonZero(ours != opencv_painted(mask, side)), 0) << what << " side " << side;
    }
}

}  // namespace

TEST(Components, SameAsOpenCvOnScannedPageMasks) {
    for (const char* name : {"layout/poor-template-150dpi.jpg", "layout/stained-budget05-200dpi.jpg",
                             "layout/gen-expenditure-typical-300dpi.jpg", "image/skewed-page-150dpi.jpg"}) {
        const cv::Mat gray = cv::imread(data(name), cv::IMREAD_GRAYSCALE);
        ASSERT_FALSE(gray.empty()) << name;
        const int dpi = std::string(name).find("300dpi") != std::string::npos   ? 300
                        : std::string(name).find("200dpi") != std::string::npos ? 200
                                                                                 : 150;
        const auto prep = image::prepare(gray, dpi);
        expect_same(prep.ink, std::string(name) + " ink");
        expect_same(prep.line_ink, std::string(name) + " line ink");
        // A region view: components cut by its edges are labelled as cut.
        const cv::Rect roi(prep.ink.cols / 5 + 3, prep.ink.rows / 4 + 1, prep.ink.cols / 2 + 5, prep.ink.rows / 3);
        expect_same(prep.ink(roi), std::string(name) + " ink region");
    }
}

TEST(Components, EdgeCases) {
    // Empty, full, one pixel at each corner, diagonal touches (8-connected),
    // runs meeting across the row ends, odd widths (the 8-byte scan's tail).
    for (int w : {1, 7, 8, 9, 17, 64, 67}) {
        cv::Mat m = cv::Mat::zeros(5, w, CV_8U);
        expect_same(m, "empty " + std::to_string(w));
        m.setTo(255);
        expect_same(m, "full " + std::to_string(w));
        m.setTo(0);
        m.at<uchar>(0, 0) = m.at<uchar>(4, w - 1) = m.at<uchar>(0, w - 1) = m.at<uchar>(4, 0) = 1;
        expect_same(m, "corners " + std::to_string(w));
        for (int y = 0; y < 5; ++y) m.at<uchar>(y, (y * 3) % w) = 7;
        expect_same(m, "scatter " + std::to_string(w));
    }
    cv::Mat d = cv::Mat::zeros(6, 6, CV_8U);
    for (int i = 0; i < 6; ++i) d.at<uchar>(i, i) = d.at<uchar>(i, 5 - i) = 255;  // an X: one component
    expect_same(d, "diagonals");
    EXPECT_EQ(Components(d).size(), 1u);
    cv::Mat u = cv::Mat::zeros(9, 30, CV_8U);  // a U and a spiral-like shape: labels merged late
    u(cv::Rect(2, 0, 3, 9)).setTo(255);
    u(cv::Rect(20, 0, 3, 9)).setTo(255);
    u(cv::Rect(2, 7, 21, 2)).setTo(255);
    u(cv::Rect(10, 0, 2, 5)).setTo(255);
    u(cv::Rect(12, 4, 5, 1)).setTo(255);
    u(cv::Rect(16, 1, 1, 4)).setTo(255);
    expect_same(u, "u");
    EXPECT_EQ(Components(u).size(), 2u);
}

TEST(Components, NonzeroBoxAsFindNonZero) {
    const cv::Mat gray = cv::imread(data("layout/poor-template-150dpi.jpg"), cv::IMREAD_GRAYSCALE);
    ASSERT_FALSE(gray.empty());
    const auto prep = image::prepare(gray, 150);
    auto reference = [](const cv::Mat& m) {
        std::vector<cv::Point> on;
        cv::findNonZero(m, on);
        return on.empty() ? cv::Rect() : cv::boundingRect(on);
    };
    for (const cv::Rect r : {cv::Rect(0, 0, prep.ink.cols, prep.ink.rows), cv::Rect(101, 203, 333, 77), cv::Rect(5, 9, 13, 400)})
        EXPECT_EQ(nonzero_box(prep.ink(r)), reference(prep.ink(r))) << r;
    for (int w : {1, 7, 8, 9, 17, 64, 67}) {
        cv::Mat m = cv::Mat::zeros(4, w, CV_8U);
        EXPECT_TRUE(nonzero_box(m).empty());
        m.at<uchar>(1, w - 1) = 1;
        EXPECT_EQ(nonzero_box(m), reference(m));
        m.at<uchar>(3, 0) = 9;
        EXPECT_EQ(nonzero_box(m), reference(m));
    }
}
