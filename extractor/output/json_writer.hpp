// Output stage: the contract JSON.
// Takes: a finished Document. Gives: JSON following
// ../shared/docs/output-contract.md (v1) plus fiscan's documented extensions
// (docs/output.schema.json is the full machine-readable schema).
#pragma once

#include "core/types.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace fiscan::output {

inline constexpr const char* kSchemaVersion = "1";

nlohmann::json to_json(const Document& doc);
nlohmann::json cell_to_json(const Cell& c);
Document from_json(const nlohmann::json& j);  // for `fiscan validate` and re-checking

// Write `content` to `path` atomically (temp file + rename): a crash never
// leaves a half-written output behind.
void write_file_atomic(const std::string& path, const std::string& content);

std::string sha256_hex(const std::string& bytes);

}  // namespace fiscan::output
