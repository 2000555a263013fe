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
  std::printf("%-8s %-6s %8s %9s %9s %12s %16s %15s %16s\n", "group", "split", "pairs",
              "positives", "pos_rate", "AUPR(p_true)", "AUPR(env_blind)", "AUPR(shortcut)",
              "AUPR(reference)");
  auto row = [](const OracleSummary& s, const char* indent) {
    std::printf("%s%-*s %-6s %8ld %9ld %9.3f %12.3f %16.3f %15.3f %16.3f\n", indent,
                8 - static_cast<int>(std::string(indent).size()), s.name.c_str(),
                s.split.c_str(), s.pairs, s.positives, s.positive_rate, s.aupr_true,
                s.aupr_env_blind, s.aupr_shortcut, s.aupr_reference);
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
  cmd->add_option("--preset", args->preset, "tiny | default | transfer | transfer-tiny")->capture_default_str();
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
  over->Add(cmd, "--motif-min-length", &SO::motif_min_length, "shortest motif (bp)");
  over->Add(cmd, "--motif-max-length", &SO::motif_max_length, "longest motif (bp)");
  over->Add(cmd, "--pwm-alpha", &SO::pwm_dirichlet_alpha,
            "PWM columns are Dirichlet(alpha) draws (degenerate motifs; 0: consensus PWMs; "
            "needs --max-mismatches -1)");
  over->Add(cmd, "--random-strand", &SO::motif_random_strand,
            "true: motif instances on a random strand (needs --max-mismatches -1)");
  over->Add(cmd, "--enhancer-max-length", &SO::enhancer_max_length,
            "enhancer length uniform in [--enhancer-length, this] (0: fixed)");
  over->Add(cmd, "--promoter-max-length", &SO::promoter_max_length,
            "promoter length uniform in [--promoter-length, this] (0: fixed)");
  over->Add(cmd, "--enhancer-motifs", &SO::enhancer_motif_mean,
            "Poisson mean of motif instances per enhancer");
  over->Add(cmd, "--promoter-motifs", &SO::promoter_motif_mean,
            "Poisson mean of motif instances per promoter");
  over->Add(cmd, "--grammar-density", &SO::grammar_density, "share of non-zero grammar entries");
  over->Add(cmd, "--grammar-strength", &SO::grammar_strength, "typical |G| of an entry");
  over->Add(cmd, "--grammar-activating", &SO::grammar_activating,
            "exactly N activating grammar entries (with --grammar-inhibitory; 0: density)");
  over->Add(cmd, "--grammar-inhibitory", &SO::grammar_inhibitory,
            "exactly N inhibitory grammar entries");
  over->Add(cmd, "--grammar-saturation", &SO::grammar_saturation,
            "copies count up to N in the grammar (0: presence)");
  over->Add(cmd, "--activity", &SO::activity_distribution,
            "per-cell TF activity: lognormal | beta");
  over->Add(cmd, "--activity-beta", &SO::activity_beta, "Beta(a, a) shape of --activity beta");
  over->Add(cmd, "--silenced", &SO::activity_silenced_fraction,
            "--activity beta: share of silenced motifs per cell line");
  over->Add(cmd, "--activity-floor", &SO::activity_sampling_floor,
            "motif sampling ~ base * (floor + activity): silenced motifs still appear");
  over->Add(cmd, "--min-positive-rate", &SO::min_positive_rate,
            "per-cell target positive rate ~ U(min, max)");
  over->Add(cmd, "--max-positive-rate", &SO::max_positive_rate,
            "per-cell target positive rate ~ U(min, max)");
  over->Add(cmd, "--shortcut-kmer-length", &SO::shortcut_kmer_length,
            "length of each training cell's shortcut k-mer");
  over->Add(cmd, "--shortcut-unseen-prob", &SO::shortcut_unseen_prob,
            "P(a training cell's k-mer in an enhancer of an unseen cell), both classes");
  over->Add(cmd, "--val-like-train", &SO::val_cells_like_train,
            "true: val cell lines are held-out training-like cells (own shortcut k-mer)");
  over->Add(cmd, "--enhancer-cpg-depletion", &SO::enhancer_cpg_depletion,
            "share of enhancer background CpGs mutated away");
  over->Add(cmd, "--promoter-cpg-rate", &SO::promoter_cpg_rate,
            "per promoter background position, probability of a CpG");
  over->Add(cmd, "--n-rate", &SO::n_base_rate, "per background base, probability of an N");
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
