// `prism report RUN_DIR`: one self-contained HTML page (inline SVG) for a run.
#include <iostream>

#include "cli/command.h"
#include "prism/locus_view.h"
#include "prism/log.h"
#include "prism/report.h"

namespace prism::cli {

void RegisterReport(CLI::App& app) {
  struct Opts {
    std::string run_dir, out, locus;
  };
  auto opts = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand(
      "report", "write one self-contained HTML page with the run's plots, QC and reflection");
  cmd->add_option("RUN_DIR", opts->run_dir, "run folder")->required();
  cmd->add_option("-o,--out", opts->out, "output file (default RUN_DIR/report.html)");
  cmd->add_option("--locus", opts->locus,
                  "RUN_DIR is a prism score output: the locus view of this gene (promoter name), "
                  "written to RUN_DIR/locus-GENE.html");
  cmd->callback([opts] {
    std::string path = opts->locus.empty() ? WriteReport(opts->run_dir, opts->out)
                                           : WriteLocusView(opts->run_dir, opts->locus, opts->out);
    Log::Info("report written");
    std::cout << path << std::endl;
  });
}

}  // namespace prism::cli
