// `fiscan eval`: scores a directory of extractions against a corpus manifest
// and prints one Markdown table (a column per quality level, and overall).
// Metrics are defined in docs/evaluation.md.
#include "cli/commands.hpp"
#include "eval/scorer.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace fiscan::cli {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

struct EvalArgs {
    std::string manifest, pred_dir, label = "fiscan", json_out, timings;
};

json read_json(const fs::path& p) {
    std::ifstream in(p);
    if (!in) throw std::runtime_error("cannot read " + p.string());
    return json::parse(in);
}

// Timings file: one line per run of a document or of one of its pages,
// `id <TAB> wall_seconds [<TAB> threads [<TAB> page]]`; lines of an id add up.
struct Timing {
    double seconds = 0, core_seconds = 0;
};

std::map<std::string, Timing> read_timings(const std::string& path) {
    std::map<std::string, Timing> t;
    if (path.empty()) return t;
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read timings " + path);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream ss(line);
        std::string id;
        double secs = 0, threads = 1;
        if (!std::getline(ss, id, '\t') || !(ss >> secs)) continue;
        if (!(ss >> threads) || threads < 1) threads = 1;
        t[id].seconds += secs;
        t[id].core_seconds += secs * threads;
    }
    return t;
}

int quality_rank(const std::string& q) {
    static const std::vector<std::string> order = {"born-digital", "clean", "typical", "poor", "damaged"};
    for (std::size_t i = 0; i < order.size(); ++i)
        if (order[i] == q) return static_cast<int>(i);
    return static_cast<int>(order.size());
}

std::string cell(const json& v, char style) {
    if (v.is_null()) return "–";
    char buf[32];
    double x = v.get<double>();
    switch (style) {
        case '%': std::snprintf(buf, sizeof buf, "%.1f%%", 100 * x); break;
        case 'f': std::snprintf(buf, sizeof buf, "%.3f", x); break;
        case '2': std::snprintf(buf, sizeof buf, "%.2f", x); break;
        default: std::snprintf(buf, sizeof buf, "%.0f", x); break;
    }
    return buf;
}

void print_markdown(const std::string& label, const std::vector<std::pair<std::string, json>>& columns) {
    static const std::vector<std::tuple<const char*, const char*, char>> rows = {
        {"documents", "documents", 'd'},
        {"pages", "pages", 'd'},
        {"missing_predictions", "missing predictions", 'd'},
        {"table_recall", "table recall", '%'},
        {"table_precision", "table precision", '%'},
        {"schema_accuracy", "schema accuracy (matched)", '%'},
        {"grid_exact", "grid exact: rows, columns, spans (matched)", '%'},
        {"cell_accuracy", "cell exact match", '%'},
        {"numeric_accuracy", "numeric cell accuracy", '%'},
        {"text_cer", "text CER", '%'},
        {"name_cer", "name CER (subject names)", '%'},
        {"confidently_wrong", "confidently wrong (≥0.9)", '%'},
        {"confidently_wrong_numeric", "confidently wrong, numeric", '%'},
        {"ece", "ECE (10 bins)", 'f'},
        {"obscured_recovery", "obscured recovered", '%'},
        {"false_recoveries", "false recoveries", 'd'},
        {"recovered_beyond_truth", "recovered, truth says undetermined", 'd'},
        {"inconsistency_recall", "inconsistency recall", '%'},
        {"pages_per_min_per_core", "pages/min/core", '2'},
    };
    std::cout << "### " << label << "\n\n| metric |";
    for (const auto& [name, m] : columns) std::cout << ' ' << name << " |";
    std::cout << "\n|---|";
    for (std::size_t i = 0; i < columns.size(); ++i) std::cout << "---:|";
    std::cout << '\n';
    for (const auto& [key, title, style] : rows) {
        std::cout << "| " << title << " |";
        for (const auto& [name, m] : columns) std::cout << ' ' << cell(m.value(key, json(nullptr)), style) << " |";
        std::cout << '\n';
    }
    std::cout << '\n';
}

