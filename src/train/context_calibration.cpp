// train/context_calibration.cpp - the per-cell resistance offset of the context calibration
// (train::Score, docs/train-config.md "Context calibration").
#include <cmath>
#include <vector>

#include "prism/error.h"
#include "train/engine.h"

namespace prism::train {

double CalibrationOffset(const std::vector<double>& logit, double prior) {
  PRISM_CHECK(prior > 0 && prior < 1, "calibration prior must be in (0, 1), got ", prior);
  PRISM_CHECK(!logit.empty(), "calibration needs at least one score");
  auto mean_prob = [&](double b) {
    double m = 0;
    for (double l : logit) m += 1.0 / (1.0 + std::exp(-(l - b)));
    return m / static_cast<double>(logit.size());
  };
  // mean_prob falls monotonically in b; the bracket covers any float32 logit.
  double lo = -200, hi = 200;
  for (int it = 0; it < 100; ++it) {
    const double mid = 0.5 * (lo + hi);
    (mean_prob(mid) > prior ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace prism::train
