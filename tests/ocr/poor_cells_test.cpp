// Real cell crops of the small corpus's poor scans (150 dpi, rendered at
// 300): the cleaned crops the router received (fiscan extract --debug-dir,
// crops/p<page>-t<table>-r<row>-c<col>.png), named <document>_<page>_<cell>_<truth>.
// Sources: real-putuo-planning-resources-2024-final.p14-15.poor (planning),
// gen-budget-hn-s1-0005.p8-9.poor (genbudget), gen-final-s1-0001.p4-5.poor
// (genfinal), all in corpus/build/small.
#include "layout/cell_kind.hpp"
#include "ocr/router.hpp"
#include "ocr_fixtures.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

namespace fiscan::ocr {
namespace {

using testing::models_dir;

cv::Mat poor_crop(const std::string& name) { return testing::load_fixture("poor/" + name); }

std::string no_spaces(const std::string& s) {
    std::string o;
    for (char c : s)
        if (c != ' ') o += c;
    return o;
}

class PoorCellsTest : public ::testing::Test {
protected:
    void SetUp() override {
        reader_ = make_cell_reader(models_dir());
        if (!reader_->ppocr()) GTEST_SKIP() << "PP-OCRv4 model missing (scripts/fetch-models)";
    }
    std::unique_ptr<CellReader> reader_;
};

// The default reader with another smooth_view_sigma_mm (0: one PP-OCR view),
// and without the text core when `core` is false (core_max_share 0).
std::unique_ptr<CellReader> reader_with_smoothing(double sigma_mm, bool core = true) {
    RoutingConfig rc = load_routing_config(models_dir());
    rc.smooth_view_sigma_mm = sigma_mm;
    CropOptions co = load_crop_options(models_dir());
    if (!core) co.core_max_share = 0.0;
    return std::make_unique<CellReader>(std::make_unique<TesseractEngine>(load_tesseract_config(models_dir())),
                                        PpocrEngine::create(load_ppocr_config(models_dir())), rc, co);
}

// Amounts whose ink shapes the kind guess took for text (grain and touching
// digits): the whole dictionary read CJK dust around them ("225.12品热",
// "1572.70格金E", "智强0.00", "39.90广程", at 0.03–0.12). The cell router
// has PP-OCR read them over the numeric characters.
TEST_F(PoorCellsTest, ANumberInDustOfATextCellIsReadAsANumber) {
    const std::pair<const char*, const char*> cases[] = {
        {"planning_p1_r7c3_225.12.png", "225.12"},
        {"planning_p1_r13c4_1572.70.png", "1572.70"},
        {"planning_p1_r12c5_0.00.png", "0.00"},
        {"genfinal_p2_r17c4_39.90.png", "39.90"},
    };
    for (const auto& [file, truth] : cases) {
        const auto r = reader_->read(Crop{poor_crop(file), CellKind::Text, 300});
        ASSERT_FALSE(r.empty());
        EXPECT_EQ(no_spaces(r.front().text), truth) << file;
    }
}

// The number read out of dust is no surer than 1 − the surest character
// left out: "39.90广程" (广 0.11, 程 0.12; the digits 0.96–0.99; the dust
// is a band of its own, below the number) gives 39.90 below 0.9.
TEST_F(PoorCellsTest, ANumberReadOutOfDustIsNotSure) {
    Crop c{poor_crop("genfinal_p2_r17c4_39.90.png"), CellKind::Text, 300, true};
    const Reading r = reader_->ppocr()->recognise(c);
    EXPECT_EQ(r.text, "39.90");
    EXPECT_LT(r.confidence, 0.9);
    EXPECT_GT(r.confidence, 0.8);
}

// A text cell with a code and sure glyphs keeps its words (30227委托业务费).
TEST_F(PoorCellsTest, ACodeWithItsNameStaysText) {
    const auto r = reader_->read(Crop{poor_crop("genbudget_p2_r21c0_30227weituoyewufei.png"), CellKind::Text, 300});
    ASSERT_FALSE(r.empty());
    const std::string t = r.front().text;
    EXPECT_NE(t.find("委托"), std::string::npos) << t;
}

// Page text and orientation samples are not table cells: the engine reads
// the same dusty number as the whole dictionary does.
TEST_F(PoorCellsTest, OnlyTableCellsAreReadAsNumbers) {
    Crop c{poor_crop("planning_p1_r7c3_225.12.png"), CellKind::Text, 300};
    const Reading free = reader_->ppocr()->recognise(c);
    c.table_cell = true;
    const Reading cell = reader_->ppocr()->recognise(c);
    EXPECT_EQ(cell.text, "225.12");
    EXPECT_NE(free.text, cell.text);
}

// Both engines read a number, different ones: PP-OCR 170.37 at 0.27 and
// Tesseract 170.57 at 0.85 (Tesseract leads: surer by the margin); PP-OCR
// 17057 at 0.95 and Tesseract 170.57 (the same digits with the decimal
// point PP-OCR dropped); PP-OCR 13.43 at 0.61, Tesseract 43.43 at 0.88.
// (The smoothed second view is off here: it reads these right itself.)
TEST_F(PoorCellsTest, TesseractLeadsWhenItReadsTheSurerNumber) {
    const std::pair<const char*, const char*> cases[] = {
        {"genbudget_p1_r8c5_170.57.png", "170.57"},
        {"genbudget_p1_r9c5_170.57.png", "170.57"},
        {"genbudget_p1_r12c5_43.43.png", "43.43"},
    };
    auto one_view = reader_with_smoothing(0.0);
    for (const auto& [file, truth] : cases) {
        const auto r = one_view->read(Crop{poor_crop(file), CellKind::Numeric, 300});
        ASSERT_EQ(r.size(), 2u) << file;  // both engines read it, both readings kept
        EXPECT_EQ(no_spaces(r.front().text), truth) << file;
        EXPECT_EQ(r.front().engine.rfind("tesseract", 0), 0u) << file << " " << r.front().engine;
    }
}

// Grainy 150-dpi amounts PP-OCR misreads as they stand ("2.9", "3223.08",
// "0.0") and reads right smoothed (a Gaussian of 0.17 mm): with
// the second view on, the cell reads the truth; with it off, it does not.
// Views that differ make the kept reading no surer than the other is unsure.
// (The text core is off in both readers: it reads "0.00" right by itself.)
TEST_F(PoorCellsTest, TheSmoothedViewReadsGrainyAmounts) {
    const std::pair<const char*, const char*> cases[] = {
        {"genbudget_p2_r15c2_2.49.png", "2.49"},
        {"genbudget_p1_r4c5_3223.68.png", "3223.68"},
        {"genbudget_p2_r19c2_0.00.png", "0.00"},
    };
    auto two_views = reader_with_smoothing(load_routing_config(models_dir()).smooth_view_sigma_mm, false);
    auto one_view = reader_with_smoothing(0.0, false);
    for (const auto& [file, truth] : cases) {
        const cv::Mat crop = poor_crop(file);
        const auto r = two_views->read(Crop{crop, CellKind::Numeric, 300});
        ASSERT_GE(r.size(), 3u) << file;  // Tesseract, and PP-OCR's two views
        EXPECT_EQ(no_spaces(r.front().text), truth) << file;
        const Reading* other = nullptr;  // the PP-OCR view not kept
        for (size_t k = 1; k < r.size(); ++k)
            if (r[k].engine == "ppocr-v4" && r[k].text != r.front().text) other = &r[k];
        if (r.front().engine == "ppocr-v4" && other) {
            EXPECT_LE(r.front().confidence, 1.0 - other->confidence + 1e-9) << file;
        }
        const auto before = one_view->read(Crop{crop, CellKind::Numeric, 300});
        EXPECT_NE(no_spaces(before.front().text), truth) << file;
    }
}

// One column of a poor scan's table: the cleaned crops of its cells
// (poor/<column>/r<row>.png), with the kinds the pipeline gives them (the
// ink-shape guess, then the column vote under the rows above the first
// number). `with_column`: the crops carry their column and row, as the
// pipeline sets them; without, each cell is read on its own.
std::map<int, std::vector<Reading>> read_column(CellReader& reader, const std::string& dir, bool with_column) {
    std::vector<int> rows, cols;
    std::vector<Crop> crops;
    for (const auto& e : std::filesystem::directory_iterator(testing::fixture_path("poor/" + dir))) {
        const std::string stem = e.path().stem().string();  // r<row>
        const int row = std::stoi(stem.substr(1));
        const cv::Mat g = testing::load_fixture("poor/" + dir + "/" + e.path().filename().string());
        crops.push_back(Crop{g, layout::guess_kind(g, 300), 300, false, with_column ? 2 : -1, with_column ? row : -1});
        rows.push_back(row);
        cols.push_back(0);
    }
    std::vector<CellKind> kinds;
    int header = 1 << 20;
    for (size_t i = 0; i < crops.size(); ++i) {
        kinds.push_back(crops[i].kind);
        if (crops[i].kind == CellKind::Numeric) header = std::min(header, rows[i]);
    }
    layout::vote_column_kinds(cols, rows, header, kinds);
    for (size_t i = 0; i < crops.size(); ++i) crops[i].kind = kinds[i];
    auto readings = reader.read(crops);
    std::map<int, std::vector<Reading>> by_row;
    for (size_t i = 0; i < crops.size(); ++i) by_row[rows[i]] = std::move(readings[i]);
    return by_row;
}

// gen-budget p2, the amounts column: "0.00" and "0.51" with dust on them
// look like text to the ink-shape guess, and the whole dictionary reads
// "0.o" and "0.s1". In a column of numbers they are read as numbers; the
// header label (预算金额) above the first number stays text.
TEST_F(PoorCellsTest, TextCellsOfAColumnOfNumbersAreReadAsNumbers) {
    auto alone = read_column(*reader_, "genbudget_p2_c2", false);
    auto in_column = read_column(*reader_, "genbudget_p2_c2", true);
    EXPECT_EQ(no_spaces(alone.at(18).front().text), "0.o");
    EXPECT_EQ(no_spaces(alone.at(23).front().text), "0.s1");
    EXPECT_EQ(no_spaces(in_column.at(18).front().text), "0.00");
    EXPECT_EQ(no_spaces(in_column.at(23).front().text), "0.51");
    EXPECT_EQ(in_column.at(0).front().text, alone.at(0).front().text);
    EXPECT_EQ(in_column.at(0).front().text.find_first_of("0123456789"), std::string::npos) << in_column.at(0).front().text;
    // the numbers of the column are unchanged by it
    for (int row : {1, 4, 5, 6, 7}) EXPECT_EQ(in_column.at(row).front().text, alone.at(row).front().text) << row;
}

// planning p1, a column of two-decimal amounts: PP-OCR reads "1092.0" as the
// crop stands and "1092.80" smoothed, the surer being the first. The
// column's decimals settle it; read alone the cell keeps "1092.0".
TEST_F(PoorCellsTest, TheColumnsDecimalsChooseBetweenReadings) {
    auto alone = read_column(*reader_, "planning_p1_c3", false);
    auto in_column = read_column(*reader_, "planning_p1_c3", true);
    EXPECT_EQ(no_spaces(alone.at(14).front().text), "1092.0");
    EXPECT_EQ(no_spaces(in_column.at(14).front().text), "1092.80");
    EXPECT_LT(in_column.at(14).front().confidence, 0.9);
    for (int row : {2, 4, 5, 6, 8}) EXPECT_EQ(in_column.at(row).front().text, alone.at(row).front().text) << row;
}

// finance p2: a sparse column (two amounts and "60.99", read "60:99" by the
// whole dictionary as a text cell) holds numbers too; both engines then read
// "6099" over the numeric characters, and the tidied "60.99" (same digits,
// two decimals) leads. Its header label (合计) above the first number stays
// as read.
TEST_F(PoorCellsTest, ASparseColumnOfNumbersReadsItsTextCellAsANumber) {
    auto alone = read_column(*reader_, "finance_p2_c4", false);
    auto in_column = read_column(*reader_, "finance_p2_c4", true);
    EXPECT_NE(no_spaces(alone.at(10).front().text), "60.99");
    EXPECT_EQ(no_spaces(in_column.at(10).front().text), "60.99");
    EXPECT_EQ(in_column.at(1).front().text, alone.at(1).front().text);
}

// The default reader without the text core (a crop is never cut to it).
std::unique_ptr<CellReader> reader_without_core() {
    return reader_with_smoothing(load_routing_config(models_dir()).smooth_view_sigma_mm, false);
}

// Small amounts in a corner of a grainy 150-dpi cell (gen-budget, gov-office,
// wanli-street poor scans): the ink test keeps the grain, so the trimmed crop
// is the whole cell, and the engines read "", "9.87", "375", "5213.28" or
// "750" / "" (truth "0"). Cut to the line of glyph-tall ink, the cell reads
// right; read whole, it does not.
TEST_F(PoorCellsTest, ANumberInAGrainyCellIsReadOnItsTextCore) {
    const std::pair<const char*, const char*> cases[] = {
        {"genbudget_p2_r25c2_4.82.png", "4.82"},
        {"genbudget_p1_r11c4_96.87.png", "96.87"},
        {"genbudget_p2_r10c2_3.75.png", "3.75"},
        {"govoffice_p2_r5c6_213.28.png", "213.28"},
        {"wanli_p2_r3c8_0.png", "0"},
    };
    auto whole = reader_without_core();
    const CropOptions co = load_crop_options(models_dir());
    for (const auto& [file, truth] : cases) {
        const cv::Mat crop = poor_crop(file);
        const Box core = text_core_box(crop, 300, co);
        ASSERT_FALSE(core.empty()) << file;
        EXPECT_LT(core.area(), co.core_max_share * crop.cols * crop.rows) << file;
        const auto r = reader_->read(Crop{crop, CellKind::Numeric, 300});
        EXPECT_EQ(no_spaces(r.front().text), truth) << file;
        const auto before = whole->read(Crop{crop, CellKind::Numeric, 300});
        EXPECT_NE(no_spaces(before.front().text), truth) << file;
    }
}

// A crop cut to its core is read by both engines, however sure Tesseract is:
// on the poor set Tesseract alone read a "0" cut to its core as "04" at 0.93
// (wanli-street p1); with PP-OCR's reading beside it the two are ranked.
TEST_F(PoorCellsTest, ACropCutToItsCoreIsReadByBothEngines) {
    const std::pair<const char*, const char*> cases[] = {
        {"wanli_p1_r15c7_0.png", "0"}, {"genbudget_p2_r25c2_4.82.png", "4.82"}, {"wanli_p2_r3c8_0.png", "0"}};
    for (const auto& [file, truth] : cases) {
        const auto r = reader_->read(Crop{poor_crop(file), CellKind::Numeric, 300});
        const auto by = [&r](const char* engine) {
            return std::any_of(r.begin(), r.end(), [engine](const Reading& x) { return x.engine.rfind(engine, 0) == 0; });
        };
        EXPECT_TRUE(by("tesseract") && by("ppocr")) << file;
        EXPECT_EQ(no_spaces(r.front().text), truth) << file;
    }
}

// A cell the ink shapes took for text and that read as nothing ("、" at 0.00
// for 839.00, "把;提" at 0.15 for 43.43): its text core is read as a number,
// which leads; the text readings stay after it.
TEST_F(PoorCellsTest, ATextCellReadAsNothingIsReadOnItsTextCore) {
    const std::pair<const char*, const char*> cases[] = {
        {"govoffice_p2_r5c1_839.00.png", "839.00"},
        {"genbudget_p1_r12c4_43.43.png", "43.43"},
    };
    auto whole = reader_without_core();
    for (const auto& [file, truth] : cases) {
        const cv::Mat crop = poor_crop(file);
        const auto r = reader_->read(Crop{crop, CellKind::Text, 300});
        EXPECT_EQ(no_spaces(r.front().text), truth) << file;
        EXPECT_GE(r.size(), 3u) << file;  // the number, and the readings before it
        const auto before = whole->read(Crop{crop, CellKind::Text, 300});
        EXPECT_NE(no_spaces(before.front().text), truth) << file;
    }
}

// A crop the trim already cut to its ink (a typical scan's amount, a name)
// is left as it is: its text core is most of it.
TEST(TextCore, ATrimmedCropIsItsOwnCore) {
    const CropOptions co = load_crop_options(models_dir());
    for (const char* file : {"num_1210616_typical.png", "num_40737_200dpi.png", "num_4_bold_typical.png", "txt_zhengfu_typical.png"}) {
        const cv::Mat crop = testing::load_fixture(file);
        const int dpi = std::string(file).find("200dpi") != std::string::npos ? 200 : 300;
        const cv::Mat v = core_view(crop, dpi, co);
        EXPECT_EQ(v.size(), crop.size()) << file;
    }
}

// Amounts beside a blot on a damaged scan (real-putuo-social-work-dept-2024-final
// .p12-14.damaged.s2, corpus/build/damaged, page 1 table 0; crops as the router
// received them): the blot's rim reaches into the crop from its bottom (6.18)
// or top (2.71) edge, glyph-tall and larger than any digit. Taken for the text
// line, it was the core the crop was cut to, and the cells read "" and "7".
// Ink at the crop's top or bottom edge is not the line, and the line is the
// band with the most glyph ink: both read right.
TEST_F(PoorCellsTest, ABlotsRimAtTheCropsEdgeIsNotItsTextCore) {
    const std::pair<const char*, const char*> cases[] = {
        {"damaged/socialwork_s2_p1_r9c2_6.18.png", "6.18"},
        {"damaged/socialwork_s2_p1_r11c2_2.71.png", "2.71"},
    };
    RoutingConfig rc = load_routing_config(models_dir());
    CropOptions with_rim = load_crop_options(models_dir());
    ASSERT_TRUE(with_rim.core_skip_edge_ink && with_rim.core_line_by_band);
    with_rim.core_skip_edge_ink = with_rim.core_line_by_band = false;
    CellReader rim(std::make_unique<TesseractEngine>(load_tesseract_config(models_dir())),
                   PpocrEngine::create(load_ppocr_config(models_dir())), rc, with_rim);
    for (const auto& [file, truth] : cases) {
        const cv::Mat crop = testing::load_fixture(file);
        const auto r = reader_->read(Crop{crop, CellKind::Numeric, 300});
        EXPECT_EQ(no_spaces(r.front().text), truth) << file;
        const auto before = rim.read(Crop{crop, CellKind::Numeric, 300});
        EXPECT_NE(no_spaces(before.front().text), truth) << file;
    }
}

}  // namespace
}  // namespace fiscan::ocr
