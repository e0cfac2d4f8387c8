// fiscan serve [--port N] [--data-dir DIR] [--queue postgresql://…] [--workers N]
// fiscan worker --queue postgresql://… [--workers N]
// fiscan _run-job IN OUT   (internal: one job in a child process, see service/worker.hpp)
#include "cli/commands.hpp"
#include "pipeline/pipeline.hpp"
#include "service/job_store.hpp"
#include "service/metrics.hpp"
#include "service/server.hpp"
#include "service/worker.hpp"

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <pthread.h>
#include <thread>
#include <unistd.h>

namespace fiscan::cli {

namespace {

struct ServeArgs {
    std::string host = "127.0.0.1", data_dir = "fiscan-data", queue;
    int port = 8080, workers = 1, job_threads = 0, max_pages = 500, lease = 30, max_attempts = 3, http_threads = 8;
    long max_queue = 1000;
    double max_upload_mb = 100, job_timeout = 1800, grace = 60;
};

struct RunJobArgs {
    std::string input, output, method;
    int dpi = 300, threads = 0;
};

// SIGTERM/SIGINT are blocked in every thread and taken by one waiting thread.
sigset_t block_stop_signals() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    return set;
}

void add_worker_options(CLI::App* cmd, ServeArgs& a) {
    cmd->add_option("--workers", a.workers, "jobs run in parallel by this process")->check(CLI::NonNegativeNumber);
    cmd->add_option("--job-threads", a.job_threads, "page threads per job (0 = all cores)")->check(CLI::NonNegativeNumber);
    cmd->add_option("--job-timeout", a.job_timeout, "per-job time limit, seconds");
    cmd->add_option("--lease", a.lease, "seconds before a silent worker's job is re-claimed")->check(CLI::Range(3, 86400));
    cmd->add_option("--max-attempts", a.max_attempts, "claims of one job before it is failed")->check(CLI::Range(1, 100));
    cmd->add_option("--grace", a.grace, "on SIGTERM: seconds to finish jobs in flight before requeueing them");
}

service::WorkerOptions worker_options(const ServeArgs& a, const std::string& work_dir) {
    service::WorkerOptions w;
    w.workers = a.workers;
    w.job_threads = a.job_threads;
    w.job_timeout_s = a.job_timeout;
    w.lease_s = a.lease;
    w.heartbeat_s = std::max(1, a.lease / 3);
    w.max_attempts = a.max_attempts;
    w.work_dir = work_dir;
    return w;
}

}  // namespace

void register_serve(CLI::App& app, Runner& run) {
    auto args = std::make_shared<ServeArgs>();
    auto* cmd = app.add_subcommand("serve", "HTTP service: upload PDFs, poll jobs, fetch JSON/XLSX results");
    cmd->add_option("--host", args->host, "address to listen on");
    cmd->add_option("--port", args->port, "port (0 = any free port, printed on start)")->check(CLI::Range(0, 65535));
    cmd->add_option("--data-dir", args->data_dir, "embedded store: SQLite database and uploads");
    cmd->add_option("--queue", args->queue, "postgresql://… to keep jobs in PostgreSQL (workers: fiscan worker)");
    cmd->add_option("--max-upload-mb", args->max_upload_mb, "largest upload accepted (413 above)");
    cmd->add_option("--max-pages", args->max_pages, "most pages accepted (422 above)");
    cmd->add_option("--max-queue", args->max_queue, "most queued+running jobs (429 above)");
    cmd->add_option("--http-threads", args->http_threads, "HTTP handler threads");
    add_worker_options(cmd, *args);
    cmd->callback([args, &run] {
        run = [args] {
            sigset_t stop_set = block_stop_signals();
            auto store = service::open_store(args->queue, args->data_dir);
            service::Metrics metrics;
            std::unique_ptr<service::WorkerPool> pool;
            std::string work_dir = args->queue.empty() ? (std::filesystem::path(args->data_dir) / "work").string() : "";
            if (args->workers > 0) pool = std::make_unique<service::WorkerPool>(*store, worker_options(*args, work_dir), &metrics);
            service::ServerOptions so;
            so.host = args->host;
            so.port = args->port;
            so.max_upload_bytes = static_cast<size_t>(args->max_upload_mb * 1024 * 1024);
            so.max_pages = args->max_pages;
            so.max_queue = args->max_queue;
            so.http_threads = args->http_threads;
            service::Server server(*store, so, metrics, pool.get());
            if (!server.bind()) {
                std::fprintf(stderr, "fiscan: cannot listen on %s:%d\n", args->host.c_str(), args->port);
                return 1;
            }
            if (pool) pool->start();
            std::fprintf(stderr, "fiscan: listening on http://%s:%d (store: %s, workers: %d)\n", args->host.c_str(),
                         server.port(), store->kind().c_str(), args->workers);
            std::fflush(stderr);
            std::atomic<bool> signalled{false};
            std::thread sig([&] {
                int signo = 0;
                sigwait(&stop_set, &signo);
                signalled = true;
                std::fprintf(stderr, "fiscan: %s: shutting down (grace %.0f s)\n", signo == SIGTERM ? "SIGTERM" : "SIGINT", args->grace);
                server.begin_shutdown();
                if (pool) pool->stop(args->grace);
                server.stop();
            });
            server.run();
            // run() returns after stop() (signal thread) or when listening failed: then wake the
            // signal thread so it stops the workers.
            if (!signalled) ::kill(::getpid(), SIGTERM);
            sig.join();
            std::fprintf(stderr, "fiscan: stopped\n");
            return 0;
        };
    });

    auto wargs = std::make_shared<ServeArgs>();
    auto* wcmd = app.add_subcommand("worker", "claim and run jobs from a PostgreSQL queue (scale-out)");
    wcmd->add_option("--queue", wargs->queue, "postgresql://…")->required();
    add_worker_options(wcmd, *wargs);
    wcmd->callback([wargs, &run] {
        run = [wargs] {
            sigset_t stop_set = block_stop_signals();
            if (wargs->queue.rfind("postgres", 0) != 0) {
                std::fprintf(stderr, "fiscan: worker needs --queue postgresql://… (the SQLite store belongs to one server)\n");
                return 2;
            }
            auto store = service::open_store(wargs->queue, "");
            service::WorkerPool pool(*store, worker_options(*wargs, ""), nullptr);
            pool.start();
            std::fprintf(stderr, "fiscan: worker running %d job slots on %s\n", wargs->workers, store->kind().c_str());
            std::fflush(stderr);
            int signo = 0;
            sigwait(&stop_set, &signo);
            std::fprintf(stderr, "fiscan: worker stopping (grace %.0f s)\n", wargs->grace);
            pool.stop(wargs->grace);
            return 0;
        };
    });

    auto rargs = std::make_shared<RunJobArgs>();
    auto* rcmd = app.add_subcommand("_run-job", "");  // internal, hidden (empty description)
    rcmd->group("");
    rcmd->add_option("input", rargs->input)->required();
    rcmd->add_option("output", rargs->output)->required();
    rcmd->add_option("--method", rargs->method);
    rcmd->add_option("--dpi", rargs->dpi);
    rcmd->add_option("--threads", rargs->threads);
    rcmd->callback([rargs, &run] {
        run = [rargs] { return service::run_job_child(rargs->input, rargs->output, rargs->method, rargs->dpi, rargs->threads); };
    });
}

}  // namespace fiscan::cli
