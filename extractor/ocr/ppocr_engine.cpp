#include "ocr/ppocr_engine.hpp"

#include "ocr/crop.hpp"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <type_traits>

namespace fiscan::ocr {
namespace {

std::string model_file(const PpocrConfig& cfg, int w) {
    std::string f = cfg.model_pattern;
    if (auto p = f.find("{W}"); p != std::string::npos) f.replace(p, 3, std::to_string(w));
    return cfg.dir + "/" + f;
}

// PP-OCR emits U+4E36 丶 for the enumeration comma 、 (U+3001).
std::string map_char(std::string s) {
    if (s == "丶") return "、";
    return s;
}

}  // namespace

PpocrConfig load_ppocr_config(const std::string& models_dir) {
    PpocrConfig c;
    c.dir = models_dir + "/ppocr";
    std::ifstream in(models_dir + "/ocr/ppocr.json");
    if (!in) return c;
    const auto j = nlohmann::json::parse(in, nullptr, true, true);
    auto get = [&](const char* k, auto& v) { if (j.contains(k)) v = j[k].get<std::decay_t<decltype(v)>>(); };
    std::string dir;
    get("dir", dir);
    if (!dir.empty()) c.dir = dir.front() == '/' ? dir : models_dir + "/" + dir;
    get("widths", c.widths);
    get("model_pattern", c.model_pattern);
    get("keys", c.keys);
    get("height", c.height);
    get("max_alternatives", c.max_alternatives);
    get("min_alternative_prob", c.min_alternative_prob);
    get("threads", c.threads);
    get("numeric_charset", c.numeric_charset);
    get("numeric_text_keep", c.numeric_text_keep);
    get("numeric_min_confidence", c.numeric_min_confidence);
    get("text_numeric_share", c.text_numeric_share);
    get("text_numeric_min_digits", c.text_numeric_min_digits);
    get("text_numeric_max_other_prob", c.text_numeric_max_other_prob);
    return c;
}

std::unique_ptr<PpocrEngine> PpocrEngine::create(const PpocrConfig& cfg, std::string* why) {
    auto fail = [&](std::string reason) -> std::unique_ptr<PpocrEngine> {
        if (why) *why = std::move(reason);
        return nullptr;
    };
    namespace fs = std::filesystem;
    const std::string keys_path = cfg.dir + "/" + cfg.keys;
    if (!fs::exists(keys_path)) return fail("PP-OCRv4 dictionary missing: " + keys_path + " (run scripts/fetch-models)");
    std::unique_ptr<PpocrEngine> e(new PpocrEngine());
    e->cfg_ = cfg;
    std::ifstream kin(keys_path);
    e->classes_.push_back("");  // CTC blank
    for (std::string line; std::getline(kin, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        e->classes_.push_back(line);
    }
    e->classes_.push_back(" ");  // use_space_char
    if (!cfg.numeric_charset.empty()) {
        e->numeric_ok_.assign(e->classes_.size(), false);
        for (size_t c = 1; c < e->classes_.size(); ++c) {
            const std::string ch = map_char(e->classes_[c]);
            e->numeric_ok_[c] = ch.size() == 1 && cfg.numeric_charset.find(ch[0]) != std::string::npos;
        }
    }
    std::vector<int> widths = cfg.widths;
    std::sort(widths.begin(), widths.end());
    for (int w : widths)
        if (fs::exists(model_file(cfg, w))) e->nets_.emplace_back(w, cv::dnn::Net());
    if (e->nets_.empty()) return fail("PP-OCRv4 models missing in " + cfg.dir + " (run scripts/fetch-models)");
    if (cfg.threads > 0) cv::setNumThreads(cfg.threads);
    // The narrowest bucket is loaded now: a model that does not load or
    // disagrees with the dictionary is found at start-up. The others are
    // loaded the first time a crop needs them (each costs a parse of
    // 40-70 ms, and many pages use two or three).
    std::string err;
    if (!e->load(e->nets_.front(), &err)) return fail(err);
    return e;
}

bool PpocrEngine::load(std::pair<int, cv::dnn::Net>& slot, std::string* err) {
    if (!slot.second.empty()) return true;
    const std::string f = model_file(cfg_, slot.first);
    try {
        cv::dnn::Net net = cv::dnn::readNetFromONNX(f);
        net.setPreferableBackend(cv::dnn::DNN_BACKEND_OPENCV);
        net.setPreferableTarget(cv::dnn::DNN_TARGET_CPU);
        // The class count is checked against the dictionary by shape
        // inference (about 1 ms), not by a forward of a blank input (0.1 s
        // for the narrowest bucket, 0.35 s for the widest: one wasted forward
        // per bucket and process). The first real forward allocates the layers.
        std::vector<cv::dnn::MatShape> in_shapes, out_shapes;
        const auto outs = net.getUnconnectedOutLayers();
        if (outs.size() == 1)
            net.getLayerShapes(cv::dnn::MatShape{1, 3, cfg_.height, slot.first}, outs.front(), in_shapes, out_shapes);
        const cv::dnn::MatShape out = out_shapes.size() == 1 ? out_shapes.front() : cv::dnn::MatShape{};
        if (out.size() != 3 || out[2] != static_cast<int>(classes_.size())) {
            if (err) *err = "PP-OCRv4 model " + f + " has " + std::to_string(out.size() == 3 ? out[2] : -1) +
                            " classes, dictionary " + std::to_string(classes_.size());
            return false;
        }
        slot.second = std::move(net);
        return true;
    } catch (const cv::Exception& ex) {
        if (err) *err = "PP-OCRv4 model " + f + " does not load: " + ex.what();
        return false;
    }
}

int PpocrEngine::bucket_for(const cv::Mat& gray) const {
    if (gray.empty()) return nets_.front().first;
    const int w = static_cast<int>(std::ceil(static_cast<double>(cfg_.height) * gray.cols / gray.rows));
    for (const auto& [bw, net] : nets_)
        if (w <= bw) return bw;
    return nets_.back().first;  // wider than every bucket: squeezed into the widest
}

Reading PpocrEngine::recognise(const Crop& crop) {
    // The model reads one line: a wrapped cell (a long subject name in a
    // narrow column) is read line by line and joined with "".
    // A table cell of kind text is also decoded over the numeric characters
    // (same forwards), and that reading is kept when the whole cell's free
    // reading is a number in dust: dust often makes a band of its own.
    const bool maybe_number = crop.table_cell && crop.kind != CellKind::Numeric;
    const auto bands = crop.gray.empty() ? std::vector<std::pair<int, int>>{} : text_line_bands(crop.gray, crop.dpi);
    Reading all, all_num;
    if (bands.size() < 2) {
        all = run(crop, bucket_for(crop.gray), maybe_number ? &all_num : nullptr);
    } else {
        all.engine = all_num.engine = name();
        all.confidence = all_num.confidence = 1.0;
        auto append = [](Reading& to, Reading& r, int y0) {
            for (auto& s : r.symbols) {
                s.bbox.y0 += y0;
                s.bbox.y1 += y0;
                to.symbols.push_back(std::move(s));
            }
            to.text += r.text;
        };
        for (size_t i = 0; i < bands.size(); ++i) {
            // Split half-way between lines so each piece keeps its margins.
            const int y0 = i == 0 ? 0 : (bands[i - 1].second + bands[i].first) / 2;
            const int y1 = i + 1 == bands.size() ? crop.gray.rows : (bands[i].second + bands[i + 1].first) / 2;
            Crop line{crop.gray.rowRange(y0, y1), crop.kind, crop.dpi};
            Reading num;
            Reading r = run(line, bucket_for(line.gray), maybe_number ? &num : nullptr);
            all.confidence = std::min(all.confidence, r.confidence);
            append(all, r, y0);
            // a band of dust reads no number: it does not make the number unsure
            if (!num.symbols.empty()) all_num.confidence = std::min(all_num.confidence, num.confidence);
            append(all_num, num, y0);
        }
        if (all.symbols.empty()) all.confidence = 0.0;
        if (all_num.symbols.empty()) all_num.confidence = 0.0;
    }
    if (!maybe_number || !number_in_dust(all)) return all;
    // Its confidence is at most 1 − the probability of the surest character
    // left out: dust at 0.1 costs little, a "T" at 0.55 before "1.79" may
    // have been a digit, and the number is then not sure.
    double dropped = 0.0;
    for (const auto& s : all.symbols)
        if (!(s.text.size() == 1 && cfg_.numeric_charset.find(s.text[0]) != std::string::npos))
            dropped = std::max(dropped, s.prob);
    all_num.confidence = std::min(all_num.confidence, 1.0 - dropped);
    return all_num;
}

Reading PpocrEngine::read_line(const cv::Mat& gray, int dpi) {
    Reading all;
    all.engine = name();
    if (gray.empty() || gray.rows < 2 || gray.cols < 2 || nets_.empty()) return all;
    const double scale = static_cast<double>(cfg_.height) / gray.rows;
    const int widest = static_cast<int>(nets_.back().first / scale);  // line px the widest net takes
    std::vector<int> cuts{0};
    if (gray.cols > widest) {
        // Ink per column; a cut goes to the emptiest column in the last
        // fifth before each piece would overflow.
        cv::Mat dark = gray < 128, col;
        cv::reduce(dark, col, 0, cv::REDUCE_SUM, CV_32S);
        int start = 0;
        while (gray.cols - start > widest) {
            const int hi = start + static_cast<int>(0.95 * widest), lo = start + static_cast<int>(0.75 * widest);
            int best = hi;
            for (int x = hi; x >= lo; --x)
                if (col.at<int>(0, x) < col.at<int>(0, best)) best = x;
            cuts.push_back(best);
            start = best;
        }
    }
    cuts.push_back(gray.cols);
    all.confidence = 1.0;
    for (size_t i = 0; i + 1 < cuts.size(); ++i) {
        Crop piece{gray.colRange(cuts[i], cuts[i + 1]), CellKind::Text, dpi};
        Reading r = run(piece, bucket_for(piece.gray));
        for (auto& s : r.symbols) {
            s.bbox.x0 += cuts[i];
            s.bbox.x1 += cuts[i];
            all.symbols.push_back(std::move(s));
        }
        all.text += r.text;
        all.confidence = std::min(all.confidence, r.confidence);
    }
    if (all.symbols.empty()) all.confidence = 0.0;
    return all;
}

std::vector<Reading> PpocrEngine::recognise_batch(const std::vector<Crop>& crops) {
    std::vector<Reading> out(crops.size());
    std::map<int, std::vector<size_t>> by_bucket;
    for (size_t i = 0; i < crops.size(); ++i) by_bucket[bucket_for(crops[i].gray)].push_back(i);
    for (const auto& entry : by_bucket)
        for (size_t i : entry.second) out[i] = recognise(crops[i]);
    return out;
}

bool PpocrEngine::number_in_dust(const Reading& free) const {
    if (free.symbols.empty() || cfg_.numeric_charset.empty()) return false;
    int numeric = 0, digits = 0;
    for (const auto& s : free.symbols) {
        const bool num = s.text.size() == 1 && cfg_.numeric_charset.find(s.text[0]) != std::string::npos;
        if (num) {
            ++numeric;
            digits += s.text[0] >= '0' && s.text[0] <= '9';
        } else if (s.prob >= cfg_.text_numeric_max_other_prob) {
            return false;  // a sure letter or glyph: text (2024年)
        }
    }
    return digits >= cfg_.text_numeric_min_digits &&
           numeric > cfg_.text_numeric_share * static_cast<double>(free.symbols.size());
}

Reading PpocrEngine::run(const Crop& crop, int bucket, Reading* as_number) {
    Reading r;
    r.engine = name();
    if (crop.gray.empty() || crop.gray.rows < 2 || crop.gray.cols < 2) return r;
    auto slot = std::find_if(nets_.begin(), nets_.end(), [&](const auto& n) { return n.first == bucket; });
    if (slot == nets_.end()) return r;
    if (std::string err; !load(*slot, &err)) {
        // The narrowest bucket loaded at start-up, so one always remains.
        spdlog::warn("ocr: {}; that width bucket is dropped", err);
        nets_.erase(slot);
        return r;
    }
    cv::dnn::Net* net = &slot->second;

    // PaddleOCR resize_norm_img: height H, aspect kept, (x/255-0.5)/0.5, right-pad with 0.
    cv::Mat gray;
    if (crop.gray.channels() == 1) gray = crop.gray;
    else cv::cvtColor(crop.gray, gray, cv::COLOR_BGR2GRAY);
    const int H = cfg_.height;
    const int rw = std::min(bucket, std::max(1, static_cast<int>(std::ceil(static_cast<double>(H) * gray.cols / gray.rows))));
    cv::Mat resized;
    cv::resize(gray, resized, {rw, H}, 0, 0, cv::INTER_LINEAR);
    cv::Mat norm;
    resized.convertTo(norm, CV_32F, 2.0 / 255.0, -1.0);
    const int dims[4] = {1, 3, H, bucket};
    cv::Mat blob(4, dims, CV_32F, cv::Scalar(0));
    for (int c = 0; c < 3; ++c) {  // gray → identical B, G, R planes
        cv::Mat plane(H, bucket, CV_32F, blob.ptr<float>(0, c));
        norm.copyTo(plane(cv::Rect(0, 0, rw, H)));
    }
    cv::Mat out;
    try {
        net->setInput(blob);
        out = net->forward();
    } catch (const cv::Exception&) {
        return r;
    }
    const int T = out.size[1], C = out.size[2];
    const double x_scale = static_cast<double>(gray.cols) / rw;  // model px → crop px
    const int stride = bucket / T;                               // 8 px per time step

    Reading free = decode(out, gray.size(), x_scale, stride, false);
    if (as_number) *as_number = free;
    if (static_cast<int>(numeric_ok_.size()) != C) return free;
    // A text cell: the numeric decoding too, for recognise() to choose
    // (a number with dust around it, in a cell whose ink shapes looked like
    // text: on a poor scan, grain and digits touching at 150 dpi make most
    // amounts look like text).
    if (crop.kind != CellKind::Numeric) {
        if (as_number) *as_number = decode(out, gray.size(), x_scale, stride, true);
        return free;
    }
    // A numeric cell is read over the numeric characters only — unless the
    // whole dictionary reads it as sure text without a digit (a header label
    // the kind vote took for a number: 项目).
    const bool sure_text = !free.text.empty() && free.confidence >= cfg_.numeric_text_keep &&
                           free.text.find_first_of("0123456789") == std::string::npos;
    return sure_text ? free : decode(out, gray.size(), x_scale, stride, true);
}

Reading PpocrEngine::decode(const cv::Mat& out, cv::Size crop, double x_scale, int stride, bool numeric) const {
    const int cols = crop.width;
    Reading r;
    r.engine = name();
    const int T = out.size[1], C = out.size[2];
    const float* p = out.ptr<float>(0);
    double min_prob = 1.0;
    int prev = 0;
    // numeric: the best class among the blank and the numeric characters
    auto allowed = [&](int c) { return !numeric || c == 0 || numeric_ok_[static_cast<size_t>(c)]; };
    for (int t = 0; t < T; ++t) {
        const float* row = p + static_cast<size_t>(t) * C;
        int best = static_cast<int>(std::max_element(row, row + C) - row);
        if (!allowed(best)) {
            // where the net saw something else, a numeric character only when
            // it is not a faint guess (dust, a ruling's remnant taken for 1)
            int alt = 0;
            for (int c = 1; c < C; ++c)
                if (numeric_ok_[static_cast<size_t>(c)] && row[c] > row[alt]) alt = c;
            best = alt != 0 && row[alt] >= cfg_.numeric_min_confidence ? alt : 0;
        }
        if (best != 0 && best == prev && !r.symbols.empty()) {  // a repeat: extend the symbol
            Symbol& s = r.symbols.back();
            s.prob = std::max(s.prob, static_cast<double>(row[best]));
            s.bbox.x1 = std::min(cols, static_cast<int>((t + 1) * stride * x_scale));
        } else if (best != 0 && best < static_cast<int>(classes_.size())) {
            Symbol s;
            s.text = map_char(classes_[best]);
            s.prob = row[best];
            s.bbox = {static_cast<int>(t * stride * x_scale), 0, std::min(cols, static_cast<int>((t + 1) * stride * x_scale)),
                      crop.height};
            // Alternatives: the next most probable non-blank classes at this step.
            std::vector<std::pair<float, int>> top;
            for (int c = 1; c < C; ++c)
                if (c != best && allowed(c) && row[c] >= cfg_.min_alternative_prob) top.emplace_back(row[c], c);
            std::sort(top.begin(), top.end(), std::greater<>());
            for (const auto& [pr, c] : top) {
                if (static_cast<int>(s.alternatives.size()) >= cfg_.max_alternatives) break;
                s.alternatives.push_back({map_char(classes_[c]), pr});
            }
            r.symbols.push_back(std::move(s));
        }
        prev = best;
    }
    for (const auto& s : r.symbols) {
        r.text += s.text;
        min_prob = std::min(min_prob, s.prob);
    }
    r.confidence = r.symbols.empty() ? 0.0 : min_prob;
    return r;
}

}  // namespace fiscan::ocr
