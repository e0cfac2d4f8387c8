// The schema stage: classify every table of a Document against the table
// schemas (layouts/), mark continuations, build canonical records, normalise
// numbers, check codes/names against the lexicons, and fill the document's
// metadata and narrative facts. Never alters what the page says without
// keeping the raw text (cell.raw_text / cell.provenance).
#pragma once

#include "core/types.hpp"
#include "schema/lexicon.hpp"
#include "schema/schema.hpp"

#include <string>

namespace fiscan {

using schema::Lexicon;
using schema::SchemaSet;

SchemaSet load_schemas(const std::string& dir);   // layouts/
Lexicon load_lexicon(const std::string& dir);     // models/lexicon/ (or models/)

// Fills table.schema, schema_confidence, continues, records, cell values,
// doc.metadata (organisation, year, kind, level, narrative_facts, schema
// evidence) and findings (no_schema, code_name_mismatch).
void apply_schemas(Document& doc, const SchemaSet& schemas, const Lexicon& lex);

}  // namespace fiscan
