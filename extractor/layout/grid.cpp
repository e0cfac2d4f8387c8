#include "layout/grid.hpp"

#include "core/components.hpp"
#include "core/morph.hpp"

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <climits>
#include <cmath>
#include <fstream>
#include <functional>
#include <numeric>

namespace fiscan::layout {

namespace {

int mm(double v, int dpi) { return std::max(1, static_cast<int>(std::lround(v / 25.4 * dpi))); }

struct UnionFind {
    std::vector<int> p;
    explicit UnionFind(int n) : p(static_cast<size_t>(n)) { std::iota(p.begin(), p.end(), 0); }
    int find(int x) { while (p[static_cast<size_t>(x)] != x) x = p[static_cast<size_t>(x)] = p[static_cast<size_t>(p[static_cast<size_t>(x)])]; return x; }
    void unite(int a, int b) { p[static_cast<size_t>(find(a))] = find(b); }
};

// Centre positions of the line fragments of `mask` inside `roi` along one axis,
// clustered: fragments within tol are one separator. Weighted by fragment length.
std::vector<int> separators(const cv::Mat& mask, const cv::Rect& roi, bool horizontal, int tol, int min_len,
                            int min_total = 0) {
    std::vector<std::pair<double, double>> pos;  // (centre, length)
    const Components cc(mask(roi));
    for (const auto& k : cc.list()) {
        int len = horizontal ? k.width() : k.height();
        if (len < min_len) continue;
        double c = horizontal ? k.cy() + roi.y : k.cx() + roi.x;
        pos.emplace_back(c, len);
    }
    std::sort(pos.begin(), pos.end());
    // A separator is a cluster of fragments; glyph strokes that survived the
    // masks form clusters too short in total to be a ruling.
    std::vector<int> out;
    double acc = 0, w = 0, last = -1e9;
    auto flush = [&] { if (w > 0 && w >= min_total) out.push_back(static_cast<int>(std::lround(acc / w))); acc = w = 0; };
    for (auto [c, len] : pos) {
        if (w > 0 && c - last > tol) flush();
        acc += c * len; w += len; last = c;
    }
    flush();
    return out;
}

// Share of the segment [lo, hi) along a separator at `pos` that the mask covers.
double coverage(const cv::Mat& mask, bool vertical, int pos, int lo, int hi, int tol) {
    if (hi <= lo) return 0.0;
    int covered = 0;
    for (int t = lo; t < hi; ++t) {
        bool hit = false;
        for (int d = -tol; d <= tol && !hit; ++d) {
            int x = vertical ? pos + d : t, y = vertical ? t : pos + d;
            if (x >= 0 && y >= 0 && x < mask.cols && y < mask.rows && mask.at<uchar>(y, x)) hit = true;
        }
        covered += hit;
    }
    return static_cast<double>(covered) / (hi - lo);
}

// Text rows inside an unruled band [y0, y1): blank gaps of the horizontal ink
// projection over the whole table width split it.
// Lines of ink lower than min_line (a row of dots: … … …) are no text rows.
std::vector<int> text_row_splits(const cv::Mat& text_ink, int x0, int x1, int y0, int y1, int min_gap, int min_line = 0) {
    std::vector<int> splits;
    std::vector<bool> blank_at(static_cast<size_t>(std::max(0, y1 - y0)));
    for (int y = y0; y < y1; ++y)
        blank_at[static_cast<size_t>(y - y0)] = cv::countNonZero(text_ink(cv::Range(y, y + 1), cv::Range(x0, x1))) == 0;
    for (int y = y0; y < y1;) {
        if (blank_at[static_cast<size_t>(y - y0)]) { ++y; continue; }
        int e = y;
        while (e < y1 && !blank_at[static_cast<size_t>(e - y0)]) ++e;
        if (e - y < min_line)
            for (int k = y; k < e; ++k) blank_at[static_cast<size_t>(k - y0)] = true;
        y = e;
    }
    int run_start = -1;
    bool seen_text = false;
    for (int y = y0; y < y1; ++y) {
        bool blank = blank_at[static_cast<size_t>(y - y0)];
        if (blank) {
            if (run_start < 0) run_start = y;
        } else {
            if (run_start >= 0 && seen_text && y - run_start >= min_gap) splits.push_back((run_start + y) / 2);
            run_start = -1;
            seen_text = true;
        }
    }
    return splits;
}

// Typical height of a text glyph inside the table: median height of ink blobs.
int text_height(const cv::Mat& text_ink, int dpi) {
    std::vector<int> h;
    int lo = mm(1.0, dpi), hi = mm(8.0, dpi);
    const Components cc(text_ink);
    for (const auto& k : cc.list()) {
        int hh = k.height();
        if (hh >= lo && hh <= hi) h.push_back(hh);
    }
    if (h.empty()) return mm(3.0, dpi);
    std::nth_element(h.begin(), h.begin() + static_cast<long>(h.size() / 2), h.end());
    return h[h.size() / 2];
}

// A "ruling" found along a row of bold digits (their strokes fused by the
// mask) has text right above and right below it along most of its length;
// a printed ruling has paper on both sides: text keeps off the rules.
// (reach_mm: how far from the line text is looked for, min_share: along how
// much of it; the strokes of a label fused at a separator's height have
// the glyphs' other strokes within a millimetre or so along a fifth of it,
// a printed ruling has none.)
bool runs_through_text(const cv::Mat& horizontal, const cv::Mat& text_ink, int y, int x0, int x1, int tol, int dpi,
                       double reach_mm = 0.6, double min_share = 0.3) {
    const int d1 = std::max(2, mm(0.25, dpi)), d2 = std::max(d1 + 2, mm(reach_mm, dpi));
    x0 = std::max(0, x0);
    x1 = std::min(horizontal.cols, x1);
    int on = 0, through = 0;
    for (int x = x0; x < x1; ++x) {
        int ly = -1;  // the ruling's row at this x, near y
        for (int dy = -tol; dy <= tol && ly < 0; ++dy) {
            int yy = y + dy;
            if (yy >= 0 && yy < horizontal.rows && horizontal.at<uchar>(yy, x)) ly = yy;
        }
        if (ly < 0) continue;
        ++on;
        int lo = ly, hi = ly;  // the ruling's thickness here
        while (lo > 0 && horizontal.at<uchar>(lo - 1, x)) --lo;
        while (hi + 1 < horizontal.rows && horizontal.at<uchar>(hi + 1, x)) ++hi;
        bool above = false, below = false;
        for (int k = d1; k <= d2 && !above; ++k) above = lo - k >= 0 && text_ink.at<uchar>(lo - k, x);
        for (int k = d1; k <= d2 && !below; ++k) below = hi + k < text_ink.rows && text_ink.at<uchar>(hi + k, x);
        through += above && below;
    }
    return on > 0 && through > min_share * on;
}

// Ink without the components that fit in a max_side × max_side box.
cv::Mat without_specks(const Components& cc, int max_side) {
    const auto& k = cc.list();
    return cc.painted([&](size_t i) { return std::max(k[i].width(), k[i].height()) > max_side; });
}

// The box of the fragments (each at least min_len long) that lie on the
// separators hs (horizontal, y) and vs (vertical, x) of the region r.
cv::Rect fit_to_rulings(const LineMasks& m, const cv::Rect& r, const std::vector<int>& hs, const std::vector<int>& vs,
                        int tol, int min_len) {
    int x0 = INT32_MAX, y0 = INT32_MAX, x1 = INT32_MIN, y1 = INT32_MIN;
    auto take = [&](const cv::Mat& mask, bool horizontal, const std::vector<int>& at) {
        const Components cc(mask(r));
        for (const auto& k : cc.list()) {
            const int w = k.width(), h = k.height();
            if ((horizontal ? w : h) < min_len) continue;
            const double c = horizontal ? k.cy() + r.y : k.cx() + r.x;
            if (std::none_of(at.begin(), at.end(), [&](int v) { return std::abs(c - v) <= tol; })) continue;
            const int fx = r.x + k.x0, fy = r.y + k.y0;
            x0 = std::min(x0, fx); y0 = std::min(y0, fy);
            x1 = std::max(x1, fx + w); y1 = std::max(y1, fy + h);
        }
    };
    take(m.horizontal, true, hs);
    take(m.vertical, false, vs);
    if (x1 <= x0 || y1 <= y0) return r;
    return cv::Rect(x0, y0, x1 - x0, y1 - y0) & r;
}

// glyph_ink: text_ink without the components under glyph_min_mm (made on
// first use, once per page).
DetectedTable build_table(const cv::Mat& ink, const LineMasks& m, const cv::Mat& text_ink,
                          const std::function<const cv::Mat&()>& glyph_ink_of_page, const cv::Rect& r, int dpi,
                          const Params& p) {
    const int tol = mm(p.cluster_tol_mm, dpi);
    const int min_len = mm(p.line_min_len_mm, dpi) / 2;
    DetectedTable t;
    // Row rulings cover a good share of the width even when broken or under
    // a merged header; strokes of a text row add up to far less.
    t.rows = separators(m.horizontal, r, true, tol, std::min(min_len, r.width / 4),
                        std::max(mm(12.0, dpi), static_cast<int>(0.15 * r.width)));
    // (Short candidates too: a ruling that splits one header band only is
    // kept below when it runs that band from ruling to ruling.)
    t.cols = separators(m.vertical, r, false, tol, std::min(min_len, r.height / 3), std::min(min_len, r.height / 2));
    // A frame side left open by the printer still bounds the table.
    if (t.rows.empty() || t.rows.front() > r.y + tol) t.rows.insert(t.rows.begin(), r.y);
    if (t.rows.back() < r.y + r.height - 1 - tol) t.rows.push_back(r.y + r.height - 1);
    if (t.cols.empty() || t.cols.front() > r.x + tol) t.cols.insert(t.cols.begin(), r.x);
    if (t.cols.back() < r.x + r.width - 1 - tol) t.cols.push_back(r.x + r.width - 1);

    // Interior column separators run through most of a table; glyph strokes
    // that line up in a few rows of a text column do not.
    {
        std::vector<double> cov;
        double best = 0;
        for (size_t i = 1; i + 1 < t.cols.size(); ++i) {
            cov.push_back(coverage(m.vertical, true, t.cols[i], t.rows.front(), t.rows.back(), tol));
            best = std::max(best, cov.back());
        }
        // A partially ruled table keeps its column rulings only in the
        // header: a separator spanning a whole header band, ruling to
        // ruling, is real too (no glyph stroke does that).
        auto spans_header = [&](int x) {
            int full = 0;
            for (size_t b = 0; b + 1 < t.rows.size() && t.rows[b + 1] <= t.rows.front() + (t.rows.back() - t.rows.front()) / 2; ++b) {
                bool whole = coverage(m.vertical, true, x, t.rows[b] + tol, t.rows[b + 1] - tol, tol) >= 0.9;
                full = whole ? full + 1 : 0;
                if (full >= 1) return true;
            }
            return false;
        };
        std::vector<int> kept{t.cols.front()};
        for (size_t i = 1; i + 1 < t.cols.size(); ++i)
            if (cov[i - 1] >= 0.25 * best || spans_header(t.cols[i])) kept.push_back(t.cols[i]);
        kept.push_back(t.cols.back());
        t.cols = kept;
    }
    // A row ruling meets the table's column rulings (at least the frame);
    // strokes of a text row, or a note printed under the frame, meet none.
    {
        std::vector<int> kept;
        for (size_t i = 0; i < t.rows.size(); ++i) {
            int y = t.rows[i], meets = 0;
            for (int x : t.cols)
                meets += coverage(m.vertical, true, x, y - 2 * tol, y + 2 * tol + 1, tol) > 0.2;
            bool frame_edge = i == 0 || i + 1 == t.rows.size();
            if (!frame_edge && runs_through_text(m.horizontal, text_ink, y, r.x, r.x + r.width, tol, dpi)) continue;
            // ... and it reaches column rulings: the bottoms of a row of
            // serif digits, fused by the mask, stop short of them.
            if (!frame_edge) {
                int junctions = 0;
                const int jx = std::max(2, mm(0.3, dpi));  // right-aligned digits end ~1 mm short
                for (int x : t.cols) {
                    cv::Rect j = cv::Rect(x - jx, y - tol, 2 * jx + 1, 2 * tol + 1) & cv::Rect(0, 0, m.horizontal.cols, m.horizontal.rows);
                    junctions += j.area() > 0 && cv::countNonZero(m.horizontal(j)) > 0;
                }
                if (junctions < 2) continue;
            }
            if (meets >= 2 || (frame_edge && meets >= 1)) kept.push_back(y);
        }
        if (kept.size() >= 2) t.rows = kept;
    }
    // A band at the top or bottom that the frame's sides do not enter,
    // where they run along the band next to it, is outside the table (a
    // note under the frame whose fused strokes widened the region; a
    // stroke of its text may still meet both lines): the ruling between
    // them is the frame.
    {
        auto sides = [&](size_t i) {  // coverage of both frame sides along band i
            const int y0 = t.rows[i] + tol, y1 = t.rows[i + 1] - tol;
            if (y1 <= y0) return 1.0;
            return std::min(coverage(m.vertical, true, t.cols.front(), y0, y1, tol), coverage(m.vertical, true, t.cols.back(), y0, y1, tol));
        };
        auto outside = [&](size_t band, size_t next) {
            const double a = std::max(coverage(m.vertical, true, t.cols.front(), t.rows[band] + tol, t.rows[band + 1] - tol, tol),
                                      coverage(m.vertical, true, t.cols.back(), t.rows[band] + tol, t.rows[band + 1] - tol, tol));
            return t.rows[band + 1] - t.rows[band] > 2 * tol && a < 0.2 && sides(next) >= 0.5;
        };
        while (t.rows.size() >= 4 && outside(t.rows.size() - 2, t.rows.size() - 3)) t.rows.pop_back();
        while (t.rows.size() >= 4 && outside(0, 1)) t.rows.erase(t.rows.begin());
    }
    // A header ruling under a few narrow columns only (功能分类 over 科目编码,
    // across the three code columns) is too short in total for a row
    // separator of the table; it is one when it runs whole from a column
    // ruling to another, both of which it meets, in the upper half of the
    // table, and no text runs along it.
    {
        const int e = std::max(2, tol / 2), mid = t.rows.front() + (t.rows.back() - t.rows.front()) / 2;
        for (int y : separators(m.horizontal, r, true, tol, std::min(min_len, r.width / 4), mm(10.0, dpi))) {
            // (a row is taller than 4 mm: nearer a separator, it is that
            // ruling's other end, left a little off by residual skew)
            if (y >= mid || std::any_of(t.rows.begin(), t.rows.end(), [&](int v) { return std::abs(v - y) < mm(4.0, dpi); })) continue;
            bool found = false;
            for (size_t a = 0; a + 1 < t.cols.size() && !found;) {
                size_t b = a;
                while (b + 1 < t.cols.size() && coverage(m.horizontal, false, y, t.cols[b] + e, t.cols[b + 1] - e, tol) >= 0.8) ++b;
                if (b == a) { ++a; continue; }
                auto meets = [&](int x) { return coverage(m.vertical, true, x, y - 2 * tol, y + 2 * tol + 1, tol) > 0.2; };
                found = t.cols[b] - t.cols[a] >= mm(10.0, dpi) && meets(t.cols[a]) && meets(t.cols[b]) &&
                        !runs_through_text(m.horizontal, text_ink, y, t.cols[a], t.cols[b], tol, dpi, 1.2, 0.15);
                a = b;
            }
            if (found) t.rows.insert(std::upper_bound(t.rows.begin(), t.rows.end(), y), y);
        }
    }
    // Partial rulings: bands much taller than a text line hold several rows.
    const int th = text_height(text_ink(r), dpi);
    // Double rulings leave sliver bands: no row is thinner than half a glyph.
    for (size_t i = 1; i + 1 < t.rows.size();) {
        if (t.rows[i] - t.rows[i - 1] < th / 2) t.rows.erase(t.rows.begin() + static_cast<long>(i));
        else ++i;
    }
    if (t.rows.size() >= 3 && t.rows.back() - t.rows[t.rows.size() - 2] < th / 2) t.rows.erase(t.rows.end() - 2);
    std::vector<int> rows;
    std::vector<bool> synthetic;  // separator i came from text, not a ruling
    for (size_t i = 0; i + 1 < t.rows.size(); ++i) {
        rows.push_back(t.rows[i]);
        synthetic.push_back(false);
        int h = t.rows[i + 1] - t.rows[i];
        if (h > p.text_row_factor * th * 1.5) {
            auto s = text_row_splits(text_ink, t.cols.front() + tol + 1, t.cols.back() - tol, t.rows[i] + tol + 1,
                                     t.rows[i + 1] - tol, std::max(2, th / 4), th / 3);
            // A ruled band with two or three lines of text is one row of
            // wrapped cells (a multi-line header); an unruled band, or one
            // holding many lines, is rows whose rulings were never printed.
            int ruled = 0, interior = static_cast<int>(t.cols.size()) - 2;
            for (size_t c = 1; c + 1 < t.cols.size(); ++c)
                ruled += coverage(m.vertical, true, t.cols[c], t.rows[i] + tol, t.rows[i + 1] - tol, tol) >= p.separator_coverage;
            bool split = !s.empty() && (s.size() >= 3 || 2 * ruled < interior);
            if (split) {
                for (int y : s) { rows.push_back(y); synthetic.push_back(true); }
                t.partial_ruling = true;
            }
        }
    }
    rows.push_back(t.rows.back());
    synthetic.push_back(false);
    t.rows = rows;

    const int edge = std::max(2, tol / 2);
    // Columns printed without any ruling: a white gap running down nearly
    // every band, with text on both sides of it in most bands. (The empty
    // right half of a left-aligned column has text on one side only.)
    std::vector<bool> synthetic_col(t.cols.size(), false);
    {
        // Glyph-sized ink only: on a grainy scan the blobs of paper noise
        // that survive binarisation would put "text" on both sides of the
        // empty half of every left-aligned column.
        const cv::Mat& glyph_ink = glyph_ink_of_page();
        const int nb = static_cast<int>(t.rows.size()) - 1;
        const int min_gap = mm(4.0, dpi);  // wider than a word space inside a cell ("2010301 行政运行")
        // A table whose column rulings run its full height is ruled
        // throughout: a white gap in one of its columns is the empty side
        // of a label or of right-aligned numbers (年末结转和结余 | 6). (A
        // scan leaves a ruling in dashes, some shorter than the line mask
        // takes: found, as ruling or pieces, from near the top to near the
        // bottom, along a good part of that.)
        int full = 0, interior = 0;
        const int top = t.rows.front(), bottom = t.rows.back();
        for (size_t c = 1; c + 1 < t.cols.size(); ++c, ++interior) {
            int first = -1, last = -1, hits = 0;
            for (int y = top; y < bottom; ++y) {
                bool hit = false;
                for (int d = -tol; d <= tol && !hit; ++d) {
                    const int x = t.cols[c] + d;
                    hit = x >= 0 && x < m.vertical.cols && (m.vertical.at<uchar>(y, x) || m.pieces.at<uchar>(y, x));
                }
                if (!hit) continue;
                if (first < 0) first = y;
                last = y;
                ++hits;
            }
            const double h = std::max(1, bottom - top);
            full += first >= 0 && (last - first) >= 0.8 * h && hits >= 0.4 * h;
        }
        const bool ruled_throughout = full > 0 && 3 * full >= interior;
        std::vector<int> cols{t.cols.front()};
        std::vector<bool> syn{false};
        for (size_t c = 0; c + 1 < t.cols.size(); ++c) {
            int x0 = t.cols[c] + tol + 1, x1 = t.cols[c + 1] - tol;
            if (nb >= 3 && !ruled_throughout && x1 - x0 > 3 * min_gap) {
                std::vector<int> inked(static_cast<size_t>(x1 - x0), 0);  // bands with ink at x
                std::vector<std::vector<bool>> band_ink(static_cast<size_t>(nb));
                for (int b = 0; b < nb; ++b) {
                    const cv::Range ys(t.rows[static_cast<size_t>(b)] + edge, std::max(t.rows[static_cast<size_t>(b)] + edge + 1, t.rows[static_cast<size_t>(b) + 1] - edge));
                    // The gap: free of any ink but specks (a decimal point
                    // or a 、 keeps it shut); the sides: glyph-sized ink.
                    cv::Mat any, glyphs;
                    cv::reduce(text_ink(ys, cv::Range(x0, x1)), any, 0, cv::REDUCE_MAX);
                    cv::reduce(glyph_ink(ys, cv::Range(x0, x1)), glyphs, 0, cv::REDUCE_MAX);
                    band_ink[static_cast<size_t>(b)].resize(static_cast<size_t>(x1 - x0));
                    for (int x = 0; x < x1 - x0; ++x) {
                        band_ink[static_cast<size_t>(b)][static_cast<size_t>(x)] = glyphs.at<uchar>(0, x) != 0;
                        inked[static_cast<size_t>(x)] += any.at<uchar>(0, x) != 0;
                    }
                }
                const int allowed = std::max(1, nb * 15 / 100);  // spanning header text
                for (int x = 0; x < x1 - x0;) {
                    if (inked[static_cast<size_t>(x)] > allowed) { ++x; continue; }
                    int e = x;
                    while (e < x1 - x0 && inked[static_cast<size_t>(e)] <= allowed) ++e;
                    if (e - x >= min_gap && x > 0 && e < x1 - x0) {
                        int both = 0;
                        for (int b = 0; b < nb; ++b) {
                            const auto& bi = band_ink[static_cast<size_t>(b)];
                            bool left = std::find(bi.begin(), bi.begin() + x, true) != bi.begin() + x;
                            bool right = std::find(bi.begin() + e, bi.end(), true) != bi.end();
                            both += left && right;
                        }
                        if (both * 2 >= nb) { cols.push_back(x0 + (x + e) / 2); syn.push_back(true); }
                    }
                    x = e;
                }
            }
            cols.push_back(t.cols[c + 1]);
            syn.push_back(false);
        }
        t.cols = cols;
        synthetic_col = syn;
    }
    // Ink that crosses a boundary, leaving out the pieces of broken rulings.
    // (The pieces grown by a pixel: the tapered ends of a ruling at a gap
    // the scan left are not text.)
    cv::Mat pieces_grown;
    cv::dilate(m.pieces, pieces_grown, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
    cv::Mat crossing = text_ink & ~pieces_grown;
    // Ink across the boundary x in the band [y0, y1): on the boundary itself,
    // or a line of glyphs running over it with a gap at x no wider than the
    // gaps between the glyphs of a label (人员经费合计 centred over two
    // columns, the boundary between 人 and 员). Text of two cells is kept
    // apart by both cells' padding, wider than that.
    const int label_gap = mm(p.label_gap_mm, dpi);
    auto crossed = [&](int y0, int y1, int x) {
        if (y1 <= y0) return false;
        if (cv::countNonZero(crossing(cv::Range(y0, y1), cv::Range(std::max(0, x - 2), std::min(ink.cols, x + 3)))) > 0)
            return true;
        const cv::Mat& g = glyph_ink_of_page();
        const int a = std::max(0, x - label_gap), b = std::min(ink.cols, x + label_gap + 1);
        // A glyph on the boundary (人 of 人员经费合计; its strokes along the
        // boundary count as pieces of a ruling, left out of `crossing`):
        // glyph-sized both ways, where what a broken ruling leaves is as
        // thin as the ruling.
        {
            const int reach = 3 * label_gap, big = mm(1.0, dpi);
            const cv::Rect roi = cv::Rect(x - reach, y0, 2 * reach + 1, y1 - y0) & cv::Rect(0, 0, g.cols, g.rows);
            const Components cc(g(roi));
            for (const auto& k : cc.list())
                // (inside the band: a stub of the crossing rulings left at a
                // junction runs into the band's top or bottom)
                if (roi.x + k.x0 <= x + 2 && roi.x + k.x1 > x - 2 && k.width() >= big && k.height() >= big && k.y0 > 0 &&
                    k.y1 < roi.height)
                    return true;
        }
        // (Near the boundary the pieces of its broken ruling are no text.)
        const int band = std::max(2, mm(0.5, dpi));
        for (int y = y0; y < y1; ++y) {
            const uchar* row = g.ptr<uchar>(y);
            const uchar* piece = pieces_grown.ptr<uchar>(y);
            auto text_at = [&](int xx) { return row[xx] && !(std::abs(xx - x) <= band && piece[xx]); };
            int l = -1, r = -1;
            for (int xx = x - 3; xx >= a && l < 0; --xx) if (text_at(xx)) l = xx;
            if (l < 0) continue;
            for (int xx = x + 3; xx < b && r < 0; ++xx) if (text_at(xx)) r = xx;
            if (r >= 0 && r - l - 1 <= label_gap) return true;
        }
        return false;
    };
    // A ruled separator that no slot edge actually has a ruling along is a
    // stray fragment (a stroke, a speck line): drop it. A ruling runs from
    // column ruling to column ruling: along a slot it is nearly whole, or
    // found at both ends of it; the fused strokes of a row of labels
    // (公务用车购置及运行费 beside 合计 and 公务接待费, centred) cover a
    // good share of some slots but leave an end of each open.
    const int end_len = mm(1.5, dpi);
    for (size_t i = 1; i + 1 < t.rows.size();) {
        bool any = synthetic[i];
        for (size_t c = 0; c + 1 < t.cols.size() && !any; ++c) {
            const int y = t.rows[i], x0 = t.cols[c] + edge, x1 = t.cols[c + 1] - edge;
            const double share = coverage(m.horizontal, false, y, x0, x1, tol);
            any = share >= p.separator_coverage &&
                  (share >= 0.9 || x1 - x0 <= 3 * end_len ||
                   (coverage(m.horizontal, false, y, x0, x0 + end_len, tol) >= 0.5 && coverage(m.horizontal, false, y, x1 - end_len, x1, tol) >= 0.5));
        }
        if (any) { ++i; continue; }
        t.rows.erase(t.rows.begin() + static_cast<long>(i));
        synthetic.erase(synthetic.begin() + static_cast<long>(i));
    }
    const int nr = t.n_rows(), nc = t.n_cols();
    UnionFind uf(nr * nc);
    // Where a column ruling stops for good (the unruled body of a partially
    // ruled table), columns are separated wherever no text crosses them.
    // Elsewhere a missing ruling is a merged cell.
    std::vector<int> last_ruled(static_cast<size_t>(nc), -1);
    std::vector<std::vector<bool>> ruled(static_cast<size_t>(nr), std::vector<bool>(static_cast<size_t>(nc), false));
    // dashed: ruled, or a ruling the scan broke into dashes (pieces down the
    // middle of the slot), for where the body starts and which boundaries
    // are ruled in it: a scan that leaves every ruling in dashes leaves
    // few boundaries "ruled" in any row.
    std::vector<std::vector<bool>> dashed = ruled;
    for (int rr = 0; rr < nr; ++rr) {
        const int y0 = t.rows[static_cast<size_t>(rr)] + edge, y1 = t.rows[static_cast<size_t>(rr) + 1] - edge;
        for (int c = 1; c < nc; ++c) {
            bool on = coverage(m.vertical, true, t.cols[static_cast<size_t>(c)], y0, y1, tol) >= p.separator_coverage;
            ruled[static_cast<size_t>(rr)][static_cast<size_t>(c)] = on;
            // A broken ruling (pieces down the middle of the slot) has not ended.
            // (Pieces as thin as a ruling: a blot or stain over the
            // boundary is solid ink beside it too.)
            const int q = (y1 - y0) / 4, x = t.cols[static_cast<size_t>(c)], aside = mm(1.0, dpi);
            const bool dashes = y1 - q > y0 + q && coverage(m.pieces, true, x, y0 + q, y1 - q, 1) >= 0.3 &&
                                coverage(m.pieces, true, x - aside, y0 + q, y1 - q, 1) < 0.3 &&
                                coverage(m.pieces, true, x + aside, y0 + q, y1 - q, 1) < 0.3;
            if (on || dashes) {
                last_ruled[static_cast<size_t>(c)] = rr;
                dashed[static_cast<size_t>(rr)][static_cast<size_t>(c)] = true;
            }
        }
    }
    // The body starts at the first row ruled (almost) everywhere. There, a
    // boundary ruled in most rows is a separator wherever text does not cross
    // it: scans break rulings, and a broken ruling is not a merged cell.
    // (Counted on the rulings found whole; only when no row has them almost
    // everywhere, on the dashes too: the header's own column rulings would
    // otherwise start the body inside the header.)
    auto first_ruled_row = [&](const std::vector<std::vector<bool>>& marks) {
        for (int rr = 0; rr < nr; ++rr) {
            int on = 0;
            for (int c = 1; c < nc; ++c) on += marks[static_cast<size_t>(rr)][static_cast<size_t>(c)];
            // (a scan breaks a ruling here and there: most of them will do)
            if (nc > 1 && on >= std::max(1, (4 * (nc - 1) + 4) / 5)) return rr;
        }
        return nr;
    };
    int body = first_ruled_row(ruled);
    const bool by_dashes = body == nr;
    if (by_dashes) body = first_ruled_row(dashed);
    const auto& body_marks = by_dashes ? dashed : ruled;
    std::vector<bool> mostly_ruled(static_cast<size_t>(nc), false);
    for (int c = 1; c < nc; ++c) {
        int on = 0;
        for (int rr = body; rr < nr; ++rr) on += body_marks[static_cast<size_t>(rr)][static_cast<size_t>(c)];
        mostly_ruled[static_cast<size_t>(c)] = nr > body && on * 2 > nr - body;
    }
    // vsep[rr][c]: the boundary right of slot (rr, c) separates; seen: a
    // ruling, or what a scan left of one, was found there.
    std::vector<std::vector<bool>> vsep(static_cast<size_t>(nr), std::vector<bool>(static_cast<size_t>(nc), false));
    std::vector<std::vector<bool>> seen = vsep;
    for (int rr = 0; rr < nr; ++rr) {
        const int y0 = t.rows[static_cast<size_t>(rr)] + edge, y1 = t.rows[static_cast<size_t>(rr) + 1] - edge;
        for (int c = 0; c + 1 < nc; ++c) {
            int x = t.cols[static_cast<size_t>(c) + 1];
            bool sep = ruled[static_cast<size_t>(rr)][static_cast<size_t>(c) + 1];
            // A ruling that stops above the last row only is a merged total
            // row (合计 across the code columns), not an unruled body. Nor
            // is a row ruled above and below: the body of a partially ruled
            // table has no row rulings either, so its rows come from text
            // (栏次 and 合计 centred over the code and name columns, each
            // row ruled, are merged cells).
            const int lr = last_ruled[static_cast<size_t>(c) + 1];
            bool ended = (rr > lr && lr >= 0 && lr < nr - 2 &&
                          (synthetic[static_cast<size_t>(rr)] || synthetic[static_cast<size_t>(rr) + 1])) ||
                         synthetic_col[static_cast<size_t>(c) + 1];
            // A broken ruling leaves pieces on the boundary; a merged cell has none.
            // (Pieces in the middle half of the slot: the ruling above or
            // below a merged cell overshoots into its ends by a few pixels.)
            const int q = (y1 - y0) / 4;
            bool broken = rr >= body && mostly_ruled[static_cast<size_t>(c) + 1] && y1 - q > y0 + q &&
                          coverage(m.pieces, true, x, y0 + q, y1 - q, 1) >= 0.1;
            // A stretch of ruling too short for the line mask (one row of a
            // sub-column under a merged header) still runs the slot's full
            // height, which no glyph does.
            if (!sep && !broken && rr >= body && y1 > y0 && coverage(m.pieces, true, x, y0, y1, 1) >= 0.7) broken = true;
            // In the header a missing ruling is usually a merged cell; but a
            // scan breaks the short rulings of sub-headers (类 | 款 | 项) too.
            // A boundary that is ruled in the body, shows remnants of a
            // ruling here, has separate text on both sides and none across
            // it separates.
            const bool header_broken = !sep && !broken && rr < body && mostly_ruled[static_cast<size_t>(c) + 1] &&
                                       y1 > y0 && coverage(m.pieces, true, x, y0, y1, 1) >= 0.15;
            // In the body a boundary ruled in most rows whose ruling a scan
            // dropped for a whole row (no pieces left) is the same: the
            // code and the name of a subject are two cells.
            const bool body_gap = !sep && !broken && !ended && rr >= body && mostly_ruled[static_cast<size_t>(c) + 1] && y1 > y0;
            if (header_broken || body_gap) {
                const int xl0 = t.cols[static_cast<size_t>(c)] + edge, xr1 = t.cols[static_cast<size_t>(c) + 2] - edge;
                auto has_text = [&](int a, int b) {
                    return b > a && cv::countNonZero(crossing(cv::Range(y0, y1), cv::Range(a, b))) > 0;
                };
                // A header label spans its slots, centred: the slot next to
                // a broken ruling may be the empty end of a merged cell (收入
                // over three columns | 支出 over three). In a header row the
                // text of either side is looked for across the slots it
                // would join, up to the next separator on the left and the
                // next ruling on the right, and is glyph-sized there (not a
                // speck of dust in an empty slot).
                int cl = c, cr = c + 1;
                if (header_broken) {
                    while (cl > 0 && !vsep[static_cast<size_t>(rr)][static_cast<size_t>(cl) - 1]) --cl;
                    while (cr + 1 < nc && !ruled[static_cast<size_t>(rr)][static_cast<size_t>(cr) + 1]) ++cr;
                }
                auto has_glyphs = [&](int a, int b) {
                    return b > a && cv::countNonZero(glyph_ink_of_page()(cv::Range(y0, y1), cv::Range(a, b))) > 0;
                };
                const bool left = has_text(xl0, x - 3) || (cl < c && has_glyphs(t.cols[static_cast<size_t>(cl)] + edge, xl0));
                const bool right = has_text(x + 3, xr1) || (cr > c + 1 && has_glyphs(xr1, t.cols[static_cast<size_t>(cr) + 1] - edge));
                sep = !crossed(y0, y1, x) && left && right;
            } else if (!sep && broken)
                sep = !crossed(y0, y1, x);
            else if (!sep && ended && y1 > y0)
                // Only ink on the boundary itself counts: right-aligned
                // numbers end a few pixels short of it.
                sep = cv::countNonZero(text_ink(cv::Range(y0, y1), cv::Range(std::max(0, x - 2), std::min(ink.cols, x + 3)))) == 0;
            vsep[static_cast<size_t>(rr)][static_cast<size_t>(c)] = sep;
            seen[static_cast<size_t>(rr)][static_cast<size_t>(c)] = sep && (ruled[static_cast<size_t>(rr)][static_cast<size_t>(c) + 1] || broken || header_broken || body_gap);
        }
    }
    // hcov[rr][c]: share of the boundary under slot (rr, c) ruled; hjoin:
    // too little for a ruling, the slot and the one below are one cell.
    std::vector<std::vector<double>> hcov(static_cast<size_t>(nr), std::vector<double>(static_cast<size_t>(nc), 1.0));
    std::vector<std::vector<bool>> hjoin(static_cast<size_t>(nr), std::vector<bool>(static_cast<size_t>(nc), false));
    for (int rr = 0; rr + 1 < nr; ++rr) {
        if (synthetic[static_cast<size_t>(rr) + 1]) continue;  // text-based separators cut every column
        int y = t.rows[static_cast<size_t>(rr) + 1];
        for (int c = 0; c < nc; ++c) {
            int x0 = t.cols[static_cast<size_t>(c)] + edge, x1 = t.cols[static_cast<size_t>(c) + 1] - edge;
            double share = coverage(m.horizontal, false, y, x0, x1, tol);
            // The fused strokes of a header label (本年支出合计) at the height
            // of a ruling that runs under the next cells only are no ruling:
            // text above and below them along the slot.
            if (rr < body && share >= p.separator_coverage && runs_through_text(m.horizontal, text_ink, y, x0, x1, tol, dpi, 0.6, 0.15)) share = 0.0;
            // ... nor are strokes that reach neither end of the slot (附属单位上
            // over 缴收入, 年末结转和结余 centred on the boundary, their base
            // strokes fused): a ruling under a header cell runs from column
            // ruling to column ruling, unless the scan broke it, and then
            // little of it is left.
            if (rr < body && share >= p.separator_coverage && share < 0.9) {
                const int e = mm(1.5, dpi);
                if (x1 - x0 > 3 * e && coverage(m.horizontal, false, y, x0, x0 + e, tol) < 0.5 &&
                    coverage(m.horizontal, false, y, x1 - e, x1, tol) < 0.5)
                    share = 0.0;
            }
            hcov[static_cast<size_t>(rr)][static_cast<size_t>(c)] = share;
            hjoin[static_cast<size_t>(rr)][static_cast<size_t>(c)] = share < p.separator_coverage;
        }
    }
    // In the body a row ruling that a scan dropped under one slot, ruled
    // under most of the others, still separates two subjects when both
    // slots hold text and none crosses it (codes 07 | 08 one above the other).
    for (int rr = std::max(0, body); rr + 1 < nr; ++rr) {
        if (synthetic[static_cast<size_t>(rr) + 1]) continue;
        int on = 0;
        for (int c = 0; c < nc; ++c) on += !hjoin[static_cast<size_t>(rr)][static_cast<size_t>(c)];
        if (on * 2 < nc) continue;
        const int y = t.rows[static_cast<size_t>(rr) + 1];
        const int ya = t.rows[static_cast<size_t>(rr)] + edge, yb = t.rows[static_cast<size_t>(rr) + 2] - edge;
        for (int c = 0; c < nc; ++c) {
            if (!hjoin[static_cast<size_t>(rr)][static_cast<size_t>(c)]) continue;
            const int x0 = t.cols[static_cast<size_t>(c)] + edge, x1 = t.cols[static_cast<size_t>(c) + 1] - edge;
            if (x1 <= x0 || y - 3 <= ya || y + 3 >= yb) continue;
            auto inked = [&](int a, int b) { return b > a && cv::countNonZero(crossing(cv::Range(a, b), cv::Range(x0, x1))) > 0; };
            // (On the line itself only a glyph counts: the dashes a scan
            // left of the ruling are as thin as the ruling.)
            auto glyph_on_line = [&]() {
                const int big = mm(1.0, dpi);
                const cv::Rect roi = cv::Rect(x0, y - big, x1 - x0, 2 * big + 1) & cv::Rect(0, 0, ink.cols, ink.rows);
                const Components cc(crossing(roi));
                for (const auto& k : cc.list())
                    if (roi.y + k.y0 <= y + 2 && roi.y + k.y1 > y - 2 && k.height() >= big) return true;
                return false;
            };
            if (inked(ya, y - 3) && inked(y + 3, yb) && (!inked(y - 2, y + 3) || !glyph_on_line())) {
                hjoin[static_cast<size_t>(rr)][static_cast<size_t>(c)] = false;
                continue;
            }
            // ... and when one slot holds text centred in it and the other
            // none: the text of a cell merged down two rows is centred on
            // the lost ruling, not in one of the slots (2.01 over the empty
            // slot below it).
            const bool above = inked(ya, y - 3), below = inked(y + 3, yb);
            if (above == below || (inked(y - 2, y + 3) && glyph_on_line())) continue;
            const int s0 = above ? ya : y + 3, s1 = above ? y - 3 : yb;
            const cv::Rect box = nonzero_box(crossing(cv::Range(s0, s1), cv::Range(x0, x1)));
            if (box.empty()) continue;
            const double centre = s0 + box.y + box.height / 2.0, slot_centre = above ? (t.rows[static_cast<size_t>(rr)] + y) / 2.0
                                                                                     : (y + t.rows[static_cast<size_t>(rr) + 2]) / 2.0;
            const double off = std::max<double>(mm(1.0, dpi), 0.15 * (above ? y - t.rows[static_cast<size_t>(rr)] : t.rows[static_cast<size_t>(rr) + 2] - y));
            if (std::abs(centre - slot_centre) <= off) hjoin[static_cast<size_t>(rr)][static_cast<size_t>(c)] = false;
        }
    }
    // A cell is a rectangle with no ruling inside it, so a scan's gap in a
    // column ruling (the dashes of a typical scan, a header corner left
    // open) does not merge the labels on its two sides when
    //  - the row ruling under (or over) the slot pair stops at the
    //    boundary: open on one side, ruled on the other (因公出国（境）费
    //    spans two header rows, 公务用车购置及运行维护费 beside it one); or
    //  - the two sides run down several rows as two cells and the column
    //    ruling (or its broken pieces) was found along part of that
    //    stretch (本年收入 | 本年支出).
    // Ink crossing the boundary keeps a slot merged.
    {
        const double open = 0.15;  // a row ruling this sparse is not there
        auto uncrossed = [&](int rr, int c) {
            const int x = t.cols[static_cast<size_t>(c) + 1];
            const int y0 = t.rows[static_cast<size_t>(rr)] + edge, y1 = t.rows[static_cast<size_t>(rr) + 1] - edge;
            return y1 > y0 && !crossed(y0, y1, x);
        };
        auto stops = [&](int r, int c) {  // the ruling under row r ends at boundary c | c+1
            if (r < 0 || r + 1 >= nr || synthetic[static_cast<size_t>(r) + 1]) return false;
            const double a = hcov[static_cast<size_t>(r)][static_cast<size_t>(c)], b = hcov[static_cast<size_t>(r)][static_cast<size_t>(c) + 1];
            return (a < open && b >= p.separator_coverage) || (b < open && a >= p.separator_coverage);
        };
        std::vector<std::vector<bool>> add(static_cast<size_t>(nr), std::vector<bool>(static_cast<size_t>(nc), false));
        for (int c = 0; c + 1 < nc; ++c) {
            for (int rr = 0; rr < nr; ++rr)
                if (!vsep[static_cast<size_t>(rr)][static_cast<size_t>(c)] && (stops(rr, c) || stops(rr - 1, c)))
                    add[static_cast<size_t>(rr)][static_cast<size_t>(c)] = true;
            for (int a = 0; a < nr;) {
                int b = a;  // the stretch a..b: both sides joined down to b
                while (b + 1 < nr && hjoin[static_cast<size_t>(b)][static_cast<size_t>(c)] && hjoin[static_cast<size_t>(b)][static_cast<size_t>(c) + 1]) ++b;
                bool any = false;
                for (int rr = a; rr <= b && !any; ++rr) any = seen[static_cast<size_t>(rr)][static_cast<size_t>(c)];
                for (int rr = a; any && b > a && rr <= b; ++rr)
                    if (!vsep[static_cast<size_t>(rr)][static_cast<size_t>(c)]) add[static_cast<size_t>(rr)][static_cast<size_t>(c)] = true;
                a = b + 1;
            }
        }
        for (int rr = 0; rr < nr; ++rr)
            for (int c = 0; c + 1 < nc; ++c)
                if (add[static_cast<size_t>(rr)][static_cast<size_t>(c)] && uncrossed(rr, c)) vsep[static_cast<size_t>(rr)][static_cast<size_t>(c)] = true;
    }
    // A label is centred in its cell. Slots joined across a lost ruling, one
    // of which holds text centred in it, far from the middle of the join,
    // are not one cell (项目支出 over one column beside the empty foot of
    // 年末结转和结余; the column numbers 4 | 5): the boundaries around that
    // slot separate where a column ruling runs (in most rows, or in
    // the row above or below). One row at a time: a cell taller than a row
    // has its text in one of them only.
    {
        auto at = [](const std::vector<std::vector<bool>>& m, int rr, int c) { return m[static_cast<size_t>(rr)][static_cast<size_t>(c)]; };
        // (glyphs without the pieces of a broken ruling: a dash left at the
        // lost boundary is no text)
        const cv::Mat g = glyph_ink_of_page() & ~pieces_grown;
        for (int rr = 0; rr < nr; ++rr) {
            const int y0 = t.rows[static_cast<size_t>(rr)] + tol, y1 = t.rows[static_cast<size_t>(rr) + 1] - tol;
            if (y1 <= y0) continue;
            for (int a = 0; a < nc;) {
                int b = a;
                while (b + 1 < nc && !at(vsep, rr, b)) ++b;
                bool one_row = b > a;
                for (int c = a; c <= b && one_row; ++c)
                    one_row = (rr == 0 || !at(hjoin, rr - 1, c)) && (rr + 1 >= nr || !at(hjoin, rr, c));
                if (one_row) {
                    const double run_centre = (t.cols[static_cast<size_t>(a)] + t.cols[static_cast<size_t>(b) + 1]) / 2.0;
                    // the ink of each slot of the run (x0, x1 on the page; empty: x1 < x0)
                    std::vector<std::pair<int, int>> ink_x;
                    for (int k = a; k <= b; ++k) {
                        const int s0 = t.cols[static_cast<size_t>(k)], s1 = t.cols[static_cast<size_t>(k) + 1];
                        const cv::Rect box = s1 - s0 > 2 * tol ? nonzero_box(g(cv::Range(y0, y1), cv::Range(s0 + tol, s1 - tol))) : cv::Rect();
                        ink_x.emplace_back(box.empty() ? 0 : s0 + tol + box.x, box.empty() ? -1 : s0 + tol + box.x + box.width);
                    }
                    const int apart = mm(4.0, dpi);  // farther than the glyphs (and quotes) of one label
                    for (int k = a; k <= b; ++k) {
                        const int s0 = t.cols[static_cast<size_t>(k)], s1 = t.cols[static_cast<size_t>(k) + 1];
                        const auto [ix0, ix1] = ink_x[static_cast<size_t>(k - a)];
                        if (ix1 < ix0) continue;
                        const double centre = (ix0 + ix1) / 2.0;
                        const double off = std::max<double>(mm(1.5, dpi), 0.1 * (s1 - s0));
                        if (std::abs(centre - (s0 + s1) / 2.0) > off || std::abs(centre - run_centre) <= 2 * off) continue;
                        // any other ink of the join (punctuation too: the quotes of
                        // 财政拨款“三公”经费) is far off: not one label across the slots
                        const int ra = t.cols[static_cast<size_t>(a)] + tol, rb = t.cols[static_cast<size_t>(b) + 1] - tol;
                        const int l0 = std::max(ra, ix0 - apart), r1 = std::min(rb, ix1 + apart);
                        if ((l0 < ix0 && cv::countNonZero(crossing(cv::Range(y0, y1), cv::Range(l0, ix0))) > 0) ||
                            (ix1 < r1 && cv::countNonZero(crossing(cv::Range(y0, y1), cv::Range(ix1, r1))) > 0))
                            continue;
                        for (int bnd : {k - 1, k}) {
                            if (bnd < a || bnd >= b) continue;
                            const bool ruling = mostly_ruled[static_cast<size_t>(bnd) + 1] || (rr > 0 && at(vsep, rr - 1, bnd)) ||
                                                (rr + 1 < nr && at(vsep, rr + 1, bnd));
                            if (ruling && !crossed(y0, y1, t.cols[static_cast<size_t>(bnd) + 1])) vsep[static_cast<size_t>(rr)][static_cast<size_t>(bnd)] = true;
                        }
                    }
                }
                a = b + 1;
            }
        }
    }
    for (int rr = 0; rr < nr; ++rr)
        for (int c = 0; c < nc; ++c) {
            if (c + 1 < nc && !vsep[static_cast<size_t>(rr)][static_cast<size_t>(c)]) uf.unite(rr * nc + c, rr * nc + c + 1);
            if (rr + 1 < nr && hjoin[static_cast<size_t>(rr)][static_cast<size_t>(c)]) uf.unite(rr * nc + c, (rr + 1) * nc + c);
        }
    // Each union of slots becomes one cell: the largest rectangle of its
    // slots grown right, then down, from its top-left slot.
    std::vector<bool> taken(static_cast<size_t>(nr * nc), false);
    auto free_in = [&](int a, int b, int k) {
        return !taken[static_cast<size_t>(a * nc + b)] && uf.find(a * nc + b) == k;
    };
    for (int rr = 0; rr < nr; ++rr)
        for (int c = 0; c < nc; ++c) {
            if (taken[static_cast<size_t>(rr * nc + c)]) continue;
            int k = uf.find(rr * nc + c), ce = c, re = rr;
            while (ce + 1 < nc && free_in(rr, ce + 1, k)) ++ce;
            for (bool grow = true; grow && re + 1 < nr;) {
                for (int b = c; b <= ce && grow; ++b) grow = free_in(re + 1, b, k);
                if (grow) ++re;
            }
            for (int a = rr; a <= re; ++a)
                for (int b = c; b <= ce; ++b) taken[static_cast<size_t>(a * nc + b)] = true;
            GridCell g;
            g.row = rr; g.col = c; g.row_span = re - rr + 1; g.col_span = ce - c + 1;
            g.bbox = {t.cols[static_cast<size_t>(c)], t.rows[static_cast<size_t>(rr)], t.cols[static_cast<size_t>(ce) + 1],
                      t.rows[static_cast<size_t>(re) + 1]};
            // A merged cell holds a label: slots joined with no text in
            // them at all are empty cells whose rulings the scan dropped
            // (a blank row of a typical scan, its dashes gone).
            // (Each slot looked at away from its sides, where the dashes
            // left of a dropped ruling lie.)
            bool blank = g.row_span > 1 || g.col_span > 1;
            for (int a = rr; a <= re && blank; ++a)
                for (int b = c; b <= ce && blank; ++b) {
                    const int x0 = t.cols[static_cast<size_t>(b)] + tol, x1 = t.cols[static_cast<size_t>(b) + 1] - tol;
                    const int y0 = t.rows[static_cast<size_t>(a)] + tol, y1 = t.rows[static_cast<size_t>(a) + 1] - tol;
                    blank = x1 > x0 && y1 > y0 && cv::countNonZero(glyph_ink_of_page()(cv::Range(y0, y1), cv::Range(x0, x1))) == 0;
                }
            if (blank) {
                for (int a = rr; a <= re; ++a)
                    for (int b = c; b <= ce; ++b) {
                        GridCell one;
                        one.row = a; one.col = b;
                        one.bbox = {t.cols[static_cast<size_t>(b)], t.rows[static_cast<size_t>(a)], t.cols[static_cast<size_t>(b) + 1],
                                    t.rows[static_cast<size_t>(a) + 1]};
                        t.cells.push_back(one);
                    }
                continue;
            }
            t.cells.push_back(g);
        }
    std::sort(t.cells.begin(), t.cells.end(), [](const GridCell& a, const GridCell& b) {
        return a.row != b.row ? a.row < b.row : a.col < b.col;
    });
    t.bbox = {t.cols.front(), t.rows.front(), t.cols.back(), t.rows.back()};
    // A slot of a ruled table with no ruling left on any of its four sides
    // (nor dashes of one): the rulings did not fade one by one, the paper
    // itself is gone or covered there (a torn-off corner shows the scanner's
    // lid). Its emptiness says nothing about what was printed.
    const bool ruled_grid = !t.partial_ruling && std::none_of(synthetic_col.begin(), synthetic_col.end(), [](bool b) { return b; });
    if (ruled_grid) {
        const double none = 0.1;
        for (auto& g : t.cells) {
            if (g.row_span > 1 || g.col_span > 1) continue;
            const int x0 = g.bbox.x0 + edge, x1 = g.bbox.x1 - edge, y0 = g.bbox.y0 + edge, y1 = g.bbox.y1 - edge;
            if (x1 <= x0 || y1 <= y0) continue;
            auto side_v = [&](int x) { return std::max(coverage(m.vertical, true, x, y0, y1, tol), coverage(m.pieces, true, x, y0, y1, tol)); };
            g.unruled = coverage(m.horizontal, false, g.bbox.y0, x0, x1, tol) < none && coverage(m.horizontal, false, g.bbox.y1, x0, x1, tol) < none &&
                        side_v(g.bbox.x0) < none && side_v(g.bbox.x1) < none;
        }
    }
    return t;
}

// Components of a line mask whose mean thickness (area / length) is at most
// max_thick: rulings are thin, fused text is not.
cv::Mat thin_components(const cv::Mat& mask, int max_thick, bool horizontal) {
    const Components cc(mask);
    const auto& k = cc.list();
    return cc.painted([&](size_t i) {
        const int length = horizontal ? k[i].width() : k[i].height();
        return k[i].area <= static_cast<long>(max_thick) * length;
    });
}

// Pixels of connected components whose bounding box has a side ≥ min_side.
cv::Mat big_components(const cv::Mat& ink, int min_side) {
    const Components cc(ink);
    const auto& k = cc.list();
    return cc.painted([&](size_t i) { return std::max(k[i].width(), k[i].height()) >= min_side; });
}

}  // namespace

Params Params::load(const std::string& json_path) {
    Params p;
    std::ifstream in(json_path);
    if (!in) return p;
    auto j = nlohmann::json::parse(in, nullptr, false);
    if (j.is_discarded()) return p;
    p.line_min_len_mm = j.value("line_min_len_mm", p.line_min_len_mm);
    p.gap_bridge_mm = j.value("gap_bridge_mm", p.gap_bridge_mm);
    p.cluster_tol_mm = j.value("cluster_tol_mm", p.cluster_tol_mm);
    p.separator_coverage = j.value("separator_coverage", p.separator_coverage);
    p.min_table_w_mm = j.value("min_table_w_mm", p.min_table_w_mm);
    p.min_table_h_mm = j.value("min_table_h_mm", p.min_table_h_mm);
    p.row_table_min_h_mm = j.value("row_table_min_h_mm", p.row_table_min_h_mm);
    p.row_table_min_cols = j.value("row_table_min_cols", p.row_table_min_cols);
    p.text_row_factor = j.value("text_row_factor", p.text_row_factor);
    p.speck_max_mm = j.value("speck_max_mm", p.speck_max_mm);
    p.glyph_min_mm = j.value("glyph_min_mm", p.glyph_min_mm);
    p.label_gap_mm = j.value("label_gap_mm", p.label_gap_mm);
    return p;
}

LineMasks find_line_masks(const cv::Mat& ink, int dpi, const Params& p) {
    LineMasks m;
    const int bridge = mm(p.gap_bridge_mm, dpi), len = mm(p.line_min_len_mm, dpi);
    cv::Mat tmp, horiz;
    // Only small breaks are bridged: a larger bridge fuses the strokes of a
    // row of CJK text into something as long as a ruling. Broken rulings stay
    // fragments, which the separator clustering puts back together.
    cv::morphologyEx(ink, tmp, cv::MORPH_CLOSE, cv::getStructuringElement(cv::MORPH_RECT, {bridge, 1}));
    cv::morphologyEx(tmp, horiz, cv::MORPH_OPEN, cv::getStructuringElement(cv::MORPH_RECT, {mm(4.0, dpi), 1}));
    m.horizontal = thin_components(horiz, mm(0.7, dpi), true);
    // (vertical lines: core/morph.hpp, OpenCV's pixels in a third of the time)
    vertical_morph(ink, tmp, LineOp::Close, bridge);
    // Short vertical pieces: what is left of a ruling the scan broke up.
    vertical_morph(ink, m.pieces, LineOp::Open, mm(0.8, dpi));
    // Vertical rulings of short rows are short, about as tall as a glyph's
    // strokes; a short fragment is a ruling only when both its ends meet a
    // horizontal ruling (a stroke of 入 or 工 meets none).
    cv::Mat vert;
    vertical_morph(tmp, vert, LineOp::Open, mm(2.5, dpi));
    cv::Mat h_near;
    const int tol = 1;  // rulings meet at T-junctions; strokes stop short
    const int reach = std::max(1, mm(0.3, dpi) - 1);  // a ruling's thickness: inside the fragment's end
    const int gap = mm(0.6, dpi);
    cv::dilate(m.horizontal, h_near, cv::getStructuringElement(cv::MORPH_RECT, {2 * tol + 1, 2 * tol + 1}));
    // Ink that belongs to a large connected structure (the grid), as opposed
    // to glyph-sized blobs whose strokes can line up like a short ruling.
    cv::Mat grid_ink = big_components(ink | m.horizontal, mm(15.0, dpi));
    const Components vc(vert);
    const auto& k = vc.list();
    m.vertical = vc.painted([&](size_t i) {
        int x = k[i].x0 + k[i].width() / 2;
        int y0 = k[i].y0, h = k[i].height();
        int y1 = std::min(vert.rows - 1, y0 + h - 1);
        // (The end may overshoot the horizontal ruling's mask by a pixel
        // or two where the scan thickened the ruling: the ruling is looked
        // for along the fragment's last reach pixels.)
        auto meets = [&](int from, int step) {
            for (int d = 0; d <= reach; ++d) {
                const int y = from + step * d;
                if (y < y0 || y > y1) break;
                if (h_near.at<uchar>(y, x)) return true;
            }
            return false;
        };
        // A scan can leave a hairline gap between a fragment's end and the
        // ruling it runs to (a one-row table's short column rulings): an end
        // within gap of a horizontal ruling, below or above the fragment, meets it when
        // the other end meets its own ruling. (A stroke of a glyph that
        // touches one ruling stops far short of the other: rows are taller
        // than a glyph by more than that.)
        // (The ruling may be broken at the junction itself: looked for a
        // little to either side too.)
        auto near = [&](int from, int step) {
            for (int d = 1; d <= gap; ++d) {
                const int y = from + step * d;
                if (y < 0 || y >= vert.rows) break;
                for (int xx = std::max(0, x - gap); xx <= std::min(vert.cols - 1, x + gap); ++xx)
                    if (h_near.at<uchar>(y, xx)) return true;
            }
            return false;
        };
        const bool top = meets(y0, 1), bottom = meets(y1, -1);
        bool ends = (top && bottom) || (top && near(y1, 1)) || (bottom && near(y0, -1));
        int on_grid = 0;
        for (int y = y0; y <= y1; ++y) on_grid += grid_ink.at<uchar>(y, x) != 0;
        return h >= len || (ends && on_grid >= 0.7 * h);
    });
    return m;
}

std::vector<DetectedTable> detect_tables(const cv::Mat& ink, int dpi, const Params& p) {
    return detect_tables(ink, ink, dpi, p);
}

cv::Mat visible_ink(const cv::Mat& ink, const cv::Mat& occlusion) {
    if (occlusion.empty() || occlusion.size() != ink.size() || cv::countNonZero(occlusion) == 0) return ink;
    cv::Mat out = ink.clone();
    out.setTo(0, occlusion);
    return out;
}

std::vector<DetectedTable> detect_tables(const cv::Mat& ink, const cv::Mat& line_ink, int dpi, const Params& p,
                                         LineMasks* masks_out) {
    CV_Assert(ink.type() == CV_8UC1 && line_ink.type() == CV_8UC1 && ink.size() == line_ink.size());
    LineMasks m = find_line_masks(line_ink, dpi, p);
    if (masks_out) *masks_out = m;  // cv::Mat headers: shared, not copied
    return detect_tables_on_masks(ink, m, dpi, p);
}

std::vector<DetectedTable> detect_tables_on_masks(const cv::Mat& ink, const LineMasks& m, int dpi, const Params& p) {
    CV_Assert(ink.type() == CV_8UC1 && m.horizontal.size() == ink.size() && m.vertical.size() == ink.size() &&
              m.pieces.size() == ink.size());
    cv::Mat grid = m.horizontal | m.vertical;
    cv::Mat joined;
    int j = mm(2.5, dpi);  // joins the fragments of broken rulings into one region
    cv::dilate(grid, joined, cv::getStructuringElement(cv::MORPH_RECT, {j, j}));
    // Text ink without the rulings, to find text rows and crossing text.
    cv::Mat lines_thick;
    cv::dilate(grid, lines_thick, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
    // Specks (dust, sensor noise of a grainy scan) are not text: left in,
    // they fill the white gaps that separate unruled columns and rows, put
    // "text" on both sides of a gap, and cross boundaries.
    // (Glyph-sized ink, for columns printed without rulings, from the same
    // components: removing whole components leaves the others as they are.)
    const Components text_cc(ink & ~lines_thick);
    const int speck = mm(p.speck_max_mm, dpi);
    cv::Mat text_ink = without_specks(text_cc, speck);
    cv::Mat glyph_ink;
    bool glyph_made = false;
    const std::function<const cv::Mat&()> glyph_ink_of_page = [&]() -> const cv::Mat& {
        if (!glyph_made) glyph_ink = without_specks(text_cc, std::max(speck, mm(p.glyph_min_mm, dpi)));
        glyph_made = true;
        return glyph_ink;
    };

    std::vector<std::vector<cv::Point>> contours;
    cv::findContours(joined, contours, cv::RETR_EXTERNAL, cv::CHAIN_APPROX_SIMPLE);
    std::vector<cv::Rect> regions;
    for (const auto& c : contours) {
        cv::Rect r = cv::boundingRect(c) & cv::Rect(0, 0, ink.cols, ink.rows);
        // The joined region overshoots by the dilation: fit it to its rulings.
        const cv::Rect fit = nonzero_box(grid(r));
        if (fit.empty()) continue;
        regions.emplace_back(r.x + fit.x, r.y + fit.y, fit.width, fit.height);
    }
    // Two regions whose boxes overlap over most of the narrower one's width
    // are one table whose rulings a blot or a tear cut apart (the foot of a
    // table, 合计 under a blot, came out as a region of its own reaching back
    // into the rows above it): one table of their union.
    for (bool merged = true; merged;) {
        merged = false;
        for (size_t i = 0; i < regions.size() && !merged; ++i)
            for (size_t k = i + 1; k < regions.size() && !merged; ++k) {
                const cv::Rect x = regions[i] & regions[k];
                if (x.empty() || x.width < std::min(regions[i].width, regions[k].width) / 2) continue;
                regions[i] |= regions[k];
                regions.erase(regions.begin() + static_cast<long>(k));
                merged = true;
            }
    }
    std::vector<DetectedTable> out;
    for (cv::Rect r : regions) {
        if (r.width < mm(p.min_table_w_mm, dpi) || r.height < mm(p.row_table_min_h_mm, dpi)) continue;
        const bool one_row = r.height < mm(p.min_table_h_mm, dpi);
        // A table needs rulings both ways: at least two of each, each
        // covering a quarter of the table. A scan breaks rulings into dashes
        // (faint stretches, dropped pieces): the fragments of one ruling add
        // up, as long as each is longer than a glyph stroke.
        const int frag = mm(p.line_min_len_mm, dpi) / 2;
        auto hs = separators(m.horizontal, r, true, mm(p.cluster_tol_mm, dpi), std::min(frag, r.width / 4), r.width / 4);
        auto vs = separators(m.vertical, r, false, mm(p.cluster_tol_mm, dpi), std::min(frag, r.height / 4), r.height / 4);
        if (hs.size() < 2 || vs.size() < 2) continue;
        if (one_row) {
            // A band lower than a table of two rows is one only as a row of
            // cells: ruled top and bottom along (nearly) its width, and cut
            // by column rulings that each run (nearly) its full height — a
            // boxed line of text has two sides, and stray strokes are shorter.
            // (Top and bottom of its rulings, not of the region: a blot on
            // the band reaches past its ruling and into the region.)
            const int tol = mm(p.cluster_tol_mm, dpi);
            const auto full_h = separators(m.horizontal, r, true, tol, std::min(frag, r.width / 4), r.width * 3 / 4);
            const auto full_v = separators(m.vertical, r, false, tol, r.height / 2, r.height * 3 / 4);
            if (full_h.size() < 2 || full_h.front() > hs.front() + tol || full_h.back() < hs.back() - tol ||
                static_cast<int>(full_v.size()) < p.row_table_min_cols + 1)
                continue;
            // the band is what those rulings bound, not the blot past them
            const int top = std::max(r.y, full_h.front() - tol), bottom = std::min(r.y + r.height, full_h.back() + tol + 1);
            r = cv::Rect(r.x, top, r.width, bottom - top);
        }
        // Stray line fragments (paper noise that lined up, a speck line)
        // joined to the grid by the dilation widen the region past the
        // frame, and its open side would become a column or row of its own:
        // fit the region to the fragments of the rulings just found.
        r = fit_to_rulings(m, r, hs, vs, mm(p.cluster_tol_mm, dpi), frag);
        auto t = build_table(ink, m, text_ink, glyph_ink_of_page, r, dpi, p);
        if (t.n_rows() >= 1 && t.n_cols() >= 2) out.push_back(std::move(t));
    }
    // A region inside another table's box is part of it (a ruled block whose
    // joins were broken), not a table of its own.
    std::vector<DetectedTable> kept;
    for (size_t i = 0; i < out.size(); ++i) {
        bool nested = false;
        for (size_t k = 0; k < out.size() && !nested; ++k)
            nested = k != i && out[k].bbox.area() > out[i].bbox.area() &&
                     out[i].bbox.intersect(out[k].bbox).area() > 0.8 * out[i].bbox.area();
        if (!nested) kept.push_back(std::move(out[i]));
    }
    std::sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) {
        return a.bbox.y0 != b.bbox.y0 ? a.bbox.y0 < b.bbox.y0 : a.bbox.x0 < b.bbox.x0;
    });
    return kept;
}

cv::Mat rule_mask(const cv::Mat& line_ink, const LineMasks& m, int dpi, const std::vector<DetectedTable>& tables) {
    CV_Assert(line_ink.type() == CV_8UC1 && m.horizontal.size() == line_ink.size());
    // Residual skew moves a ruling a few pixels off its separator's mean.
    const int band = std::max(2, mm(0.5, dpi));
    const cv::Rect page(0, 0, line_ink.cols, line_ink.rows);
    cv::Mat out = cv::Mat::zeros(line_ink.size(), CV_8U);
    // The long rulings, only along the separators: the line masks also hold
    // text strokes that happen to line up (the base strokes of "2.5").
    for (const auto& t : tables) {
        for (int y : t.rows) {
            cv::Rect r = cv::Rect(t.bbox.x0 - band, y - band, t.bbox.width() + 2 * band, 2 * band + 1) & page;
            if (r.area() > 0) out(r) |= m.horizontal(r);
        }
        for (int x : t.cols) {
            cv::Rect r = cv::Rect(x - band, t.bbox.y0 - band, 2 * band + 1, t.bbox.height() + 2 * band) & page;
            if (r.area() > 0) out(r) |= m.vertical(r);
        }
    }
    // What the long rulings leave (dashes of a broken ruling, a faint stretch,
    // a stub at a junction): ink pieces lying wholly inside a separator's
    // band. A digit printed against a ruling reaches out of the band and
    // stays.
    cv::Mat grown;
    cv::dilate(out, grown, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
    cv::Mat residual = line_ink & ~grown;
    const Components cc(residual);
    // Elongated along the separator: a decimal point or comma sitting low
    // in its row is inside the band too, but it is as wide as tall.
    const int min_piece = std::max(3, mm(0.6, dpi));
    out |= cc.painted([&](size_t i) {
        const auto& k = cc.list()[i];
        const int x0 = k.x0, y0 = k.y0, x1 = k.x1, y1 = k.y1;
        const int w = x1 - x0, h = y1 - y0;
        for (const auto& t : tables) {
            if (x1 < t.bbox.x0 - band || x0 > t.bbox.x1 + band || y1 < t.bbox.y0 - band || y0 > t.bbox.y1 + band) continue;
            bool in = false;
            if (h >= min_piece && h >= 2 * w)
                for (int x : t.cols) in = in || (x0 >= x - band && x1 <= x + band + 1);
            if (!in && w >= min_piece && w >= 2 * h)
                for (int y : t.rows) in = in || (y0 >= y - band && y1 <= y + band + 1);
            if (in) return true;
        }
        return false;
    });
    cv::dilate(out, out, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}));
    return out;
}

