// prism/predictions.h - the predictions CSV (RUN/predictions/*.csv, and input of `prism eval`).
//
// Header: `enhancer,promoter,cell_line,label,score` then optional `u_i,r_e` (docs/run-folder.md).
// Only `label` and `score` are required when reading, so predictions of other tools can be scored
// the same way; columns may come in any order and unknown columns are ignored.
#pragma once

#include <string>
#include <vector>

namespace prism {

/// Scored pairs, column-wise. Optional columns are empty when absent.
struct Predictions {
  std::vector<std::string> enhancer, promoter, cell_line;  ///< empty or size()
  std::vector<int> label;  ///< 0/1; kUnlabeled (prism/pairs.h) is written as an empty field
  std::vector<double> score;                               ///< finite
  std::vector<double> u_i, r_e;                            ///< empty or size() (energy terms)
  /// Number of pairs (= label.size()).
  size_t size() const { return label.size(); }
};

/// What the score column holds: any finite number (other tools' rankings), a probability in
/// [0, 1] (checked), or a logit (sigmoid applied on reading).
enum class ScoreScale { kAny, kProbability, kLogit };

/// Reads a predictions CSV (plain or gzip, "-" = stdin). Requires columns `label` (0/1, also
/// 0.0/1.0/true/false) and `score` (any finite number: scores of other tools need not be
/// probabilities; calibration metrics assume [0, 1]); optional `cell_line`, `enhancer`,
/// `promoter`, `u_i`, `r_e`. Errors are InputError "FILE:LINE:COL: ..." (missing column, ragged
/// row, bad label, non-numeric or non-finite score). An empty body (header only) is allowed.
/// A name column (cell_line, enhancer, promoter) that is empty on every row counts as absent.
/// With ScoreScale::kProbability a score outside [0, 1] is an InputError at its cell; with
/// kLogit every score becomes 1 / (1 + exp(-score)).
Predictions ReadPredictions(const std::string& path, ScoreScale scale = ScoreScale::kAny);

/// Writes `p` atomically: `enhancer,promoter,cell_line,label,score` (+ `u_i,r_e` when present),
/// scores with 17 significant digits so they read back exactly. Missing name columns are written
/// empty. Throws prism::Error when column lengths disagree.
void WritePredictions(const std::string& path, const Predictions& p);

}  // namespace prism
