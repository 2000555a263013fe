// prism simulate: synthetic cross-cell data with known ground truth (see docs/simulator.md).
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <vector>

#include "cli/command.h"
#include "prism/log.h"
#include "prism/simulate.h"
#include "prism/simulated_genome.h"

namespace prism::cli {
namespace {

struct SimulateArgs {
  std::string preset = "default", out;
  uint64_t seed = 1;
  bool no_shortcuts = false, shortcut_gc_alternate = false;
  bool genome = false;
};

/// Command-line options that, when given, override one field of the preset's SimulationOptions.
class Overrides {
 public:
  template <typename T>
  CLI::Option* Add(CLI::App* cmd, const std::string& flag, T SimulationOptions::*field,
                   const std::string& help) {
    auto value = std::make_shared<T>();
    CLI::Option* opt = cmd->add_option(flag, *value, help);
    apply_.push_back([opt, value, field](SimulationOptions& o) {
      if (opt->count()) o.*field = *value;
    });
    return opt;
  }
  void Apply(SimulationOptions& o) const {
    for (const auto& f : apply_) f(o);
  }

 private:
  std::vector<std::function<void(SimulationOptions&)>> apply_;
};

void PrintSummary(const SimulationResult& r, const std::string& out) {
  std::printf("simulation (%s, seed %llu) written to %s\n", r.options.preset.c_str(),
              static_cast<unsigned long long>(r.options.seed), out.c_str());
  std::printf("%-8s %-6s %8s %9s %9s %12s %16s %15s\n", "group", "split", "pairs", "positives",
              "pos_rate", "AUPR(p_true)", "AUPR(env_blind)", "AUPR(shortcut)");
  auto row = [](const OracleSummary& s, const char* indent) {
    std::printf("%s%-*s %-6s %8ld %9ld %9.3f %12.3f %16.3f %15.3f\n", indent,
                8 - static_cast<int>(std::string(indent).size()), s.name.c_str(),
                s.split.c_str(), s.pairs, s.positives, s.positive_rate, s.aupr_true,
                s.aupr_env_blind, s.aupr_shortcut);
  };
  for (const OracleSummary& s : r.splits) {
    row(s, "");
    for (const OracleSummary& c : r.per_cell)
      if (c.split == s.name) row(c, "  ");
  }
}

}  // namespace

void RegisterSimulate(CLI::App& app) {
  auto args = std::make_shared<SimulateArgs>();
  auto* cmd = app.add_subcommand(
      "simulate", "write synthetic cross-cell EPI data (domain-kl layout) with oracle probabilities");
  cmd->add_option("--preset", args->preset, "tiny | default")->capture_default_str();
  cmd->add_option("--seed", args->seed, "random seed (same seed, same files)")
      ->capture_default_str();
  cmd->add_option("-o,--out", args->out, "output folder")->required();
  cmd->add_flag("--no-shortcuts", args->no_shortcuts,
                "no spurious k-mer / GC shortcuts in the training cells");
  cmd->add_flag("--genome", args->genome,
                "also write genome.fa(.fai), enhancers.bed, promoters.bed, pairs.bedpe "
                "(the elements placed on a synthetic genome, one chromosome per cell line)");
  auto over = std::make_shared<Overrides>();
  using SO = SimulationOptions;
  over->Add(cmd, "--train-pairs", &SO::train_pairs, "pairs in train");
  auto* o_val_pairs = over->Add(cmd, "--val-pairs", &SO::val_pairs, "pairs in val");
  over->Add(cmd, "--test-pairs", &SO::test_pairs, "pairs in test");
  over->Add(cmd, "--train-cells", &SO::train_cells, "train cell lines");
  auto* o_val_cells = over->Add(cmd, "--val-cells", &SO::val_cells, "val cell lines (0: no val)");
  over->Add(cmd, "--test-cells", &SO::test_cells, "test cell lines");
  over->Add(cmd, "--motifs", &SO::num_motifs, "number of TF motifs (2..64)");
  over->Add(cmd, "--enhancer-length", &SO::enhancer_length, "enhancer bp");
  over->Add(cmd, "--promoter-length", &SO::promoter_length, "promoter bp");
  over->Add(cmd, "--gc", &SO::background_gc, "background GC content");
  over->Add(cmd, "--temperature", &SO::temperature, "label temperature T");
  over->Add(cmd, "--modulation", &SO::modulation,
            "share of the grammar modulated by TF activity (0..1)");
  over->Add(cmd, "--activity-sd", &SO::activity_sd, "log-normal sd of the per-cell TF activity");
  over->Add(cmd, "--consensus", &SO::motif_consensus_prob,
            "PWM probability of the consensus base per motif position");
  over->Add(cmd, "--max-mismatches", &SO::max_instance_mismatches,
            "identifiable motifs: instances within N mismatches of the consensus, no other window "
            "that close (-1: no limit, no background cleaning)");
  over->Add(cmd, "--shortcut-positive-prob", &SO::shortcut_positive_prob,
            "P(shortcut k-mer in the enhancer | positive, train cell)");
  over->Add(cmd, "--shortcut-negative-prob", &SO::shortcut_negative_prob,
            "P(shortcut k-mer in the enhancer | negative, train cell)");
  over->Add(cmd, "--shortcut-gc-shift", &SO::shortcut_gc_shift,
            "background GC shift of train positives (0: none)");
  cmd->add_flag("--shortcut-gc-alternate", args->shortcut_gc_alternate,
                "the GC shift's sign alternates over the training cells (+, -, +, ...)");
  cmd->callback([=] {
    SimulationOptions o = SimulationPreset(args->preset);
    o.seed = args->seed;
    if (args->no_shortcuts) o.shortcuts = false;
    over->Apply(o);
    if (o_val_cells->count() && o.val_cells == 0 && !o_val_pairs->count()) o.val_pairs = 0;
    if (args->shortcut_gc_alternate) o.shortcut_gc_alternate = true;
    ValidateSimulationOptions(o);
    Log::Info("simulating preset " + o.preset + " into " + args->out);
    const SimulationResult r = Simulate(o, args->out);
    PrintSummary(r, args->out);
    if (args->genome) {
      const auto g = WriteSimulatedGenome(r, args->out);
      std::printf("genome: %zu chromosomes, %lld bp, %zu enhancers, %zu promoters, %zu pairs\n",
                  g.chromosomes, g.bases, g.enhancers, g.promoters, g.pairs);
    }
  });
}

}  // namespace prism::cli
