// PR and ROC curves per test cell line, side by side.
#include <cmath>
#include <cstdio>

#include "prism/report.h"
#include "report/svg_plot.h"

namespace prism::report {
namespace {

std::string Fixed(double v, int prec) {
  if (!std::isfinite(v)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

}  // namespace

std::string PrRocSvg(const std::vector<CellCurves>& cells, const std::string& missing_reason) {
  const int width = 1160, height = 400;
  SvgDoc svg("plot-pr-roc", "plot pr-roc", width, height,
             "Precision-recall and ROC curves per test cell line");
  if (cells.empty()) {
    svg.NotAvailable(missing_reason.empty() ? "no test predictions" : missing_reason);
    return svg.Finish();
  }
  Frame pr{70, 30, 310, 310, 0, 1, 0, 1};
  Frame roc{460, 30, 310, 310, 0, 1, 0, 1};
  svg.Axes(pr, "recall", "precision", "Precision-recall", 5, 5);
  svg.Axes(roc, "false positive rate", "true positive rate", "ROC", 5, 5);
  svg.Line(roc, {0, 1}, {0, 1}, LineStyle("#bbbbbb").Width(1).Dashed().Class("chance"));
  std::vector<LegendItem> legend;
  for (size_t i = 0; i < cells.size(); ++i) {
    const auto& c = cells[i];
    bool overall = c.name == "overall";
    std::string color = overall ? "#000000" : PaletteColor(i);
    std::string cls = "curve-" + c.name;
    // The overall curve is thinner and dashed, under the per-cell ones.
    const double width = overall ? 1.5 : 2.2;
    svg.Line(pr, c.pr.x, c.pr.y, LineStyle(color).Width(width).Dashed(overall).Class("pr " + cls));
    svg.Line(roc, c.roc.x, c.roc.y, LineStyle(color).Width(width).Dashed(overall).Class("roc " + cls));
    legend.push_back({c.name + "  AUPR " + Fixed(c.aupr, 3) + "  AUC " + Fixed(c.auc, 3) +
                          "  N=" + std::to_string(c.n),
                      color, overall});
  }
  svg.Legend(roc.px + roc.pw + 24, roc.py, legend);
  return svg.Finish();
}

}  // namespace prism::report
