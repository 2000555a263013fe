// baseline/baseline_internal.h - the fit functions behind the registry (baseline_registry.cpp)
// and the pieces the unit tests reach directly.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "prism/baseline.h"
#include "prism/logistic_regression.h"

namespace prism::baseline {

// ---- distance (distance_baseline.cpp) ----
/// Empty when every pair of every part has a finite distance, else why not.
std::string DistanceNotApplicable(const BaselineInput& input);
std::unique_ptr<FittedBaseline> FitDistance(const BaselineInput& input,
                                            const BaselineOptions& options);

// ---- kmer_logreg (kmer_logreg_baseline.cpp, kmer_features.cpp) ----
/// Number of canonical k-mers (a k-mer and its reverse complement counted once):
/// (4^k + 4^(k/2)) / 2 for even k (palindromes are their own complement), 4^k / 2 for odd k.
int NumCanonicalKmers(int k);
/// Frequencies of the canonical k-mers of `seq` (k-mers touching a base other than ACGT are
/// skipped): counts divided by the number of valid k-mers (all 0 when there are none).
std::vector<double> CanonicalKmerFrequencies(const std::string& seq, int k);
/// The canonical index (0 .. NumCanonicalKmers(k) - 1) of the k-mer `kmer` (ACGT only).
int CanonicalKmerIndex(const std::string& kmer);
std::unique_ptr<FittedBaseline> FitKmerLogreg(const BaselineInput& input,
                                              const BaselineOptions& options);

// ---- xgboost (xgboost_booster.cpp, xgboost_baseline.cpp) ----
/// Gradient-boosted trees through XGBoost's C API on a dense float matrix (NaN = missing).
struct XgbParams {
  int max_depth = 6;
  double eta = 0.1;
  double min_child_weight = 1;  ///< XGBoost's default: a leaf needs this much hessian
  double lambda = 1;            ///< XGBoost's default L2 penalty on leaf weights
  /// > 0: min_child_weight = min_child_share x the training rows of each fit (replaces
  /// min_child_weight), so a leaf's least share of the data does not depend on the data's size.
  double min_child_share = 0;
  int max_rounds = 500;
  int early_stopping = 20;  ///< 0 = off
  int threads = 1;
  uint64_t seed = 7;
};
struct XgbMatrix {
  std::vector<float> values;  ///< row-major
  size_t rows = 0, cols = 0;
  std::vector<int> labels;
};
/// Called after every boosting round (0-based) with the predictions of all trees so far on the
/// training and the validation rows (the booster's cached predictions; val empty without a
/// validation matrix); returns the validation score that early stopping maximises (NaN: none).
using XgbRoundObserver = std::function<double(int round, const std::vector<double>& train_pred,
                                              const std::vector<double>& val_pred)>;
class XgbModel {
 public:
  /// Trains binary:logistic trees (tree_method hist, eval_metric aucpr) on `train`; with
  /// `val` (non-null, non-empty) and early_stopping > 0, stops after early_stopping rounds
  /// without a higher val aucpr (exactly xgboost.train's early_stopping_rounds) and predicts with
  /// the trees up to the best round. With an `observer`, its returned score replaces XGBoost's
  /// val aucpr for early stopping (rounds without a higher score). XGBoost failures are
  /// prism::Error.
  XgbModel(const XgbMatrix& train, const XgbMatrix* val, const XgbParams& params,
           const XgbRoundObserver* observer = nullptr);
  /// A model saved by SaveJson (every tree is used); InputError naming `source` when `text` is
  /// not an XGBoost model of `cols` columns.
  static std::unique_ptr<XgbModel> LoadJson(const std::string& text, size_t cols, int threads,
                                            const std::string& source);
  ~XgbModel();
  XgbModel(const XgbModel&) = delete;
  XgbModel& operator=(const XgbModel&) = delete;
  /// P(y = 1) of every row.
  std::vector<double> Predict(const XgbMatrix& x) const;
  /// The model as XGBoost's JSON text: the trees up to the best round (`best_only`) or all.
  std::string SaveJson(bool best_only) const;
  /// Tree nodes (splits and leaves) of the trees used (best_only) or of all trees.
  int64_t NumNodes(bool best_only) const;
  int rounds() const { return rounds_; }          ///< rounds trained
  int best_round() const { return best_round_; }  ///< 0-based; trees [0, best] are used
  double min_child_weight() const { return min_child_weight_; }  ///< the one XGBoost was given
  double best_val_aucpr() const { return best_score_; }

 private:
  XgbModel() = default;
  void* booster_ = nullptr;
  int rounds_ = 0, best_round_ = -1;
  double min_child_weight_ = 1;
  double best_score_ = 0;
  size_t cols_ = 0;
  int threads_ = 1;
};
std::unique_ptr<FittedBaseline> FitXgboost(const BaselineInput& input,
                                           const BaselineOptions& options);

/// The logistic-regression design matrix of dense rows (every entry stored).
SparseRows DenseRows(const std::vector<std::vector<double>>& rows, int cols);

}  // namespace prism::baseline
