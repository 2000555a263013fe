// Threshold metrics: the confusion matrix at a threshold and the F1-maximising threshold search.
#include <algorithm>
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
  // Scores ascending with a suffix count of positives: the grid costs 99 binary searches.
  const size_t n = y.size();
  std::vector<std::pair<double, int>> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = {s[i], y[i]};
  std::sort(v.begin(), v.end());
  std::vector<long> pos_from(n + 1, 0);
  for (size_t i = n; i-- > 0;) pos_from[i] = pos_from[i + 1] + v[i].second;
  const long positives = pos_from[0];
  ThresholdChoice best;
  best.threshold = 0.01;
  best.f1 = -1;
  for (double thr : ThresholdGrid()) {
    size_t first = std::lower_bound(v.begin(), v.end(), thr,
                                    [](const std::pair<double, int>& a, double t) {
                                      return a.first < t;
                                    }) -
                   v.begin();
    long predicted = static_cast<long>(n - first);
    long tp = pos_from[first];
    long fp = predicted - tp;
    long fn = positives - tp;
    long den = 2 * tp + fp + fn;
    double f1 = den > 0 ? 2.0 * static_cast<double>(tp) / static_cast<double>(den) : 0.0;
    if (f1 > best.f1) {  // strict: ties keep the smaller threshold
      best.f1 = f1;
      best.threshold = thr;
    }
  }
  return best;
}

}  // namespace prism::metric
