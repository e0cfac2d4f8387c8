#include "pdf/vector_rulings.hpp"

// Poppler's private API (Debian 12: libpoppler-private-dev 22.12, pinned with
// libpoppler126): only this file includes it.
#include <GfxState.h>
#include <GlobalParams.h>
#include <OutputDev.h>
#include <PDFDoc.h>
#include <SplashOutputDev.h>
#include <splash/SplashBitmap.h>
#include <Stream.h>
#include <TextOutputDev.h>

#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-rectangle.h>

#include <opencv2/imgproc.hpp>
#include <libdeflate.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>
#include <stdexcept>
#include <utility>

namespace fiscan::pdf {

namespace {

int mm(double v, int dpi) { return std::max(1, static_cast<int>(std::lround(v / 25.4 * dpi))); }

// The render route's ink threshold (pipeline/page.cpp: gray < 192 is ink).
constexpr double kInkGray = 192.0;

// Collects the axis-aligned rectangles a page paints: stroked straight
// segments and filled rectangles. Everything else (text, images, shadings,
// curves, patterns) is skipped without being rasterised.
class PaintCollector : public OutputDev {
public:
    explicit PaintCollector(double thin_max) : thin_max_(thin_max) {}

    bool upsideDown() override { return true; }
    bool useDrawChar() override { return false; }
    bool interpretType3Chars() override { return false; }
    bool useTilingPatternFill() override { return true; }
    bool useShadedFills(int) override { return true; }
    bool tilingPatternFill(GfxState*, Gfx*, Catalog*, GfxTilingPattern*, const double*, int, int, int, int, double,
                           double) override { return true; }
    bool functionShadedFill(GfxState*, GfxFunctionShading*) override { return true; }
    bool axialShadedFill(GfxState*, GfxAxialShading*, double, double) override { return true; }
    bool radialShadedFill(GfxState*, GfxRadialShading*, double, double) override { return true; }
    bool gouraudTriangleShadedFill(GfxState*, GfxGouraudTriangleShading*) override { return true; }
    bool patchMeshShadedFill(GfxState*, GfxPatchMeshShading*) override { return true; }

    void startPage(int, GfxState* state, XRef*) override {
        // As Splash sizes its bitmap (SplashOutputDev::startPage).
        width_ = std::max(1, static_cast<int>(state->getPageWidth() + 0.5));
        height_ = std::max(1, static_cast<int>(state->getPageHeight() + 0.5));
    }

    void stroke(GfxState* state) override {
        GfxRGB rgb;
        state->getStrokeRGB(&rgb);
        int kind = paint_kind(rgb, state->getStrokeOpacity(), state->getBlendMode());
        if (kind < 0) return;
        const double lw = std::max(state->getTransformedLineWidth(), 0.0);
        const double half = lw / 2;
        const double cap = state->getLineCap() == 0 ? 0.0 : half;  // round and projecting caps reach past the end
        double phase0 = 0;
        std::vector<double> dash;
        for (double d : state->getLineDash(&phase0)) dash.push_back(state->transformWidth(d));
        double period = 0;
        for (double d : dash) period += d;
        const bool dashed = !dash.empty() && period > 0.05;
        const GfxPath* path = state->getPath();
        for (int s = 0; s < path->getNumSubpaths(); ++s) {
            const GfxSubpath* sp = path->getSubpath(s);
            const int n = sp->getNumPoints();
            // Dash phase runs on along the subpath, from its start.
            double along = dashed ? std::fmod(state->transformWidth(phase0), period) : 0;
            double px, py;
            state->transform(sp->getX(0), sp->getY(0), &px, &py);
            for (int i = 1; i < n; ++i) {
                double qx, qy;
                state->transform(sp->getX(i), sp->getY(i), &qx, &qy);
                const double len = std::hypot(qx - px, qy - py);
                const bool line = !sp->getCurve(i) && !sp->getCurve(i - 1);
                if (line && len > 0) {
                    const bool horizontal = std::abs(qy - py) <= 0.5, vertical = std::abs(qx - px) <= 0.5;
                    if (horizontal || vertical) {
                        // Lay the dashes out along [0, len).
                        std::vector<std::pair<double, double>> on;
                        if (!dashed) on.emplace_back(0.0, len);
                        else {
                            double t = 0, a = along;
                            size_t k = 0;
                            while (a >= dash[k % dash.size()]) { a -= dash[k % dash.size()]; ++k; }
                            for (int guard = 0; t < len && guard < 20000; ++guard, ++k) {
                                const double d = dash[k % dash.size()] - a;
                                a = 0;
                                if (k % 2 == 0 && d > 0) on.emplace_back(t, std::min(len, t + d));
                                t += d;
                            }
                        }
                        for (auto [a, b] : on) {
                            Paint pt;
                            pt.ink = kind == 1;
                            pt.thin = lw <= thin_max_;
                            if (horizontal) {
                                const double x0 = std::min(px, qx), dir = qx >= px ? 1 : -1;
                                const double xa = dir > 0 ? x0 + a : std::max(px, qx) - b, xb = dir > 0 ? x0 + b : std::max(px, qx) - a;
                                const double y = (py + qy) / 2;
                                pt.x0 = xa - cap; pt.x1 = xb + cap; pt.y0 = y - half; pt.y1 = y + half;
                            } else {
                                const double y0 = std::min(py, qy), dir = qy >= py ? 1 : -1;
                                const double ya = dir > 0 ? y0 + a : std::max(py, qy) - b, yb = dir > 0 ? y0 + b : std::max(py, qy) - a;
                                const double x = (px + qx) / 2;
                                pt.y0 = ya - cap; pt.y1 = yb + cap; pt.x0 = x - half; pt.x1 = x + half;
                            }
                            add(state, pt);
                        }
                    }
                }
                if (dashed) along = std::fmod(along + len, period);
                px = qx; py = qy;
            }
        }
    }

