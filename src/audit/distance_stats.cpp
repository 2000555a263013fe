// Distance distribution by label per cell line, and how well distance alone ranks the pairs.
#include <algorithm>
#include <cmath>
#include <map>

#include "audit/audit_parts.h"
#include "prism/metric.h"

namespace prism::audit {

double Quantile(const std::vector<double>& sorted, double q) {
  if (sorted.empty()) return NAN;
  const double pos = q * static_cast<double>(sorted.size() - 1);
  const size_t lo = static_cast<size_t>(std::floor(pos));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (pos - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

std::vector<DistanceStats> DistanceByLabel(const std::vector<const Pair*>& pairs) {
  std::map<std::string, std::vector<const Pair*>> by_cell;
  for (const Pair* p : pairs)
    if (std::isfinite(p->distance)) by_cell[p->cell_line].push_back(p);
  std::vector<DistanceStats> out;
  for (const auto& [cell, cell_pairs] : by_cell) {
    DistanceStats s;
    s.cell_line = cell;
    std::vector<double> pos, neg, score;
    std::vector<int> y;
    for (const Pair* p : cell_pairs) {
      const double d = std::fabs(p->distance);
      (p->label ? pos : neg).push_back(d);
      y.push_back(p->label != 0);
      score.push_back(-d);
    }
    std::sort(pos.begin(), pos.end());
    std::sort(neg.begin(), neg.end());
    s.positives = static_cast<long>(pos.size());
    s.negatives = static_cast<long>(neg.size());
    s.pos_q1 = Quantile(pos, 0.25);
    s.pos_median = Quantile(pos, 0.5);
    s.pos_q3 = Quantile(pos, 0.75);
    s.neg_q1 = Quantile(neg, 0.25);
    s.neg_median = Quantile(neg, 0.5);
    s.neg_q3 = Quantile(neg, 0.75);
    s.aupr_distance = metric::AveragePrecision(y, score);
    s.positive_rate = static_cast<double>(s.positives) / static_cast<double>(y.size());
    out.push_back(s);
  }
  return out;
}

}  // namespace prism::audit
