// Calibration metrics: reliability bins, expected calibration error, Brier score.
#include <algorithm>
#include <cmath>
#include <limits>

#include "metric/metric_internal.h"
#include "prism/error.h"
#include "prism/metric.h"

namespace prism::metric {

std::vector<ReliabilityBin> Reliability(const std::vector<int>& y, const std::vector<double>& s,
                                        int bins) {
  internal::Validate(y, s, "Reliability");
  if (bins < 1) Fatal("Reliability: bins must be >= 1, got ", bins);
  std::vector<double> sum_s(bins, 0.0);
  std::vector<long> pos(bins, 0), cnt(bins, 0);
  for (size_t i = 0; i < y.size(); ++i) {
    double f = std::floor(s[i] * bins);
    int b = f < 0 ? 0 : (f >= bins ? bins - 1 : static_cast<int>(f));
    sum_s[b] += s[i];
    pos[b] += y[i];
    ++cnt[b];
  }
  std::vector<ReliabilityBin> out(bins);
  for (int b = 0; b < bins; ++b) {
    out[b].lo = static_cast<double>(b) / bins;
    out[b].hi = static_cast<double>(b + 1) / bins;
    out[b].n = cnt[b];
    if (cnt[b] > 0) {
      out[b].mean_score = sum_s[b] / static_cast<double>(cnt[b]);
      out[b].frac_pos = static_cast<double>(pos[b]) / static_cast<double>(cnt[b]);
    }
  }
  return out;
}

double Ece(const std::vector<int>& y, const std::vector<double>& s, int bins) {
  std::vector<ReliabilityBin> rel = Reliability(y, s, bins);
  if (y.empty()) return std::numeric_limits<double>::quiet_NaN();
  double ece = 0;
  for (const auto& b : rel) {
    if (b.n == 0) continue;
    ece += static_cast<double>(b.n) / static_cast<double>(y.size()) *
           std::fabs(b.mean_score - b.frac_pos);
  }
  return ece;
}

double Brier(const std::vector<int>& y, const std::vector<double>& s) {
  internal::Validate(y, s, "Brier");
  if (y.empty()) return std::numeric_limits<double>::quiet_NaN();
  double sum = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    double d = s[i] - y[i];
    sum += d * d;
  }
  return sum / static_cast<double>(y.size());
}

}  // namespace prism::metric