    // Images are counted, not decoded (the base class skips inline image data).
    void drawImageMask(GfxState* state, Object* ref, Stream* str, int width, int height, bool invert, bool interpolate,
                       bool inlineImg) override {
        ++images;
        OutputDev::drawImageMask(state, ref, str, width, height, invert, interpolate, inlineImg);
    }
    void drawImage(GfxState* state, Object* ref, Stream* str, int width, int height, GfxImageColorMap* colorMap,
                   bool interpolate, const int* maskColors, bool inlineImg) override {
        ++images;
        OutputDev::drawImage(state, ref, str, width, height, colorMap, interpolate, maskColors, inlineImg);
    }
    void drawMaskedImage(GfxState*, Object*, Stream*, int, int, GfxImageColorMap*, bool, Stream*, int, int, bool,
                         bool) override { ++images; }
    void drawSoftMaskedImage(GfxState*, Object*, Stream*, int, int, GfxImageColorMap*, bool, Stream*, int, int,
                             GfxImageColorMap*, bool) override { ++images; }

    void fill(GfxState* state) override { fill_rects(state); }
    void eoFill(GfxState* state) override { fill_rects(state); }

    std::vector<Paint> paints;
    int width_ = 0, height_ = 0, images = 0;

private:
    // 1: ink, 0: paper over what lies under it, -1: changes nothing we see.
    static int paint_kind(const GfxRGB& rgb, double opacity, GfxBlendMode mode) {
        if (opacity <= 0.0) return -1;
        const double gray = 255.0 * (0.299 * colToDbl(rgb.r) + 0.587 * colToDbl(rgb.g) + 0.114 * colToDbl(rgb.b));
        const double seen = 255.0 - std::min(1.0, opacity) * (255.0 - gray);  // over white paper
        if (seen < kInkGray) return 1;
        // A light paint in a darkening blend mode (multiply, …) covers nothing.
        return mode == gfxBlendNormal && opacity >= 0.99 ? 0 : -1;
    }

