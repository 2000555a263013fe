// `prism report RUN_DIR`: one self-contained HTML page (inline SVG) for a run.
#include <iostream>

#include "cli/command.h"
#include "prism/locus_view.h"
#include "prism/log.h"
#include "prism/report.h"
#include "prism/run_lock.h"

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
    // Writing into the run folder takes its lock; a report written elsewhere only reads it
    // (every run file is replaced atomically), so it also works on a read-only archive.
    // --locus: RUN_DIR is a prism score output folder (no run lock; it only reads it).
    if (!opts->locus.empty()) {
      std::cout << WriteLocusView(opts->run_dir, opts->locus, opts->out) << std::endl;
      return;
    }
    RunLock lock;
    if (opts->out.empty()) lock = RunLock::AcquireExisting(opts->run_dir, "prism report");
    else RequireRunFolder(opts->run_dir);
    std::string path = WriteReport(opts->run_dir, opts->out);
    Log::Info("report written");
    std::cout << path << std::endl;
  });
}

}  // namespace prism::cli
