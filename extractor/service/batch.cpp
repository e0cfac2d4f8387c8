#include "service/batch.hpp"

#include "output/json_writer.hpp"
#include "pdf/pdf_document.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>
#include <sstream>
#include <thread>
#include <unistd.h>

namespace fiscan::service {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

bool is_pdf_name(const fs::path& p) {
    std::string e = p.extension().string();
    std::transform(e.begin(), e.end(), e.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return e == ".pdf";
}

std::string one_line(std::string s) {
    for (char& c : s)
        if (c == '\n' || c == '\r') c = ' ';
    return s;
}

std::string fmt_duration(double s) {
    if (!(s >= 0) || s > 1e7) return "--";
    long t = static_cast<long>(s + 0.5);
    char buf[32];
    if (t >= 3600) std::snprintf(buf, sizeof buf, "%ldh%02ldm", t / 3600, (t / 60) % 60);
    else if (t >= 60) std::snprintf(buf, sizeof buf, "%ldm%02lds", t / 60, t % 60);
    else std::snprintf(buf, sizeof buf, "%lds", t);
    return buf;
}

std::map<std::string, int> count_findings(const json& doc) {
    std::map<std::string, int> m;
    for (const auto& f : doc.value("findings", json::array())) ++m[f.value("kind", "?")];
    return m;
}

// Progress shared between the extraction and the display thread.
struct Progress {
    std::mutex mu;
    int docs_total = 0, docs_finished = 0, failed = 0;
    long pages_total = 0;    // pages of the documents to process in this run
    long pages_done = 0;     // pages of finished documents + the current one
    long pages_run = 0;      // pages processed in this run (for the rate)
    std::string current;
    int cur_done = 0, cur_total = 0;
    std::chrono::steady_clock::time_point start = std::chrono::steady_clock::now();

    std::string line() {
        double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        long run = pages_run + cur_done;
        double ppm = el > 0 ? run / el * 60.0 : 0.0;
        long left = pages_total - pages_done - cur_done;
        std::string eta = ppm > 0 ? fmt_duration(left / ppm * 60.0) : "--";
        char buf[256];
        std::snprintf(buf, sizeof buf, "%d/%d docs%s, %ld/%ld pages, %.1f pages/min, ETA %s", docs_finished, docs_total,
                      failed ? (" (" + std::to_string(failed) + " failed)").c_str() : "", pages_done + cur_done,
                      pages_total, ppm, eta.c_str());
        std::string s = buf;
        if (!current.empty()) s += " [" + current + " " + std::to_string(cur_done) + "/" + std::to_string(cur_total) + "]";
        return s;
    }
};

void write_manifest(const BatchOptions& opt, const std::vector<BatchItem>& items, const std::string& state) {
    json docs = json::array();
    std::map<std::string, int> kinds;
    int done = 0, skipped = 0, failed = 0;
    for (const auto& it : items) {
        if (it.status.empty()) continue;
        json d = {{"input", it.input}, {"stem", it.stem}, {"sha256", it.sha256}, {"pages", it.pages},
                  {"status", it.status}, {"outputs", it.outputs}, {"findings_by_kind", it.findings_by_kind},
                  {"seconds", std::round(it.seconds * 1000.0) / 1000.0}};
        if (!it.error.empty()) d["error"] = it.error;
        docs.push_back(std::move(d));
        done += it.status == "done";
        skipped += it.status == "skipped";
        failed += it.status == "failed";
        for (auto& [k, n] : it.findings_by_kind) kinds[k] += n;
    }
    json m = {{"generator", {{"name", "fiscan"}, {"version", FISCAN_VERSION}}},
              {"state", state},
              {"formats", opt.formats.str()},
              {"totals", {{"inputs", items.size()}, {"done", done}, {"skipped", skipped}, {"failed", failed},
                          {"findings_by_kind", kinds}}},
              {"documents", docs}};
    output::write_file_atomic((fs::path(opt.out_dir) / "manifest.json").string(), m.dump(1) + "\n");
}

// Does `base` hold a complete output of the input with hash `sha`?
bool complete_output(const std::string& base, const std::string& sha, const Formats& f, std::map<std::string, int>& kinds) {
    std::ifstream in(json_path(base));
    if (!in) return false;
    json j = json::parse(in, nullptr, false);
    if (j.is_discarded() || !j.contains("document") || j["document"].value("sha256", "") != sha) return false;
    if (f.xlsx && !fs::exists(xlsx_path(base))) return false;
    if (f.csv && !fs::exists(fs::path(csv_dir(base)) / "findings.csv")) return false;
    kinds = count_findings(j);
    return true;
}

// Temp files of a writer killed mid-write: `NAME.tmp.PID` (JSON, CSV, manifest)
// and `.NAME.tmpPID-N` (XLSX). Each is renamed into place when complete, so a
// leftover one is debris; it is removed once its process is gone (a live PID
// may be another batch writing into the same folder).
int sweep_temp_files(const fs::path& out_dir) {
    static const std::regex tmp_name(R"(^.+\.tmp\.?([0-9]+)(-[0-9]+)?$)");
    int removed = 0;
    auto sweep = [&](const fs::path& dir) {
        std::vector<fs::path> dead;
        std::error_code ec, fec;
        for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
            std::smatch m;
            std::string name = it->path().filename().string();
            if (!std::regex_match(name, m, tmp_name) || !it->is_regular_file(fec)) continue;
            long pid = std::strtol(m[1].str().c_str(), nullptr, 10);
            if (pid <= 0 || pid == ::getpid()) continue;
            if (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM) continue;  // still running
            dead.push_back(it->path());
        }
        for (const auto& p : dead) removed += fs::remove(p, fec) ? 1 : 0;
    };
    sweep(out_dir);
    std::vector<fs::path> csv_dirs;
    std::error_code ec, dec;
    for (auto it = fs::directory_iterator(out_dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec))
        if (it->path().extension() == ".csv" && it->is_directory(dec)) csv_dirs.push_back(it->path());
    for (const auto& d : csv_dirs) sweep(d);
    return removed;
}

}  // namespace

