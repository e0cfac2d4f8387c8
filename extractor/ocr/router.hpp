// Routing cell crops to the recognisers.
// Takes: cleaned cell crops (ocr/crop.hpp) with their expected kind.
// Gives: for each crop, every reading made, best first (later stages use
//        agreement between engines as evidence); empty crops get one Reading
//        with empty text and engine "empty", a lone dash one with engine "shape-dash".
// Policies (models/ocr/routing.json):
//   tesseract-only  numbers → eng+whitelist, text → chi_sim;
//   cascade         Tesseract first, PP-OCR when Tesseract's confidence is
//                   under the threshold or a number fails the format check;
//   ppocr-first     PP-OCR first, Tesseract as a second opinion under the
//                   threshold or on a format failure.
// Without the PP-OCR model every policy runs as tesseract-only (policy()
// says so). One CellReader per worker thread: the engines are not thread-safe.
#pragma once

#include "ocr/crop.hpp"
#include "ocr/ppocr_engine.hpp"
#include "ocr/tesseract_engine.hpp"

#include <map>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace fiscan::ocr {

struct RoutingConfig {
    std::string policy = "cascade";
    double numeric_tesseract_min = 0.90;
    double numeric_ppocr_min = 0.90;
    // Both engines read a number, different ones: Tesseract's leads when its
    // confidence is higher than PP-OCR's by at least this (poor scans:
    // PP-OCR 170.37 at 0.27, Tesseract 170.57 at 0.85). Above 1: never.
    double numeric_tesseract_lead_margin = 0.15;
    double text_tesseract_min = 0.90;
    double text_ppocr_min = 0.90;
    std::vector<std::string> numeric_formats{R"(^-?\(?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\)?%?$)", "^[-—–]$"};
    double dash_confidence = 0.95;
    // A second PP-OCR view of a number: the crop smoothed with a Gaussian of
    // this sigma (mm on the page; 0: off). On grainy 150-dpi scans the net
    // reads the smoothed crop better about as often as the crop as it is
    // (docs/ocr.md, session 7); the two views are weighed, not trusted.
    double smooth_view_sigma_mm = 0.0;
    // Column context (crops with Crop::column set): a column whose body cells
    // read at least `column_min_numbers` numbers, and numbers at least
    // `column_number_share` of its non-empty body cells, holds numbers: its
    // other body cells are read as numbers too. Its decimals: the count of
    // decimals at least `column_decimals_share` of its numbers, and at least
    // `column_decimals_min_numbers` numbers, have.
    int column_min_numbers = 2;
    double column_number_share = 0.6;
    int column_decimals_min_numbers = 3;
    double column_decimals_share = 0.8;
    // A cell read as nothing (fewer than 2 characters that are not
    // punctuation, or under this confidence) whose crop's text core is a
    // small part of it: the core is read as a number, which leads when
    // PP-OCR reads it at failed_text_min_number_confidence or more.
    double failed_text_max_confidence = 0.2;
    double failed_text_min_number_confidence = 0.5;
};

RoutingConfig load_routing_config(const std::string& models_dir);

struct RoutingStats {
    long crops = 0, empty = 0, dash = 0, tesseract_calls = 0, ppocr_calls = 0;
    long text_read_as_number = 0;  // text cells PP-OCR read as a number, read as one by Tesseract too
    long column_numbers = 0;       // text cells of a column of numbers read as a number
    long smooth_views = 0, smooth_kept = 0;  // second (smoothed) PP-OCR forwards made / chosen over the first
    long smooth_skipped = 0;                 // second views not made: a sure first view Tesseract agrees with
    long column_decimals = 0;      // readings put first for having their column's decimals
    long core_rereads = 0, core_numbers = 0;  // failed cells re-read on their text core / read as a number there
};

class CellReader {
public:
    CellReader(std::unique_ptr<TesseractEngine> tesseract, std::unique_ptr<PpocrEngine> ppocr,
               RoutingConfig cfg, CropOptions crop_opt, std::string ppocr_missing_reason = {});

    // Readings per crop, best first; never an empty vector.
    std::vector<std::vector<Reading>> read(const std::vector<Crop>& crops);
    std::vector<Reading> read(const Crop& crop);

    const std::string& policy() const { return policy_; }             // in use
    const std::string& requested_policy() const { return cfg_.policy; }
    bool has_ppocr() const { return ppocr_ != nullptr; }
    const std::string& ppocr_missing_reason() const { return ppocr_missing_; }
    const RoutingStats& stats() const { return stats_; }
    TesseractEngine& tesseract() { return *tess_; }
    PpocrEngine* ppocr() { return ppocr_.get(); }  // nullptr without the model

    // Does `text` (spaces ignored) look like a printed amount / code / dash?
    bool number_format_ok(const std::string& text) const;
    void tidy_number(Reading& r) const;
    // A text cell of dots only ("...", "..·", "·......") is the ellipsis
    // "…" of a template row that the recognisers read as full stops: one
    // "…" per three dots, at least one. Readings with anything else stay.
    static void tidy_ellipsis(Reading& r);

private:
    bool needs_second(const Crop& crop, const Reading& first, bool first_is_ppocr) const;
    std::vector<Reading> rank(const Crop& crop, Reading first, Reading second) const;
    bool tesseract_number_leads(const Reading& pp, const Reading& ts) const;
    Reading tesseract_read(const Crop& crop);
    bool is_number(const Reading& r) const;
    // The column passes (Crop::column): text cells of number columns read as
    // numbers, the smoothed second view, the column's decimals.
    void settle_numbers(const std::vector<Crop>& crops, std::vector<std::vector<Reading>>& out);
    std::map<int, int> column_decimals(const std::vector<Crop>& crops, const std::vector<std::vector<Reading>>& out) const;

    std::unique_ptr<TesseractEngine> tess_;
    std::unique_ptr<PpocrEngine> ppocr_;
    RoutingConfig cfg_;
    CropOptions crop_opt_;
    std::string ppocr_missing_;
    std::string policy_;
    std::vector<std::regex> formats_;
    RoutingStats stats_;
};

// Builds a reader from <models_dir>/ocr/*.json and <models_dir>/ppocr/.
// `policy` overrides routing.json when not empty. Throws std::runtime_error
// when Tesseract cannot start (no tessdata); a missing PP-OCR model is not an
// error: it is logged once per process and the policy falls back.
std::unique_ptr<CellReader> make_cell_reader(const std::string& models_dir, const std::string& policy = {});

}  // namespace fiscan::ocr
