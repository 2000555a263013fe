// prism/run_records.h - the typed records of the run folder (docs/run-folder.md): what `train`
// and `predict` write and what the inspector, reflection, report and ledger read.
//
// Every record has ToJson (the writer's layout, NaN/Inf as "nan"/"inf" strings, absent parts as
// null) and FromJson (the reader). FromJson is tolerant of missing fields (older runs, hand-made
// fixtures: numbers become NaN, optional parts stay empty) and strict about types: a field of
// the wrong type is an InputError naming the file, the line and the field ("field 'val.aupr':
// expected a number, found \"high\""). Torch-free.
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "prism/metric.h"

namespace prism {

using Json = nlohmann::json;

/// Where a record comes from, for error messages (line 0 = the whole file).
struct RecordSource {
  std::string file;
  long line = 0;
};

// ---- train_log.jsonl ---------------------------------------------------------------------

/// Per-cell validation scores of one epoch.
struct CellScores {
  double aupr = NAN, auc = NAN;
  int64_t n = 0;
};

/// `train` or `val` of one epoch (threshold and per_cell: validation only).
struct EpochScores {
  double aupr = NAN, auc = NAN, precision = NAN, recall = NAN, f1 = NAN, threshold = NAN;
  double positive_rate = NAN;  ///< not written by the trainer; read when a log has it
  /// val: the AUPR under the validation split's covariate-balance weights (train.select_balanced),
  /// which model selection reads; NaN when not computed
  double aupr_balanced = NAN;
  std::map<std::string, CellScores> per_cell;
  bool has_threshold = false;  ///< write "threshold" (val) or not (train)
  bool has_per_cell = false;
};

/// `output`: statistics of the epoch's training predictions.
struct OutputStats {
  double mean = NAN, std = NAN, frac_gt_099 = NAN, frac_lt_001 = NAN;
};

/// `grad_norm`: an object {mean, min, max}; older logs hold one number (read as mean = max).
struct GradNorm {
  double mean = NAN, min = NAN, max = NAN;
  /// max, or mean when max is not recorded.
  double Max() const { return std::isnan(max) ? mean : max; }
};

/// One line of train_log.jsonl.
struct EpochRecord {
  int64_t epoch = 0;  ///< 1-based; the line's position when a hand-made log omits it
  double seconds = NAN, samples_per_s = NAN, lr = NAN;
  std::map<std::string, double> loss;     ///< component -> value ("total" included); null = absent
  std::map<std::string, double> weights;  ///< component -> weight of the epoch
  std::optional<GradNorm> grad_norm;
  std::optional<EpochScores> train, val;
  std::optional<OutputStats> output;
  double temperature = NAN;             ///< "T"
  std::optional<double> disc_acc;       ///< null when the adversarial component is off
  int64_t nan_steps = 0;
  std::string sampler;                  ///< "" = not logged
  std::vector<std::string> components;
  std::optional<int64_t> parameters, train_samples;
  double flops_per_sample = NAN, achieved_gflops = NAN, mfu = NAN, data_wait_fraction = NAN;
  std::optional<int64_t> world_size;

  /// A loss component, NaN when absent.
  double Loss(const std::string& name) const;
  /// A weight, NaN when absent.
  double Weight(const std::string& name) const;
  /// train.aupr / val.aupr, NaN when absent.
  double TrainAupr() const { return train ? train->aupr : NAN; }
  double ValAupr() const { return val ? val->aupr : NAN; }
  /// What early stopping compares: val.aupr_balanced where the log has it, else val.aupr.
  double SelectionAupr() const {
    return val && std::isfinite(val->aupr_balanced) ? val->aupr_balanced : ValAupr();
  }

