// prism/train.h - training and prediction runs (torch-free API for the CLI and `prism run`).
//
// A run is configured by a TOML file (see docs/train-config.md for every key). TrainRun()
// writes the run folder of docs/run-folder.md (run.json, config.toml, train_log.jsonl,
// checkpoints/); PredictRun() adds predictions/, metrics/, results.md and diagnostics.json.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "prism/run_folder.h"

namespace prism {

/// The resolved training configuration. Every member has a value: a config file names a
/// built-in preset (`preset`, one of configs/*.toml compiled into the binary) as its base and
/// overrides its keys. The defaults below are the `default` preset (configs/default.toml; a test
/// checks that TrainConfig{} equals it). One table lists every key with its type, default,
/// allowed values, range and doc (src/train/config_fields.cpp; `prism config reference`).
struct TrainConfig {
  std::string name = "default";
  uint64_t seed = 7;
  std::string preset = "default";  ///< the built-in configuration this one starts from

  /// [model] the network (src/train/model_recipe.cpp maps it to model::ModelOptions).
  struct Model {
    int64_t embed_dim = 16, channels = 0, kernel = 0, pool = 20, heads = 1, hidden = 64,
            z_i_dim = 32, z_e_dim = 16, head_hidden = 32, feature_hidden = 64;
    double dropout = 0.1;
    /// Feature tables: dropout on the input columns while training (whole marks missing at
    /// random, so that no prediction rests on one column); 0 = off.
    double input_dropout = 0.0;
    double t_init = 1.0;
    /// Embedding + first convolution through the per-step table: "auto" (where its estimated
    /// cost is lower; prism/embed_conv_choice.h), "true" or "false" (TOML true / false).
    std::string fused_embed_conv = "auto";
    bool kmer_composition = true;     ///< compositional 6-mer embedding
    bool presence_readout = true;     ///< per-channel global max of the conv features into h
    bool pair_interaction = true;     ///< outer product of the two streams' presence vectors into h
    bool presence_cap = true;         ///< presence read-out capped at 1 (an indicator)
    bool both_strands = false;        ///< presence read-out over both strands (one filter/motif)
    bool kmer_table = false;          ///< free per-k-mer table next to the composition
    bool context_calibration = true;  ///< per-cell resistance offset to the training positive rate
    /// Motif seeding (sequence input): before training, the first convolution filters of each
    /// stream start as detectors of that stream's most over-represented k-mers in the training
    /// elements (prism/kmer_enrichment.h); 0 = off, else at most this many filters.
    int64_t motif_seed = 32;
    int64_t motif_seed_k = 8;          ///< k-mer length (6..12, <= model.kernel)
    double motif_seed_min_z = 10.0;    ///< only k-mers this far above the Markov background
    /// > 0: a seed must also be this many sd above the background in every training cell line
    /// (k-mers over-represented in one cell line only are listed, not seeded); 0 = not checked
    double motif_seed_min_cell_z = 3.0;
    /// Grow each seed k-mer into its whole motif by the conserved columns around its
    /// occurrences, up to model.kernel bases (prism/motif_extension.h), and seed one filter per
    /// distinct motif (a second k-mer of the same motif is merged, not seeded again).
    bool motif_seed_extend = true;
    /// With motif_seed_extend: start each seeded filter as the motif's position weight matrix
    /// with a background site threshold (prism/motif_pwm.h) instead of its consensus.
    bool motif_seed_pwm = false;
    /// Which learner (feature tables only): "network" (this model) | "xgboost" (gradient-boosted
    /// trees through XGBoost's C API on the same input columns; src/train/xgboost_trainer.cpp).
    std::string kind = "network";
    int64_t xgb_rounds = 500;          ///< xgboost: boosting rounds at most (one log line each)
    int64_t xgb_early_stopping = 20;   ///< xgboost: rounds without a higher val AUPR (0 = off)
    int64_t xgb_max_depth = 6;         ///< xgboost: tree depth
    double xgb_eta = 0.1;              ///< xgboost: learning rate (shrinkage)
    double xgb_min_child_weight = 1;   ///< xgboost: least hessian sum in a leaf
    double xgb_lambda = 1;             ///< xgboost: L2 penalty on leaf weights
    double xgb_min_child_share = 0;    ///< xgboost: > 0: min_child_weight = share x training rows
    /// A second learner averaged with the network (model.kind = "network"): "none" | "xgboost"
    /// (feature tables: gradient-boosted trees with the xgb_* parameters; the number of rounds
    /// chosen by leave-one-training-cell-line-out; src/train/ensemble_member.cpp) |
    /// "motif_grammar" (sequences: a logistic regression on the motif-pair grammar of the motifs
    /// found de novo in the training elements; src/train/motif_grammar_member.cpp).
    std::string ensemble = "motif_grammar";
    /// ensemble = "xgboost": the trees' weight w in the ensemble's probability
    /// (1 - w) * network + w * trees
    double ensemble_trees_weight = 0.5;
    /// ensemble = "motif_grammar": motif discovery (prism/motif_discovery.h) keeps at most this
    /// many motifs per stream, each from a seed k-mer at least motif_grammar_min_z sd above the
    /// second-order Markov background.
    int64_t motif_grammar_motifs = 32;
    double motif_grammar_min_z = 6.0;
    /// The member's site model: "hard" (hard-site EM, sites at a background p-value threshold),
    /// "posterior" (posterior-weighted EM, expected site counts) or "select" (both fitted, the
    /// one of higher plain validation AUPR kept).
    std::string motif_grammar_sites = "select";
    /// The background the member's motif discovery scores EM against: "uniform", "composition"
    /// (each stream's training elements' own strand-symmetric base composition) or "average"
    /// (the site model chosen on uniform-background motifs fitted again on composition-background
    /// motifs, the two grammars' logits averaged).
    std::string motif_grammar_background = "average";
    /// Discovery lets a PWM grow 2 columns beyond its seed k-mer on each side. With N > 0 (3..8)
    /// the chosen site model is fitted once more on motifs discovered with N free columns on each
    /// side, on each background of motif_grammar_background, and the member averages all the
    /// grammars' logits; 0: off.
    int64_t motif_grammar_wide_flank = 4;
  } model;