int split_occluded_merges(std::vector<DetectedTable>& tables, const cv::Mat& occlusion, int dpi, double min_share) {
    if (occlusion.empty()) return 0;
    const int band = std::max(2, static_cast<int>(std::lround(0.5 / 25.4 * dpi)));   // ±0.5 mm around a separator
    const int edge = std::max(1, static_cast<int>(std::lround(0.3 / 25.4 * dpi)));   // ends of a stretch: the crossing rulings
    // share of the stretch lo..hi of the separator at pos lying under occlusion
    auto occluded = [&](bool vertical, int pos, int lo, int hi) {
        lo += edge;
        hi -= edge;
        if (hi <= lo) return 0.0;
        int hit = 0;
        for (int v = lo; v < hi; ++v) {
            cv::Rect r = vertical ? cv::Rect(pos - band, v, 2 * band + 1, 1) : cv::Rect(v, pos - band, 1, 2 * band + 1);
            r &= cv::Rect(0, 0, occlusion.cols, occlusion.rows);
            hit += !r.empty() && cv::countNonZero(occlusion(r)) > 0;
        }
        return hit / static_cast<double>(hi - lo);
    };
    int split = 0;
    for (auto& t : tables) {
        std::vector<GridCell> out;
        out.reserve(t.cells.size());
        for (const auto& g : t.cells) {
            const int R = g.row_span, C = g.col_span;
            if (R * C <= 1) { out.push_back(g); continue; }
            auto col = [&](int c) { return t.cols[static_cast<size_t>(g.col + c)]; };
            auto row = [&](int r) { return t.rows[static_cast<size_t>(g.row + r)]; };
            UnionFind uf(R * C);
            bool hidden = false;
            for (int r = 0; r < R; ++r)
                for (int c = 0; c + 1 < C; ++c) {
                    if (occluded(true, col(c + 1), row(r), row(r + 1)) >= min_share) hidden = true;
                    else uf.unite(r * C + c, r * C + c + 1);
                }
            for (int r = 0; r + 1 < R; ++r)
                for (int c = 0; c < C; ++c) {
                    if (occluded(false, row(r + 1), col(c), col(c + 1)) >= min_share) hidden = true;
                    else uf.unite(r * C + c, (r + 1) * C + c);
                }
            if (!hidden) { out.push_back(g); continue; }
            // the pieces: each union must be exactly one rectangle
            std::vector<GridCell> pieces;
            std::vector<bool> taken(static_cast<size_t>(R * C), false);
            std::vector<int> rects(static_cast<size_t>(R * C), 0);
            bool ok = true;
            for (int r = 0; r < R && ok; ++r)
                for (int c = 0; c < C && ok; ++c) {
                    if (taken[static_cast<size_t>(r * C + c)]) continue;
                    const int k = uf.find(r * C + c);
                    if (++rects[static_cast<size_t>(k)] > 1) ok = false;
                    int ce = c, re = r;
                    while (ce + 1 < C && uf.find(r * C + ce + 1) == k) ++ce;
                    for (bool grow = true; grow && re + 1 < R;) {
                        for (int b = c; b <= ce && grow; ++b) grow = uf.find((re + 1) * C + b) == k;
                        if (grow) ++re;
                    }
                    for (int a = r; a <= re; ++a)
                        for (int b = c; b <= ce; ++b) {
                            if (uf.find(a * C + b) != k || taken[static_cast<size_t>(a * C + b)]) ok = false;
                            taken[static_cast<size_t>(a * C + b)] = true;
                        }
                    GridCell p;
                    p.row = g.row + r; p.col = g.col + c; p.row_span = re - r + 1; p.col_span = ce - c + 1;
                    p.bbox = {col(c), row(r), col(ce + 1), row(re + 1)};
                    pieces.push_back(p);
                }
            if (!ok || pieces.size() < 2) { out.push_back(g); continue; }
            out.insert(out.end(), pieces.begin(), pieces.end());
            ++split;
        }
        std::sort(out.begin(), out.end(), [](const GridCell& a, const GridCell& b) {
            return a.row != b.row ? a.row < b.row : a.col < b.col;
        });
        t.cells = std::move(out);
    }
    return split;
}

DetectedTable scaled(const DetectedTable& t, double s) {
    DetectedTable o = t;
    o.bbox = t.bbox.scaled(s);
    for (auto& v : o.rows) v = static_cast<int>(std::lround(v * s));
    for (auto& v : o.cols) v = static_cast<int>(std::lround(v * s));
    for (auto& c : o.cells) c.bbox = c.bbox.scaled(s);
    return o;
}

}  // namespace fiscan::layout
