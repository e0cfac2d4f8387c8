// The worker loop: claim a job from the JobStore, run the extraction, store
// the result. Shared by `fiscan serve` (embedded workers) and `fiscan worker`
// (scale-out on PostgreSQL).
//
// Each job runs in a child process (`fiscan _run-job IN OUT`, the same binary):
//   - a crash of Poppler/Tesseract/OpenCV on a hostile PDF kills the child, not
//     the server or the other jobs; the job is failed with the signal;
//   - the per-job time limit and DELETE can stop the work for real (SIGKILL),
//     which a thread cannot do to a running extraction;
//   - its memory goes back to the system when it exits.
// The cost is a fork/exec and engine start-up per job (well under a second,
// against seconds per OCR page). The child dies with its parent
// (PR_SET_PDEATHSIG), so kill -9 of a server leaves no orphan working on a
// job that the restarted server runs again.
//
// While the child runs, the worker renews the job's lease and records pages
// done (heartbeat). When the heartbeat finds the job gone (deleted) or no
// longer its own (lease expired and re-claimed), it kills the child and drops
// the work. stop(grace) stops claiming, lets jobs in flight finish for up to
// `grace` seconds, then kills them and puts them back in the queue.
#pragma once

#include "service/job_store.hpp"
#include "service/metrics.hpp"

#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fiscan::service {

struct WorkerOptions {
    std::string exe;              // the fiscan binary (default: /proc/self/exe)
    std::string work_dir;         // scratch for the child's input and output
    int workers = 1;              // jobs in parallel in this process
    int job_threads = 0;          // page threads per job (0 = all cores)
    int lease_s = 30;             // a job whose worker is silent this long is re-claimed
    int heartbeat_s = 5;
    double job_timeout_s = 1800;  // per-job time limit
    int max_attempts = 3;         // claims before a job is failed
    double poll_s = 1.0;          // idle wait between claims (new uploads wake the workers at once)
    std::string name;             // worker id prefix (default host:pid)
};

// Outcome of one child run.
struct RunResult {
    enum Kind { Ok, BadInput, Crashed, TimedOut, Cancelled } kind = Ok;
    std::string message;          // one line
};

// Runs `exe _run-job pdf out [--method M] [--dpi D] [--threads T]`; calls tick(done,
// total) about every 200 ms; tick returning false cancels (SIGKILL).
RunResult run_job_process(const std::string& exe, const std::string& pdf, const std::string& out,
                          const std::string& options_json, int threads, double timeout_s,
                          const std::function<bool(int, int)>& tick);

// The body of `fiscan _run-job`: extraction in this process, progress lines
// "progress D T" on standard output. Returns the exit status (0, 2 bad input, 1 error).
int run_job_child(const std::string& pdf, const std::string& out, const std::string& method, int dpi, int threads);

class WorkerPool {
public:
    WorkerPool(JobStore& store, WorkerOptions opt, Metrics* metrics = nullptr);
    ~WorkerPool();
    void start();
    void notify();                // a job was queued
    void stop(double grace_s);    // finish or requeue work in flight, then return
    int busy() const { return busy_.load(); }
    int size() const { return opt_.workers; }

private:
    void loop(int index);
    void run_one(const std::string& worker_id, Claim claim);

    JobStore& store_;
    WorkerOptions opt_;
    Metrics* metrics_;
    std::vector<std::thread> threads_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::atomic<bool> draining_{false};
    std::atomic<bool> abort_{false};  // grace over: kill and requeue
    std::atomic<int> busy_{0};
    bool wake_ = false;
};

std::string self_exe();

}  // namespace fiscan::service
