// train/scoring.h - scoring a dataset with the cell line's estimated environment, and the
// context calibration. Internal (includes LibTorch).
#pragma once

#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "model/model.h"
#include "train/dataset.h"

namespace prism::train {

/// How Score works.
struct ScoreOptions {
  int64_t batch_size = 256;
  /// Prototypes on (config.components.prototype): e_c is a mix of the prototypes.
  bool prototype = false;
  /// The uniform prototype mix instead of each cell line's own estimate (and no calibration).
  bool context_free = false;
  /// Keep z_i, z_e and the discriminator logits of every pair (diagnostics).
  bool keep_z = false;
  /// Context calibration target in (0, 1), the training positive rate; NaN = off.
  double prior = NAN;
};

/// Scores of one dataset.
struct Scores {
  std::vector<double> prob, u_i, r_e;  ///< r_e: the R_E head (>= 0), without the offset below
  /// Per cell line: averaged prototype assignment (empty when prototypes are off).
  std::vector<std::pair<std::string, std::vector<double>>> assignment;
  torch::Tensor z_i, z_e;  ///< [N, d] in dataset order (when keep_z)
  torch::Tensor disc_logits;  ///< [N, K] (when keep_z)
  /// Per cell line: the resistance offset b of the context calibration, prob =
  /// sigmoid((u_i - r_e - b) / T) (empty when it is off).
  std::vector<std::pair<std::string, double>> resistance_offset;
};

/// Scores `d` in eval mode. Pairs are grouped by cell line and cut into homogeneous batches of
/// `batch_size`. With prototypes on and !context_free, every cell line's environment is
/// estimated from its own batches: the prototype assignment of each batch mean of z_E,
/// averaged over the cell's batches (weighted by batch size), mixed into e_c; context_free uses
/// the uniform mix. Prototypes off: e_c = 0.
/// Context calibration (`prior` in (0, 1), !context_free): every cell line's resistance gets
/// one offset b, R_E + b (prob only; r_e stays the head's output), chosen so that the mean
/// predicted probability over the cell line's own (unlabeled) pairs equals `prior`, the training
/// positive rate. Within a cell line the ranking is unchanged; across cell lines it removes the
/// shift of the cell's baseline resistance that the unlabeled context reveals
/// (docs/train-config.md).
Scores Score(model::PrismNet& net, const Dataset& d, const ScoreOptions& options);

/// The offset b with mean_i sigmoid(logit_i - b) = prior (bisection; prior in (0, 1)).
double CalibrationOffset(const std::vector<double>& logit, double prior);

}  // namespace prism::train
