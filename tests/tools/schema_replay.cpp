// schema_replay: run the schema and validation stages again on an extraction
// whose OCR is kept — for measuring a change to the classifier, records or
// validation on a whole corpus without re-reading any page.
//   scripts/undo-validation OUT.json -o PRE.json
//   build/schema_replay PRE.json NEW.json [--layouts DIR] [--models DIR]
// Cleared before the stages run: every table's schema, confidence,
// continuation link and records, and the findings of the schema and
// validation stages (OCR/page findings stay). What the schema stage changed
// in cells (a lexicon snap keeps raw_text) is run again over its own result.
// Used for docs/benchmarks.md (session 5); not part of the fiscan binary.
#include "output/json_writer.hpp"
#include "pipeline/pipeline.hpp"
#include "schema/stage.hpp"
#include "validate/stage.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <string>

using namespace fiscan;

int main(int argc, char** argv) {
    std::string models = FISCAN_SOURCE_DIR "/models", layouts = FISCAN_SOURCE_DIR "/layouts";
    std::vector<std::string> files;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        if (a == "--models" && i + 1 < argc) models = argv[++i];
        else if (a == "--layouts" && i + 1 < argc) layouts = argv[++i];
        else files.push_back(a);
    }
    if (files.size() != 2) {
        std::fprintf(stderr, "usage: schema_replay PRE.json NEW.json [--layouts DIR] [--models DIR]\n");
        return 2;
    }
    if (const char* lv = std::getenv("FISCAN_LOG")) spdlog::set_level(spdlog::level::from_str(lv));  // FISCAN_LOG=debug: the stages' reasoning
    nlohmann::json j;
    {
        std::ifstream in(files[0]);
        if (!in) {
            std::fprintf(stderr, "schema_replay: cannot read %s\n", files[0].c_str());
            return 2;
        }
        j = nlohmann::json::parse(in);
    }
    Document doc = output::from_json(j);
    for (auto& t : doc.tables) {
        t.schema.reset();
        t.schema_variant.reset();
        t.schema_confidence = 0.0;
        t.continues.reset();
        t.records = nullptr;
    }
    static const std::set<std::string> later = {"no_schema", "code_name_mismatch", "lexicon", "sum_mismatch",
                                                 "missing_total", "cross_table_mismatch", "duplicate_mismatch",
                                                 "rounding", "unrecoverable", "narrative_mismatch"};
    std::erase_if(doc.findings, [](const Finding& f) { return later.count(f.kind) > 0; });
    const auto schemas = load_schemas(layouts);
    const auto lexicon = load_lexicon(models + "/lexicon");
    ValidateOptions vopt = load_validate_options(models);
    vopt.lexicon = &lexicon;
    apply_schemas(doc, schemas, lexicon);
    validate_document(doc, schemas, vopt);
    report_catalogue_ids(doc, schemas);
    output::write_file_atomic(files[1], output::to_json(doc).dump(1) + "\n");
    return 0;
}
