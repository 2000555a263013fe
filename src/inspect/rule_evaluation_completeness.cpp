// Rule evaluation_completeness: test predictions (predictions/test.csv) and metrics
// (metrics/test.json) exist and are not empty, and the checkpoints are sound (CheckpointProblem).
#include <cmath>
#include <cstdio>

#include "inspect/qc_util.h"

namespace prism::qc {
namespace {

class EvaluationCompletenessRule : public QcRule {
 public:
  const char* name() const override { return "evaluation_completeness"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const QcEvaluation& ev = ctx.evaluation;
    if (!ev.checkpoint_problems.empty())
      out->push_back(Make("evaluation_completeness", "checkpoint", Severity::kFail,
                          "Checkpoint unusable: " + Join(ev.checkpoint_problems, "; ") +
                              " - the evaluated model cannot be reproduced from this run folder.",
                          "检查点不可用：" + Join(ev.checkpoint_problems, "；") +
                              "，无法从该运行目录复现被评估的模型。",
                          {}, {{"problems", ev.checkpoint_problems}}));
    std::vector<std::string> missing;
    if (!ev.has_predictions) missing.push_back("predictions/test.csv");
    if (!ev.has_metrics) missing.push_back("metrics/test.json");
    if (!missing.empty()) {
      out->push_back(Make("evaluation_completeness", "missing", Severity::kFail,
                          "Evaluation incomplete: " + Join(missing, " and ") +
                              " missing - the model was not evaluated on the test split (run `prism predict`).",
                          "评估流程不完整：缺少" + Join(missing, "和") +
                              "，训练后未在测试集上评估（未运行prism predict）。",
                          {}, {{"missing", missing}}));
      return;
    }
    if (ev.prediction_rows == 0) {
      out->push_back(Make("evaluation_completeness", "empty", Severity::kFail,
                          "Evaluation incomplete: predictions/test.csv has no rows.",
                          "评估流程不完整：predictions/test.csv没有数据行。"));
    }
  }
};

}  // namespace

std::unique_ptr<QcRule> MakeEvaluationCompletenessRule() { return std::make_unique<EvaluationCompletenessRule>(); }

}  // namespace prism::qc
