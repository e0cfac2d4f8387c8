// Alternative readings of a numeric OCR cell, most credible first: the
// engine's per-symbol alternatives, another engine's reading, the usual digit
// confusions (1↔7, 3↔8, 0↔6, 5↔6 — models/validate/settings.json), a minus
// sign that is not one, a lost, extra or moved decimal point, a dropped or an
// extra digit, zero for a short unsure reading (a speck in a blank slot).
#pragma once

#include "core/types.hpp"
#include "validate/settings.hpp"

#include <string>
#include <vector>

namespace fiscan::validate {

struct Candidate {
    std::string text;    // normalised number text
    double value = 0.0;
    std::string how;     // alternative | engine | confusion | sign | decimal | dropped | extra | speck
};

// Distinct values, none equal to the cell's current value. beside_stain: the
// cell borders an obscured one (zero is a candidate of a short reading at any
// confidence there).
std::vector<Candidate> candidates(const Cell& c, const ValidateSettings& st, bool beside_stain = false);

}  // namespace fiscan::validate
