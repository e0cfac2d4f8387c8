#include "service/worker.hpp"

#include "output/json_writer.hpp"
#include "pipeline/pipeline.hpp"

#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace fiscan::service {

namespace fs = std::filesystem;
using nlohmann::json;

std::string self_exe() {
    std::error_code ec;
    auto p = fs::read_symlink("/proc/self/exe", ec);
    return ec ? std::string("fiscan") : p.string();
}

namespace {

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string last_line(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    auto nl = s.rfind('\n');
    std::string l = nl == std::string::npos ? s : s.substr(nl + 1);
    const std::string prefix = "fiscan: ";
    if (l.rfind(prefix, 0) == 0) l = l.substr(prefix.size());
    if (l.size() > 500) l.resize(500);
    return l;
}

}  // namespace

RunResult run_job_process(const std::string& exe, const std::string& pdf, const std::string& out,
                          const std::string& options_json, int threads, double timeout_s,
                          const std::function<bool(int, int)>& tick) {
    json o = json::parse(options_json, nullptr, false);
    if (!o.is_object()) o = json::object();
    // Everything the child needs is prepared before fork: after it, only
    // async-signal-safe calls.
    std::vector<std::string> args = {exe, "_run-job", pdf, out};
    if (o.contains("method") && o["method"].is_string() && !o["method"].get<std::string>().empty())
        args.insert(args.end(), {"--method", o["method"].get<std::string>()});
    if (o.contains("dpi") && o["dpi"].is_number_integer()) args.insert(args.end(), {"--dpi", std::to_string(o["dpi"].get<int>())});
    args.insert(args.end(), {"--threads", std::to_string(threads)});
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::string err_path = out + ".stderr";
    int err_fd = ::open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int pipefd[2];
    if (err_fd < 0 || ::pipe2(pipefd, O_CLOEXEC) != 0) {
        if (err_fd >= 0) ::close(err_fd);
        return {RunResult::Crashed, "cannot start the extraction process"};
    }
    pid_t parent = ::getpid();
    pid_t pid = ::fork();
    if (pid < 0) {
        ::close(err_fd);
        ::close(pipefd[0]);
        ::close(pipefd[1]);
        return {RunResult::Crashed, std::string("fork failed: ") + std::strerror(errno)};
    }
    if (pid == 0) {
        ::prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (::getppid() != parent) ::_exit(127);
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        ::signal(SIGPIPE, SIG_DFL);
        ::dup2(pipefd[1], 1);
        ::dup2(err_fd, 2);
        int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, 0);
        ::close_range(3, ~0U, 0);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    ::close(pipefd[1]);
    ::close(err_fd);
    int rfd = pipefd[0];
    auto start = std::chrono::steady_clock::now();
    std::string buf;
    int done = 0, total = 0;
    RunResult::Kind stopped = RunResult::Ok;
    bool eof = false;
    while (!eof) {
        pollfd p{rfd, POLLIN, 0};
        int n = ::poll(&p, 1, 200);
        if (n > 0) {
            char chunk[4096];
            ssize_t r = ::read(rfd, chunk, sizeof chunk);
            if (r <= 0) {
                if (r < 0 && errno == EINTR) continue;
                eof = true;
            } else {
                buf.append(chunk, static_cast<size_t>(r));
                size_t nl;
                while ((nl = buf.find('\n')) != std::string::npos) {
                    std::string line = buf.substr(0, nl);
                    buf.erase(0, nl + 1);
                    int d = 0, t = 0;
                    if (std::sscanf(line.c_str(), "progress %d %d", &d, &t) == 2) {
                        done = d;
                        total = t;
                    }
                }
            }
        }
        double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (!eof && el > timeout_s) {
            stopped = RunResult::TimedOut;
            break;
        }
        if (!eof && tick && !tick(done, total)) {
            stopped = RunResult::Cancelled;
            break;
        }
    }
    if (stopped != RunResult::Ok) ::kill(pid, SIGKILL);
    ::close(rfd);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    std::string err = read_file(err_path);
    std::error_code ec;
    fs::remove(err_path, ec);
    if (stopped == RunResult::TimedOut) {
        char m[96];
        std::snprintf(m, sizeof m, "time limit of %.0f s exceeded (%d of %d pages done)", timeout_s, done, total);
        return {RunResult::TimedOut, m};
    }
    if (stopped == RunResult::Cancelled) return {RunResult::Cancelled, "cancelled"};
    if (WIFEXITED(status)) {
        int code = WEXITSTATUS(status);
        if (code == 0) return {RunResult::Ok, ""};
        std::string msg = last_line(err);
        if (code == 2) return {RunResult::BadInput, msg.empty() ? "not a readable PDF" : msg};
        if (code == 127) return {RunResult::Crashed, "cannot run " + exe};
        return {RunResult::Crashed, msg.empty() ? "extraction failed (exit " + std::to_string(code) + ")" : msg};
    }
    if (WIFSIGNALED(status))
        return {RunResult::Crashed, std::string("extraction crashed (") + strsignal(WTERMSIG(status)) + ")"};
    return {RunResult::Crashed, "extraction ended abnormally"};
}

