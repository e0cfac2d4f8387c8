// The HTTP service over loopback with the embedded SQLite store: uploads,
// jobs, results (JSON and XLSX), limits, deletion, metrics; durability across
// kill -9; graceful shutdown.
#include "service/job_store.hpp"
#include "service/server.hpp"
#include "service/worker.hpp"
#include "service_fixtures.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

using namespace fiscan;
using namespace fiscan::test;
using nlohmann::json;

namespace {

// An in-process server on a free port with `workers` embedded workers.
struct LiveServer {
    TempDir dir;
    std::unique_ptr<service::JobStore> store;
    service::Metrics metrics;
    std::unique_ptr<service::WorkerPool> pool;
    std::unique_ptr<service::Server> server;
    std::thread thread;
    int port = 0;

    explicit LiveServer(int workers, service::ServerOptions so = {}, double job_timeout = 600) {
        store = service::open_sqlite_store((dir.path / "data").string());
        if (workers > 0) {
            service::WorkerOptions wo;
            wo.exe = FISCAN_BINARY;
            wo.workers = workers;
            wo.job_threads = 1;
            wo.work_dir = (dir.path / "work").string();
            wo.job_timeout_s = job_timeout;
            pool = std::make_unique<service::WorkerPool>(*store, wo, &metrics);
        }
        so.port = 0;
        server = std::make_unique<service::Server>(*store, so, metrics, pool.get());
        EXPECT_TRUE(server->bind());
        port = server->port();
        if (pool) pool->start();
        thread = std::thread([this] { server->run(); });
    }
    ~LiveServer() {
        if (pool) pool->stop(0);
        server->stop();
        thread.join();
    }
    httplib::Client client() const {
        httplib::Client c("127.0.0.1", port);
        c.set_read_timeout(60, 0);
        return c;
    }
};

httplib::Result upload(httplib::Client& c, const std::string& path, const std::string& query = "?method=text-layer") {
    httplib::MultipartFormDataItems items = {{"file", slurp(path), fs::path(path).filename().string(), "application/pdf"}};
    return c.Post(("/v1/documents" + query).c_str(), items);
}

std::string job_state(httplib::Client& c, const std::string& id) {
    auto r = c.Get(("/v1/jobs/" + id).c_str());
    if (!r || r->status != 200) return "";
    return json::parse(r->body)["state"];
}

}  // namespace

TEST(Service, UploadPollResultXlsxDeleteMetrics) {
    LiveServer s(1);
    auto c = s.client();
    auto r = upload(c, service_data("two-pages.pdf"));
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 202) << r->body;
    json accepted = json::parse(r->body);
    std::string id = accepted["id"];
    EXPECT_EQ(accepted["pages_total"], 2);
    EXPECT_EQ(r->get_header_value("Location"), "/v1/jobs/" + id);

    ASSERT_TRUE(wait_until([&] { return job_state(c, id) == "done"; })) << job_state(c, id);
    json job = json::parse(c.Get(("/v1/jobs/" + id).c_str())->body);
    EXPECT_EQ(job["pages_done"], 2);
    EXPECT_EQ(job["pages_total"], 2);
    EXPECT_EQ(job["attempts"], 1);

    auto res = c.Get(("/v1/jobs/" + id + "/result").c_str());
    ASSERT_EQ(res->status, 200);
    json doc = json::parse(res->body);
    EXPECT_EQ(doc["schema_version"], "1");
    EXPECT_EQ(doc["document"]["file"], "two-pages.pdf");
    EXPECT_EQ(doc["document"]["page_count"], 2);
    EXPECT_EQ(doc["document"]["sha256"], accepted["sha256"]);
    EXPECT_EQ(doc["pages"].size(), 2u);

    auto x = c.Get(("/v1/jobs/" + id + "/result.xlsx").c_str());
    ASSERT_EQ(x->status, 200);
    EXPECT_EQ(x->body.substr(0, 2), "PK");

    auto m = c.Get("/metrics");
    ASSERT_EQ(m->status, 200);
    EXPECT_NE(m->body.find("fiscan_jobs{state=\"done\"} 1"), std::string::npos) << m->body;
    EXPECT_NE(m->body.find("fiscan_pages_processed_total 2"), std::string::npos) << m->body;
    EXPECT_NE(m->body.find("fiscan_page_seconds_count 2"), std::string::npos);
    EXPECT_NE(m->body.find("fiscan_ocr_cells_per_second"), std::string::npos);

    auto h = c.Get("/healthz");
    EXPECT_EQ(h->status, 200);
    EXPECT_EQ(json::parse(h->body)["status"], "ok");

    auto d = c.Delete(("/v1/jobs/" + id).c_str());
    EXPECT_EQ(d->status, 204);
    EXPECT_EQ(c.Get(("/v1/jobs/" + id).c_str())->status, 404);
    EXPECT_EQ(c.Delete(("/v1/jobs/" + id).c_str())->status, 404);
}

