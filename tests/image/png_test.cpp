// Image stage: debug PNGs written by Leptonica read back pixel for pixel
// (the binary does not link OpenCV's imgcodecs; the test does, to read them).
#include "image/png.hpp"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <unistd.h>
#include <stdexcept>

using namespace fiscan;

namespace {
std::string data(const std::string& name) { return std::string(FISCAN_TEST_DATA) + "/image/" + name; }
}  // namespace

TEST(Png, GrayAndColourPagesReadBackUnchanged) {
    const cv::Mat gray = cv::imread(data("skewed-page-150dpi.jpg"), cv::IMREAD_GRAYSCALE);
    ASSERT_FALSE(gray.empty());
    // An odd width (rows not a multiple of Leptonica's 32-bit words) and a colour overlay.
    const cv::Mat odd = gray(cv::Rect(0, 0, gray.cols - 3, gray.rows / 2)).clone();
    cv::Mat colour;
    cv::cvtColor(odd, colour, cv::COLOR_GRAY2BGR);
    cv::rectangle(colour, cv::Rect(10, 10, 40, 20), {0, 0, 255}, 3);
    cv::rectangle(colour, cv::Rect(30, 50, 20, 40), {255, 120, 0}, 2);
    const auto dir = std::filesystem::temp_directory_path() / ("fiscan-png-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    for (const cv::Mat& img : {odd, colour}) {
        const std::string path = (dir / (img.channels() == 1 ? "g.png" : "c.png")).string();
        image::write_png(path, img);
        const cv::Mat back = cv::imread(path, cv::IMREAD_UNCHANGED);
        ASSERT_EQ(back.size(), img.size());
        ASSERT_EQ(back.type(), img.type());
        EXPECT_EQ(cv::norm(back, img, cv::NORM_INF), 0.0);
    }
    std::filesystem::remove_all(dir);
}

TEST(Png, RefusesWhatItCannotWrite) {
    EXPECT_THROW(image::write_png("/tmp/never.png", cv::Mat(4, 4, CV_32F, cv::Scalar(0))), std::runtime_error);
    EXPECT_THROW(image::write_png("/nonexistent-dir/x.png", cv::Mat(4, 4, CV_8U, cv::Scalar(9))), std::runtime_error);
}
