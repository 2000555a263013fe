// The one table of inspector rules, and the decision (escalation + signature + history).
#include <algorithm>
#include <set>

#include "inspect/qc_util.h"
#include "prism/error.h"

namespace prism {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kInfo: return "info";
    case Severity::kWarning: return "warning";
    case Severity::kFail: return "fail";
  }
  return "?";
}

namespace {

using Factory = std::unique_ptr<QcRule> (*)();
struct Entry {
  const char* name;
  Factory make;
};

/// Every rule of the inspector table, in report order.
const std::vector<Entry>& Table() {
  static const std::vector<Entry> kRules = {
      {"loss_trend", qc::MakeLossTrendRule},
      {"learning_efficiency", qc::MakeLearningEfficiencyRule},
      {"gradient", qc::MakeGradientRule},
      {"overfitting", qc::MakeOverfittingRule},
      {"train_val_gap", qc::MakeTrainValGapRule},
      {"val_decline", qc::MakeValDeclineRule},
      {"mode_collapse", qc::MakeModeCollapseRule},
      {"nan_inf", qc::MakeNanInfRule},
      {"loss_jump", qc::MakeLossJumpRule},
      {"saturated_outputs", qc::MakeSaturatedOutputsRule},
      {"implementation_consistency", qc::MakeImplementationConsistencyRule},
      {"evaluation_completeness", qc::MakeEvaluationCompletenessRule},
      {"shortcut_reliance", qc::MakeShortcutRelianceRule},
      {"capacity", qc::MakeCapacityRule},
      {"baselines", qc::MakeBaselinesRule},
      {"history", qc::MakeHistoryRule},
  };
  return kRules;
}

}  // namespace

const std::vector<std::string>& QcRuleNames() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> v;
    for (const auto& e : Table()) v.push_back(e.name);
    return v;
  }();
  return names;
}

std::unique_ptr<QcRule> CreateQcRule(const std::string& name) {
  for (const auto& e : Table())
    if (name == e.name) return e.make();
  Fatal("unknown QC rule '", name, "' (known: ", qc::Join(QcRuleNames(), ", "), ")");
}

std::vector<const QcFinding*> QcResult::Reasons() const {
  std::vector<const QcFinding*> out;
  for (const auto& f : findings)
    if (f.severity == Severity::kFail) out.push_back(&f);
  return out;
}

std::vector<std::string> QcResult::ReasonTexts(const std::string& lang) const {
  std::vector<std::string> out;
  for (const QcFinding* f : Reasons())
    out.push_back(f->rule + "/" + f->code + ": " + (lang == "zh" ? f->message_zh : f->message_en));
  return out;
}

bool QcResult::Has(const std::string& rule, const std::string& code, Severity min) const {
  for (const auto& f : findings)
    if (f.rule == rule && (code.empty() || f.code == code) && f.severity >= min) return true;
  return false;
}

QcResult RunQc(const RunFolder& run, const QcThresholds& thresholds,
               const std::vector<QcPastFailure>& past_failures) {
  ValidateRunForQc(run);
  QcContext ctx;
  ctx.run = &run;
  ctx.thresholds = &thresholds;
  ctx.evaluation = LoadEvaluation(run);
  ctx.past_failures = past_failures;
  QcResult r;
  std::vector<std::unique_ptr<QcRule>> later;
  for (const auto& name : QcRuleNames()) {
    auto rule = CreateQcRule(name);
    if (rule->AfterDecision()) later.push_back(std::move(rule));
    else rule->Check(ctx, &r.findings);
  }
  // Escalation: over the warning line with no validation to show generalisation -> the
  // overfitting family fails together (nothing shows the model is not memorising).
  if (r.Has("overfitting", "warning_line") && r.Has("train_val_gap", "cannot_assess")) {
    for (auto& f : r.findings) {
      bool family = (f.rule == "overfitting" && f.code == "warning_line") ||
                    (f.rule == "train_val_gap" && f.code == "cannot_assess") ||
                    (f.rule == "learning_efficiency" && f.code == "fast");
      if (family && f.severity < Severity::kFail) {
        f.severity = Severity::kFail;
        f.escalated = true;
      }
    }
  }
  std::set<std::string> failed;
  for (const auto& f : r.findings)
    if (f.severity == Severity::kFail) failed.insert(f.rule);
  r.signature = qc::Join({failed.begin(), failed.end()}, ",");
  ctx.signature = r.signature;
  for (const auto& rule : later) rule->Check(ctx, &r.findings);
  // Keep table order for the report.
  std::stable_sort(r.findings.begin(), r.findings.end(), [](const QcFinding& a, const QcFinding& b) {
    const auto& n = QcRuleNames();
    return std::find(n.begin(), n.end(), a.rule) < std::find(n.begin(), n.end(), b.rule);
  });
  r.pass = r.Reasons().empty();
  return r;
}

}  // namespace prism
