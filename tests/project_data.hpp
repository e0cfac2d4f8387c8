// The project's own data folders, loaded once per test binary: the schemas
// of layouts/ and the lexicons of models/lexicon/.
#pragma once

#include "schema/stage.hpp"

#include <string>

namespace fiscan::testing {

inline const SchemaSet& project_schemas() {
    static SchemaSet s = load_schemas(std::string(FISCAN_SOURCE_DIR) + "/layouts");
    return s;
}

inline const Lexicon& project_lexicon() {
    static Lexicon l = load_lexicon(std::string(FISCAN_SOURCE_DIR) + "/models/lexicon");
    return l;
}

}  // namespace fiscan::testing
