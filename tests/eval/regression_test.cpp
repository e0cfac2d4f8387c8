// End-to-end regression check on the committed sample corpus
// (corpus/samples: a real final-account document as born-digital, typical
// scan and damaged scan, 6 pages). The fiscan binary extracts every document,
// `fiscan eval` scores the outputs against the truth, and each metric must
// stay on the right side of the threshold in
// tests/data/eval/regression-thresholds.json — values a little below what was
// measured (docs/benchmarks.md), so an accuracy regression fails CI.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json load(const fs::path& p) {
    std::ifstream in(p);
    if (!in) throw std::runtime_error("cannot open " + p.string());
    return json::parse(in);
}

int run(const std::string& cmd) {
    int rc = std::system(cmd.c_str());
    return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

}  // namespace

TEST(Regression, SampleCorpusStaysAboveItsThresholds) {
    const fs::path samples = fs::path(FISCAN_SOURCE_DIR) / "corpus" / "samples";
    const json manifest = load(samples / "manifest.json");
    const json limits = load(fs::path(FISCAN_TEST_DATA) / "eval" / "regression-thresholds.json");
    const fs::path out = fs::temp_directory_path() / ("fiscan-regression-" + std::to_string(::getpid()));
    fs::create_directories(out / "pred");

    for (const auto& d : manifest["documents"]) {
        const std::string id = d["id"];
        const std::string cmd = std::string(FISCAN_BINARY) + " extract -q --threads 2 " + (samples / d["pdf"].get<std::string>()).string() +
                                " -o " + (out / "pred" / (id + ".json")).string() + " 2>" + (out / (id + ".log")).string();
        ASSERT_EQ(run(cmd), 0) << "extract failed: " << id;
    }
    const fs::path eval_json = out / "eval.json";
    ASSERT_EQ(run(std::string(FISCAN_BINARY) + " eval --manifest " + (samples / "manifest.json").string() + " --pred-dir " +
                  (out / "pred").string() + " --json " + eval_json.string() + " >/dev/null"),
              0);
    const json ev = load(eval_json);

    int checked = 0;
    for (const auto& [quality, bounds] : limits["by_quality"].items()) {
        ASSERT_TRUE(ev["by_quality"].contains(quality)) << "no " << quality << " documents were scored";
        const json& m = ev["by_quality"][quality]["metrics"];
        for (const auto& [metric, bound] : bounds.items()) {
            const bool at_most = metric.rfind("max_", 0) == 0;
            const std::string name = metric.substr(4);  // "min_" or "max_"
            ASSERT_TRUE(m.contains(name) && m[name].is_number()) << quality << ": metric " << name << " missing";
            const double v = m[name].get<double>();
            if (at_most)
                EXPECT_LE(v, bound.get<double>()) << quality << " " << name << " rose above its threshold";
            else
                EXPECT_GE(v, bound.get<double>()) << quality << " " << name << " fell below its threshold";
            ++checked;
        }
    }
    EXPECT_GE(checked, 10);
    if (!HasFailure()) fs::remove_all(out);
}
