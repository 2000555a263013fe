// Threshold metrics: the confusion matrix at a threshold, the grid, the Matthews correlation.
// The threshold rules that search the grid are in threshold_rules.cpp.
#include <algorithm>
#include <cmath>
#include <limits>

#include "metric/metric_internal.h"
#include "prism/metric.h"

namespace prism::metric {
namespace {

/// Fills the rates from the counts (0/0 -> 0 as sklearn's zero_division default).
Confusion FromCounts(long tp, long fp, long tn, long fn) {
  Confusion c;
  c.tp = tp;
  c.fp = fp;
  c.tn = tn;
  c.fn = fn;
  c.precision = tp + fp > 0 ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0.0;
  c.recall = tp + fn > 0 ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0.0;
  long f1_den = 2 * tp + fp + fn;
  c.f1 = f1_den > 0 ? 2.0 * static_cast<double>(tp) / static_cast<double>(f1_den) : 0.0;
  long n = tp + fp + tn + fn;
  c.accuracy = n > 0 ? static_cast<double>(tp + tn) / static_cast<double>(n)
                     : std::numeric_limits<double>::quiet_NaN();
  return c;
}

}  // namespace

Confusion AtThreshold(const std::vector<int>& y, const std::vector<double>& s, double thr) {
  internal::Validate(y, s, "AtThreshold");
  long tp = 0, fp = 0, tn = 0, fn = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    bool pred = s[i] >= thr;
    if (y[i]) (pred ? tp : fn)++;
    else (pred ? fp : tn)++;
  }
  return FromCounts(tp, fp, tn, fn);
}

std::vector<double> ThresholdGrid() {
  std::vector<double> grid;
  for (int k = 1; k <= 99; ++k) grid.push_back(k / 100.0);
  return grid;
}


ThresholdChoice BestF1Threshold(const std::vector<int>& y, const std::vector<double>& s) {
  internal::Validate(y, s, "BestF1Threshold");
  return internal::BestF1Threshold(internal::GroupScores(y, s));
}

double Matthews(const Confusion& c) {
  const double tp = static_cast<double>(c.tp), fp = static_cast<double>(c.fp),
               tn = static_cast<double>(c.tn), fn = static_cast<double>(c.fn);
  const double den = (tp + fp) * (tp + fn) * (tn + fp) * (tn + fn);
  return den > 0 ? (tp * tn - fp * fn) / std::sqrt(den) : 0.0;
}

}  // namespace prism::metric
