#include "service/metrics.hpp"

#include <cstdio>
#include <sstream>

namespace fiscan::service {

using nlohmann::json;

void Metrics::job_done(const json& result) {
    std::lock_guard lk(mu_);
    ++done_;
    std::map<int, double> ocr_page_seconds;
    for (const auto& p : result.value("pages", json::array())) {
        double s = p.value("seconds", 0.0);
        ++pages_;
        ++page_count_;
        page_sum_ += s;
        for (size_t i = 0; i < kBuckets.size(); ++i)
            if (s <= kBuckets[i]) {
                ++bucket_[i];
                break;
            }
        if (p.value("method", "") == "ocr") ocr_seconds_ += s;
    }
    for (const auto& t : result.value("tables", json::array()))
        for (const auto& c : t.value("cells", json::array()))
            if (c.value("source", "") == "ocr") ++ocr_cells_;
}

void Metrics::job_failed() {
    std::lock_guard lk(mu_);
    ++failed_;
}

void Metrics::rejected(const std::string& reason) {
    std::lock_guard lk(mu_);
    ++rejected_[reason];
}

long Metrics::pages() const {
    std::lock_guard lk(mu_);
    return pages_;
}

std::string Metrics::render(const std::map<std::string, long>& states, int workers, int busy) const {
    std::lock_guard lk(mu_);
    std::ostringstream o;
    o << "# HELP fiscan_jobs Jobs in the store by state.\n# TYPE fiscan_jobs gauge\n";
    for (const auto& [s, n] : states) o << "fiscan_jobs{state=\"" << s << "\"} " << n << "\n";
    o << "# HELP fiscan_jobs_finished_total Jobs finished by this process.\n# TYPE fiscan_jobs_finished_total counter\n";
    o << "fiscan_jobs_finished_total{outcome=\"done\"} " << done_ << "\n";
    o << "fiscan_jobs_finished_total{outcome=\"failed\"} " << failed_ << "\n";
    o << "# HELP fiscan_pages_processed_total Pages extracted by this process.\n# TYPE fiscan_pages_processed_total counter\n";
    o << "fiscan_pages_processed_total " << pages_ << "\n";
    o << "# HELP fiscan_page_seconds Wall time per page.\n# TYPE fiscan_page_seconds histogram\n";
    long cum = 0;
    char buf[64];
    for (size_t i = 0; i < kBuckets.size(); ++i) {
        cum += bucket_[i];
        std::snprintf(buf, sizeof buf, "%g", kBuckets[i]);
        o << "fiscan_page_seconds_bucket{le=\"" << buf << "\"} " << cum << "\n";
    }
    o << "fiscan_page_seconds_bucket{le=\"+Inf\"} " << page_count_ << "\n";
    o << "fiscan_page_seconds_sum " << page_sum_ << "\n";
    o << "fiscan_page_seconds_count " << page_count_ << "\n";
    o << "# HELP fiscan_ocr_cells_total Table cells read by OCR.\n# TYPE fiscan_ocr_cells_total counter\n";
    o << "fiscan_ocr_cells_total " << ocr_cells_ << "\n";
    o << "# HELP fiscan_ocr_seconds_total Wall time of pages read by OCR.\n# TYPE fiscan_ocr_seconds_total counter\n";
    o << "fiscan_ocr_seconds_total " << ocr_seconds_ << "\n";
    o << "# HELP fiscan_ocr_cells_per_second OCR cells per second of OCR page time.\n# TYPE fiscan_ocr_cells_per_second gauge\n";
    o << "fiscan_ocr_cells_per_second " << (ocr_seconds_ > 0 ? ocr_cells_ / ocr_seconds_ : 0.0) << "\n";
    o << "# HELP fiscan_uploads_rejected_total Uploads refused, by reason.\n# TYPE fiscan_uploads_rejected_total counter\n";
    for (const auto& [r, n] : rejected_) o << "fiscan_uploads_rejected_total{reason=\"" << r << "\"} " << n << "\n";
    o << "# HELP fiscan_workers Embedded workers.\n# TYPE fiscan_workers gauge\nfiscan_workers " << workers << "\n";
    o << "# HELP fiscan_workers_busy Embedded workers running a job.\n# TYPE fiscan_workers_busy gauge\nfiscan_workers_busy " << busy << "\n";
    return o.str();
}

}  // namespace fiscan::service