std::vector<std::string> collect_inputs(const std::vector<std::string>& args) {
    std::vector<std::string> out;
    for (const auto& a : args) {
        fs::path p(a);
        std::error_code ec;
        if (fs::is_directory(p, ec)) {
            std::vector<std::string> found;
            for (auto it = fs::recursive_directory_iterator(p, fs::directory_options::skip_permission_denied, ec);
                 it != fs::recursive_directory_iterator(); it.increment(ec)) {
                if (ec) break;
                if (it->is_regular_file(ec) && is_pdf_name(it->path())) found.push_back(it->path().string());
            }
            std::sort(found.begin(), found.end());
            out.insert(out.end(), found.begin(), found.end());
        } else if (fs::is_regular_file(p, ec)) {
            if (is_pdf_name(p)) {
                out.push_back(p.string());
                continue;
            }
            // A list: one path per line, relative to the list's folder; # comments.
            std::ifstream in(p);
            std::string line;
            while (std::getline(in, line)) {
                while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
                size_t s = line.find_first_not_of(" \t");
                if (s == std::string::npos || line[s] == '#') continue;
                fs::path q(line.substr(s));
                if (q.is_relative()) q = p.parent_path() / q;
                out.push_back(q.lexically_normal().string());
            }
        } else {
            throw InputError(a + ": no such file or folder");
        }
    }
    return out;
}

