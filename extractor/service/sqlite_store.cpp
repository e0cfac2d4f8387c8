#include "service/job_store.hpp"

#include "output/json_writer.hpp"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <stdexcept>
#include <sys/file.h>
#include <unistd.h>

namespace fiscan::service {

namespace fs = std::filesystem;

long long now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string new_job_id() {
    static std::mutex mu;
    static std::random_device rd;
    std::lock_guard lk(mu);
    static const char* hex = "0123456789abcdef";
    std::string id;
    for (int i = 0; i < 4; ++i) {
        uint32_t v = rd();
        for (int k = 0; k < 8; ++k) id += hex[(v >> (4 * k)) & 15];
    }
    return id;
}

std::unique_ptr<JobStore> open_store(const std::string& queue_url, const std::string& data_dir) {
    if (queue_url.rfind("postgresql://", 0) == 0 || queue_url.rfind("postgres://", 0) == 0) return open_postgres_store(queue_url);
    if (!queue_url.empty() && queue_url != "sqlite") throw std::runtime_error("--queue takes postgresql://… (or nothing for the embedded SQLite store)");
    return open_sqlite_store(data_dir);
}

namespace {

// Durable: once written, an upload survives a crash of the process or the
// machine (a leftover ".part" is removed at start-up).
void write_durable(const fs::path& path, const std::string& bytes) { output::write_file_atomic(path.string(), bytes, ".part"); }

class Stmt {
public:
    Stmt(sqlite3* db, const char* sql) : db_(db) {
        if (sqlite3_prepare_v2(db, sql, -1, &st_, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db) + " in: " + sql);
    }
    ~Stmt() { sqlite3_finalize(st_); }
    Stmt& bind(int i, const std::string& s) { sqlite3_bind_text(st_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT); return *this; }
    Stmt& bind(int i, long long v) { sqlite3_bind_int64(st_, i, v); return *this; }
    Stmt& bind_null(int i) { sqlite3_bind_null(st_, i); return *this; }
    bool step() {
        int rc = sqlite3_step(st_);
        if (rc == SQLITE_ROW) return true;
        if (rc == SQLITE_DONE) return false;
        throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_));
    }
    std::string text(int c) {
        auto p = sqlite3_column_text(st_, c);
        return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(st_, c))) : "";
    }
    long long integer(int c) { return sqlite3_column_int64(st_, c); }

private:
    sqlite3* db_;
    sqlite3_stmt* st_ = nullptr;
};

constexpr const char* kCols =
    "id, state, file_name, sha256, options, pages_done, pages_total, attempts, coalesce(worker,''), coalesce(error,''), "
    "created_ms, coalesce(started_ms,0), coalesce(finished_ms,0)";

JobInfo read_job(Stmt& s) {
    JobInfo j;
    j.id = s.text(0);
    j.state = s.text(1);
    j.file_name = s.text(2);
    j.sha256 = s.text(3);
    j.options = s.text(4);
    j.pages_done = static_cast<int>(s.integer(5));
    j.pages_total = static_cast<int>(s.integer(6));
    j.attempts = static_cast<int>(s.integer(7));
    j.worker = s.text(8);
    j.error = s.text(9);
    j.created_ms = s.integer(10);
    j.started_ms = s.integer(11);
    j.finished_ms = s.integer(12);
    return j;
}