  /// [data]
  struct Data {
    std::string kind = "sequence";         ///< "sequence" (domain-kl dir) | "features"
    std::string dir;                       ///< domain-kl layout (sequence)
    std::vector<std::string> files;        ///< feature tables (features)
    std::vector<std::string> test_cells;   ///< features: held-out cell lines
    std::vector<std::string> val_cells;    ///< features: validation cell lines
    int64_t max_enhancer = 3000, max_promoter = 4000;  ///< centre crop in bp (sequence)
    bool use_distance = true;              ///< features: log10 distance into z_I
    bool distance_feature = false;         ///< features: log10 distance also an encoder input
    /// features: two more encoder input columns, the pair's rank by distance among its
    /// enhancer's and its promoter's candidates in its cell line (train/candidate_rank.h)
    bool candidate_rank = false;
    std::string normalize = "cell";        ///< features: cell | train | none (after log1p)
    /// sequence: mask each training cell line's most specific cell-specific k-mers in its
    /// training enhancers (prism/shortcut_mask.h); 0 = off
    int64_t shortcut_mask_per_cell = 3;
    double shortcut_mask_min_specificity = 5.0;  ///< only k-mers at least this specific
    double shortcut_mask_spare_z = 3.0;  ///< spare k-mers present beyond chance elsewhere
    /// sequence: mask the validation split's cell-specific k-mers too (its cell lines among
    /// themselves), for early stopping, the threshold and the ensemble's gate
    bool shortcut_mask_val = true;
  } data;

  /// [components] on/off switches.
  struct Components {
    bool prototype = false, contrastive = false, orthogonality = false, adversarial = false;
  } components;

