// prism/report.h - one self-contained HTML page per run: inline SVG plots, no scripts, no network.
//
// The page shows the training curves (each loss component, train/val AUPR), PR and ROC curves per
// test cell line, a reliability diagram, per-cell AUPR bars with N, the metrics table, the QC
// verdict (qc/qc.json) and the reflection (reflect/reflect.json), and the run information.
// Every plot is an <svg> with a stable id (kReportPlotIds) and a <title>; a plot whose input is
// missing is still present, saying "not available" and why. All text from the run folder is
// HTML-escaped.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "prism/metric.h"
#include "prism/run_folder.h"
#include "prism/shortcut_reliance.h"

namespace prism {

/// The ids of the report's plots, in page order.
extern const std::vector<std::string> kReportPlotIds;

/// Renders the page for run folder `run_dir`. Optional inputs that are absent (log, predictions,
/// metrics, diagnostics, qc, reflection) make their sections say "not available" / "not run";
/// a present but malformed file throws InputError naming file:line.
std::string RenderReport(const std::string& run_dir);

/// Renders the page and writes it atomically to `out_path` ("" = RUN_DIR/report.html); returns
/// the path written. Nothing is written when rendering fails.
std::string WriteReport(const std::string& run_dir, const std::string& out_path = "");

namespace report {

/// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string HtmlEscape(const std::string& s);

/// Loss components over epochs, one small panel per component (each with its own y-scale).
/// <svg id="plot-training-losses">.
std::string TrainingLossesSvg(const std::vector<EpochRecord>& epochs);
/// Train and validation AUPR over epochs with the 0.90 warning line. <svg id="plot-training-aupr">.
std::string TrainingAuprSvg(const std::vector<EpochRecord>& epochs);

/// PR and ROC curves of one group of predictions (a cell line or "overall").
struct CellCurves {
  std::string name;
  metric::Curve pr, roc;
  double aupr = NAN, auc = NAN;
  long n = 0;
};
/// Side-by-side PR and ROC panels, one line per cell line. <svg id="plot-pr-roc">.
std::string PrRocSvg(const std::vector<CellCurves>& cells, const std::string& missing_reason = "");
/// Reliability diagram (observed positive rate vs mean score per bin, with bin counts).
/// <svg id="plot-reliability">.
std::string ReliabilitySvg(const std::vector<metric::ReliabilityBin>& bins, double ece,
                           const std::string& missing_reason = "");

/// One bar of the per-cell chart.
struct CellBar {
  std::string cell;
  double aupr = NAN;
  long n = 0;
  /// The simulation's oracle AUPRs on the same cell (NaN when the data is not a simulation).
  double aupr_true = NAN, aupr_env_blind = NAN;
  /// The simulation's motif-informed reference learner on the same cell (NaN: none).
  double aupr_reference = NAN;
  /// The run's built-in baselines on the same cell (metrics/test.json `baselines`): name, AUPR.
  std::vector<std::pair<std::string, double>> baselines;
};
/// The colour of a built-in baseline's tick (distinct from the bars, the oracle and reference
/// ticks and from each other).
const char* BaselineTickColor(const std::string& name);
/// Per-cell AUPR bars labelled with N; dashed lines at the overall and train AUPR when finite;
/// on simulated data a tick across each bar at the cell's AUPR(p_env_blind) and AUPR(p_true)
/// (css classes "oracle-env-blind", "oracle-true") and its motif-informed reference learner's
/// AUPR ("reference-motif"); a dashed tick per built-in baseline at its AUPR on the cell
/// ("baseline-tick baseline-NAME"), each baseline in the legend.
/// <svg id="plot-per-cell-aupr">.
std::string PerCellBarsSvg(const std::vector<CellBar>& bars, double overall_aupr,
                           double train_aupr, const std::string& missing_reason = "");

/// The shortcut-reliance table of the reflection section (<table id="shortcut-reliance">): per
/// cell-specific k-mer the insertion and removal effects, their matched controls and the excess;
/// a line saying why when nothing was measured.
std::string ShortcutRelianceHtml(const ShortcutReliance& r);

}  // namespace report
}  // namespace prism
