// Rules nan_inf (any non-finite value in the log, nan_steps > 0, non-finite test scores or
// metrics) and loss_jump (|delta loss| / loss > max_loss_change in one epoch).
#include <cmath>

#include "inspect/qc_util.h"

namespace prism::qc {
namespace {

void FindNonFinite(const Json& j, const std::string& path, std::vector<std::string>* out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it)
      FindNonFinite(*it, path.empty() ? it.key() : path + "." + it.key(), out);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) FindNonFinite(j[i], path + "[" + std::to_string(i) + "]", out);
  } else if (j.is_string() || j.is_number()) {
    double v = ReadNumber(j, 0.0);
    if (!std::isfinite(v)) out->push_back(path + "=" + Fmt(v));
  }
}

class NanInfRule : public QcRule {
 public:
  const char* name() const override { return "nan_inf"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    std::vector<int> epochs;
    std::vector<std::string> where;
    long steps = 0;
    for (size_t i = 0; i < run.epochs.size(); ++i) {
      std::vector<std::string> bad;
      FindNonFinite(run.epochs[i], "", &bad);
      double ns = static_cast<double>(run.log[i].nan_steps);
      if (std::isfinite(ns) && ns > 0) steps += static_cast<long>(ns);
      if (!bad.empty() || (std::isfinite(ns) && ns > 0)) {
        int e = EpochOf(run, i);
        epochs.push_back(e);
        for (const auto& b : bad) where.push_back("epoch " + std::to_string(e) + " " + b);
      }
    }
    if (ctx.evaluation.metrics_json.is_object()) {
      std::vector<std::string> bad;
      Json model = ctx.evaluation.metrics_json;  // the model's numbers, not the baselines'
      model.erase("baselines");
      FindNonFinite(model, "", &bad);
      for (const auto& b : bad) where.push_back("metrics/test.json " + b);
    }
    long scores = ctx.evaluation.nonfinite_scores;
    if (where.empty() && steps == 0 && scores == 0) return;
    std::string list = where.size() > 8 ? Join({where.begin(), where.begin() + 8}, "; ") + "; ..."
                                        : Join(where, "; ");
    std::string en = "Non-finite values: " + std::to_string(where.size()) + " NaN/Inf values";
    std::string zh = "出现NaN/Inf：日志中" + std::to_string(where.size()) + "个非有限值";
    if (!list.empty()) { en += " (" + list + ")"; zh += "（" + list + "）"; }
    en += ", " + std::to_string(steps) + " training steps with NaN loss (nan_steps)";
    zh += "，" + std::to_string(steps) + "个训练步出现NaN损失（nan_steps）";
    if (scores > 0) {
      en += ", " + std::to_string(scores) + " non-finite test scores";
      zh += "，测试集" + std::to_string(scores) + "个非有限预测分数";
    }
    out->push_back(Make("nan_inf", "nonfinite", Severity::kFail, en + ".", zh + "。", epochs,
                        {{"values", where}, {"nan_steps", steps}, {"nonfinite_scores", scores}}));
  }
};

class LossJumpRule : public QcRule {
 public:
  const char* name() const override { return "loss_jump"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    const QcThresholds& t = *ctx.thresholds;
    std::vector<bool> used_task;
    std::vector<double> base;
    std::vector<double> d = LossDeltas(run, &used_task, &base);
    std::vector<int> epochs;
    std::vector<std::string> en, zh;
    Json jumps = Json::array();
    double max_rel = 0;
    for (size_t i = 1; i < d.size(); ++i) {
      if (!std::isfinite(d[i]) || !std::isfinite(base[i]) || base[i] == 0) continue;
      double rel = std::fabs(d[i] / base[i]);
      max_rel = std::max(max_rel, rel);
      if (rel <= t.max_loss_change) continue;
      int e = EpochOf(run, i);
      epochs.push_back(e);
      const char* which = used_task[i] ? "task" : "total";
      jumps.push_back({{"epoch", e}, {"loss", which}, {"from", base[i]}, {"to", base[i] + d[i]},
                       {"change", d[i] / base[i]}});
      en.push_back("epoch " + std::to_string(e) + " " + which + " " + Fmt(base[i]) + " -> " +
                   Fmt(base[i] + d[i]) + " (" + (d[i] > 0 ? "+" : "") + Pct(d[i] / base[i]) + ")");
      zh.push_back("第" + std::to_string(e) + "轮" + which + " " + Fmt(base[i]) + " → " +
                   Fmt(base[i] + d[i]) + "（" + (d[i] > 0 ? "+" : "") + Pct(d[i] / base[i]) + "）");
    }
    if (epochs.empty()) {
      out->push_back(Make("loss_jump", "ok", Severity::kInfo,
                          "No loss jump: largest one-epoch change " + Pct(max_rel) + " (< " +
                              Pct(t.max_loss_change, 0) + ").",
                          "无（单epoch最大变化" + Pct(max_rel) + " < " +
                              Pct(t.max_loss_change, 0) + "）",
                          {}, {{"max_change", max_rel}}));
      return;
    }
    out->push_back(Make("loss_jump", "jump", Severity::kWarning,
                        "Loss jump over " + Pct(t.max_loss_change, 0) + " in one epoch: " +
                            Join(en, "; ") + ".",
                        "Loss突变（单epoch变化超过" + Pct(t.max_loss_change, 0) + "）：" +
                            Join(zh, "；") + "。",
                        epochs, {{"jumps", jumps}, {"limit", t.max_loss_change}}));
  }
};

}  // namespace

std::unique_ptr<QcRule> MakeNanInfRule() { return std::make_unique<NanInfRule>(); }
std::unique_ptr<QcRule> MakeLossJumpRule() { return std::make_unique<LossJumpRule>(); }

}  // namespace prism::qc
