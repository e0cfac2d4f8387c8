#include "service/server.hpp"

#include "output/json_writer.hpp"
#include "output/xlsx_writer.hpp"
#include "pdf/pdf_document.hpp"
#include "pipeline/pipeline.hpp"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

namespace fiscan::service {

using nlohmann::json;

namespace {

void send_error(httplib::Response& res, int status, const std::string& code, const std::string& message) {
    res.status = status;
    res.set_content(json({{"error", code}, {"message", message}}).dump() + "\n", "application/json");
}

void send_json(httplib::Response& res, int status, const json& j) {
    res.status = status;
    res.set_content(j.dump() + "\n", "application/json");
}

json job_json(const JobInfo& j) {
    json o = {{"id", j.id},
              {"state", j.state},
              {"file", j.file_name},
              {"sha256", j.sha256},
              {"pages_done", j.pages_done},
              {"pages_total", j.pages_total},
              {"attempts", j.attempts},
              {"created_ms", j.created_ms},
              {"links", {{"self", "/v1/jobs/" + j.id}, {"result", "/v1/jobs/" + j.id + "/result"},
                         {"xlsx", "/v1/jobs/" + j.id + "/result.xlsx"}}}};
    json opts = json::parse(j.options, nullptr, false);
    if (opts.is_object()) o["options"] = opts;
    if (j.started_ms) o["started_ms"] = j.started_ms;
    if (j.finished_ms) o["finished_ms"] = j.finished_ms;
    if (!j.error.empty()) o["error"] = j.error;
    return o;
}

std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
}

}  // namespace

Server::Server(JobStore& store, ServerOptions opt, Metrics& metrics, WorkerPool* workers)
    : store_(store), opt_(std::move(opt)), metrics_(metrics), workers_(workers), http_(std::make_unique<httplib::Server>()) {
    int n = std::max(2, opt_.http_threads);
    http_->new_task_queue = [n] { return new httplib::ThreadPool(static_cast<size_t>(n)); };
    http_->set_payload_max_length(opt_.max_upload_bytes);
    routes();
}

Server::~Server() { stop(); }

bool Server::bind() {
    if (opt_.port == 0) {
        port_ = http_->bind_to_any_port(opt_.host);
        return port_ > 0;
    }
    port_ = opt_.port;
    return http_->bind_to_port(opt_.host, opt_.port);
}

void Server::run() { http_->listen_after_bind(); }

void Server::begin_shutdown() { shutting_down_ = true; }

void Server::stop() {
    if (http_) http_->stop();
}

