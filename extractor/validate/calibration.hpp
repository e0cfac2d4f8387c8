// Confidence calibration: maps a cell's raw confidence to a calibrated
// probability that its text is exact, per evidence class
// "<engine>|<kind>|<evidence>" (models/calibration/cells.json, fitted by
// scripts/calibrate from labelled evaluation outputs). Lookup falls back from
// the exact class to "*|<kind>|<evidence>", "*|<kind>|*" and "*|*|*"; no curve
// at all → the raw value (identity mapping).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace fiscan::validate {

struct Curve {
    std::vector<double> x, y;   // increasing x; y non-decreasing (isotonic); piecewise linear
    long n = 0;                 // labelled cells the curve was fitted on
    double apply(double raw) const;
};

struct Calibration {
    std::map<std::string, Curve> classes;
    std::string source;         // file it came from ("" = none)
    bool empty() const { return classes.empty(); }
    const Curve* find(const std::string& engine, const std::string& kind, const std::string& evidence) const;
};

// Reads a calibration file; a missing file gives an empty (identity) mapping and a log line.
Calibration load_calibration(const std::string& path);

// The evidence class of a cell, e.g. "arith_ok+agree", "corrected", "recovered".
struct CellEvidence {
    std::string engine = "none";   // engine of the best reading, "text-layer", or "none"
    std::string kind = "text";     // numeric | text
    std::string arith = "none";    // ok | fail | none | corrected | recovered
    std::string agreement = "single";  // agree | disagree | single
    bool lexicon = false;          // name snapped to / confirmed by the lexicon
    std::string evidence() const;
    std::string key() const { return engine + "|" + kind + "|" + evidence(); }
};

}  // namespace fiscan::validate
