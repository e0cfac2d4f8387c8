#include "schema/stage.hpp"

#include "schema/classify.hpp"
#include "schema/grid.hpp"
#include "schema/metadata.hpp"
#include "schema/records.hpp"
#include "schema/text.hpp"

#include <map>
#include <sstream>

namespace fiscan {

using nlohmann::json;

SchemaSet load_schemas(const std::string& dir) { return schema::load_schemas(dir); }
Lexicon load_lexicon(const std::string& dir) { return schema::load_lexicon(dir); }

void apply_schemas(Document& doc, const SchemaSet& schemas, const Lexicon& lex) {
    using namespace schema;
    auto md = document_metadata(doc);
    ClassifyContext ctx;
    if (md["year"].is_number()) ctx.year = md["year"].get<int>();
    if (md["kind"].is_string()) ctx.kind = md["kind"].get<std::string>();

    std::vector<GridInfo> grids;
    grids.reserve(doc.tables.size());
    for (const auto& t : doc.tables) grids.push_back(analyse_grid(t));

    // pass 1: titled tables without a family prior, to learn the document's family
    std::map<std::string, int> families;
    for (size_t i = 0; i < doc.tables.size(); ++i) {
        if (trim(doc.tables[i].title).empty()) continue;
        if (auto e = classify_table(doc.tables[i], grids[i], schemas, ctx); e && e->confidence >= 0.8)
            if (const auto* s = schemas.find(e->id); s && s->family != "perf") ++families[s->family];
    }
    int top = 0;
    for (const auto& [f, n] : families)
        if (n > top) { top = n; ctx.family = f; }
    if (top < 2) ctx.family.clear();

    json evidence = json::array();
    for (size_t i = 0; i < doc.tables.size(); ++i) {
        auto& t = doc.tables[i];
        const auto& g = grids[i];
        t.schema.reset();
        t.schema_confidence = 0.0;
        t.continues.reset();
        t.records = nullptr;
        // a continuation: no title, first table of its page, matching the previous table
        bool first_on_page = i == 0 || doc.tables[i - 1].page != t.page;
        if (i > 0 && first_on_page) {
            double c = continuation_score(t, g, doc.tables[i - 1], grids[i - 1]);
            if (c >= schemas.settings.continuation) {
                const auto& prev = doc.tables[i - 1];
                t.continues = static_cast<int>(i - 1);
                t.schema = prev.schema;
                t.schema_confidence = std::min(prev.schema_confidence, c);
                // the chain's origin: a continuation of a continuation keeps the first table's unit
                if (t.unit.empty()) t.unit = prev.unit;
            }
        }
        std::optional<Evidence> e;
        if (!t.schema) {
            e = classify_table(t, g, schemas, ctx);
            if (e) {
                t.schema = e->id;
                t.schema_confidence = e->confidence;
            }
        }
        json ev = {{"table", i}};
        if (e) ev["evidence"] = {{"title", e->title}, {"numbering", e->numbering}, {"header", e->header}, {"rows", e->rows}};
        if (t.continues) ev["continues"] = *t.continues;
        evidence.push_back(ev);
        if (!t.schema) {
            normalise_numbers(t, g);
            Finding f;
            f.kind = "no_schema";
            f.severity = "warning";
            f.table = static_cast<int>(i);
            f.page = t.page;
            auto ranked = rank_schemas(t, g, schemas, ctx);
            std::ostringstream msg;
            msg << "table \"" << t.title << "\" matches no schema";
            if (!ranked.empty()) {
                msg << " (closest " << ranked[0].id << " at " << ranked[0].confidence << ")";
                f.detail = {{"closest", ranked[0].id}, {"confidence", ranked[0].confidence}};
            }
            f.message = msg.str();
            doc.findings.push_back(std::move(f));
            continue;
        }
        const Schema* s = schemas.find(*t.schema);
        if (!s) continue;
        t.records = build_records(t, *s, g, &lex, ctx.year);
        apply_lexicon(t, static_cast<int>(i), *s, lex, ctx.year, doc.findings);
    }
    for (const auto& [k, v] : md.items()) doc.metadata[k] = v;
    doc.metadata["schema_evidence"] = evidence;
    doc.metadata["narrative_facts"] = narrative_facts(doc, lex.narrative, ctx.kind);
}

}  // namespace fiscan
