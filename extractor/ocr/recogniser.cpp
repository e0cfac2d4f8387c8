#include "ocr/recogniser.hpp"

namespace fiscan::ocr {

std::vector<Reading> Recogniser::recognise_batch(const std::vector<Crop>& crops) {
    std::vector<Reading> out;
    out.reserve(crops.size());
    for (const auto& c : crops) out.push_back(recognise(c));
    return out;
}

}  // namespace fiscan::ocr
