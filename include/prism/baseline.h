// prism/baseline.h - the built-in baselines: reference models fitted on the training split and
// scored on any split, so that every result can be compared with the obvious model on the same
// data, splits and threshold rule (docs/baselines.md).
//
// One registry table (BaselineRegistry) names each baseline, the input kinds it applies to and
// its fit function:
//   | name        | input             | model                                                    |
//   | distance    | any, with distance| logistic regression on log10(1 + |distance|)            |
//   | kmer_logreg | sequence          | L2 logistic regression on canonical k-mer frequencies of |
//   |             |                   | the enhancer and the promoter (two blocks)               |
//   | xgboost     | feature table     | gradient-boosted trees (XGBoost C API), early stopping on|
//   |             |                   | the validation split                                     |
// Scores are probabilities in [0, 1], so prism/metric.h computes the same fields as for the model
// (threshold by BestF1Threshold). Torch-free.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "prism/metric.h"
#include "prism/pairs.h"
#include "prism/run_folder.h"
#include "prism/run_records.h"
#include "prism/split.h"

namespace prism {
struct TrainConfig;
}

namespace prism::baseline {

/// What a dataset holds besides its pairs.
enum class InputKind { kSequence, kFeatures };
/// "sequence" | "features".
std::string InputKindName(InputKind kind);

/// One split of a baseline's input: the pairs plus what describes them. Sequence parts refer to
/// `seqs` by the pairs' element names; feature parts hold pairs.size() x num_features values.
struct BaselinePart {
  std::vector<Pair> pairs;
  SequenceSet seqs;                        ///< sequence input
  std::vector<float> features;             ///< feature input, row-major
  std::vector<std::string> feature_names;  ///< feature input
  size_t num_features() const { return feature_names.size(); }
  /// The 0/1 labels and the cell lines of the pairs (for prism/metric.h).
  std::vector<int> Labels() const;
  std::vector<std::string> CellLines() const;
};

/// The three splits a baseline sees. Fitting uses train (and val to choose hyper-parameters or
/// to stop early); any part can be scored.
struct BaselineInput {
  InputKind kind = InputKind::kSequence;
  BaselinePart train, val, test;
  bool has_val = false;
  /// The part called "train", "val" or "test"; prism::Error for another name, or "val" when
  /// there is none.
  const BaselinePart& Part(const std::string& split) const;
};
/// A domain-kl dataset (sequences) as baseline input.
BaselineInput FromDomainKl(const DomainKlData& data);
/// A feature table split by `split` (e.g. SplitByCells) as baseline input.
BaselineInput FromFeatureTable(const FeatureTable& table, const SplitIndices& split);

/// Settings shared by every baseline; each default is documented in docs/baselines.md.
struct BaselineOptions {
  int threads = 1;     ///< XGBoost threads (prism's --threads)
  uint64_t seed = 7;   ///< XGBoost seed
  /// kmer_logreg: k-mer length (a k-mer and its reverse complement are one feature).
  int kmer_k = 4;
  /// kmer_logreg: the L2 strengths (scikit-learn's 1/C) tried on the validation split; the one
  /// with the highest validation AUPR is kept (ties: the stronger penalty).
  std::vector<double> kmer_l2_grid = {1000, 100, 10, 1, 0.1};
  /// kmer_logreg: the L2 strength used when there is no validation split.
  double kmer_l2_default = 1.0;
  /// distance: L2 strength on the standardised log distance (a tiny penalty that only
  /// keeps the fit finite when distance separates train perfectly).
  double distance_l2 = 1e-6;
  // xgboost (binary:logistic, tree_method hist).
  int xgb_max_depth = 6;
  double xgb_eta = 0.1;
  int xgb_max_rounds = 500;
  int xgb_early_stopping = 20;  ///< rounds without a better val aucpr (0 = off: all rounds)
};

/// A fitted baseline: scores any part of the input it was fitted on (or a like one).
class FittedBaseline {
 public:
  virtual ~FittedBaseline() = default;
  /// P(y = 1) for every pair of `part`, in [0, 1].
  virtual std::vector<double> Score(const BaselinePart& part) const = 0;
  /// The fitted hyper-parameters and sizes (e.g. the chosen L2, the number of rounds).
  virtual Json Describe() const = 0;
};

/// One row of the registry.
struct BaselineEntry {
  std::string name;
  std::string summary;              ///< one line for help texts and docs
  std::vector<InputKind> kinds;     ///< input kinds it applies to
  /// Empty when the baseline applies to `input`, else why not (e.g. "no distance").
  std::function<std::string(const BaselineInput&)> not_applicable;
  std::function<std::unique_ptr<FittedBaseline>(const BaselineInput&, const BaselineOptions&)>
      fit;
};
/// The registry table: distance, kmer_logreg, xgboost.
const std::vector<BaselineEntry>& BaselineRegistry();
/// The entry called `name`; prism::Error listing the valid names otherwise.
const BaselineEntry& FindBaseline(const std::string& name);

/// What running one baseline gave.
struct BaselineReport {
  std::string name;
  bool applicable = false;
  std::string reason;             ///< why not applicable (empty when applicable)
  Json params;                    ///< FittedBaseline::Describe()
  double fit_seconds = 0;         ///< fitting (incl. validation-based choices)
  double score_seconds = 0;       ///< scoring every requested split
  std::map<std::string, metric::MetricTable> metrics;  ///< by split name
  std::map<std::string, std::vector<double>> scores;   ///< by split name, in pair order
};

/// Fits every baseline named in `names` (all of the registry when empty) that applies to `input`
/// and scores the `splits` ("train", "val", "test"). Inapplicable baselines get a report with
/// applicable = false and the reason. An unknown name or split is a prism::Error.
std::vector<BaselineReport> RunBaselines(const BaselineInput& input,
                                         const BaselineOptions& options,
                                         const std::vector<std::string>& splits,
                                         const std::vector<std::string>& names = {});

// ---- the baselines of a run (prism train / predict / run; docs/baselines.md) ----

/// The baselines' input for a run configuration, split exactly as the training run splits it:
/// sequences from data.dir (or `data_dir` when given) with data.val_cells held out
/// (HoldOutValCells), feature tables (data.files, as read, not normalised) by data.test_cells /
/// data.val_cells.
BaselineInput InputForConfig(const TrainConfig& config, const std::string& data_dir = "");

/// Fits every baseline of the registry on `input`, scores the `splits` that it has (val only
/// when it has a validation split), logs each one's cost and the total ("baselines: ... s") and
/// returns the record of RUN/baselines.json. `data_hash` is recorded (run.json data.hash).
BaselinesRecord FitForRun(const BaselineInput& input, const BaselineOptions& options,
                          const std::vector<std::string>& splits, const std::string& data_hash);

/// `prism train`: fits the baselines on the training run's data and splits (InputForConfig),
/// scores train, val and test, and writes RUN/baselines.json; logs the cost. `threads` and the
/// config's seed go to XGBoost.
BaselinesRecord WriteRunBaselines(const TrainConfig& config, const std::string& run_dir,
                                  int threads, const std::string& data_hash);

/// `prism predict`: the baselines of a prediction of `split`. RUN/baselines.json when it was
/// fitted on the same data (`data_hash`, of the data the prediction reads) and scored `split`;
/// otherwise they are fitted now (data_dir overrides a sequence config's data.dir) and, when
/// the run has no baselines.json yet and the data is the run's own (run.json data.hash),
/// written there.
BaselinesRecord BaselinesForPrediction(const TrainConfig& config, const std::string& run_dir,
                                       const std::string& data_dir, const std::string& split,
                                       const std::string& data_hash, int threads);

/// results.md's comparison of the model (`model`, named `model_name`) with the baselines it
/// holds on the same split: one row per model (overall AUPR, AUC, F1, Recall, Precision,
/// Threshold, N), a per-cell-line AUPR table when there are cell lines, then the inapplicable
/// baselines with their reason. "" when `model` has no baselines.
std::string ComparisonMarkdown(const PredictionMetrics& model, const std::string& model_name);

/// {"applicable", "reason", "params", "fit_seconds", "score_seconds", "metrics": {split: table}}
Json ToJson(const BaselineReport& report);
/// Markdown: one row per applicable baseline and split (baseline | split | AUPR | AUC | F1 |
/// Recall | Precision | Threshold | N | seconds), then the inapplicable ones with their reason.
std::string ToMarkdown(const std::vector<BaselineReport>& reports);

}  // namespace prism::baseline
