#include "validate/calibration.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>

namespace fiscan::validate {

double Curve::apply(double raw) const {
    if (x.empty() || x.size() != y.size()) return raw;
    if (raw <= x.front()) return y.front();
    if (raw >= x.back()) return y.back();
    auto it = std::upper_bound(x.begin(), x.end(), raw);
    size_t i = static_cast<size_t>(it - x.begin());
    double x0 = x[i - 1], x1 = x[i], y0 = y[i - 1], y1 = y[i];
    double v = x1 > x0 ? y0 + (y1 - y0) * (raw - x0) / (x1 - x0) : y1;
    return std::clamp(v, 0.0, 1.0);
}

const Curve* Calibration::find(const std::string& engine, const std::string& kind, const std::string& evidence) const {
    for (const std::string& k : {engine + "|" + kind + "|" + evidence, "*|" + kind + "|" + evidence,
                                 engine + "|" + kind + "|*", "*|" + kind + "|*", std::string("*|*|*")}) {
        auto it = classes.find(k);
        if (it != classes.end()) return &it->second;
    }
    return nullptr;
}

Calibration load_calibration(const std::string& path) {
    Calibration c;
    std::ifstream in(path);
    if (!in) {
        spdlog::info("validate: no calibration file {}, confidences are not calibrated (identity mapping)", path);
        return c;
    }
    try {
        auto j = nlohmann::json::parse(in);
        for (const auto& [k, v] : j.at("classes").items()) {
            Curve cv;
            cv.x = v.at("x").get<std::vector<double>>();
            cv.y = v.at("y").get<std::vector<double>>();
            cv.n = v.value("n", 0L);
            if (cv.x.size() != cv.y.size() || cv.x.empty()) throw std::runtime_error("class " + k + ": x and y differ");
            if (!std::is_sorted(cv.x.begin(), cv.x.end())) throw std::runtime_error("class " + k + ": x not sorted");
            c.classes[k] = std::move(cv);
        }
    } catch (const std::exception& e) {
        throw std::runtime_error("malformed calibration " + path + ": " + e.what());
    }
    c.source = path;
    return c;
}

std::string CellEvidence::evidence() const {
    if (arith == "corrected" || arith == "recovered") return arith;
    std::string e = "arith_" + arith + "+" + agreement;
    if (lexicon) e += "+lexicon";
    return e;
}

}  // namespace fiscan::validate
