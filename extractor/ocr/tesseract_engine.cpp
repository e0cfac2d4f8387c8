#include "ocr/tesseract_engine.hpp"

#include "ocr/crop.hpp"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <tesseract/baseapi.h>
#include <tesseract/resultiterator.h>

#include <omp.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <regex>
#include <stdexcept>
#include <type_traits>

namespace fiscan::ocr {
namespace {

constexpr const char* kDebianTessdata = "/usr/share/tesseract-ocr/5/tessdata";

std::unique_ptr<tesseract::TessBaseAPI> make_api(const std::string& tessdata, const std::string& lang,
                                                 const TesseractConfig& cfg) {
    auto api = std::make_unique<tesseract::TessBaseAPI>();
    // Silence "Estimating resolution" / "Empty page" chatter on stderr.
    api->SetVariable("debug_file", "/dev/null");
    if (api->Init(tessdata.c_str(), lang.c_str(), tesseract::OEM_LSTM_ONLY) != 0)
        throw std::runtime_error("tesseract: cannot load language '" + lang + "' from " + tessdata);
    if (cfg.choices) api->SetVariable("lstm_choice_mode", "2");
    return api;
}

// Decodes one UTF-8 code point at s[i], advancing i.
char32_t next_cp(std::string_view s, size_t& i) {
    const auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += n;
    return cp;
}

bool is_cjk(char32_t cp) {
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x2FFFF);
}

std::string take(char* p) {
    if (!p) return {};
    std::string s(p);
    delete[] p;
    return s;
}

std::string trim(std::string s) {
    const auto b = s.find_first_not_of(" \t\n\r");
    if (b == std::string::npos) return {};
    const auto e = s.find_last_not_of(" \t\n\r");
    return s.substr(b, e - b + 1);
}

cv::Mat gray8_continuous(const cv::Mat& m) {
    cv::Mat g;
    if (m.channels() == 3) cv::cvtColor(m, g, cv::COLOR_BGR2GRAY);
    else if (m.channels() == 4) cv::cvtColor(m, g, cv::COLOR_BGRA2GRAY);
    else g = m;
    if (g.depth() != CV_8U) g.convertTo(g, CV_8U);
    return g.isContinuous() ? g : g.clone();
}

}  // namespace

void single_thread_openmp() {
    // Inactive parallel regions for this thread only: Tesseract's
    // `omp parallel num_threads(4)` then runs on the calling thread instead of
    // waking (and spin-waiting on) a team per line, which cost about a
    // quarter of the CPU time of a scanned page with pages already in parallel.
    if (omp_get_max_active_levels() != 0) omp_set_max_active_levels(0);
}

std::string strip_cjk_spaces(std::string_view s) {
    std::vector<char32_t> cps;
    std::vector<std::pair<size_t, size_t>> spans;
    for (size_t i = 0; i < s.size();) {
        const size_t b = i;
        cps.push_back(next_cp(s, i));
        spans.emplace_back(b, i - b);
    }
    std::string out;
    out.reserve(s.size());
    for (size_t k = 0; k < cps.size(); ++k) {
        if (cps[k] == U' ') {
            // Look past a run of spaces to the neighbours.
            size_t l = k, r = k;
            while (r < cps.size() && cps[r] == U' ') ++r;
            const bool left_cjk = l > 0 && is_cjk(cps[l - 1]);
            const bool right_cjk = r < cps.size() && is_cjk(cps[r]);
            if (!left_cjk && !right_cjk) out += ' ';
            k = r - 1;
            continue;
        }
        out.append(s.substr(spans[k].first, spans[k].second));
    }
    return out;
}

TesseractConfig load_tesseract_config(const std::string& models_dir) {
    TesseractConfig c;
    std::ifstream in(models_dir + "/ocr/tesseract.json");
    if (!in) return c;
    const auto j = nlohmann::json::parse(in, nullptr, true, true);
    auto get = [](const nlohmann::json& o, const char* k, auto& v) {
        if (o.contains(k)) v = o[k].get<std::decay_t<decltype(v)>>();
    };
    get(j, "tessdata", c.tessdata);
    get(j, "max_alternatives", c.max_alternatives);
    get(j, "lstm_choices", c.choices);
    if (j.contains("numeric")) {
        get(j["numeric"], "lang", c.numeric_lang);
        get(j["numeric"], "whitelist", c.numeric_whitelist);
    }
    if (j.contains("text")) get(j["text"], "lang", c.text_lang);
    get(j, "line_psm", c.line_psm);
    get(j, "multiline_psm", c.multiline_psm);
    if (j.contains("page")) {
        get(j["page"], "lang", c.page_lang);
        get(j["page"], "psm", c.page_psm);
    }
    if (j.contains("osd")) {
        get(j["osd"], "min_characters", c.osd_min_characters);
    }
    return c;
}

std::string resolve_tessdata(const TesseractConfig& cfg) {
    if (!cfg.tessdata.empty()) return cfg.tessdata;
    if (const char* env = std::getenv("TESSDATA_PREFIX"); env && *env) return env;
    return kDebianTessdata;
}

TesseractEngine::TesseractEngine(TesseractConfig cfg) : cfg_(std::move(cfg)) {
    numeric_api();  // fail early (and pay the load once) rather than on the first cell
}

TesseractEngine::~TesseractEngine() {
    if (numeric_) numeric_->End();
    if (text_) text_->End();
}

tesseract::TessBaseAPI& TesseractEngine::numeric_api() {
    if (!numeric_) {
        numeric_ = make_api(resolve_tessdata(cfg_), cfg_.numeric_lang, cfg_);
        numeric_->SetVariable("tessedit_char_whitelist", cfg_.numeric_whitelist.c_str());
    }
    return *numeric_;
}

