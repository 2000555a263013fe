// `prism train --config run.toml`: trains a model and writes the run folder.
#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "prism/compute_threads.h"
#include "prism/error.h"
#include "prism/log.h"
#include "prism/run_lock.h"
#include "prism/run_name.h"
#include "prism/train.h"

namespace prism::cli {

void RegisterTrain(CLI::App& app) {
  struct Args {
    std::string config, out, data, preset;
    bool resume = false, print_params = false, force = false, no_baselines = false;
    int threads = 0;
    int64_t epochs = 0;
    int64_t max_steps = 0;
    int world_size = 1, rank = 0;
    std::string master = "127.0.0.1:29500";
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "train", "train a PRISM model from a TOML config; writes RUN/{run.json,config.toml,"
               "train_log.jsonl,checkpoints/}");
  cmd->add_option("-c,--config", args->config, "training config (TOML, see docs/train-config.md)");
  cmd->add_option("-o,--out", args->out, "run folder (default: runs/<name>)");
  cmd->add_option("--data", args->data, "domain-kl data folder (overrides data.dir)");
  cmd->add_option("--epochs", args->epochs, "override train.epochs");
  cmd->add_flag("--resume", args->resume, "continue from RUN/checkpoints/last.pt");
  cmd->add_flag("--force", args->force,
                "train even when the estimated memory of the model and one batch exceeds the "
                "machine's; with --resume: continue although the config or data changed "
                "(recorded in run.json)");
  cmd->add_option("--threads", args->threads, "torch threads (default: all cores)");
  cmd->add_flag("--no-baselines", args->no_baselines,
                "do not fit the built-in baselines on the run's splits (RUN/baselines.json; "
                "docs/baselines.md)");
  cmd->add_flag("--print-params", args->print_params,
                "print the parameter count of the configured model and exit");
  cmd->add_option("--max-steps", args->max_steps,
                  "stop after this many optimiser steps (benchmarks; 0 = no limit)");
  cmd->add_option("--world-size", args->world_size,
                  "data-parallel training over this many processes (docs/distributed.md)");
  cmd->add_option("--rank", args->rank, "this process's rank, 0..world-size-1 (rank 0 writes "
                                        "the run folder)");
  cmd->add_option("--master", args->master, "ADDR:PORT where rank 0 hosts the rendezvous "
                                            "(default 127.0.0.1:29500)");
  cmd->add_option("--preset", args->preset, "built-in configuration the config's keys override "
                                             "(replaces its `preset`), or alone: that configuration");
  cmd->callback([args] {
    TrainConfig config;
    if (!args->config.empty()) config = ReadTrainConfig(args->config, args->preset);
    else if (!args->preset.empty()) config = BuiltinTrainConfig(args->preset);
    else if (!args->print_params) throw Error("train: --config (or --preset) is required");
    if (args->print_params) {
      std::cout << "preset " << config.preset << " (" << config.data.kind << " input, "
                << "4 training cell lines): " << CountModelParameters(config) << " parameters"
                << std::endl;
      return;
    }
    if (!args->data.empty()) {
      if (config.data.kind != "sequence") throw Error("--data needs data.kind = \"sequence\"");
      // Absolute, so the run folder's config.toml (read back by predict) finds it from anywhere.
      config.data.dir = std::filesystem::absolute(args->data).lexically_normal().string();
    }
    if (args->epochs > 0) config.train.epochs = args->epochs;
    TrainRunOptions opt;
    if (args->out.empty()) CheckRunName(config.name, config.source.empty() ? "train" : config.source);
    opt.out_dir = args->out.empty() ? "runs/" + config.name : args->out;
    opt.resume = args->resume;
    opt.force = args->force;
    opt.baselines = !args->no_baselines;
    // --threads here, else the global `prism --threads` (already applied by main).
    opt.threads = args->threads > 0 ? args->threads : ComputeThreads();
    opt.max_steps = args->max_steps;
    opt.world_size = args->world_size;
    opt.rank = args->rank;
    opt.master = args->master;
    if (opt.world_size < 1) throw Error("--world-size must be >= 1");
    // One writer per run folder (rank 0 writes it; the other ranks only train).
    RunLock lock = opt.rank == 0 ? RunLock::Acquire(opt.out_dir, "prism train") : RunLock();
    TrainSummary s = TrainRun(config, opt);
    const bool trees = config.model.kind == "xgboost";  // one boosting round per log line
    std::cout << "trained " << s.epochs_run << (trees ? " rounds in " : " epochs in ") << s.seconds
              << " s; best " << (trees ? "round " : "epoch ") << s.best_epoch << " (val AUPR "
              << s.best_val_aupr << ")" << (s.early_stopped ? ", early stopped" : "") << "; "
              << s.parameters << (trees ? " tree nodes" : " parameters") << "; run folder "
              << opt.out_dir << std::endl;
  });
}

}  // namespace prism::cli
