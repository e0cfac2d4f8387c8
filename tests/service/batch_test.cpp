// fiscan batch: real extraction (text layer) of small real PDFs, a broken
// input that must not stop the batch, the manifest, and resuming.
#include "output/json_writer.hpp"
#include "service/batch.hpp"
#include "service_fixtures.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <sys/stat.h>

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

namespace {

// A PDF with the bytes of `src` plus a trailing comment: every copy has its
// own SHA-256, so an output can only match the input it was made from.
void distinct_copy(const std::string& src, const fs::path& dst, int n) {
    std::ofstream o(dst, std::ios::binary);
    o << slurp(src) << "\n% copy " << n << "\n";
}

std::string sha256_of(const fs::path& p) { return output::sha256_hex(slurp(p)); }

}  // namespace

// The real `fiscan batch` killed with SIGKILL part-way, then run again: no
// output under a final name is partial, the documents finished before the kill
// are skipped (files untouched), the others are done, each exactly once.
TEST(BatchResume, SigkillPartWayThenResumeDoesEachDocumentOnce) {
    TempDir in, out, logs;
    const int n = 10;
    std::map<std::string, std::string> sha;  // stem → input SHA-256
    for (int i = 0; i < n; ++i) {
        char stem[16];
        std::snprintf(stem, sizeof stem, "doc%02d", i);
        fs::path p = in.path / (std::string(stem) + ".pdf");
        distinct_copy(service_data(i % 3 == 2 ? "two-pages.pdf" : "one-page.pdf"), p, i);
        sha[stem] = sha256_of(p);
    }
    ASSERT_EQ(std::set<std::string>([&] {
                  std::set<std::string> s;
                  for (auto& [k, v] : sha) s.insert(v);
                  return s;
              }()).size(),
              static_cast<size_t>(n));
    std::vector<std::string> args = {"batch", in.path.string(), "-o", out.path.string(), "--method", "text-layer",
                                     "--threads", "1", "--format", "json,xlsx", "--progress-interval", "0.2"};
    auto manifest_done = [&] {
        json m = json::parse(slurp(out.path / "manifest.json"), nullptr, false);
        if (m.is_discarded() || !m.contains("totals")) return -1;
        return m["totals"].value("done", 0);
    };
    {
        Child c(args, logs.path / "run1.log");
        ASSERT_TRUE(wait_until([&] { return manifest_done() >= 2; }, 120)) << c.log();
        c.kill(SIGKILL);  // kills and reaps
        EXPECT_EQ(c.wait(), 128 + SIGKILL) << "the batch ended before the kill:\n" << c.log();
    }

    // After the kill: every file under a final name is complete. A JSON exists
    // only for a finished document and carries its input's hash; temp files
    // are the only other thing a kill can leave.
    std::map<std::string, std::pair<fs::file_time_type, ino_t>> before;  // stem → (mtime, inode) of its JSON
    for (auto& e : fs::directory_iterator(out.path)) {
        std::string name = e.path().filename().string();
        if (name == "manifest.json") continue;
        if (name.find(".tmp") != std::string::npos) continue;  // a writer's temp file (removed by the next run)
        std::string stem = e.path().stem().string();
        ASSERT_TRUE(sha.count(stem)) << "unexpected output " << name;
        if (e.path().extension() != ".json") continue;
        json j = json::parse(slurp(e.path()), nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << name << " is not valid JSON";
        EXPECT_EQ(j["document"].value("sha256", ""), sha[stem]) << name;
        EXPECT_TRUE(fs::exists(out.path / (stem + ".xlsx"))) << "JSON written before the XLSX of " << stem;
        struct stat st{};
        ASSERT_EQ(::stat(e.path().c_str(), &st), 0);
        before[stem] = {fs::last_write_time(e.path()), st.st_ino};
    }
    json m1 = json::parse(slurp(out.path / "manifest.json"));
    EXPECT_EQ(m1["state"], "running");
    for (const auto& d : m1["documents"]) {  // what the manifest calls done has its complete output
        if (d["status"] == "done") {
            EXPECT_TRUE(before.count(d["stem"].get<std::string>())) << d.dump();
        }
    }
    ASSERT_GE(before.size(), 2u);
    ASSERT_LT(before.size(), static_cast<size_t>(n)) << "nothing was left to resume";

    // Debris of a writer killed mid-write: removed when its process is gone,
    // kept while it lives (this process stands in for a live writer).
    pid_t dead = ::fork();
    if (dead == 0) ::_exit(0);
    ::waitpid(dead, nullptr, 0);
    const fs::path dead_json = out.path / ("doc09.json.tmp." + std::to_string(dead));
    const fs::path dead_xlsx = out.path / (".doc09.xlsx.tmp" + std::to_string(dead) + "-0");
    const fs::path live_json = out.path / ("doc08.json.tmp." + std::to_string(::getpid()));
    for (const auto& p : {dead_json, dead_xlsx, live_json}) std::ofstream(p) << "{\"trunc";
    int debris = 0;  // the two above, and whatever the kill itself left
    for (auto& e : fs::directory_iterator(out.path))
        debris += e.path().filename().string().find(".tmp") != std::string::npos && e.path() != live_json;

    std::cerr << "killed with " << before.size() << " of " << n << " documents complete; " << debris << " temp files to sweep\n";
    Child c2(args, logs.path / "run2.log");
    ASSERT_EQ(c2.wait(), 0) << c2.log();
    EXPECT_FALSE(fs::exists(dead_json));
    EXPECT_FALSE(fs::exists(dead_xlsx));
    EXPECT_TRUE(fs::exists(live_json));
    fs::remove(live_json);
    for (auto& e : fs::directory_iterator(out.path))
        EXPECT_EQ(e.path().filename().string().find(".tmp"), std::string::npos) << "left over: " << e.path();

    json m2 = json::parse(slurp(out.path / "manifest.json"));
    EXPECT_EQ(m2["state"], "finished");
    EXPECT_EQ(m2["totals"]["inputs"], n);
    EXPECT_EQ(m2["totals"]["failed"], 0);
    EXPECT_EQ(m2["totals"]["skipped"], static_cast<int>(before.size()));
    EXPECT_EQ(m2["totals"]["done"], n - static_cast<int>(before.size()));
    ASSERT_EQ(m2["documents"].size(), static_cast<size_t>(n));
    std::set<std::string> seen;
    for (const auto& d : m2["documents"]) {
        std::string stem = d["stem"];
        EXPECT_TRUE(seen.insert(stem).second) << "listed twice: " << stem;
        // Finished before the kill → skipped and untouched; the rest → done now.
        EXPECT_EQ(d["status"], before.count(stem) ? "skipped" : "done") << d.dump();
        fs::path jp = out.path / (stem + ".json");
        json j = json::parse(slurp(jp), nullptr, false);
        ASSERT_FALSE(j.is_discarded()) << jp;
        EXPECT_EQ(j["document"].value("sha256", ""), sha[stem]) << stem;
        EXPECT_EQ(d["sha256"], sha[stem]);
        EXPECT_TRUE(fs::exists(out.path / (stem + ".xlsx"))) << stem;
        if (before.count(stem)) {
            struct stat st{};
            ASSERT_EQ(::stat(jp.c_str(), &st), 0);
            EXPECT_EQ(fs::last_write_time(jp), before[stem].first) << stem << " was rewritten";
            EXPECT_EQ(st.st_ino, before[stem].second) << stem << " was rewritten";
        }
    }
    EXPECT_EQ(seen.size(), static_cast<size_t>(n));
    std::string log = c2.log();
    EXPECT_NE(log.find(std::to_string(before.size()) + " of " + std::to_string(n) + " documents already complete"),
              std::string::npos) << log;
    EXPECT_NE(log.find("removed " + std::to_string(debris) + " temp file"), std::string::npos) << log;
}
