// The validation stage: runs after the schema stage (table.schema, records and
// cell values set). Expands the schemas' identities (layouts/) into equations
// over cells (validate/equations.hpp), then
//   1. corrects OCR misreads that one alternative reading alone explains
//      (low-confidence OCR cells only; text-layer and confident cells never),
//   2. recovers obscured / collapsed cells the identities or a duplicate table
//      determine uniquely (source "recovered"), reports the others
//      (`unrecoverable`), never inventing a value,
//   3. reports every identity that still fails (sum_mismatch, missing_total,
//      cross_table_mismatch, duplicate_mismatch, rounding, narrative_mismatch),
//      keeping what the page says,
//   4. calibrates every cell's confidence (validate/calibration.hpp).
// docs/validation.md describes the rules.
#pragma once

#include "core/types.hpp"
#include "schema/lexicon.hpp"
#include "schema/schema.hpp"
#include "validate/calibration.hpp"
#include "validate/settings.hpp"

#include <string>

namespace fiscan {

using schema::SchemaSet;

struct ValidateOptions {
    validate::ValidateSettings settings;
    validate::Calibration calibration;          // empty = identity mapping
    const schema::Lexicon* lexicon = nullptr;   // subject names recovered from codes (optional)
    bool correct = true;                        // OCR corrections
    bool recover = true;                        // obscured / collapsed cells
    bool calibrate = true;                      // off when re-checking an output (`fiscan validate`)
};

// models_dir/validate/settings.json and models_dir/calibration/cells.json
// (each optional: defaults / identity mapping, with a log line).
ValidateOptions load_validate_options(const std::string& models_dir);

void validate_document(Document& doc, const SchemaSet& schemas, const ValidateOptions& opt);

}  // namespace fiscan