    void fill_rects(GfxState* state) {
        GfxRGB rgb;
        state->getFillRGB(&rgb);
        int kind = paint_kind(rgb, state->getFillOpacity(), state->getBlendMode());
        if (kind < 0) return;
        const GfxPath* path = state->getPath();
        for (int s = 0; s < path->getNumSubpaths(); ++s) {
            const GfxSubpath* sp = path->getSubpath(s);
            const int n = sp->getNumPoints();
            if (n < 4 || n > 5) continue;
            double xs[5], ys[5];
            bool curve = false;
            for (int i = 0; i < n; ++i) {
                state->transform(sp->getX(i), sp->getY(i), &xs[i], &ys[i]);
                curve = curve || sp->getCurve(i);
            }
            if (curve) continue;
            const double x0 = *std::min_element(xs, xs + n), x1 = *std::max_element(xs, xs + n);
            const double y0 = *std::min_element(ys, ys + n), y1 = *std::max_element(ys, ys + n);
            // A rectangle: every point a corner, every edge axis-aligned.
            bool rect = true;
            for (int i = 0; i < n && rect; ++i) {
                const bool corner_x = std::abs(xs[i] - x0) <= 0.5 || std::abs(xs[i] - x1) <= 0.5;
                const bool corner_y = std::abs(ys[i] - y0) <= 0.5 || std::abs(ys[i] - y1) <= 0.5;
                const int j = (i + 1) % n;
                const bool axis = std::abs(xs[j] - xs[i]) <= 0.5 || std::abs(ys[j] - ys[i]) <= 0.5;
                rect = corner_x && corner_y && axis;
            }
            if (!rect || x1 - x0 <= 0 || y1 - y0 <= 0) continue;
            Paint pt;
            pt.x0 = x0; pt.y0 = y0; pt.x1 = x1; pt.y1 = y1;
            pt.ink = kind == 1;
            pt.thin = std::min(x1 - x0, y1 - y0) <= thin_max_;
            add(state, pt);
        }
    }

    void add(GfxState* state, Paint pt) {
        double cx0, cy0, cx1, cy1;
        state->getClipBBox(&cx0, &cy0, &cx1, &cy1);
        pt.x0 = std::max(pt.x0, cx0); pt.y0 = std::max(pt.y0, cy0);
        pt.x1 = std::min(pt.x1, cx1); pt.y1 = std::min(pt.y1, cy1);
        // A hairline (width 0) is drawn one pixel wide: it keeps its extent here.
        if (pt.x1 < pt.x0 || pt.y1 < pt.y0 || (pt.x1 == pt.x0 && pt.y1 == pt.y0)) return;
        paints.push_back(pt);
    }

    double thin_max_;
};

// An embedded font file stored with /FlateDecode alone, inflated by zlib and
// libdeflate instead of Poppler: the Splash render reads every font file a
// page uses in full, and Poppler 22.12's own inflater costs several times
// their instructions per byte (a Word export embeds each page's font subsets
// anew: 11 MB of font files for 13 pages). The bytes are Poppler's: the
// first kilobyte (all a font's type is told from) comes from zlib, the rest
// at once from libdeflate over the whole stored data, and at the first thing
// either will not take (corrupt or truncated data, a wrong checksum)
// Poppler's own stream reads on from the same place. Poppler's Flate stream
// over the stored bytes stays inside (the dictionary, positions, the raw bytes).
class InflatedFontStream : public Stream {
public:
    // size_hint: the inflated size the dictionary gives (/Length1…3), 0 when none.
    InflatedFontStream(Object flate, size_t size_hint)
        : original_(std::move(flate)), flate_(original_.getStream()), raw_(flate_->getNextStream()), hint_(size_hint) {}
    ~InflatedFontStream() override { end(); }

