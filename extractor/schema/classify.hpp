// Which standard table a Table is: title (fuzzy, year/ordinal prefixes
// removed), numbering, header fingerprint and row evidence (code system,
// fixed row labels). Confidence in [0, 1].
#pragma once

#include "core/types.hpp"
#include "schema/grid.hpp"
#include "schema/schema.hpp"

#include <optional>
#include <string>
#include <vector>

namespace fiscan::schema {

struct Evidence {
    std::string id;
    double title = 0.0, numbering = 0.0, header = 0.0, rows = 0.0;
    double confidence = 0.0;
    double prior = 0.0;  // part of `confidence` that is a prior, not evidence (unrestricted_bonus)
};

struct ClassifyContext {
    int year = 0;                  // document year when known (0 = unknown)
    std::string kind;              // budget | final | "" (document kind when known)
    std::string family;            // dominant family of the document so far ("" = none)
    std::vector<std::string> title_lines;  // page lines above this table (nearest first), tried as its title
    std::string next_schema;       // schema of the next table by its title ("" = unknown)
    std::string prev_schema;       // schema already given to the previous table ("" = none)
};

// Every schema's evidence for `t`, best first.
std::vector<Evidence> rank_schemas(const Table& t, const GridInfo& g, const SchemaSet& set,
                                   const ClassifyContext& ctx = {});

// Best schema when its confidence reaches set.settings' accept threshold.
std::optional<Evidence> classify_table(const Table& t, const GridInfo& g, const SchemaSet& set,
                                       const ClassifyContext& ctx = {});
// The same from a ranking rank_schemas already made (a near tie lowers the confidence).
std::optional<Evidence> best_schema(const std::vector<Evidence>& ranked, const SchemaSet& set);

// Title similarity in [0, 1] of a printed title to a schema's titles.
double title_score(const std::string& printed, const Schema& s);

// A "title" that only says the table goes on: 续表, 续上表, 表3（续）.
bool continuation_title(const std::string& title, const ClassifierSettings& w);

// Whether the table has a title worth classifying on: its printed title or a
// page line above it scores at least `title_noise` against some schema
// (otherwise the title is noise: OCR garbage, an organisation line, 续表).
bool meaningful_title(const Table& t, const SchemaSet& set, const std::vector<std::string>& title_lines = {});

// A table without (meaningful) title and numbering that continues `prev` (the
// previous table, on an earlier page): same column count or matching header.
// Returns the confidence (0 = not a continuation). Without `set`, any printed
// title but 续表 rules a continuation out.
double continuation_score(const Table& t, const GridInfo& g, const Table& prev, const GridInfo& prev_g,
                          const SchemaSet* set = nullptr, const std::vector<std::string>& title_lines = {});

// Whether `before` is the table printed right before `after` in their family's
// numbering (layout ids in order: budget.sh.05 before budget.sh.06).
bool printed_before(const SchemaSet& set, const std::string& before, const std::string& after);

}  // namespace fiscan::schema
