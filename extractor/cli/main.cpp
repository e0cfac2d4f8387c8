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
    // Page images and their masks (9 MB each at 300 dpi) are mapped and
    // returned to the system when freed instead of staying in malloc's heap:
    // a 8-page scan peaked at 580 MB with glibc's adaptive threshold, 512 MB
    // with this.
    mallopt(M_MMAP_THRESHOLD, 1 << 20);
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