  /// [loss]
  struct Loss {
    std::string main = "bce";  ///< a task loss of the loss registry (model/losses.h)
    double contrastive_temperature = 0.2;
    double immax_momentum = 0.9;
  } loss;

  /// [weights] full weights of the auxiliary losses (task has weight 1).
  struct Weights {
    double prototype = 0.1, contrastive = 0.1, orthogonality = 0.1, adversarial = 0.05;
  } weights;

  /// [curriculum] epochs 1..warmup: task only; then a linear ramp over ramp_epochs to the full
  /// weights: w(e) = w * min(1, (e - warmup) / ramp) for e > warmup.
  struct Curriculum {
    int64_t warmup_epochs = 0, ramp_epochs = 1;
  } curriculum;

  /// [train]
  struct Train {
    /// 0 = derived when training starts: the fewest epochs that reach `steps` optimiser steps on
    /// the training set (run.json `derived`, the run's config.toml).
    int64_t epochs = 0, batch_size = 64;
    int64_t steps = 1500;                 ///< with epochs = 0: the optimiser steps to reach
    std::string sampler = "contrastive";  ///< a name of the sampler registry (prism/sampler.h)
    double lr = 0.002, weight_decay = 0.01, grad_clip = 1.0;
    std::string schedule = "cosine";      ///< a name of the schedule registry (train/lr_schedule.h)
    int64_t step_size = 5;                ///< step schedule: epochs per decay
    double gamma = 0.5;                   ///< step schedule: decay factor
    double min_lr = 1e-5;                 ///< cosine schedule floor
    int64_t patience = 3;                 ///< early stopping on val AUPR (0 = off)
    /// Decision threshold rule on the validation split (prism/metric.h ThresholdRuleNames():
    /// "f1" | "mcc"); `prism predict` applies the chosen threshold to other splits.
    std::string threshold_rule = "mcc";
    int64_t eval_batch_size = 256;
    /// Task- and contrastive-loss weights that make a covariate independent of the label within
    /// each training cell line (prism/covariate_balance.h): "none" | "gc" (sequence data only).
    std::string balance = "gc_elements";
    int64_t balance_bins = 20;            ///< quantile bins of the covariate per cell line
    double balance_max_weight = 30.0;     ///< weights clipped to [1/max, max]
    bool balance_trim = true;             ///< pairs of one-class bins get weight 0 (no match)
    /// validation pairs get the same balance weights, and early stopping and the ensemble's gate
    /// compare the weighted validation AUPR (docs/train-config.md)
    bool select_balanced = true;
  } train;

  std::string source;  ///< file the config was read from ("" when built in code)

