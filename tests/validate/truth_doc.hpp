// Test helper: a fiscan::Document from a corpus truth file
// (docs/truth-format.md), as the OCR pipeline would hand it to the schema
// stage: every cell read with confidence 0.99 (source "ocr"; empty cells
// "empty"), narrative lines as page text. `map_tables` then gives each table
// its true schema and continuation and builds the records the way the schema
// stage does, so the validation tests do not depend on the classifier.
#pragma once

#include "core/types.hpp"
#include "schema/grid.hpp"
#include "schema/lexicon.hpp"
#include "schema/metadata.hpp"
#include "schema/records.hpp"
#include "schema/schema.hpp"

#include <nlohmann/json.hpp>

#include <fstream>
#include <stdexcept>
#include <string>

namespace fiscan::testing {

inline nlohmann::json read_json(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot read " + path);
    return nlohmann::json::parse(in);
}

inline Document document_from_truth(const nlohmann::json& truth, double confidence = 0.99) {
    Document d;
    d.file = truth.value("id", "");
    d.page_count = truth.value("page_count", 0);
    int page_no = 0;
    for (const auto& n : truth.value("narrative", nlohmann::json::array())) {
        PageResult p;
        p.page = n["page"].is_number() ? n["page"].get<int>() : ++page_no;
        p.method = "ocr";
        p.text = n.value("text", "");
        d.pages.push_back(p);
    }
    for (const auto& tj : truth.at("tables")) {
        Table t;
        t.page = tj["page"].is_number() ? tj["page"].get<int>() : 0;
        t.title = tj.value("title", "");
        t.numbering = tj.value("numbering", "");
        t.unit = tj.value("unit", "");
        t.organisation = tj.value("organisation", "");
        t.n_rows = tj.value("n_rows", 0);
        t.n_cols = tj.value("n_cols", 0);
        t.header_rows = tj.value("header_rows", 0);
        for (const auto& cj : tj.at("cells")) {
            Cell c;
            c.row = cj.at("row").get<int>();
            c.col = cj.at("col").get<int>();
            c.row_span = cj.value("row_span", 1);
            c.col_span = cj.value("col_span", 1);
            c.bbox = {c.col * 100, c.row * 40, (c.col + c.col_span) * 100, (c.row + c.row_span) * 40};
            c.text = cj.value("text", "");
            bool empty = c.text.empty();
            c.source = empty ? Source::Empty : Source::Ocr;
            c.confidence = empty ? 0.99 : confidence;
            c.kind = cj.value("numeric", false) ? CellKind::Numeric : CellKind::Text;
            if (!empty) {
                Reading r;
                r.text = c.text;
                r.confidence = confidence;
                r.engine = c.kind == CellKind::Numeric ? "tesseract-eng-digits" : "tesseract-chi_sim";
                c.readings.push_back(r);
            }
            t.cells.push_back(c);
        }
        d.tables.push_back(std::move(t));
    }
    return d;
}

// True schema, continuation and the schema stage's records for every table.
inline void map_tables(Document& d, const nlohmann::json& truth, const schema::SchemaSet& schemas,
                       const schema::Lexicon& lex) {
    const auto& md = truth.value("metadata", nlohmann::json::object());
    int year = md.value("year", 0);
    std::string kind = md.value("kind", "");
    d.metadata["year"] = year;
    d.metadata["kind"] = kind;
    const auto& tables = truth.at("tables");
    for (size_t i = 0; i < d.tables.size(); ++i) {
        Table& t = d.tables[i];
        const auto& tj = tables[i];
        if (tj["continues"].is_number()) t.continues = tj["continues"].get<int>();
        if (!tj["schema"].is_string()) continue;
        const schema::Schema* s = schemas.find(tj["schema"].get<std::string>());
        if (!s) continue;
        t.schema = s->id;
        t.schema_confidence = 1.0;
        t.records = schema::build_records(t, *s, schema::analyse_grid(t), &lex, year);
    }
    d.metadata["narrative_facts"] = schema::narrative_facts(d, lex.narrative, kind);
}

}  // namespace fiscan::testing
