// prism/simulate.h - synthetic cross-cell EPI data with a known generative model.
//
// `prism simulate` writes the domain-kl layout plus oracle probabilities, so cross-cell claims
// can be checked against ground truth. The model (motifs, a cell-invariant grammar, per-cell TF
// activity and resistance, optional train-only shortcuts) is described in docs/simulator.md.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "prism/pairs.h"
#include "prism/run_folder.h"

namespace prism {

/// Every knob of the simulator. Start from SimulationPreset() and override fields.
struct SimulationOptions {
  std::string preset = "default";  ///< name of the preset these options started from
  uint64_t seed = 1;               ///< all randomness derives from it (std::mt19937_64 streams)

  // Motifs.
  int num_motifs = 10;              ///< M TF motifs (PWMs), 2..64
  int motif_min_length = 8;         ///< shortest motif, >= 4
  int motif_max_length = 12;        ///< longest motif
  double motif_consensus_prob = 0.95;  ///< PWM probability of the consensus base per position
  /// Identifiability: planted instances differ from their consensus in at most this many
  /// positions (PWM samples beyond it are redrawn), and no other window of an element (background,
  /// or overlapping an instance or the shortcut slot) comes that close to any motif — background
  /// bases of such a window are redrawn. So the planted motif sets, and with them the oracles,
  /// are a function of the sequence. -1: no limit, no cleaning (motif sets are then only
  /// partly recoverable from the sequence and the oracles use hidden information).
  int max_instance_mismatches = 1;
  /// > 0: every PWM column is a Dirichlet(alpha) draw (degenerate motifs; the consensus is the
  /// most probable base per column) instead of consensus_prob around a random consensus. Needs
  /// max_instance_mismatches = -1.
  double pwm_dirichlet_alpha = 0;
  /// Instances are planted on a random strand (reverse complement with probability 1/2). Needs
  /// max_instance_mismatches = -1.
  bool motif_random_strand = false;

  // Elements.
  int enhancer_length = 500;        ///< bp of every enhancer
  int promoter_length = 500;        ///< bp of every promoter
  double background_gc = 0.42;      ///< GC content of the random background
  double enhancer_motif_mean = 2.5; ///< Poisson mean of motif instances planted per enhancer
  double promoter_motif_mean = 2.0; ///< Poisson mean of motif instances planted per promoter
  /// > 0: each enhancer's length is uniform in [enhancer_length, enhancer_max_length] (likewise
  /// promoters); 0: every element has the fixed length.
  int enhancer_max_length = 0;
  int promoter_max_length = 0;
  /// Share of the background CpG dinucleotides of enhancers mutated to TpG or CpA (0: none).
  double enhancer_cpg_depletion = 0;
  /// Per background position of a promoter, probability that a CpG is written there (0: none).
  double promoter_cpg_rate = 0;
  /// Per background base, probability that it is an N (0: none).
  double n_base_rate = 0;

  // Cells and sizes (pairs of a split are shared evenly among its cells).
  int train_cells = 4, val_cells = 1, test_cells = 2;
  long train_pairs = 8000, val_pairs = 1500, test_pairs = 3000;

  // Grammar and environment.
  double grammar_density = 0.15;    ///< fraction of non-zero entries of G (M x M)
  double grammar_strength = 3.0;    ///< typical magnitude of a non-zero G entry
  double grammar_negative_fraction = 0.2;  ///< share of non-zero entries that repress
  /// > 0 (either): exactly this many activating and inhibitory entries of G instead of
  /// grammar_density and grammar_negative_fraction.
  int grammar_activating = 0, grammar_inhibitory = 0;
  /// > 0: copies count up to this many; the term of (i, j) is G[i,j] * min(n_i, s)/s *
  /// min(n_j, s)/s with n the copies in the enhancer and promoter. 0: presence (the former model).
  int grammar_saturation = 0;
  /// "lognormal": a_c[i] = exp(sd * z - sd^2 / 2); "beta": a_c[i] ~ Beta(activity_beta,
  /// activity_beta), set to 0 (silenced) with probability activity_silenced_fraction.
  std::string activity_distribution = "lognormal";
  double activity_sd = 0.8;         ///< log-normal sd of the per-cell TF activity a_c
  double activity_beta = 0.7;       ///< shape of the Beta activity
  double activity_silenced_fraction = 0;  ///< Beta activity: share of silenced motifs per cell
  double activity_sampling_power = 1.0;  ///< motif sampling probability ~ base_i * a_c[i]^power
  /// Motif sampling probability ~ base_i * (floor + a_c[i]^power): a silenced motif is still
  /// planted at a low rate when > 0.
  double activity_sampling_floor = 0;
  double modulation = 0.6;          ///< lambda: G[i,j] * ((1-lambda) + lambda*a_c[i]*a_c[j])
  double count_weight = 0.1;        ///< U += count_weight * (motif instances in E and P)
  double temperature = 0.8;         ///< T in sigmoid((U - r_c) / T)
  double min_positive_rate = 0.10;  ///< per-cell target positive rate ~ U(min, max); r_c is
  double max_positive_rate = 0.30;  ///< calibrated to it

