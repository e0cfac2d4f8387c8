// The pipeline: pdf → image → layout → ocr → schema → validate, one way.
// Takes: a PDF path and Options. Gives: a Document (the contract's content),
// ready for output/ to serialise. Pages run in parallel on a pool of workers,
// each owning its OCR engines (created once per thread); the result does not
// depend on the number of threads.
#pragma once

#include "core/types.hpp"

#include <functional>
#include <optional>
#include <stdexcept>
#include <string>

namespace fiscan {

namespace schema { struct SchemaSet; }

struct Options {
    int dpi = 300;                    // raster resolution for OCR pages and for coordinates
    int first_page = 1, last_page = 0;  // 1-based inclusive; last_page 0 = to the end
    int threads = 0;                  // 0 = all cores
    std::string debug_dir;            // per-page images with grid and cells drawn, "" = off
    std::string force_method;         // "" (auto) | "ocr" | "text-layer"
    std::string models_dir;           // models/ (lexicons, OCR configs, calibration)
    std::string layouts_dir;          // layouts/ (table schemas)
    long max_page_pixels = 120'000'000;  // refuse to render pages larger than this
    int max_pages = 2000;
};

// Progress of one document: pages done of pages to do.
using ProgressFn = std::function<void(int done, int total)>;

// The input is not a readable PDF (or parameters are wrong): one-line reason.
struct InputError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

Document extract(const std::string& pdf_path, const Options& opt, const ProgressFn& progress = {});

// Locations of the project's data folders: $FISCAN_HOME, else the source tree
// the binary was built from, else the current directory.
std::string default_models_dir();
std::string default_layouts_dir();

// Tables mapped to a regional layout report the catalogue id it stands for
// (schema) and the layout used (schema_variant). Last step of extract().
void report_catalogue_ids(Document& doc, const schema::SchemaSet& schemas);

}  // namespace fiscan
