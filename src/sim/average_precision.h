// sim/average_precision.h - average precision (scikit-learn's average_precision_score) used by
// the simulator's oracle summary and the leakage audit (internal; prism::metric has the
// registry version).
#pragma once

#include <vector>

namespace prism::detail {

/// sum_k (R_k - R_{k-1}) P_k over descending distinct scores (tied scores form one threshold).
/// NaN when there is no positive.
double AveragePrecision(const std::vector<int>& labels, const std::vector<double>& scores);

}  // namespace prism::detail
