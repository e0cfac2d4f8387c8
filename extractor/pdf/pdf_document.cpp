#include "pdf/pdf_document.hpp"

#include "pipeline/pipeline.hpp"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include <opencv2/imgproc.hpp>

#include <cmath>
#include <cstring>
#include <fstream>
#include <mutex>
#include <sstream>

namespace fiscan::pdf {

namespace {

void quiet_poppler() {
    // Poppler prints parser complaints to stderr; we report our own one-line errors.
    static std::once_flag once;
    std::call_once(once, [] { poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr); });
}

std::unique_ptr<poppler::page> load_page(const poppler::document& doc, int page) {
    std::unique_ptr<poppler::page> p(doc.create_page(page - 1));
    if (!p) throw std::runtime_error("page " + std::to_string(page) + " cannot be loaded");
    return p;
}

// Decode one UTF-8 code point at s[i]; returns the code point and advances i.
char32_t next_cp(const std::string& s, size_t& i) {
    auto c = static_cast<unsigned char>(s[i]);
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
    char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
    i += n;
    return cp;
}

}  // namespace

std::shared_ptr<const std::string> read_pdf_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError("cannot open " + path + ": " + std::strerror(errno));
    std::ostringstream ss;
    ss << in.rdbuf();
    auto bytes = std::make_shared<std::string>(ss.str());
    if (bytes->empty()) throw InputError(path + " is empty");
    // %PDF- may follow a little leading junk (the spec tolerates 1024 bytes).
    auto head = bytes->substr(0, std::min<size_t>(bytes->size(), 1024));
    if (head.find("%PDF-") == std::string::npos) throw InputError(path + " is not a PDF (no %PDF- header)");
    return bytes;
}

PdfDocument::PdfDocument(std::shared_ptr<const std::string> bytes, std::unique_ptr<PopplerReader> reader)
    : bytes_(std::move(bytes)), reader_(std::move(reader)) {}

PdfDocument::~PdfDocument() = default;

std::unique_ptr<PdfDocument> PdfDocument::open(std::shared_ptr<const std::string> bytes) {
    quiet_poppler();
    std::unique_ptr<PopplerReader> reader;
    try {
        reader = std::make_unique<PopplerReader>(bytes);
    } catch (const PdfOpenError& e) {
        if (e.encrypted) throw InputError("the PDF is encrypted and needs a password");
        throw InputError("not a readable PDF (damaged or truncated)");
    }
    if (reader->page_count() <= 0) throw InputError("the PDF has no pages");
    return std::unique_ptr<PdfDocument>(new PdfDocument(std::move(bytes), std::move(reader)));
}

int PdfDocument::page_count() const { return reader_->page_count(); }

cv::Size2d PdfDocument::page_size_pt(int page) const {
    int rotate = 0;
    auto size = reader_->crop_size_pt(page, &rotate);
    double w = size.width, h = size.height;
    if (rotate == 90 || rotate == 270) std::swap(w, h);  // poppler-cpp's landscape and seascape
    return {std::abs(w), std::abs(h)};
}

cv::Mat PdfDocument::render_gray(int page, int dpi) const {
    if (!render_doc_) {
        render_doc_.reset(poppler::document::load_from_raw_data(bytes_->data(), static_cast<int>(bytes_->size())));
        if (!render_doc_ || render_doc_->is_locked()) throw std::runtime_error("poppler-cpp cannot read the PDF");
    }
    auto p = load_page(*render_doc_, page);
    poppler::page_renderer r;
    r.set_render_hint(poppler::page_renderer::antialiasing, true);
    r.set_render_hint(poppler::page_renderer::text_antialiasing, true);
    r.set_image_format(poppler::image::format_gray8);
    poppler::image img = r.render_page(p.get(), dpi, dpi);
    if (!img.is_valid() || img.width() <= 0 || img.height() <= 0)
        throw std::runtime_error("page " + std::to_string(page) + " failed to render");
    cv::Mat view(img.height(), img.width(), CV_8UC1, const_cast<char*>(img.const_data()),
                 static_cast<size_t>(img.bytes_per_row()));
    return view.clone();
}

cv::Mat PdfDocument::render_gray_kept(int page, int dpi) const { return reader_->render_gray(page, dpi); }

std::vector<Glyph> PdfDocument::glyphs(int page, int dpi) const {
    const double s = dpi / 72.0;
    std::vector<Glyph> out;
    for (const PdfWord& w : reader_->words(page)) {
        size_t i = 0, k = 0;
        while (i < w.text.size()) {
            size_t start = i;
            next_cp(w.text, i);
            // (text_box::char_bbox: an empty box past the last character)
            const PdfWord::CharBox r = k < w.chars.size() ? w.chars[k] : PdfWord::CharBox{};
            ++k;
            Glyph g;
            g.text = w.text.substr(start, i - start);
            g.bbox = {static_cast<int>(std::floor(r.left * s)), static_cast<int>(std::floor(r.top * s)),
                      static_cast<int>(std::ceil(r.right * s)), static_cast<int>(std::ceil(r.bottom * s))};
            out.push_back(std::move(g));
        }
        if (!out.empty()) out.back().space_after = w.space_after;
    }
    return out;
}

PagePaints PdfDocument::vector_paints(int page, int dpi, double thin_max_px) const {
    return reader_->paints(page, dpi, thin_max_px);
}

TextLayerVerdict judge_text_layer(const std::vector<Glyph>& glyphs) {
    TextLayerVerdict v;
    v.glyphs = static_cast<int>(glyphs.size());
    int latin_ext = 0;
    for (const auto& g : glyphs) {
        size_t i = 0;
        char32_t cp = next_cp(g.text, i);
        if (cp >= 0x4E00 && cp <= 0x9FFF) ++v.cjk;
        else if (cp >= '0' && cp <= '9') ++v.digits;
        else if ((cp >= 0xE000 && cp <= 0xF8FF) || cp == 0xFFFD || cp < 0x20) ++v.suspicious;
        else if (cp >= 0x80 && cp <= 0x24F) ++latin_ext;  // mojibake of CJK fonts without ToUnicode
        if (g.bbox.empty()) ++v.suspicious;
    }
    v.suspicious += latin_ext;
    if (v.glyphs < 20) { v.reason = "no text layer"; return v; }
    double bad = static_cast<double>(v.suspicious) / v.glyphs;
    if (bad > 0.05) { v.reason = "text layer looks garbled (" + std::to_string(v.suspicious) + " suspicious glyphs)"; return v; }
    if (v.cjk + v.digits < v.glyphs / 2) { v.reason = "text layer has too little CJK or digit text"; return v; }
    v.usable = true;
    v.reason = "text layer plausible";
    return v;
}

}  // namespace fiscan::pdf
