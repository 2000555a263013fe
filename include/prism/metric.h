// prism/metric.h - evaluation metrics for binary EPI predictions (one registry).
//
// Every function takes labels `y` (0/1) and scores `s` (any finite real; probabilities for the
// calibration metrics) of the same length. A length mismatch, a label other than 0/1 or a
// non-finite score is a prism::Error.
//
// Definitions follow scikit-learn 1.2 (Debian 12's python3-sklearn), checked against fixture
// files written by scripts/make_metric_fixtures.py (tests/fixtures/metrics/):
//   - AveragePrecision = sklearn.metrics.average_precision_score: sum_k (R_k - R_{k-1}) P_k over
//     the distinct scores in decreasing order (tied scores form one step).
//   - RocAuc = sklearn.metrics.roc_auc_score: trapezoidal area under the ROC curve, tied scores
//     form one (diagonal) step, i.e. the Mann-Whitney U with ties counted 1/2.
//   - Threshold metrics predict 1 when s >= thr; 0/0 (no predicted or no true positives) is 0,
//     as sklearn's zero_division default.
//
// Degenerate inputs give defined results, never a crash:
//   | input               | AP   | AUC | precision/recall/F1 | accuracy, ECE, Brier |
//   | empty               | NaN  | NaN | 0                   | NaN                  |
//   | no positive labels  | 0    | NaN | 0 (sklearn 1.2)     | defined              |
//   | only positive labels| 1    | NaN | defined             | defined              |
// (sklearn 1.2 returns AP -0.0 with a warning for no positives and raises for a one-class AUC.)
#pragma once

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace prism {
using Json = nlohmann::json;
}  // namespace prism

namespace prism::metric {

/// Average precision (sklearn's average_precision_score: step-wise, tied scores grouped).
double AveragePrecision(const std::vector<int>& y, const std::vector<double>& s);
/// The same with sample weights w >= 0 (sklearn's average_precision_score(sample_weight=w)):
/// every pair counts w times in precision and recall. 0 without positive weight; NaN when empty.
double WeightedAveragePrecision(const std::vector<int>& y, const std::vector<double>& s,
                                const std::vector<double>& w);
/// Bootstrap standard errors of the average precision of several scorings of the same pairs:
/// `resamples` draws of the pairs with replacement, each stratum (e.g. a cell line; empty
/// `strata`: one stratum) drawn apart so that every draw keeps the strata's sizes, the same draws
/// for every scoring (so that their errors are comparable); element k is the standard deviation
/// of scoring k's AP over the draws (weighted by `w` as WeightedAveragePrecision; empty `w`:
/// unweighted). Deterministic for one `seed`. NaN for fewer than 2 resamples or no pairs.
std::vector<double> BootstrapAveragePrecisionSe(const std::vector<int>& y,
                                                const std::vector<std::vector<double>>& scores,
                                                const std::vector<double>& w,
                                                const std::vector<std::string>& strata,
                                                int resamples, uint64_t seed);
/// Area under the ROC curve with ties (sklearn's roc_auc_score); NaN when one class is absent.
double RocAuc(const std::vector<int>& y, const std::vector<double>& s);

/// The confusion matrix and its rates at one threshold.
struct Confusion {
  double precision = 0, recall = 0, f1 = 0, accuracy = 0;
  long tp = 0, fp = 0, tn = 0, fn = 0;
};
/// Confusion when predicting 1 for s >= thr. precision/recall/F1 are 0 when undefined (0/0);
/// accuracy is NaN for empty input.
Confusion AtThreshold(const std::vector<int>& y, const std::vector<double>& s, double thr);

/// A threshold chosen on the grid by a threshold rule (BestF1Threshold, ChooseThreshold).
struct ThresholdChoice {
  double threshold = 0.01;
  double f1 = 0;     ///< F1 at `threshold`
  double value = 0;  ///< the rule's criterion at `threshold` (F1 for "f1", MCC for "mcc")
};
/// Searches thr = k/100 for k = 1..99 (the original evaluation's 0.01..0.99 grid, computed as k/100
/// rather than by repeated addition) and returns the one with the highest F1 at s >= thr. Ties go
/// to the smallest threshold, so inputs where every F1 is 0 (e.g. no positives) give 0.01.
ThresholdChoice BestF1Threshold(const std::vector<int>& y, const std::vector<double>& s);
/// The threshold grid BestF1Threshold searches (0.01 ... 0.99).
std::vector<double> ThresholdGrid();

/// Matthews correlation coefficient of a confusion matrix (sklearn's matthews_corrcoef):
/// (tp*tn - fp*fn) / sqrt((tp+fp)(tp+fn)(tn+fp)(tn+fn)), 0 when a factor of the denominator is 0
/// (everything predicted one class, or one class absent).
double Matthews(const Confusion& c);

/// The threshold rules (one registry table, src/metric/threshold_rules.cpp). Each maximises its
/// criterion over ThresholdGrid() on labelled scores; ties go to the smallest threshold.
///   - "f1":  F1 (= BestF1Threshold). With balanced classes and a weak ranker this is often
///            "everything positive" (F1 = 2p/(1+p) beats any real split).
///   - "mcc": the Matthews correlation. Everything positive or everything negative has MCC 0,
///            so a ranker with any signal never picks them.
std::vector<std::string> ThresholdRuleNames();
/// Chooses a threshold on (y, s) by the rule `rule`; an unknown name is a prism::Error listing
/// the valid ones.
ThresholdChoice ChooseThreshold(const std::string& rule, const std::vector<int>& y,
                                const std::vector<double>& s);

/// How a metric row's decision threshold is set: by a rule on the row's own labels (the
/// default: "f1"), or fixed, chosen elsewhere (on the validation split: `rule` "val").
struct ThresholdPolicy {
  std::string rule = "f1";  ///< a ThresholdRuleNames() rule; when `fixed` is finite, its source
  double fixed = NAN;       ///< finite: this threshold for every row

