// Private helpers shared by the metric families: input validation and the sorted score groups.
#pragma once

#include <string>
#include <vector>

namespace prism::metric::internal {

/// Throws prism::Error when the lengths differ, a label is not 0/1 or a score is not finite.
/// `what` names the caller in the message.
void Validate(const std::vector<int>& y, const std::vector<double>& s, const char* what);

/// Cumulative counts at every distinct score, scores in decreasing order: predicting 1 for
/// s >= score[k] gives tp[k] true and fp[k] false positives.
struct ScoreGroups {
  std::vector<double> score;
  std::vector<long> tp, fp;
  long positives = 0, negatives = 0;
};
ScoreGroups GroupScores(const std::vector<int>& y, const std::vector<double>& s);

}  // namespace prism::metric::internal
