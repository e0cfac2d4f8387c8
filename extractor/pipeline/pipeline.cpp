#include "pipeline/pipeline.hpp"

#include "ocr/tesseract_engine.hpp"
#include "schema/stage.hpp"
#include "validate/stage.hpp"
#include "output/json_writer.hpp"
#include "pdf/pdf_document.hpp"
#include "pipeline/page.hpp"

#include <spdlog/spdlog.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

namespace fiscan {

namespace {

std::string data_dir(const char* sub) {
    namespace fs = std::filesystem;
    if (const char* home = std::getenv("FISCAN_HOME"); home && *home) return (fs::path(home) / sub).string();
    fs::path src = fs::path(FISCAN_SOURCE_DIR) / sub;
    if (fs::exists(src)) return src.string();
    return (fs::current_path() / sub).string();
}

void check_options(const Options& o) {
    if (o.dpi < 50 || o.dpi > 1200) throw InputError("--dpi must be between 50 and 1200");
    if (o.first_page < 1) throw InputError("--pages must start at page 1 or later");
    if (o.last_page != 0 && o.last_page < o.first_page) throw InputError("--pages range is empty");
    if (o.threads < 0) throw InputError("--threads must be 0 (all cores) or more");
}

}  // namespace

// Consumers key on the catalogue's ids (tables.json); a regional layout
// (budget.sh.06, Shanghai's 政府性基金预算支出功能分类预算表) is reported as
// the standard table it stands for, with the layout used beside it.
void report_catalogue_ids(Document& doc, const SchemaSet& schemas) {
    for (auto& t : doc.tables) {
        if (!t.schema) continue;
        std::string id = schemas.catalogue_id(*t.schema);
        if (id != *t.schema) {
            t.schema_variant = t.schema;
            t.schema = std::move(id);
        }
    }
}

std::string default_models_dir() { return data_dir("models"); }
std::string default_layouts_dir() { return data_dir("layouts"); }

Document extract(const std::string& pdf_path, const Options& opt_in, const ProgressFn& progress) {
    Options opt = opt_in;
    check_options(opt);
    if (opt.models_dir.empty()) opt.models_dir = default_models_dir();
    if (opt.layouts_dir.empty()) opt.layouts_dir = default_layouts_dir();

    auto bytes = pdf::read_pdf_bytes(pdf_path);
    auto probe = pdf::PdfDocument::open(bytes);
    Document doc;
    doc.file = std::filesystem::path(pdf_path).filename().string();
    doc.sha256 = output::sha256_hex(*bytes);
    doc.page_count = probe->page_count();
    if (doc.page_count > opt.max_pages)
        throw InputError("the PDF has " + std::to_string(doc.page_count) + " pages (limit " + std::to_string(opt.max_pages) + ")");
    int first = opt.first_page, last = opt.last_page == 0 ? doc.page_count : opt.last_page;
    if (first > doc.page_count) throw InputError("--pages starts after the last page (" + std::to_string(doc.page_count) + ")");
    last = std::min(last, doc.page_count);
    const int n = last - first + 1;

    pipeline::Settings settings{opt, layout::Params::load(opt.models_dir + "/layout.json"),
                                ocr::load_crop_options(opt.models_dir)};
    int threads = opt.threads > 0 ? opt.threads : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    threads = std::min(threads, n);

    // Stages after OCR need the whole document; load their data up front so
    // a broken layouts/ or models/ folder fails before any page is read.
    const SchemaSet schemas = load_schemas(opt.layouts_dir);
    const Lexicon lexicon = load_lexicon(opt.models_dir + "/lexicon");
    ValidateOptions vopt = load_validate_options(opt.models_dir);
    vopt.lexicon = &lexicon;

    std::vector<pipeline::PageOutput> results(static_cast<size_t>(n));
    std::string ocr_policy, ocr_note;
    bool ocr_has_ppocr = false;
    std::atomic<int> next{0}, done{0};
    std::mutex progress_mu;
    std::exception_ptr fatal;
    auto run = [&] {
        try {
            pipeline::Worker w;
            {
                // The document opened to count the pages serves one worker
                // (parsing a PDF's cross-references is a start-up cost).
                std::lock_guard lk(progress_mu);
                w.pdf = std::move(probe);
            }
            if (!w.pdf) w.pdf = pdf::PdfDocument::open(bytes);
            w.models_dir = opt.models_dir;
            w.on_engines = [&](const ocr::CellReader& reader) {
                std::lock_guard lk(progress_mu);
                if (!ocr_policy.empty()) return;
                ocr_policy = reader.policy();
                ocr_has_ppocr = reader.has_ppocr();
                if (!reader.has_ppocr() && reader.requested_policy() != "tesseract-only") {
                    ocr_note = "PP-OCRv4 model not available (" + reader.ppocr_missing_reason() + "); running on Tesseract alone";
                    spdlog::warn("{}", ocr_note);
                }
            };
            for (int i = next++; i < n; i = next++) {
                results[static_cast<size_t>(i)] = pipeline::process_page(w, first + i, settings);
                int d = ++done;
                if (progress) { std::lock_guard lk(progress_mu); progress(d, n); }
            }
        } catch (...) {
            std::lock_guard lk(progress_mu);
            if (!fatal) fatal = std::current_exception();
        }
    };
    std::vector<std::thread> pool;
    for (int t = 1; t < threads; ++t) pool.emplace_back(run);
    run();
    for (auto& t : pool) t.join();
    if (fatal) std::rethrow_exception(fatal);

    // Assemble in page order: the output does not depend on the thread count.
    for (auto& r : results) {
        doc.pages.push_back(std::move(r.page));
        for (auto& t : r.tables) doc.tables.push_back(std::move(t));
        for (auto& f : r.findings) doc.findings.push_back(std::move(f));
    }
    doc.metadata["pages_processed"] = n;
    doc.metadata["threads"] = threads;
    if (!ocr_policy.empty()) {
        doc.metadata["ocr"] = {{"policy", ocr_policy}, {"ppocr", ocr_has_ppocr}};
        if (!ocr_note.empty()) doc.metadata["ocr"]["note"] = ocr_note;
    }
    apply_schemas(doc, schemas, lexicon);
    validate_document(doc, schemas, vopt);
    report_catalogue_ids(doc, schemas);
    return doc;
}

}  // namespace fiscan
