// Tesseract (Debian libtesseract 5.3, LSTM) behind the Recogniser interface.
// Takes: cleaned cell crops (ocr/crop.hpp) or a page region of running text.
// Gives: Readings with per-symbol probabilities and LSTM alternatives; lines
//        with boxes for page text.
// Numbers go through `eng` with a digit whitelist, never chi_sim (chi_sim
// reads 5 as D and 1 as 工); Chinese text through chi_sim. One engine per
// thread: a TessBaseAPI is not thread-safe, and creating one costs ~100 ms,
// so engines are created once and reused.
#pragma once

#include "ocr/recogniser.hpp"

#include <memory>
#include <string>
#include <string_view>

namespace tesseract {
class TessBaseAPI;
}

namespace fiscan::ocr {

struct TesseractConfig {
    std::string tessdata;  // "" → $TESSDATA_PREFIX, else the Debian default
    std::string numeric_lang = "eng";
    std::string numeric_whitelist = "0123456789.,-()%";
    std::string text_lang = "chi_sim";
    int line_psm = 7;       // single line
    int multiline_psm = 6;  // uniform block, for crops holding 2+ lines
    std::string page_lang = "chi_sim";
    // Orientation detection (osd): blobs classified before deciding 0°/180°;
    // Tesseract's default is 50 (and up to 5× that); see docs/ocr.md.
    int osd_min_characters = 25;
    int page_psm = 4;       // single column of text of variable sizes
    int max_alternatives = 4;
    bool choices = true;    // lstm_choice_mode=2: per-symbol LSTM alternatives
};

// Reads <models_dir>/ocr/tesseract.json if present (missing keys keep defaults).
TesseractConfig load_tesseract_config(const std::string& models_dir);

// The tessdata directory that `cfg` resolves to.
std::string resolve_tessdata(const TesseractConfig& cfg);

// Makes Tesseract's OpenMP regions run on the calling thread only (per-thread
// setting; call before each use, it is cheap). Pages are the unit of parallelism.
void single_thread_openmp();

class TesseractEngine : public Recogniser {
public:
    // Throws std::runtime_error when a language cannot be loaded.
    explicit TesseractEngine(TesseractConfig cfg = {});
    ~TesseractEngine() override;
    TesseractEngine(const TesseractEngine&) = delete;
    TesseractEngine& operator=(const TesseractEngine&) = delete;

    std::string name() const override { return "tesseract"; }
    // Numeric → eng+whitelist; Text → chi_sim; Unknown → chi_sim, re-read
    // with eng+whitelist when chi_sim saw only digits and punctuation.
    Reading recognise(const Crop& crop) override;

    Reading read_numeric(const Crop& crop);
    Reading read_text(const Crop& crop);
    // The text-language API, for a page reader of the same thread to share
    // (a second chi_sim instance costs about 40 MB per worker).
    tesseract::TessBaseAPI& text_api_to_share() { return text_api(); }

private:
    tesseract::TessBaseAPI& numeric_api();
    tesseract::TessBaseAPI& text_api();
    Reading run(tesseract::TessBaseAPI& api, const Crop& crop, const std::string& engine);

    TesseractConfig cfg_;
    std::unique_ptr<tesseract::TessBaseAPI> numeric_, text_;
};

// Running text outside tables (the caller blanks the table regions).
class TesseractPageReader : public PageTextReader {
public:
    // `shared`: an initialised API of cfg.page_lang owned by the caller (the
    // thread's TesseractEngine), used instead of loading another one.
    explicit TesseractPageReader(TesseractConfig cfg = {}, tesseract::TessBaseAPI* shared = nullptr);
    ~TesseractPageReader() override;
    TesseractPageReader(const TesseractPageReader&) = delete;
    TesseractPageReader& operator=(const TesseractPageReader&) = delete;

    // Lines in reading order, boxes in `gray` pixels, CJK inter-glyph spaces removed.
    std::vector<TextLine> read_lines(const cv::Mat& gray, int dpi) override;

private:
    TesseractConfig cfg_;
    std::unique_ptr<tesseract::TessBaseAPI> own_;
    tesseract::TessBaseAPI* api_ = nullptr;
};

// chi_sim puts a space between every two glyphs; drops spaces that have a
// CJK character (or full-width punctuation) on either side.
std::string strip_cjk_spaces(std::string_view s);

}  // namespace fiscan::ocr