  /// The resolved configuration as JSON (run.json's `config`).
  Json ToJson() const;
  /// The resolved configuration as TOML (RUN/config.toml), every key written.
  std::string ToToml() const;
};

/// Parses and validates a TOML config file. Relative data paths are resolved against the
/// file's folder. The file's `preset` (default "default") is the base its keys override;
/// `preset_override` (non-empty) replaces it (`prism train --preset`). Errors
/// (prism::InputError) name the file, line and column: unknown sections or keys, wrong value
/// types, values out of range and conflicts between components and sampler. A path that is a
/// directory or cannot be read is refused naming it.
TrainConfig ReadTrainConfig(const std::string& path, const std::string& preset_override = "");
/// Same from text; `source` names it in errors; relative paths resolve against `base_dir`.
TrainConfig ParseTrainConfig(const std::string& text, const std::string& source,
                             const std::string& base_dir = "",
                             const std::string& preset_override = "");
/// Checks the conflicts between keys (e.g. prototype or contrastive with the random sampler);
/// throws prism::Error naming the keys. (Single values are checked against the field table's
/// ranges while parsing.)
void ValidateTrainConfig(const TrainConfig& config);

/// The names of the built-in configurations (configs/*.toml compiled into the binary), sorted.
std::vector<std::string> BuiltinConfigNames();
/// The TOML text of a built-in configuration; prism::Error naming the known ones otherwise.
const std::string& BuiltinConfigText(const std::string& name);
/// A built-in configuration, resolved (its own `preset` as base).
TrainConfig BuiltinTrainConfig(const std::string& name);
/// The Markdown reference of every configuration key (`prism config reference`; the block
/// between the config-reference markers of docs/train-config.md is exactly this text).
std::string TrainConfigReference();

/// How TrainRun runs.
struct TrainRunOptions {
  std::string out_dir;  ///< the run folder (created)
  bool resume = false;  ///< continue from out_dir/checkpoints/last.pt
  /// Train even when the estimated memory of the model and one batch exceeds the machine's
  /// (train::CheckTrainingFits; otherwise refused before training), and with resume, continue
  /// although the configuration or data hash differ from the interrupted run's (recorded in
  /// run.json `resumed_with_changes`; otherwise refused).
  bool force = false;
  int threads = 0;      ///< torch intra-op threads; 0 = all cores
  int64_t stop_after_epoch = 0;  ///< > 0: stop after this epoch as if interrupted (resume tests)
  int64_t max_steps = 0;  ///< > 0: stop after this many optimiser steps (benchmarks)
  size_t prefetch = 4;    ///< batches the loader thread prepares ahead of the step loop
  /// Data-parallel training (docs/distributed.md): world_size > 1 joins a c10d process group
  /// at `master` ("ADDR:PORT"); every rank trains on its share of each global batch and only
  /// rank 0 writes the run folder.
  int world_size = 1;
  int rank = 0;
  std::string master = "127.0.0.1:29500";
  /// Fit the built-in baselines (prism/baseline.h) on the run's splits before the first epoch
  /// and write RUN/baselines.json (`--no-baselines` = false).
  bool baselines = true;
};

/// What a finished training run reports.
struct TrainSummary {
  int64_t epochs_run = 0, best_epoch = 0, parameters = 0;
  double best_val_aupr = 0;
  double seconds = 0;
  bool early_stopped = false;
};

/// Trains a model and writes the run folder. Throws prism::Error on bad input; a NaN/Inf loss
/// step is counted in the log and skipped, never a crash.
TrainSummary TrainRun(const TrainConfig& config, const TrainRunOptions& options);

/// Parameters of the model a config builds (sequence input: num_cells training cells).
int64_t CountModelParameters(const TrainConfig& config, int64_t num_cells = 4,
                             int64_t num_features = 24);

/// How PredictRun runs.
struct PredictOptions {
  std::string run_dir;
  std::string data_dir;        ///< override the training config's data (sequence layout)
  std::string split = "test";  ///< test | val | train
  bool context_free = false;   ///< e_c = uniform prototype mix instead of the cell's own context
  bool no_calibration = false; ///< skip the context calibration even if model.context_calibration
  std::string checkpoint = "best";  ///< best | last
  int threads = 0;
  /// Put the built-in baselines on the same split into metrics/<split>.json and results.md
  /// (`--no-baselines` = false); see baseline::BaselinesForPrediction.
  bool baselines = true;
  /// Sequence data, unseen-cell split: also measure the model's reliance on the audit's
  /// cell-specific k-mers (RUN/shortcut_reliance.json, prism/shortcut_reliance.h).
  bool shortcut_reliance = true;
};

/// What PredictRun wrote.
struct PredictSummary {
  std::string table_markdown;  ///< the results.md table
  double aupr = 0, auc = 0;
  int64_t n = 0;
};

/// Scores a split with a trained run and writes predictions/<split>.csv, metrics/<split>.json,
/// results.md and diagnostics.json (atomically), and for sequence data on the unseen-cell split
/// (test, or val when there are no test pairs) shortcut_reliance.json.
PredictSummary PredictRun(const PredictOptions& options);

}  // namespace prism
