#include "prism/labeled_subset.h"

#include "prism/pairs.h"

namespace prism::metric {

PartlyLabeledTable ComputePartlyLabeledTable(const std::vector<int>& y,
                                             const std::vector<double>& s,
                                             const std::vector<std::string>& cells,
                                             const ThresholdPolicy& policy) {
  PartlyLabeledTable out;
  std::vector<int> ly;
  std::vector<double> ls;
  std::vector<std::string> lc;
  for (size_t i = 0; i < y.size(); ++i) {
    if (y[i] == kUnlabeled) {
      ++out.unlabeled[cells[i]];
      continue;
    }
    ly.push_back(y[i]);
    ls.push_back(s[i]);
    lc.push_back(cells[i]);
  }
  out.any_labeled = !ly.empty();
  if (out.any_labeled) out.table = ComputeTable(ly, ls, lc, policy);
  return out;
}

Json PartlyLabeledTable::ToJson() const {
  Json j = any_labeled ? metric::ToJson(table) : Json::object();
  if (!unlabeled.empty()) j["unlabeled"] = unlabeled;
  return j;
}

std::string PartlyLabeledTable::ToMarkdown() const {
  std::string md = any_labeled ? metric::ToMarkdown(table)
                               : "| cell line | AUPR | AUC | F1 | Recall | Precision | Threshold "
                                 "| N |\n| --- | --- | --- | --- | --- | --- | --- | --- |\n";
  for (const auto& [cell, n] : unlabeled)
    md += "| " + cell + " | unlabeled |  |  |  |  |  | " + std::to_string(n) + " |\n";
  return md;
}

}  // namespace prism::metric
