// End to end: the fiscan binary on a real text-layer page, on a scanned
// sample with known truth, and on broken input; outputs validated against
// docs/output.schema.json.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <sys/wait.h>

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const std::string kSource = FISCAN_SOURCE_DIR;

struct Run {
    int status = -1;
    std::string err;
};

Run run_fiscan(const std::string& args) {
    fs::path err = fs::temp_directory_path() / ("fiscan-test-" + std::to_string(::getpid()) + ".err");
    std::string cmd = std::string(FISCAN_BINARY) + " " + args + " 2>" + err.string() + " >/dev/null";
    int rc = std::system(cmd.c_str());
    Run r;
    r.status = WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
    std::ifstream in(err);
    r.err.assign(std::istreambuf_iterator<char>(in), {});
    fs::remove(err);
    return r;
}

json load(const fs::path& p) {
    std::ifstream in(p);
    return json::parse(in);
}

fs::path tmp_dir() { return fs::temp_directory_path() / ("fiscan-e2e-" + std::to_string(::getpid())); }

fs::path tmp(const std::string& name) {
    fs::create_directories(tmp_dir());
    return tmp_dir() / name;
}

// The outputs of this file's tests are removed when the test program ends.
struct RemoveTmpDir : ::testing::Environment {
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(tmp_dir(), ec);
    }
};
[[maybe_unused]] auto* const kRemoveTmpDir = ::testing::AddGlobalTestEnvironment(new RemoveTmpDir);

void expect_valid_against_schema(const fs::path& out) {
    std::string cmd = "/usr/bin/python3 -m jsonschema -i " + out.string() + " " + kSource + "/docs/output.schema.json";
    EXPECT_EQ(std::system(cmd.c_str()), 0) << "output does not validate: " << out;
}

const json* cell_at(const json& table, int row, int col) {
    for (const auto& c : table["cells"])
        if (c["row"] == row && c["col"] == col) return &c;
    return nullptr;
}

}  // namespace

TEST(Extract, TextLayerPageOfARealDisclosure) {
    auto out = tmp("real.json");
    auto r = run_fiscan("extract -q " + std::string(FISCAN_TEST_DATA) + "/pdf/real-final02-p8.pdf -o " + out.string());
    ASSERT_EQ(r.status, 0) << r.err;
    json j = load(out);
    expect_valid_against_schema(out);
    ASSERT_EQ(j["pages"].size(), 1u);
    EXPECT_EQ(j["pages"][0]["method"], "text-layer");
    ASSERT_EQ(j["tables"].size(), 1u);
    const auto& t = j["tables"][0];
    EXPECT_EQ(t["schema"], "final.02");
    EXPECT_EQ(t["title"], "收入决算表");
    EXPECT_EQ(t["unit"], "万元");
    EXPECT_EQ(t["n_cols"], 11);
    // 合计 / 本年收入合计 and the split code columns (类 | 款 | 项) of one row.
    bool total = false, split_code = false;
    for (const auto& c : t["cells"]) {
        if (c["text"] == "2,946.25") { total = true; EXPECT_DOUBLE_EQ(c["value"].get<double>(), 2946.25); EXPECT_EQ(c["source"], "text-layer"); }
        if (c["text"] == "行政运行") {
            int row = c["row"];
            split_code = cell_at(t, row, 0) && (*cell_at(t, row, 0))["text"] == "201" && (*cell_at(t, row, 1))["text"] == "06" &&
                         (*cell_at(t, row, 2))["text"] == "01";
        }
    }
    EXPECT_TRUE(total);
    EXPECT_TRUE(split_code);
}

// A row ruling with text right above and below it in the body is a ruling:
// the rule that takes a header label's fused strokes for no ruling applies
// to header rows only (公开06表 of the final-account template, text layer:
// 其他交通工具购置 and 文物和陈列品购置 came out as one cell).
TEST(Extract, TextLayerBodyRulingBetweenTwoNamesSeparates) {
    auto out = tmp("template06.json");
    auto r = run_fiscan("extract -q " + std::string(FISCAN_TEST_DATA) + "/pdf/real-template-final06-p11.pdf -o " + out.string());
    ASSERT_EQ(r.status, 0) << r.err;
    json j = load(out);
    ASSERT_EQ(j["pages"][0]["method"], "text-layer");
    ASSERT_EQ(j["tables"].size(), 1u);
    const auto& t = j["tables"][0];
    int traffic = -1, relics = -1;
    for (const auto& c : t["cells"]) {
        if (c["text"] == "其他交通工具购置") traffic = c["row"];
        if (c["text"] == "文物和陈列品购置") relics = c["row"];
    }
    ASSERT_GE(traffic, 0);
    EXPECT_EQ(relics, traffic + 1);
}

