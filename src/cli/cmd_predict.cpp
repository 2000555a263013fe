// `prism predict RUN_DIR`: context-aware prediction of the held-out cell lines of a run.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "prism/run_lock.h"
#include "prism/train.h"

namespace prism::cli {

void RegisterPredict(CLI::App& app) {
  auto args = std::make_shared<PredictOptions>();
  auto* cmd = app.add_subcommand(
      "predict", "score a split with a trained run (context-aware per cell line); writes "
                 "RUN/predictions/<split>.csv, metrics/<split>.json, results.md, "
                 "diagnostics.json (and with sequence data shortcut_reliance.json) and prints the "
                 "result table");
  cmd->add_option("run", args->run_dir, "run folder written by prism train")->required();
  cmd->add_option("--data", args->data_dir, "domain-kl folder (default: the run's data.dir)");
  cmd->add_option("--split", args->split, "test | val | train (default test)");
  cmd->add_flag("--context-free", args->context_free,
                "e_c = uniform mix of the prototypes instead of the cell line's own context");
  cmd->add_flag("--no-calibration", args->no_calibration,
                "no context calibration of the resistance (model.context_calibration) for this "
                "prediction");
  cmd->add_option("--checkpoint", args->checkpoint, "best | last (default best)");
  cmd->add_option("--threads", args->threads, "torch threads (default: all cores)");
  auto no_baselines = std::make_shared<bool>(false);
  cmd->add_flag("--no-baselines", *no_baselines,
                "no built-in baselines in metrics/<split>.json and results.md");
  cmd->add_flag("--no-shortcut-reliance", [args](int64_t) { args->shortcut_reliance = false; },
                "skip the shortcut-reliance measurement (RUN/shortcut_reliance.json: the audit's "
                "cell-specific k-mers planted into and removed from the unseen-cell enhancers)");
  cmd->callback([args, no_baselines] {
    args->baselines = !*no_baselines;
    RunLock lock = RunLock::AcquireExisting(args->run_dir, "prism predict");
    PredictSummary s = PredictRun(*args);
    std::cout << s.table_markdown;
  });
}

}  // namespace prism::cli
