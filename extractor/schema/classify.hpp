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
};

struct ClassifyContext {
    int year = 0;                  // document year when known (0 = unknown)
    std::string kind;              // budget | final | "" (document kind when known)
    std::string family;            // dominant family of the document so far ("" = none)
};

// Every schema's evidence for `t`, best first.
std::vector<Evidence> rank_schemas(const Table& t, const GridInfo& g, const SchemaSet& set,
                                   const ClassifyContext& ctx = {});

// Best schema when its confidence reaches set.settings' accept threshold.
std::optional<Evidence> classify_table(const Table& t, const GridInfo& g, const SchemaSet& set,
                                       const ClassifyContext& ctx = {});

// Title similarity in [0, 1] of a printed title to a schema's titles.
double title_score(const std::string& printed, const Schema& s);

// A table without title/numbering that continues `prev` (the previous table,
// on an earlier page): same column count or matching header. Returns the
// confidence (0 = not a continuation).
double continuation_score(const Table& t, const GridInfo& g, const Table& prev, const GridInfo& prev_g);

}  // namespace fiscan::schema
