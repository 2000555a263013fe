// The prism executable: parse, run one subcommand, turn errors into a message and exit 1.
#include <iostream>

#include "cli/command.h"
#include "prism/blas.h"
#include "prism/compute_threads.h"
#include "prism/error.h"
#include "prism/log.h"

int main(int argc, char** argv) {
  prism::EnsureBlasCoreType(argc, argv);  // may re-exec once so OpenBLAS loads the right kernels
  CLI::App app{"prism - enhancer-promoter interaction prediction that holds on unseen cell lines"};
  app.require_subcommand(1);
  bool quiet = false, verbose = false;
  app.add_flag("-q,--quiet", quiet, "only warnings and errors");
  app.add_flag("-v,--verbose", verbose, "debug messages");
  int threads = 0;
  std::string blas_coretype;
  app.add_option("--threads", threads, "compute threads (LibTorch and BLAS); 0 = all cores")
      ->check(CLI::NonNegativeNumber);
  app.add_option("--blas-coretype", blas_coretype,
                 "OpenBLAS kernels: auto (detect), none, Haswell, SkylakeX, ... "
                 "(also PRISM_BLAS_CORETYPE)");
  app.parse_complete_callback([&] {
    if (quiet) prism::Log::SetLevel(prism::LogLevel::kWarning);
    if (verbose) prism::Log::SetLevel(prism::LogLevel::kDebug);
    prism::SetComputeThreads(threads);
    const std::string blas_warning = prism::BlasChoiceWarning();
    if (!blas_warning.empty()) prism::Log::Warning("BLAS: " + blas_warning);
    prism::Log::Debug(prism::BlasSummary());
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
