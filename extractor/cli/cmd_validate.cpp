// `fiscan validate OUT.json`: re-checks an extraction (the contract JSON,
// e.g. after hand corrections) against its tables' schemas: every identity of
// layouts/ within and across tables, and the narrative figures. Prints one
// finding per line (or the findings as JSON with --json). Exit status: 0 when
// no identity fails, 1 when one does (a finding of severity "error"), 2 when
// the input cannot be read. Source numbers are never changed; with --repair
// the OCR corrections / recoveries of the validation stage are applied and
// the repaired document written to -o.
#include "cli/commands.hpp"
#include "output/json_writer.hpp"
#include "pipeline/pipeline.hpp"
#include "schema/grid.hpp"
#include "schema/metadata.hpp"
#include "schema/numbers.hpp"
#include "schema/records.hpp"
#include "schema/stage.hpp"
#include "validate/stage.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

namespace fiscan::cli {
namespace {

using nlohmann::json;

struct ValidateArgs {
    std::string input, layouts, models, out;
    bool json_out = false, repair = false;
};

// Values follow the (possibly edited) text; tables mapped to a schema without
// records get them rebuilt, keeping the schema the file states.
void prepare(Document& doc, const SchemaSet& schemas, const Lexicon& lex) {
    int year = doc.metadata.contains("year") && doc.metadata["year"].is_number_integer() ? doc.metadata["year"].get<int>() : 0;
    for (auto& t : doc.tables) {
        for (auto& c : t.cells) {
            if (!c.value && c.kind != CellKind::Numeric) continue;
            auto p = schema::parse_number(c.text);
            if (p.numeric) c.value = p.value;
            else c.value.reset();
        }
        if (!t.schema || !t.records.is_null()) continue;
        const schema::Schema* s = schemas.find(*t.schema);
        if (!s) continue;
        t.records = schema::build_records(t, *s, schema::analyse_grid(t), &lex, year);
    }
    const auto k = doc.metadata.find("kind");
    const std::string kind = k != doc.metadata.end() && k->is_string() ? k->get<std::string>() : std::string();
    if (!lex.narrative.empty() && !doc.pages.empty())
        doc.metadata["narrative_facts"] = schema::narrative_facts(doc, lex.narrative, kind);
}

int run_validate(const ValidateArgs& a) {
    json j;
    {
        std::ifstream in(a.input);
        if (!in) {
            std::fprintf(stderr, "fiscan: validate: cannot read %s\n", a.input.c_str());
            return 2;
        }
        try {
            j = json::parse(in);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "fiscan: validate: %s is not JSON: %s\n", a.input.c_str(), e.what());
            return 2;
        }
    }
    Document doc;
    try {
        doc = output::from_json(j);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fiscan: validate: %s is not an extraction: %s\n", a.input.c_str(), e.what());
        return 2;
    }
    std::string layouts = a.layouts.empty() ? default_layouts_dir() : a.layouts;
    std::string models = a.models.empty() ? default_models_dir() : a.models;
    SchemaSet schemas = load_schemas(layouts);
    Lexicon lex = load_lexicon((std::filesystem::path(models) / "lexicon").string());
    prepare(doc, schemas, lex);

    ValidateOptions opt = load_validate_options(models);
    opt.lexicon = &lex;
    opt.correct = opt.recover = a.repair;
    opt.calibrate = false;  // the file's confidences are already calibrated
    doc.findings.clear();
    validate_document(doc, schemas, opt);

    int errors = 0;
    for (const auto& f : doc.findings) errors += f.severity == "error";
    if (a.json_out) {
        json out = output::to_json(doc)["findings"];
        std::cout << out.dump(1) << "\n";
    } else {
        for (const auto& f : doc.findings) {
            std::ostringstream line;
            line << f.severity << " " << f.kind;
            if (f.table) line << " table " << *f.table;
            if (f.page) line << " page " << *f.page;
            if (!f.cells.empty()) {
                line << " cells";
                for (auto [r, c] : f.cells) line << " " << r << ":" << c;
            }
            line << ": " << f.message;
            std::cout << line.str() << "\n";
        }
        const auto& v = doc.metadata["validation"];
        std::fprintf(stderr, "fiscan: validate: %d identities checked, %d hold, %d rounding, %d fail; %zu findings (%d errors)\n",
                     v.value("evaluated", 0), v.value("holding", 0), v.value("rounding", 0), v.value("failing", 0),
                     doc.findings.size(), errors);
    }
    if (a.repair && !a.out.empty()) output::write_file_atomic(a.out, output::to_json(doc).dump(1) + "\n");
    return errors > 0 ? 1 : 0;
}

}  // namespace

void register_validate(CLI::App& app, Runner& run) {
    auto args = std::make_shared<ValidateArgs>();
    auto* sub = app.add_subcommand("validate", "re-check an extraction JSON against its table schemas");
    sub->add_option("input", args->input, "extraction JSON (output contract)")->required();
    sub->add_option("--layouts", args->layouts, "table schemas directory (default: the project's layouts/)");
    sub->add_option("--models", args->models, "models directory (default: the project's models/)");
    sub->add_flag("--json", args->json_out, "print the findings as a JSON array");
    sub->add_flag("--repair", args->repair, "apply OCR corrections and recoveries the identities determine");
    sub->add_option("-o,--output", args->out, "with --repair: write the repaired extraction here");
    sub->callback([args, &run] { run = [args] { return run_validate(*args); }; });
}

}  // namespace fiscan::cli
