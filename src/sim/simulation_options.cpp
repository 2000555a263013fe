// Simulator options: presets, validation and their JSON form.
#include <algorithm>
#include <cmath>

#include "prism/error.h"
#include "prism/simulate.h"

namespace prism {

std::vector<std::string> SimulationPresetNames() { return {"tiny", "default"}; }

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
  Fatal("unknown simulation preset '", name, "' (expected one of: tiny, default)");
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
  return j;
}

}  // namespace prism
