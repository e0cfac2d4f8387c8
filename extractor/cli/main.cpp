// fiscan: scanned budget / final-account disclosures → structured, checked data.
#include "cli/commands.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <opencv2/core.hpp>

#include <cstdio>
#include <cstdlib>
#include <malloc.h>
#include <exception>

int main(int argc, char** argv) {
    // fiscan parallelises over pages itself; Tesseract's OpenMP and OpenCV's
    // own pool on top of that only oversubscribe the cores. OpenMP read its
    // environment when it was loaded, so in this process the OCR engines turn
    // its teams off per thread (ocr::single_thread_openmp); the variable is
    // for the worker processes the service starts.
    setenv("OMP_THREAD_LIMIT", "1", 0);
    cv::setNumThreads(1);
    // Fixed malloc thresholds (glibc's adaptive ones let a 8-page scan peak
    // at 580 MB, docs/benchmarks.md). Blocks under 16 MB (page images and
    // masks: 9 MB at 300 dpi, 2.2 MB at 150) come from the heap, and the
    // heap keeps up to 64 MB free at its top, so each page reuses the last
    // page's memory instead of mapping it anew and faulting in zeroed pages
    // (a 1 MB threshold cost 0.5 s of system time per scanned page and 17%
    // of a text-layer page).
    mallopt(M_MMAP_THRESHOLD, 16 << 20);
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    CLI::App app{"fiscan — extract checked tables from Chinese budget and final-account PDFs"};
    app.set_version_flag("--version", FISCAN_VERSION);
    app.require_subcommand(1);
    std::string log_level = "warn";
    app.add_option("--log-level", log_level, "trace|debug|info|warn|error|off")
        ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));
    fiscan::cli::Runner run;
    fiscan::cli::register_extract(app, run);
    fiscan::cli::register_eval(app, run);
    fiscan::cli::register_batch(app, run);
    fiscan::cli::register_serve(app, run);
    fiscan::cli::register_validate(app, run);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    }
    // Logs go to standard error: standard output may carry the JSON.
    spdlog::set_default_logger(spdlog::stderr_color_mt("fiscan"));
    spdlog::set_level(spdlog::level::from_str(log_level));
    spdlog::set_pattern("fiscan: %l: %v");
    try {
        return run ? run() : 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fiscan: error: %s\n", e.what());
        return 1;
    }
}
