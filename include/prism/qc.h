// prism/qc.h - the training inspector: rules over a run folder -> findings -> PASS/FAIL.
//
// Every rule of the inspector table (docs/qc.md) is one small QcRule registered in one table
// (QcRuleNames / CreateQcRule). A rule reads the run folder (run.json, train_log.jsonl,
// predictions and metrics) and emits findings with a severity, the epochs involved, the key
// numbers and a message in English and Chinese generated from those numbers.
//
// Decision (binary): the run FAILs when any finding has severity kFail after escalation:
//   * the overfitting family (train AUPR over the warning line, abnormally fast learning,
//     train-val gap "cannot assess") are warnings alone, but when train AUPR is over the warning
//     line and there is no validation to check generalisation, all three become failures;
//   * train-val gap > max_train_val_gap, implementation inconsistency, missing evaluation,
//     NaN/Inf, gradient explosion/vanishing and mode collapse always fail;
//   * loss trend, stagnation, validation decline, loss jumps and saturated outputs are warnings;
//     capacity is information; history annotates a failing run whose signature (sorted set of
//     failed rule ids) equals an earlier FAIL record point in the ledger.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "prism/run_folder.h"
#include "prism/shortcut_reliance.h"

namespace prism {

/// How much a finding weighs in the decision.
enum class Severity { kInfo = 0, kWarning = 1, kFail = 2 };
/// "info", "warning", "fail".
const char* SeverityName(Severity s);

/// Every threshold of the inspector, with the spec's defaults. Keys of the TOML file are the
/// member names (flat, or under a [qc] table).
struct QcThresholds {
  int loss_rise_epochs = 2;              ///< total loss rises this many consecutive epochs -> flag
  int loss_oscillation_flips = 3;        ///< this many consecutive sign flips of delta loss -> flag
  double loss_oscillation_min_rel = 0.01;///< deltas smaller than this fraction are not counted
  double stagnation_delta = 0.001;       ///< delta train AUPR below this ...
  int stagnation_epochs = 5;             ///< ... for this many consecutive epochs -> stagnation
  double fast_learning_delta = 0.04;     ///< delta train AUPR above this ...
  int fast_learning_after_epoch = 2;     ///< ... at an epoch after this one -> abnormally fast
  double grad_explosion = 100.0;         ///< grad_norm (max) above -> explosion
  double grad_vanishing = 1e-6;          ///< grad_norm (mean) below -> vanishing
  double train_aupr_warning = 0.90;      ///< train AUPR warning line (overfitting)
  double max_train_val_gap = 0.15;       ///< train AUPR - val AUPR above -> overfitting
  /// Share (0..1) of the data's Bayes train-val gap (run.json data.bayes_aupr: AUPR of the true
  /// label probability, recorded for simulated data) subtracted before max_train_val_gap applies;
  /// 0 = the spec's rule as written.
  double bayes_gap_credit = 1.0;
  int val_decline_epochs = 3;            ///< val AUPR falls this many epochs in a row -> flag
  double collapse_recall = 0.98;         ///< recall at or above ...
  double collapse_precision_tolerance = 0.02;  ///< ... and |precision - positive rate| <= this
  double collapse_output_std = 1e-3;     ///< output std below -> collapse
  double max_loss_change = 0.5;          ///< |delta loss| / |loss| above -> jump
  double saturated_fraction = 0.95;      ///< share of outputs beyond 0.01/0.99 above -> saturated
  /// Shortcut reliance (shortcut_reliance.json): the largest excess insertion effect of a
  /// cell-specific k-mer (mean score gain when planted into unseen-cell enhancers minus that of
  /// its matched random control) above this -> FAIL (docs/qc.md, rule shortcut_reliance).
  double shortcut_reliance_max_excess = 0.05;