    StreamKind getKind() const override { return flate_->getKind(); }
    void reset() override {
        end();
        out_.clear();
        at_ = given_ = 0;
        done_ = poppler_ = false;
        raw_->reset();
        z_ = z_stream{};
        if (inflateInit(&z_) == Z_OK) live_ = true;
        else to_poppler();
        first_ = true;
    }
    void close() override {
        end();
        out_ = {};
        at_ = 0;
        (poppler_ ? flate_ : raw_)->close();
    }
    int getChar() override {
        if (!poppler_ && at_ == out_.size()) refill();
        if (poppler_) return flate_->getChar();
        if (at_ == out_.size()) return EOF;
        ++given_;
        return out_[at_++];
    }
    int lookChar() override {
        if (!poppler_ && at_ == out_.size()) refill();
        if (poppler_) return flate_->lookChar();
        return at_ == out_.size() ? EOF : out_[at_];
    }
    bool hasGetChars() override { return true; }
    int getChars(int n, unsigned char* buffer) override {
        int k = 0;
        while (k < n) {
            if (!poppler_ && at_ == out_.size()) refill();
            if (poppler_) return k + flate_->doGetChars(n - k, buffer + k);
            if (at_ == out_.size()) break;
            const size_t m = std::min(static_cast<size_t>(n - k), out_.size() - at_);
            std::memcpy(buffer + k, out_.data() + at_, m);
            at_ += m;
            given_ += m;
            k += static_cast<int>(m);
        }
        return k;
    }
    int getUnfilteredChar() override { return flate_->getUnfilteredChar(); }
    void unfilteredReset() override { flate_->unfilteredReset(); }
    Goffset getPos() override { return flate_->getPos(); }
    void setPos(Goffset pos, int dir = 0) override { flate_->setPos(pos, dir); }
    bool isBinary(bool last = true) const override { return flate_->isBinary(last); }
    BaseStream* getBaseStream() override { return flate_->getBaseStream(); }
    Stream* getUndecodedStream() override { return flate_->getUndecodedStream(); }
    Dict* getDict() override { return flate_->getDict(); }
    Object* getDictObject() override { return flate_->getDictObject(); }
    Stream* getNextStream() const override { return raw_; }

private:
    void end() {
        if (live_) inflateEnd(&z_);
        live_ = false;
    }
    // The next inflated bytes into out_ (none at the end): a first small
    // piece from zlib (a font's type is told from its first bytes), then the
    // rest at once.
    void refill() {
        out_.clear();
        at_ = 0;
        if (done_ || !live_) return;
        if (!first_) { whole(); return; }
        out_.resize(1024);
        first_ = false;
        z_.next_out = out_.data();
        z_.avail_out = static_cast<uInt>(out_.size());
        while (z_.avail_out > 0) {
            if (z_.avail_in == 0) {
                z_.next_in = in_;
                z_.avail_in = static_cast<uInt>(raw_->doGetChars(sizeof in_, in_));
            }
            const int r = inflate(&z_, Z_NO_FLUSH);
            if (r == Z_STREAM_END) { done_ = true; break; }
            if (r != Z_OK) { to_poppler(); return; }
        }
        out_.resize(out_.size() - z_.avail_out);
    }
    // All the inflated bytes (libdeflate over the whole stored data), read on
    // from what was given.
    void whole() {
        end();
        std::vector<unsigned char> raw;
        raw_->reset();
        for (int n; (n = raw_->doGetChars(sizeof in_, in_)) > 0;) raw.insert(raw.end(), in_, in_ + n);
        libdeflate_decompressor* d = libdeflate_alloc_decompressor();
        libdeflate_result r = LIBDEFLATE_BAD_DATA;
        size_t got = 0;
        // (A size hint far beyond what fonts compress to is not believed:
        // the buffer grows with what is really there.)
        const bool believable = hint_ > 0 && hint_ <= 64 * raw.size() + 65536;
        for (size_t cap = believable ? hint_ : 4 * raw.size() + 4096; d && cap <= (size_t{1} << 31); cap *= 2) {
            out_.resize(cap);
            size_t used = 0;
            r = libdeflate_zlib_decompress_ex(d, raw.data(), raw.size(), out_.data(), cap, &used, &got);
            if (r != LIBDEFLATE_INSUFFICIENT_SPACE) break;
        }
        if (d) libdeflate_free_decompressor(d);
        if (r != LIBDEFLATE_SUCCESS || got < given_) { to_poppler(); return; }
        out_.resize(got);
        at_ = given_;
        done_ = true;
    }
    // From here on Poppler reads: its stream from the start, past what was given.
    void to_poppler() {
        end();
        poppler_ = true;
        out_.clear();
        at_ = 0;
        flate_->reset();
        unsigned char skip[4096];
        for (size_t left = given_; left > 0;) {
            const int n = flate_->doGetChars(static_cast<int>(std::min(left, sizeof skip)), skip);
            if (n <= 0) break;
            left -= static_cast<size_t>(n);
        }
    }