  Json ToJson() const;
  /// `index` (0-based) gives the epoch number when the line has none.
  static EpochRecord FromJson(const Json& j, const RecordSource& src, size_t index);
};

// ---- run.json ----------------------------------------------------------------------------

/// data.bayes_aupr: AUPR of the simulation's true probabilities per split.
struct BayesAupr {
  std::string source;
  double train = NAN, val = NAN, test = NAN;
};

/// run.json `data`.
struct DataRecord {
  std::string kind, path, hash;
  int64_t train_pairs = 0, val_pairs = 0, test_pairs = 0;
  std::vector<std::string> train_cells, val_cells, test_cells;
  /// The cell lines that the val split shares with the training split (run.json
  /// `val_shared_cells`, with `val_shares_train_cells` = not empty): a val split of training cell
  /// lines measures fit, not transfer to unseen cell lines. Read back from train_cells/val_cells
  /// when a run.json predates the field.
  std::vector<std::string> val_shared_cells;
  bool ValSharesTrainCells() const { return !val_shared_cells.empty(); }
  std::optional<BayesAupr> bayes_aupr;
};

/// The names in both `a` and `b` (in a's order).
std::vector<std::string> SharedCellLines(const std::vector<std::string>& a,
                                         const std::vector<std::string>& b);

/// One row of run.json `balance.per_cell`.
struct BalanceCell {
  std::string cell_line;
  int64_t n = 0;
  double corr_before = NAN, corr_after = NAN, effective_n = NAN;
  int64_t trimmed = 0;  ///< pairs given weight 0 (train.balance_trim)
};
/// run.json `balance` (train.balance).
struct BalanceRecord {
  std::string covariate;
  int64_t bins = 0;
  double max_weight = NAN;
  std::vector<BalanceCell> per_cell;
};

/// A checkpoint file as written: its size, content hash and epoch (run.json `checkpoints`), and
/// the decision threshold chosen on the validation split at that epoch (train.threshold_rule).
struct CheckpointRecord {
  std::string file;   ///< relative to the run folder ("checkpoints/best.pt")
  int64_t bytes = 0;
  std::string hash;   ///< HashFile (XXH3-64, 16 hex)
  int64_t epoch = 0;
  /// "val_threshold"; NaN (absent) without a val split and in older runs.
  double val_threshold = NAN;
};

/// One `--resume` that went ahead although the configuration or the data changed (--force).
struct ResumeChange {
  int64_t at_epoch = 0;  ///< the first epoch trained after the resume
  std::string time;
  std::string old_config_hash, new_config_hash, old_data_hash, new_data_hash;
};

/// run.json.
struct RunRecord {
  std::string name, created, finished, prism_version, code_version, libtorch;
  int64_t seed = 0;
  int64_t threads = 0;
  Json blas;                      ///< BlasInfo() (prism/blas.h), kept as written
  double gemm_peak_gflops = NAN;
  Json distributed;               ///< {"world_size","backend","master"}
  DataRecord data;
  Json config;                    ///< the resolved configuration (config.toml as JSON)
  std::string config_hash;        ///< hash of config.toml's text ("" in older runs)
  std::optional<int64_t> parameters;
  std::optional<BalanceRecord> balance;
  /// the validation split's balance weights (train.select_balanced; null when off)
  std::optional<BalanceRecord> balance_val;
  Json motif_seed;                ///< SeedMotifFilters record (null when off)
  Json shortcut_mask;             ///< the masked cell-specific k-mers (null when off)
  Json derived;                   ///< sizes and epochs derived from the training data, with the rule
  Json embed_conv;                ///< model.fused_embed_conv resolved (EmbedConvChoice; null in
                                  ///< older runs and for feature tables)
  std::map<std::string, CheckpointRecord> checkpoints;  ///< "best", "last"
  std::vector<ResumeChange> resumed_with_changes;
  std::string status;             ///< "running" | "finished" | "failed"
  std::optional<int64_t> best_epoch;
  std::optional<bool> early_stopped;

  /// config.components.<name> == true.
  bool ComponentConfigured(const std::string& name) const;
  /// config.train.sampler, or "" when not recorded.
  std::string ConfiguredSampler() const;
  /// config.train.threshold_rule, or "f1" when not recorded (runs from before the rule).
  std::string ConfiguredThresholdRule() const;
  /// config.<keys...> as a number (NaN when absent).
  double ConfigNumber(std::initializer_list<const char*> keys) const;

  Json ToJson() const;
  static RunRecord FromJson(const Json& j, const RecordSource& src);
};

// ---- metrics/<split>.json ----------------------------------------------------------------

/// One built-in baseline's metrics on one split (metrics/<split>.json `baselines.<name>`): the
/// fields of the model's table (overall + per cell line; threshold by F1 on its own labels) and
/// its cost.
struct BaselineMetrics {
  metric::MetricTable table;
  double fit_seconds = NAN, score_seconds = NAN;

  /// metric::ToJson(table) plus "fit_seconds", "score_seconds".
  Json ToJson() const;
  /// `field` names the object in errors ("baselines.xgboost").
  static BaselineMetrics FromJson(const Json& j, const RecordSource& src,
                                  const std::string& field);
};

/// metrics/<split>.json, written by predict.
struct PredictionMetrics {
  metric::MetricTable table;      ///< overall + per cell line
  std::string mode;               ///< "context" | "context_free"
  std::string split, checkpoint;  ///< "test", "best"
  std::optional<int64_t> epoch;   ///< epoch of the checkpoint
  /// context calibration: the training positive rate and each cell line's resistance offset
  std::optional<double> calibration_prior;
  std::map<std::string, double> resistance_offset;
  double seconds = NAN, pairs_per_s = NAN;  ///< speed of scoring (NaN when not recorded)
  /// Pairs without a label per cell line (scored, not evaluated; "unlabeled" in the JSON). When
  /// no pair has a label, `table` is empty and the JSON has no "overall".
  std::map<std::string, size_t> unlabeled;
  bool AnyLabeled() const { return table.overall.n > 0 || unlabeled.empty(); }
  /// The built-in baselines on the same split ("baselines": name -> BaselineMetrics), and the
  /// ones that do not apply to the data with the reason ("baselines_not_applicable"). Both
  /// empty when the baselines were switched off (--no-baselines) or the file predates them.
  std::map<std::string, BaselineMetrics> baselines;
  std::map<std::string, std::string> baselines_not_applicable;
  /// model.ensemble: the members' weight and rounds and each member's own AUPR/AUC (overall and
  /// per cell line) on this split; null for a single model.
  Json ensemble;