TEST(Extract, ScannedSampleMatchesItsTruth) {
    const fs::path pdf = kSource + "/corpus/samples/sample-final.typical.pdf";
    json truth = load(kSource + "/corpus/samples/sample-final.typical.truth.json");
    auto out = tmp("typical.json");
    auto r = run_fiscan("extract -q --threads 2 " + pdf.string() + " -o " + out.string() + " --pages 1");
    ASSERT_EQ(r.status, 0) << r.err;
    expect_valid_against_schema(out);
    json j = load(out);
    EXPECT_EQ(j["pages"][0]["method"], "ocr");
    ASSERT_GE(j["tables"].size(), 1u);
    const auto& t = j["tables"][0];
    const auto& tt = truth["tables"][0];
    EXPECT_EQ(t["schema"], tt["schema"]);
    EXPECT_EQ(t["n_cols"], tt["n_cols"]);
    EXPECT_EQ(t["n_rows"], tt["n_rows"]);
    // Every non-empty numeric truth cell at its slot: text, value and spans.
    int numeric = 0, right = 0;
    for (const auto& c : tt["cells"]) {
        if (!c.value("numeric", false) || c["text"] == "") continue;
        ++numeric;
        const json* p = cell_at(t, c["row"], c["col"]);
        if (p && (*p)["value"].is_number() && std::abs((*p)["value"].get<double>() - c["value"].get<double>()) < 0.005 &&
            (*p)["row_span"] == c["row_span"] && (*p)["col_span"] == c["col_span"])
            ++right;
    }
    ASSERT_GT(numeric, 20);
    EXPECT_GE(right, numeric * 9 / 10) << right << " of " << numeric << " numeric cells right";
    // Empty cells stay empty: the rulings (faint, broken, a little skewed in
    // this scan) are erased before cells are cropped, so their remnants are
    // not read as text (there were 18 such cells on this page before).
    int empty = 0, noise = 0;
    for (const auto& c : tt["cells"]) {
        if (c["text"] != "" || c["row"].get<int>() < tt.value("header_rows", 0)) continue;
        const json* p = cell_at(t, c["row"], c["col"]);
        if (!p || (*p)["row_span"] != 1 || (*p)["col_span"] != 1) continue;
        ++empty;
        noise += (*p)["text"] != "";
    }
    ASSERT_GT(empty, 40);
    EXPECT_LE(noise, 2) << noise << " of " << empty << " empty cells got text";
    // The page text (outside the table) holds the title printed above it.
    const std::string title = tt["title"].get<std::string>();
    EXPECT_NE(j["pages"][0]["text"].get<std::string>().find(title), std::string::npos)
        << "page text '" << j["pages"][0]["text"].get<std::string>() << "' lacks the title '" << title << "'";
}

TEST(Extract, BrokenInputGivesOneLineErrorAndNonZeroExit) {
    const std::string d = std::string(FISCAN_TEST_DATA) + "/pdf/";
    std::map<std::string, std::string> cases = {
        {"not-a-pdf.pdf", "not a PDF"}, {"truncated.pdf", "not a readable PDF"},
        {"encrypted.pdf", "encrypted"}, {"zero-pages.pdf", "no pages"}};
    for (const auto& [file, why] : cases) {
        auto r = run_fiscan("extract " + d + file + " -o " + tmp("x.json").string());
        EXPECT_EQ(r.status, 2) << file;
        EXPECT_NE(r.err.find(why), std::string::npos) << file << ": " << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << file << ": " << r.err;
        EXPECT_FALSE(fs::exists(tmp("x.json"))) << "no output may be left for " << file;
    }
    EXPECT_NE(run_fiscan("extract " + d + "real-final02-p8.pdf --pages 5-9").status, 0);
    EXPECT_NE(run_fiscan("extract " + d + "real-final02-p8.pdf --dpi 10").status, 0);
    EXPECT_NE(run_fiscan("extract " + d + "real-final02-p8.pdf --pages x").status, 0);
    EXPECT_NE(run_fiscan("extract /no/such/file.pdf").status, 0);
}

TEST(Extract, OutputDoesNotDependOnThreadCount) {
    const std::string pdf = kSource + "/../shared/real/putuo-finance-2024-final.pdf";
    if (!fs::exists(pdf)) GTEST_SKIP() << "shared/real not available";
    auto a = tmp("t1.json"), b = tmp("t2.json");
    ASSERT_EQ(run_fiscan("extract -q --pages 6-9 --threads 1 " + pdf + " -o " + a.string()).status, 0);
    ASSERT_EQ(run_fiscan("extract -q --pages 6-9 --threads 3 " + pdf + " -o " + b.string()).status, 0);
    json ja = load(a), jb = load(b);
    for (auto* j : {&ja, &jb}) {
        for (auto& p : (*j)["pages"]) p.erase("seconds");
        (*j)["metadata"].erase("threads");
    }
    EXPECT_EQ(ja, jb);
}

TEST(Extract, UpsideDownScanIsTurnedAndRead) {
    auto out = tmp("upside.json");
    auto r = run_fiscan("extract -q " + std::string(FISCAN_TEST_DATA) + "/image/upside-down-final02.pdf -o " + out.string());
    ASSERT_EQ(r.status, 0) << r.err;
    json j = load(out);
    double rot = j["pages"][0]["rotation_deg"].get<double>();
    EXPECT_NEAR(std::abs(rot), 180.0, 3.0);
    ASSERT_GE(j["tables"].size(), 1u);
    EXPECT_EQ(j["tables"][0]["schema"], "final.02");
    bool total = false;
    for (const auto& c : j["tables"][0]["cells"])
        if (c["value"].is_number() && std::abs(c["value"].get<double>() - 2946.25) < 0.005) total = true;
    EXPECT_TRUE(total) << "本年收入合计 2,946.25 not read";
}
