// Bootstrap standard errors of average precision (metric.h BootstrapAveragePrecisionSe).
#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "prism/error.h"
#include "prism/metric.h"

namespace prism::metric {

std::vector<double> BootstrapAveragePrecisionSe(const std::vector<int>& y,
                                                const std::vector<std::vector<double>>& scores,
                                                const std::vector<double>& w,
                                                const std::vector<std::string>& strata,
                                                int resamples, uint64_t seed) {
  const size_t n = y.size();
  for (const auto& s : scores)
    if (s.size() != n) throw Error("bootstrap AP: a scoring has " + std::to_string(s.size()) +
                                   " values for " + std::to_string(n) + " labels");
  if ((!w.empty() && w.size() != n) || (!strata.empty() && strata.size() != n))
    throw Error("bootstrap AP: weights or strata do not match the " + std::to_string(n) + " labels");
  std::vector<double> se(scores.size(), NAN);
  if (n == 0 || resamples < 2) return se;
  std::map<std::string, std::vector<size_t>> groups;  // stratum -> its pairs (ordered: deterministic)
  for (size_t i = 0; i < n; ++i) groups[strata.empty() ? std::string() : strata[i]].push_back(i);
  std::mt19937_64 rng(seed);
  std::vector<double> sum(scores.size(), 0), sum2(scores.size(), 0);
  std::vector<int> yb(n);
  std::vector<double> sb(n), wb(w.empty() ? 0 : n);
  std::vector<size_t> draw(n);
  for (int r = 0; r < resamples; ++r) {
    size_t k = 0;
    for (const auto& [name, members] : groups) {
      std::uniform_int_distribution<size_t> pick(0, members.size() - 1);
      for (size_t j = 0; j < members.size(); ++j) draw[k++] = members[pick(rng)];
    }
    for (size_t i = 0; i < n; ++i) {
      yb[i] = y[draw[i]];
      if (!w.empty()) wb[i] = w[draw[i]];
    }
    for (size_t c = 0; c < scores.size(); ++c) {
      for (size_t i = 0; i < n; ++i) sb[i] = scores[c][draw[i]];
      const double ap = w.empty() ? AveragePrecision(yb, sb) : WeightedAveragePrecision(yb, sb, wb);
      sum[c] += ap;
      sum2[c] += ap * ap;
    }
  }
  for (size_t c = 0; c < scores.size(); ++c) {
    const double mean = sum[c] / resamples;
    se[c] = std::sqrt(std::max(0.0, (sum2[c] - resamples * mean * mean) / (resamples - 1)));
  }
  return se;
}

}  // namespace prism::metric