    Object original_;  // Poppler's Flate stream (owned through the object)
    Stream* flate_;
    Stream* raw_;      // the stored bytes
    z_stream z_{};
    bool live_ = false, done_ = false, poppler_ = false, first_ = true;
    size_t hint_;
    std::vector<unsigned char> out_;   // inflated bytes; out_[at_] is the next one
    size_t at_ = 0, given_ = 0;        // given_: bytes read so far
    unsigned char in_[16384];
};

// Is the stream Poppler's Flate filter alone, straight over the stored
// bytes (no predictor, no other filter, not encrypted)?
bool flate_alone(Stream* s) {
    if (s->getKind() != strFlate || !s->getNextStream() || s->getNextStream() != s->getBaseStream()) return false;
    Dict* d = s->getDict();
    if (!d) return false;
    const Object filter = d->lookup("Filter");
    const bool flate = filter.isName("FlateDecode") ||
                       (filter.isArray() && filter.arrayGetLength() == 1 && filter.arrayGet(0).isName("FlateDecode"));
    const Object parms = d->lookup("DecodeParms");
    return flate && (parms.isNull() || (parms.isArray() && parms.arrayGetLength() == 1 && parms.arrayGet(0).isNull()));
}

// A paint's pixels: edges snapped to the pixel grid, at least one pixel each way.
cv::Rect snapped(const Paint& p) {
    int x0 = static_cast<int>(std::lround(p.x0)), x1 = static_cast<int>(std::lround(p.x1));
    int y0 = static_cast<int>(std::lround(p.y0)), y1 = static_cast<int>(std::lround(p.y1));
    if (x1 <= x0) { x0 = static_cast<int>(std::floor((p.x0 + p.x1) / 2)); x1 = x0 + 1; }
    if (y1 <= y0) { y0 = static_cast<int>(std::floor((p.y0 + p.y1) / 2)); y1 = y0 + 1; }
    return {x0, y0, x1 - x0, y1 - y0};
}

// Rulings of one direction: the thin ink paints of that direction, cut where
// later paper (or a thick ink block) covers their whole thickness.
std::vector<cv::Rect> cut_rulings(const std::vector<Paint>& paints, const std::vector<cv::Rect>& px, bool horizontal) {
    std::vector<cv::Rect> out;
    for (size_t i = 0; i < paints.size(); ++i) {
        const Paint& p = paints[i];
        if (!p.ink || !p.thin) continue;
        const cv::Rect& r = px[i];
        if (horizontal ? r.width <= r.height : r.height <= r.width) continue;
        // Live stretches of the ruling along its length.
        std::vector<std::pair<int, int>> live{horizontal ? std::pair{r.x, r.x + r.width} : std::pair{r.y, r.y + r.height}};
        for (size_t k = i + 1; k < paints.size() && !live.empty(); ++k) {
            if (paints[k].ink && paints[k].thin) continue;
            const cv::Rect& e = px[k];
            const bool across = horizontal ? e.y <= r.y && e.y + e.height >= r.y + r.height
                                           : e.x <= r.x && e.x + e.width >= r.x + r.width;
            if (!across) continue;
            const int ea = horizontal ? e.x : e.y, eb = horizontal ? e.x + e.width : e.y + e.height;
            std::vector<std::pair<int, int>> next;
            for (auto [a, b] : live) {
                if (eb <= a || ea >= b) { next.emplace_back(a, b); continue; }
                if (ea > a) next.emplace_back(a, ea);
                if (eb < b) next.emplace_back(eb, b);
            }
            live = std::move(next);
        }
        for (auto [a, b] : live)
            out.push_back(horizontal ? cv::Rect(a, r.y, b - a, r.height) : cv::Rect(r.x, a, r.width, b - a));
    }
    return out;
}

// Pieces of one ruling direction joined across breaks shorter than `bridge`
// (pixels) where they share a row (column) band, as the render route's
// closing does.
std::vector<cv::Rect> bridged(std::vector<cv::Rect> v, bool horizontal, int bridge) {
    auto lo = [&](const cv::Rect& r) { return horizontal ? r.x : r.y; };
    auto hi = [&](const cv::Rect& r) { return horizontal ? r.x + r.width : r.y + r.height; };
    auto a0 = [&](const cv::Rect& r) { return horizontal ? r.y : r.x; };
    auto a1 = [&](const cv::Rect& r) { return horizontal ? r.y + r.height : r.x + r.width; };
    std::sort(v.begin(), v.end(), [&](const cv::Rect& a, const cv::Rect& b) {
        return a0(a) != a0(b) ? a0(a) < a0(b) : lo(a) < lo(b);
    });
    std::vector<bool> used(v.size(), false);
    std::vector<cv::Rect> out;
    for (size_t i = 0; i < v.size(); ++i) {
        if (used[i]) continue;
        cv::Rect cur = v[i];
        used[i] = true;
        for (bool grew = true; grew;) {
            grew = false;
            for (size_t k = i + 1; k < v.size(); ++k) {
                if (used[k]) continue;
                if (a0(v[k]) >= a1(cur)) break;  // sorted by band start: no later piece shares the band
                const bool share = a0(v[k]) < a1(cur) && a1(v[k]) > a0(cur);
                const bool near = lo(v[k]) <= hi(cur) + bridge - 1 && hi(v[k]) >= lo(cur) - bridge + 1;
                if (share && near) { cur |= v[k]; used[k] = true; grew = true; }
            }
        }
        out.push_back(cur);
    }
    return out;
}

}  // namespace

int PagePaints::ink_segments() const {
    return static_cast<int>(std::count_if(paints.begin(), paints.end(), [](const Paint& p) { return p.ink && p.thin; }));
}

struct PopplerReader::Impl {
    // Poppler's global parameters, counted: alive while any reader (or
    // poppler-cpp document) is; its own complaints are not ours to print.
    GlobalParamsIniter params{[](ErrorCategory, Goffset, const char*) {}};
    std::shared_ptr<const std::string> bytes;
    std::unique_ptr<PDFDoc> doc;
    // The light render's device, kept for the document (after doc: destroyed first).
    std::unique_ptr<SplashOutputDev> splash;
    std::set<std::pair<int, int>> wrapped_fonts;  // font files already wrapped

