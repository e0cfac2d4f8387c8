// scripts/loadtest with --kill-server-after: the real server is killed with
// SIGKILL in the middle of a load test and restarted on the same data folder
// and port while the clients carry on; every accepted job must finish with a
// valid result and the script must say so (exit status 0).
#include "service_fixtures.hpp"

#include <array>
#include <cstdio>
#include <regex>

using namespace fiscan::test;

namespace {

struct Output {
    int status = -1;
    std::string text;
};

Output run(const std::string& cmd) {
    Output o;
    FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
    if (!p) return o;
    std::array<char, 4096> buf{};
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) o.text.append(buf.data(), n);
    int st = ::pclose(p);
    o.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    return o;
}

int number_after(const std::string& text, const std::string& label) {
    std::smatch m;
    if (!std::regex_search(text, m, std::regex(label + " ([0-9]+)"))) return -1;
    return std::stoi(m[1]);
}

}  // namespace

TEST(ServiceLoadtest, KillNineMidLoadLosesNoAcceptedJob) {
    std::string cmd = std::string("/usr/bin/python3 ") + FISCAN_SOURCE_DIR + "/scripts/loadtest --start --binary " + FISCAN_BINARY +
                      " --pdf " + service_data("one-page.pdf") +
                      " -n 8 -c 4 --kill-server-after 3 --workers 2 --job-threads 1 --timeout 300";
    Output o = run(cmd);
    EXPECT_EQ(o.status, 0) << o.text;
    // Killed once the third upload was accepted (others may have been accepted in the same instant).
    int at_kill = number_after(o.text, "kill -9: after");
    EXPECT_GE(at_kill, 3) << o.text;
    EXPECT_LT(at_kill, 8) << o.text;
    EXPECT_NE(o.text.find(" accepted uploads; restarted on the same data and port"), std::string::npos) << o.text;
    EXPECT_EQ(number_after(o.text, "accepted"), 8) << o.text;
    EXPECT_EQ(number_after(o.text, "finished with a valid result"), 8) << o.text;
    EXPECT_NE(o.text.find("every accepted job finished with a valid result: yes; lost: 0"), std::string::npos) << o.text;
    int rerun = number_after(o.text, "in flight at the kill\\):");
    EXPECT_GE(rerun, 0) << o.text;
    EXPECT_LE(rerun, 2) << o.text;  // at most one per worker
    EXPECT_GE(number_after(o.text, "jobs in the store"), 8) << o.text;
    EXPECT_EQ(number_after(o.text, "left in data/work after the final stop:"), 0) << o.text;
}

// The script refuses a kill without a server of its own to restart.
TEST(ServiceLoadtest, KillNeedsStart) {
    Output o = run(std::string("/usr/bin/python3 ") + FISCAN_SOURCE_DIR +
                   "/scripts/loadtest --url http://127.0.0.1:1 -n 2 --kill-server-after 1");
    EXPECT_EQ(o.status, 2) << o.text;
    EXPECT_NE(o.text.find("--kill-server-after needs --start"), std::string::npos) << o.text;
}