  Json ToJson() const;
  static PredictionMetrics FromJson(const Json& j, const RecordSource& src);
};

// ---- baselines.json ----------------------------------------------------------------------

/// One built-in baseline as fitted for a run (RUN/baselines.json `baselines.<name>`).
struct BaselineFitRecord {
  std::string name;
  bool applicable = false;
  std::string reason;          ///< why it does not apply (empty when applicable)
  Json params;                 ///< fitted hyper-parameters and sizes, kept as written
  double fit_seconds = NAN, score_seconds = NAN;
  std::map<std::string, metric::MetricTable> metrics;  ///< by split ("train", "val", "test")
};

/// RUN/baselines.json: the built-in baselines (prism/baseline.h) fitted on the run's training
/// split (validation: hyper-parameters, early stopping) and scored on its splits.
struct BaselinesRecord {
  std::string input;       ///< "sequence" | "features"
  std::string data_hash;   ///< the data they were fitted on (run.json data.hash)
  int64_t threads = 0;
  double seconds = NAN;    ///< reading the data, fitting and scoring, all baselines
  std::vector<BaselineFitRecord> baselines;  ///< by name

  /// The applicable baseline with the highest overall AUPR on `split`; nullptr when none has
  /// a finite AUPR there.
  const BaselineFitRecord* Best(const std::string& split) const;
  /// metrics/<split>.json's `baselines` and `baselines_not_applicable` for `split` (an
  /// applicable baseline not scored on `split` is left out).
  void ToPredictionMetrics(const std::string& split, PredictionMetrics* m) const;

  Json ToJson() const;
  static BaselinesRecord FromJson(const Json& j, const RecordSource& src);
};
/// Reads RUN/baselines.json (InputError naming the file on malformed content).
BaselinesRecord ReadBaselinesRecord(const std::string& path);

// ---- diagnostics.json --------------------------------------------------------------------

/// Prototype assignment of one cell line (diagnostics.json).
struct PrototypeAssignment {
  double entropy = NAN;
  std::string top;
  std::map<std::string, double> weights;
};

/// diagnostics.json: component health numbers, written by predict.
struct Diagnostics {
  std::optional<double> disc_acc, disc_chance;  ///< null when the adversarial component is off
  std::optional<double> zi_ze_corr;             ///< null when orthogonality is off
  bool has_prototypes = false;                  ///< separation/assignment recorded
  double proto_min_dist = NAN, proto_mean_dist = NAN, proto_within_spread = NAN;
  std::map<std::string, PrototypeAssignment> assignment;
  double r_e_mean = NAN, r_e_std = NAN, r_e_min = NAN, r_e_max = NAN;
  std::map<std::string, std::pair<double, double>> r_e_per_cell;  ///< cell -> (mean, std)
  double temperature = NAN;  ///< "T"
  std::string mode, split;
  double train_aupr = NAN, train_auc = NAN;
  int64_t train_n = 0;

  Json ToJson() const;
  static Diagnostics FromJson(const Json& j, const RecordSource& src);
};

/// Checks a checkpoint file without loading it: it exists, is not empty, ends like a complete
/// archive (a LibTorch checkpoint is a ZIP file: the end-of-central-directory record must be
/// there; an XGBoost model of model.kind = "xgboost", "*.json", must start with '{' and end
/// with '}'), and, when `expected` is given, has the recorded size and content hash. Returns ""
/// when it is sound, else what is wrong ("truncated: 1200 bytes, run.json records 48213").
std::string CheckpointProblem(const std::string& path, const CheckpointRecord* expected);
/// The record of a checkpoint file as it is now (size and HashFile); `file` as given.
CheckpointRecord DescribeCheckpoint(const std::string& run_dir, const std::string& file,
                                    int64_t epoch);

/// Reads RUN/metrics/<split>.json (InputError naming the file on malformed content).
PredictionMetrics ReadPredictionMetrics(const std::string& path);
/// Reads RUN/diagnostics.json.
Diagnostics ReadDiagnostics(const std::string& path);

}  // namespace prism
