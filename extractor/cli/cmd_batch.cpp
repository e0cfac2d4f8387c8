// fiscan batch DIR|LIST|PDF... -o OUTDIR [--threads N] [--format json,csv,xlsx]
#include "cli/commands.hpp"
#include "service/batch.hpp"

#include <cstdio>
#include <memory>
#include <unistd.h>

namespace fiscan::cli {

namespace {

struct BatchArgs {
    std::vector<std::string> inputs;
    std::string out_dir, format = "json", method;
    int dpi = 300, threads = 0;
    double interval = 10.0;
    bool quiet = false;
};

}  // namespace

void register_batch(CLI::App& app, Runner& run) {
    auto args = std::make_shared<BatchArgs>();
    auto* cmd = app.add_subcommand("batch", "extract many PDFs into a folder (resumable; skips complete outputs)");
    cmd->add_option("inputs", args->inputs, "folders (searched for *.pdf), list files (one path per line) or PDFs")->required();
    cmd->add_option("-o,--output", args->out_dir, "output folder (OUT/<name>.json, .xlsx, .csv/, manifest.json)")->required();
    cmd->add_option("--threads", args->threads, "page threads per document (default: all cores)")->check(CLI::NonNegativeNumber);
    cmd->add_option("--format", args->format, "outputs: json,csv,xlsx (json is always written)");
    cmd->add_option("--dpi", args->dpi, "raster resolution")->check(CLI::Range(50, 1200));
    cmd->add_option("--method", args->method, "force a method for every page: ocr | text-layer")
        ->check(CLI::IsMember({"ocr", "text-layer"}));
    cmd->add_option("--progress-interval", args->interval, "seconds between progress lines when not on a terminal");
    cmd->add_flag("-q,--quiet", args->quiet, "no progress, only the summary");
    cmd->callback([args, &run] {
        run = [args] {
            service::BatchOptions o;
            try {
                o.formats = service::parse_formats(args->format);
            } catch (const InputError& e) {
                std::fprintf(stderr, "fiscan: %s\n", e.what());
                return 2;
            }
            o.inputs = args->inputs;
            o.out_dir = args->out_dir;
            o.extract.dpi = args->dpi;
            o.extract.threads = args->threads;
            o.extract.force_method = args->method;
            o.progress = args->quiet ? nullptr : stderr;
            o.terminal = isatty(fileno(stderr));
            o.interval_s = args->interval;
            service::BatchSummary s;
            try {
                s = service::run_batch(o);
            } catch (const InputError& e) {
                std::fprintf(stderr, "fiscan: %s\n", e.what());
                return 2;
            }
            std::fprintf(stderr, "%s", service::summary_text(s).c_str());
            std::fprintf(stderr, "manifest: %s/manifest.json\n", o.out_dir.c_str());
            return s.failed ? 1 : 0;
        };
    });
}

}  // namespace fiscan::cli
