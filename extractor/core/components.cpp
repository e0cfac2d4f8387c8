#include "core/components.hpp"

#include <algorithm>
#include <climits>
#include <cstring>
#include <numeric>

namespace fiscan {

namespace {

// Index of the first nonzero byte of p[x..n), or n.
inline int next_set(const uchar* p, int x, int n) {
    while (x < n && (x & 7)) { if (p[x]) return x; ++x; }
    while (x + 8 <= n) {
        std::uint64_t w;
        std::memcpy(&w, p + x, 8);
        if (w) break;
        x += 8;
    }
    while (x < n && !p[x]) ++x;
    return x;
}

// One past the last nonzero byte of p[0..n), or 0.
inline int last_set_end(const uchar* p, int n) {
    int x = n;
    while (x > 0 && (x & 7)) { if (p[x - 1]) return x; --x; }
    while (x >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p + x - 8, 8);
        if (w) break;
        x -= 8;
    }
    while (x > 0 && !p[x - 1]) --x;
    return x;
}

// Index of the first zero byte of p[x..n), or n. (Rulings are runs of
// hundreds of pixels: eight bytes at a time while none of them is zero.)
inline int next_clear(const uchar* p, int x, int n) {
    constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
    while (x + 8 <= n) {
        std::uint64_t w;
        std::memcpy(&w, p + x, 8);
        if ((w - ones) & ~w & highs) break;  // some byte of w is zero
        x += 8;
    }
    while (x < n && p[x]) ++x;
    return x;
}

}  // namespace

Components::Components(const cv::Mat& mask) : size_(mask.size()) {
    CV_Assert(mask.type() == CV_8UC1);
    std::vector<int> parent;  // union-find over provisional labels
    auto find = [&parent](int a) {
        while (parent[static_cast<size_t>(a)] != a) {
            parent[static_cast<size_t>(a)] = parent[static_cast<size_t>(parent[static_cast<size_t>(a)])];
            a = parent[static_cast<size_t>(a)];
        }
        return a;
    };
    size_t prev_begin = 0, prev_end = 0;  // runs of the row above
    for (int y = 0; y < mask.rows; ++y) {
        const uchar* row = mask.ptr<uchar>(y);
        const size_t cur_begin = runs_.size();
        size_t j = prev_begin;
        for (int x = next_set(row, 0, mask.cols); x < mask.cols; x = next_set(row, x, mask.cols)) {
            const int e = next_clear(row, x, mask.cols);
            int label = -1;
            // 8-connectivity: a run above touches [x, e) when it reaches x-1..e.
            while (j < prev_end && runs_[j].x1 < x) ++j;
            for (size_t k = j; k < prev_end && runs_[k].x0 <= e; ++k) {
                const int r = find(runs_[k].comp);
                if (label < 0) label = r;
                else if (r != label) {
                    // the smaller label (earlier in raster order) stays the root
                    if (r < label) { parent[static_cast<size_t>(label)] = r; label = r; }
                    else parent[static_cast<size_t>(r)] = label;
                }
            }
            if (label < 0) {
                label = static_cast<int>(parent.size());
                parent.push_back(label);
            }
            runs_.push_back({y, x, e, label});
            x = e;
        }
        prev_begin = cur_begin;
        prev_end = runs_.size();
    }
    // Roots in raster order of their first run become components 0..n-1.
    std::vector<int> id(parent.size(), -1);
    for (size_t l = 0; l < parent.size(); ++l) {
        const int r = find(static_cast<int>(l));
        if (r == static_cast<int>(l)) {
            id[l] = static_cast<int>(comps_.size());
            comps_.push_back({INT32_MAX, INT32_MAX, INT32_MIN, INT32_MIN, 0, 0, 0});
        }
    }
    for (auto& run : runs_) {
        run.comp = id[static_cast<size_t>(find(run.comp))];
        Component& c = comps_[static_cast<size_t>(run.comp)];
        const int n = run.x1 - run.x0;
        c.x0 = std::min(c.x0, run.x0);
        c.x1 = std::max(c.x1, run.x1);
        c.y0 = std::min(c.y0, run.y);
        c.y1 = std::max(c.y1, run.y + 1);
        c.area += n;
        c.sum_x += static_cast<std::uint64_t>(run.x0 + run.x1 - 1) * static_cast<std::uint64_t>(n) / 2;
        c.sum_y += static_cast<std::uint64_t>(run.y) * static_cast<std::uint64_t>(n);
    }
}

cv::Rect nonzero_box(const cv::Mat& mask) {
    CV_Assert(mask.type() == CV_8UC1);
    int x0 = INT32_MAX, x1 = INT32_MIN, y0 = -1, y1 = -1;
    for (int y = 0; y < mask.rows; ++y) {
        const uchar* row = mask.ptr<uchar>(y);
        const int a = next_set(row, 0, mask.cols);
        if (a >= mask.cols) continue;
        if (y0 < 0) y0 = y;
        y1 = y;
        x0 = std::min(x0, a);
        x1 = std::max(x1, last_set_end(row, mask.cols));
    }
    if (y0 < 0) return {};
    return {x0, y0, x1 - x0, y1 - y0 + 1};
}

cv::Mat Components::painted(const std::function<bool(size_t)>& keep) const {
    std::vector<uchar> k(comps_.size());
    for (size_t i = 0; i < comps_.size(); ++i) k[i] = keep(i) ? 1 : 0;
    cv::Mat out = cv::Mat::zeros(size_, CV_8U);
    for (const auto& r : runs_)
        if (k[static_cast<size_t>(r.comp)]) std::memset(out.ptr<uchar>(r.y) + r.x0, 255, static_cast<size_t>(r.x1 - r.x0));
    return out;
}

}  // namespace fiscan
