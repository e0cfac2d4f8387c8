// Batch extraction: many PDFs → OUTDIR, resumable.
// Takes: input paths (folders are searched recursively for *.pdf, a .txt/.lst
// file lists one PDF per line relative to the list's folder, a PDF is itself),
// an output folder, the export formats and the extraction options.
// Gives: OUTDIR/<stem>.json (+ .xlsx, .csv/) per document, OUTDIR/manifest.json
// (machine-readable: one entry per input with status, outputs, findings by
// kind, error), a progress display and a summary.
// Resuming: a document whose OUTDIR/<stem>.json exists and records the same
// input SHA-256 is skipped (the JSON is written last, atomically, so it only
// exists when every output of the document is complete). A crash or Ctrl-C
// loses only the document in flight. One failing document never stops the batch.
#pragma once

#include "pipeline/pipeline.hpp"
#include "service/exports.hpp"

#include <cstdio>
#include <map>
#include <string>
#include <vector>

namespace fiscan::service {

struct BatchOptions {
    std::vector<std::string> inputs;
    std::string out_dir;
    Formats formats;             // json is always written (it is the completion record)
    Options extract;             // per-document extraction options (threads = page threads)
    std::FILE* progress = stderr;  // nullptr: silent
    bool terminal = false;       // redraw one progress line; else plain periodic lines
    double interval_s = 10.0;    // plain-line period when not a terminal
};

struct BatchItem {
    std::string input, stem, sha256;
    int pages = 0;
    std::string status;          // done | skipped | failed
    std::string error;           // one line, when failed
    std::vector<std::string> outputs;  // relative to out_dir
    std::map<std::string, int> findings_by_kind;
    double seconds = 0.0;
};

struct BatchSummary {
    std::vector<BatchItem> items;
    int done = 0, skipped = 0, failed = 0, pages = 0;
    std::map<std::string, int> findings_by_kind;
    double seconds = 0.0;
};

// Expands folders and list files; throws InputError for a path that does not exist.
std::vector<std::string> collect_inputs(const std::vector<std::string>& args);

BatchSummary run_batch(const BatchOptions& opt);

// The human summary printed at the end.
std::string summary_text(const BatchSummary& s);

}  // namespace fiscan::service
