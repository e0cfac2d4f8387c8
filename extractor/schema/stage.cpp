#include "schema/stage.hpp"

#include "schema/classify.hpp"
#include "schema/grid.hpp"
#include "schema/metadata.hpp"
#include "schema/records.hpp"
#include "schema/text.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include <spdlog/spdlog.h>

namespace fiscan {

using nlohmann::json;

SchemaSet load_schemas(const std::string& dir) { return schema::load_schemas(dir); }
Lexicon load_lexicon(const std::string& dir) { return schema::load_lexicon(dir); }

namespace {

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

// Page lines between the previous table of the page (or the page top) and the
// top of table i, nearest first (at most 3): where its title is printed when
// the layout took another line (a document heading, a 编制部门 line) for it.
std::vector<std::string> title_lines(const Document& doc, size_t i) {
    std::vector<std::string> out;
    const Table& t = doc.tables[i];
    if (t.bbox.empty()) return out;
    const PageResult* page = nullptr;
    for (const auto& p : doc.pages)
        if (p.page == t.page) page = &p;
    if (!page) return out;
    int above = 0;
    for (size_t k = 0; k < i; ++k)
        if (doc.tables[k].page == t.page && !doc.tables[k].bbox.empty() && doc.tables[k].bbox.y1 <= t.bbox.y0)
            above = std::max(above, doc.tables[k].bbox.y1);
    int tol = std::max(4, t.bbox.height() / 50);
    std::vector<std::pair<int, std::string>> cand;
    for (const auto& l : page->lines) {
        if (l.bbox.empty() || l.bbox.y1 > t.bbox.y0 + tol || l.bbox.y0 < above) continue;
        if (l.bbox.x1 < t.bbox.x0 || l.bbox.x0 > t.bbox.x1) continue;  // beside the table, not above it
        std::string s = schema::trim(l.text);
        if (s.empty() || s == schema::trim(t.title) || !schema::has_cjk(s)) continue;
        cand.push_back({l.bbox.y1, s});
    }
    std::stable_sort(cand.begin(), cand.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    for (size_t k = 0; k < cand.size() && k < 3; ++k) out.push_back(cand[k].second);
    return out;
}

}  // namespace

void apply_schemas(Document& doc, const SchemaSet& schemas, const Lexicon& lex) {
    using namespace schema;
    auto md = document_metadata(doc);
    ClassifyContext ctx;
    if (md["year"].is_number()) ctx.year = md["year"].get<int>();
    if (md["kind"].is_string()) ctx.kind = md["kind"].get<std::string>();

    std::vector<GridInfo> grids;
    grids.reserve(doc.tables.size());
    for (const auto& t : doc.tables) grids.push_back(analyse_grid(t));
    std::vector<std::vector<std::string>> lines;
    lines.reserve(doc.tables.size());
    for (size_t i = 0; i < doc.tables.size(); ++i) lines.push_back(title_lines(doc, i));
    std::vector<std::string> by_title(doc.tables.size());  // pass-1 schema of titled tables
    auto context_of = [&](size_t i) {
        ClassifyContext c = ctx;
        c.title_lines = lines[i];
        if (i + 1 < by_title.size()) c.next_schema = by_title[i + 1];
        return c;
    };

    // pass 1: titled tables without a family prior, to learn the document's family
    std::map<std::string, int> families;
    for (size_t i = 0; i < doc.tables.size(); ++i) {
        if (!meaningful_title(doc.tables[i], schemas, lines[i])) continue;
        auto e = classify_table(doc.tables[i], grids[i], schemas, context_of(i));
        if (!e) continue;
        by_title[i] = e->id;
        if (e->confidence >= schemas.settings.family_min_confidence)
            if (const auto* s = schemas.find(e->id); s && s->family != "perf") ++families[s->family];
    }
    int top = 0;
    for (const auto& [f, n] : families)
        if (n > top) { top = n; ctx.family = f; }
    // two tables agreeing, or the only family seen (a short --pages range)
    if (top < 2 && families.size() != 1) ctx.family.clear();
    if (ctx.kind.empty() && !ctx.family.empty())
        for (const auto& s : schemas.schemas)
            if (s.family == ctx.family) { ctx.kind = s.kind; break; }

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
            double c = continuation_score(t, g, doc.tables[i - 1], grids[i - 1], &schemas, lines[i]);
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
        std::vector<Evidence> ranked;  // every schema's evidence, best first (not for a continuation)
        if (!t.schema) {
            ClassifyContext c = context_of(i);
            if (i > 0 && doc.tables[i - 1].schema) c.prev_schema = *doc.tables[i - 1].schema;
            ranked = rank_schemas(t, g, schemas, c);
            e = best_schema(ranked, schemas);
            if (e) {
                t.schema = e->id;
                t.schema_confidence = e->confidence;
            }
        }
        json ev = {{"table", i}};
        if (e) ev["evidence"] = {{"title", e->title}, {"numbering", e->numbering}, {"header", e->header}, {"rows", e->rows}};
        if (t.continues) ev["continues"] = *t.continues;
        // the runners-up, for a person (or a dataset builder) weighing a doubtful mapping
        if (!ranked.empty()) {
            json alt = json::array();
            // one entry per catalogue table: a regional variant and its standard are one answer
            std::set<std::string> listed;
            if (t.schema) listed.insert(schemas.catalogue_id(*t.schema));
            for (size_t k = 0; k < ranked.size() && alt.size() < 3; ++k)
                if (ranked[k].confidence > 0 && listed.insert(schemas.catalogue_id(ranked[k].id)).second)
                    alt.push_back({{"schema", ranked[k].id}, {"confidence", round3(ranked[k].confidence)},
                                   {"title", round3(ranked[k].title)}, {"header", round3(ranked[k].header)},
                                   {"rows", round3(ranked[k].rows)}});
            if (!alt.empty()) ev["alternatives"] = alt;
        }
        evidence.push_back(ev);
        if (!t.schema) {
            normalise_numbers(t, g);
            Finding f;
            f.kind = "no_schema";
            f.severity = "warning";
            f.table = static_cast<int>(i);
            f.page = t.page;
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
        // A continuation has its origin's columns. Where damage made a value
        // column of it read as text (a stained 决算数 column, garbage in every
        // slot), the sides of a two-sided table would merge into the first:
        // they are split where the origin's are.
        auto origin_sides = [&] {
            if (!t.continues || s->sides.empty()) return;
            const auto& og = grids[*t.continues];
            if (og.cols.size() == grids[i].cols.size() && segments(og).size() > segments(grids[i]).size())
                for (size_t c = 0; c < og.cols.size(); ++c) grids[i].cols[c].role = og.cols[c].role;
        };
        origin_sides();
        split_label_amount(t, g);
        // Headers snapped to the schema's vocabulary name their columns: the
        // grid is read again from them (damaged unit-budget-2026 p1: 财政拨款收入
        // read "财政发款收人" left its column unnamed, so 合计 = Σ 类 lacked the
        // page's lines in that column and failed).
        if (snap_header_cells(t, g.header_rows, *s) > 0) {
            grids[i] = analyse_grid(t);
            origin_sides();
        }
        if (spdlog::should_log(spdlog::level::debug)) {
            std::string roles;
            for (const auto& c : g.cols) roles += (roles.empty() ? "" : " ") + c.role;
            spdlog::debug("schema: table {} {} header rows {}, columns: {}", i, *t.schema, g.header_rows, roles);
        }
        t.records = build_records(t, *s, g, &lex, ctx.year);
        apply_lexicon(t, static_cast<int>(i), *s, lex, ctx.year, doc.findings);
    }
    for (const auto& [k, v] : md.items()) doc.metadata[k] = v;
    doc.metadata["schema_evidence"] = evidence;
    doc.metadata["narrative_facts"] = narrative_facts(doc, lex.narrative, ctx.kind);
}

}  // namespace fiscan
