// Each sub-command of the `fiscan` binary lives in its own file and registers
// itself here; main.cpp only parses and dispatches.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>

namespace fiscan::cli {

// A registered command returns the process exit status through `run`.
using Runner = std::function<int()>;

void register_extract(CLI::App& app, Runner& run);   // cmd_extract.cpp
void register_eval(CLI::App& app, Runner& run);      // cmd_eval.cpp
void register_validate(CLI::App& app, Runner& run);  // cmd_validate.cpp
void register_batch(CLI::App& app, Runner& run);     // cmd_batch.cpp
void register_serve(CLI::App& app, Runner& run);     // cmd_serve.cpp (serve + worker)

}  // namespace fiscan::cli