int run_job_child(const std::string& pdf, const std::string& out, const std::string& method, int dpi, int threads) {
    Options o;
    o.force_method = method;
    o.dpi = dpi;
    o.threads = threads;
    try {
        Document doc = extract(pdf, o, [](int d, int t) {
            std::printf("progress %d %d\n", d, t);
            std::fflush(stdout);
        });
        output::write_file_atomic(out, output::to_json(doc).dump());
        return 0;
    } catch (const InputError& e) {
        std::fprintf(stderr, "fiscan: %s\n", e.what());
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "fiscan: %s\n", e.what());
        return 1;
    }
}

WorkerPool::WorkerPool(JobStore& store, WorkerOptions opt, Metrics* metrics)
    : store_(store), opt_(std::move(opt)), metrics_(metrics) {
    if (opt_.exe.empty()) opt_.exe = self_exe();
    // One folder per user, shared by that user's servers and workers: job
    // folders carry their process id, so a restarted server (a new pid) finds
    // and removes what a killed one left behind.
    if (opt_.work_dir.empty()) opt_.work_dir = (fs::temp_directory_path() / ("fiscan-work-u" + std::to_string(::getuid()))).string();
    if (opt_.name.empty()) {
        char host[256] = {0};
        ::gethostname(host, sizeof host - 1);
        opt_.name = std::string(host) + ":" + std::to_string(::getpid());
    }
    opt_.heartbeat_s = std::max(1, std::min(opt_.heartbeat_s, std::max(1, opt_.lease_s / 3)));
    fs::create_directories(opt_.work_dir);
    // Job folders (JOB-PID-N) of a process that was killed (kill -9 of the
    // server): its jobs run again from the store, the folders are debris.
    std::error_code ec;
    std::vector<fs::path> dead;
    for (auto it = fs::directory_iterator(opt_.work_dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
        std::string n = it->path().filename().string();
        auto a = n.find('-'), b = n.rfind('-');
        if (a == std::string::npos || a == b) continue;
        std::string pid_s = n.substr(a + 1, b - a - 1);
        if (pid_s.empty() || pid_s.find_first_not_of("0123456789") != std::string::npos) continue;
        long pid = std::strtol(pid_s.c_str(), nullptr, 10);
        if (pid <= 0 || pid == ::getpid() || ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) continue;
        dead.push_back(it->path());
    }
    for (const auto& d : dead) fs::remove_all(d, ec);
    if (!dead.empty()) spdlog::info("removed {} job folder(s) left by a killed process", dead.size());
}

WorkerPool::~WorkerPool() { stop(0); }

void WorkerPool::start() {
    for (int i = 0; i < opt_.workers; ++i) threads_.emplace_back([this, i] { loop(i); });
}

void WorkerPool::notify() {
    {
        std::lock_guard lk(mu_);
        wake_ = true;
    }
    cv_.notify_all();
}

void WorkerPool::stop(double grace_s) {
    if (threads_.empty()) return;
    draining_ = true;
    notify();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(grace_s * 1000));
    while (busy_ > 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    abort_ = true;
    for (auto& t : threads_) t.join();
    threads_.clear();
}

void WorkerPool::loop(int index) {
    std::string id = opt_.name + "/" + std::to_string(index);
    while (!draining_) {
        std::optional<Claim> c;
        try {
            c = store_.claim(id, opt_.lease_s, opt_.max_attempts);
        } catch (const std::exception& e) {
            spdlog::warn("worker {}: claim failed: {}", id, e.what());
        }
        if (!c) {
            std::unique_lock lk(mu_);
            cv_.wait_for(lk, std::chrono::milliseconds(static_cast<long>(opt_.poll_s * 1000)), [&] { return wake_ || draining_.load(); });
            wake_ = false;
            continue;
        }
        ++busy_;
        try {
            run_one(id, std::move(*c));
        } catch (const std::exception& e) {
            spdlog::error("worker {}: {}", id, e.what());
        }
        --busy_;
    }
}

void WorkerPool::run_one(const std::string& worker_id, Claim claim) {
    const std::string job = claim.job.id;
    fs::path dir = fs::path(opt_.work_dir) / (job + "-" + std::to_string(::getpid()) + "-" + std::to_string(std::hash<std::string>{}(worker_id) % 100000));
    fs::create_directories(dir);
    // The upload's own name, so the result's document.file is what the client sent.
    std::string name = fs::path(claim.job.file_name).filename().string();
    if (name.empty() || name[0] == '.' || name == "result.json") name = "input.pdf";
    fs::path pdf = dir / name, out = dir / "result.json";
    {
        std::ofstream f(pdf, std::ios::binary);
        f.write(claim.pdf.data(), static_cast<std::streamsize>(claim.pdf.size()));
    }
    claim.pdf.clear();
    spdlog::info("worker {}: job {} ({}, attempt {})", worker_id, job, claim.job.file_name, claim.job.attempts);
    auto last_beat = std::chrono::steady_clock::now();
    bool lost = false, aborted = false;
    int last_done = -1;
    RunResult r = run_job_process(opt_.exe, pdf.string(), out.string(), claim.job.options, opt_.job_threads, opt_.job_timeout_s,
                                  [&](int done, int total) {
                                      if (abort_) {
                                          aborted = true;
                                          return false;
                                      }
                                      auto now = std::chrono::steady_clock::now();
                                      if (done != last_done || now - last_beat >= std::chrono::seconds(opt_.heartbeat_s)) {
                                          bool ok = true;
                                          try {
                                              ok = store_.heartbeat(job, worker_id, opt_.lease_s, done, total);
                                          } catch (const std::exception& e) {
                                              // The store is unreachable: keep working, the lease decides.
                                              spdlog::warn("worker {}: heartbeat failed: {}", worker_id, e.what());
                                          }
                                          last_beat = now;
                                          last_done = done;
                                          if (!ok) {
                                              lost = true;
                                              return false;
                                          }
                                      }
                                      return true;
                                  });
    if (r.kind == RunResult::Ok) {
        std::string text = read_file(out);
        json j = json::parse(text, nullptr, false);
        if (j.is_discarded()) {
            store_.fail(job, worker_id, "the extraction wrote no valid JSON");
            if (metrics_) metrics_->job_failed();
        } else if (store_.finish(job, worker_id, text)) {
            if (metrics_) metrics_->job_done(j);
            spdlog::info("worker {}: job {} done", worker_id, job);
        } else {
            spdlog::warn("worker {}: job {} was deleted or re-claimed; result dropped", worker_id, job);
        }
    } else if (r.kind == RunResult::Cancelled) {
        if (aborted && !lost) {
            store_.release(job, worker_id);
            spdlog::info("worker {}: job {} requeued (shutting down)", worker_id, job);
        } else {
            spdlog::info("worker {}: job {} deleted or re-claimed; stopped", worker_id, job);
        }
    } else {
        if (store_.fail(job, worker_id, r.message) && metrics_) metrics_->job_failed();
        spdlog::info("worker {}: job {} failed: {}", worker_id, job, r.message);
    }
    std::error_code ec;
    fs::remove_all(dir, ec);
}

}  // namespace fiscan::service
