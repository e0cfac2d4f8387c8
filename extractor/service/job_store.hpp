// The job store: accepted uploads, job states and results, behind one
// interface so the HTTP layer and the worker loop do not care where they live.
//   SqliteStore   — embedded default: SQLite (WAL, synchronous=FULL) plus a
//                   files folder for uploads under --data-dir; one server
//                   process owns the folder (an exclusive lock file).
//   PostgresStore — --queue postgresql://…: jobs, uploads (bytea) and results
//                   (JSONB) in PostgreSQL; any number of workers on any machine
//                   claim jobs with FOR UPDATE SKIP LOCKED.
// Claiming takes a lease (lease_until); a worker renews it by heartbeat. A job
// whose lease ran out (its worker died) is claimable again. finish/fail only
// succeed for the worker that holds the job, so a job is never completed
// twice. attempts counts claims; a job claimed max_attempts times without
// finishing is failed instead of retried forever (a PDF that kills workers).
// States: queued → running → done | failed; DELETE removes the job.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

namespace fiscan::service {

struct JobInfo {
    std::string id;
    std::string state;            // queued | running | done | failed
    std::string file_name, sha256;
    std::string options = "{}";   // JSON: {"method","dpi","formats"}
    int pages_done = 0, pages_total = 0, attempts = 0;
    std::string worker, error;
    long long created_ms = 0, started_ms = 0, finished_ms = 0;  // Unix ms, 0 = not yet
};

struct Claim {
    JobInfo job;
    std::string pdf;              // the uploaded bytes
};

class JobStore {
public:
    virtual ~JobStore() = default;
    // Stores the upload and the queued job durably before returning.
    virtual void create(const JobInfo& job, const std::string& pdf) = 0;
    virtual std::optional<JobInfo> get(const std::string& id) = 0;
    // The oldest queued job, or one whose lease expired; nullopt when none.
    virtual std::optional<Claim> claim(const std::string& worker, int lease_s, int max_attempts) = 0;
    // Renews the lease and records progress; false when the job is no longer
    // this worker's (deleted, or re-claimed after the lease ran out).
    virtual bool heartbeat(const std::string& id, const std::string& worker, int lease_s, int done, int total) = 0;
    virtual bool finish(const std::string& id, const std::string& worker, const std::string& result_json) = 0;
    virtual bool fail(const std::string& id, const std::string& worker, const std::string& error) = 0;
    // Back to the queue (graceful shutdown of the worker).
    virtual bool release(const std::string& id, const std::string& worker) = 0;
    virtual bool remove(const std::string& id) = 0;
    virtual std::optional<std::string> result(const std::string& id) = 0;  // done jobs only
    virtual std::map<std::string, long> counts() = 0;   // jobs by state
    virtual long pending() = 0;                         // queued + running
    virtual std::string kind() const = 0;               // "sqlite" | "postgresql"
};

// SQLite store in `data_dir` (created): data_dir/jobs.db, data_dir/uploads/.
// Jobs left running by a previous process (kill -9) are requeued on open.
std::unique_ptr<JobStore> open_sqlite_store(const std::string& data_dir);

// PostgreSQL store; creates its table when missing. `pool` connections.
std::unique_ptr<JobStore> open_postgres_store(const std::string& url, int pool = 4);

// "postgresql://…" / "postgres://…" → PostgreSQL, else SQLite under data_dir.
std::unique_ptr<JobStore> open_store(const std::string& queue_url, const std::string& data_dir);

std::string new_job_id();
long long now_ms();

}  // namespace fiscan::service
