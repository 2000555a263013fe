// inspect/qc_util.h - helpers shared by the inspector's rules and report (private to src/inspect).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "prism/qc.h"

namespace prism::qc {

/// The epoch number of one log line (1-based index when absent).
int EpochOf(const RunFolder& run, size_t i);
/// Per-epoch values of one field of the typed log (NaN where missing or null).
std::vector<double> Series(const RunFolder& run, const std::function<double(const EpochRecord&)>& field);
/// Per-epoch train.aupr / val.aupr / loss.total.
std::vector<double> TrainAuprSeries(const RunFolder& run);
std::vector<double> ValAuprSeries(const RunFolder& run);
/// True when epoch i has a `val` object with a finite AUPR.
bool HasVal(const RunFolder& run, size_t i);
/// Per-epoch "comparable" loss deltas: delta of the total loss, or of the task loss where the
/// loss weights changed between the two epochs (curriculum). deltas[i] is epoch i-1 -> i; [0]=NaN.
/// *used_task[i] is set when the task loss was used.
std::vector<double> LossDeltas(const RunFolder& run, std::vector<bool>* used_task,
                               std::vector<double>* base);

/// "0.9740" (fixed digits); "nan", "inf", "-inf" for non-finite values.
std::string Fmt(double v, int digits = 4);
/// A number in compact general form ("1e-06", "100", "13065814").
std::string FmtG(double v);
/// "12.3%".
std::string Pct(double fraction, int digits = 1);
/// "3, 4, 5".
std::string JoinEpochs(const std::vector<int>& epochs);
/// Joins strings with a separator.
std::string Join(const std::vector<std::string>& parts, const std::string& sep);

/// True when run.json's config says model.kind = "xgboost" (boosting rounds, not network
/// epochs: rules about gradients, sampler, loss components and per-epoch learning speed do not
/// apply and say so).
bool TreeModel(const RunFolder& run);
/// The info finding "<rule>/not_applicable" of such a rule, with why (English and Chinese).
QcFinding NotApplicableToTrees(const char* rule, const std::string& why_en,
                               const std::string& why_zh);

/// Builds a finding.
QcFinding Make(const char* rule, const char* code, Severity sev, std::string en, std::string zh,
               std::vector<int> epochs = {}, Json values = Json::object());

// Factories of the rules (one file each), registered in qc_registry.cpp.
std::unique_ptr<QcRule> MakeLossTrendRule();
std::unique_ptr<QcRule> MakeLearningEfficiencyRule();
std::unique_ptr<QcRule> MakeGradientRule();
std::unique_ptr<QcRule> MakeOverfittingRule();
std::unique_ptr<QcRule> MakeTrainValGapRule();
std::unique_ptr<QcRule> MakeValDeclineRule();
std::unique_ptr<QcRule> MakeModeCollapseRule();
std::unique_ptr<QcRule> MakeNanInfRule();
std::unique_ptr<QcRule> MakeLossJumpRule();
std::unique_ptr<QcRule> MakeSaturatedOutputsRule();
std::unique_ptr<QcRule> MakeImplementationConsistencyRule();
std::unique_ptr<QcRule> MakeEvaluationCompletenessRule();
std::unique_ptr<QcRule> MakeShortcutRelianceRule();
std::unique_ptr<QcRule> MakeCapacityRule();
std::unique_ptr<QcRule> MakeBaselinesRule();
std::unique_ptr<QcRule> MakeHistoryRule();

/// Loss components the trainer may log besides `task` and `total`, in report order.
const std::vector<std::string>& ComponentNames();
/// Chinese name of a loss component ("对比学习损失").
std::string ComponentZh(const std::string& name);

}  // namespace prism::qc
