// Domain types shared by every stage: Document → Page → Table → Cell, the
// Reading an OCR engine gives, and the Finding a later stage reports.
// Geometry is kept apart from recognition: a Box is pixels in the page raster
// at the page's dpi, origin top-left, [x0, y0, x1, y1) half-open.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace fiscan {

struct Box {
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    int width() const { return x1 - x0; }
    int height() const { return y1 - y0; }
    long area() const { return empty() ? 0 : static_cast<long>(width()) * height(); }
    bool empty() const { return x1 <= x0 || y1 <= y0; }
    int cx() const { return (x0 + x1) / 2; }
    int cy() const { return (y0 + y1) / 2; }
    Box intersect(const Box& o) const;
    Box unite(const Box& o) const;
    double iou(const Box& o) const;
    bool contains(int x, int y) const { return x >= x0 && x < x1 && y >= y0 && y < y1; }
    Box scaled(double s) const;
    Box inset(int dx, int dy) const { return {x0 + dx, y0 + dy, x1 - dx, y1 - dy}; }
    bool operator==(const Box&) const = default;
};

// What kind of content a cell is expected to hold; decides the recogniser
// configuration (numbers never go through chi_sim, see docs/ocr.md).
enum class CellKind { Unknown, Numeric, Text };

// One alternative an engine considered for one character position.
struct Alternative {
    std::string text;   // UTF-8, usually one character
    double prob = 0.0;  // engine's probability in [0, 1]
};

// One character of a reading with its probability and the alternatives.
struct Symbol {
    std::string text;
    double prob = 0.0;
    std::vector<Alternative> alternatives;  // best first, excluding `text`
    Box bbox;                               // in crop coordinates; may be empty
};

// What one engine read in one region.
struct Reading {
    std::string text;           // UTF-8 as recognised (not yet normalised)
    double confidence = 0.0;    // engine's raw score mapped to [0, 1] (uncalibrated)
    std::vector<Symbol> symbols;
    std::string engine;         // "tesseract-eng-digits", "tesseract-chi_sim", "ppocr-v4", "text-layer"
};

enum class Source { Ocr, TextLayer, Recovered, Empty };
const char* to_string(Source s);

// The first reading by an engine whose name starts with `engine_prefix`
// ("ppocr", "tesseract"); nullptr when that engine did not read the cell.
const Reading* first_reading(const std::vector<Reading>& readings, const std::string& engine_prefix);

struct Cell {
    int row = 0, col = 0, row_span = 1, col_span = 1;
    Box bbox;
    std::string text;                 // normalised (NFC, no white space inside numbers)
    std::optional<double> value;      // number in the table's unit, numeric cells only
    double confidence = 0.0;          // calibrated probability that `text` is exact
    Source source = Source::Empty;
    CellKind kind = CellKind::Unknown;
    std::string raw_text;             // before normalisation / correction
    std::vector<Reading> readings;    // every engine reading, best first
    bool obscured = false;            // image evidence that the page is illegible here
    nlohmann::json provenance = nlohmann::json::object();  // corrections, recovery identity, …
};

// A word or line of text with its box (text outside tables, glyphs of the
// text layer, title lines above a table).
struct TextLine {
    Box bbox;
    std::string text;
    double confidence = 1.0;
};

struct Table {
    int page = 0;                     // 1-based
    Box bbox;
    std::string title;
    std::string numbering;            // 公开01表 / 表1 / …
    std::string unit;                 // 万元 / 元 / 千元, "" if none printed
    std::string organisation;         // 部门：… / 单位名称：… line
    std::vector<std::string> notes;   // 注：… lines under the table
    std::optional<std::string> schema;          // catalogue id (tables.json), what consumers key on
    std::optional<std::string> schema_variant;  // the layouts/ file used, when it is a regional variant of `schema`
    double schema_confidence = 0.0;
    int n_rows = 0, n_cols = 0;
    int header_rows = 0;              // rows of header (column tree + 栏次)
    std::vector<int> row_lines, col_lines;  // separator positions, n+1 each (page px)
    bool partial_ruling = false;
    std::vector<Cell> cells;          // row-major by top-left slot
    std::optional<int> continues;     // index into Document::tables
    nlohmann::json records;           // schema stage: canonical records (null until mapped)

    const Cell* at(int row, int col) const;   // the cell covering slot (row, col)
    Cell* at(int row, int col);
    // c shares a side (left, right, above, below) with a cell the image stage
    // found obscured: a mark at its edge may be the stain's
    bool beside_obscured(const Cell& c) const;
};

struct Finding {
    std::string kind;                 // sum_mismatch, rounding, unrecoverable, no_schema, page_error, …
    std::string severity = "error";   // error | warning | info
    std::optional<int> table;         // index into Document::tables
    std::optional<int> page;
    std::vector<std::pair<int, int>> cells;  // (row, col) in `table`
    std::string message;
    nlohmann::json detail = nlohmann::json::object();
};

struct PageResult {
    int page = 0;
    std::string method;               // "ocr" | "text-layer" | "failed"
    int dpi = 300;
    int width = 0, height = 0;        // raster size at dpi
    double rotation_deg = 0.0;        // rotation applied to straighten the page
    std::string text;                 // text outside tables, reading order, \n per line
    std::vector<TextLine> lines;      // the same lines with boxes
    double seconds = 0.0;             // wall time spent on this page
    nlohmann::json timings = nlohmann::json::object();  // seconds per step (render, prepare, layout, cells, page_text)
    nlohmann::json orientation;       // how 0°/180° was decided (OCR pages): method, scores; null if not checked
};

struct Document {
    std::string file;
    std::string sha256;
    int page_count = 0;
    std::vector<PageResult> pages;
    std::vector<Table> tables;
    std::vector<Finding> findings;
    nlohmann::json metadata = nlohmann::json::object();  // organisation, year, kind, engines, timings
};

}  // namespace fiscan
