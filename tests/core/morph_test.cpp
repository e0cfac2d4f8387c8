// core/morph: vertical line erosion/dilation/opening/closing give OpenCV's pixels.
#include "core/morph.hpp"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

using namespace fiscan;

namespace {
std::string data(const std::string& name) { return std::string(FISCAN_TEST_DATA) + "/" + name; }

// OpenCV's result for op with a 1×k rectangle, default anchor and border.
cv::Mat reference(const cv::Mat& src, LineOp op, int k) {
    const cv::Mat e = cv::getStructuringElement(cv::MORPH_RECT, {1, k});
    cv::Mat out;
    switch (op) {
        case LineOp::Erode: cv::erode(src, out, e); break;
        case LineOp::Dilate: cv::dilate(src, out, e); break;
        case LineOp::Open: cv::morphologyEx(src, out, cv::MORPH_OPEN, e); break;
        case LineOp::Close: cv::morphologyEx(src, out, cv::MORPH_CLOSE, e); break;
    }
    return out;
}

void expect_same(const cv::Mat& src, int k, const std::string& what) {
    for (LineOp op : {LineOp::Erode, LineOp::Dilate, LineOp::Open, LineOp::Close}) {
        cv::Mat mine;
        vertical_morph(src, mine, op, k);
        const cv::Mat ref = reference(src, op, k);
        ASSERT_EQ(mine.size(), ref.size());
        EXPECT_EQ(cv::countNonZero(mine != ref), 0) << what << " k=" << k << " op=" << static_cast<int>(op);
    }
}
}  // namespace

TEST(Morph, VerticalLinesMatchOpenCvOnPageInk) {
    // Ink of real scans (the masks find_line_masks opens and closes), at the
    // line lengths it uses at 150–300 dpi, odd and even.
    for (const char* name : {"layout/govfund-typical-300dpi.jpg", "layout/poor-template-150dpi.jpg"}) {
        const cv::Mat gray = cv::imread(data(name), cv::IMREAD_GRAYSCALE);
        ASSERT_FALSE(gray.empty()) << name;
        cv::Mat ink;
        cv::threshold(gray, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
        for (int k : {2, 3, 6, 9, 10, 30, 47}) expect_same(ink, k, name);
    }
}

TEST(Morph, VerticalLinesMatchOpenCvOnAnyValuesAndSizes) {
    cv::RNG rng(7);
    for (cv::Size size : {cv::Size(37, 5), cv::Size(1, 40), cv::Size(129, 64), cv::Size(64, 1)}) {
        cv::Mat noise(size, CV_8U);
        rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
        cv::Mat sparse = noise > 200;
        for (int k : {1, 2, 3, 4, 5, 8, 13, 40, 70}) {
            expect_same(noise, k, "noise");
            expect_same(sparse, k, "sparse");
        }
    }
}

TEST(Morph, InPlaceAndReusedBuffersGiveTheSamePixels) {
    cv::RNG rng(11);
    cv::Mat noise(90, 70, CV_8U);
    rng.fill(noise, cv::RNG::UNIFORM, 0, 256);
    for (LineOp op : {LineOp::Erode, LineOp::Dilate, LineOp::Open, LineOp::Close}) {
        const cv::Mat ref = reference(noise, op, 7);
        cv::Mat in_place = noise.clone();
        vertical_morph(in_place, in_place, op, 7);  // dst is src
        EXPECT_EQ(cv::countNonZero(in_place != ref), 0) << static_cast<int>(op);
        cv::Mat reused(noise.size(), CV_8U, cv::Scalar(3));  // a buffer of the right size, written over
        const uchar* buffer = reused.data;
        vertical_morph(noise, reused, op, 7);
        EXPECT_EQ(reused.data, buffer);
        EXPECT_EQ(cv::countNonZero(reused != ref), 0) << static_cast<int>(op);
    }
}
