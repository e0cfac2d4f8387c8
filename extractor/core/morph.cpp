#include "core/morph.hpp"

#include <algorithm>
#include <vector>

namespace fiscan {

namespace {

// One erosion (Min) or dilation (max) by a 1×k line with OpenCV's anchor
// (k/2) and border (outside: the operation's identity, 255 for min, 0 for max).
// Output row y takes input rows [y - a, y + k - 1 - a]. In padded row
// coordinates p = y + a (rows outside the image are identity rows) that is
// the window [y, y + k - 1]. Padded rows fall into blocks of k: h(p) = op of
// rows p .. end of p's block, g(q) = op of rows start of q's block .. q, and
// out(y) = op(h(y), g(y + k - 1)) (= h(y) when y starts a block). Only one
// block's h (k rows, in cache) and one running g row are kept.
template <bool Min>
void line_pass(const cv::Mat& src, cv::Mat& dst, int k) {
    const int n = src.rows, w = src.cols, a = k / 2;
    if (k <= 1 || n == 0 || w == 0) { src.copyTo(dst); return; }
    const uchar identity = Min ? 255 : 0;
    auto op = [](uchar x, uchar y) { return Min ? std::min(x, y) : std::max(x, y); };
    const int padded = n + k - 1;
    std::vector<uchar> ident(static_cast<size_t>(w), identity), g(static_cast<size_t>(w));
    auto row = [&](int p) -> const uchar* {
        const int y = p - a;
        return y >= 0 && y < n ? src.ptr<uchar>(y) : ident.data();
    };
    cv::Mat h(k, w, CV_8U);  // h of the block [s, s + k)
    auto fill_h = [&](int s) {
        const int e = std::min(s + k, padded);
        for (int p = e - 1; p >= s; --p) {
            const uchar* r = row(p);
            uchar* d = h.ptr<uchar>(p - s);
            if (p == e - 1) std::copy(r, r + w, d);
            else {
                const uchar* next = h.ptr<uchar>(p - s + 1);
                for (int x = 0; x < w; ++x) d[x] = op(next[x], r[x]);
            }
        }
    };
    // Written in place into dst's buffer (kept from page to page: a fresh
    // page-sized buffer costs its page faults) unless dst is src.
    cv::Mat fresh;
    const bool aliased = dst.datastart != nullptr && dst.datastart == src.datastart;
    cv::Mat& out = aliased ? fresh : dst;
    out.create(n, w, CV_8U);
    fill_h(0);
    for (int s = 0; s < n; s += k) {
        std::copy(h.ptr<uchar>(0), h.ptr<uchar>(0) + w, out.ptr<uchar>(s));  // the window is the whole block
        for (int j = 0; j < k - 1 && s + 1 + j < n; ++j) {
            const uchar* r = row(s + k + j);
            if (j == 0) std::copy(r, r + w, g.begin());
            else
                for (int x = 0; x < w; ++x) g[static_cast<size_t>(x)] = op(g[static_cast<size_t>(x)], r[x]);
            const uchar* hp = h.ptr<uchar>(1 + j);
            uchar* d = out.ptr<uchar>(s + 1 + j);
            for (int x = 0; x < w; ++x) d[x] = op(hp[x], g[static_cast<size_t>(x)]);
        }
        if (s + k < padded) fill_h(s + k);
    }
    if (aliased) dst = fresh;
}

}  // namespace

void vertical_morph(const cv::Mat& src, cv::Mat& dst, LineOp op, int k) {
    CV_Assert(src.type() == CV_8UC1 && k >= 1);
    // The intermediate image of an opening or closing: one buffer per thread,
    // reused page after page.
    thread_local cv::Mat scratch;
    switch (op) {
        case LineOp::Erode: line_pass<true>(src, dst, k); break;
        case LineOp::Dilate: line_pass<false>(src, dst, k); break;
        case LineOp::Open: line_pass<true>(src, scratch, k); line_pass<false>(scratch, dst, k); break;
        case LineOp::Close: line_pass<false>(src, scratch, k); line_pass<true>(scratch, dst, k); break;
    }
}

}  // namespace fiscan
