#include "ocr/crop.hpp"
#include "ocr/tesseract_engine.hpp"
#include "ocr_fixtures.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace fiscan::ocr {
namespace {

using testing::load_fixture;

class TesseractEngineTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        engine_ = std::make_unique<TesseractEngine>(load_tesseract_config(testing::models_dir()));
    }
    static void TearDownTestSuite() { engine_.reset(); }

    static Crop cleaned(const std::string& file, CellKind kind, int dpi = 300) {
        return {clean_crop(load_fixture(file), dpi, load_crop_options(testing::models_dir())), kind, dpi};
    }
    static std::unique_ptr<TesseractEngine> engine_;
};
std::unique_ptr<TesseractEngine> TesseractEngineTest::engine_;

TEST_F(TesseractEngineTest, NumberWithLeftRuleRemnantReadsAfterCleaning) {
    const Reading r = engine_->recognise(cleaned("num_055_leftline.png", CellKind::Numeric));
    EXPECT_EQ(r.text, "0.55");
    EXPECT_EQ(r.engine, "tesseract-eng-digits");
    EXPECT_GT(r.confidence, 0.5);
}

TEST_F(TesseractEngineTest, NumberWithBrokenFragmentReadsAfterCleaning) {
    EXPECT_EQ(engine_->recognise(cleaned("num_055_leftfrag.png", CellKind::Numeric)).text, "0.55");
}

TEST_F(TesseractEngineTest, FramedCodeReads) {
    EXPECT_EQ(engine_->recognise(cleaned("num_30203_frame.png", CellKind::Numeric)).text, "30203");
}

TEST_F(TesseractEngineTest, TypicalScanAmountsRead) {
    EXPECT_EQ(engine_->recognise(cleaned("num_1210616_typical.png", CellKind::Numeric)).text, "1,210,616.00");
    EXPECT_EQ(engine_->recognise(cleaned("num_40737_200dpi.png", CellKind::Numeric, 200)).text, "407.37");
}

TEST_F(TesseractEngineTest, SymbolsCarryProbabilitiesAndBoxes) {
    const Reading r = engine_->recognise(cleaned("num_1210616_typical.png", CellKind::Numeric));
    ASSERT_EQ(r.symbols.size(), std::string("1,210,616.00").size());
    std::string joined;
    for (const auto& s : r.symbols) {
        joined += s.text;
        EXPECT_GE(s.prob, 0.0);
        EXPECT_LE(s.prob, 1.0);
        EXPECT_FALSE(s.bbox.empty());
        for (const auto& a : s.alternatives) {
            EXPECT_NE(a.text, s.text);
            EXPECT_LE(a.prob, 1.0);
        }
    }
    EXPECT_EQ(joined, r.text);
}

TEST_F(TesseractEngineTest, ChineseSubjectNameReadsWithoutSpaces) {
    const Reading r = engine_->recognise(cleaned("txt_yiban_rules.png", CellKind::Text));
    EXPECT_EQ(r.text, "一般公共服务支出");
    EXPECT_EQ(r.engine, "tesseract-chi_sim");
    EXPECT_EQ(r.symbols.size(), 8u);
}

TEST_F(TesseractEngineTest, TwoLineCellIsJoined) {
    EXPECT_EQ(engine_->recognise(cleaned("txt_multiline.png", CellKind::Text)).text, "机关事业单位基本养老保险缴费");
}

TEST_F(TesseractEngineTest, UnknownKindDigitsGoThroughDigitEngine) {
    const Reading r = engine_->recognise(cleaned("num_30203_frame.png", CellKind::Unknown));
    EXPECT_EQ(r.engine, "tesseract-eng-digits");
    EXPECT_EQ(r.text, "30203");
    EXPECT_EQ(engine_->recognise(cleaned("txt_yiban_rules.png", CellKind::Unknown)).engine, "tesseract-chi_sim");
}

TEST_F(TesseractEngineTest, ReuseGivesTheSameReading) {
    const Crop c = cleaned("num_1210616_typical.png", CellKind::Numeric);
    const Reading a = engine_->recognise(c);
    engine_->recognise(cleaned("txt_yiban_rules.png", CellKind::Text));
    const Reading b = engine_->recognise(c);
    EXPECT_EQ(a.text, b.text);
    EXPECT_DOUBLE_EQ(a.confidence, b.confidence);
}

TEST_F(TesseractEngineTest, BlankCropGivesEmptyReading) {
    const Reading r = engine_->recognise({cv::Mat(40, 120, CV_8U, cv::Scalar(255)), CellKind::Numeric, 300});
    EXPECT_EQ(r.text, "");
    EXPECT_EQ(r.confidence, 0.0);
}

TEST(TesseractPageReaderTest, ReadsLinesInOrderWithBoxes) {
    TesseractPageReader reader(load_tesseract_config(testing::models_dir()));
    const auto lines = reader.read_lines(load_fixture("page_two_lines.png"), 300);
    ASSERT_EQ(lines.size(), 2u);
    EXPECT_LT(lines[0].bbox.y1, lines[1].bbox.y0 + 5);
    EXPECT_NE(lines[0].text.find("收入支出决算总体情况说明"), std::string::npos) << lines[0].text;
    EXPECT_NE(lines[1].text.find("810.16"), std::string::npos) << lines[1].text;
    EXPECT_NE(lines[1].text.find("万元"), std::string::npos) << lines[1].text;
}

TEST(TesseractConfigTest, TessdataResolution) {
    TesseractConfig c;
    c.tessdata = "/some/dir";
    EXPECT_EQ(resolve_tessdata(c), "/some/dir");
    c.tessdata.clear();
    if (!std::getenv("TESSDATA_PREFIX")) {
        EXPECT_EQ(resolve_tessdata(c), "/usr/share/tesseract-ocr/5/tessdata");
    }
}

TEST(TesseractConfigTest, MissingLanguageThrows) {
    TesseractConfig c;
    c.numeric_lang = "xx_nonexistent";
    EXPECT_THROW(TesseractEngine{c}, std::runtime_error);
}

TEST(StripCjkSpacesTest, DropsSpacesNextToCjkOnly) {
    EXPECT_EQ(strip_cjk_spaces("一 般 公 共 服 务"), "一般公共服务");
    EXPECT_EQ(strip_cjk_spaces("2020 年 度 收 、 支 总 计 810.16 万 元"), "2020年度收、支总计810.16万元");
    EXPECT_EQ(strip_cjk_spaces("Page 1 of 2"), "Page 1 of 2");
    EXPECT_EQ(strip_cjk_spaces("（ 室 ）"), "（室）");
}

}  // namespace
}  // namespace fiscan::ocr
