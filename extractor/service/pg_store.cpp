#include "service/job_store.hpp"

#include <pqxx/pqxx>

#include <mutex>
#include <stdexcept>
#include <vector>

namespace fiscan::service {

namespace {

constexpr const char* kCols =
    "id, state, coalesce(file_name,''), coalesce(sha256,''), coalesce(options::text,'{}'), pages_done, pages_total, attempts,"
    " coalesce(worker,''), coalesce(error,''),"
    " (extract(epoch from created_at)*1000)::bigint,"
    " coalesce((extract(epoch from started_at)*1000)::bigint, 0),"
    " coalesce((extract(epoch from finished_at)*1000)::bigint, 0)";

JobInfo read_job(const pqxx::row& r) {
    JobInfo j;
    j.id = r[0].as<std::string>();
    j.state = r[1].as<std::string>();
    j.file_name = r[2].as<std::string>();
    j.sha256 = r[3].as<std::string>();
    j.options = r[4].as<std::string>();
    j.pages_done = r[5].as<int>();
    j.pages_total = r[6].as<int>();
    j.attempts = r[7].as<int>();
    j.worker = r[8].as<std::string>();
    j.error = r[9].as<std::string>();
    j.created_ms = r[10].as<long long>();
    j.started_ms = r[11].as<long long>();
    j.finished_ms = r[12].as<long long>();
    return j;
}

class PostgresStore : public JobStore {
public:
    PostgresStore(std::string url, int pool) : url_(std::move(url)), max_pool_(std::max(1, pool)) {
        with([](pqxx::connection& c) {
            pqxx::work w(c);
            // Several processes may start at once: create the schema under a lock.
            w.exec("SELECT pg_advisory_xact_lock(7262651)");
            w.exec("CREATE TABLE IF NOT EXISTS fiscan_jobs ("
                   " id text PRIMARY KEY, state text NOT NULL, file_name text, sha256 text, options jsonb,"
                   " pages_done int NOT NULL DEFAULT 0, pages_total int NOT NULL DEFAULT 0, attempts int NOT NULL DEFAULT 0,"
                   " worker text, error text, lease_until timestamptz,"
                   " created_at timestamptz NOT NULL DEFAULT clock_timestamp(), started_at timestamptz, finished_at timestamptz,"
                   " pdf bytea, result jsonb)");
            w.exec("CREATE INDEX IF NOT EXISTS fiscan_jobs_queue ON fiscan_jobs (created_at) WHERE state IN ('queued','running')");
            w.commit();
            return 0;
        });
    }

    std::string kind() const override { return "postgresql"; }

    void create(const JobInfo& job, const std::string& pdf) override {
        with([&](pqxx::connection& c) {
            pqxx::work w(c);
            w.exec_params("INSERT INTO fiscan_jobs(id, state, file_name, sha256, options, pages_total, pdf)"
                          " VALUES($1,'queued',$2,$3,$4::jsonb,$5,$6)",
                          job.id, job.file_name, job.sha256, job.options, job.pages_total,
                          pqxx::binarystring(pdf.data(), pdf.size()));
            w.commit();
            return 0;
        });
    }

    std::optional<JobInfo> get(const std::string& id) override {
        return with([&](pqxx::connection& c) -> std::optional<JobInfo> {
            pqxx::read_transaction w(c);
            auto r = w.exec_params(std::string("SELECT ") + kCols + " FROM fiscan_jobs WHERE id=$1", id);
            if (r.empty()) return std::nullopt;
            return read_job(r[0]);
        });
    }

    std::optional<Claim> claim(const std::string& worker, int lease_s, int max_attempts) override {
        return with([&](pqxx::connection& c) -> std::optional<Claim> {
            pqxx::work w(c);
            // Jobs whose workers kept dying on them fail instead of looping.
            w.exec_params("UPDATE fiscan_jobs SET state='failed', finished_at=now(), worker=NULL,"
                          " error='gave up after ' || attempts || ' attempts (the worker died each time)'"
                          " WHERE id IN (SELECT id FROM fiscan_jobs WHERE (state='queued' OR (state='running' AND lease_until < now()))"
                          " AND attempts >= $1 FOR UPDATE SKIP LOCKED)",
                          max_attempts);
            auto r = w.exec_params(
                std::string("UPDATE fiscan_jobs SET state='running', worker=$1, lease_until=now() + make_interval(secs => $2),"
                            " attempts=attempts+1, pages_done=0, started_at=now()"
                            " WHERE id = (SELECT id FROM fiscan_jobs WHERE state='queued' OR (state='running' AND lease_until < now())"
                            " ORDER BY created_at, id FOR UPDATE SKIP LOCKED LIMIT 1) RETURNING ") + kCols + ", pdf",
                worker, lease_s);
            if (r.empty()) {
                w.commit();
                return std::nullopt;
            }
            Claim cl;
            cl.job = read_job(r[0]);
            pqxx::binarystring bs(r[0][13]);
            cl.pdf = bs.str();
            w.commit();
            return cl;
        });
    }

