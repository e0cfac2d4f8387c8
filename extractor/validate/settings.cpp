#include "validate/settings.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace fiscan::validate {

using nlohmann::json;

double ConfidenceRule::of(int n) const { return std::min(max, base + per_identity * std::max(0, n - 1)); }

static ConfidenceRule rule_of(const json& j, ConfidenceRule d) {
    if (!j.is_object()) return d;
    d.base = j.value("base", d.base);
    d.per_identity = j.value("per_identity", d.per_identity);
    d.max = j.value("max", d.max);
    return d;
}

ValidateSettings parse_settings(const json& j) {
    ValidateSettings s;
    if (!j.is_object()) return s;
    s.exact_epsilon = j.value("exact_epsilon", s.exact_epsilon);
    if (auto r = j.find("rounding"); r != j.end() && r->is_object()) {
        if (auto p = r->find("per_item"); p != r->end() && p->is_object()) {
            s.rounding_per_item.clear();
            for (const auto& [u, v] : p->items())
                if (v.is_number()) s.rounding_per_item[u] = v.get<double>();
        }
        s.rounding_cap = r->value("cap", s.rounding_cap);
        if (r->contains("kinds")) s.rounding_kinds = (*r)["kinds"].get<std::vector<std::string>>();
    }
    if (auto c = j.find("correction"); c != j.end() && c->is_object()) {
        s.correct = c->value("enabled", s.correct);
        s.correct_below = c->value("suspect_below", s.correct_below);
        if (c->contains("confusions")) {
            s.confusions.clear();
            for (const auto& p : (*c)["confusions"]) s.confusions.push_back({p.at(0).get<std::string>(), p.at(1).get<std::string>()});
        }
        if (auto m = c->find("min_identities"); m != c->end() && m->is_object())
            for (const auto& [k, v] : m->items())
                if (v.is_number()) s.min_identities[k] = v.get<int>();
        s.corrected = rule_of(c->value("confidence", json()), s.corrected);
        s.max_passes = c->value("max_passes", s.max_passes);
        s.speck_below = c->value("speck_below", s.speck_below);
        s.agree_min_confidence = c->value("agree_min_confidence", s.agree_min_confidence);
        s.speck_max_digits = c->value("speck_max_digits", s.speck_max_digits);
        s.tail_min_digits = c->value("tail_min_digits", s.tail_min_digits);
    }
    if (auto r = j.find("recovery"); r != j.end() && r->is_object()) {
        s.recover = r->value("enabled", s.recover);
        s.collapsed_below = r->value("collapsed_below", s.collapsed_below);
        s.stained_number_digits = r->value("stained_number_digits", s.stained_number_digits);
        s.recovery_min_term_confidence = r->value("min_term_confidence", s.recovery_min_term_confidence);
        s.table_closed_above = r->value("table_closed_above", s.table_closed_above);
        s.recovery_rounded_max_terms = r->value("rounded_max_terms", s.recovery_rounded_max_terms);
        s.recovery_open_block_short = r->value("open_block_short", s.recovery_open_block_short);
        s.recovery_unit_from_document = r->value("unit_from_document", s.recovery_unit_from_document);
        if (r->contains("rounded_units")) s.recovery_rounded_units = (*r)["rounded_units"].get<std::vector<std::string>>();
        s.recovered = rule_of(r->value("confidence", json()), s.recovered);
        s.recovered_text_confidence = r->value("text_confidence", s.recovered_text_confidence);
        s.unrecoverable_confidence = r->value("unrecoverable_confidence", s.unrecoverable_confidence);
    }
    if (auto n = j.find("narrative"); n != j.end() && n->is_object()) {
        s.narrative = n->value("enabled", s.narrative);
        if (n->contains("skip_words")) s.narrative_skip_words = (*n)["skip_words"].get<std::vector<std::string>>();
        s.narrative_max_gap = n->value("max_gap", s.narrative_max_gap);
        s.narrative_label_prefixes = n->value("label_prefixes", s.narrative_label_prefixes);
        if (n->contains("subject_tables")) s.narrative_subject_tables = (*n)["subject_tables"].get<std::vector<std::string>>();
        if (n->contains("label_after_words")) s.narrative_label_after_words = (*n)["label_after_words"].get<std::vector<std::string>>();
    }
    if (auto l = j.find("labels"); l != j.end() && l->is_object())
        s.label_min_confidence = l->value("min_confidence", s.label_min_confidence);
    if (auto t = j.find("trust"); t != j.end() && t->is_object()) {
        s.trust_min_nonzero = t->value("min_nonzero", s.trust_min_nonzero);
        s.trust_min_failing = t->value("min_failing", s.trust_min_failing);
    }
    if (auto l = j.find("lost_tail"); l != j.end() && l->is_object())
        s.lost_tail_max_confidence = l->value("max_confidence", s.lost_tail_max_confidence);
    if (j.contains("ge_equal_when_zero")) s.ge_equal_when_zero = j["ge_equal_when_zero"].get<std::vector<std::string>>();
    if (auto e = j.find("evidence"); e != j.end() && e->is_object())
        for (const auto& [k, v] : e->items())
            if (v.is_number()) s.evidence_error_factor[k] = v.get<double>();
    return s;
}

ValidateSettings load_settings(const std::string& models_dir) {
    namespace fs = std::filesystem;
    fs::path p = fs::path(models_dir) / "validate" / "settings.json";
    std::ifstream in(p);
    if (!in) {
        spdlog::info("validate: no {}, using built-in defaults", p.string());
        return {};
    }
    try {
        return parse_settings(json::parse(in));
    } catch (const std::exception& e) {
        throw std::runtime_error("malformed " + p.string() + ": " + e.what());
    }
}

}  // namespace fiscan::validate
