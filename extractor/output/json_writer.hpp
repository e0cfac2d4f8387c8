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

// Write `content` to `path` atomically and durably: a temp file beside it
// (`path` + `tmp_suffix`, default ".tmp.<pid>"), fsynced, renamed into place,
// the folder fsynced. A crash of the process or the machine never leaves a
// half-written output, and once this returns the file is on disk.
void write_file_atomic(const std::string& path, const std::string& content, const std::string& tmp_suffix = "");

std::string sha256_hex(const std::string& bytes);

}  // namespace fiscan::output
