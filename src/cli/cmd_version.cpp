#include <iostream>

#include "cli/command.h"
#include "prism/version.h"

namespace prism::cli {

void RegisterVersion(CLI::App& app) {
  auto* cmd = app.add_subcommand("version", "print version and build information");
  cmd->callback([] { std::cout << prism::VersionString() << std::endl; });
}

}  // namespace prism::cli
