// Helpers for the service tests: temporary folders, test PDFs, child
// processes of the real fiscan binary, and a bounded wait (a guard against a
// hang, never a timing assertion).
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fiscan::test {

namespace fs = std::filesystem;

inline std::string service_data(const std::string& name) { return std::string(FISCAN_TEST_DATA) + "/service/" + name; }

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

struct TempDir {
    fs::path path;
    explicit TempDir(const char* tag = "fiscan-svc") {
        std::string t = (fs::temp_directory_path() / (std::string(tag) + "-XXXXXX")).string();
        path = ::mkdtemp(t.data());
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

// Polls `pred` until it holds or `limit_s` passes; returns whether it held.
inline bool wait_until(const std::function<bool()>& pred, double limit_s = 120) {
    auto end = std::chrono::steady_clock::now() + std::chrono::milliseconds(static_cast<long>(limit_s * 1000));
    while (std::chrono::steady_clock::now() < end) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return pred();
}

// The fiscan binary as a child process; stderr goes to a file.
class Child {
public:
    Child(const std::vector<std::string>& args, const fs::path& log) : log_(log) {
        std::vector<std::string> a = {FISCAN_BINARY};
        a.insert(a.end(), args.begin(), args.end());
        std::vector<char*> argv;
        for (auto& s : a) argv.push_back(s.data());
        argv.push_back(nullptr);
        pid_ = ::fork();
        if (pid_ == 0) {
            FILE* f = std::fopen(log.c_str(), "w");
            if (f) {
                ::dup2(fileno(f), 2);
                ::dup2(fileno(f), 1);
            }
            sigset_t none;
            sigemptyset(&none);
            ::sigprocmask(SIG_SETMASK, &none, nullptr);
            ::execv(argv[0], argv.data());
            ::_exit(127);
        }
    }
    ~Child() { kill(SIGKILL); }
    void kill(int sig) {
        if (pid_ > 0) {
            ::kill(pid_, sig);
            if (sig == SIGKILL) wait();
        }
    }
    int wait() {
        if (pid_ <= 0) return status_;
        int st = 0;
        ::waitpid(pid_, &st, 0);
        pid_ = -1;
        status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        return status_;
    }
    std::string log() const { return slurp(log_); }
    // The port printed by `fiscan serve --port 0` ("listening on http://host:PORT").
    int port() const {
        int port = 0;
        wait_until([&] {
            std::string l = log();
            auto p = l.find("listening on http://");
            if (p == std::string::npos) return false;
            auto c = l.find(':', p + 20);
            port = std::atoi(l.c_str() + c + 1);
            return port > 0;
        }, 60);
        return port;
    }

private:
    fs::path log_;
    pid_t pid_ = -1;
    int status_ = -1;
};

}  // namespace fiscan::test
