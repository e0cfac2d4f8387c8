// Image stage: deskew, page turns and binarisation on a real scan-like page.
#include "image/prepare.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <fstream>

using namespace fiscan;

namespace {
std::string data(const std::string& name) { return std::string(FISCAN_TEST_DATA) + "/image/" + name; }

double content_angle() {
    std::ifstream in(data("skewed-page-150dpi.json"));
    return nlohmann::json::parse(in).at("content_ccw_deg").get<double>();
}

// Sharpness of the row profile: high when text lines and rulings are level.
double levelness(const cv::Mat& ink) {
    cv::Mat rows;
    cv::reduce(ink, rows, 1, cv::REDUCE_SUM, CV_64F);
    return cv::norm(rows, cv::NORM_L2SQR);
}
}  // namespace

TEST(Image, DeskewRemovesAKnownSkew) {
    cv::Mat page = cv::imread(data("skewed-page-150dpi.jpg"), cv::IMREAD_GRAYSCALE);
    ASSERT_FALSE(page.empty());
    const double truth = content_angle();  // content turned counter-clockwise by this much
    auto prep = image::prepare(page, 150);
    EXPECT_EQ(prep.quarter_turns, 0);
    // The rotation applied undoes the content's turn.
    EXPECT_NEAR(prep.skew_deg, -truth, 0.15);
    auto raw_ink = image::binarise(image::normalise_background(page, 150));
    EXPECT_GT(levelness(prep.ink), 1.5 * levelness(raw_ink));
}

TEST(Image, SidewaysPageIsTurnedUpright) {
    cv::Mat page = cv::imread(data("skewed-page-150dpi.jpg"), cv::IMREAD_GRAYSCALE);
    cv::Mat upright = image::prepare(page, 150).gray;
    cv::Mat sideways;
    cv::rotate(page, sideways, cv::ROTATE_90_COUNTERCLOCKWISE);
    auto prep = image::prepare(sideways, 150);
    EXPECT_EQ(prep.quarter_turns, 1);
    EXPECT_EQ(prep.gray.size(), upright.size());
}

TEST(Image, BackgroundNormalisationSurvivesUnevenLightAndFadedInk) {
    cv::Mat page = cv::imread(data("skewed-page-150dpi.jpg"), cv::IMREAD_GRAYSCALE);
    auto reference = image::binarise(image::normalise_background(page, 150));
    // Yellowed, unevenly lit paper and faded ink: a left-to-right light
    // gradient from 0.55 to 1.0 over ink that only reaches grey 110.
    cv::Mat degraded(page.size(), CV_8U);
    for (int y = 0; y < page.rows; ++y)
        for (int x = 0; x < page.cols; ++x) {
            double light = 0.55 + 0.45 * x / page.cols;
            double v = 110 + (page.at<uchar>(y, x) / 255.0) * 145;
            degraded.at<uchar>(y, x) = cv::saturate_cast<uchar>(v * light);
        }
    auto ink = image::binarise(image::normalise_background(degraded, 150));
    // The same ink is found: few pixels differ from the clean binarisation.
    cv::Mat diff;
    cv::bitwise_xor(ink, reference, diff);
    double changed = cv::countNonZero(diff) / static_cast<double>(std::max(1, cv::countNonZero(reference)));
    EXPECT_LT(changed, 0.35);
    // A plain global threshold on the degraded page loses the dark side to ink.
    cv::Mat naive;
    cv::threshold(degraded, naive, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
    EXPECT_GT(cv::countNonZero(naive), 2 * cv::countNonZero(ink));
}

// normalise_background divides in bands of 64 rows (no page-sized float
// images): pixel for pixel what the division of the whole page at once gives,
// on a real 300-dpi scan (1000 rows: the last band is short) and a 150-dpi one.
TEST(Image, BackgroundDivisionInBandsEqualsTheWholePage) {
    const std::pair<std::string, int> pages[] = {
        {std::string(FISCAN_TEST_DATA) + "/layout/gen-expenditure-typical-300dpi.jpg", 300},
        {data("skewed-page-150dpi.jpg"), 150}};
    for (const auto& [file, dpi] : pages) {
        const cv::Mat gray = cv::imread(file, cv::IMREAD_GRAYSCALE);
        ASSERT_FALSE(gray.empty()) << file;
        // The page-at-once version (as before the bands), then the same stretch.
        const image::Params p;
        cv::Mat small, bg;
        cv::resize(gray, small, cv::Size(), 0.25, 0.25, cv::INTER_AREA);
        const int k = std::max(3, static_cast<int>(std::lround(p.background_kernel_mm / 25.4 * dpi * 0.25)) | 1);
        cv::morphologyEx(small, bg, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {k, k}));
        cv::medianBlur(bg, bg, 5);
        cv::resize(bg, bg, gray.size(), 0, 0, cv::INTER_LINEAR);
        cv::Mat g32, b32, norm, n8;
        gray.convertTo(g32, CV_32F);
        bg.convertTo(b32, CV_32F);
        cv::max(b32, 1.0, b32);
        cv::divide(g32, b32, norm, 255.0);
        norm.convertTo(n8, CV_8U);
        // the stretch of faded ink, as in prepare.cpp
        int hist[256] = {0};
        for (int y = 0; y < n8.rows; ++y)
            for (int x = 0; x < n8.cols; ++x) ++hist[n8.at<uchar>(y, x)];
        long acc = 0;
        int lo = 0;
        for (; lo < 255; ++lo) { acc += hist[lo]; if (acc > static_cast<long>(n8.total()) / 200) break; }
        lo = std::min(lo, 160);
        if (lo > 0) n8.convertTo(n8, CV_8U, 255.0 / (255 - lo), -255.0 * lo / (255 - lo));
        const cv::Mat got = image::normalise_background(gray, dpi, p);
        ASSERT_EQ(got.size(), n8.size());
        EXPECT_GT(lo, 0) << file;  // the stretch ran
        EXPECT_EQ(cv::countNonZero(got != n8), 0) << file;
    }
}
