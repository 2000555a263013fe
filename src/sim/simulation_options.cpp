// Simulator options: presets, validation and their JSON form.
#include <algorithm>
#include <cmath>

#include "prism/error.h"
#include "prism/simulate.h"

namespace prism {

std::vector<std::string> SimulationPresetNames() {
  return {"tiny", "default", "transfer", "transfer-tiny"};
}

namespace {

// The class of data of issue 14 (docs/simulator.md, "The transfer family"): degenerate PWMs on
// a random strand, long elements, a saturating grammar of activating and inhibitory pairs, Beta
// activities with silenced motifs, balanced labels, a shortcut 8-mer per training-like cell line,
// CpG-depleted enhancers, CpG-rich promoters and rare N bases.
SimulationOptions TransferPreset(const std::string& name) {
  SimulationOptions o;
  o.preset = name;
  o.num_motifs = 24;
  o.pwm_dirichlet_alpha = 0.2;
  o.motif_random_strand = true;
  o.max_instance_mismatches = -1;
  o.enhancer_length = 400;
  o.enhancer_max_length = 3000;
  o.promoter_length = 400;
  o.promoter_max_length = 2000;
  o.enhancer_motif_mean = 8.0;
  o.promoter_motif_mean = 6.0;
  o.grammar_activating = 12;
  o.grammar_inhibitory = 4;
  o.grammar_saturation = 2;
  // The activity modulates the whole grammar (lambda = 1), so the environment matters: on seed 1
  // (5,000 / 1,000 / 2,100 pairs) test AUPR(p_true) 0.83 vs AUPR(p_env_blind) 0.73.
  o.modulation = 1.0;
  o.grammar_strength = 8.0;
  o.temperature = 0.5;
  o.activity_distribution = "beta";
  o.activity_beta = 0.7;
  o.activity_silenced_fraction = 0.2;
  o.activity_sampling_floor = 0.1;
  o.train_cells = 5;
  o.val_cells = 2;
  o.test_cells = 3;
  o.train_pairs = 10000;
  o.val_pairs = 2000;
  o.test_pairs = 3000;
  o.min_positive_rate = 0.5;
  o.max_positive_rate = 0.5;
  o.shortcut_positive_prob = 0.6;
  o.shortcut_negative_prob = 0.05;
  o.shortcut_unseen_prob = 0.1;
  o.shortcut_gc_shift = 0.02;
  o.val_cells_like_train = true;
  o.enhancer_cpg_depletion = 0.75;
  o.promoter_cpg_rate = 0.03;
  o.n_base_rate = 0.0005;
  if (name == "transfer-tiny") {
    o.num_motifs = 12;
    o.grammar_activating = 6;
    o.grammar_inhibitory = 2;
    o.enhancer_length = 300;
    o.enhancer_max_length = 800;
    o.promoter_length = 300;
    o.promoter_max_length = 600;
    o.train_cells = 3;
    o.val_cells = 1;
    o.test_cells = 2;
    o.train_pairs = 1200;
    o.val_pairs = 400;
    o.test_pairs = 800;
  }
  return o;
}

}  // namespace

SimulationOptions SimulationPreset(const std::string& name) {
  SimulationOptions o;  // the field defaults are the `default` preset
  o.preset = name;
  if (name == "default") return o;
  if (name == "tiny") {
    o.num_motifs = 6;
    o.enhancer_length = 300;
    o.promoter_length = 300;
    o.train_cells = 3;
    o.val_cells = 1;
    o.test_cells = 1;
    o.train_pairs = 360;
    o.val_pairs = 120;
    o.test_pairs = 120;
    o.grammar_density = 0.25;
    return o;
  }
  if (name == "transfer" || name == "transfer-tiny") return TransferPreset(name);
  Fatal("unknown simulation preset '", name,
        "' (expected one of: tiny, default, transfer, transfer-tiny)");
}

void ValidateSimulationOptions(const SimulationOptions& o) {
  auto fail = [](const std::string& what) { Fatal("invalid simulation option: ", what); };
  auto finite = [](double v) { return std::isfinite(v); };
  if (o.num_motifs < 2 || o.num_motifs > 64) fail("--motifs must be in 2..64");
  if (o.motif_min_length < 4 || o.motif_max_length < o.motif_min_length)
    fail("motif lengths must satisfy 4 <= min <= max");
  if (o.motif_max_length > 32) fail("motif length must be <= 32");
  if (!(o.motif_consensus_prob > 0.25 && o.motif_consensus_prob <= 1.0))
    fail("--consensus must be in (0.25, 1]");
  if (o.max_instance_mismatches < -1 || o.max_instance_mismatches > 3)
    fail("--max-mismatches must be in -1..3 (-1 = no limit)");
  if (!(finite(o.pwm_dirichlet_alpha) && o.pwm_dirichlet_alpha >= 0 && o.pwm_dirichlet_alpha <= 100))
    fail("--pwm-alpha must be in [0, 100] (0: consensus PWMs)");
  if ((o.pwm_dirichlet_alpha > 0 || o.motif_random_strand) && o.max_instance_mismatches != -1)
    fail("--pwm-alpha and --random-strand need --max-mismatches -1");
  if ((o.enhancer_max_length != 0 && o.enhancer_max_length < o.enhancer_length) ||
      (o.promoter_max_length != 0 && o.promoter_max_length < o.promoter_length))
    fail("--enhancer-max-length / --promoter-max-length must be 0 or >= the minimum length");
  if (o.enhancer_max_length > 100000 || o.promoter_max_length > 100000)
    fail("element lengths must be <= 100000");
  if (!(o.enhancer_cpg_depletion >= 0 && o.enhancer_cpg_depletion <= 1))
    fail("--enhancer-cpg-depletion must be in [0, 1]");
  if (!(o.promoter_cpg_rate >= 0 && o.promoter_cpg_rate <= 0.5))
    fail("--promoter-cpg-rate must be in [0, 0.5]");
  if (!(o.n_base_rate >= 0 && o.n_base_rate <= 0.5)) fail("--n-rate must be in [0, 0.5]");
  if (o.grammar_activating < 0 || o.grammar_inhibitory < 0 ||
      o.grammar_activating + o.grammar_inhibitory > o.num_motifs * o.num_motifs)
    fail("--grammar-activating plus --grammar-inhibitory must be in 0..motifs^2");
  if (o.grammar_saturation < 0 || o.grammar_saturation > 16)
    fail("--grammar-saturation must be in 0..16 (0: presence)");
  if (o.activity_distribution != "lognormal" && o.activity_distribution != "beta")
    fail("--activity must be lognormal or beta");
  if (!(finite(o.activity_beta) && o.activity_beta > 0 && o.activity_beta <= 100))
    fail("--activity-beta must be in (0, 100]");
  if (!(o.activity_silenced_fraction >= 0 && o.activity_silenced_fraction <= 1))
    fail("--silenced must be in [0, 1]");
  if (!(finite(o.activity_sampling_floor) && o.activity_sampling_floor >= 0))
    fail("activity sampling floor must be >= 0");
  if (!(o.shortcut_unseen_prob >= 0 && o.shortcut_unseen_prob <= 1))
    fail("--shortcut-unseen-prob must be in [0, 1]");
  const int min_len = 2 * o.motif_max_length + (o.shortcuts ? o.shortcut_kmer_length : 0);
  if (o.enhancer_length < min_len || o.promoter_length < min_len)
    fail("--enhancer-length and --promoter-length must be >= " + std::to_string(min_len) +
         " (two motifs and the shortcut k-mer)");
  if (o.enhancer_length > 100000 || o.promoter_length > 100000)
    fail("element lengths must be <= 100000");
  if (!(o.background_gc > 0.05 && o.background_gc < 0.95)) fail("--gc must be in (0.05, 0.95)");
  if (!(o.enhancer_motif_mean >= 0 && o.enhancer_motif_mean <= 50) ||
      !(o.promoter_motif_mean >= 0 && o.promoter_motif_mean <= 50))
    fail("motif means must be in [0, 50]");
  if (o.train_cells < 1) fail("--train-cells must be >= 1");
  if (o.test_cells < 1) fail("--test-cells must be >= 1");
  if (o.val_cells < 0) fail("--val-cells must be >= 0");
  if (o.train_cells + o.val_cells + o.test_cells > 1000) fail("at most 1000 cell lines");
  if (o.train_pairs < o.train_cells) fail("--train-pairs must be >= the number of train cells");
  if (o.test_pairs < o.test_cells) fail("--test-pairs must be >= the number of test cells");
  if (o.val_cells > 0 && o.val_pairs < o.val_cells)
    fail("--val-pairs must be >= the number of val cells");
  if (o.val_cells == 0 && o.val_pairs != 0) fail("--val-pairs must be 0 without val cells");
  if (o.train_pairs + o.val_pairs + o.test_pairs > 50000000) fail("at most 50,000,000 pairs");
  // Each pair's bases come from stream index cell * (kMaxPairsPerCell + 3) + pair (simulate.cpp).
  if (o.train_pairs > kMaxPairsPerCell * o.train_cells ||
      o.val_pairs > kMaxPairsPerCell * std::max(1, o.val_cells) ||
      o.test_pairs > kMaxPairsPerCell * o.test_cells)
    fail("at most 1,000,000 pairs per cell line");
  if (!(o.grammar_density > 0 && o.grammar_density <= 1)) fail("grammar density must be in (0, 1]");
  if (!(finite(o.grammar_strength) && o.grammar_strength > 0))
    fail("grammar strength must be > 0");
  if (!(o.grammar_negative_fraction >= 0 && o.grammar_negative_fraction <= 1))
    fail("grammar negative fraction must be in [0, 1]");
  if (!(o.activity_sd >= 0 && o.activity_sd <= 3)) fail("activity sd must be in [0, 3]");
  if (!(finite(o.activity_sampling_power) && o.activity_sampling_power >= 0))
    fail("activity sampling power must be >= 0");
  if (!(o.modulation >= 0 && o.modulation <= 1)) fail("modulation must be in [0, 1]");
  if (!finite(o.count_weight)) fail("count weight must be finite");
  if (!(finite(o.temperature) && o.temperature > 0)) fail("--temperature must be > 0");
  if (!(o.min_positive_rate > 0 && o.min_positive_rate <= o.max_positive_rate &&
        o.max_positive_rate < 1))
    fail("positive rates must satisfy 0 < min <= max < 1");
  if (o.shortcut_kmer_length < 4 || o.shortcut_kmer_length > 32)
    fail("shortcut k-mer length must be in 4..32");
  if (!(o.shortcut_positive_prob >= 0 && o.shortcut_positive_prob <= 1) ||
      !(o.shortcut_negative_prob >= 0 && o.shortcut_negative_prob <= 1))
    fail("shortcut probabilities must be in [0, 1]");
  if (!(o.background_gc + o.shortcut_gc_shift > 0.02 && o.background_gc + o.shortcut_gc_shift < 0.98))
    fail("--gc plus the shortcut GC shift must stay in (0.02, 0.98)");
  if (o.shortcut_gc_alternate &&
      !(o.background_gc - o.shortcut_gc_shift > 0.02 && o.background_gc - o.shortcut_gc_shift < 0.98))
    fail("--gc minus the shortcut GC shift must stay in (0.02, 0.98) with --shortcut-gc-alternate");
}

Json SimulationOptionsToJson(const SimulationOptions& o) {
  Json j;
  j["preset"] = o.preset;
  j["seed"] = o.seed;
  j["num_motifs"] = o.num_motifs;
  j["motif_min_length"] = o.motif_min_length;
  j["motif_max_length"] = o.motif_max_length;
  j["motif_consensus_prob"] = o.motif_consensus_prob;
  j["max_instance_mismatches"] = o.max_instance_mismatches;
  j["enhancer_length"] = o.enhancer_length;
  j["promoter_length"] = o.promoter_length;
  j["background_gc"] = o.background_gc;
  j["enhancer_motif_mean"] = o.enhancer_motif_mean;
  j["promoter_motif_mean"] = o.promoter_motif_mean;
  j["train_cells"] = o.train_cells;
  j["val_cells"] = o.val_cells;
  j["test_cells"] = o.test_cells;
  j["train_pairs"] = o.train_pairs;
  j["val_pairs"] = o.val_pairs;
  j["test_pairs"] = o.test_pairs;
  j["grammar_density"] = o.grammar_density;
  j["grammar_strength"] = o.grammar_strength;
  j["grammar_negative_fraction"] = o.grammar_negative_fraction;
  j["activity_sd"] = o.activity_sd;
  j["activity_sampling_power"] = o.activity_sampling_power;
  j["modulation"] = o.modulation;
  j["count_weight"] = o.count_weight;
  j["temperature"] = o.temperature;
  j["min_positive_rate"] = o.min_positive_rate;
  j["max_positive_rate"] = o.max_positive_rate;
  j["shortcuts"] = o.shortcuts;
  j["shortcut_kmer_length"] = o.shortcut_kmer_length;
  j["shortcut_positive_prob"] = o.shortcut_positive_prob;
  j["shortcut_negative_prob"] = o.shortcut_negative_prob;
  j["shortcut_gc_shift"] = o.shortcut_gc_shift;
  j["shortcut_gc_alternate"] = o.shortcut_gc_alternate;
  j["pwm_dirichlet_alpha"] = o.pwm_dirichlet_alpha;
  j["motif_random_strand"] = o.motif_random_strand;
  j["enhancer_max_length"] = o.enhancer_max_length;
  j["promoter_max_length"] = o.promoter_max_length;
  j["enhancer_cpg_depletion"] = o.enhancer_cpg_depletion;
  j["promoter_cpg_rate"] = o.promoter_cpg_rate;
  j["n_base_rate"] = o.n_base_rate;
  j["grammar_activating"] = o.grammar_activating;
  j["grammar_inhibitory"] = o.grammar_inhibitory;
  j["grammar_saturation"] = o.grammar_saturation;
  j["activity_distribution"] = o.activity_distribution;
  j["activity_beta"] = o.activity_beta;
  j["activity_silenced_fraction"] = o.activity_silenced_fraction;
  j["activity_sampling_floor"] = o.activity_sampling_floor;
  j["shortcut_unseen_prob"] = o.shortcut_unseen_prob;
  j["val_cells_like_train"] = o.val_cells_like_train;
  return j;
}

}  // namespace prism