    // The page's font files (its resources' /Font, a Type0 font's
    // descendant) inflated by zlib and libdeflate from now on
    // (InflatedFontStream): the XRef
    // gives the wrapped stream for their reference.
    void inflate_font_files(int page) {
        XRef* xref = doc->getXRef();
        Page* p = doc->getPage(page);
        Dict* res = p ? p->getResourceDict() : nullptr;
        if (!res || xref->isEncrypted()) return;
        const Object fonts = res->lookup("Font");
        if (!fonts.isDict()) return;
        for (int i = 0; i < fonts.dictGetLength(); ++i) {
            Object font = fonts.dictGetVal(i);
            if (!font.isDict()) continue;
            if (font.dictLookup("Subtype").isName("Type0")) {
                const Object descendants = font.dictLookup("DescendantFonts");
                if (!descendants.isArray() || descendants.arrayGetLength() < 1) continue;
                font = descendants.arrayGet(0);
                if (!font.isDict()) continue;
            }
            const Object desc = font.dictLookup("FontDescriptor");
            if (!desc.isDict()) continue;
            for (const char* key : {"FontFile", "FontFile2", "FontFile3"}) {
                const Object& ref = desc.dictLookupNF(key);
                if (!ref.isRef() || !wrapped_fonts.insert({ref.getRefNum(), ref.getRefGen()}).second) continue;
                Object file = ref.fetch(xref);
                if (!file.isStream() || !flate_alone(file.getStream())) continue;
                size_t hint = 0;
                for (const char* length : {"Length1", "Length2", "Length3"}) {
                    const Object l = file.streamGetDict()->lookup(length);
                    if (l.isInt() && l.getInt() > 0) hint += static_cast<size_t>(l.getInt());
                }
                const Object wrapped(static_cast<Stream*>(new InflatedFontStream(std::move(file), hint)));
                xref->setModifiedObject(&wrapped, ref.getRef());
            }
        }
    }
};

PopplerReader::PopplerReader(std::shared_ptr<const std::string> bytes) : impl_(std::make_unique<Impl>()) {
    impl_->bytes = std::move(bytes);
    auto* str = new MemStream(impl_->bytes->data(), 0, static_cast<Goffset>(impl_->bytes->size()), Object(objNull));
    // As poppler-cpp's document::load_from_raw_data: empty owner and user passwords.
    impl_->doc = std::make_unique<PDFDoc>(str, GooString(""), GooString(""));  // owns the stream
    if (!impl_->doc->isOk()) {
        const bool encrypted = impl_->doc->getErrorCode() == errEncrypted;
        throw PdfOpenError(encrypted ? "the PDF is encrypted" : "Poppler cannot read the PDF", encrypted);
    }
}

int PopplerReader::page_count() const { return impl_->doc->getNumPages(); }

cv::Size2d PopplerReader::crop_size_pt(int page, int* rotate) const {
    Page* p = page >= 1 && page <= impl_->doc->getNumPages() ? impl_->doc->getPage(page) : nullptr;
    if (!p) throw std::runtime_error("page " + std::to_string(page) + " cannot be loaded");
    // poppler-cpp's page_rect: a rectf made of the box's corner and extent.
    const PDFRectangle* b = p->getCropBox();
    const poppler::rectf r(b->x1, b->y1, b->x2 - b->x1, b->y2 - b->y1);
    if (rotate) *rotate = p->getRotate();
    return {r.width(), r.height()};
}

std::vector<PdfWord> PopplerReader::words(int page) const {
    if (page < 1 || page > impl_->doc->getNumPages() || !impl_->doc->getPage(page))
        throw std::runtime_error("page " + std::to_string(page) + " cannot be loaded");
    // poppler-cpp's page::text_list(): the same device, the same page
    // display (72 dpi, rotation 0, crop box, no cropping, not printing), the
    // same word list. (It copies the XRef for the pass; this reader's PDFDoc
    // is its thread's own, the pass reads the same objects without a copy.)
    TextOutputDev dev(nullptr, false, 0, false, false);
    impl_->doc->displayPageSlice(&dev, page, 72, 72, 0, false, false, false, -1, -1, -1, -1);
    std::vector<PdfWord> out;
    std::unique_ptr<TextWordList> list = dev.makeWordList();
    if (!list) return out;
    out.reserve(static_cast<size_t>(list->getLength()));
    for (int i = 0; i < list->getLength(); ++i) {
        const TextWord* word = list->get(i);
        const std::unique_ptr<GooString> text(word->getText());
        PdfWord w;
        // poppler-cpp keeps the text as UTF-16 (up to a NUL); to_utf8 gives it back.
        const std::vector<char> utf8 = poppler::ustring::from_utf8(text->c_str()).to_utf8();
        w.text.assign(utf8.begin(), utf8.end());
        w.space_after = word->hasSpaceAfter();
        w.chars.reserve(static_cast<size_t>(word->getLength()));
        for (int j = 0; j < word->getLength(); ++j) {
            double x0, y0, x1, y1;
            word->getCharBBox(j, &x0, &y0, &x1, &y1);
            const poppler::rectf r(x0, y0, x1 - x0, y1 - y0);  // text_box's char_bbox
            w.chars.push_back({r.left(), r.top(), r.right(), r.bottom()});
        }
        out.push_back(std::move(w));
    }
    return out;
}

PopplerReader::~PopplerReader() = default;

cv::Mat PopplerReader::render_gray(int page, int dpi) const {
    if (page < 1 || page > impl_->doc->getNumPages()) throw std::runtime_error("page " + std::to_string(page) + " out of range");
    if (!impl_->splash) {
        // poppler-cpp's page_renderer::render_page with format_gray8, paper
        // white, the default thin-line mode, antialiasing and text
        // antialiasing on, no hinting (PdfDocument::render_gray) — one
        // device for all pages instead of one per page. No paper colour:
        // Splash keeps the page's alpha, and the paper goes under it below
        // together with the copy, instead of in a pass of its own at the
        // end of every page.
        impl_->splash = std::make_unique<SplashOutputDev>(splashModeMono8, 4, false, nullptr, true, splashThinLineDefault);
        impl_->splash->setFontAntialias(true);
        impl_->splash->setVectorAntialias(true);
        impl_->splash->setFreeTypeHinting(false, false);
        impl_->splash->startDoc(impl_->doc.get());
    }
    impl_->inflate_font_files(page);
    impl_->doc->displayPageSlice(impl_->splash.get(), page, dpi, dpi, 0, false, true, false, -1, -1, -1, -1);
    SplashBitmap* b = impl_->splash->getBitmap();
    if (!b || b->getWidth() <= 0 || b->getHeight() <= 0 || !b->getAlphaPtr())
        throw std::runtime_error("page " + std::to_string(page) + " failed to render");
    // White paper under the page: Splash::compositeBackground's arithmetic
    // (its div255 of (255 - alpha) * 255 + alpha * gray), pixel for pixel.
    const int w = b->getWidth(), h = b->getHeight();
    cv::Mat out(h, w, CV_8UC1);
    for (int y = 0; y < h; ++y) {
        const unsigned char* gray = b->getDataPtr() + static_cast<ptrdiff_t>(y) * b->getRowSize();
        const unsigned char* alpha = b->getAlphaPtr() + static_cast<ptrdiff_t>(y) * w;
        unsigned char* o = out.ptr<unsigned char>(y);
        for (int x = 0; x < w; ++x) {
            const int a = alpha[x], v = (255 - a) * 255 + a * gray[x];
            o[x] = static_cast<unsigned char>((v + (v >> 8) + 0x80) >> 8);
        }
    }
    return out;
}

PagePaints PopplerReader::paints(int page, int dpi, double thin_max_px) const {
    if (page < 1 || page > impl_->doc->getNumPages()) throw std::runtime_error("page " + std::to_string(page) + " out of range");
    PaintCollector out(thin_max_px);
    // As poppler-cpp's page_renderer: crop box, the page's /Rotate, not printing.
    impl_->doc->displayPage(&out, page, dpi, dpi, 0, false, true, false);
    PagePaints pp;
    pp.paints = std::move(out.paints);
    pp.width = out.width_;
    pp.height = out.height_;
    pp.images = out.images;
    return pp;
}

layout::LineMasks line_masks_from_paints(const std::vector<Paint>& paints, cv::Size size, int dpi,
                                         const layout::Params& p) {
    std::vector<cv::Rect> px(paints.size());
    for (size_t i = 0; i < paints.size(); ++i) px[i] = snapped(paints[i]);
    const cv::Rect page(0, 0, size.width, size.height);
    const int bridge = mm(p.gap_bridge_mm, dpi);
    auto hs = bridged(cut_rulings(paints, px, true), true, bridge);
    auto vs_cut = cut_rulings(paints, px, false);
    auto vs = bridged(vs_cut, false, bridge);

    layout::LineMasks m;
    m.horizontal = cv::Mat::zeros(size, CV_8U);
    m.vertical = cv::Mat::zeros(size, CV_8U);
    m.pieces = cv::Mat::zeros(size, CV_8U);
    const int h_min = mm(4.0, dpi);  // find_line_masks' horizontal opening
    for (const auto& r : hs) {
        const cv::Rect c = r & page;
        if (c.width >= h_min) m.horizontal(c).setTo(255);
    }
    // Vertical rulings: at least 2.5 mm; shorter than line_min_len_mm only
    // when both ends meet a horizontal ruling (find_line_masks' rule).
    const int v_min = mm(2.5, dpi), len = mm(p.line_min_len_mm, dpi);
    auto near_h = [&](int x, int y) {
        for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx) {
                const int xx = x + dx, yy = y + dy;
                if (xx >= 0 && yy >= 0 && xx < size.width && yy < size.height && m.horizontal.at<uchar>(yy, xx)) return true;
            }
        return false;
    };
    for (const auto& r : vs) {
        const cv::Rect c = r & page;
        if (c.height < v_min) continue;
        const int x = c.x + c.width / 2;
        if (c.height >= len || (near_h(x, c.y) && near_h(x, c.y + c.height - 1))) m.vertical(c).setTo(255);
    }
    const int piece_min = mm(0.8, dpi);
    for (const auto& r : vs_cut) {
        const cv::Rect c = r & page;
        if (c.height >= piece_min) m.pieces(c).setTo(255);
    }
    return m;
}

}  // namespace fiscan::pdf
