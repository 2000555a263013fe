// prism simulate: synthetic cross-cell data with known ground truth (see docs/simulator.md).
#include <cstdio>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "prism/log.h"
#include "prism/simulate.h"

namespace prism::cli {
namespace {

struct SimulateArgs {
  std::string preset = "default", out;
  uint64_t seed = 1;
  bool no_shortcuts = false;
  long train_pairs = 0, val_pairs = 0, test_pairs = 0;
  int train_cells = 0, val_cells = 0, test_cells = 0, motifs = 0;
  int enhancer_length = 0, promoter_length = 0;
  double gc = 0, temperature = 0, modulation = 0, activity_sd = 0, consensus = 0;
  int max_mismatches = 1;
  double shortcut_positive_prob = 0, shortcut_negative_prob = 0, shortcut_gc_shift = 0;
  bool shortcut_gc_alternate = false;
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
  auto* o_train_pairs = cmd->add_option("--train-pairs", args->train_pairs, "pairs in train");
  auto* o_val_pairs = cmd->add_option("--val-pairs", args->val_pairs, "pairs in val");
  auto* o_test_pairs = cmd->add_option("--test-pairs", args->test_pairs, "pairs in test");
  auto* o_train_cells = cmd->add_option("--train-cells", args->train_cells, "train cell lines");
  auto* o_val_cells = cmd->add_option("--val-cells", args->val_cells, "val cell lines (0: no val)");
  auto* o_test_cells = cmd->add_option("--test-cells", args->test_cells, "test cell lines");
  auto* o_motifs = cmd->add_option("--motifs", args->motifs, "number of TF motifs (2..64)");
  auto* o_elen = cmd->add_option("--enhancer-length", args->enhancer_length, "enhancer bp");
  auto* o_plen = cmd->add_option("--promoter-length", args->promoter_length, "promoter bp");
  auto* o_gc = cmd->add_option("--gc", args->gc, "background GC content");
  auto* o_t = cmd->add_option("--temperature", args->temperature, "label temperature T");
  auto* o_mod = cmd->add_option("--modulation", args->modulation,
                                "share of the grammar modulated by TF activity (0..1)");
  auto* o_sd = cmd->add_option("--activity-sd", args->activity_sd,
                               "log-normal sd of the per-cell TF activity");
  auto* o_cons = cmd->add_option("--consensus", args->consensus,
                                 "PWM probability of the consensus base per motif position");
  auto* o_mm = cmd->add_option(
      "--max-mismatches", args->max_mismatches,
      "identifiable motifs: instances within N mismatches of the consensus, no other window "
      "that close (-1: no limit, no background cleaning)");
  auto* o_sc_pos = cmd->add_option("--shortcut-positive-prob", args->shortcut_positive_prob,
                                   "P(shortcut k-mer in the enhancer | positive, train cell)");
  auto* o_sc_neg = cmd->add_option("--shortcut-negative-prob", args->shortcut_negative_prob,
                                   "P(shortcut k-mer in the enhancer | negative, train cell)");
  auto* o_sc_gc = cmd->add_option("--shortcut-gc-shift", args->shortcut_gc_shift,
                                  "background GC shift of train positives (0: none)");
  cmd->add_flag("--shortcut-gc-alternate", args->shortcut_gc_alternate,
                "the GC shift's sign alternates over the training cells (+, -, +, ...)");
  cmd->callback([=] {
    SimulationOptions o = SimulationPreset(args->preset);
    o.seed = args->seed;
    if (args->no_shortcuts) o.shortcuts = false;
    if (o_train_pairs->count()) o.train_pairs = args->train_pairs;
    if (o_val_pairs->count()) o.val_pairs = args->val_pairs;
    if (o_test_pairs->count()) o.test_pairs = args->test_pairs;
    if (o_train_cells->count()) o.train_cells = args->train_cells;
    if (o_val_cells->count()) {
      o.val_cells = args->val_cells;
      if (o.val_cells == 0 && !o_val_pairs->count()) o.val_pairs = 0;
    }
    if (o_test_cells->count()) o.test_cells = args->test_cells;
    if (o_motifs->count()) o.num_motifs = args->motifs;
    if (o_elen->count()) o.enhancer_length = args->enhancer_length;
    if (o_plen->count()) o.promoter_length = args->promoter_length;
    if (o_gc->count()) o.background_gc = args->gc;
    if (o_t->count()) o.temperature = args->temperature;
    if (o_mod->count()) o.modulation = args->modulation;
    if (o_sd->count()) o.activity_sd = args->activity_sd;
    if (o_cons->count()) o.motif_consensus_prob = args->consensus;
    if (o_mm->count()) o.max_instance_mismatches = args->max_mismatches;
    if (o_sc_pos->count()) o.shortcut_positive_prob = args->shortcut_positive_prob;
    if (o_sc_neg->count()) o.shortcut_negative_prob = args->shortcut_negative_prob;
    if (o_sc_gc->count()) o.shortcut_gc_shift = args->shortcut_gc_shift;
    if (args->shortcut_gc_alternate) o.shortcut_gc_alternate = true;
    ValidateSimulationOptions(o);
    Log::Info("simulating preset " + o.preset + " into " + args->out);
    const SimulationResult r = Simulate(o, args->out);
    PrintSummary(r, args->out);
  });
}

}  // namespace prism::cli
