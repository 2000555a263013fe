// Reliability diagram: observed positive rate against mean predicted probability per bin, with
// the bin counts as a histogram underneath.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "prism/report.h"
#include "report/svg_plot.h"

namespace prism::report {

std::string ReliabilitySvg(const std::vector<metric::ReliabilityBin>& bins, double ece,
                           const std::string& missing_reason) {
  const int width = 550, height = 470;
  SvgDoc svg("plot-reliability", "plot reliability", width, height,
             "Reliability diagram of the test predictions");
  long total = 0;
  for (const auto& b : bins) total += b.n;
  if (bins.empty() || total == 0) {
    svg.NotAvailable(missing_reason.empty() ? "no test predictions" : missing_reason);
    return svg.Finish();
  }
  char title[96];
  if (std::isfinite(ece))
    std::snprintf(title, sizeof title, "Reliability (%zu bins, ECE %.3f)", bins.size(), ece);
  else
    std::snprintf(title, sizeof title, "Reliability (%zu bins)", bins.size());
  Frame f{70, 30, 300, 300, 0, 1, 0, 1};
  svg.Axes(f, "", "observed positive rate", title, 5, 5);
  svg.Line(f, {0, 1}, {0, 1}, LineStyle("#bbbbbb").Width(1).Dashed().Class("perfect"));
  // Gap bars from the diagonal to the observed rate, then the observed points.
  std::vector<double> xs, ys;
  for (const auto& b : bins) {
    if (b.n == 0) continue;
    char tip[160];
    std::snprintf(tip, sizeof tip, "bin %.3f-%.3f: N=%ld, mean score %.3f, positive rate %.3f",
                  b.lo, b.hi, b.n, b.mean_score, b.frac_pos);
    double lo = std::min(b.mean_score, b.frac_pos), hi = std::max(b.mean_score, b.frac_pos);
    double mid = (b.lo + b.hi) / 2, half = (b.hi - b.lo) * 0.35;
    svg.Rect(f, mid - half, lo, mid + half, hi, "#D55E0033", tip);
    xs.push_back(b.mean_score);
    ys.push_back(b.frac_pos);
  }
  svg.Line(f, xs, ys, LineStyle(PaletteColor(0)).Width(2).Class("observed"));
  svg.Points(f, xs, ys, PaletteColor(0), 4);
  // Histogram of bin counts.
  long most = 1;
  for (const auto& b : bins) most = std::max(most, b.n);
  Frame h{70, 360, 300, 60, 0, 1, 0, static_cast<double>(most)};
  svg.Axes(h, "predicted probability", "N", "", 5, 2);
  for (const auto& b : bins)
    if (b.n > 0) {
      char tip[64];
      std::snprintf(tip, sizeof tip, "N=%ld", b.n);
      svg.Rect(h, b.lo, 0, b.hi, static_cast<double>(b.n), "#56B4E9", tip);
    }
  svg.Legend(382, 30, {{"observed", PaletteColor(0), false},
                       {"perfect calibration", "#bbbbbb", true}});
  return svg.Finish();
}

}  // namespace prism::report
