// Numbers as printed in disclosure tables: "407. 37" → 407.37, "96,282,213.44",
// full-width digits, blanks, dashes ("—", "-", "/"), percentages, negatives in
// parentheses or with a minus sign. Values stay in the table's unit: the unit
// is recorded, never converted.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace fiscan::schema {

struct ParsedNumber {
    bool numeric = false;          // the text states a number (value set)
    bool blank = false;            // empty cell (value null)
    bool dash = false;             // a dash or slash for "none" (value null)
    bool percent = false;          // printed with %; value is the percentage as printed (25.54)
    bool negative = false;         // minus sign or parentheses
    bool thousands = false;        // thousands separators were present
    int decimals = 0;              // digits after the decimal point
    std::optional<double> value;
    std::string normalised;        // text without white space inside the number ("407.37"); "" for blank
};

ParsedNumber parse_number(std::string_view text);

// A number's text without the marks a stain's edge leaves beside it: closing
// brackets before it, opening ones after it (unbalanced, so not a negative
// amount's parentheses), ticks, bars and full-width punctuation at either end
// (") 1, 097, 073.43" → "1, 097, 073.43"). Other texts are returned as given.
std::string strip_speck_marks(const std::string& text);

// "单位：万元" / "金额单位：元" / "单位:万元" → "万元"; "" when none is stated.
std::string detect_unit(std::string_view text);

}  // namespace fiscan::schema
