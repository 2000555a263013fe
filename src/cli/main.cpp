// The prism executable: parse, run one subcommand, turn errors into a message and exit 1.
#include <iostream>

#include "cli/command.h"
#include "prism/error.h"
#include "prism/log.h"

int main(int argc, char** argv) {
  CLI::App app{"prism - enhancer-promoter interaction prediction that holds on unseen cell lines"};
  app.require_subcommand(1);
  bool quiet = false, verbose = false;
  app.add_flag("-q,--quiet", quiet, "only warnings and errors");
  app.add_flag("-v,--verbose", verbose, "debug messages");
  app.parse_complete_callback([&] {
    if (quiet) prism::Log::SetLevel(prism::LogLevel::kWarning);
    if (verbose) prism::Log::SetLevel(prism::LogLevel::kDebug);
  });
  for (const auto& c : prism::cli::Commands()) c.reg(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const prism::Error& e) {
    std::cerr << "prism: error: " << e.what() << std::endl;
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "prism: internal error: " << e.what() << std::endl;
    return 1;
  }
  return prism::cli::ExitCode();
}