    bool heartbeat(const std::string& id, const std::string& worker, int lease_s, int done, int total) override {
        return update("UPDATE fiscan_jobs SET lease_until=now() + make_interval(secs => $3), pages_done=$4, pages_total=$5"
                      " WHERE id=$1 AND worker=$2 AND state='running'",
                      id, worker, lease_s, done, total);
    }

    bool finish(const std::string& id, const std::string& worker, const std::string& result_json) override {
        return update("UPDATE fiscan_jobs SET state='done', result=$3::jsonb, finished_at=now(), pages_done=pages_total,"
                      " lease_until=NULL, error=NULL WHERE id=$1 AND worker=$2 AND state='running'",
                      id, worker, result_json);
    }

    bool fail(const std::string& id, const std::string& worker, const std::string& error) override {
        return update("UPDATE fiscan_jobs SET state='failed', error=$3, finished_at=now(), lease_until=NULL"
                      " WHERE id=$1 AND worker=$2 AND state='running'",
                      id, worker, error);
    }

    bool release(const std::string& id, const std::string& worker) override {
        return update("UPDATE fiscan_jobs SET state='queued', worker=NULL, lease_until=NULL, pages_done=0,"
                      " attempts=greatest(attempts-1,0) WHERE id=$1 AND worker=$2 AND state='running'",
                      id, worker);
    }

    bool remove(const std::string& id) override { return update("DELETE FROM fiscan_jobs WHERE id=$1", id); }

    std::optional<std::string> result(const std::string& id) override {
        return with([&](pqxx::connection& c) -> std::optional<std::string> {
            pqxx::read_transaction w(c);
            auto r = w.exec_params("SELECT result::text FROM fiscan_jobs WHERE id=$1 AND state='done'", id);
            if (r.empty() || r[0][0].is_null()) return std::nullopt;
            return r[0][0].as<std::string>();
        });
    }

    std::map<std::string, long> counts() override {
        return with([&](pqxx::connection& c) {
            pqxx::read_transaction w(c);
            std::map<std::string, long> m{{"queued", 0}, {"running", 0}, {"done", 0}, {"failed", 0}};
            for (const auto& row : w.exec("SELECT state, count(*) FROM fiscan_jobs GROUP BY state"))
                m[row[0].as<std::string>()] = row[1].as<long>();
            return m;
        });
    }

    long pending() override {
        return with([&](pqxx::connection& c) {
            pqxx::read_transaction w(c);
            return w.exec("SELECT count(*) FROM fiscan_jobs WHERE state IN ('queued','running')")[0][0].as<long>();
        });
    }

private:
    template <typename... Args>
    bool update(const char* sql, Args&&... args) {
        return with([&](pqxx::connection& c) {
            pqxx::work w(c);
            auto r = w.exec_params(sql, std::forward<Args>(args)...);
            w.commit();
            return r.affected_rows() == 1;
        });
    }

    // Runs f on a pooled connection; a broken connection is dropped and the
    // call retried once on a fresh one.
    template <typename F>
    auto with(F&& f) -> decltype(f(std::declval<pqxx::connection&>())) {
        for (int attempt = 0;; ++attempt) {
            std::unique_ptr<pqxx::connection> c = acquire();
            try {
                auto r = f(*c);
                give_back(std::move(c));
                return r;
            } catch (const pqxx::broken_connection&) {
                if (attempt >= 1) throw;
            }
        }
    }
    std::unique_ptr<pqxx::connection> acquire() {
        {
            std::lock_guard lk(mu_);
            if (!free_.empty()) {
                auto c = std::move(free_.back());
                free_.pop_back();
                if (c->is_open()) return c;
            }
        }
        return std::make_unique<pqxx::connection>(url_);
    }
    void give_back(std::unique_ptr<pqxx::connection> c) {
        std::lock_guard lk(mu_);
        if (static_cast<int>(free_.size()) < max_pool_) free_.push_back(std::move(c));
    }

    std::string url_;
    int max_pool_;
    std::mutex mu_;
    std::vector<std::unique_ptr<pqxx::connection>> free_;
};

}  // namespace

std::unique_ptr<JobStore> open_postgres_store(const std::string& url, int pool) { return std::make_unique<PostgresStore>(url, pool); }

}  // namespace fiscan::service
