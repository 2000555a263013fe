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

/// The resolved training configuration. Defaults are the `default` demo settings.
struct TrainConfig {
  std::string name = "run";
  uint64_t seed = 7;
  std::string preset = "default";  ///< model preset: tiny | default | paper

  /// [model] overrides of the preset (-1 / negative = keep the preset's value).
  struct Model {
    int64_t embed_dim = -1, channels = -1, kernel = -1, pool = -1, heads = -1, hidden = -1,
            z_i_dim = -1, z_e_dim = -1, head_hidden = -1, feature_hidden = -1;
    double dropout = -1;
    double t_init = 1.0;
    int fused_embed_conv = -1;  ///< embedding+conv through the per-step table: 1 on, 0 off, -1 the preset's
    int kmer_composition = -1;  ///< compositional 6-mer embedding: 1 on, 0 off, -1 the preset's
    int presence_readout = -1;  ///< per-channel global max of the conv features into h: 1 on, 0 off, -1 the preset's
    int pair_interaction = -1;  ///< outer product of the two streams' presence vectors into h: 1 on, 0 off, -1 the preset's
    int presence_cap = -1;  ///< presence read-out capped at 1 (an indicator): 1 on, 0 off, -1 the preset's (off)
    int kmer_table = -1;        ///< free per-k-mer table next to the composition: 1 on, 0 off, -1 the preset's
    int cell_offset = -1;  ///< training-only logit offset per training cell line: 1 on, 0 off, -1 the preset's (off)
    int context_calibration = -1;  ///< per-cell resistance offset to the training positive rate at scoring: 1 on, 0 off, -1 the preset's (off)
    /// Motif seeding (sequence input): before training, the first convolution filters of each
    /// stream start as detectors of that stream's most over-represented k-mers in the training
    /// elements (prism/kmer_enrichment.h); 0 = off, else at most this many filters.
    int64_t motif_seed = 0;
    int64_t motif_seed_k = 8;          ///< k-mer length (6..12, <= model.kernel)
    double motif_seed_min_z = 10.0;    ///< only k-mers this far above the Markov background
    /// > 0: a seed must also be this many sd above the background in every training cell line
    /// (k-mers over-represented in one cell line only are listed, not seeded); 0 = not checked
    double motif_seed_min_cell_z = 0.0;
    /// Grow each seed k-mer into its whole motif by the conserved columns around its
    /// occurrences, up to model.kernel bases (prism/motif_extension.h), and seed one filter per
    /// distinct motif (a second k-mer of the same motif is merged, not seeded again).
    bool motif_seed_extend = false;
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
    std::string normalize = "cell";        ///< features: cell | train | none (after log1p)
  } data;

  /// [components] on/off switches.
  struct Components {
    bool prototype = true, contrastive = true, orthogonality = true, adversarial = true;
  } components;

  /// [loss]
  struct Loss {
    std::string main = "bce";  ///< bce | adaptive_immax
    double contrastive_temperature = 0.1;
    double immax_momentum = 0.9;
  } loss;

  /// [weights] full weights of the auxiliary losses (task has weight 1).
  struct Weights {
    double prototype = 0.1, contrastive = 0.1, orthogonality = 0.1, adversarial = 0.05;
  } weights;

  /// [curriculum] epochs 1..warmup: task only; then a linear ramp over ramp_epochs to the full
  /// weights: w(e) = w * min(1, (e - warmup) / ramp) for e > warmup.
  struct Curriculum {
    int64_t warmup_epochs = 1, ramp_epochs = 2;
  } curriculum;

  /// [train]
  struct Train {
    int64_t epochs = 8, batch_size = 64;
    std::string sampler = "contrastive";  ///< cell | contrastive | random
    double lr = 1e-3, weight_decay = 1e-2, grad_clip = 1.0;
    std::string schedule = "cosine";      ///< cosine | step | constant
    int64_t step_size = 5;                ///< step schedule: epochs per decay
    double gamma = 0.5;                   ///< step schedule: decay factor
    double min_lr = 1e-5;                 ///< cosine schedule floor
    int64_t patience = 4;                 ///< early stopping on val AUPR (0 = off)
    int64_t eval_batch_size = 256;
    /// Task- and contrastive-loss weights that make a covariate independent of the label within
    /// each training cell line (prism/covariate_balance.h): "none" | "gc" (sequence data only).
    std::string balance = "none";
    int64_t balance_bins = 10;            ///< quantile bins of the covariate per cell line
    double balance_max_weight = 10.0;     ///< weights clipped to [1/max, max]
  } train;

  std::string source;  ///< file the config was read from ("" when built in code)

  /// The resolved configuration as JSON (run.json's `config`).
  Json ToJson() const;
  /// The resolved configuration as TOML (RUN/config.toml), every key written.
  std::string ToToml() const;
};

/// Parses and validates a TOML config file. Relative data paths are resolved against the
/// file's folder. Errors (prism::InputError) name the file, line and column: unknown sections
/// or keys, wrong value types, invalid values and conflicts between components and sampler.
TrainConfig ReadTrainConfig(const std::string& path);
/// Same from text; `source` names it in errors; relative paths resolve against `base_dir`.
TrainConfig ParseTrainConfig(const std::string& text, const std::string& source,
                             const std::string& base_dir = "");
/// Checks values and conflicts (e.g. prototype or contrastive with the random sampler); throws
/// prism::Error naming the key.
void ValidateTrainConfig(const TrainConfig& config);

/// How TrainRun runs.
struct TrainRunOptions {
  std::string out_dir;  ///< the run folder (created)
  bool resume = false;  ///< continue from out_dir/checkpoints/last.pt
  /// With resume: continue although the configuration or data hash differ from the
  /// interrupted run's (recorded in run.json `resumed_with_changes`); without it that is refused.
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
};

/// What PredictRun wrote.
struct PredictSummary {
  std::string table_markdown;  ///< the results.md table
  double aupr = 0, auc = 0;
  int64_t n = 0;
};

/// Scores a split with a trained run and writes predictions/<split>.csv, metrics/<split>.json,
/// results.md and diagnostics.json (atomically).
PredictSummary PredictRun(const PredictOptions& options);

}  // namespace prism
