// Rule implementation_consistency: every configured loss component appears in the log with a
// finite, non-constant value, and the configured sampler is the one the log records.
#include <cmath>

#include "inspect/qc_util.h"

namespace prism::qc {
namespace {

class ImplementationConsistencyRule : public QcRule {
 public:
  const char* name() const override { return "implementation_consistency"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    const Json& cfg = run.record.config;
    if (TreeModel(run)) {  // the log must still carry a finite, non-constant task loss
      CheckLoss(run, "task", out);
      out->push_back(NotApplicableToTrees(
          "implementation_consistency", "the network's loss components and batch sampler are "
          "not used by boosted trees (every round sees all training rows); only the task loss "
          "(training log-loss) is checked.",
          "提升树不使用网络的损失组件与批采样器（每轮使用全部训练样本），仅检查任务损失（训练log-loss）。"));
      return;
    }
    const bool comps = cfg.is_object() && cfg.contains("components") && cfg["components"].is_object();
    std::vector<std::string> configured = {"task"};
    if (comps) {
      for (const auto& c : ComponentNames())
        if (run.ComponentConfigured(c)) configured.push_back(c);
    } else {
      out->push_back(Make("implementation_consistency", "no_config", Severity::kWarning,
                          "run.json has no config.components; configured components cannot be "
                          "compared with the log.",
                          "run.json中没有config.components，无法核对配置的组件与日志。"));
    }
    for (const std::string& c : configured) CheckLoss(run, c, out);
    CheckSampler(run, out);
  }

 private:
  static void CheckLoss(const RunFolder& run, const std::string& c, std::vector<QcFinding>* out) {
    std::vector<int> missing, nonfinite, present;
    std::vector<double> vals;
    bool zero_weight = true, any_weight = false;
    for (size_t i = 0; i < run.log.size(); ++i) {
      const EpochRecord& e = run.log[i];
      int ep = EpochOf(run, i);
      if (!e.loss.count(c)) { missing.push_back(ep); continue; }
      present.push_back(ep);
      double v = e.Loss(c);
      if (!std::isfinite(v)) nonfinite.push_back(ep); else vals.push_back(v);
      double w = e.Weight(c);
      if (std::isfinite(w)) { any_weight = true; if (w != 0) zero_weight = false; }
    }
    std::string zhname = ComponentZh(c);
    Json values = {{"component", c}};
    if (present.empty()) {
      out->push_back(Make("implementation_consistency", "missing_loss", Severity::kFail,
                          "Configured component '" + c + "' has no loss in the log (none of " +
                              std::to_string(run.log.size()) + " epochs records loss." + c + ").",
                          "配置声明了" + zhname + "（" + c + "），但日志中无该损失（" +
                              std::to_string(run.log.size()) + "个epoch均未记录loss." + c + "），未实现。",
                          {}, values));
      return;
    }
    if (!missing.empty()) {
      out->push_back(Make("implementation_consistency", "missing_loss", Severity::kFail,
                          "Configured component '" + c + "' has no loss in epochs " +
                              JoinEpochs(missing) + ".",
                          "配置声明了" + zhname + "（" + c + "），但第" + JoinEpochs(missing) +
                              "轮日志中无该损失。",
                          missing, values));
    }
    if (!nonfinite.empty()) {
      out->push_back(Make("implementation_consistency", "nonfinite_loss", Severity::kFail,
                          "Loss '" + c + "' is not finite in epochs " + JoinEpochs(nonfinite) + ".",
                          zhname + "（" + c + "）在第" + JoinEpochs(nonfinite) + "轮为非有限值。",
                          nonfinite, values));
    }
    if (!vals.empty()) {
      double lo = *std::min_element(vals.begin(), vals.end());
      double hi = *std::max_element(vals.begin(), vals.end());
      bool constant = (vals.size() >= 2 && hi - lo <= 1e-12 * std::max(1.0, std::fabs(hi))) ||
                      (vals.size() == 1 && hi == 0.0);
      if (constant) {
        values["value"] = hi;
        out->push_back(Make("implementation_consistency", "constant_loss", Severity::kFail,
                            "Loss '" + c + "' is constant at " + FmtG(hi) + " over " +
                                std::to_string(vals.size()) + " epochs: the component does not learn.",
                            zhname + "（" + c + "）在" + std::to_string(vals.size()) + "个epoch中恒为" +
                                FmtG(hi) + "，该组件未起作用。",
                            present, values));
      }
    }
    if (c != "task" && any_weight && zero_weight) {
      out->push_back(Make("implementation_consistency", "zero_weight", Severity::kFail,
                          "Loss '" + c + "' has weight 0 in every epoch: it never enters the total loss.",
                          zhname + "（" + c + "）的权重在所有epoch均为0，从未进入总损失。",
                          present, values));
    }
  }

  static void CheckSampler(const RunFolder& run, std::vector<QcFinding>* out) {
    std::string want = run.ConfiguredSampler();
    if (want.empty()) return;
    std::vector<int> wrong;
    std::string used;
    bool logged = false;
    for (size_t i = 0; i < run.log.size(); ++i) {
      const std::string& s = run.log[i].sampler;
      if (s.empty()) continue;
      logged = true;
      if (s != want) {
        wrong.push_back(EpochOf(run, i));
        if (used.empty()) used = s;
      }
    }
    if (!logged) {
      out->push_back(Make("implementation_consistency", "sampler_not_logged", Severity::kWarning,
                          "The log does not record the sampler; configured '" + want +
                              "' cannot be verified.",
                          "日志未记录采样器，无法核实配置的采样器'" + want + "'是否被使用。",
                          {}, {{"configured", want}}));
      return;
    }
    if (wrong.empty()) return;
    out->push_back(Make("implementation_consistency", "sampler", Severity::kFail,
                        "Configured sampler '" + want + "' was not used: the log records '" + used +
                            "' in epochs " + JoinEpochs(wrong) + ".",
                        "配置的采样器为'" + want + "'，但日志记录第" + JoinEpochs(wrong) +
                            "轮使用的是'" + used + "'。",
                        wrong, {{"configured", want}, {"logged", used}}));
  }
};

}  // namespace

std::unique_ptr<QcRule> MakeImplementationConsistencyRule() {
  return std::make_unique<ImplementationConsistencyRule>();
}

}  // namespace prism::qc
