#include "pipeline/page.hpp"

#include "image/png.hpp"
#include "image/prepare.hpp"
#include "layout/cell_kind.hpp"
#include "core/components.hpp"
#include "layout/context.hpp"
#include "pdf/pdf_document.hpp"

#include <opencv2/imgproc.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>

namespace fiscan::pipeline {

namespace {

// Wall seconds since `t0`, restarting the clock: one stage's share of a page.
double lap(std::chrono::steady_clock::time_point& t0) {
    auto now = std::chrono::steady_clock::now();
    double s = std::chrono::duration<double>(now - t0).count();
    t0 = now;
    return std::round(s * 1000.0) / 1000.0;
}

int px(double mm, int dpi) { return std::max(1, static_cast<int>(std::lround(mm * dpi / 25.4))); }

// A table's cells as the layout found them, before anything is read.
Table table_from_grid(const layout::DetectedTable& g, int page) {
    Table t;
    t.page = page;
    t.bbox = g.bbox;
    t.row_lines = g.rows;
    t.col_lines = g.cols;
    t.n_rows = g.n_rows();
    t.n_cols = g.n_cols();
    t.partial_ruling = g.partial_ruling;
    for (const auto& gc : g.cells) {
        Cell c;
        c.row = gc.row; c.col = gc.col; c.row_span = gc.row_span; c.col_span = gc.col_span;
        c.bbox = gc.bbox;
        t.cells.push_back(std::move(c));
    }
    return t;
}

void attach_context(std::vector<Table>& tables, const std::vector<TextLine>& lines, int page_height, int dpi) {
    for (size_t i = 0; i < tables.size(); ++i) {
        int prev_bottom = 0, next_top = page_height;
        for (size_t k = 0; k < tables.size(); ++k) {
            if (k == i) continue;
            const Box& o = tables[k].bbox;
            bool overlaps_x = o.x1 > tables[i].bbox.x0 && o.x0 < tables[i].bbox.x1;
            if (!overlaps_x) continue;
            if (o.y1 <= tables[i].bbox.y0) prev_bottom = std::max(prev_bottom, o.y1);
            if (o.y0 >= tables[i].bbox.y1) next_top = std::min(next_top, o.y0);
        }
        auto ctx = layout::find_context(lines, tables[i].bbox, prev_bottom, next_top, dpi);
        tables[i].title = ctx.title;
        tables[i].numbering = ctx.numbering;
        tables[i].unit = ctx.unit;
        tables[i].organisation = ctx.organisation;
        tables[i].notes = ctx.notes;
    }
}

std::string join_lines(const std::vector<TextLine>& lines) {
    std::string s;
    for (const auto& l : lines) {
        if (!s.empty()) s += '\n';
        s += l.text;
    }
    return s;
}

bool inside_any(const std::vector<Table>& tables, int x, int y) {
    for (const auto& t : tables)
        if (t.bbox.contains(x, y)) return true;
    return false;
}

// Text-layer route: rulings from the page's vector paths (born-digital
// producers draw them as strokes or thin filled rectangles) and text ink from
// the glyph boxes, nothing rendered; when the page draws no rulings but
// images, or its rulings run through its glyphs, or cannot be read, rulings
// and ink from a light render (glyphs erased). Text from the glyphs.
void read_text_layer(Worker& w, int page, const Settings& s, const std::vector<pdf::Glyph>& glyphs, PageOutput& out) {
    const int dpi = s.opt.dpi;
    const int low = std::min(dpi, 150);
    const double down = static_cast<double>(low) / dpi;
    // Font boxes reach past the visible glyph (ascent/descent) and can
    // overlap a ruling: a glyph's core is where its ink is.
    auto core = [down](const pdf::Glyph& g) {
        Box f = g.bbox.scaled(down);
        return f.inset(std::max(1, f.width() / 6), std::max(1, f.height() / 4));
    };
    std::vector<layout::DetectedTable> grids;
    int vector_rulings = -1;  // the vector rulings read; -1: the render read them
    try {
        // find_line_masks' thin_components: rulings are at most 0.7 mm thick, in whole pixels
        const double thin_max = static_cast<double>(std::max(1l, std::lround(0.7 / 25.4 * low))) + 0.5;
        pdf::PagePaints paints = w.pdf->vector_paints(page, low, thin_max);
        const int n = paints.ink_segments();
        const cv::Size size(paints.width, paints.height);
        if (n > 0) {
            layout::LineMasks m = pdf::line_masks_from_paints(paints.paints, size, low, s.layout);
            // Rulings that run through the glyphs are not where the text is
            // (a misplaced form, a text layer over a different drawing).
            int crossed = 0, cores = 0;
            const cv::Rect area(0, 0, size.width, size.height);
            for (const auto& g : glyphs) {
                const Box b = core(g);
                const cv::Rect r = cv::Rect(b.x0, b.y0, b.width(), b.height()) & area;
                if (r.empty()) continue;
                ++cores;
                crossed += cv::countNonZero(m.horizontal(r)) > 0 || cv::countNonZero(m.vertical(r)) > 0;
            }
            if (crossed <= 0.05 * cores) {
                // Text ink (rows and columns found from text, text crossing
                // a boundary): a render at half the resolution is enough; the
                // glyph boxes are not (many fonts' boxes are a third of the ink's height).
                cv::Mat half = w.pdf->render_gray_kept(page, low / 2), up, text_ink;
                cv::resize(half, up, size, 0, 0, cv::INTER_LINEAR);
                cv::threshold(up, text_ink, 192, 255, cv::THRESH_BINARY_INV);
                // Tables lie within the rulings: the grid detection (whose
                // cost is its connected-component passes over the whole
                // image) only needs that part of the page and a margin.
                const cv::Rect hb = nonzero_box(m.horizontal), vb = nonzero_box(m.vertical);
                const int margin = static_cast<int>(std::lround(5.0 / 25.4 * low));
                cv::Rect roi = hb.empty() && vb.empty() ? area : hb.empty() ? vb : vb.empty() ? hb : (hb | vb);
                roi = cv::Rect(roi.x - margin, roi.y - margin, roi.width + 2 * margin, roi.height + 2 * margin) & area;
                const layout::LineMasks crop{m.horizontal(roi), m.vertical(roi), m.pieces(roi)};
                grids = layout::detect_tables_on_masks(text_ink(roi), crop, low, s.layout);
                for (auto& g : grids) {
                    auto shift = [](std::vector<int>& v, int d) { for (int& x : v) x += d; };
                    auto move = [&roi](Box& b) { b = {b.x0 + roi.x, b.y0 + roi.y, b.x1 + roi.x, b.y1 + roi.y}; };
                    shift(g.rows, roi.y);
                    shift(g.cols, roi.x);
                    move(g.bbox);
                    for (auto& c : g.cells) move(c.bbox);
                }
                // No table from the rulings: an image could still hold one.
                if (!grids.empty() || paints.images == 0) vector_rulings = n;
            }
        } else if (paints.images == 0) {
            vector_rulings = 0;  // the page paints text and nothing a ruling could be read from
        }
    } catch (const std::exception& e) {
        spdlog::debug("page {}: vector rulings unreadable ({}); rulings from the render", page, e.what());
    }
    cv::Mat gray;  // the light render, when one was needed
    if (vector_rulings < 0) {
        grids.clear();
        gray = w.pdf->render_gray_kept(page, low);
        cv::Mat text_ink;
        cv::threshold(gray, text_ink, 192, 255, cv::THRESH_BINARY_INV);
        // The glyphs are known: erase them so only rulings are left to find
        // (the text mask keeps them, for rows and columns found from text).
        cv::Mat ink = text_ink.clone();
        for (const auto& g : glyphs) {
            Box b = core(g);
            if (!b.empty()) cv::rectangle(ink, cv::Rect(b.x0, b.y0, b.width(), b.height()), cv::Scalar(0), cv::FILLED);
        }
        grids = layout::detect_tables(text_ink, ink, low, s.layout);
    }
    // Which route read the rulings (and the ink): the vector rulings used, or the render.
    out.page.timings["vector_rulings"] = std::max(0, vector_rulings);
    out.page.timings["rulings_rendered"] = vector_rulings < 0 ? 1 : 0;
    for (const auto& g : grids)
        out.tables.push_back(table_from_grid(layout::scaled(g, static_cast<double>(dpi) / low), page));
    auto size = w.pdf->page_size_pt(page);
    out.page.width = static_cast<int>(std::lround(size.width * dpi / 72.0));
    out.page.height = static_cast<int>(std::lround(size.height * dpi / 72.0));

    std::vector<std::vector<layout::PositionedText>> per_cell;
    std::vector<layout::PositionedText> outside;
    for (auto& t : out.tables) {
        per_cell.assign(t.cells.size(), {});
        for (const auto& g : glyphs) {
            int cx = g.bbox.cx(), cy = g.bbox.cy();
            if (!t.bbox.contains(cx, cy)) continue;
            for (size_t i = 0; i < t.cells.size(); ++i)
                if (t.cells[i].bbox.contains(cx, cy)) { per_cell[i].push_back({g.bbox, g.text, g.space_after}); break; }
        }
        for (size_t i = 0; i < t.cells.size(); ++i) {
            auto& c = t.cells[i];
            c.raw_text = layout::join_cell_text(per_cell[i]);
            c.text = c.raw_text;
            c.source = c.text.empty() ? Source::Empty : Source::TextLayer;
            // The text layer is what the producer typed; calibration (models/) may refine this.
            c.confidence = c.text.empty() ? 0.99 : 0.995;
            Reading r;
            r.text = c.text;
            r.confidence = 1.0;
            r.engine = "text-layer";
            c.readings.push_back(std::move(r));
        }
    }
    for (const auto& g : glyphs)
        if (!inside_any(out.tables, g.bbox.cx(), g.bbox.cy())) outside.push_back({g.bbox, g.text, g.space_after});
    out.page.lines = layout::group_into_lines(std::move(outside));
    if (!s.opt.debug_dir.empty()) {
        if (gray.empty()) gray = w.pdf->render_gray_kept(page, low);
        cv::Mat full;
        cv::resize(gray, full, cv::Size(out.page.width, out.page.height), 0, 0, cv::INTER_LINEAR);
        write_debug_image(s.opt.debug_dir, page, full, out.tables);
    }
}

// OCR route: straighten, find grids, read every non-empty cell.
void read_image(Worker& w, int page, const Settings& s, PageOutput& out) {
    w.ensure_ocr();
    const int dpi = out.page.dpi;
    auto clock = std::chrono::steady_clock::now();
    cv::Mat raw = w.pdf->render_gray(page, dpi);
    out.page.timings["render"] = lap(clock);
    out.page.width = raw.cols;
    out.page.height = raw.rows;
    // 0°/180°: the recogniser vote needs the page's text lines, so it runs
    // after the layout stage; Tesseract's osd (the fallback) inside prepare().
    const std::string how = w.orientation_cfg.method == "vote" && !w.cells->ppocr() ? "osd" : w.orientation_cfg.method;
    image::UpsideDownOracle oracle;
    int osd_said = -1;
    if (how == "osd" && w.orientation && w.orientation->available())
        oracle = [&w, &osd_said](const cv::Mat& g, int d) { return osd_said = w.orientation->upside_down(g, d); };
    image::Prepared prep = image::prepare(raw, dpi, {}, oracle);
    raw.release();
    if (osd_said >= 0) out.page.orientation = {{"method", "osd"}, {"degrees", osd_said}};
    out.page.timings["prepare"] = lap(clock);
    layout::LineMasks line_masks;
    // (text rows and unruled columns from the ink a blot does not cover)
    auto grids = layout::detect_tables(layout::visible_ink(prep.ink, prep.occlusion), prep.line_ink, dpi, s.layout, &line_masks);
    double layout_s = lap(clock);
    if (how == "vote") {
        // Text lines: the ink without the rulings found.
        cv::Mat text = prep.ink.clone();
        if (!line_masks.horizontal.empty()) text.setTo(0, line_masks.horizontal);
        if (!line_masks.vertical.empty()) text.setTo(0, line_masks.vertical);
        const auto& vp = w.orientation_cfg.vote;
        const auto v = ocr::vote_orientation(*w.cells->ppocr(), prep.gray, ocr::text_line_samples(text, dpi, vp), dpi, vp);
        out.page.orientation = {{"method", "vote"}, {"degrees", v.degrees}, {"upright", std::round(v.upright * 1000) / 1000},
                                {"turned", std::round(v.turned * 1000) / 1000}, {"samples", v.samples}};
        out.page.timings["orientation"] = lap(clock);
        if (v.degrees == 180) {
            image::turn_half(prep);
            grids = layout::detect_tables(layout::visible_ink(prep.ink, prep.occlusion), prep.line_ink, dpi, s.layout, &line_masks);
        }
    }
    out.page.rotation_deg = prep.rotation_deg();
    // a ruling under a blot is hidden, not absent: no cell merged across it
    layout::split_occluded_merges(grids, prep.occlusion, dpi);
    for (const auto& g : grids) out.tables.push_back(table_from_grid(g, page));
    // Cells are cropped from the page with its rulings erased: remnants of a
    // faint, broken or slightly skewed ruling at a crop's edge read as "1" or
    // as noise in an empty cell (docs/ocr.md).
    cv::Mat cell_gray = prep.gray;
    if (!grids.empty()) {
        cell_gray = prep.gray.clone();
        cell_gray.setTo(255, layout::rule_mask(prep.line_ink, line_masks, dpi, grids));
    }
    out.page.timings["layout"] = layout_s + lap(clock);
    int read = 0;

    for (auto& t : out.tables) {
        std::vector<ocr::Crop> crops;
        std::vector<size_t> which;
        std::vector<CellKind> kinds;
        std::vector<int> rows, cols;
        std::vector<cv::Mat> cleaned(t.cells.size());
        std::vector<bool> blank(t.cells.size(), false);
        std::vector<bool> dark_only(t.cells.size(), false);  // obscured by the crop's darkness alone
        for (size_t i = 0; i < t.cells.size(); ++i) {
            auto& c = t.cells[i];
            cleaned[i] = ocr::clean_cell_crop(cell_gray, c.bbox, dpi, s.crop);
            // Blots darken the paper itself (the image stage maps them);
            // solid ink blobs are caught on the crop.
            Box inner = c.bbox.inset(c.bbox.width() / 8, c.bbox.height() / 6).intersect({0, 0, prep.gray.cols, prep.gray.rows});
            double occluded = inner.empty() ? 0.0
                : cv::countNonZero(prep.occlusion(cv::Rect(inner.x0, inner.y0, inner.width(), inner.height()))) / static_cast<double>(inner.area());
            if (occluded >= 0.3) c.obscured = true;
            else if (ocr::looks_obscured(cleaned[i], dpi, s.crop)) c.obscured = dark_only[i] = true;
            bool empty = !c.obscured && ocr::is_empty(cleaned[i], dpi, s.crop);
            kinds.push_back(empty ? CellKind::Unknown : layout::guess_kind(cleaned[i], dpi));
            rows.push_back(c.row);
            cols.push_back(c.col);
            // A slot with no ruling left on any side (a torn-off corner shows
            // the scanner's lid): nothing printed is seen, but nothing could
            // be. Empty, unsure — not obscured: the amounts beside a tear are
            // often torn too, and an identity over them would "recover" a
            // value from a partial reading (measured: 2 false recoveries).
            const auto& slots = grids[static_cast<size_t>(&t - out.tables.data())].cells;
            const bool unruled = i < slots.size() && slots[i].unruled;
            if (empty) {
                c.source = Source::Empty;
                c.confidence = unruled ? 0.5 : 0.98;
                if (unruled) c.provenance["unruled"] = true;
                blank[i] = true;
            }
        }
        // Header: rows above the first row holding a numeric cell.
        int header = t.n_rows;
        for (size_t i = 0; i < t.cells.size(); ++i)
            if (kinds[i] == CellKind::Numeric && !blank[i]) header = std::min(header, t.cells[i].row);
        t.header_rows = header == t.n_rows ? 0 : header;
        layout::vote_column_kinds(cols, rows, t.header_rows, kinds);
        for (size_t i = 0; i < t.cells.size(); ++i) {
            auto& c = t.cells[i];
            c.kind = kinds[i];
            if (blank[i]) continue;
            crops.push_back({cleaned[i], kinds[i], dpi, false, c.col, c.row});
            which.push_back(i);
        }
        read += static_cast<int>(crops.size());
        if (!s.opt.debug_dir.empty()) {
            // The cleaned crop of every cell sent to a recogniser:
            // <debug-dir>/crops/p<page>-t<table>-r<row>-c<col>.png
            const auto dir = std::filesystem::path(s.opt.debug_dir) / "crops";
            std::filesystem::create_directories(dir);
            const size_t ti = static_cast<size_t>(&t - out.tables.data());
            for (size_t k = 0; k < which.size(); ++k) {
                const auto& c = t.cells[which[k]];
                image::write_png((dir / ("p" + std::to_string(page) + "-t" + std::to_string(ti) + "-r" + std::to_string(c.row) +
                                         "-c" + std::to_string(c.col) + ".png")).string(), crops[k].gray);
            }
        }
        auto readings = w.cells->read(crops);
        for (size_t k = 0; k < which.size(); ++k) {
            auto& c = t.cells[which[k]];
            const Reading& best = readings[k].front();
            c.raw_text = best.text;
            c.text = best.text;
            c.confidence = best.confidence;
            c.source = c.text.empty() ? Source::Empty : Source::Ocr;
            c.readings = std::move(readings[k]);
            // A text crop that only looks dark gets PP-OCR's reading too, so
            // that the validation stage can keep a subject name both engines
            // read whole (numbers: only where the router read both, as measured).
            if (dark_only[which[k]] && c.kind == CellKind::Text && w.cells->ppocr() &&
                !first_reading(c.readings, "ppocr"))
                c.readings.push_back(w.cells->ppocr()->recognise(crops[k]));
            // A crop can look dark without being hidden (bold figures on a
            // blurred poor scan): when both engines read the same number
            // there, it was legible after all.
            if (dark_only[which[k]] && engines_agree_on_number(c.readings, [&w](const std::string& x) {
                    return w.cells->number_format_ok(x);
                })) {
                c.obscured = false;
                c.provenance["obscured_overruled"] = "both engines read the same number";
            }
        }
        // The header ends above the first row holding a number. Before the
        // reading that came from ink shape alone; a short word (小计) can
        // look like a number, so it is checked on the text read.
        if (t.header_rows > 0) {
            int first_number = t.n_rows;
            for (const auto& c : t.cells)
                if (c.kind == CellKind::Numeric && !c.text.empty() &&
                    std::any_of(c.text.begin(), c.text.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
                    first_number = std::min(first_number, c.row);
            if (first_number > t.header_rows && first_number < t.n_rows) t.header_rows = first_number;
        }
    }
    out.page.timings["cells"] = lap(clock);
    out.page.timings["cells_read"] = read;
    // Page text: the page with its tables blanked out, read band by band
    // (top to bottom) where ink is left, so the recogniser does not lay out
    // a whole blank page around a title line.
    if (w.page_text) {
        cv::Mat rest = prep.gray.clone(), rest_ink = prep.ink.clone();
        for (const auto& t : out.tables) {
            const cv::Rect r(t.bbox.x0, t.bbox.y0, t.bbox.width(), t.bbox.height());
            cv::rectangle(rest, r, cv::Scalar(255), cv::FILLED);
            cv::rectangle(rest_ink, r, cv::Scalar(0), cv::FILLED);
        }
        const auto& pc = w.page_text_cfg;
        const int pad = static_cast<int>(std::lround(pc.pad_mm * dpi / 25.4));
        int reread = 0, replaced = 0;
        for (const auto& band : text_bands(rest_ink, dpi)) {
            for (auto line : w.page_text->read_lines(rest(band), dpi)) {
                line.bbox = {line.bbox.x0 + band.x, line.bbox.y0 + band.y, line.bbox.x1 + band.x, line.bbox.y1 + band.y};
                // Tesseract's chi_sim is unusable on poor scans (docs/ocr.md): a
                // line it is unsure of is read by PP-OCR too, and the surer
                // reading is kept.
                ocr::PpocrEngine* pp = w.cells->ppocr();
                if (pp && line.confidence < pc.ppocr_below && line.bbox.height() >= 2 && line.bbox.width() >= 2) {
                    const Box b = line.bbox.inset(-pad, -pad).intersect({0, 0, rest.cols, rest.rows});
                    if (!b.empty()) {
                        const Reading r = pp->read_line(rest(cv::Rect(b.x0, b.y0, b.width(), b.height())), dpi);
                        ++reread;
                        double mean = 0;
                        for (const auto& sym : r.symbols) mean += sym.prob / r.symbols.size();
                        if (!r.text.empty() && mean >= line.confidence + pc.ppocr_margin) {
                            line.text = r.text;
                            line.confidence = mean;
                            ++replaced;
                        }
                    }
                }
                out.page.lines.push_back(std::move(line));
            }
        }
        join_line_pieces(out.page.lines);
        out.page.timings["page_text_reread"] = reread;    // lines PP-OCR read again
        out.page.timings["page_text_ppocr"] = replaced;   // of which PP-OCR's reading was kept
        out.page.timings["page_text"] = lap(clock);
    }
    if (!s.opt.debug_dir.empty()) write_debug_image(s.opt.debug_dir, page, prep.gray, out.tables);
}

}  // namespace

PageTextConfig load_page_text_config(const std::string& models_dir) {
    PageTextConfig c;
    std::ifstream in(models_dir + "/ocr/page_text.json");
    if (!in) return c;
    const auto j = nlohmann::json::parse(in, nullptr, true, true);
    c.ppocr_below = j.value("ppocr_below", c.ppocr_below);
    c.ppocr_margin = j.value("ppocr_margin", c.ppocr_margin);
    c.pad_mm = j.value("pad_mm", c.pad_mm);
    return c;
}

void Worker::ensure_ocr() {
    if (cells) return;
    cells = ocr::make_cell_reader(models_dir);
    auto tcfg = ocr::load_tesseract_config(models_dir);
    // Page text in the cells' language shares the cells' chi_sim instance.
    page_text = std::make_unique<ocr::TesseractPageReader>(
        tcfg, tcfg.page_lang == tcfg.text_lang ? &cells->tesseract().text_api_to_share() : nullptr);
    orientation_cfg = ocr::load_orientation_config(models_dir);
    page_text_cfg = load_page_text_config(models_dir);
    // osd is loaded only where it decides: without PP-OCR, or when asked for.
    if (orientation_cfg.method == "osd" || (orientation_cfg.method == "vote" && !cells->ppocr()))
        orientation = std::make_unique<ocr::OrientationDetector>(ocr::resolve_tessdata(tcfg), 2.0, tcfg.osd_min_characters);
    if (on_engines) on_engines(*cells);
}

PageOutput process_page(Worker& w, int page, const Settings& s) {
    auto t0 = std::chrono::steady_clock::now();
    PageOutput out;
    out.page.page = page;
    out.page.dpi = s.opt.dpi;
    try {
        auto size = w.pdf->page_size_pt(page);
        double px = size.width * s.opt.dpi / 72.0 * size.height * s.opt.dpi / 72.0;
        if (size.width > 14400 || size.height > 14400 || size.width < 1 || size.height < 1)
            throw std::runtime_error("absurd page size " + std::to_string(static_cast<int>(size.width)) + "×" +
                                     std::to_string(static_cast<int>(size.height)) + " pt");
        if (px > static_cast<double>(s.opt.max_page_pixels)) {
            // A huge page is rendered at the dpi that fits the pixel budget.
            out.page.dpi = std::max(50, static_cast<int>(s.opt.dpi * std::sqrt(s.opt.max_page_pixels / px)));
            out.findings.push_back({"page_downsampled", "warning", std::nullopt, page, {},
                                    "page " + std::to_string(page) + " is very large; rendered at " +
                                        std::to_string(out.page.dpi) + " dpi",
                                    nlohmann::json::object()});
        }
        std::vector<pdf::Glyph> glyphs;
        pdf::TextLayerVerdict verdict;
        if (s.opt.force_method != "ocr") {
            glyphs = w.pdf->glyphs(page, out.page.dpi);
            verdict = pdf::judge_text_layer(glyphs);
        }
        bool use_text = s.opt.force_method == "text-layer" || (s.opt.force_method.empty() && verdict.usable);
        if (use_text) {
            out.page.method = "text-layer";
            Settings st = s;
            st.opt.dpi = out.page.dpi;
            read_text_layer(w, page, st, glyphs, out);
        } else {
            out.page.method = "ocr";
            read_image(w, page, s, out);
        }
        attach_context(out.tables, out.page.lines, out.page.height, out.page.dpi);
        out.page.text = join_lines(out.page.lines);
    } catch (const std::exception& e) {
        out.page.method = "failed";
        out.tables.clear();
        out.findings.push_back({"page_error", "error", std::nullopt, page, {},
                                "page " + std::to_string(page) + ": " + e.what(), nlohmann::json::object()});
    }
    out.page.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

bool engines_agree_on_number(const std::vector<Reading>& readings, const std::function<bool(const std::string&)>& is_number) {
    const Reading* a = first_reading(readings, "ppocr");
    const Reading* b = first_reading(readings, "tesseract");
    if (!a || !b) return false;
    auto squeeze = [](std::string s) {
        s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
        return s;
    };
    const std::string x = squeeze(a->text), y = squeeze(b->text);
    return !x.empty() && x == y && is_number(x);
}

void join_line_pieces(std::vector<TextLine>& lines, double max_gap_h) {
    auto ascii_end = [](const std::string& s, bool front) {
        if (s.empty()) return true;
        return static_cast<unsigned char>(front ? s.front() : s.back()) < 0x80;
    };
    bool joined = true;
    while (joined) {
        joined = false;
        for (size_t i = 0; i < lines.size() && !joined; ++i)
            for (size_t k = 0; k < lines.size() && !joined; ++k) {
                if (i == k) continue;
                TextLine& a = lines[i];
                const TextLine& b = lines[k];
                const int h = std::min(a.bbox.height(), b.bbox.height());
                const int overlap = std::min(a.bbox.y1, b.bbox.y1) - std::max(a.bbox.y0, b.bbox.y0);
                const int gap = b.bbox.x0 - a.bbox.x1;  // b to the right of a
                if (h <= 0 || overlap < 0.6 * h || gap < -h / 4 || gap > max_gap_h * std::max(a.bbox.height(), b.bbox.height())) continue;
                const bool space = ascii_end(a.text, false) && ascii_end(b.text, true);
                a.text += (space ? " " : "") + b.text;
                a.bbox = {std::min(a.bbox.x0, b.bbox.x0), std::min(a.bbox.y0, b.bbox.y0), std::max(a.bbox.x1, b.bbox.x1),
                          std::max(a.bbox.y1, b.bbox.y1)};
                a.confidence = std::min(a.confidence, b.confidence);
                lines.erase(lines.begin() + static_cast<long>(k));
                joined = true;
            }
    }
}

std::vector<cv::Rect> text_bands(const cv::Mat& ink, int dpi, double gap_mm, double min_height_mm) {
    std::vector<cv::Rect> out;
    if (ink.empty()) return out;
    CV_Assert(ink.type() == CV_8UC1);
    // Specks (dust, noise: both sides under 0.5 mm) are left out first; they
    // would join distant lines into one band and widen it to the page.
    const Components cc(ink);
    const int speck = px(0.5, dpi);
    cv::Mat solid = cc.painted([&](size_t i) { return cc.list()[i].width() >= speck || cc.list()[i].height() >= speck; });
    // Text is glyphs along lines: ink joined along the line (gaps under
    // 1.5 mm) that is not glyph-tall (1.5 mm) is dust, not text; on a poor
    // scan such dust covers the page and leaves no blank gap between lines.
    {
        cv::Mat joined;
        cv::morphologyEx(solid, joined, cv::MORPH_CLOSE,
                         cv::getStructuringElement(cv::MORPH_RECT, cv::Size(std::max(2, px(1.5, dpi)), 1)));
        const Components jc(joined);
        const int tall = px(1.5, dpi);
        // (solid lies inside joined: each of its pixels is in one joined component)
        solid &= jc.painted([&](size_t i) { return jc.list()[i].height() >= tall; });
    }
    // A row counts when it holds more than a stroke or two.
    const int row_min = px(0.6, dpi);
    std::vector<int> count(static_cast<size_t>(ink.rows));
    for (int y = 0; y < ink.rows; ++y) count[static_cast<size_t>(y)] = cv::countNonZero(solid.row(y));
    const int gap = px(gap_mm, dpi), min_h = px(min_height_mm, dpi), margin = px(1.5, dpi);
    const long min_ink = static_cast<long>(px(1.0, dpi)) * px(1.0, dpi);  // a few strokes' worth
    auto close_band = [&](int y0, int y1) {
        if (y1 - y0 < min_h) return;
        cv::Mat band = solid.rowRange(y0, y1);
        if (cv::countNonZero(band) < min_ink) return;
        const cv::Rect r = nonzero_box(band);
        const cv::Rect page(0, 0, ink.cols, ink.rows);
        out.push_back(cv::Rect(r.x - margin, y0 - margin, r.width + 2 * margin, y1 - y0 + 2 * margin) & page);
    };
    int start = -1, last = -1;
    for (int y = 0; y < ink.rows; ++y) {
        if (count[static_cast<size_t>(y)] < row_min) continue;
        if (start < 0) start = y;
        else if (y - last > gap) { close_band(start, last + 1); start = y; }
        last = y;
    }
    if (start >= 0) close_band(start, last + 1);
    return out;
}

void write_debug_image(const std::string& dir, int page, const cv::Mat& gray, const std::vector<Table>& tables) {
    cv::Mat img;
    cv::cvtColor(gray, img, cv::COLOR_GRAY2BGR);
    for (const auto& t : tables) {
        cv::rectangle(img, cv::Rect(t.bbox.x0, t.bbox.y0, t.bbox.width(), t.bbox.height()), {0, 0, 255}, 5);
        for (const auto& c : t.cells) {
            cv::Scalar col = c.obscured ? cv::Scalar(255, 0, 255)
                             : c.kind == CellKind::Numeric ? cv::Scalar(0, 160, 0)
                                                           : cv::Scalar(255, 120, 0);
            cv::rectangle(img, cv::Rect(c.bbox.x0 + 3, c.bbox.y0 + 3, c.bbox.width() - 6, c.bbox.height() - 6), col, 2);
        }
    }
    std::filesystem::create_directories(dir);
    image::write_png(dir + "/page-" + std::to_string(page) + ".png", img);
}

}  // namespace fiscan::pipeline
