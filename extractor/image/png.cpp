#include "image/png.hpp"

#include <leptonica/allheaders.h>

#include <memory>
#include <stdexcept>

namespace fiscan::image {

namespace {
struct PixFree {
    void operator()(PIX* p) const { pixDestroy(&p); }
};
using PixPtr = std::unique_ptr<PIX, PixFree>;
}  // namespace

void write_png(const std::string& path, const cv::Mat& img) {
    if (img.empty() || (img.type() != CV_8UC1 && img.type() != CV_8UC3))
        throw std::runtime_error("write_png: 8-bit gray or BGR images only");
    const bool gray = img.type() == CV_8UC1;
    PixPtr pix(pixCreate(img.cols, img.rows, gray ? 8 : 32));
    if (!pix) throw std::runtime_error("write_png: out of memory");
    l_uint32* data = pixGetData(pix.get());
    const int wpl = pixGetWpl(pix.get());
    for (int y = 0; y < img.rows; ++y) {
        l_uint32* line = data + static_cast<size_t>(y) * wpl;
        if (gray) {
            const uchar* p = img.ptr<uchar>(y);
            for (int x = 0; x < img.cols; ++x) SET_DATA_BYTE(line, x, p[x]);
        } else {
            const cv::Vec3b* p = img.ptr<cv::Vec3b>(y);
            for (int x = 0; x < img.cols; ++x) {
                l_uint32 v = 0;
                composeRGBPixel(p[x][2], p[x][1], p[x][0], &v);
                line[x] = v;
            }
        }
    }
    if (pixWritePng(path.c_str(), pix.get(), 0.0f) != 0) throw std::runtime_error("write_png: cannot write " + path);
}

}  // namespace fiscan::image
