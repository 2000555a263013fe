// Per-cell AUPR bars labelled with N, with reference lines at the overall and train AUPR.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "prism/report.h"
#include "report/svg_plot.h"

namespace prism::report {
namespace {
const char* const kEnvBlindColor = "#CC79A7";
const char* const kTrueColor = "#009E73";
// The motif reference tick: purple, distinct from the bars (blue, orange) and the oracle ticks.
const char* const kReferenceColor = "#6A3D9A";
}  // namespace

const char* BaselineTickColor(const std::string& name) {
  // Grey, brown and red: none is a bar colour (PaletteColor) or an oracle/reference tick colour.
  if (name == "distance") return "#7F7F7F";
  if (name == "kmer_logreg") return "#8C510A";
  if (name == "xgboost") return "#E31A1C";
  return "#01665E";
}

std::string PerCellBarsSvg(const std::vector<CellBar>& bars, double overall_aupr,
                           double train_aupr, const std::string& missing_reason) {
  const int slot = 90;
  const int width = std::max(560, 140 + slot * static_cast<int>(bars.size()) + 170);
  const int height = 330;
  SvgDoc svg("plot-per-cell-aupr", "plot per-cell", width, height,
             "Test AUPR per cell line, with N");
  if (bars.empty()) {
    svg.NotAvailable(missing_reason.empty() ? "no per-cell metrics" : missing_reason);
    return svg.Finish();
  }
  Frame f{70, 30, static_cast<double>(slot * bars.size()), 230,
          0, static_cast<double>(bars.size()), 0, 1};
  svg.Axes(f, "", "AUPR", "Test AUPR per cell line", 0, 5);
  for (size_t i = 0; i < bars.size(); ++i) {
    const auto& b = bars[i];
    char tip[160], val[32];
    std::snprintf(val, sizeof val, "%.3f", b.aupr);
    std::snprintf(tip, sizeof tip, "%s: AUPR %.4f, N=%ld", b.cell.c_str(), b.aupr, b.n);
    if (std::isfinite(b.aupr)) {
      svg.Rect(f, i + 0.2, 0, i + 0.8, b.aupr, PaletteColor(i), tip);
      // The value sits inside the bar when it is tall enough, clear of the reference lines.
      if (b.aupr > 0.12)
        svg.Text(f.X(i + 0.5), f.Y(b.aupr) + 15, val, "middle", 12, "bar-value inside");
      else
        svg.Text(f.X(i + 0.5), f.Y(b.aupr) - 5, val, "middle", 11, "bar-value");
    } else {
      svg.Text(f.X(i + 0.5), f.Y(0.05), "n/a", "middle", 11, "bar-value");
    }
    if (std::isfinite(b.aupr_env_blind))
      svg.Line(f, {i + 0.1, i + 0.9}, {b.aupr_env_blind, b.aupr_env_blind},
               LineStyle(kEnvBlindColor).Width(3).Class("oracle-env-blind"));
    if (std::isfinite(b.aupr_true))
      svg.Line(f, {i + 0.1, i + 0.9}, {b.aupr_true, b.aupr_true},
               LineStyle(kTrueColor).Width(3).Class("oracle-true"));
    if (std::isfinite(b.aupr_reference))
      svg.Line(f, {i + 0.1, i + 0.9}, {b.aupr_reference, b.aupr_reference},
               LineStyle(kReferenceColor).Width(3).Class("reference-motif"));
    for (const auto& [name, aupr] : b.baselines)
      if (std::isfinite(aupr))
        svg.Line(f, {i + 0.1, i + 0.9}, {aupr, aupr},
                 LineStyle(BaselineTickColor(name)).Width(3).Dashed().Class(
                     "baseline-tick baseline-" + name));
    svg.Text(f.X(i + 0.5), f.py + f.ph + 16, b.cell, "middle", 12, "bar-label");
    svg.Text(f.X(i + 0.5), f.py + f.ph + 31, "N=" + std::to_string(b.n), "middle", 11,
             "bar-n");
  }
  std::vector<LegendItem> legend;
  if (std::isfinite(overall_aupr)) {
    svg.Line(f, {0, static_cast<double>(bars.size())}, {overall_aupr, overall_aupr},
             LineStyle("#000000").Width(1.5).Dashed().Class("overall-aupr"));
    char l[48];
    std::snprintf(l, sizeof l, "overall test AUPR %.3f", overall_aupr);
    legend.push_back({l, "#000000", true});
  }
  if (std::isfinite(train_aupr)) {
    svg.Line(f, {0, static_cast<double>(bars.size())}, {train_aupr, train_aupr},
             LineStyle("#D55E00").Width(1.5).Dashed().Class("train-aupr"));
    char l[48];
    std::snprintf(l, sizeof l, "train AUPR %.3f", train_aupr);
    legend.push_back({l, "#D55E00", true});
  }
  auto any = [&](double CellBar::*field) {
    return std::any_of(bars.begin(), bars.end(),
                       [&](const CellBar& b) { return std::isfinite(b.*field); });
  };
  if (any(&CellBar::aupr_env_blind)) legend.push_back({"AUPR(p_env_blind), simulation", kEnvBlindColor});
  if (any(&CellBar::aupr_true)) legend.push_back({"AUPR(p_true), simulation", kTrueColor});
  if (any(&CellBar::aupr_reference))
    legend.push_back({"AUPR(motif reference), simulation", kReferenceColor});
  std::vector<std::string> baseline_names;  // in the order of first appearance
  for (const auto& b : bars)
    for (const auto& [name, aupr] : b.baselines)
      if (std::isfinite(aupr) &&
          std::find(baseline_names.begin(), baseline_names.end(), name) == baseline_names.end())
        baseline_names.push_back(name);
  for (const auto& name : baseline_names)
    legend.push_back({"AUPR(baseline " + name + ")", BaselineTickColor(name), true});
  svg.Legend(f.px + f.pw + 14, f.py, legend);
  return svg.Finish();
}

}  // namespace prism::report