class SqliteStore : public JobStore {
public:
    explicit SqliteStore(const std::string& dir) : dir_(dir), uploads_(fs::path(dir) / "uploads") {
        fs::create_directories(uploads_);
        // One server per data folder: a second one would requeue the first one's running jobs.
        lock_fd_ = ::open((fs::path(dir) / "lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (lock_fd_ < 0 || ::flock(lock_fd_, LOCK_EX | LOCK_NB) != 0)
            throw std::runtime_error("data folder " + dir + " is in use by another fiscan process");
        std::string db_path = (fs::path(dir) / "jobs.db").string();
        if (sqlite3_open_v2(db_path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr) != SQLITE_OK)
            throw std::runtime_error("cannot open " + db_path);
        sqlite3_busy_timeout(db_, 5000);
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=FULL");
        exec("CREATE TABLE IF NOT EXISTS jobs ("
             " id TEXT PRIMARY KEY, state TEXT NOT NULL, file_name TEXT, sha256 TEXT, options TEXT,"
             " pages_done INTEGER DEFAULT 0, pages_total INTEGER DEFAULT 0, attempts INTEGER DEFAULT 0,"
             " worker TEXT, error TEXT, lease_until INTEGER, created_ms INTEGER, started_ms INTEGER,"
             " finished_ms INTEGER, result TEXT)");
        exec("CREATE INDEX IF NOT EXISTS jobs_queue ON jobs(state, created_ms)");
        // The previous process died with these in flight: they run again.
        exec("UPDATE jobs SET state='queued', worker=NULL, lease_until=NULL WHERE state='running'");
        // Uploads whose job row never got written (crash between the two) are dropped.
        for (const auto& e : fs::directory_iterator(uploads_)) {
            std::string name = e.path().filename().string();
            if (name.size() > 5 && name.substr(name.size() - 5) == ".part") { fs::remove(e.path()); continue; }
            Stmt s(db_, "SELECT 1 FROM jobs WHERE id=?");
            s.bind(1, e.path().stem().string());
            if (!s.step()) fs::remove(e.path());
        }
    }
    ~SqliteStore() override {
        sqlite3_close_v2(db_);
        if (lock_fd_ >= 0) ::close(lock_fd_);
    }

    std::string kind() const override { return "sqlite"; }

    void create(const JobInfo& job, const std::string& pdf) override {
        write_durable(upload_path(job.id), pdf);
        std::lock_guard lk(mu_);
        Stmt s(db_, "INSERT INTO jobs(id, state, file_name, sha256, options, pages_total, created_ms) VALUES(?,?,?,?,?,?,?)");
        s.bind(1, job.id).bind(2, std::string("queued")).bind(3, job.file_name).bind(4, job.sha256).bind(5, job.options)
            .bind(6, static_cast<long long>(job.pages_total)).bind(7, job.created_ms ? job.created_ms : now_ms());
        s.step();
    }

    std::optional<JobInfo> get(const std::string& id) override {
        std::lock_guard lk(mu_);
        Stmt s(db_, (std::string("SELECT ") + kCols + " FROM jobs WHERE id=?").c_str());
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        return read_job(s);
    }

    std::optional<Claim> claim(const std::string& worker, int lease_s, int max_attempts) override {
        std::lock_guard lk(mu_);
        Tx tx(*this);
        long long now = now_ms();
        // Jobs that have used up their attempts (their workers kept dying) fail.
        {
            Stmt s(db_, "UPDATE jobs SET state='failed', error='gave up after ' || attempts || ' attempts (the worker died each time)',"
                        " finished_ms=?, worker=NULL WHERE (state='queued' OR (state='running' AND lease_until < ?)) AND attempts >= ?");
            s.bind(1, now).bind(2, now).bind(3, static_cast<long long>(max_attempts));
            s.step();
        }
        std::string id;
        {
            Stmt s(db_, "SELECT id FROM jobs WHERE state='queued' OR (state='running' AND lease_until < ?) ORDER BY created_ms, id LIMIT 1");
            s.bind(1, now);
            if (!s.step()) {
                tx.commit();
                return std::nullopt;
            }
            id = s.text(0);
        }
        {
            Stmt s(db_, "UPDATE jobs SET state='running', worker=?, lease_until=?, attempts=attempts+1, pages_done=0,"
                        " started_ms=? WHERE id=?");
            s.bind(1, worker).bind(2, now + lease_s * 1000LL).bind(3, now).bind(4, id);
            s.step();
        }
        tx.commit();
        Claim c;
        Stmt s(db_, (std::string("SELECT ") + kCols + " FROM jobs WHERE id=?").c_str());
        s.bind(1, id);
        s.step();
        c.job = read_job(s);
        std::ifstream in(upload_path(id), std::ios::binary);
        std::ostringstream ss;
        ss << in.rdbuf();
        c.pdf = ss.str();
        return c;
    }

    bool heartbeat(const std::string& id, const std::string& worker, int lease_s, int done, int total) override {
        std::lock_guard lk(mu_);
        Stmt s(db_, "UPDATE jobs SET lease_until=?, pages_done=?, pages_total=? WHERE id=? AND worker=? AND state='running'");
        s.bind(1, now_ms() + lease_s * 1000LL).bind(2, static_cast<long long>(done)).bind(3, static_cast<long long>(total)).bind(4, id).bind(5, worker);
        s.step();
        return sqlite3_changes(db_) == 1;
    }

    bool finish(const std::string& id, const std::string& worker, const std::string& result_json) override {
        std::lock_guard lk(mu_);
        Stmt s(db_, "UPDATE jobs SET state='done', result=?, finished_ms=?, pages_done=pages_total, lease_until=NULL, error=NULL"
                    " WHERE id=? AND worker=? AND state='running'");
        s.bind(1, result_json).bind(2, now_ms()).bind(3, id).bind(4, worker);
        s.step();
        return sqlite3_changes(db_) == 1;
    }

    bool fail(const std::string& id, const std::string& worker, const std::string& error) override {
        std::lock_guard lk(mu_);
        Stmt s(db_, "UPDATE jobs SET state='failed', error=?, finished_ms=?, lease_until=NULL WHERE id=? AND worker=? AND state='running'");
        s.bind(1, error).bind(2, now_ms()).bind(3, id).bind(4, worker);
        s.step();
        return sqlite3_changes(db_) == 1;
    }

    bool release(const std::string& id, const std::string& worker) override {
        std::lock_guard lk(mu_);
        // A release is not the job's fault: give the attempt back.
        Stmt s(db_, "UPDATE jobs SET state='queued', worker=NULL, lease_until=NULL, pages_done=0, attempts=max(attempts-1,0)"
                    " WHERE id=? AND worker=? AND state='running'");
        s.bind(1, id).bind(2, worker);
        s.step();
        return sqlite3_changes(db_) == 1;
    }

    bool remove(const std::string& id) override {
        bool gone;
        {
            std::lock_guard lk(mu_);
            Stmt s(db_, "DELETE FROM jobs WHERE id=?");
            s.bind(1, id);
            s.step();
            gone = sqlite3_changes(db_) == 1;
        }
        std::error_code ec;
        fs::remove(upload_path(id), ec);
        return gone;
    }

    std::optional<std::string> result(const std::string& id) override {
        std::lock_guard lk(mu_);
        Stmt s(db_, "SELECT result FROM jobs WHERE id=? AND state='done'");
        s.bind(1, id);
        if (!s.step()) return std::nullopt;
        return s.text(0);
    }

    std::map<std::string, long> counts() override {
        std::lock_guard lk(mu_);
        std::map<std::string, long> m{{"queued", 0}, {"running", 0}, {"done", 0}, {"failed", 0}};
        Stmt s(db_, "SELECT state, count(*) FROM jobs GROUP BY state");
        while (s.step()) m[s.text(0)] = static_cast<long>(s.integer(1));
        return m;
    }

    long pending() override {
        std::lock_guard lk(mu_);
        Stmt s(db_, "SELECT count(*) FROM jobs WHERE state IN ('queued','running')");
        s.step();
        return static_cast<long>(s.integer(0));
    }

private:
    struct Tx {
        explicit Tx(SqliteStore& st) : s(st) { s.exec("BEGIN IMMEDIATE"); }
        ~Tx() {
            if (!done) sqlite3_exec(s.db_, "ROLLBACK", nullptr, nullptr, nullptr);
        }
        void commit() {
            s.exec("COMMIT");
            done = true;
        }
        SqliteStore& s;
        bool done = false;
    };

    void exec(const char* sql) {
        char* err = nullptr;
        if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
            std::string m = err ? err : "?";
            sqlite3_free(err);
            throw std::runtime_error("sqlite: " + m + " in: " + sql);
        }
    }
    fs::path upload_path(const std::string& id) const { return uploads_ / (id + ".pdf"); }

    std::string dir_;
    fs::path uploads_;
    sqlite3* db_ = nullptr;
    int lock_fd_ = -1;
    std::mutex mu_;
};

}  // namespace

std::unique_ptr<JobStore> open_sqlite_store(const std::string& data_dir) { return std::make_unique<SqliteStore>(data_dir); }

}  // namespace fiscan::service