TEST(Service, RawBodyUploadAndUnknownJob) {
    LiveServer s(0);
    auto c = s.client();
    auto r = c.Post("/v1/documents?method=text-layer&filename=raw.pdf", slurp(service_data("one-page.pdf")), "application/pdf");
    ASSERT_EQ(r->status, 202) << r->body;
    json j = json::parse(r->body);
    EXPECT_EQ(j["file"], "raw.pdf");
    EXPECT_EQ(j["state"], "queued");
    // Not finished (no workers): the result is not ready yet.
    auto res = c.Get(("/v1/jobs/" + j["id"].get<std::string>() + "/result").c_str());
    EXPECT_EQ(res->status, 409);
    EXPECT_EQ(json::parse(res->body)["error"], "not_ready");
    EXPECT_EQ(c.Get("/v1/jobs/0123abcd")->status, 404);
    EXPECT_EQ(json::parse(c.Get("/v1/jobs/0123abcd")->body)["error"], "not_found");
}

TEST(Service, LimitsGiveClearJsonErrors) {
    service::ServerOptions so;
    so.max_upload_bytes = 200 * 1024;  // one-page.pdf (164 KiB) fits, two-pages.pdf (310 KiB) does not
    so.max_pages = 1;
    so.max_queue = 1;
    LiveServer s(0, so);
    auto c = s.client();

    auto big = upload(c, service_data("two-pages.pdf"));
    ASSERT_TRUE(big);
    EXPECT_EQ(big->status, 413);
    EXPECT_EQ(json::parse(big->body)["error"], "upload_too_large");

    auto bad = upload(c, service_data("not-a-pdf.pdf"));
    EXPECT_EQ(bad->status, 422);
    EXPECT_EQ(json::parse(bad->body)["error"], "not_a_pdf");

    // A PDF that is cut short is not readable either.
    std::string cut = slurp(service_data("one-page.pdf")).substr(0, 2000);
    auto trunc = c.Post("/v1/documents", cut, "application/pdf");
    EXPECT_EQ(trunc->status, 422) << trunc->body;

    auto ok = upload(c, service_data("one-page.pdf"));
    EXPECT_EQ(ok->status, 202) << ok->body;
    auto full = upload(c, service_data("one-page.pdf"));
    EXPECT_EQ(full->status, 429);
    EXPECT_EQ(json::parse(full->body)["error"], "queue_full");

    auto m = c.Get("/metrics");
    EXPECT_NE(m->body.find("fiscan_uploads_rejected_total{reason=\"queue_full\"} 1"), std::string::npos) << m->body;

    s.server->begin_shutdown();
    auto late = upload(c, service_data("one-page.pdf"));
    EXPECT_EQ(late->status, 503);
    EXPECT_EQ(json::parse(late->body)["error"], "shutting_down");
    EXPECT_EQ(c.Get("/healthz")->status, 503);
}

TEST(Service, TooManyPages) {
    service::ServerOptions so;
    so.max_pages = 1;
    LiveServer s(0, so);
    auto c = s.client();
    auto r = upload(c, service_data("two-pages.pdf"));
    EXPECT_EQ(r->status, 422);
    EXPECT_EQ(json::parse(r->body)["error"], "too_many_pages");
}

TEST(Service, JobTimeLimitFailsTheJob) {
    // A limit no extraction can meet: the job fails with the reason, the worker goes on.
    LiveServer s(1, {}, 0.0);
    auto c = s.client();
    auto r = upload(c, service_data("one-page.pdf"));
    ASSERT_EQ(r->status, 202);
    std::string id = json::parse(r->body)["id"];
    ASSERT_TRUE(wait_until([&] { return job_state(c, id) == "failed"; }));
    json j = json::parse(c.Get(("/v1/jobs/" + id).c_str())->body);
    EXPECT_NE(j["error"].get<std::string>().find("time limit"), std::string::npos) << j.dump();
    EXPECT_EQ(c.Get(("/v1/jobs/" + id + "/result").c_str())->status, 409);
}

// Store semantics the worker loop relies on: a job is finished once, by the
// worker holding it; a requeued job cannot be finished by its old worker.
TEST(SqliteStore, LeasesMakeCompletionExactlyOnce) {
    TempDir d;
    auto st = service::open_sqlite_store(d.path.string());
    service::JobInfo j;
    j.id = service::new_job_id();
    j.file_name = "a.pdf";
    st->create(j, "%PDF-1.4 test");
    auto c1 = st->claim("w1", 30, 3);
    ASSERT_TRUE(c1);
    EXPECT_EQ(c1->pdf, "%PDF-1.4 test");
    EXPECT_EQ(c1->job.state, "running");
    EXPECT_FALSE(st->claim("w2", 30, 3));  // nothing else to claim
    EXPECT_TRUE(st->release(j.id, "w1"));  // graceful shutdown
    auto c2 = st->claim("w2", 30, 3);
    ASSERT_TRUE(c2);
    EXPECT_FALSE(st->finish(j.id, "w1", "{}"));  // the old worker lost it
    EXPECT_FALSE(st->heartbeat(j.id, "w1", 30, 1, 1));
    EXPECT_TRUE(st->heartbeat(j.id, "w2", 30, 1, 1));
    EXPECT_TRUE(st->finish(j.id, "w2", "{\"ok\":1}"));
    EXPECT_FALSE(st->finish(j.id, "w2", "{\"ok\":2}"));
    EXPECT_EQ(*st->result(j.id), "{\"ok\":1}");
    EXPECT_EQ(st->counts()["done"], 1);
}