  /// The rule `rule` on each row's own labels.
  static ThresholdPolicy Own(const std::string& rule);
  /// The fixed threshold `thr` (finite), recorded as `source` ("val").
  static ThresholdPolicy Fixed(double thr, const std::string& source = "val");
  /// What `prism predict` uses: Fixed(val_threshold, "val") when it is finite (the threshold a
  /// checkpoint kept from validation), else Own(rule) (no val split, or an older checkpoint).
  static ThresholdPolicy FromValidation(double val_threshold, const std::string& rule);
  bool is_fixed() const;
};

/// One bin of a reliability diagram.
struct ReliabilityBin {
  double lo = 0, hi = 0;      ///< bin edges [lo, hi) (the last bin includes 1)
  double mean_score = NAN;    ///< mean score in the bin (NaN when empty)
  double frac_pos = NAN;      ///< fraction of positives in the bin (NaN when empty)
  long n = 0;                 ///< samples in the bin
};
/// Equal-width bins over [0, 1]: bin = min(floor(s * bins), bins - 1); scores below 0 go to the
/// first bin, above 1 to the last. Every bin is returned, empty ones with n = 0.
std::vector<ReliabilityBin> Reliability(const std::vector<int>& y, const std::vector<double>& s,
                                        int bins = 15);
/// Expected calibration error: sum over non-empty bins of n_b / N * |mean_score - frac_pos|
/// (bins as in Reliability). NaN for empty input.
double Ece(const std::vector<int>& y, const std::vector<double>& s, int bins = 15);
/// Brier score: mean (s - y)^2 (sklearn's brier_score_loss). NaN for empty input.
double Brier(const std::vector<int>& y, const std::vector<double>& s);

/// A curve: points (x[i], y[i]) and the threshold at each point.
struct Curve {
  std::vector<double> x, y, thresholds;
};
/// Precision-recall curve exactly as sklearn 1.2's precision_recall_curve: x = recall,
/// y = precision, one point per distinct score in increasing threshold order, plus a final point
/// (recall 0, precision 1) that has no threshold (thresholds.size() == x.size() - 1). With no
/// positives recall is 1 everywhere (as sklearn).
Curve PrCurve(const std::vector<int>& y, const std::vector<double>& s);
/// ROC curve exactly as sklearn 1.2's roc_curve(drop_intermediate=True): x = fpr, y = tpr,
/// decreasing thresholds, starting at (0, 0) with threshold max(s) + 1, collinear points dropped.
/// With one class absent the corresponding rate is NaN (as sklearn).
Curve RocCurve(const std::vector<int>& y, const std::vector<double>& s);

/// One row of the result table.
struct MetricRow {
  double aupr = NAN, auc = NAN, f1 = 0, recall = 0, precision = 0, threshold = NAN,
         accuracy = NAN, ece = NAN, brier = NAN;
  long n = 0, positives = 0;
  /// How `threshold` was set: "f1" / "mcc" (that rule on this row's labels), "val" (fixed,
  /// chosen on the validation split); "" when not recorded (older files).
  std::string threshold_rule;
};
/// All metrics of one group: the threshold by `policy` (default: BestF1Threshold on the group's
/// own labels), F1/recall/precision/accuracy at it.
MetricRow ComputeRow(const std::vector<int>& y, const std::vector<double>& s,
                     const ThresholdPolicy& policy = {});

/// The result table: overall and per cell line.
struct MetricTable {
  MetricRow overall;
  std::map<std::string, MetricRow> per_cell;  ///< by cell line, sorted by name
};
/// Overall row plus one row per distinct cell line (none when `cell_lines` is empty; otherwise it
/// must have the same length as y). Every row's threshold by `policy`: a rule chooses one per row
/// on that row's labels; a fixed threshold is the same for all rows.
MetricTable ComputeTable(const std::vector<int>& y, const std::vector<double>& s,
                         const std::vector<std::string>& cell_lines,
                         const ThresholdPolicy& policy = {});

/// {"aupr","auc","f1","recall","precision","threshold","threshold_rule","accuracy","ece","brier",
/// "n","positives"} ("threshold_rule" only when recorded); NaN is written as "nan" (JsonNumber).
Json ToJson(const MetricRow& row);
/// {"overall": row, "per_cell": {"CELL": row, ...}} (the metrics/test.json layout).
Json ToJson(const MetricTable& table);
/// Reads what ToJson(MetricRow) wrote; missing keys stay at their defaults.
MetricRow RowFromJson(const Json& j);
/// Reads what ToJson(MetricTable) wrote (an absent per_cell gives none).
MetricTable TableFromJson(const Json& j);
/// Markdown table, columns `cell line | AUPR | AUC | F1 | Recall | Precision | Threshold | N`,
/// the "overall" row first, then cell lines by name. Metrics with 4 decimals, threshold with 2,
/// NaN as "nan".
std::string ToMarkdown(const MetricTable& table);

/// A named metric of the registry.
class Metric {
 public:
  virtual ~Metric() = default;
  /// Registry name, e.g. "aupr" or "f1@0.5".
  virtual std::string name() const = 0;
  /// True when larger values are better (false for ece and brier).
  virtual bool higher_is_better() const = 0;
  /// The metric on labels y and scores s.
  virtual double Eval(const std::vector<int>& y, const std::vector<double>& s) const = 0;
};

/// Creates a metric by name: aupr, auc, f1, precision, recall, accuracy, ece, brier.
/// f1/precision/recall/accuracy are taken at the F1-optimal threshold of BestF1Threshold (as in
/// the result table); "NAME@THR" (e.g. "f1@0.5") fixes the threshold instead. An unknown name is
/// a prism::Error listing the valid ones.
std::unique_ptr<Metric> CreateMetric(const std::string& name);
/// The registry's names, in table order.
std::vector<std::string> MetricNames();

}  // namespace prism::metric
