// The scorer against hand-made fixtures (tests/data/eval): truth.json holds two
// tables (a 6×3 one with merged header cells, two obscured cells and a
// sum_mismatch; a 2×2 one) and each pred_*.json is one controlled change of a
// perfect extraction (see its "_comment").
#include "eval/scorer.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

namespace {

using nlohmann::json;
using fiscan::eval::Counts;
using fiscan::eval::metrics;
using fiscan::eval::score_document;

json load(const std::string& name) {
    std::ifstream in(std::string(FISCAN_TEST_DATA) + "/eval/" + name);
    EXPECT_TRUE(in.good()) << name;
    return json::parse(in);
}

json score(const std::string& pred) { return metrics(score_document(load("truth.json"), load(pred)).counts); }

// The fixture truth: 20 cells (16 + 4), 9 numeric cells with text, 39 characters
// in 10 text cells, 19 non-empty cells, 2 inconsistencies, 1 recoverable obscured cell.
TEST(Scorer, PerfectPredictionScoresFull) {
    auto s = score_document(load("truth.json"), load("pred_perfect.json"));
    const Counts& c = s.counts;
    EXPECT_EQ(c.cells, 20);
    EXPECT_EQ(c.numeric, 9);
    EXPECT_EQ(c.text_chars, 39);
    EXPECT_EQ(c.compared, 19);
    json m = metrics(c);
    EXPECT_DOUBLE_EQ(m["table_recall"], 1.0);
    EXPECT_DOUBLE_EQ(m["table_precision"], 1.0);
    EXPECT_DOUBLE_EQ(m["schema_accuracy"], 1.0);
    EXPECT_DOUBLE_EQ(m["grid_exact"], 1.0);
    EXPECT_DOUBLE_EQ(m["cell_accuracy"], 1.0);
    EXPECT_DOUBLE_EQ(m["numeric_accuracy"], 1.0);
    EXPECT_DOUBLE_EQ(m["text_cer"], 0.0);
    EXPECT_DOUBLE_EQ(m["confidently_wrong"], 0.0);
    EXPECT_DOUBLE_EQ(m["obscured_recovery"], 1.0);
    EXPECT_EQ(m["false_recoveries"], 0);
    EXPECT_DOUBLE_EQ(m["inconsistency_recall"], 1.0);
    EXPECT_NEAR(m["ece"].get<double>(), 0.01, 1e-9);  // every cell right at confidence 0.99
}

TEST(Scorer, DroppedRowCostsOnlyThatRow) {
    json m = score("pred_dropped_row.json");
    EXPECT_DOUBLE_EQ(m["table_recall"], 1.0);
    EXPECT_DOUBLE_EQ(m["grid_exact"], 0.5);              // the other table's grid is right
    EXPECT_DOUBLE_EQ(m["cell_accuracy"], 17.0 / 20);      // the row's 3 cells
    EXPECT_DOUBLE_EQ(m["numeric_accuracy"], 7.0 / 9);     // its 2 numbers
    EXPECT_DOUBLE_EQ(m["text_cer"], 9.0 / 39);            // 社会保障和就业支出 deleted
    EXPECT_DOUBLE_EQ(m["confidently_wrong"], 0.0);        // missing cells are not compared
    EXPECT_DOUBLE_EQ(m["inconsistency_recall"], 1.0);     // finding at the shifted row
}

TEST(Scorer, ExtraRowCostsNothingOnTruthCells) {
    json m = score("pred_extra_row.json");
    EXPECT_DOUBLE_EQ(m["grid_exact"], 0.5);              // but the grid has a row too many
    EXPECT_DOUBLE_EQ(m["cell_accuracy"], 1.0);
    EXPECT_DOUBLE_EQ(m["numeric_accuracy"], 1.0);
    EXPECT_DOUBLE_EQ(m["text_cer"], 0.0);
    EXPECT_DOUBLE_EQ(m["inconsistency_recall"], 1.0);
}

TEST(Scorer, WrongNumberLowersNumericAccuracyByOneNinth) {
    auto c = score_document(load("truth.json"), load("pred_wrong_number.json")).counts;
    json m = metrics(c);
    EXPECT_DOUBLE_EQ(m["numeric_accuracy"], 8.0 / 9);
    EXPECT_DOUBLE_EQ(m["cell_accuracy"], 19.0 / 20);
    // Read at confidence 0.99, so it is confidently wrong.
    EXPECT_EQ(c.confident_wrong, 1);
    EXPECT_DOUBLE_EQ(m["confidently_wrong"], 1.0 / 19);
    EXPECT_DOUBLE_EQ(m["confidently_wrong_numeric"], 1.0 / 9);
}

TEST(Scorer, EmptyOutputScoresZero) {
    for (const json& pred : {load("pred_empty.json"), json(nullptr)}) {
        auto c = score_document(load("truth.json"), pred).counts;
        json m = metrics(c);
        EXPECT_DOUBLE_EQ(m["table_recall"], 0.0);
        EXPECT_TRUE(m["table_precision"].is_null());  // nothing predicted
        EXPECT_DOUBLE_EQ(m["cell_accuracy"], 0.0);
        EXPECT_DOUBLE_EQ(m["numeric_accuracy"], 0.0);
        EXPECT_DOUBLE_EQ(m["text_cer"], 1.0);
        EXPECT_DOUBLE_EQ(m["obscured_recovery"], 0.0);
        EXPECT_DOUBLE_EQ(m["inconsistency_recall"], 0.0);
        EXPECT_TRUE(m["ece"].is_null());
        EXPECT_EQ(c.missing_predictions, pred.is_null() ? 1 : 0);
    }
}

// Every perturbation of pred_perturbed.json at once, with the exact values.
TEST(Scorer, PerturbedPredictionEndToEnd) {
    auto s = score_document(load("truth.json"), load("pred_perturbed.json"));
    const Counts& c = s.counts;
    EXPECT_EQ(c.truth_tables, 2);
    EXPECT_EQ(c.pred_tables, 3);
    EXPECT_EQ(c.matched_tables, 2);   // table 1 through its cell texts (no bbox)
    EXPECT_EQ(c.schema_correct, 1);
    EXPECT_EQ(c.cells_correct, 18);   // the inserted 行次 column costs nothing
    EXPECT_EQ(c.numeric_correct, 8);
    EXPECT_EQ(c.text_edits, 1);
    EXPECT_EQ(c.compared, 19);
    EXPECT_EQ(c.confident_wrong, 1);
    EXPECT_EQ(c.confident_wrong_numeric, 0);  // 90.26 was reported at 0.75
    EXPECT_EQ(c.obscured_recovered, 1);
    EXPECT_EQ(c.false_recoveries, 0);         // both recovered values are right ...
    EXPECT_EQ(c.recovered_beyond_truth, 1);   // ... one in a cell truth calls unrecoverable
    EXPECT_EQ(c.inconsistencies_found, 1);    // the narrative one was missed
    json m = metrics(c);
    EXPECT_DOUBLE_EQ(m["table_precision"], 2.0 / 3);
    EXPECT_DOUBLE_EQ(m["schema_accuracy"], 0.5);
    EXPECT_DOUBLE_EQ(m["cell_accuracy"], 0.9);
    EXPECT_DOUBLE_EQ(m["text_cer"], 1.0 / 39);
    EXPECT_DOUBLE_EQ(m["inconsistency_recall"], 0.5);
    // bins: 0.95 ×16 (15 right), 0.85 right, 0.75 wrong, 0.65 right
    EXPECT_NEAR(m["ece"].get<double>(), (0.2 + 0.15 + 0.75 + 0.35) / 19, 1e-12);
}

// A table of 40 one-cell rows; `right` of them read correctly at `conf`.
json toy(int n, const std::vector<std::pair<double, bool>>& reads, bool prediction) {
    json cells = json::array();
    for (int r = 0; r < n; ++r) {
        std::string text = "收入" + std::to_string(r + 1);
        json c = {{"row", r}, {"col", 0}, {"text", text}, {"numeric", false}};
        if (prediction) {
            if (!reads[r].second) c["text"] = "支出" + std::to_string(r + 1);
            c["confidence"] = reads[r].first;
            c["source"] = "ocr";
        }
        cells.push_back(c);
    }
    json t = {{"page", 1}, {"n_rows", n}, {"n_cols", 1}, {"cells", cells}, {"schema", nullptr}};
    t[prediction ? "bbox" : "bbox_pt"] = prediction ? json{100, 100, 1000, 2000} : json{24, 24, 240, 480};
    json d = {{"id", "toy"}, {"page_count", 1}, {"tables", {t}}};
    if (prediction) d["pages"] = {{{"page", 1}, {"dpi", 300}}};
    return d;
}

TEST(Scorer, WrongRecoveredValueIsAFalseRecovery) {
    json pred = load("pred_perturbed.json");
    int changed = 0;
    for (auto& t : pred["tables"])
        for (auto& c : t["cells"])
            if (c.value("source", "") == "recovered" && c.value("text", "") == "35.10") {
                c["text"] = "35.20";
                c["value"] = 35.2;
                ++changed;
            }
    ASSERT_EQ(changed, 1);
    auto s = score_document(load("truth.json"), pred);
    EXPECT_EQ(s.counts.false_recoveries, 1);
    EXPECT_EQ(s.counts.recovered_beyond_truth, 0);
    EXPECT_EQ(s.counts.obscured_recovered, 1);
}

TEST(Scorer, PerfectlyCalibratedSetHasNoCalibrationError) {
    std::vector<std::pair<double, bool>> reads;
    for (int i = 0; i < 20; ++i) reads.emplace_back(0.75, i % 4 != 0);  // 15 of 20 right
    for (int i = 0; i < 20; ++i) reads.emplace_back(0.35, i % 20 < 7);  // 7 of 20 right
    auto c = score_document(toy(40, reads, false), toy(40, reads, true)).counts;
    EXPECT_EQ(c.compared, 40);
    EXPECT_EQ(c.cells_correct, 22);
    EXPECT_NEAR(fiscan::eval::ece(c.bins), 0.0, 1e-9);
    // The same reads all claimed at 0.95 are badly calibrated.
    for (auto& r : reads) r.first = 0.95;
    auto bad = score_document(toy(40, reads, false), toy(40, reads, true)).counts;
    EXPECT_NEAR(fiscan::eval::ece(bad.bins), 0.95 - 22.0 / 40, 1e-9);
    EXPECT_EQ(bad.confident_wrong, 18);
}

TEST(Scorer, CountsAddUpAcrossDocuments) {
    Counts a = score_document(load("truth.json"), load("pred_perfect.json")).counts;
    a += score_document(load("truth.json"), load("pred_wrong_number.json")).counts;
    json m = metrics(a);
    EXPECT_EQ(a.documents, 2);
    EXPECT_DOUBLE_EQ(m["numeric_accuracy"], 17.0 / 18);
    EXPECT_DOUBLE_EQ(m["cell_accuracy"], 39.0 / 40);
}

TEST(ScorerParts, NormaliseFoldsFullWidthAndDropsSpace) {
    using fiscan::eval::normalise;
    EXPECT_EQ(normalise("（１２３．４５）"), "(123.45)");
    EXPECT_EQ(normalise("合　计 "), "合计");
    EXPECT_EQ(normalise("407. 37"), "407.37");
    EXPECT_EQ(normalise("因公出国（境）费：，"), "因公出国(境)费:,");
    EXPECT_EQ(normalise("、“三公”"), "、“三公”");  // not ASCII look-alikes: kept
}

TEST(ScorerParts, LevenshteinCountsCodePoints) {
    using fiscan::eval::levenshtein;
    using fiscan::eval::to_u32;
    EXPECT_EQ(levenshtein(to_u32("社会保障"), to_u32("社会保险")), 1u);
    EXPECT_EQ(levenshtein(to_u32("合计"), to_u32("")), 2u);
    EXPECT_EQ(levenshtein(to_u32("90.25"), to_u32("90.26")), 1u);
}

TEST(ScorerParts, AlignSkipsTheMissingElement) {
    // truth A B C D, prediction A C D
    std::vector<std::vector<double>> sim = {{1, 0, 0}, {0.1, 0.2, 0.1}, {0, 1, 0}, {0, 0, 1}};
    EXPECT_EQ(fiscan::eval::align(sim), (std::vector<int>{0, -1, 1, 2}));
    // no signal at all: pair in order
    std::vector<std::vector<double>> none(3, std::vector<double>(3, 0.0));
    EXPECT_EQ(fiscan::eval::align(none), (std::vector<int>{0, 1, 2}));
    EXPECT_TRUE(fiscan::eval::align({}).empty());
}

// `fiscan eval` end to end: one scored document, one without a prediction.
TEST(EvalCommand, WritesResultsPerQualityAndOverall) {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("fiscan_eval_test_" + std::to_string(::getpid()));
    fs::create_directories(dir / "pred");
    fs::copy_file(fs::path(FISCAN_TEST_DATA) / "eval/pred_perturbed.json", dir / "pred/toy-0001.json",
                  fs::copy_options::overwrite_existing);
    std::ofstream(dir / "timings.tsv") << "toy-0001\t30\t2\n";
    std::string cmd = std::string(FISCAN_BINARY) + " eval --manifest " + FISCAN_TEST_DATA +
                      "/eval/manifest.json --pred-dir " + (dir / "pred").string() + " --label toy --json " +
                      (dir / "out.json").string() + " --timings " + (dir / "timings.tsv").string() + " > " +
                      (dir / "out.md").string();
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    json r = json::parse(std::ifstream(dir / "out.json"));
    EXPECT_EQ(r["label"], "toy");
    EXPECT_DOUBLE_EQ(r["by_quality"]["typical"]["metrics"]["cell_accuracy"], 0.9);
    EXPECT_DOUBLE_EQ(r["by_quality"]["typical"]["metrics"]["pages_per_min_per_core"], 2.0);  // 2 pages, 60 core-s
    EXPECT_DOUBLE_EQ(r["by_quality"]["poor"]["metrics"]["cell_accuracy"], 0.0);
    EXPECT_EQ(r["overall"]["metrics"]["missing_predictions"], 1);
    // the untimed document does not count towards the speed
    EXPECT_DOUBLE_EQ(r["overall"]["metrics"]["pages_per_min_per_core"], 2.0);
    EXPECT_DOUBLE_EQ(r["overall"]["metrics"]["cell_accuracy"], 18.0 / 40);
    std::ifstream md(dir / "out.md");
    std::string text((std::istreambuf_iterator<char>(md)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("| cell exact match | 90.0% | 0.0% | 45.0% |"), std::string::npos) << text;
    fs::remove_all(dir);
}

}  // namespace

// Name CER counts only the CJK text of rows that hold a subject code (the
// 科目名称 cells the lexicon corrects), whether the code sits in one column or
// across 类/款/项 columns; header and total labels stay out of it.
TEST(Scorer, NameCerCoversSubjectNamesOnly) {
    auto cell = [](int r, int c, const std::string& text, bool numeric) {
        return json{{"row", r}, {"col", c}, {"row_span", 1}, {"col_span", 1}, {"text", text}, {"numeric", numeric},
                    {"value", numeric ? json(std::stod(text)) : json(nullptr)}};
    };
    json truth_cells = json::array({cell(0, 0, "类", false), cell(0, 1, "款", false), cell(0, 2, "科目名称", false), cell(0, 3, "合计", false),
                                    cell(1, 0, "201", false), cell(1, 1, "03", false), cell(1, 2, "行政运行", false), cell(1, 3, "10.00", true),
                                    cell(2, 0, "2080505", false), cell(2, 1, "", false), cell(2, 2, "机关事业单位基本养老保险缴费支出", false), cell(2, 3, "5.00", true),
                                    cell(3, 0, "", false), cell(3, 1, "", false), cell(3, 2, "合计", false), cell(3, 3, "15.00", true)});
    json truth = {{"tables", json::array({{{"page", 1}, {"schema", "final.05"}, {"n_rows", 4}, {"n_cols", 4}, {"cells", truth_cells}}})}};
    json pred_cells = truth_cells;
    pred_cells[2]["text"] = "科目名";     // header: 1 edit, not a name
    pred_cells[6]["text"] = "行政运";     // name: 1 edit
    pred_cells[10]["text"] = "机关事业单位基本养老保险缴费支";  // name: 1 edit
    pred_cells[14]["text"] = "合";        // total label: 1 edit, not a name
    for (auto& c : pred_cells) c["confidence"] = 0.9;
    json pred = {{"pages", json::array({{{"page", 1}, {"dpi", 200}}})},
                 {"tables", json::array({{{"page", 1}, {"schema", "final.05"}, {"n_rows", 4}, {"n_cols", 4}, {"cells", pred_cells}}})}};
    const Counts c = score_document(truth, pred).counts;
    EXPECT_EQ(c.name_chars, 4 + 16);
    EXPECT_EQ(c.name_edits, 2);
    EXPECT_EQ(c.text_edits, 4);
    EXPECT_DOUBLE_EQ(metrics(c)["name_cer"], 2.0 / 20);
    // The fixture of the other tests has no codes: no names, no rate.
    EXPECT_TRUE(score("pred_perfect.json")["name_cer"].is_null());
}

// A cross-table inconsistency is found by a finding that names either side:
// the truth's `related` cells ([table, row, col], the other table's side) and a
// finding's detail.other_table / other_cells count like the cells themselves.
TEST(Scorer, InconsistencyFoundThroughEitherSide) {
    json truth = load("truth.json");
    truth["inconsistencies"] = json::array({json{{"kind", "cross_table_mismatch"}, {"deliberate", true}, {"table", 1},
                                                 {"cells", json::array({json::array({1, 1})})},
                                                 {"description", "the 2×2 table against 合计 of table 0"}}});
    json pred = load("pred_perfect.json");
    pred["findings"] = json::array({json{{"kind", "cross_table_mismatch"}, {"table", 0},
                                         {"cells", json::array({json::array({5, 2})})}, {"message", "≠"}}});
    // The finding names only table 0's side: not found without `related` ...
    EXPECT_EQ(score_document(truth, pred).counts.inconsistencies_found, 0);
    // ... found with it.
    truth["inconsistencies"][0]["related"] = json::array({json::array({0, 5, 2})});
    EXPECT_EQ(score_document(truth, pred).counts.inconsistencies_found, 1);
    // A related cell the finding does not name does not count.
    truth["inconsistencies"][0]["related"] = json::array({json::array({0, 4, 2})});
    EXPECT_EQ(score_document(truth, pred).counts.inconsistencies_found, 0);
    // The finding's other side names the truth's cell.
    truth["inconsistencies"][0].erase("related");
    pred["findings"][0]["detail"] = json{{"other_table", 1}, {"other_cells", json::array({json::array({1, 1})})}};
    EXPECT_EQ(score_document(truth, pred).counts.inconsistencies_found, 1);
    pred["findings"][0]["detail"]["other_cells"] = json::array({json::array({0, 0})});
    EXPECT_EQ(score_document(truth, pred).counts.inconsistencies_found, 0);
}
