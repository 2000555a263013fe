// Rules evaluation_completeness (test predictions and metrics exist), capacity (parameters per
// training sample) and history (same failure signature as an earlier FAIL in the ledger).
#include <cmath>

#include "inspect/qc_util.h"

namespace prism::qc {
namespace {

class EvaluationCompletenessRule : public QcRule {
 public:
  const char* name() const override { return "evaluation_completeness"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const QcEvaluation& ev = ctx.evaluation;
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

class CapacityRule : public QcRule {
 public:
  const char* name() const override { return "capacity"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    const Json& last = run.epochs.back();
    double params = ReadPath(last, {"parameters"}, ReadPath(run.run, {"parameters"}));
    double samples = ReadPath(last, {"train_samples"}, ReadPath(run.run, {"data", "train_pairs"}));
    if (!std::isfinite(params) || !std::isfinite(samples) || samples <= 0) {
      out->push_back(Make("capacity", "unknown", Severity::kInfo,
                          "Parameters or training samples not recorded; capacity not assessed.",
                          "未记录参数量或训练样本数，无法评估模型容量。"));
      return;
    }
    double ratio = params / samples;
    char p[32], s[32];
    std::snprintf(p, sizeof p, "%.0f", params);
    std::snprintf(s, sizeof s, "%.0f", samples);
    out->push_back(Make("capacity", "ratio", Severity::kInfo,
                        "Capacity: " + std::string(p) + " parameters / " + s + " training samples = " +
                            Fmt(ratio, 2) + " parameters per sample.",
                        "模型容量：参数" + std::string(p) + " / 训练样本" + s + " = 每样本约" +
                            Fmt(ratio, 2) + "个参数。",
                        {}, {{"parameters", params}, {"train_samples", samples}, {"ratio", ratio}}));
  }
};

class HistoryRule : public QcRule {
 public:
  const char* name() const override { return "history"; }
  bool AfterDecision() const override { return true; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    if (ctx.signature.empty()) return;
    std::vector<const QcPastFailure*> same;
    for (const auto& p : ctx.past_failures)
      if (p.signature == ctx.signature) same.push_back(&p);
    if (same.empty()) return;
    const QcPastFailure* last = same.front();
    for (const auto* p : same) if (p->id > last->id) last = p;
    std::vector<std::string> ids;
    for (const auto* p : same) ids.push_back(std::to_string(p->id));
    std::string extra_en, extra_zh;
    double now = ReadPath(ctx.run->epochs.back(), {"train", "aupr"});
    if (std::isfinite(last->train_aupr) && std::isfinite(now)) {
      extra_en = " (train AUPR then " + Fmt(last->train_aupr) + ", now " + Fmt(now) + ")";
      extra_zh = "（记录点" + std::to_string(last->id) + "训练AUPR " + Fmt(last->train_aupr) +
                 "，本次" + Fmt(now) + "）";
    }
    out->push_back(Make("history", "repeat", Severity::kFail,
                        "Failure pattern repeats record point " + std::to_string(last->id) + " ('" +
                            last->name + "'): same failed rules {" + ctx.signature + "}" + extra_en +
                            (same.size() > 1 ? "; also record points " + Join(ids, ", ") : "") + ".",
                        "历史失败模式重复：与记录点" + std::to_string(last->id) + "（" + last->name +
                            "）失败的规则完全相同{" + ctx.signature + "}" + extra_zh +
                            (same.size() > 1 ? "；另见记录点" + Join(ids, "、") : "") + "。",
                        {}, {{"record_point", last->id}, {"record_points", ids},
                             {"signature", ctx.signature}}));
  }
};

}  // namespace

std::unique_ptr<QcRule> MakeEvaluationCompletenessRule() {
  return std::make_unique<EvaluationCompletenessRule>();
}
std::unique_ptr<QcRule> MakeCapacityRule() { return std::make_unique<CapacityRule>(); }
std::unique_ptr<QcRule> MakeHistoryRule() { return std::make_unique<HistoryRule>(); }

}  // namespace prism::qc
