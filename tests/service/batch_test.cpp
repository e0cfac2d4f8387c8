// fiscan batch: real extraction (text layer) of small real PDFs, a broken
// input that must not stop the batch, the manifest, and resuming.
#include "service/batch.hpp"
#include "service_fixtures.hpp"

#include <nlohmann/json.hpp>

using namespace fiscan;
using namespace fiscan::test;
using nlohmann::json;

namespace {

service::BatchOptions options(const TempDir& in, const TempDir& out, FILE* progress) {
    service::BatchOptions o;
    o.inputs = {in.path.string()};
    o.out_dir = (out.path / "out").string();
    o.formats = service::parse_formats("json,xlsx,csv");
    o.extract.force_method = "text-layer";
    o.extract.threads = 1;
    o.progress = progress;
    o.terminal = false;
    o.interval_s = 3600;  // only the per-document lines
    return o;
}

}  // namespace

TEST(Batch, ExtractsReportsFailuresAndResumes) {
    TempDir in, out;
    fs::create_directories(in.path / "a");
    fs::copy_file(service_data("one-page.pdf"), in.path / "a" / "one.pdf");
    fs::copy_file(service_data("two-pages.pdf"), in.path / "two.pdf");
    fs::copy_file(service_data("not-a-pdf.pdf"), in.path / "broken.pdf");

    TempDir logs;
    FILE* log = std::fopen((logs.path / "progress.txt").c_str(), "w+");
    auto s = service::run_batch(options(in, out, log));
    std::fclose(log);
    EXPECT_EQ(s.items.size(), 3u);
    EXPECT_EQ(s.done, 2);
    EXPECT_EQ(s.failed, 1);
    EXPECT_EQ(s.skipped, 0);
    EXPECT_EQ(s.pages, 3);
    fs::path o = out.path / "out";
    EXPECT_TRUE(fs::exists(o / "one.json"));
    EXPECT_TRUE(fs::exists(o / "one.xlsx"));
    EXPECT_TRUE(fs::exists(o / "one.csv" / "findings.csv"));
    EXPECT_TRUE(fs::exists(o / "two.json"));
    EXPECT_FALSE(fs::exists(o / "broken.json"));
    json one = json::parse(slurp(o / "one.json"));
    EXPECT_EQ(one["document"]["page_count"], 1);
    EXPECT_GE(one["tables"].size(), 1u);

    json m = json::parse(slurp(o / "manifest.json"));
    EXPECT_EQ(m["state"], "finished");
    EXPECT_EQ(m["totals"]["done"], 2);
    EXPECT_EQ(m["totals"]["failed"], 1);
    bool saw_broken = false;
    for (const auto& d : m["documents"]) {
        if (d["input"].get<std::string>().find("broken.pdf") != std::string::npos) {
            saw_broken = true;
            EXPECT_EQ(d["status"], "failed");
            EXPECT_FALSE(d["error"].get<std::string>().empty());
        } else {
            EXPECT_EQ(d["status"], "done");
            EXPECT_EQ(d["sha256"].get<std::string>().size(), 64u);
        }
    }
    EXPECT_TRUE(saw_broken);
    std::string progress = slurp(logs.path / "progress.txt");
    EXPECT_NE(progress.find("done " + (in.path / "a" / "one.pdf").string()), std::string::npos) << progress;
    EXPECT_NE(progress.find("failed " + (in.path / "broken.pdf").string()), std::string::npos) << progress;
    std::string summary = service::summary_text(s);
    EXPECT_NE(summary.find("2 done"), std::string::npos) << summary;
    EXPECT_NE(summary.find("broken.pdf"), std::string::npos) << summary;

    // Resume: complete outputs are skipped and left untouched.
    auto t_one = fs::last_write_time(o / "one.json");
    auto s2 = service::run_batch(options(in, out, nullptr));
    EXPECT_EQ(s2.skipped, 2);
    EXPECT_EQ(s2.done, 0);
    EXPECT_EQ(s2.failed, 1);
    EXPECT_EQ(fs::last_write_time(o / "one.json"), t_one);
    EXPECT_EQ(s2.findings_by_kind, s.findings_by_kind);

    // An output whose input changed (other hash) or that lacks a requested
    // format is redone.
    fs::remove(o / "two.xlsx");
    fs::copy_file(service_data("one-page.pdf"), in.path / "a" / "one.pdf", fs::copy_options::overwrite_existing);
    auto s3 = service::run_batch(options(in, out, nullptr));
    EXPECT_EQ(s3.done, 1);     // two.pdf (xlsx missing)
    EXPECT_EQ(s3.skipped, 1);  // one.pdf: same bytes
    EXPECT_TRUE(fs::exists(o / "two.xlsx"));
}

TEST(Batch, ListFileAndDuplicateStems) {
    TempDir in, out;
    fs::create_directories(in.path / "x");
    fs::create_directories(in.path / "y");
    fs::copy_file(service_data("one-page.pdf"), in.path / "x" / "doc.pdf");
    fs::copy_file(service_data("two-pages.pdf"), in.path / "y" / "doc.pdf");
    {
        std::ofstream l(in.path / "list.txt");
        l << "# inputs\nx/doc.pdf\n\ny/doc.pdf\n";
    }
    auto inputs = service::collect_inputs({(in.path / "list.txt").string()});
    ASSERT_EQ(inputs.size(), 2u);
    service::BatchOptions o;
    o.inputs = {(in.path / "list.txt").string()};
    o.out_dir = out.path.string();
    o.extract.force_method = "text-layer";
    o.extract.threads = 1;
    o.progress = nullptr;
    auto s = service::run_batch(o);
    EXPECT_EQ(s.done, 2);
    // Same stem, different files: told apart by their hashes, nothing overwritten.
    int jsons = 0;
    for (auto& e : fs::directory_iterator(out.path))
        if (e.path().extension() == ".json" && e.path().filename() != "manifest.json") ++jsons;
    EXPECT_EQ(jsons, 2);
    EXPECT_THROW(service::collect_inputs({(in.path / "missing").string()}), InputError);
}

TEST(Batch, CommandLineExitStatusAndManifest) {
    TempDir in, out, logs;
    fs::copy_file(service_data("one-page.pdf"), in.path / "one.pdf");
    fs::copy_file(service_data("not-a-pdf.pdf"), in.path / "bad.pdf");
    Child c({"batch", in.path.string(), "-o", out.path.string(), "--method", "text-layer", "--threads", "1", "--format", "json,xlsx"},
            logs.path / "log");
    EXPECT_EQ(c.wait(), 1);  // one document failed
    std::string log = c.log();
    EXPECT_NE(log.find("1 done"), std::string::npos) << log;
    EXPECT_NE(log.find("1 failed"), std::string::npos) << log;
    EXPECT_TRUE(fs::exists(out.path / "one.xlsx"));
    EXPECT_TRUE(fs::exists(out.path / "manifest.json"));
}
