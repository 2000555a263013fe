// The result table: one metric row per group (overall, per cell line), JSON and Markdown.
#include <cmath>
#include <cstdio>
#include <sstream>

#include "metric/metric_internal.h"
#include "prism/error.h"
#include "prism/metric.h"
#include "prism/run_folder.h"

namespace prism::metric {

MetricRow ComputeRow(const std::vector<int>& y, const std::vector<double>& s,
                     const ThresholdPolicy& policy) {
  internal::Validate(y, s, "ComputeRow");
  MetricRow row;
  row.n = static_cast<long>(y.size());
  for (int v : y) row.positives += v;
  // One sort for the ranking metrics and the threshold search.
  internal::ScoreGroups groups = internal::GroupScores(y, s);
  row.aupr = y.empty() ? NAN : internal::AveragePrecision(groups);
  row.auc = internal::RocAuc(groups);
  row.threshold = policy.is_fixed() ? policy.fixed
                                     : internal::ChooseThreshold(groups, policy.rule).threshold;
  row.threshold_rule = policy.rule;
  Confusion c = AtThreshold(y, s, row.threshold);
  row.f1 = c.f1;
  row.recall = c.recall;
  row.precision = c.precision;
  row.accuracy = c.accuracy;
  row.ece = Ece(y, s);
  row.brier = Brier(y, s);
  return row;
}

MetricTable ComputeTable(const std::vector<int>& y, const std::vector<double>& s,
                         const std::vector<std::string>& cell_lines,
                         const ThresholdPolicy& policy) {
  MetricTable table;
  table.overall = ComputeRow(y, s, policy);
  if (cell_lines.empty()) return table;
  if (cell_lines.size() != y.size())
    Fatal("ComputeTable: ", y.size(), " labels but ", cell_lines.size(), " cell lines");
  std::map<std::string, std::pair<std::vector<int>, std::vector<double>>> groups;
  for (size_t i = 0; i < y.size(); ++i) {
    auto& g = groups[cell_lines[i]];
    g.first.push_back(y[i]);
    g.second.push_back(s[i]);
  }
  for (const auto& [cell, g] : groups) table.per_cell[cell] = ComputeRow(g.first, g.second, policy);
  return table;
}

Json ToJson(const MetricRow& r) {
  Json j = Json::object();
  j["aupr"] = JsonNumber(r.aupr);
  j["auc"] = JsonNumber(r.auc);
  j["f1"] = JsonNumber(r.f1);
  j["recall"] = JsonNumber(r.recall);
  j["precision"] = JsonNumber(r.precision);
  j["threshold"] = JsonNumber(r.threshold);
  if (!r.threshold_rule.empty()) j["threshold_rule"] = r.threshold_rule;
  j["accuracy"] = JsonNumber(r.accuracy);
  j["ece"] = JsonNumber(r.ece);
  j["brier"] = JsonNumber(r.brier);
  j["n"] = r.n;
  j["positives"] = r.positives;
  return j;
}

Json ToJson(const MetricTable& t) {
  Json j = Json::object();
  j["overall"] = ToJson(t.overall);
  Json cells = Json::object();
  for (const auto& [cell, row] : t.per_cell) cells[cell] = ToJson(row);
  j["per_cell"] = cells;
  return j;
}

MetricRow RowFromJson(const Json& j) {
  MetricRow r;
  if (!j.is_object()) Fatal("metric row: expected a JSON object");
  r.aupr = ReadNumber(j.value("aupr", Json()), r.aupr);
  r.auc = ReadNumber(j.value("auc", Json()), r.auc);
  r.f1 = ReadNumber(j.value("f1", Json()), r.f1);
  r.recall = ReadNumber(j.value("recall", Json()), r.recall);
  r.precision = ReadNumber(j.value("precision", Json()), r.precision);
  r.threshold = ReadNumber(j.value("threshold", Json()), r.threshold);
  const Json rule = j.value("threshold_rule", Json());
  if (rule.is_string()) r.threshold_rule = rule.get<std::string>();  // absent in older files
  r.accuracy = ReadNumber(j.value("accuracy", Json()), r.accuracy);
  r.ece = ReadNumber(j.value("ece", Json()), r.ece);
  r.brier = ReadNumber(j.value("brier", Json()), r.brier);
  double n = ReadNumber(j.value("n", Json()), 0);
  double p = ReadNumber(j.value("positives", Json()), 0);
  r.n = std::isfinite(n) ? static_cast<long>(n) : 0;
  r.positives = std::isfinite(p) ? static_cast<long>(p) : 0;
  return r;
}

MetricTable TableFromJson(const Json& j) {
  if (!j.is_object() || !j.contains("overall")) Fatal("metric table: expected {\"overall\": ...}");
  MetricTable t;
  t.overall = RowFromJson(j.at("overall"));
  if (j.contains("per_cell") && j.at("per_cell").is_object())
    for (const auto& [cell, row] : j.at("per_cell").items()) t.per_cell[cell] = RowFromJson(row);
  return t;
}

namespace {

std::string Fixed(double v, int decimals) {
  if (std::isnan(v)) return "nan";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string MarkdownRow(const std::string& name, const MetricRow& r) {
  std::ostringstream os;
  os << "| " << name << " | " << Fixed(r.aupr, 4) << " | " << Fixed(r.auc, 4) << " | "
     << Fixed(r.f1, 4) << " | " << Fixed(r.recall, 4) << " | " << Fixed(r.precision, 4) << " | "
     << Fixed(r.threshold, 2) << " | " << r.n << " |\n";
  return os.str();
}

}  // namespace

std::string ToMarkdown(const MetricTable& t) {
  std::string md =
      "| cell line | AUPR | AUC | F1 | Recall | Precision | Threshold | N |\n"
      "| --- | --- | --- | --- | --- | --- | --- | --- |\n";
  md += MarkdownRow("overall", t.overall);
  for (const auto& [cell, row] : t.per_cell) md += MarkdownRow(cell, row);
  return md;
}

}  // namespace prism::metric
