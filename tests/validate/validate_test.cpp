#include "output/json_writer.hpp"
#include "schema/stage.hpp"
#include "truth_doc.hpp"
#include "validate/equations.hpp"
#include "validate/stage.hpp"

#include <gtest/gtest.h>

#include <iostream>

using namespace fiscan;
using fiscan::testing::document_from_truth;
using fiscan::testing::map_tables;
using fiscan::testing::read_json;
using nlohmann::json;

namespace {

const SchemaSet& schemas() {
    static SchemaSet s = load_schemas(std::string(FISCAN_SOURCE_DIR) + "/layouts");
    return s;
}
const Lexicon& lexicon() {
    static Lexicon l = load_lexicon(std::string(FISCAN_SOURCE_DIR) + "/models/lexicon");
    return l;
}
ValidateOptions options() {
    ValidateOptions o = load_validate_options(std::string(FISCAN_SOURCE_DIR) + "/models");
    o.lexicon = &lexicon();
    return o;
}
json seed(const std::string& id) { return read_json(std::string(FISCAN_SOURCE_DIR) + "/corpus/truth/seeds/" + id + ".truth.json"); }

Document seed_doc(const std::string& id) {
    json t = seed(id);
    Document d = document_from_truth(t);
    map_tables(d, t, schemas(), lexicon());
    return d;
}

}  // namespace

TEST(ValidateDump, Seeds) {
    for (std::string id : {"seed000", "seed002", "seed003", "seed004"}) {
        Document d = seed_doc(id);
        validate_document(d, schemas(), options());
        std::cout << "== " << id << " " << d.metadata["validation"].dump() << "\n";
        for (const auto& f : d.findings) {
            std::cout << f.kind << " " << f.severity << " t" << (f.table ? *f.table : -1) << " [";
            for (auto [r, c] : f.cells) std::cout << r << "," << c << " ";
            std::cout << "] " << f.message << "\n";
        }
    }
}
