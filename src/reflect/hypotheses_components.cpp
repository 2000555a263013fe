// The component family: whether the environment stream, the prototypes and the orthogonality
// term do their part.
#include "reflect/hypothesis_rules.h"

namespace prism::reflect_internal {

// z_I and z_E correlated: the two streams are not separated.
bool StreamsEntangled(const Reflection& r, Hypothesis* h) {
  if (!(std::fabs(r.zi_ze_corr) > 0.10)) return false;
  h->metric = "zi_ze_corr";
  h->value = r.zi_ze_corr;
  h->trigger = 0.10;
  h->strength = Strength(std::fabs(r.zi_ze_corr), 0.10, 0.50);
  h->title_en = "Invariant and environment streams are entangled";
  h->title_zh = "不变流与环境流未解耦";
  h->evidence_en = "mean |corr(z_I, z_E)| " + Num(r.zi_ze_corr) + " (trigger 0.10)";
  h->evidence_zh = "z_I 与 z_E 的平均相关 " + Num(r.zi_ze_corr) + "（触发线 0.10）";
  h->next_en = "raise the orthogonality weight " + Doubled(r.weight_orthogonality) +
               "; success = correlation below 0.10 without lower test AUPR";
  h->next_zh = "提高正交损失权重 " + Doubled(r.weight_orthogonality) +
               "；成功标准：相关低于 0.10 且测试 AUPR 不下降";
  return true;
}

// Prototypes closer to each other than the spread of one cell line's batch means.
bool PrototypesCollapsed(const Reflection& r, Hypothesis* h) {
  if (!(r.proto_separation_ratio < 1.0)) return false;
  h->metric = "proto_separation_ratio";
  h->value = r.proto_separation_ratio;
  h->trigger = 1.0;
  h->strength = Strength(r.proto_separation_ratio, 1.0, 0.25);
  h->title_en = "Prototypes are not separated: environments cannot be told apart";
  h->title_zh = "原型未分离：无法区分不同环境";
  h->evidence_en = "closest prototypes " + Num(r.proto_min_dist) + " apart vs within-cell spread " +
                   Num(r.proto_within_spread) + " (ratio " + Num(r.proto_separation_ratio, 2) + ")";
  h->evidence_zh = "最近的两个原型距离 " + Num(r.proto_min_dist) + "，细胞系内离散度 " +
                   Num(r.proto_within_spread) + "（比值 " + Num(r.proto_separation_ratio, 2) + "）";
  h->next_en = "raise the prototype weight " + Doubled(r.weight_prototype) +
               " with the cell sampler; success = ratio above 1";
  h->next_zh = "在 cell 采样器下提高原型损失权重 " + Doubled(r.weight_prototype) +
               "；成功标准：比值大于 1";
  return true;
}

// The environment term is (almost) zero: the environment stream does nothing.
bool EnvironmentUnused(const Reflection& r, Hypothesis* h) {
  if (!(r.r_e_mean < 0.05) || !(r.r_e_max < 0.2)) return false;
  h->metric = "r_e_mean";
  h->value = r.r_e_mean;
  h->trigger = 0.05;
  h->strength = Strength(r.r_e_mean, 0.05, 0.0);
  h->title_en = "The environment term R_E is unused";
  h->title_zh = "环境阻抗 R_E 几乎未被使用";
  h->evidence_en = "R_E mean " + Num(r.r_e_mean) + ", max " + Num(r.r_e_max);
  h->evidence_zh = "R_E 均值 " + Num(r.r_e_mean) + "，最大值 " + Num(r.r_e_max);
  h->next_en = "check that e_c reaches g(z_E, e_c) and R_E receives gradient; retrain with the "
               "prototype weight " + Doubled(r.weight_prototype);
  h->next_zh = "检查 e_c 是否进入 g(z_E, e_c) 且 R_E 有梯度；将原型权重提高 " +
               Doubled(r.weight_prototype) + " 后重训";
  return true;
}

}  // namespace prism::reflect_internal