BatchSummary run_batch(const BatchOptions& opt) {
    auto t0 = std::chrono::steady_clock::now();
    fs::create_directories(opt.out_dir);
    Formats formats = opt.formats;
    formats.json = true;
    std::vector<BatchItem> items;
    for (const auto& in : collect_inputs(opt.inputs)) {
        BatchItem it;
        it.input = in;
        it.stem = fs::path(in).stem().string();
        items.push_back(std::move(it));
    }
    // Same stem from different folders: tell them apart by the input hash.
    std::map<std::string, int> stems;
    for (const auto& it : items) ++stems[it.stem];

    Progress prog;
    prog.docs_total = static_cast<int>(items.size());
    std::vector<size_t> todo;
    auto say = [&](const std::string& s) {
        if (!opt.progress) return;
        std::lock_guard lk(prog.mu);
        if (opt.terminal) std::fprintf(opt.progress, "\r\033[K");
        std::fprintf(opt.progress, "fiscan batch: %s\n", s.c_str());
        std::fflush(opt.progress);
    };

    if (int n = sweep_temp_files(opt.out_dir))
        say("removed " + std::to_string(n) + " temp file" + (n > 1 ? "s" : "") + " left by an interrupted run");

    // Scan: hash, page count, and whether a complete output already exists.
    for (size_t i = 0; i < items.size(); ++i) {
        auto& it = items[i];
        try {
            auto bytes = pdf::read_pdf_bytes(it.input);
            it.sha256 = output::sha256_hex(*bytes);
            it.pages = pdf::PdfDocument::open(bytes)->page_count();
        } catch (const std::exception& e) {
            it.status = "failed";
            it.error = one_line(e.what());
            prog.docs_finished++;
            prog.failed++;
            say("failed " + it.input + ": " + it.error);
            continue;
        }
        if (stems[it.stem] > 1) it.stem += "-" + it.sha256.substr(0, 8);
        std::string base = (fs::path(opt.out_dir) / it.stem).string();
        if (complete_output(base, it.sha256, formats, it.findings_by_kind)) {
            it.status = "skipped";
            for (const auto& p : {json_path(base), xlsx_path(base), csv_dir(base)})
                if (fs::exists(p)) it.outputs.push_back(fs::relative(p, opt.out_dir).string());
            prog.docs_finished++;
            continue;
        }
        todo.push_back(i);
        prog.pages_total += it.pages;
    }
    int skipped = static_cast<int>(std::count_if(items.begin(), items.end(), [](auto& x) { return x.status == "skipped"; }));
    if (skipped) say(std::to_string(skipped) + " of " + std::to_string(items.size()) + " documents already complete, skipped");
    write_manifest(opt, items, "running");

    // Display thread: a redrawn line on a terminal, plain lines every interval otherwise.
    std::mutex stop_mu;
    std::condition_variable stop_cv;
    bool stop = false;
    std::thread display;
    if (opt.progress) {
        display = std::thread([&] {
            auto period = opt.terminal ? std::chrono::milliseconds(500)
                                       : std::chrono::milliseconds(static_cast<long>(std::max(0.1, opt.interval_s) * 1000));
            std::unique_lock lk(stop_mu);
            while (!stop_cv.wait_for(lk, period, [&] { return stop; })) {
                std::lock_guard pl(prog.mu);
                if (opt.terminal) std::fprintf(opt.progress, "\r\033[Kfiscan batch: %s", prog.line().c_str());
                else std::fprintf(opt.progress, "fiscan batch: %s\n", prog.line().c_str());
                std::fflush(opt.progress);
            }
        });
    }

    for (size_t i : todo) {
        auto& it = items[i];
        {
            std::lock_guard lk(prog.mu);
            prog.current = fs::path(it.input).filename().string();
            prog.cur_done = 0;
            prog.cur_total = it.pages;
        }
        auto d0 = std::chrono::steady_clock::now();
        std::string base = (fs::path(opt.out_dir) / it.stem).string();
        try {
            Document doc = extract(it.input, opt.extract, [&](int done, int total) {
                std::lock_guard lk(prog.mu);
                prog.cur_done = done;
                prog.cur_total = total;
            });
            json j = output::to_json(doc);
            for (const auto& p : write_outputs(j, base, formats)) {
                std::string rel = fs::relative(p, opt.out_dir).string();
                // CSV files are listed as their folder.
                if (formats.csv && rel.rfind(fs::path(csv_dir(base)).filename().string() + "/", 0) == 0)
                    rel = fs::path(csv_dir(base)).filename().string();
                if (std::find(it.outputs.begin(), it.outputs.end(), rel) == it.outputs.end()) it.outputs.push_back(rel);
            }
            it.findings_by_kind = count_findings(j);
            it.status = "done";
        } catch (const std::exception& e) {
            it.status = "failed";
            it.error = one_line(e.what());
        }
        it.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - d0).count();
        {
            std::lock_guard lk(prog.mu);
            prog.docs_finished++;
            prog.pages_done += it.pages;
            prog.pages_run += it.status == "done" ? it.pages : prog.cur_done;
            prog.failed += it.status == "failed";
            prog.current.clear();
            prog.cur_done = prog.cur_total = 0;
        }
        int nf = 0;
        for (auto& [k, n] : it.findings_by_kind) nf += n;
        char secs[32];
        std::snprintf(secs, sizeof secs, "%.1fs", it.seconds);
        if (it.status == "done")
            say("done " + it.input + " (" + std::to_string(it.pages) + " pages, " + std::to_string(nf) + " findings, " + secs + ")");
        else
            say("failed " + it.input + ": " + it.error);
        write_manifest(opt, items, "running");
    }
    if (display.joinable()) {
        {
            std::lock_guard lk(stop_mu);
            stop = true;
        }
        stop_cv.notify_all();
        display.join();
        if (opt.terminal) {
            std::fprintf(opt.progress, "\r\033[K");
            std::fflush(opt.progress);
        }
    }
    write_manifest(opt, items, "finished");

    BatchSummary s;
    for (auto& it : items) {
        s.done += it.status == "done";
        s.skipped += it.status == "skipped";
        s.failed += it.status == "failed";
        if (it.status == "done") s.pages += it.pages;
        for (auto& [k, n] : it.findings_by_kind) s.findings_by_kind[k] += n;
    }
    s.items = std::move(items);
    s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return s;
}

std::string summary_text(const BatchSummary& s) {
    std::ostringstream o;
    char buf[160];
    std::snprintf(buf, sizeof buf, "%zu documents: %d done, %d skipped (already complete), %d failed; %d pages in %s",
                  s.items.size(), s.done, s.skipped, s.failed, s.pages, fmt_duration(s.seconds).c_str());
    o << buf << "\n";
    if (s.failed) {
        o << "failed:\n";
        for (const auto& it : s.items)
            if (it.status == "failed") o << "  " << it.input << ": " << it.error << "\n";
    }
    if (!s.findings_by_kind.empty()) {
        o << "findings by kind:";
        for (const auto& [k, n] : s.findings_by_kind) o << " " << k << "=" << n;
        o << "\n";
    }
    return o.str();
}

}  // namespace fiscan::service
