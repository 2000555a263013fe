#include "sim/average_precision.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "prism/error.h"

namespace prism::detail {

double AveragePrecision(const std::vector<int>& labels, const std::vector<double>& scores) {
  PRISM_CHECK_EQ(labels.size(), scores.size());
  std::vector<size_t> order(labels.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return scores[a] > scores[b]; });
  long total_pos = 0;
  for (int y : labels) total_pos += y != 0;
  if (total_pos == 0) return NAN;
  long tp = 0, fp = 0;
  double ap = 0, prev_recall = 0;
  for (size_t i = 0; i < order.size();) {
    size_t j = i;
    while (j < order.size() && scores[order[j]] == scores[order[i]]) {
      (labels[order[j]] != 0 ? tp : fp) += 1;
      ++j;
    }
    const double recall = static_cast<double>(tp) / total_pos;
    const double precision = static_cast<double>(tp) / (tp + fp);
    ap += (recall - prev_recall) * precision;
    prev_recall = recall;
    i = j;
  }
  return ap;
}

}  // namespace prism::detail
