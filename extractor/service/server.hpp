// The HTTP API (cpp-httplib), described in docs/openapi.yaml:
//   POST   /v1/documents            PDF upload (multipart field "file", or the raw
//                                   body as application/pdf) → 202 {"id", …}
//   GET    /v1/jobs/{id}            state, pages done of total, error
//   GET    /v1/jobs/{id}/result     the contract JSON (409 until done)
//   GET    /v1/jobs/{id}/result.xlsx
//   DELETE /v1/jobs/{id}            removes the job (stops it when running)
//   GET    /healthz, GET /metrics
// Errors are JSON {"error": code, "message": one line}: 413 upload_too_large,
// 422 not_a_pdf / too_many_pages, 429 queue_full, 503 shutting_down, 404 not_found.
// An upload is validated (parsed as a PDF, pages counted) before it is
// accepted; once 202 is returned it is durable in the store.
#pragma once

#include "service/job_store.hpp"
#include "service/metrics.hpp"
#include "service/worker.hpp"

#include <atomic>
#include <memory>
#include <string>

namespace httplib { class Server; }

namespace fiscan::service {

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8080;                      // 0: pick a free port (see Server::port())
    size_t max_upload_bytes = 100u << 20;
    int max_pages = 500;
    long max_queue = 1000;                // queued + running jobs
    int http_threads = 8;
};

class Server {
public:
    // `workers` may be null (HTTP only: workers are other processes).
    Server(JobStore& store, ServerOptions opt, Metrics& metrics, WorkerPool* workers);
    ~Server();
    bool bind();                  // binds the port; false when it cannot
    void run();                   // serves until stop()
    int port() const { return port_; }
    void begin_shutdown();        // new uploads get 503, /healthz reports it
    void stop();                  // stops listening (run() returns)

private:
    void routes();
    JobStore& store_;
    ServerOptions opt_;
    Metrics& metrics_;
    WorkerPool* workers_;
    std::unique_ptr<httplib::Server> http_;
    std::atomic<bool> shutting_down_{false};
    int port_ = 0;
};

}  // namespace fiscan::service
