// Private helpers shared by the metric families: input validation and the sorted score groups.
#pragma once

#include <string>
#include <vector>

#include "prism/metric.h"

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

/// The metrics from the groups (one sort shared by ComputeRow). Inputs must be non-empty.
double AveragePrecision(const ScoreGroups& g);
double RocAuc(const ScoreGroups& g);
ThresholdChoice BestF1Threshold(const ScoreGroups& g);
/// The rule `rule` (a ThresholdRuleNames() name; else prism::Error) on the groups.
ThresholdChoice ChooseThreshold(const ScoreGroups& g, const std::string& rule);

}  // namespace prism::metric::internal
