// Training curves: each loss component over epochs (small multiples) and train/val AUPR.
#include <algorithm>
#include <cmath>

#include "prism/report.h"
#include "report/svg_plot.h"

namespace prism::report {
namespace {

// Fixed component order of docs/run-folder.md; other keys follow in log order.
const char* const kLossOrder[] = {"task", "prototype", "contrastive", "orthogonality",
                                  "adversarial", "total"};

std::vector<std::string> LossNames(const std::vector<EpochRecord>& epochs) {
  std::vector<std::string> seen;
  for (const auto& e : epochs)
    for (const auto& [k, v] : e.loss)
      if (std::find(seen.begin(), seen.end(), k) == seen.end()) seen.push_back(k);
  std::vector<std::string> out;
  for (const char* k : kLossOrder)
    if (std::find(seen.begin(), seen.end(), k) != seen.end()) out.push_back(k);
  for (const auto& k : seen)
    if (std::find(out.begin(), out.end(), k) == out.end()) out.push_back(k);
  return out;
}

std::vector<double> EpochAxis(const std::vector<EpochRecord>& epochs) {
  std::vector<double> x;
  for (const auto& e : epochs) x.push_back(static_cast<double>(e.epoch));
  return x;
}

void Range(const std::vector<double>& v, double* lo, double* hi) {
  *lo = INFINITY;
  *hi = -INFINITY;
  for (double x : v)
    if (std::isfinite(x)) {
      *lo = std::min(*lo, x);
      *hi = std::max(*hi, x);
    }
  if (!std::isfinite(*lo)) {
    *lo = 0;
    *hi = 1;
  }
  double pad = (*hi - *lo) * 0.08;
  if (pad <= 0) pad = std::max(std::fabs(*hi) * 0.05, 1e-3);
  *lo -= pad;
  *hi += pad;
}

void EpochRange(const std::vector<double>& x, Frame* f) {
  f->x0 = x.empty() ? 0 : *std::min_element(x.begin(), x.end());
  f->x1 = x.empty() ? 1 : *std::max_element(x.begin(), x.end());
  if (f->x1 <= f->x0) {
    f->x0 -= 0.5;
    f->x1 += 0.5;
  }
}

}  // namespace

std::string TrainingLossesSvg(const std::vector<EpochRecord>& epochs) {
  const auto names = LossNames(epochs);
  const int cols = 3, pw = 190, ph = 110, left = 62, top = 34, gapx = 72, gapy = 78;
  const int rows = std::max<int>(1, (static_cast<int>(names.size()) + cols - 1) / cols);
  const int width = left + cols * pw + (cols - 1) * gapx + 16;
  const int height = top + rows * ph + (rows - 1) * gapy + 50;
  SvgDoc svg("plot-training-losses", "plot training-curves", width, height,
             "Training loss components over epochs");
  if (epochs.empty() || names.empty()) {
    svg.NotAvailable(epochs.empty() ? "no train_log.jsonl in the run folder"
                                    : "the log has no loss values");
    return svg.Finish();
  }
  const auto x = EpochAxis(epochs);
  for (size_t i = 0; i < names.size(); ++i) {
    std::vector<double> y;
    for (const auto& e : epochs) y.push_back(e.Loss(names[i]));
    Frame f;
    f.px = left + (i % cols) * (pw + gapx);
    f.py = top + (i / cols) * (ph + gapy);
    f.pw = pw;
    f.ph = ph;
    EpochRange(x, &f);
    Range(y, &f.y0, &f.y1);
    std::string title = names[i];
    double w = epochs.back().Weight(names[i]);
    if (std::isfinite(w) && names[i] != "total") title += "  (weight " + TickLabel(w) + ")";
    int nonfinite = 0;
    for (double v : y) nonfinite += !std::isfinite(v);
    if (nonfinite) title += "  [" + std::to_string(nonfinite) + " non-finite]";
    svg.Axes(f, "epoch", "loss", title, std::min<int>(6, static_cast<int>(x.size())), 4);
    const char* color = names[i] == "total" ? "#000000" : PaletteColor(i);
    svg.Line(f, x, y, LineStyle(color).Width(2).Class("loss-" + names[i]));
    svg.Points(f, x, y, color, 3);
  }
  return svg.Finish();
}

std::string TrainingAuprSvg(const std::vector<EpochRecord>& epochs) {
  const int width = 310, height = 420;  // room for a four-line legend
  SvgDoc svg("plot-training-aupr", "plot training-curves", width, height,
             "Train and validation AUPR over epochs");
  if (epochs.empty()) {
    svg.NotAvailable("no train_log.jsonl in the run folder");
    return svg.Finish();
  }
  const auto x = EpochAxis(epochs);
  std::vector<double> tr, va, vb, disc;
  for (const auto& e : epochs) {
    tr.push_back(e.TrainAupr());
    va.push_back(e.ValAupr());
    vb.push_back(e.val ? e.val->aupr_balanced : NAN);  // train.select_balanced
    disc.push_back(e.disc_acc.value_or(NAN));
  }
  Frame f;
  f.px = 60;
  f.py = 34;
  f.pw = 235;
  f.ph = 250;
  EpochRange(x, &f);
  double lo, hi;
  std::vector<double> all = tr;
  all.insert(all.end(), va.begin(), va.end());
  all.insert(all.end(), vb.begin(), vb.end());
  all.push_back(0.9);
  Range(all, &lo, &hi);
  f.y0 = std::max(0.0, lo);
  f.y1 = std::min(1.0, hi);
  svg.Axes(f, "epoch", "AUPR", "AUPR per epoch", std::min<int>(6, static_cast<int>(x.size())), 5);
  svg.Line(f, {f.x0, f.x1}, {0.9, 0.9}, LineStyle("#999999").Width(1.5).Dashed().Class("warning-line"));
  svg.Line(f, x, tr, LineStyle(PaletteColor(0)).Width(2.5).Class("train-aupr"));
  svg.Points(f, x, tr, PaletteColor(0));
  bool has_val = std::any_of(va.begin(), va.end(), [](double v) { return std::isfinite(v); });
  std::vector<LegendItem> legend = {{"train AUPR", PaletteColor(0), false}};
  if (has_val) {
    svg.Line(f, x, va, LineStyle(PaletteColor(1)).Width(2.5).Class("val-aupr"));
    svg.Points(f, x, va, PaletteColor(1));
    legend.push_back({"val AUPR", PaletteColor(1), false});
    if (std::any_of(vb.begin(), vb.end(), [](double v) { return std::isfinite(v); })) {
      // What early stopping compared (the validation split under the balance weights).
      svg.Line(f, x, vb, LineStyle(PaletteColor(2)).Width(2).Dashed().Class("val-aupr-balanced"));
      svg.Points(f, x, vb, PaletteColor(2));
      legend.push_back({"GC-balanced val AUPR", PaletteColor(2), true});
    }
  } else {
    svg.Text(f.px + f.pw / 2, f.py + f.ph - 10, "no validation split",
             "middle", 11);
  }
  legend.push_back({"0.90 warning line", "#999999", true});
  svg.Legend(f.px, f.py + f.ph + 42, legend);
  return svg.Finish();
}

}  // namespace prism::report
