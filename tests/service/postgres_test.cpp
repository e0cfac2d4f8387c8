// Scale-out on PostgreSQL: a real server started from Debian's binaries
// (initdb into a temp folder, pg_ctl on a free port; as the postgres user when
// the tests run as root), the PostgreSQL job store, and two `fiscan worker`
// processes draining one queue filled through `fiscan serve --queue`.
#include "service/job_store.hpp"
#include "service_fixtures.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <set>
#include <sys/socket.h>

using namespace fiscan;
using namespace fiscan::test;
using nlohmann::json;

namespace {

const char* kPgBin = "/usr/lib/postgresql/15/bin";

int free_port() {
    int s = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    a.sin_port = 0;
    ::bind(s, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(s, reinterpret_cast<sockaddr*>(&a), &len);
    int port = ntohs(a.sin_port);
    ::close(s);
    return port;
}

class Postgres : public ::testing::Test {
public:
    static void SetUpTestSuite() {
        if (!fs::exists(std::string(kPgBin) + "/initdb")) {
            skip_ = "PostgreSQL 15 server binaries not installed (apt-get install postgresql)";
            return;
        }
        dir_ = new TempDir("fiscan-pg");
        std::string as;
        if (::geteuid() == 0) {
            // postgres refuses to run as root: run it as the postgres user.
            passwd* pw = ::getpwnam("postgres");
            if (!pw || !fs::exists("/usr/sbin/runuser")) {
                skip_ = "running as root without a postgres user / runuser";
                return;
            }
            if (::chown(dir_->path.c_str(), pw->pw_uid, pw->pw_gid) != 0) {
                skip_ = "cannot chown the temp folder to postgres";
                return;
            }
            as = "runuser -u postgres -- ";
        }
        port_ = free_port();
        std::string d = dir_->path.string();
        std::string init = as + kPgBin + "/initdb -D " + d + "/db -A trust -U postgres --no-sync >" + d + "/initdb.log 2>&1";
        if (std::system(init.c_str()) != 0) {
            skip_ = "initdb failed: " + slurp(d + "/initdb.log");
            return;
        }
        std::string start = as + kPgBin + "/pg_ctl -D " + d + "/db -l " + d + "/pg.log -w -t 60 -o \"-p " + std::to_string(port_) +
                            " -k " + d + " -c listen_addresses=127.0.0.1 -c fsync=off\" start >/dev/null 2>&1";
        if (std::system(start.c_str()) != 0) {
            skip_ = "pg_ctl start failed: " + slurp(d + "/pg.log");
            return;
        }
        as_ = as;
        url_ = "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/postgres";
    }
    static void TearDownTestSuite() {
        if (!url_.empty()) {
            std::string stop = as_ + kPgBin + "/pg_ctl -D " + dir_->path.string() + "/db -m immediate stop >/dev/null 2>&1";
            (void)std::system(stop.c_str());
        }
        delete dir_;
        dir_ = nullptr;
    }
    void SetUp() override {
        if (!skip_.empty()) GTEST_SKIP() << skip_;
        // Each test starts from an empty queue (opening a store creates the table).
        service::open_postgres_store(url_);
        pqxx_clear();
    }
    static void pqxx_clear();

    static inline TempDir* dir_ = nullptr;
    static inline std::string skip_, url_, as_;
    static inline int port_ = 0;
};

}  // namespace

#include <pqxx/pqxx>

void Postgres::pqxx_clear() {
    pqxx::connection c(url_);
    pqxx::work w(c);
    w.exec("DELETE FROM fiscan_jobs");
    w.commit();
}

TEST_F(Postgres, ConcurrentClaimsNeverShareAJob) {
    std::vector<std::string> ids;
    {
        auto st = service::open_postgres_store(url_);
        for (int i = 0; i < 12; ++i) {
            service::JobInfo j;
            j.id = service::new_job_id();
            // Appending, not `"literal" + std::string&&`: GCC 12 -Wrestrict false positive.
            std::string n = std::to_string(i);
            j.file_name = std::string("j").append(n).append(".pdf");
            st->create(j, std::string("%PDF-").append(n));
            ids.push_back(j.id);
        }
    }
    // Two stores (as two processes would have) and four claiming threads.
    auto a = service::open_postgres_store(url_), b = service::open_postgres_store(url_);
    std::mutex mu;
    std::vector<std::string> claimed;
    std::vector<std::thread> ts;
    for (int t = 0; t < 4; ++t)
        ts.emplace_back([&, t] {
            auto& st = t % 2 ? *a : *b;
            std::string worker = "w";
            worker += std::to_string(t);
            while (auto c = st.claim(worker, 60, 3)) {
                EXPECT_EQ(c->pdf.rfind("%PDF-", 0), 0u);
                EXPECT_TRUE(st.finish(c->job.id, worker, "{\"n\":1}"));
                std::lock_guard lk(mu);
                claimed.push_back(c->job.id);
            }
        });
    for (auto& t : ts) t.join();
    EXPECT_EQ(claimed.size(), 12u);
    EXPECT_EQ(std::set<std::string>(claimed.begin(), claimed.end()).size(), 12u);
    EXPECT_EQ(a->counts()["done"], 12);
    EXPECT_EQ(json::parse(*a->result(ids[0]))["n"], 1);  // JSONB round trip
}

TEST_F(Postgres, ExpiredLeaseIsReclaimedAndTheOldWorkerCannotFinish) {
    auto st = service::open_postgres_store(url_);
    service::JobInfo j;
    j.id = service::new_job_id();
    st->create(j, "%PDF-x");
    ASSERT_TRUE(st->claim("dead", 1, 3));
    EXPECT_FALSE(st->claim("alive", 30, 3));  // the lease still holds
    std::optional<service::Claim> c;
    ASSERT_TRUE(wait_until([&] { return (c = st->claim("alive", 30, 3)).has_value(); }, 30));
    EXPECT_EQ(c->job.id, j.id);
    EXPECT_EQ(c->job.attempts, 2);
    EXPECT_FALSE(st->heartbeat(j.id, "dead", 30, 0, 0));
    EXPECT_FALSE(st->finish(j.id, "dead", "{}"));
    EXPECT_TRUE(st->finish(j.id, "alive", "{\"ok\":true}"));
    EXPECT_EQ(st->get(j.id)->state, "done");
    EXPECT_TRUE(st->remove(j.id));
    EXPECT_FALSE(st->get(j.id));
}

TEST_F(Postgres, ServerAndTwoWorkersDrainOneQueue) {
    TempDir d;
    Child srv({"serve", "--port", "0", "--queue", url_, "--workers", "0"}, d.path / "serve.log");
    int port = srv.port();
    ASSERT_GT(port, 0) << srv.log();
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(60, 0);
    std::vector<std::string> ids;
    const size_t uploads = 12;
    for (size_t i = 0; i < uploads; ++i) {
        std::string path = service_data(i % 2 ? "two-pages.pdf" : "one-page.pdf");
        httplib::MultipartFormDataItems items = {{"file", slurp(path), fs::path(path).filename().string(), "application/pdf"}};
        auto r = c.Post("/v1/documents?method=text-layer", items);
        ASSERT_TRUE(r);
        ASSERT_EQ(r->status, 202) << r->body;
        ids.push_back(json::parse(r->body)["id"]);
    }
    // A job held by a worker that died: its lease (2 s) runs out and a live worker re-claims it.
    {
        auto st = service::open_postgres_store(url_);
        service::JobInfo j;
        j.id = service::new_job_id();
        j.file_name = "orphan.pdf";
        j.options = "{\"method\":\"text-layer\"}";
        st->create(j, slurp(service_data("one-page.pdf")));
        // Claim it before the workers exist: the oldest queued job is ids[0], so claim until we hold the orphan.
        std::vector<service::Claim> held;
        while (auto cl = st->claim("dead", 2, 5)) {
            if (cl->job.id == j.id) break;
            held.push_back(*cl);
        }
        for (auto& h : held) st->release(h.job.id, "dead");
        ids.push_back(j.id);
        EXPECT_EQ(st->get(j.id)->state, "running");
    }
    Child w1({"worker", "--queue", url_, "--workers", "1", "--job-threads", "1", "--lease", "3"}, d.path / "w1.log");
    Child w2({"worker", "--queue", url_, "--workers", "1", "--job-threads", "1", "--lease", "3"}, d.path / "w2.log");
    auto state = [&](const std::string& id) {
        auto r = c.Get(("/v1/jobs/" + id).c_str());
        return r && r->status == 200 ? json::parse(r->body) : json::object();
    };
    ASSERT_TRUE(wait_until([&] {
        for (auto& id : ids)
            if (state(id).value("state", "") != "done") return false;
        return true;
    }, 300)) << w1.log() << w2.log();
    std::set<std::string> workers;
    // Each job was claimed once (attempts 1): no job was run twice; the
    // orphan twice, as its first holder died.
    for (size_t i = 0; i < ids.size(); ++i) {
        json s = state(ids[i]);
        EXPECT_EQ(s["attempts"], i + 1 == ids.size() ? 2 : 1) << s.dump();
        auto r = c.Get(("/v1/jobs/" + ids[i] + "/result").c_str());
        ASSERT_EQ(r->status, 200);
        json doc = json::parse(r->body);
        EXPECT_EQ(doc["schema_version"], "1");
        EXPECT_EQ(doc["document"]["page_count"], (i < uploads && i % 2) ? 2 : 1);
        auto x = c.Get(("/v1/jobs/" + ids[i] + "/result.xlsx").c_str());
        EXPECT_EQ(x->body.substr(0, 2), "PK");
    }
    {
        pqxx::connection pc(url_);
        pqxx::work w(pc);
        for (const auto& row : w.exec("SELECT worker, count(*) FROM fiscan_jobs GROUP BY worker ORDER BY worker")) {
            workers.insert(row[0].as<std::string>());
            std::cerr << "  " << row[0].as<std::string>() << ": " << row[1].as<long>() << " jobs\n";
        }
    }
    // Both workers ran (the second can only be idle if the first took them all; log it either way).
    std::cerr << ids.size() << " jobs ran on " << workers.size() << " worker slot(s)\n";
    w1.kill(SIGTERM);
    w2.kill(SIGTERM);
    EXPECT_EQ(w1.wait(), 0);
    EXPECT_EQ(w2.wait(), 0);
}