  /// Reads overrides from a TOML file; an unknown key or a wrong type is an InputError naming
  /// the file, line and column.
  static QcThresholds FromToml(const std::string& path);
  /// All thresholds as a JSON object (recorded in qc.json).
  Json ToJson() const;
};

/// One observation of one rule.
struct QcFinding {
  std::string rule;          ///< rule id, e.g. "learning_efficiency"
  std::string code;          ///< the specific check, e.g. "fast", "missing_loss"
  Severity severity = Severity::kInfo;
  std::vector<int> epochs;   ///< epochs involved (may be empty)
  Json values = Json::object();  ///< the key numbers
  std::string message_en;    ///< one sentence with the numbers
  std::string message_zh;
  bool escalated = false;    ///< severity raised by the decision's combination rule
};

/// The earlier failed record points the history rule compares against.
struct QcPastFailure {
  long id = 0;
  std::string name;
  std::string signature;
  double train_aupr = NAN;  ///< last train AUPR of that run, for the message
};

/// What test predictions and metrics the run folder holds.
struct QcEvaluation {
  bool has_predictions = false;   ///< predictions/test.csv exists
  long prediction_rows = 0;
  long nonfinite_scores = 0;
  bool has_metrics = false;       ///< metrics/test.json exists
  std::optional<PredictionMetrics> metrics;  ///< its content (empty when absent)
  Json metrics_json;              ///< the same as written (null when absent), for value scans
  /// Problems of the checkpoints (VerifyCheckpointFile): "checkpoints/best.pt: ..." per file.
  std::vector<std::string> checkpoint_problems;
  /// shortcut_reliance.json (written by predict for sequence data); empty when absent.
  std::optional<ShortcutReliance> shortcut_reliance;
};

/// Everything a rule may read.
struct QcContext {
  const RunFolder* run = nullptr;
  const QcThresholds* thresholds = nullptr;
  QcEvaluation evaluation;
  std::vector<QcPastFailure> past_failures;  ///< from the ledger (empty without one)
  std::string signature;                     ///< set before rules that run after the decision
};

/// One rule of the inspector table.
class QcRule {
 public:
  virtual ~QcRule() = default;
  /// Stable id, used in findings, signatures and reports.
  virtual const char* name() const = 0;
  /// Appends its findings (possibly none) to *out.
  virtual void Check(const QcContext& ctx, std::vector<QcFinding>* out) const = 0;
  /// True for rules that need the failure signature (history): run after escalation.
  virtual bool AfterDecision() const { return false; }
};

/// Rule ids in table order.
const std::vector<std::string>& QcRuleNames();
/// The rule with this id; throws prism::Error on an unknown name.
std::unique_ptr<QcRule> CreateQcRule(const std::string& name);

/// The inspector's verdict on one run.
struct QcResult {
  bool pass = true;
  std::vector<QcFinding> findings;  ///< every finding, in rule order
  std::string signature;            ///< sorted failed rule ids joined by ',' ("" on PASS)
  /// Findings with severity kFail (the reasons of a FAIL), in rule order.
  std::vector<const QcFinding*> Reasons() const;
  /// Reasons as "rule/code: message" in the given language ("en" or "zh").
  std::vector<std::string> ReasonTexts(const std::string& lang) const;
  /// True when a finding of this rule (and code, if given) exists with at least `min` severity.
  bool Has(const std::string& rule, const std::string& code = "",
           Severity min = Severity::kWarning) const;
};

/// Reads predictions/test.csv (header + rows; InputError when malformed) and metrics/test.json,
/// and verifies the checkpoints run.json records (or that exist) with VerifyCheckpointFile.
QcEvaluation LoadEvaluation(const RunFolder& run);

/// Checks that the run folder is usable for inspection (run.json of a run that finished, and a
/// non-empty log whose epochs have an epoch number and a total loss; known fields have the right
/// types). Throws InputError naming file:line otherwise (`prism qc` exits 2).
void ValidateRunForQc(const RunFolder& run);

/// Runs every rule, applies the escalation and returns the verdict. `past_failures` come from
/// the ledger (may be empty).
QcResult RunQc(const RunFolder& run, const QcThresholds& thresholds,
               const std::vector<QcPastFailure>& past_failures = {});

/// Context of the report beyond the verdict: ledger record point and rollback outcome.
struct QcReportInfo {
  long record_id = 0;          ///< 0 = not recorded in a ledger
  std::string ledger_path;     ///< "" = no ledger
  /// "done" (FAIL, rolled back), "failed" (rollback impossible, see rollback_error),
  /// "no_baseline", "disabled" (--no-rollback), "promoted" (PASS), "" (no ledger).
  std::string rollback;
  std::string rollback_error;  ///< why the rollback failed
  long rollback_to = 0;        ///< record point rolled back to
  std::string rollback_run_dir;
};

/// The Markdown report in "en" or "zh", structured like the human-written seed report.
std::string RenderQcMarkdown(const RunFolder& run, const QcResult& result,
                             const QcThresholds& thresholds, const QcReportInfo& info,
                             const std::string& lang);
/// The machine-readable report (decision, reasons, findings, thresholds, series).
Json QcResultToJson(const RunFolder& run, const QcResult& result, const QcThresholds& thresholds,
                    const QcReportInfo& info);

}  // namespace prism