  // Spurious shortcuts, planted in training cells only.
  bool shortcuts = true;
  int shortcut_kmer_length = 8;           ///< per-train-cell k-mer length
  double shortcut_positive_prob = 0.4;    ///< P(k-mer in the enhancer | positive, train cell)
  double shortcut_negative_prob = 0.05;   ///< P(k-mer in the enhancer | negative, train cell)
  double shortcut_gc_shift = 0.03;        ///< background GC + shift for train positives
  /// The GC shift's sign alternates over the training cells (+, -, +, ...): positives are
  /// GC-richer in some training cells and GC-poorer in the others, so the shortcut is
  /// cell-specific (a model that knows the cell can use it; one that may not, cannot).
  bool shortcut_gc_alternate = false;
  /// P(one of the training cells' k-mers, chosen at random, in an enhancer of a cell line
  /// without its own k-mer (val unless val_cells_like_train, test)), whatever the label.
  double shortcut_unseen_prob = 0;
  /// Val cell lines are held-out training-like cell lines: with shortcuts each gets its own
  /// k-mer and GC shift, planted like a training cell's (they are not among the training cells
  /// of p_env_blind).
  bool val_cells_like_train = false;
};

/// The options of a named preset: "tiny" (tests, < 1 s), "default" (CPU demo), "transfer" (the
/// issue-14 class: degenerate PWMs, long elements, per-cell shortcuts) or "transfer-tiny" (the
/// same at test size). Throws
/// prism::Error for an unknown name.
SimulationOptions SimulationPreset(const std::string& name);
/// Names of the presets.
std::vector<std::string> SimulationPresetNames();
/// Throws prism::Error naming the first invalid option.
void ValidateSimulationOptions(const SimulationOptions& options);
/// Every option as JSON (written into simulation.json).
Json SimulationOptionsToJson(const SimulationOptions& options);

/// One row of oracle.csv.
struct OracleRow {
  std::string split, enhancer, promoter, cell_line;
  int label = 0;
  double p_true = 0;       ///< sigmoid((U_c - r_c) / T) of the pair's own cell
  double p_env_blind = 0;  ///< mean of sigmoid((U_c' - r_c') / T) over the training cells c'
};

/// One simulated cell line (its environment).
struct SimulatedCell {
  std::string name;                 ///< e.g. "train1", "val1", "test2"
  std::string split;                ///< "train", "val" or "test"
  std::vector<double> activity;     ///< a_c, one per motif (mean 1)
  double resistance = 0;            ///< r_c
  double target_positive_rate = 0;  ///< rate r_c was calibrated to
  std::string shortcut_kmer;        ///< planted k-mer (train cells with shortcuts), else ""
  double gc_shift = 0;              ///< GC shift of positives (train cells with shortcuts)
};

/// Label and oracle summary of a group of pairs (a split or a cell line).
struct OracleSummary {
  std::string name;          ///< split or cell line
  std::string split;         ///< the split the group belongs to
  long pairs = 0, positives = 0;
  double positive_rate = 0;  ///< positives / pairs
  double mean_p_true = 0;    ///< expected positive rate
  double aupr_true = 0;      ///< average precision of p_true (NaN without positives)
  double aupr_env_blind = 0; ///< average precision of p_env_blind
  /// Average precision of a shortcut-only score (enhancer carries any train cell's k-mer, then
  /// GC content); NaN without shortcuts. High on train, near the positive rate on test.
  double aupr_shortcut = NAN;
  /// Average precision of the motif-informed reference learner (sim/reference_learner.h).
  double aupr_reference = NAN;
};

/// Most pairs one cell line may get (each pair's bases have their own random stream, indexed by
/// cell and pair).
constexpr long kMaxPairsPerCell = 1000000;

/// A simulation in memory, and what Simulate() wrote.
struct SimulationResult {
  SimulationOptions options;
  DomainKlData data;                  ///< the domain-kl layout
  std::vector<OracleRow> oracle;      ///< one row per pair, splits in order train, val, test
  std::vector<SimulatedCell> cells;
  std::vector<std::string> motifs;    ///< consensus of each motif
  std::vector<OracleSummary> splits;  ///< train, val (when present), test
  std::vector<OracleSummary> per_cell;
  std::vector<double> reference_scores;  ///< reference learner's score, parallel to oracle
  Json metadata;                      ///< simulation.json
};

/// Runs the generative model in memory (no files). Deterministic in options (incl. seed).
SimulationResult GenerateSimulation(const SimulationOptions& options);
/// Writes `result` to out_dir: {train,val,test}/ALL/... (WriteDomainKl), oracle.csv and
/// simulation.json, each atomically. Creates out_dir.
void WriteSimulation(const SimulationResult& result, const std::string& out_dir);
/// The `splits` object of a simulation.json written by WriteSimulation (per split: pairs,
/// positives, aupr_true, aupr_env_blind, aupr_shortcut, per_cell), when it describes the data of a
/// run: each split's pair count recorded in `run_data` (`train_pairs`, `val_pairs`, `test_pairs`;
/// absent or 0: not checked) must equal the simulation's. Null when the file is not a prism
/// simulation, or when a count differs (then *mismatch, if given, says which). InputError when the
/// file cannot be read or lacks splits.train / splits.test.
Json ReadSimulationSplits(const std::string& simulation_json, const Json& run_data,
                          std::string* mismatch);
/// The Bayes reference of a run's data: {"source", "train", "val", "test"}, each split's AUPR of
/// p_true (the probability its labels were drawn with; null for a split the simulation lacks) from
/// data_path/simulation.json. Null when data_path holds no simulation or another one than
/// `run_data` describes (ReadSimulationSplits). The trainer records it in run.json as
/// `data.bayes_aupr`; the inspector's train-val gap rule credits the gap a perfect model has.
Json SimulationBayesRecord(const std::string& data_path, const Json& run_data);
/// GenerateSimulation + WriteSimulation.
SimulationResult Simulate(const SimulationOptions& options, const std::string& out_dir);

}  // namespace prism
