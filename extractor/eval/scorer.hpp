// Evaluation: scores one extraction (output-contract JSON) against one corpus
// truth file (docs/truth-format.md), and sums many scores per quality level.
// Takes: the two JSON documents (a null / non-object prediction is scored as
// empty output). Gives: raw Counts, from which every rate is derived, so that
// sums over documents stay exact (micro averages). docs/evaluation.md defines
// each metric.
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace fiscan::eval {

// Thresholds of the scorer; the defaults are what docs/evaluation.md states.
struct ScoreOptions {
    double min_iou = 0.5;             // table match by bbox (scans are a little skewed)
    double min_content_dice = 0.5;    // table match by cell texts when a bbox is absent
    double confident = 0.9;           // "confidently wrong" threshold
    double value_tolerance = 0.005;   // numeric cell is right when |pred − true| < this
    double default_dpi = 300;         // when the prediction has no pages[] entry
};

// One of the 10 equal-width confidence bins of the calibration error.
struct Bin {
    long n = 0;
    double sum_conf = 0, sum_correct = 0;
};

// Raw tallies; every metric is a ratio of two of these.
struct Counts {
    long documents = 0, missing_predictions = 0;
    long truth_tables = 0, pred_tables = 0, matched_tables = 0, schema_correct = 0;
    long grid_exact = 0;   // matched tables with the truth's rows, columns and spans
    long cells = 0, cells_correct = 0;                  // every truth cell (empty ones too)
    long numeric = 0, numeric_correct = 0;              // numeric truth cells with text
    long text_chars = 0, text_edits = 0;                // non-numeric non-empty truth cells
    long name_chars = 0, name_edits = 0;                // of those: subject names (a row with a subject code)
    long compared = 0, confident_wrong = 0;             // aligned pairs, truth or pred non-empty
    long compared_numeric = 0, confident_wrong_numeric = 0;
    std::array<Bin, 10> bins{};
    long obscured = 0, obscured_recoverable = 0, obscured_recovered = 0, false_recoveries = 0;
    long recovered_beyond_truth = 0;  // right values in cells the truth calls unrecoverable
    long inconsistencies = 0, inconsistencies_found = 0;
    long pages = 0;
    long timed_pages = 0;                               // pages of documents with a time
    double seconds = 0, core_seconds = 0;               // wall time, wall time × threads

    Counts& operator+=(const Counts& o);
};

// Rates derived from counts; a rate without a denominator is null.
nlohmann::json metrics(const Counts& c);
double ece(const std::array<Bin, 10>& bins);  // NaN when no cell was compared
nlohmann::json to_json(const Counts& c);       // the raw tallies

struct DocScore {
    std::string id, quality;
    Counts counts;
    nlohmann::json detail;   // table matches and alignments, for debugging a score
};

DocScore score_document(const nlohmann::json& truth, const nlohmann::json& pred,
                        const ScoreOptions& opt = {});

// ----- building blocks, exposed for tests ------------------------------------

// Full-width ASCII (U+FF01..FF5E) → ASCII, ideographic space → space, then all
// white space removed. Other characters unchanged.
std::string normalise(std::string_view utf8);
std::u32string to_u32(std::string_view utf8);
std::size_t levenshtein(const std::u32string& a, const std::u32string& b);
// 1 − distance / longer length; 1 when both are empty.
double similarity(const std::u32string& a, const std::u32string& b);

// Monotone alignment of two sequences by dynamic programming: maximises the
// sum of sim[i][j] (+ a small bonus per pair so equal-length sequences with no
// signal align diagonally) with free gaps. Returns, for each i, the aligned j
// or -1.
std::vector<int> align(const std::vector<std::vector<double>>& sim);

}  // namespace fiscan::eval