void Server::routes() {
    auto& s = *http_;
    // Errors raised by httplib itself (413 when the body is too large, 404 for
    // an unknown path, 400 for a malformed request) get the JSON shape too.
    s.set_error_handler([this](const httplib::Request&, httplib::Response& res) {
        if (!res.body.empty()) return;
        if (res.status == 413) {
            metrics_.rejected("upload_too_large");
            send_error(res, 413, "upload_too_large",
                       "the upload is larger than the limit of " + std::to_string(opt_.max_upload_bytes) + " bytes");
        } else if (res.status == 404) {
            send_error(res, 404, "not_found", "no such resource");
        } else {
            send_error(res, res.status, res.status >= 500 ? "internal" : "bad_request", "HTTP " + std::to_string(res.status));
        }
    });
    s.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
        std::string m = "internal error";
        try {
            if (ep) std::rethrow_exception(ep);
        } catch (const std::exception& e) {
            m = e.what();
        } catch (...) {
        }
        spdlog::error("http: {}", m);
        send_error(res, 500, "internal", one_line(m));
    });

    s.Post("/v1/documents", [this](const httplib::Request& req, httplib::Response& res) {
        if (shutting_down_) {
            metrics_.rejected("shutting_down");
            res.set_header("Retry-After", "30");
            return send_error(res, 503, "shutting_down", "the server is shutting down; retry on another instance or later");
        }
        std::string body, name = "upload.pdf";
        if (req.is_multipart_form_data()) {
            if (!req.has_file("file")) return send_error(res, 400, "bad_request", "multipart upload needs a field named \"file\"");
            auto f = req.get_file_value("file");
            body = f.content;
            if (!f.filename.empty()) name = f.filename;
        } else {
            body = req.body;
            if (req.has_param("filename")) name = req.get_param_value("filename");
        }
        if (body.size() > opt_.max_upload_bytes) {
            metrics_.rejected("upload_too_large");
            return send_error(res, 413, "upload_too_large",
                              "the upload is larger than the limit of " + std::to_string(opt_.max_upload_bytes) + " bytes");
        }
        json options = json::object();
        std::string method = req.has_param("method") ? req.get_param_value("method") : "";
        if (!method.empty()) {
            if (method != "ocr" && method != "text-layer") return send_error(res, 400, "bad_request", "method must be ocr or text-layer");
            options["method"] = method;
        }
        if (req.has_param("dpi")) {
            int dpi = std::atoi(req.get_param_value("dpi").c_str());
            if (dpi < 50 || dpi > 1200) return send_error(res, 400, "bad_request", "dpi must be between 50 and 1200");
            options["dpi"] = dpi;
        }
        // Validate before accepting: a readable PDF within the page limit.
        int pages = 0;
        try {
            if (body.size() < 5 || body.compare(0, 5, "%PDF-") != 0) {
                // Poppler tolerates junk before the header; the contract is a PDF.
                if (body.find("%PDF-") == std::string::npos || body.find("%PDF-") > 1024)
                    throw InputError("not a PDF (no %PDF- header)");
            }
            auto bytes = std::make_shared<const std::string>(body);
            pages = pdf::PdfDocument::open(bytes)->page_count();
        } catch (const std::exception& e) {
            metrics_.rejected("not_a_pdf");
            return send_error(res, 422, "not_a_pdf", one_line(e.what()));
        }
        if (pages > opt_.max_pages) {
            metrics_.rejected("too_many_pages");
            return send_error(res, 422, "too_many_pages",
                              "the PDF has " + std::to_string(pages) + " pages (limit " + std::to_string(opt_.max_pages) + ")");
        }
        if (store_.pending() >= opt_.max_queue) {
            metrics_.rejected("queue_full");
            res.set_header("Retry-After", "10");
            return send_error(res, 429, "queue_full", "the queue is full (" + std::to_string(opt_.max_queue) + " jobs); retry later");
        }
        JobInfo job;
        job.id = new_job_id();
        job.state = "queued";
        job.file_name = name;
        job.sha256 = output::sha256_hex(body);
        job.options = options.dump();
        job.pages_total = pages;
        job.created_ms = now_ms();
        store_.create(job, body);
        if (workers_) workers_->notify();
        res.set_header("Location", "/v1/jobs/" + job.id);
        send_json(res, 202, job_json(job));
    });

    s.Get(R"(/v1/jobs/([0-9a-f]+))", [this](const httplib::Request& req, httplib::Response& res) {
        auto j = store_.get(req.matches[1]);
        if (!j) return send_error(res, 404, "not_found", "no job " + std::string(req.matches[1]));
        send_json(res, 200, job_json(*j));
    });

    auto result = [this](const httplib::Request& req, httplib::Response& res, bool xlsx) {
        std::string id = req.matches[1];
        auto j = store_.get(id);
        if (!j) return send_error(res, 404, "not_found", "no job " + id);
        if (j->state == "failed") return send_error(res, 409, "job_failed", j->error);
        if (j->state != "done")
            return send_error(res, 409, "not_ready", "the job is " + j->state + " (" + std::to_string(j->pages_done) + " of " +
                                                         std::to_string(j->pages_total) + " pages done)");
        auto r = store_.result(id);
        if (!r) return send_error(res, 404, "not_found", "no result for job " + id);
        if (!xlsx) {
            res.set_content(*r, "application/json");
            return;
        }
        json doc = json::parse(*r);
        res.set_header("Content-Disposition", "attachment; filename=\"" + id + ".xlsx\"");
        res.set_content(output::xlsx_bytes(doc), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    };
    s.Get(R"(/v1/jobs/([0-9a-f]+)/result)", [result](const httplib::Request& req, httplib::Response& res) { result(req, res, false); });
    s.Get(R"(/v1/jobs/([0-9a-f]+)/result\.xlsx)", [result](const httplib::Request& req, httplib::Response& res) { result(req, res, true); });

    s.Delete(R"(/v1/jobs/([0-9a-f]+))", [this](const httplib::Request& req, httplib::Response& res) {
        if (!store_.remove(req.matches[1])) return send_error(res, 404, "not_found", "no job " + std::string(req.matches[1]));
        res.status = 204;
    });

    s.Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
        json h = {{"status", shutting_down_ ? "shutting_down" : "ok"}, {"store", store_.kind()},
                  {"workers", workers_ ? workers_->size() : 0}, {"workers_busy", workers_ ? workers_->busy() : 0}};
        try {
            h["pending"] = store_.pending();
        } catch (const std::exception& e) {
            h["status"] = "store_unavailable";
            h["message"] = one_line(e.what());
            return send_json(res, 503, h);
        }
        send_json(res, shutting_down_ ? 503 : 200, h);
    });

    s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
        res.set_content(metrics_.render(store_.counts(), workers_ ? workers_->size() : 0, workers_ ? workers_->busy() : 0),
                        "text/plain; version=0.0.4");
    });
}

}  // namespace fiscan::service
