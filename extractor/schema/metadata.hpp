// Document metadata (organisation, year, kind, level of government) read from
// table titles, organisation lines and page texts; and the figures the
// narrative states ("本年收入合计810.16万元", "基本支出102.93万元（占比25.54%）")
// with page, sentence and the schema fields they state.
#pragma once

#include "core/types.hpp"

#include <nlohmann/json.hpp>

namespace fiscan::schema {

// {"organisation", "year", "kind" (budget|final|""), "level" (province|city|county|township|""), "sources":{…}}
nlohmann::json document_metadata(const Document& doc);

// "上海市普陀区人民政府万里街道办事处" → "township"; "上海市普陀区财政局" → "county".
std::string government_level(const std::string& organisation);

// One entry per figure: {"page","sentence","label","value","unit","share"?,"concept"?,"refs":[…]}.
// `vocab`: the facts list of models/lexicon/narrative.json; `kind` selects refs.
nlohmann::json narrative_facts(const Document& doc, const nlohmann::json& vocab, const std::string& kind);

}  // namespace fiscan::schema
