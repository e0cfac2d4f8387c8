// Prometheus metrics of the service (text exposition format 0.0.4).
//   fiscan_jobs{state}                     jobs in the store by state (gauge)
//   fiscan_jobs_finished_total{outcome}    jobs this process finished: done | failed
//   fiscan_pages_processed_total           pages extracted by this process's workers
//   fiscan_page_seconds                    per-page wall time (histogram)
//   fiscan_ocr_cells_total, fiscan_ocr_seconds_total, fiscan_ocr_cells_per_second
//                                          cells read by OCR / time of OCR pages
//   fiscan_uploads_rejected_total{reason}  uploads refused (413, 422, 429, 503)
//   fiscan_workers_busy, fiscan_workers    embedded workers
#pragma once

#include <nlohmann/json.hpp>

#include <array>
#include <map>
#include <mutex>
#include <string>

namespace fiscan::service {

class Metrics {
public:
    static constexpr std::array<double, 11> kBuckets = {0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20, 60, 120};

    void job_done(const nlohmann::json& result);   // observes pages and cells of the result
    void job_failed();
    void rejected(const std::string& reason);
    std::string render(const std::map<std::string, long>& states, int workers, int busy) const;

    long pages() const;

private:
    mutable std::mutex mu_;
    long done_ = 0, failed_ = 0, pages_ = 0;
    std::array<long, kBuckets.size()> bucket_{};   // non-cumulative counts
    long page_count_ = 0;
    double page_sum_ = 0.0;
    long ocr_cells_ = 0;
    double ocr_seconds_ = 0.0;
    std::map<std::string, long> rejected_;
};

}  // namespace fiscan::service
