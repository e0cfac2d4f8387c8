#include "core/types.hpp"

#include <algorithm>
#include <cmath>

namespace fiscan {

Box Box::intersect(const Box& o) const {
    return {std::max(x0, o.x0), std::max(y0, o.y0), std::min(x1, o.x1), std::min(y1, o.y1)};
}

Box Box::unite(const Box& o) const {
    if (empty()) return o;
    if (o.empty()) return *this;
    return {std::min(x0, o.x0), std::min(y0, o.y0), std::max(x1, o.x1), std::max(y1, o.y1)};
}

double Box::iou(const Box& o) const {
    long inter = intersect(o).area();
    long uni = area() + o.area() - inter;
    return uni > 0 ? static_cast<double>(inter) / static_cast<double>(uni) : 0.0;
}

Box Box::scaled(double s) const {
    return {static_cast<int>(std::lround(x0 * s)), static_cast<int>(std::lround(y0 * s)),
            static_cast<int>(std::lround(x1 * s)), static_cast<int>(std::lround(y1 * s))};
}

const char* to_string(Source s) {
    switch (s) {
        case Source::Ocr: return "ocr";
        case Source::TextLayer: return "text-layer";
        case Source::Recovered: return "recovered";
        case Source::Empty: return "empty";
    }
    return "empty";
}

const Cell* Table::at(int row, int col) const {
    for (const auto& c : cells)
        if (row >= c.row && row < c.row + c.row_span && col >= c.col && col < c.col + c.col_span)
            return &c;
    return nullptr;
}

Cell* Table::at(int row, int col) {
    return const_cast<Cell*>(static_cast<const Table*>(this)->at(row, col));
}

const Reading* first_reading(const std::vector<Reading>& readings, const std::string& engine_prefix) {
    for (const auto& r : readings)
        if (r.engine.rfind(engine_prefix, 0) == 0) return &r;
    return nullptr;
}


bool Table::beside_obscured(const Cell& c) const {
    for (const auto& o : cells) {
        if (!o.obscured || &o == &c) continue;
        bool rows_meet = o.row <= c.row + c.row_span - 1 && c.row <= o.row + o.row_span - 1;
        bool cols_meet = o.col <= c.col + c.col_span - 1 && c.col <= o.col + o.col_span - 1;
        bool side = rows_meet && (o.col + o.col_span == c.col || c.col + c.col_span == o.col);
        bool above_below = cols_meet && (o.row + o.row_span == c.row || c.row + c.row_span == o.row);
        if (side || above_below) return true;
    }
    return false;
}

}  // namespace fiscan
