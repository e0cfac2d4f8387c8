// orientation_probe: the 0°/180° vote (ocr/orientation.hpp) on every page of
// scanned PDFs, each page judged as scanned and turned by 180°, so that both
// answers are checked. Prints one line per decision and a summary. The truth
// is the scan simulator's: FILE.truth.json beside FILE.pdf, scan.rotation[i]
// (degrees the content was turned, counter-clockwise); a page is right when
// rotation + 90 × prepare()'s quarter turns + the vote's degrees ≡ 0 (mod 360).
// Without a truth file the page as scanned is taken to be upright.
//   build/orientation_probe [--models DIR] [--dpi N] FILE.pdf ...
// Used for docs/benchmarks.md (session 4); not part of the fiscan binary.
#include "image/prepare.hpp"
#include "layout/grid.hpp"
#include "ocr/orientation.hpp"
#include "ocr/ppocr_engine.hpp"
#include "pdf/pdf_document.hpp"

#include <nlohmann/json.hpp>
#include <opencv2/core/utility.hpp>
#include <opencv2/imgproc.hpp>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace fiscan;

static double cpu_ms() {
    timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

int main(int argc, char** argv) {
    cv::setNumThreads(1);
    std::string models = FISCAN_SOURCE_DIR "/models";
    int dpi = 300;
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--models" && i + 1 < argc) models = argv[++i];
        else if (a == "--dpi" && i + 1 < argc) dpi = std::stoi(argv[++i]);
        else files.push_back(a);
    }
    if (files.empty()) {
        std::fprintf(stderr, "usage: orientation_probe [--models DIR] [--dpi N] FILE.pdf ...\n");
        return 2;
    }
    const auto cfg = ocr::load_orientation_config(models);
    std::string why;
    auto pp = ocr::PpocrEngine::create(ocr::load_ppocr_config(models), &why);
    if (!pp) {
        std::fprintf(stderr, "orientation_probe: %s\n", why.c_str());
        return 1;
    }
    int pages = 0, right = 0, decisions = 0, wrong_upright = 0;
    double ms = 0;
    int votes = 0;
    for (const auto& f : files) {
        auto doc = pdf::PdfDocument::open(pdf::read_pdf_bytes(f));
        std::vector<int> rotation;
        std::string truth = f.substr(0, f.size() - 4) + ".truth.json";
        if (f.size() > 4 && std::filesystem::exists(truth)) {
            std::ifstream in(truth);
            auto j = nlohmann::json::parse(in);
            if (j.contains("scan") && j["scan"].contains("rotation")) rotation = j["scan"]["rotation"].get<std::vector<int>>();
        }
        for (int p = 1; p <= doc->page_count(); ++p) {
            cv::Mat raw = doc->render_gray(p, dpi);
            const int scanned_rot = p - 1 < static_cast<int>(rotation.size()) ? rotation[p - 1] : 0;
            for (int flip = 0; flip < 2; ++flip) {
                cv::Mat g = raw;
                if (flip) cv::rotate(raw, g, cv::ROTATE_180);
                auto prep = image::prepare(g, dpi);
                layout::LineMasks m;
                (void)layout::detect_tables(prep.ink, prep.line_ink, dpi, {}, &m);
                cv::Mat text = prep.ink.clone();
                text.setTo(0, m.horizontal);
                text.setTo(0, m.vertical);
                auto samples = ocr::text_line_samples(text, dpi, cfg.vote);
                const double c0 = cpu_ms();
                auto v = ocr::vote_orientation(*pp, prep.gray, samples, dpi, cfg.vote);
                ms += cpu_ms() - c0;
                ++votes;
                const bool ok = (scanned_rot + 180 * flip + 90 * prep.quarter_turns + v.degrees) % 360 == 0;
                ++decisions;
                if (ok) ++right;
                else if (v.degrees == 0) ++wrong_upright;
                std::printf("%s p%d %s quarter_turns=%d samples=%d upright=%.3f turned=%.3f -> %d %s\n", f.c_str(), p,
                            flip ? "turned" : "scanned", prep.quarter_turns, v.samples, v.upright, v.turned, v.degrees,
                            ok ? "right" : "WRONG");
            }
            ++pages;
        }
    }
    std::printf("pages %d, decisions %d (each page as scanned and turned): %d right (%.1f%%), %d left upside down; "
                "vote %.0f ms CPU on average (PP-OCR reads only)\n",
                pages, decisions, right, 100.0 * right / std::max(1, decisions), wrong_upright, ms / std::max(1, votes));
    return 0;
}
