// Layout stage: what surrounds a table, and text lines from positioned glyphs.
// Takes: the page's text lines (OCR'd or from the text layer) and the table boxes.
// Gives: per table its title, table number (公开01表 / 表1), unit (单位：万元),
//        organisation line (部门：… / 单位名称：…) and the notes under it (注：…).
#pragma once

#include "core/types.hpp"

#include <string>
#include <vector>

namespace fiscan::layout {

struct TableContext {
    std::string title, numbering, unit, organisation;
    std::vector<std::string> notes;
};

// prev_bottom / next_top: the nearest tables above and below on the page (or
// the page edges), so a note of one table is not taken as another's title.
TableContext find_context(const std::vector<TextLine>& lines, const Box& table, int prev_bottom, int next_top, int dpi);

// Parse one line for the fields it holds (a line may hold several:
// "部门：公开05表", "编制单位：某局    单位：万元").
void parse_context_line(const std::string& line, TableContext& ctx, bool& was_field);

struct PositionedText {
    Box bbox;
    std::string text;  // one glyph or word
    bool space_after = false;
};
// Group glyphs into lines (vertical overlap), each in reading order left to right.
std::vector<TextLine> group_into_lines(std::vector<PositionedText> items);
// Join the glyphs that fall in one cell: lines top to bottom, no separator
// between CJK lines (a wrapped subject name is one name).
std::string join_cell_text(std::vector<PositionedText> items);

}  // namespace fiscan::layout
