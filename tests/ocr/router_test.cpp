#include "ocr/crop.hpp"
#include "ocr/router.hpp"
#include "ocr_fixtures.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace fiscan::ocr {
namespace {

using testing::load_fixture;
using testing::models_dir;

// tidy_number on an ASCII reading of one symbol per character; its symbols stay one per character
std::string tidied(CellReader& r, const std::string& text) {
    fiscan::Reading rd;
    rd.text = text;
    for (char ch : text) rd.symbols.push_back(fiscan::Symbol{std::string(1, ch), 0.9, {}, {}});
    r.tidy_number(rd);
    EXPECT_EQ(rd.symbols.size(), rd.text.size()) << text;
    return rd.text;
}

Crop cleaned(const std::string& file, CellKind kind, int dpi = 300) {
    return {clean_crop(load_fixture(file), dpi, load_crop_options(models_dir())), kind, dpi};
}

TEST(RouterTest, RoutingConfigLoads) {
    const RoutingConfig c = load_routing_config(models_dir());
    EXPECT_EQ(c.policy, "cascade");
    EXPECT_DOUBLE_EQ(c.numeric_tesseract_min, 0.90);
    EXPECT_FALSE(c.numeric_formats.empty());
}

TEST(RouterTest, UnknownPolicyIsRejected) {
    EXPECT_THROW(make_cell_reader(models_dir(), "best-guess"), std::invalid_argument);
}

TEST(RouterTest, NumberFormat) {
    auto r = make_cell_reader(models_dir(), "tesseract-only");
    for (const char* ok : {"0.55", "1,210,616.00", "-3.20", "2010301", "12.5%", "-", "1 234.00"})
        EXPECT_TRUE(r->number_format_ok(ok)) << ok;
    for (const char* bad : {"", "1,21,0616.00", "0.5.5", "O.55", "一般", "12-3"})
        EXPECT_FALSE(r->number_format_ok(bad)) << bad;
}

TEST(RouterTest, TrailingSpeckAfterANumberIsDropped) {
    auto r = make_cell_reader(models_dir(), "tesseract-only");
    auto tidy = [&](const std::string& text) { return tidied(*r, text); };
    EXPECT_EQ(tidy("4461.67."), "4461.67");
    EXPECT_EQ(tidy("0.00.,"), "0.00");
    EXPECT_EQ(tidy("21.63"), "21.63");       // already a number: untouched
    EXPECT_EQ(tidy("2.850.39"), "2.850.39");  // two numbers fused: not a speck, left for the checks
    EXPECT_EQ(tidy("合计."), "合计.");
}

// Separators and specks Tesseract and PP-OCR read in the amounts of the small
// corpus's poor scans (session 7): a speck or a ruling's stub before the
// number, a decimal comma or colon, a leading 0. Fixed only when the result
// passes the format check.
TEST(RouterTest, MisreadSeparatorsOfANumberAreFixed) {
    auto r = make_cell_reader(models_dir(), "tesseract-only");
    auto tidy = [&](const std::string& text) { return tidied(*r, text); };
    EXPECT_EQ(tidy(".57.97"), "57.97");                 // gen-final p2, Tesseract
    EXPECT_EQ(tidy(") 2,132,777.54"), "2,132,777.54");  // gov-office p1, Tesseract
    EXPECT_EQ(tidy("213,28"), "213.28");
    EXPECT_EQ(tidy("0,00"), "0.00");
    EXPECT_EQ(tidy("60:99"), "60.99");                  // finance p2, PP-OCR
    EXPECT_EQ(tidy("024.09"), "24.09");                 // gen-final p2, PP-OCR
    EXPECT_EQ(tidy("05"), "05");                        // a code keeps its 0
    EXPECT_EQ(tidy("0.38"), "0.38");
    EXPECT_EQ(tidy("1,234"), "1,234");                  // a thousands group, not a decimal comma
    EXPECT_EQ(tidy("住房公积金187.19"), "住房公积金187.19");
}

// Readings of the ellipsis cells of real-final-account-template p5-14
// (typical scan) by the recognisers: dots, or middle dots, for "…" and
// "………"; one "…" per three dots. Anything else is left as read.
TEST(RouterTest, DotsOfATextCellAreAnEllipsis) {
    auto tidy = [](std::string text) {
        fiscan::Reading rd;
        rd.text = text;
        CellReader::tidy_ellipsis(rd);
        return rd.text;
    };
    EXPECT_EQ(tidy("..."), "\u2026");
    EXPECT_EQ(tidy("..\u00b7"), "\u2026");
    EXPECT_EQ(tidy(".\u00b7."), "\u2026");
    EXPECT_EQ(tidy(".."), "\u2026");
    EXPECT_EQ(tidy("\u00b7......"), "\u2026\u2026");
    EXPECT_EQ(tidy("........."), "\u2026\u2026\u2026");
    EXPECT_EQ(tidy("."), ".");          // a lone speck stays what it is
    EXPECT_EQ(tidy("合计."), "合计.");
    EXPECT_EQ(tidy("0.5"), "0.5");
}

TEST(RouterTest, TesseractOnlyReadsEmptyDashNumbersAndText) {
    auto r = make_cell_reader(models_dir(), "tesseract-only");
    EXPECT_EQ(r->policy(), "tesseract-only");
    const auto out = r->read({cleaned("empty_specks.png", CellKind::Numeric), cleaned("num_dash.png", CellKind::Numeric),
                              cleaned("num_055_leftline.png", CellKind::Numeric),
                              cleaned("txt_yiban_rules.png", CellKind::Text)});
    ASSERT_EQ(out.size(), 4u);
    ASSERT_EQ(out[0].size(), 1u);
    EXPECT_EQ(out[0][0].engine, "empty");
    EXPECT_EQ(out[0][0].text, "");
    EXPECT_EQ(out[1][0].engine, "shape-dash");
    EXPECT_EQ(out[1][0].text, "-");
    EXPECT_EQ(out[2][0].text, "0.55");
    EXPECT_EQ(out[2][0].engine, "tesseract-eng-digits");
    EXPECT_EQ(out[3][0].text, "一般公共服务支出");
    EXPECT_EQ(r->stats().crops, 4);
    EXPECT_EQ(r->stats().empty, 1);
    EXPECT_EQ(r->stats().ppocr_calls, 0);
}

TEST(RouterTest, MissingPpocrFallsBackToTesseractOnly) {
    // A models dir with the OCR configs but no ppocr/ folder.
    const std::string tmp = ::testing::TempDir() + "/fiscan_models_noppocr";
    std::filesystem::create_directories(tmp + "/ocr");
    for (const char* f : {"crop.json", "tesseract.json", "routing.json"})
        std::filesystem::copy_file(models_dir() + "/ocr/" + f, tmp + "/ocr/" + f,
                                   std::filesystem::copy_options::overwrite_existing);
    auto r = make_cell_reader(tmp);
    EXPECT_EQ(r->requested_policy(), "cascade");
    EXPECT_EQ(r->policy(), "tesseract-only");
    EXPECT_FALSE(r->has_ppocr());
    EXPECT_FALSE(r->ppocr_missing_reason().empty());
    EXPECT_EQ(r->read(cleaned("num_30203_frame.png", CellKind::Numeric)).front().text, "30203");
}

class RouterWithPpocrTest : public ::testing::Test {
protected:
    void SetUp() override {
        reader_ = make_cell_reader(models_dir(), "cascade");
        if (!reader_->has_ppocr()) GTEST_SKIP() << "PP-OCRv4 model not installed: " << reader_->ppocr_missing_reason();
    }
    std::unique_ptr<CellReader> reader_;
};

TEST_F(RouterWithPpocrTest, CascadeSendsOnlyUnsureCellsToPpocr) {
    EXPECT_EQ(reader_->policy(), "cascade");
    const auto out = reader_->read({cleaned("num_30203_frame.png", CellKind::Numeric),
                                    cleaned("txt_poor150.png", CellKind::Text, 150)});
    // A clean code: Tesseract is sure, one reading.
    ASSERT_EQ(out[0].size(), 1u);
    EXPECT_EQ(out[0][0].engine, "tesseract-eng-digits");
    EXPECT_EQ(out[0][0].text, "30203");
    // A poor 150-dpi Chinese cell: chi_sim is unsure, PP-OCR leads, both kept.
    ASSERT_EQ(out[1].size(), 2u);
    EXPECT_EQ(out[1][0].engine, "ppocr-v4");
    EXPECT_LE(testing::edit_distance(out[1][0].text, "社会保障和就业支出"), 1) << out[1][0].text;
    EXPECT_LT(testing::edit_distance(out[1][0].text, "社会保障和就业支出"),
              testing::edit_distance(out[1][1].text, "社会保障和就业支出"));
    EXPECT_EQ(out[1][1].engine, "tesseract-chi_sim");
    EXPECT_EQ(reader_->stats().ppocr_calls, 1);
}

// The ellipsis cell itself, cut and cleaned as the pipeline does: read as "…".
TEST_F(RouterWithPpocrTest, EllipsisCellReadsAsEllipsis) {
    const auto out = reader_->read(cleaned("txt_ellipsis_typical.png", CellKind::Text));
    EXPECT_EQ(out.front().text, "\u2026") << out.front().engine;
}

TEST_F(RouterWithPpocrTest, PpocrFirstReadsEverythingWithPpocr) {
    auto r = make_cell_reader(models_dir(), "ppocr-first");
    const auto out = r->read({cleaned("txt_yiban_rules.png", CellKind::Text),
                              cleaned("num_1210616_typical.png", CellKind::Numeric)});
    EXPECT_EQ(out[0][0].engine, "ppocr-v4");
    EXPECT_EQ(out[0][0].text, "一般公共服务支出");
    EXPECT_EQ(out[1][0].text, "1,210,616.00");
    EXPECT_EQ(r->stats().ppocr_calls, 2);
}

}  // namespace
}  // namespace fiscan::ocr
