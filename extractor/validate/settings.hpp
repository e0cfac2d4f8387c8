// Thresholds and tolerances of the validation stage, loaded at run time from
// models/validate/settings.json (docs/validation.md). The defaults here are
// only used when the file is absent.
#pragma once

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace fiscan::validate {

struct ConfidenceRule {
    double base = 0.8, per_identity = 0.05, max = 0.97;
    double of(int n_identities) const;   // base + per_identity × (n − 1), capped at max
};

struct ValidateSettings {
    double exact_epsilon = 0.004;                // |difference| ≤ this: the identity holds
    std::map<std::string, double> rounding_per_item = {{"万元", 0.01}, {"千元", 0.01}, {"元", 0.01}, {"", 0.01}};
    double rounding_cap = 0.05;                  // drift above this is never rounding
    std::vector<std::string> rounding_kinds = {"sum", "row_sum", "hierarchy", "cross", "equal", "narrative"};

    // OCR correction
    bool correct = true;
    double correct_below = 0.9;                  // only OCR cells less confident than this are suspects
    std::vector<std::pair<std::string, std::string>> confusions = {{"1", "7"}, {"3", "8"}, {"0", "6"}, {"5", "6"}};
    std::map<std::string, int> min_identities = {{"alternative", 1}, {"engine", 1}, {"confusion", 1}, {"sign", 1},
                                                 {"decimal", 1}, {"dropped", 2}, {"extra", 2}, {"speck", 1},
                                                 {"tail", 1}};
    ConfidenceRule corrected{0.8, 0.05, 0.97};
    int max_passes = 6;
    // a reading of at most speck_max_digits digits below speck_below confidence
    // may be a speck in a blank slot: zero is one of its candidates
    double speck_below = 0.0;
    // two engines reading the same number, each at least this sure, make the
    // cell no suspect (0: agreement not used)
    double agree_min_confidence = 0.0;
    int speck_max_digits = 2;
    // an amount read without the decimals its column prints (its tail lost
    // under a tear or a blot's rim) is corrected to the amount an identity of
    // sure terms needs when that begins with every digit read, at least this
    // many (0: never)
    int tail_min_digits = 0;

    // recovery
    bool recover = true;
    double collapsed_below = 0.5;                // empty OCR text below this confidence = collapsed read
    int stained_number_digits = 4;               // an amount slot read as text holding this many digits in a row is unknown
    double recovery_min_term_confidence = 0.3;   // an OCR amount read below this does not determine another
    double table_closed_above = 0.0;             // a table ending above this share of its page height is complete
    std::vector<std::string> recovery_rounded_units = {"万元", "千元"};  // one long sum does not pin an item to the cent
    int recovery_rounded_max_terms = 3;          // … when it has more other non-zero amounts than this
    bool recovery_open_block_short = true;       // a block open at the table's end whose total exceeds its lines does not fail
    // a table whose unit line was not found is taken to be in the unit that
    // every other table of the document states (one unit per disclosure)
    bool recovery_unit_from_document = false;
    ConfidenceRule recovered{0.85, 0.05, 0.97};
    double recovered_text_confidence = 0.8;      // subject name from the lexicon
    double unrecoverable_confidence = 0.0;

    // an identity whose informative equations in a table (≥ min_nonzero cells
    // state a non-zero number) fail at least min_failing times and more often
    // than they hold neither corrects nor recovers in that table
    int trust_min_nonzero = 3;
    int trust_min_failing = 2;

    // narrative
    bool narrative = true;
    std::vector<std::string> narrative_skip_words = {"较上年", "比上年", "增加", "减少", "增长", "下降", "上年"};
    int narrative_max_gap = 6;                    // characters between a label and its figure
    std::vector<std::string> narrative_subject_tables = {"final.05"};  // where a narrated 类/款/项 is looked up first
    double label_min_confidence = 0.9;            // names compared across tables (label_mismatch)
    std::vector<std::string> narrative_label_after_words = {"说明"};  // a heading run into the sentence may precede a label
    std::string narrative_label_prefixes = "年度中的其为是计共括含:：,，、(（";  // may precede a label

    // "≥" identities (三公 ≥ basic-expense lines) are equalities when the unit
    // has no project spending: these references all blank or zero.
    std::vector<std::string> ge_equal_when_zero = {"final.05:合计/项目支出", "final.03:合计/项目支出"};

    // an OCR amount printed without the decimals its column prints lost its
    // tail (a tear, a blot's rim, a crop): its confidence is at most this
    // (1: no cap)
    double lost_tail_max_confidence = 1.0;

    // evidence → factor on the error probability (1 − confidence) before
    // calibration; the calibration file, when it has a curve for the cell's
    // class, replaces this heuristic.
    std::map<std::string, double> evidence_error_factor = {
        {"arith_ok", 0.5}, {"arith_fail", 1.5}, {"agree", 0.6}, {"disagree", 1.5}, {"lexicon", 0.7}};
};

ValidateSettings parse_settings(const nlohmann::json& j);
// models_dir/validate/settings.json; absent file → defaults (logged).
ValidateSettings load_settings(const std::string& models_dir);

}  // namespace fiscan::validate
