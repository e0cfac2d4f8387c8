#include "layout/cell_kind.hpp"

#include "core/components.hpp"

#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <map>

namespace fiscan::layout {

CellKind guess_kind(const cv::Mat& crop, int dpi) {
    if (crop.empty()) return CellKind::Unknown;
    cv::Mat ink;
    cv::threshold(crop, ink, 0, 255, cv::THRESH_BINARY_INV | cv::THRESH_OTSU);
    const int speck = std::max(2, dpi / 150);
    int maxh = 0;
    struct Blob { int w, h; };
    std::vector<Blob> blobs;
    const Components cc(ink);  // (named: a temporary's list() would dangle in the loop)
    for (const auto& k : cc.list()) {
        int w = k.width(), h = k.height();
        if (w <= speck && h <= speck) continue;
        blobs.push_back({w, h});
        maxh = std::max(maxh, h);
    }
    if (blobs.empty() || maxh < dpi / 60) return CellKind::Unknown;  // < ~0.4 mm tall: noise
    int digit_like = 0, small = 0, cjk_like = 0;
    for (auto b : blobs) {
        if (b.h < 0.45 * maxh && b.w < 0.45 * maxh) ++small;                     // . , - and parts of 0.00
        else if (b.h >= 0.6 * maxh && b.w <= 0.78 * b.h) ++digit_like;           // 0-9
        else if (b.h < 0.3 * maxh && b.w > 0.3 * maxh && b.w < 0.7 * maxh) ++small;  // minus sign
        else ++cjk_like;                                                           // wide or odd blobs
    }
    int total = static_cast<int>(blobs.size());
    if (cjk_like == 0 && digit_like >= 1) return CellKind::Numeric;
    if (cjk_like * 5 <= total && digit_like * 2 >= total) return CellKind::Numeric;  // a touching pair of digits
    (void)small;
    return CellKind::Text;
}

void vote_column_kinds(const std::vector<int>& cols, const std::vector<int>& rows, int header_rows,
                       std::vector<CellKind>& kinds) {
    std::map<int, std::pair<int, int>> votes;  // col → (numeric, text) among body cells
    for (size_t i = 0; i < kinds.size(); ++i) {
        if (rows[i] < header_rows) continue;
        if (kinds[i] == CellKind::Numeric) ++votes[cols[i]].first;
        else if (kinds[i] == CellKind::Text) ++votes[cols[i]].second;
    }
    for (size_t i = 0; i < kinds.size(); ++i) {
        if (rows[i] < header_rows) continue;
        auto [num, txt] = votes[cols[i]];
        // A column that is overwhelmingly numbers (amounts, 类/款/项 codes)
        // holds numbers throughout: a stray mark must not send a cell to chi_sim.
        if (kinds[i] == CellKind::Unknown || (kinds[i] == CellKind::Text && num >= 3 * txt && num >= 3))
            kinds[i] = num > txt ? CellKind::Numeric : CellKind::Text;
    }
}

}  // namespace fiscan::layout
