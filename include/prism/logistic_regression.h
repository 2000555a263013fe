// prism/logistic_regression.h - L2-regularised logistic regression on sparse rows (the one shared
// implementation: the built-in baselines, prism/baseline.h, and the simulator's reference learner).
//
// Minimises  sum_i [log(1 + exp(z_i)) - y_i z_i] + (l2 / 2) * ||w||^2,  z_i = x_i . w + b,
// with the intercept b not penalised: scikit-learn's LogisticRegression(C = 1 / l2) objective
// (tested against a fixture made with it, tests/fixtures/baseline/logistic.json). Solved by
// L-BFGS with a backtracking (Armijo) line search. No LibTorch; meant for up to a few thousand
// features (the k-mer and distance baselines).
#pragma once

#include <cstddef>
#include <utility>
#include <vector>

namespace prism {

/// Rows of a sparse design matrix (compressed sparse rows).
struct SparseRows {
  int cols = 0;
  std::vector<size_t> offsets{0};  ///< row r holds entries offsets[r] .. offsets[r + 1]
  std::vector<int> index;
  std::vector<double> value;
  size_t rows() const { return offsets.size() - 1; }
  /// Appends a row of (column, value) entries (columns < cols).
  void AddRow(const std::vector<std::pair<int, double>>& entries);
};

/// Coefficients of a fitted model.
struct LogisticModel {
  std::vector<double> w;  ///< one per column
  double intercept = 0;
  int iterations = 0;     ///< L-BFGS iterations used
  bool converged = false;
};

struct LogisticFitOptions {
  double l2 = 1.0;            ///< > 0; scikit-learn's C is 1 / l2
  int max_iterations = 1000;
  /// Stop when the largest gradient entry of the objective divided by the number of rows is
  /// below this.
  double gradient_tolerance = 1e-8;
  int history = 10;           ///< L-BFGS memory
};

/// Fits on rows `x` with 0/1 labels `y`; starts from `warm` when given (same width).
/// prism::Error for mismatched sizes, labels other than 0/1 or l2 <= 0.
LogisticModel FitLogistic(const SparseRows& x, const std::vector<int>& y,
                          const LogisticFitOptions& options, const LogisticModel* warm = nullptr);
/// The linear predictor z = x . w + b of every row (a monotone score; sigmoid(z) = P(y = 1)).
std::vector<double> LogisticScores(const LogisticModel& model, const SparseRows& x);
/// P(y = 1) = sigmoid(z) of every row, computed without overflow.
std::vector<double> LogisticProbabilities(const LogisticModel& model, const SparseRows& x);

}  // namespace prism
