// prism/labeled_subset.h - metrics of predictions in which some pairs have no label
// (Pair::label == kUnlabeled): the labeled pairs are evaluated, the unlabeled ones counted.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "prism/metric.h"

namespace prism::metric {

/// The metric table of the labeled pairs plus the unlabeled pairs per cell line.
struct PartlyLabeledTable {
  bool any_labeled = false;
  MetricTable table;                        ///< of the labeled pairs (when any_labeled)
  std::map<std::string, size_t> unlabeled;  ///< unlabeled pairs per cell line
  /// metrics/<split>.json: ToJson(table) (when any labeled) plus "unlabeled": {cell: n}.
  Json ToJson() const;
  /// The result table: ToMarkdown(table) (header only when nothing is labeled), then one row per
  /// cell line with unlabeled pairs, "| CELL | unlabeled | | | | | | N |".
  std::string ToMarkdown() const;
};

/// Splits by label: pairs with label kUnlabeled are counted per cell line, the others evaluated
/// (thresholds by `policy`, as ComputeTable).
PartlyLabeledTable ComputePartlyLabeledTable(const std::vector<int>& y,
                                             const std::vector<double>& s,
                                             const std::vector<std::string>& cell_lines,
                                             const ThresholdPolicy& policy = {});

}  // namespace prism::metric