TEST(SqliteStore, JobThatKeepsKillingWorkersIsFailed) {
    TempDir d;
    service::JobInfo j;
    j.id = service::new_job_id();
    for (int i = 0; i < 2; ++i) {
        auto st = service::open_sqlite_store(d.path.string());  // a fresh process after a crash
        if (i == 0) st->create(j, "%PDF-");
        ASSERT_TRUE(st->claim("w", 30, 2)) << i;
    }
    auto st = service::open_sqlite_store(d.path.string());
    EXPECT_FALSE(st->claim("w", 30, 2));
    auto info = st->get(j.id);
    EXPECT_EQ(info->state, "failed");
    EXPECT_NE(info->error.find("gave up after 2 attempts"), std::string::npos);
}

TEST(SqliteStore, OneServerPerDataDir) {
    TempDir d;
    auto a = service::open_sqlite_store(d.path.string());
    EXPECT_THROW(service::open_sqlite_store(d.path.string()), std::runtime_error);
}

// kill -9 of a real server: accepted jobs (queued, and one that was running)
// all finish after a restart, each exactly once.
TEST(ServiceDurability, KillNineAndRestartLosesNothing) {
    TempDir d;
    std::string data = (d.path / "data").string();
    std::vector<std::string> ids;
    {
        // Server without workers: accept three uploads, then kill -9.
        Child srv({"serve", "--port", "0", "--data-dir", data, "--workers", "0"}, d.path / "srv1.log");
        int port = srv.port();
        ASSERT_GT(port, 0) << srv.log();
        httplib::Client c("127.0.0.1", port);
        for (int i = 0; i < 3; ++i) {
            auto r = upload(c, service_data(i == 1 ? "two-pages.pdf" : "one-page.pdf"));
            ASSERT_TRUE(r);
            ASSERT_EQ(r->status, 202) << r->body;
            ids.push_back(json::parse(r->body)["id"]);
        }
        srv.kill(SIGKILL);
    }
    {
        // A worker that died mid-job: claimed (running) but never finished.
        auto st = service::open_sqlite_store(data);
        auto cl = st->claim("dead-worker", 3600, 5);
        ASSERT_TRUE(cl);
        EXPECT_EQ(cl->job.id, ids[0]);
        EXPECT_EQ(st->counts()["running"], 1);
    }
    Child srv({"serve", "--port", "0", "--data-dir", data, "--workers", "2", "--job-threads", "1"}, d.path / "srv2.log");
    int port = srv.port();
    ASSERT_GT(port, 0) << srv.log();
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(60, 0);
    ASSERT_TRUE(wait_until([&] {
        for (auto& id : ids)
            if (job_state(c, id) != "done") return false;
        return true;
    }, 300)) << srv.log();
    for (size_t i = 0; i < ids.size(); ++i) {
        json j = json::parse(c.Get(("/v1/jobs/" + ids[i]).c_str())->body);
        EXPECT_EQ(j["attempts"], i == 0 ? 2 : 1) << j.dump();
        auto r = c.Get(("/v1/jobs/" + ids[i] + "/result").c_str());
        ASSERT_EQ(r->status, 200);
        EXPECT_EQ(json::parse(r->body)["document"]["page_count"], i == 1 ? 2 : 1);
    }
    // Graceful stop on SIGTERM.
    srv.kill(SIGTERM);
    EXPECT_EQ(srv.wait(), 0) << srv.log();
    EXPECT_NE(srv.log().find("stopped"), std::string::npos);
}

// SIGTERM while a job runs and the grace period is 0: the job goes back to the
// queue (not failed, not lost) and the next server finishes it.
TEST(ServiceDurability, SigtermRequeuesWorkInFlight) {
    TempDir d;
    std::string data = (d.path / "data").string();
    std::string id;
    {
        // --job-threads 1 on the OCR path: slow enough to be caught running.
        Child srv({"serve", "--port", "0", "--data-dir", data, "--workers", "1", "--job-threads", "1", "--grace", "0"},
                  d.path / "srv1.log");
        int port = srv.port();
        ASSERT_GT(port, 0) << srv.log();
        httplib::Client c("127.0.0.1", port);
        auto r = upload(c, service_data("two-pages.pdf"), "?method=ocr");
        ASSERT_EQ(r->status, 202);
        id = json::parse(r->body)["id"];
        ASSERT_TRUE(wait_until([&] { return job_state(c, id) == "running"; }, 60));
        srv.kill(SIGTERM);
        EXPECT_EQ(srv.wait(), 0) << srv.log();
    }
    auto st = service::open_sqlite_store(data);
    auto j = st->get(id);
    ASSERT_TRUE(j);
    // Either it had already finished within the instant before the signal, or it is queued again.
    EXPECT_TRUE(j->state == "queued" || j->state == "done") << j->state;
    if (j->state == "queued") {
        EXPECT_EQ(j->attempts, 0);  // a requeue is not an attempt
    }
}
