// The 0°/180° vote (ocr/orientation.hpp) on real scans: a poor 150-dpi page
// printed upside down (Tesseract's osd is at chance on such pages) and the
// typical sample page turned by 180°, each judged as it is and turned back.
#include "image/prepare.hpp"
#include "layout/grid.hpp"
#include "ocr/orientation.hpp"
#include "ocr/ppocr_engine.hpp"
#include "ocr_fixtures.hpp"
#include "pdf/pdf_document.hpp"

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include <filesystem>
#include <fstream>
#include <memory>
#include <stdexcept>

namespace fiscan::ocr {
namespace {

// The page's ink without its rulings, as the pipeline gives it to the vote.
cv::Mat text_ink(const image::Prepared& p, int dpi) {
    layout::LineMasks m;
    (void)layout::detect_tables(p.ink, p.line_ink, dpi, {}, &m);
    cv::Mat t = p.ink.clone();
    t.setTo(0, m.horizontal);
    t.setTo(0, m.vertical);
    return t;
}

// Poor scan: the lower half of a generated budget page (表 of the Hunan set),
// 150 dpi, printed upside down by the scan simulator (corpus/build/small,
// gen-budget-hn-s1-0005.p8-9.poor page 2; tests/data/make_fixtures.sh).
cv::Mat poor_page() {
    cv::Mat m = cv::imread(std::string(FISCAN_TEST_DATA) + "/image/poor-upside-down-150dpi.jpg", cv::IMREAD_GRAYSCALE);
    EXPECT_FALSE(m.empty());
    return m;
}

TEST(OrientationSamples, TextLinesNotRulingsNorSpecks) {
    const int dpi = 150;
    auto prep = image::prepare(poor_page(), dpi);
    const OrientationConfig cfg = load_orientation_config(testing::models_dir());
    auto samples = text_line_samples(text_ink(prep, dpi), dpi, cfg.vote);
    ASSERT_EQ(static_cast<int>(samples.size()), cfg.vote.max_samples);
    const double mm = dpi / 25.4;
    for (const auto& r : samples) {
        // glyph height plus the margin, never a ruling (1-3 px) or a whole block
        EXPECT_GE(r.height, 1.8 * mm) << r;
        EXPECT_LE(r.height, 9.5 * mm) << r;
        EXPECT_LE(r.width, cfg.vote.max_aspect * r.height + 2 * mm) << r;
    }
    // a blank page has no lines to vote with
    cv::Mat blank(400, 300, CV_8U, cv::Scalar(0));
    EXPECT_TRUE(text_line_samples(blank, dpi, cfg.vote).empty());
}

TEST(OrientationConfigTest, RejectsUnknownMethod) {
    auto dir = std::filesystem::temp_directory_path() / "fiscan-orient-cfg";
    std::filesystem::create_directories(dir / "ocr");
    std::ofstream(dir / "ocr" / "orientation.json") << R"({"method": "guess"})";
    EXPECT_THROW(load_orientation_config(dir.string()), std::runtime_error);
    std::filesystem::remove_all(dir);
}

class OrientationVoteTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { engine_ = PpocrEngine::create(load_ppocr_config(testing::models_dir()), &why_); }
    static void TearDownTestSuite() { engine_.reset(); }
    void SetUp() override {
        if (!engine_) GTEST_SKIP() << "PP-OCRv4 model not installed (scripts/fetch-models): " << why_;
    }
    static OrientationVote vote(const cv::Mat& page, int dpi) {
        auto prep = image::prepare(page, dpi);
        const auto cfg = load_orientation_config(testing::models_dir());
        return vote_orientation(*engine_, prep.gray, text_line_samples(text_ink(prep, dpi), dpi, cfg.vote), dpi, cfg.vote);
    }
    static std::unique_ptr<PpocrEngine> engine_;
    static std::string why_;
};
std::unique_ptr<PpocrEngine> OrientationVoteTest::engine_;
std::string OrientationVoteTest::why_;

TEST_F(OrientationVoteTest, PoorScanUpsideDownIsTurned) {
    cv::Mat page = poor_page();
    auto v = vote(page, 150);
    EXPECT_EQ(v.degrees, 180) << "upright " << v.upright << " turned " << v.turned;
    EXPECT_GT(v.turned, v.upright + 0.5);
    cv::Mat upright;
    cv::rotate(page, upright, cv::ROTATE_180);
    auto u = vote(upright, 150);
    EXPECT_EQ(u.degrees, 0) << "upright " << u.upright << " turned " << u.turned;
    EXPECT_GT(u.upright, 0.85);
}

TEST_F(OrientationVoteTest, TypicalPageBothWays) {
    auto bytes = pdf::read_pdf_bytes(std::string(FISCAN_TEST_DATA) + "/image/upside-down-final02.pdf");
    auto doc = pdf::PdfDocument::open(bytes);
    cv::Mat page = doc->render_gray(1, 300);
    EXPECT_EQ(vote(page, 300).degrees, 180);
    cv::Mat upright;
    cv::rotate(page, upright, cv::ROTATE_180);
    EXPECT_EQ(vote(upright, 300).degrees, 0);
}

TEST_F(OrientationVoteTest, TooFewLinesDecideNothing) {
    cv::Mat page(1200, 900, CV_8U, cv::Scalar(255));
    cv::putText(page, "12", {100, 300}, cv::FONT_HERSHEY_SIMPLEX, 1.5, cv::Scalar(0), 3);
    auto v = vote(page, 150);
    EXPECT_EQ(v.degrees, 0);
    EXPECT_LT(v.samples, 2);
}

}  // namespace
}  // namespace fiscan::ocr