tesseract::TessBaseAPI& TesseractEngine::text_api() {
    if (!text_) text_ = make_api(resolve_tessdata(cfg_), cfg_.text_lang, cfg_);
    return *text_;
}

Reading TesseractEngine::read_numeric(const Crop& crop) {
    return run(numeric_api(), crop, "tesseract-" + cfg_.numeric_lang + "-digits");
}

Reading TesseractEngine::read_text(const Crop& crop) {
    return run(text_api(), crop, "tesseract-" + cfg_.text_lang);
}

Reading TesseractEngine::recognise(const Crop& crop) {
    if (crop.kind == CellKind::Numeric) return read_numeric(crop);
    Reading r = read_text(crop);
    if (crop.kind == CellKind::Unknown) {
        static const std::regex numberish(R"(^[-\d.,()%\s]*\d[-\d.,()%\s]*$)");
        if (std::regex_match(r.text, numberish)) return read_numeric(crop);
    }
    return r;
}

Reading TesseractEngine::run(tesseract::TessBaseAPI& api, const Crop& crop, const std::string& engine) {
    Reading out;
    out.engine = engine;
    if (crop.gray.empty() || crop.gray.rows < 4 || crop.gray.cols < 4) return out;
    single_thread_openmp();
    const cv::Mat img = gray8_continuous(crop.gray);
    const bool multi = count_text_lines(img, crop.dpi) >= 2;
    api.SetPageSegMode(static_cast<tesseract::PageSegMode>(multi ? cfg_.multiline_psm : cfg_.line_psm));
    api.SetImage(img.data, img.cols, img.rows, 1, static_cast<int>(img.step));
    api.SetSourceResolution(crop.dpi);
    if (api.Recognize(nullptr) != 0) {
        api.Clear();
        return out;
    }
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    std::string text;
    if (it && !it->Empty(tesseract::RIL_SYMBOL)) {
        do {
            if (it->IsAtBeginningOf(tesseract::RIL_WORD) && !text.empty() &&
                !it->IsAtBeginningOf(tesseract::RIL_TEXTLINE))
                text += ' ';
            Symbol sym;
            sym.text = take(it->GetUTF8Text(tesseract::RIL_SYMBOL));
            if (sym.text.empty()) continue;
            sym.prob = std::clamp(it->Confidence(tesseract::RIL_SYMBOL) / 100.0, 0.0, 1.0);
            int x0, y0, x1, y1;
            if (it->BoundingBox(tesseract::RIL_SYMBOL, &x0, &y0, &x1, &y1)) sym.bbox = {x0, y0, x1, y1};
            if (cfg_.choices) {
                tesseract::ChoiceIterator ci(*it);
                do {
                    const char* t = ci.GetUTF8Text();
                    if (!t || sym.text == t) continue;
                    if (static_cast<int>(sym.alternatives.size()) >= cfg_.max_alternatives) break;
                    sym.alternatives.push_back({t, std::clamp(ci.Confidence() / 100.0, 0.0, 1.0)});
                } while (ci.Next());
            }
            text += sym.text;
            out.symbols.push_back(std::move(sym));
        } while (it->Next(tesseract::RIL_SYMBOL));
    }
    out.text = strip_cjk_spaces(trim(text));
    out.confidence = out.symbols.empty() ? 0.0 : std::clamp(api.MeanTextConf() / 100.0, 0.0, 1.0);
    api.Clear();
    return out;
}

TesseractPageReader::TesseractPageReader(TesseractConfig cfg, tesseract::TessBaseAPI* shared) : cfg_(std::move(cfg)) {
    if (shared) {
        api_ = shared;
        return;
    }
    TesseractConfig c = cfg_;
    c.choices = false;
    own_ = make_api(resolve_tessdata(c), c.page_lang, c);
    api_ = own_.get();
}

TesseractPageReader::~TesseractPageReader() {
    if (own_) own_->End();
}

std::vector<TextLine> TesseractPageReader::read_lines(const cv::Mat& gray, int dpi) {
    std::vector<TextLine> lines;
    if (gray.empty()) return lines;
    single_thread_openmp();
    const cv::Mat img = gray8_continuous(gray);
    api_->SetPageSegMode(static_cast<tesseract::PageSegMode>(cfg_.page_psm));
    // A shared cell API computes per-glyph choices; page lines need none.
    if (!own_ && cfg_.choices) api_->SetVariable("lstm_choice_mode", "0");
    api_->SetImage(img.data, img.cols, img.rows, 1, static_cast<int>(img.step));
    api_->SetSourceResolution(dpi);
    if (api_->Recognize(nullptr) == 0) {
        std::unique_ptr<tesseract::ResultIterator> it(api_->GetIterator());
        if (it && !it->Empty(tesseract::RIL_TEXTLINE)) {
            do {
                TextLine line;
                line.text = strip_cjk_spaces(trim(take(it->GetUTF8Text(tesseract::RIL_TEXTLINE))));
                if (line.text.empty()) continue;
                int x0, y0, x1, y1;
                if (it->BoundingBox(tesseract::RIL_TEXTLINE, &x0, &y0, &x1, &y1)) line.bbox = {x0, y0, x1, y1};
                line.confidence = std::clamp(it->Confidence(tesseract::RIL_TEXTLINE) / 100.0, 0.0, 1.0);
                lines.push_back(std::move(line));
            } while (it->Next(tesseract::RIL_TEXTLINE));
        }
    }
    api_->Clear();
    if (!own_ && cfg_.choices) api_->SetVariable("lstm_choice_mode", "2");
    return lines;
}

}  // namespace fiscan::ocr