int run_eval(const EvalArgs& a) {
    const fs::path manifest_path(a.manifest);
    const json manifest = read_json(manifest_path);
    const fs::path base = manifest_path.parent_path();
    const auto timings = read_timings(a.timings);

    eval::Counts overall;
    std::map<std::string, eval::Counts> by_quality, by_origin;
    json docs = json::array();
    for (const json& d : manifest.value("documents", json::array())) {
        const std::string id = d.value("id", "");
        const fs::path truth_path = base / d.value("truth", id + ".truth.json");
        const json truth = read_json(truth_path);
        const fs::path pred_path = fs::path(a.pred_dir) / (id + ".json");
        json pred;  // null = empty output
        std::string problem;
        if (fs::exists(pred_path)) {
            try {
                pred = read_json(pred_path);
            } catch (const std::exception& e) {
                problem = e.what();
                pred = nullptr;
            }
        } else {
            problem = "no prediction";
        }
        eval::DocScore s = eval::score_document(truth, pred);
        if (d.contains("pages") && d["pages"].is_number()) s.counts.pages = d["pages"].get<long>();
        if (auto t = timings.find(id); t != timings.end()) {
            s.counts.seconds = t->second.seconds;
            s.counts.core_seconds = t->second.core_seconds;
            s.counts.timed_pages = s.counts.pages;
        }
        const std::string quality = d.value("quality", s.quality.empty() ? "unknown" : s.quality);
        const std::string origin = d.value("origin", "unknown");
        overall += s.counts;
        by_quality[quality] += s.counts;
        by_origin[origin] += s.counts;
        json entry = {{"id", id}, {"quality", quality}, {"origin", origin},
                      {"prediction", pred_path.string()}, {"metrics", eval::metrics(s.counts)},
                      {"counts", eval::to_json(s.counts)}, {"detail", s.detail}};
        if (!problem.empty()) entry["problem"] = problem;
        docs.push_back(std::move(entry));
    }

    std::vector<std::pair<std::string, eval::Counts>> qs(by_quality.begin(), by_quality.end());
    std::stable_sort(qs.begin(), qs.end(),
                     [](const auto& x, const auto& y) { return quality_rank(x.first) < quality_rank(y.first); });
    std::vector<std::pair<std::string, json>> columns;
    json jq = json::object(), jo = json::object();
    for (const auto& [q, c] : qs) {
        columns.emplace_back(q, eval::metrics(c));
        jq[q] = {{"metrics", eval::metrics(c)}, {"counts", eval::to_json(c)}};
    }
    for (const auto& [o, c] : by_origin) jo[o] = {{"metrics", eval::metrics(c)}, {"counts", eval::to_json(c)}};
    columns.emplace_back("overall", eval::metrics(overall));
    print_markdown(a.label, columns);

    if (!a.json_out.empty()) {
        json result = {{"label", a.label},
                       {"manifest", a.manifest},
                       {"pred_dir", a.pred_dir},
                       {"overall", {{"metrics", eval::metrics(overall)}, {"counts", eval::to_json(overall)}}},
                       {"by_quality", jq},
                       {"by_origin", jo},
                       {"documents", docs}};
        std::ofstream out(a.json_out);
        if (!out) throw std::runtime_error("cannot write " + a.json_out);
        out << result.dump(1) << '\n';
    }
    return 0;
}

}  // namespace

void register_eval(CLI::App& app, Runner& run) {
    auto args = std::make_shared<EvalArgs>();
    CLI::App* sub = app.add_subcommand("eval", "score extractions against a corpus (docs/evaluation.md)");
    sub->add_option("--manifest", args->manifest, "corpus manifest.json")->required()->check(CLI::ExistingFile);
    sub->add_option("--pred-dir", args->pred_dir, "directory of <id>.json extractions")->required();
    sub->add_option("--label", args->label, "name of the system in the report")->capture_default_str();
    sub->add_option("--json", args->json_out, "write machine-readable results here");
    sub->add_option("--timings", args->timings, "TSV: id, wall seconds[, threads[, page]] per line")
        ->check(CLI::ExistingFile);
    sub->callback([args, &run] { run = [args] { return run_eval(*args); }; });
}

}  // namespace fiscan::cli
