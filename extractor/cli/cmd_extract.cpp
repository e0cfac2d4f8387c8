// fiscan extract IN.pdf [-o OUT.json] [--dpi N] [--pages 3-7] [--threads N] [--debug-dir DIR]
#include "cli/commands.hpp"
#include "output/json_writer.hpp"
#include "pipeline/pipeline.hpp"
#include "service/exports.hpp"

#include <cstdio>
#include <iostream>
#include <memory>
#include <regex>
#include <unistd.h>

namespace fiscan::cli {

namespace {

struct ExtractArgs {
    std::string input, output, pages, debug_dir, method;
    std::string format = "json";
    int dpi = 300, threads = 0;
    bool quiet = false;
};

void parse_pages(const std::string& s, Options& o) {
    if (s.empty()) return;
    std::smatch m;
    static const std::regex re(R"(^\s*(\d+)\s*(?:-\s*(\d*)\s*)?$)");
    if (!std::regex_match(s, m, re)) throw InputError("--pages takes N or N-M, e.g. 3-7");
    o.first_page = std::stoi(m[1]);
    o.last_page = m[2].matched ? (m[2].length() ? std::stoi(m[2]) : 0) : o.first_page;
}

}  // namespace

void register_extract(CLI::App& app, Runner& run) {
    auto args = std::make_shared<ExtractArgs>();
    auto* cmd = app.add_subcommand("extract", "extract the tables of one PDF into contract JSON");
    cmd->add_option("input", args->input, "PDF file")->required()->check(CLI::ExistingFile);
    cmd->add_option("-o,--output", args->output, "output JSON (default: standard output)");
    cmd->add_option("--dpi", args->dpi, "raster resolution for recognition and coordinates")->check(CLI::Range(50, 1200));
    cmd->add_option("--pages", args->pages, "page range, e.g. 3-7 (1-based, inclusive)");
    cmd->add_option("--threads", args->threads, "worker threads (default: all cores)")->check(CLI::NonNegativeNumber);
    cmd->add_option("--debug-dir", args->debug_dir, "write page images with the detected grids and cells");
    cmd->add_option("--method", args->method, "force a method for every page: ocr | text-layer")
        ->check(CLI::IsMember({"ocr", "text-layer"}));
    cmd->add_option("--format", args->format, "outputs: json,csv,xlsx (csv/xlsx beside -o: OUT.xlsx, OUT.csv/)");
    cmd->add_flag("-q,--quiet", args->quiet, "no progress on standard error");
    cmd->callback([args, &run] {
        run = [args] {
            Options o;
            o.dpi = args->dpi;
            o.threads = args->threads;
            o.debug_dir = args->debug_dir;
            o.force_method = args->method;
            parse_pages(args->pages, o);
            service::Formats formats;
            try {
                formats = service::parse_formats(args->format);
            } catch (const InputError& e) {
                std::fprintf(stderr, "fiscan: %s\n", e.what());
                return 2;
            }
            if ((formats.csv || formats.xlsx) && args->output.empty()) {
                std::fprintf(stderr, "fiscan: --format csv/xlsx needs -o OUT.json (the other files go beside it)\n");
                return 2;
            }
            bool tty = isatty(fileno(stderr)) && !args->quiet;
            ProgressFn progress;
            if (tty) progress = [](int done, int total) { std::fprintf(stderr, "\rfiscan: page %d/%d", done, total); if (done == total) std::fputc('\n', stderr); };
            Document doc;
            try {
                doc = extract(args->input, o, progress);
            } catch (const InputError& e) {
                std::fprintf(stderr, "fiscan: %s: %s\n", args->input.c_str(), e.what());
                return 2;
            }
            auto j = output::to_json(doc);
            if (args->output.empty()) {
                std::cout << j.dump(1) + "\n";
                return 0;
            }
            std::string base = args->output;
            if (base.size() > 5 && base.substr(base.size() - 5) == ".json") base.resize(base.size() - 5);
            service::Formats rest = formats;
            rest.json = false;
            service::write_outputs(j, base, rest);
            if (formats.json) output::write_file_atomic(args->output, j.dump(1) + "\n");
            return 0;
        };
    });
}

}  // namespace fiscan::cli
