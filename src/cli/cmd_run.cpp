// `prism run`: the whole research loop (prism/pipeline.h); this file only parses the options.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "prism/pipeline.h"

namespace prism::cli {

void RegisterRun(CLI::App& app) {
  auto a = std::make_shared<PipelineOptions>();
  auto* cmd = app.add_subcommand(
      "run", "the whole loop: simulate (or --data) -> audit -> train -> predict -> qc -> reflect -> report");
  cmd->add_option("-o,--out", a->out, "folder for data, run, ledger and report")->capture_default_str();
  cmd->add_option("--data", a->data, "a domain-kl folder to use instead of the embedded simulation");
  cmd->add_option("--sim-preset", a->sim_preset, "simulation preset when no --data (tiny | default)")
      ->capture_default_str();
  cmd->add_option("--seed", a->seed, "seed for simulation and training")->capture_default_str();
  cmd->add_option("--config", a->config, "training configuration (TOML); default: the built-in one for the preset");
  cmd->add_option("--lang", a->lang, "language of the QC and reflection reports (zh | en)")
      ->capture_default_str();
  cmd->add_option("--threads", a->threads, "intra-op threads (0 = the global --threads, default all cores)")->capture_default_str();
  cmd->add_flag("--force", a->force, "train even when the estimated memory of the model and one "
                                     "batch exceeds the machine's");
  cmd->add_flag("--no-baselines", a->no_baselines,
                "do not fit the built-in baselines (distance, kmer_logreg, xgboost; "
                "docs/baselines.md) next to the model");
  cmd->callback([a] { RunPipeline(*a, std::cout); });
}

}  // namespace prism::cli
