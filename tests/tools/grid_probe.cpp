// Developer probe of the layout stage alone (no recognition): for each PDF
// given, renders every page at 300 dpi, prepares it and detects its tables as
// the OCR route does, and prints one line per table: page, index, rows x
// cols and its merged cells (row,col rowspan x colspan). Comparing the output
// of two builds shows which grids a layout change touched, in a minute
// instead of a full extraction (docs/benchmarks.md, session 8).
// usage: grid_probe MODELS_DIR PDF...
// GRID_PROBE_RENDERS=DIR also writes each page as rendered (the pipeline's
// render, for layout fixtures) to DIR/<n>-p<page>.png and .jpg (quality 75).
#include "image/prepare.hpp"
#include "layout/grid.hpp"
#include "pdf/pdf_document.hpp"

#include <opencv2/imgcodecs.hpp>

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::cerr << "usage: grid_probe MODELS_DIR PDF...\n";
        return 2;
    }
    using namespace fiscan;
    const auto params = layout::Params::load(std::string(argv[1]) + "/layout.json");
    const int dpi = 300;
    bool failed = false;
    for (int a = 2; a < argc; ++a) {
        std::unique_ptr<pdf::PdfDocument> doc;
        try {
            doc = pdf::PdfDocument::open(pdf::read_pdf_bytes(argv[a]));
        } catch (const std::exception& e) {  // a missing or broken PDF: say so, probe the rest
            std::cerr << "grid_probe: " << argv[a] << ": " << e.what() << "\n";
            failed = true;
            continue;
        }
        for (int page = 1; page <= doc->page_count(); ++page) {
            const cv::Mat raw = doc->render_gray(page, dpi);
            if (const char* dir = std::getenv("GRID_PROBE_RENDERS"))
            {
                const std::string base = std::string(dir) + "/" + std::to_string(a - 1) + "-p" + std::to_string(page);
                cv::imwrite(base + ".png", raw);
                cv::imwrite(base + ".jpg", raw, {cv::IMWRITE_JPEG_QUALITY, 75});
            }
            const auto prep = image::prepare(raw, dpi);
            layout::LineMasks masks;
            auto grids = layout::detect_tables(layout::visible_ink(prep.ink, prep.occlusion), prep.line_ink, dpi, params, &masks);
            layout::split_occluded_merges(grids, prep.occlusion, dpi);
            for (size_t i = 0; i < grids.size(); ++i) {
                const auto& g = grids[i];
                std::cout << argv[a] << " p" << page << " t" << i << " " << g.n_rows() << "x" << g.n_cols() << " spans";
                for (const auto& c : g.cells)
                    if (c.row_span > 1 || c.col_span > 1)
                        std::cout << " (" << c.row << "," << c.col << ")" << c.row_span << "x" << c.col_span;
                int unruled = 0;
                for (const auto& c : g.cells) unruled += c.unruled;
                if (unruled) std::cout << " unruled " << unruled;
                std::cout << " cols";
                for (int x : g.cols) std::cout << " " << x;
                std::cout << "\n";
            }
        }
    }
    return failed ? 1 : 0;
}
