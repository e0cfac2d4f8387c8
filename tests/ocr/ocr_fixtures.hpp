// Helpers shared by the OCR stage tests: fixture loading from tests/data/ocr.
#pragma once

#include <gtest/gtest.h>
#include <opencv2/imgcodecs.hpp>

#include <algorithm>
#include <string>
#include <vector>

namespace fiscan::ocr::testing {

inline std::string fixture_path(const std::string& name) {
    return std::string(FISCAN_TEST_DATA) + "/ocr/" + name;
}

inline cv::Mat load_fixture(const std::string& name) {
    cv::Mat m = cv::imread(fixture_path(name), cv::IMREAD_GRAYSCALE);
    EXPECT_FALSE(m.empty()) << "missing fixture " << fixture_path(name)
                            << " (regenerate: /usr/bin/python3 tests/data/ocr/make_fixtures.py)";
    return m;
}

inline std::string models_dir() { return std::string(FISCAN_SOURCE_DIR) + "/models"; }

}  // namespace fiscan::ocr::testing

namespace fiscan::ocr::testing {

// Levenshtein distance in code points (UTF-8 input).
inline int edit_distance(const std::string& a, const std::string& b) {
    auto cps = [](const std::string& s) {
        std::vector<std::string> v;
        for (size_t i = 0; i < s.size();) {
            const auto c = static_cast<unsigned char>(s[i]);
            const size_t n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            v.push_back(s.substr(i, n));
            i += n;
        }
        return v;
    };
    const auto x = cps(a), y = cps(b);
    std::vector<int> prev(y.size() + 1), cur(y.size() + 1);
    for (size_t j = 0; j <= y.size(); ++j) prev[j] = static_cast<int>(j);
    for (size_t i = 1; i <= x.size(); ++i) {
        cur[0] = static_cast<int>(i);
        for (size_t j = 1; j <= y.size(); ++j)
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1)});
        std::swap(prev, cur);
    }
    return prev[y.size()];
}

}  // namespace fiscan::ocr::testing
