// Rule capacity: parameters per training sample (reported, never fails).
#include <cmath>
#include <cstdio>

#include "inspect/qc_util.h"

namespace prism::qc {
namespace {

class CapacityRule : public QcRule {
 public:
  const char* name() const override { return "capacity"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    const EpochRecord& last = run.log.back();
    const auto recorded = last.parameters ? last.parameters : run.record.parameters;
    double params = recorded ? static_cast<double>(*recorded) : NAN;
    double samples = last.train_samples ? static_cast<double>(*last.train_samples)
                     : run.has_run_json ? static_cast<double>(run.record.data.train_pairs)
                                        : NAN;
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
                        std::string(p) + " parameters / " + s + " training samples = " +
                            Fmt(ratio, 2) + " parameters per sample.",
                        "参数" + std::string(p) + " / 训练样本" + s + " = 每样本约" +
                            Fmt(ratio, 2) + "个参数。",
                        {}, {{"parameters", params}, {"train_samples", samples}, {"ratio", ratio}}));
  }
};

}  // namespace

std::unique_ptr<QcRule> MakeCapacityRule() { return std::make_unique<CapacityRule>(); }

}  // namespace prism::qc
