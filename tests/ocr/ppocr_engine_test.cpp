#include "ocr/crop.hpp"
#include "ocr/ppocr_engine.hpp"
#include "ocr_fixtures.hpp"

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include <memory>

namespace fiscan::ocr {
namespace {

using testing::load_fixture;

class PpocrEngineTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { engine_ = PpocrEngine::create(load_ppocr_config(testing::models_dir()), &why_); }
    static void TearDownTestSuite() { engine_.reset(); }
    void SetUp() override {
        if (!engine_) GTEST_SKIP() << "PP-OCRv4 model not installed (scripts/fetch-models): " << why_;
    }
    static Crop cleaned(const std::string& file, CellKind kind, int dpi = 300) {
        return {clean_crop(load_fixture(file), dpi, load_crop_options(testing::models_dir())), kind, dpi};
    }
    static std::unique_ptr<PpocrEngine> engine_;
    static std::string why_;
};
std::unique_ptr<PpocrEngine> PpocrEngineTest::engine_;
std::string PpocrEngineTest::why_;

TEST(PpocrFactoryTest, MissingModelGivesNullAndReason) {
    PpocrConfig c = load_ppocr_config(testing::models_dir());
    c.dir = "/nonexistent/ppocr";
    std::string why;
    EXPECT_EQ(PpocrEngine::create(c, &why), nullptr);
    EXPECT_NE(why.find("fetch-models"), std::string::npos) << why;
}

TEST_F(PpocrEngineTest, ReadsNumbersAfterCleaning) {
    EXPECT_EQ(engine_->recognise(cleaned("num_055_leftline.png", CellKind::Numeric)).text, "0.55");
    EXPECT_EQ(engine_->recognise(cleaned("num_055_leftfrag.png", CellKind::Numeric)).text, "0.55");
    EXPECT_EQ(engine_->recognise(cleaned("num_30203_frame.png", CellKind::Numeric)).text, "30203");
    EXPECT_EQ(engine_->recognise(cleaned("num_1210616_typical.png", CellKind::Numeric)).text, "1,210,616.00");
}

TEST_F(PpocrEngineTest, ReadsChineseIncludingPoorScan) {
    EXPECT_EQ(engine_->recognise(cleaned("txt_yiban_rules.png", CellKind::Text)).text, "一般公共服务支出");
    EXPECT_EQ(engine_->recognise(cleaned("txt_zhengfu_typical.png", CellKind::Text)).text, "政府办公厅（室）及相关机构事务");
    // Faded 150-dpi scan: at most one glyph lost (Tesseract chi_sim loses most of it).
    const Reading poor = engine_->recognise(cleaned("txt_poor150.png", CellKind::Text, 150));
    EXPECT_LE(testing::edit_distance(poor.text, "社会保障和就业支出"), 1) << poor.text;
}

// A numeric cell is decoded over the numeric characters only (ppocr.json
// numeric_charset), as Tesseract reads it with a whitelist: a number followed
// by what PP-OCR takes for CJK glyphs (noise on a poor scan; here the crop of
// a printed name put beside a printed number) gives the number, never CJK.
TEST_F(PpocrEngineTest, NumericCellsAreDecodedOverTheNumericCharacters) {
    const cv::Mat num = load_fixture("num_1210616_typical.png"), txt = load_fixture("txt_yiban_rules.png");
    cv::Mat txt_resized;
    cv::resize(txt, txt_resized, {std::max(1, txt.cols * num.rows / txt.rows), num.rows});
    cv::Mat both;
    cv::hconcat(std::vector<cv::Mat>{num, txt_resized}, both);
    const auto opt = load_crop_options(testing::models_dir());
    const Crop as_text{clean_crop(both, 300, opt), CellKind::Text, 300};
    const Crop as_number{as_text.gray, CellKind::Numeric, 300};
    const std::string free = engine_->recognise(as_text).text;
    ASSERT_NE(free.find("一般"), std::string::npos) << free;  // the whole dictionary reads the name
    const Reading r = engine_->recognise(as_number);
    for (unsigned char ch : r.text) EXPECT_NE(std::string("0123456789.,-()%").find(static_cast<char>(ch)), std::string::npos) << r.text;
    EXPECT_EQ(r.text.rfind("1,210,616.00", 0), 0u) << r.text;
    for (const auto& s : r.symbols)
        for (const auto& a : s.alternatives) EXPECT_EQ(a.text.size(), 1u) << a.text;
}

TEST_F(PpocrEngineTest, SymbolsHaveProbabilitiesAlternativesAndBoxes) {
    const Crop c = cleaned("txt_poor150.png", CellKind::Text, 150);
    const Reading r = engine_->recognise(c);
    ASSERT_FALSE(r.symbols.empty());
    double min_prob = 1.0;
    int prev_x = -1;
    for (const auto& s : r.symbols) {
        EXPECT_GT(s.prob, 0.0);
        EXPECT_LE(s.prob, 1.0);
        min_prob = std::min(min_prob, s.prob);
        EXPECT_GE(s.bbox.x0, prev_x);  // left to right
        EXPECT_LE(s.bbox.x1, c.gray.cols);
        prev_x = s.bbox.x0;
        for (size_t k = 0; k < s.alternatives.size(); ++k) {
            EXPECT_NE(s.alternatives[k].text, s.text);
            EXPECT_LE(s.alternatives[k].prob, s.prob);
            if (k) {
                EXPECT_LE(s.alternatives[k].prob, s.alternatives[k - 1].prob);
            }
        }
    }
    EXPECT_DOUBLE_EQ(r.confidence, min_prob);
    EXPECT_EQ(r.engine, "ppocr-v4");
}

TEST_F(PpocrEngineTest, BatchEqualsOneByOne) {
    std::vector<Crop> crops{cleaned("txt_zhengfu_typical.png", CellKind::Text),
                            cleaned("num_055_leftline.png", CellKind::Numeric),
                            cleaned("txt_yiban_rules.png", CellKind::Text),
                            cleaned("num_40737_200dpi.png", CellKind::Numeric, 200)};
    EXPECT_NE(engine_->bucket_for(crops[0].gray), engine_->bucket_for(crops[1].gray));
    const auto batch = engine_->recognise_batch(crops);
    ASSERT_EQ(batch.size(), crops.size());
    for (size_t i = 0; i < crops.size(); ++i) {
        const Reading one = engine_->recognise(crops[i]);
        EXPECT_EQ(batch[i].text, one.text) << i;
        EXPECT_DOUBLE_EQ(batch[i].confidence, one.confidence) << i;
    }
    EXPECT_EQ(batch[3].text, "407.37");
}

TEST_F(PpocrEngineTest, TwoLineCellIsReadLineByLine) {
    const Reading r = engine_->recognise(cleaned("txt_multiline.png", CellKind::Text));
    EXPECT_EQ(r.text, "机关事业单位基本养老保险缴费");
    ASSERT_EQ(r.symbols.size(), 14u);
    EXPECT_GT(r.symbols[8].bbox.y0, r.symbols[7].bbox.y0);  // second line below the first
}

// A typical scan of a generated final account (seed 003, p6, crops written by
// --debug-dir): a name wrapped onto a second line that holds one glyph, the
// lines set close. Both lines are read; the tail glyph used to be lost.
TEST_F(PpocrEngineTest, TightlyWrappedNameKeepsItsLastLine) {
    EXPECT_EQ(engine_->recognise(cleaned("txt_wrapped_tight_buzhu.png", CellKind::Text)).text, "其他对个人和家庭的补助支出");
    EXPECT_EQ(engine_->recognise(cleaned("txt_wrapped_tight_yanglao.png", CellKind::Text)).text, "机关事业单位基本养老保险费");
}

TEST_F(PpocrEngineTest, MapsEnumerationComma) {
    const Reading r = engine_->recognise(cleaned("txt_enum_comma.png", CellKind::Text));
    EXPECT_EQ(r.text, "二、项目支出");
    for (const auto& s : r.symbols)
        for (const auto& a : s.alternatives) EXPECT_NE(a.text, "丶");
}

}  // namespace
}  // namespace fiscan::ocr
