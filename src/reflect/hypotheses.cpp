// Ranked hypotheses: one small rule per kind, registered in kHypothesisKinds.
//
// Each rule looks at one driving number (and optionally a corroborating one), decides whether it
// crosses its trigger, and fills the texts with the actual numbers and a concrete next
// experiment. The severity score is defined in include/prism/reflect.h.
#include <algorithm>
#include <cmath>

#include "prism/reflect.h"
#include "reflect/reflect_text.h"

namespace prism {
namespace {

using reflect_internal::Num;
using reflect_internal::Pct;

bool Finite(double x) { return std::isfinite(x); }

/// Strength of x between trigger t and full scale f (f < t for "lower is worse"), in [0, 1].
double Strength(double x, double t, double f) {
  if (!Finite(x)) return 0;
  return std::clamp((x - t) / (f - t), 0.0, 1.0);
}

bool Has(const Reflection& r, const std::string& component) {
  return std::find(r.components.begin(), r.components.end(), component) != r.components.end();
}

/// Doubles a loss weight for the next experiment ("0.05 -> 0.1"); "x2" when unknown.
std::string Doubled(double w) {
  if (!Finite(w) || w <= 0) return "x2";
  return Num(w, 3) + " -> " + Num(2 * w, 3);
}

using RuleFn = bool (*)(const Reflection& r, Hypothesis* h);

// ---- the rules ----------------------------------------------------------------------------

// Large train->test gap while the cell-line discriminator still beats chance on z_I.
bool InvarianceNotAchieved(const Reflection& r, Hypothesis* h) {
  if (!(r.gap_abs > 0.05) || !(r.disc_excess > 0.10)) return false;
  h->metric = "gap_abs";
  h->value = r.gap_abs;
  h->trigger = 0.05;
  h->support = "disc_excess";
  h->support_value = r.disc_excess;
  h->strength = 0.6 * Strength(r.gap_abs, 0.05, 0.30) + 0.4 * Strength(r.disc_excess, 0.10, 0.60);
  h->title_en = "Invariance not achieved: z_I still encodes the cell line";
  h->title_zh = "不变性未达成：z_I 仍携带细胞系信息";
  h->evidence_en = "train AUPR " + Num(r.train_aupr) + " vs test AUPR " + Num(r.test_aupr) +
                   " (gap " + Num(r.gap_abs) + ", " + Pct(r.gap_rel) +
                   "); discriminator accuracy " + Num(r.disc_acc) + " vs chance " +
                   Num(r.disc_chance) + " (" + Pct(r.disc_excess) + " of the way to perfect)";
  h->evidence_zh = "训练 AUPR " + Num(r.train_aupr) + "，测试 AUPR " + Num(r.test_aupr) +
                   "（差距 " + Num(r.gap_abs) + "，相对 " + Pct(r.gap_rel) + "）；判别器准确率 " +
                   Num(r.disc_acc) + "，随机水平 " + Num(r.disc_chance) + "（超出随机 " +
                   Pct(r.disc_excess) + "）";
  h->next_en = "raise the adversarial weight " + Doubled(r.weight_adversarial) +
               " (check the GRL ramp reaches 1 by the last epoch); success = disc_acc within 0.05 "
               "of " + Num(r.disc_chance) + " and a smaller gap";
  h->next_zh = "提高对抗损失权重 " + Doubled(r.weight_adversarial) +
               "（确认 GRL 强度在最后一个 epoch 达到 1）；成功标准：判别器准确率接近 " +
               Num(r.disc_chance) + "（±0.05）且差距缩小";
  return true;
}

// Large gap and no adversarial component at all.
bool NoInvarianceMechanism(const Reflection& r, Hypothesis* h) {
  if (!(r.gap_abs > 0.05) || Finite(r.disc_acc) || Has(r, "adversarial")) return false;
  h->metric = "gap_abs";
  h->value = r.gap_abs;
  h->trigger = 0.05;
  h->strength = Strength(r.gap_abs, 0.05, 0.30);
  h->title_en = "No invariance mechanism is active (adversarial component off)";
  h->title_zh = "没有启用不变性机制（对抗组件关闭）";
  h->evidence_en = "gap " + Num(r.gap_abs) + " (" + Pct(r.gap_rel) +
                   ") with no discriminator in the run";
  h->evidence_zh = "差距 " + Num(r.gap_abs) + "（" + Pct(r.gap_rel) + "），本次运行没有判别器";
  h->next_en = "switch on adversarial + contrastive with the cell sampler and compare the gap";
  h->next_zh = "启用对抗与对比组件并使用 cell 采样器，比较差距变化";
  return true;
}

// The training cell lines are memorised: train AUPR high and far above test.
bool Memorisation(const Reflection& r, Hypothesis* h) {
  if (!(r.gap_rel > 0.05) || !(r.train_aupr > 0.85)) return false;
  h->metric = "gap_rel";
  h->value = r.gap_rel;
  h->trigger = 0.05;
  h->support = "train_aupr";
  h->support_value = r.train_aupr;
  h->strength = 0.6 * Strength(r.gap_rel, 0.05, 0.35) + 0.4 * Strength(r.train_aupr, 0.85, 0.99);
  h->title_en = "Overfitting to the training cell lines";
  h->title_zh = "对训练细胞系过拟合";
  std::string epoch = r.train_epoch > 0 ? " at epoch " + std::to_string(r.train_epoch) : "";
  h->evidence_en = "train AUPR " + Num(r.train_aupr) + epoch + " (last epoch " +
                   Num(r.train_aupr_last) + ") vs unseen-cell AUPR " + Num(r.test_aupr) +
                   ": relative drop " + Pct(r.gap_rel);
  h->evidence_zh = "训练 AUPR " + Num(r.train_aupr) +
                   (r.train_epoch > 0 ? "（第 " + std::to_string(r.train_epoch) + " 个 epoch）" : "") +
                   "，最后一个 epoch " + Num(r.train_aupr_last) + "，未见细胞系 AUPR " +
                   Num(r.test_aupr) + "：相对下降 " + Pct(r.gap_rel);
  h->next_en = "regularise (dropout +0.1, weight decay x10) and stop at the best validation epoch; "
               "success = train AUPR below 0.90 with test AUPR not lower";
  h->next_zh = "加强正则化（dropout +0.1，weight decay ×10）并在验证集最佳 epoch 停止；"
               "成功标准：训练 AUPR 低于 0.90 且测试 AUPR 不下降";
  return true;
}

// One test cell line far below the others: its environment is not covered by the prototypes.
bool CellNotCovered(const Reflection& r, Hypothesis* h) {
  if (!(r.worst_gap_to_others > 0.05)) return false;
  const ReflectCell* w = nullptr;
  for (const auto& c : r.cells)
    if (c.cell == r.worst_cell) w = &c;
  if (!w) return false;
  h->metric = "worst_gap_to_others";
  h->value = r.worst_gap_to_others;
  h->trigger = 0.05;
  h->support = "entropy_norm[" + w->cell + "]";
  h->support_value = w->entropy_norm;
  double s = Strength(r.worst_gap_to_others, 0.05, 0.30);
  h->strength = Finite(w->entropy_norm) ? 0.6 * s + 0.4 * Strength(w->entropy_norm, 0.5, 1.0) : s;
  const bool prototypes = Has(r, "prototype") || Finite(w->entropy);
  if (!prototypes) {
    // No environment estimation in this run: the shift of this cell line is not modelled at all.
    h->title_en = "Cell line " + w->cell + " is far below the others: its environment shift is "
                  "not modelled (prototype component off)";
    h->title_zh = "细胞系 " + w->cell + " 远低于其他细胞系：其环境偏移未被建模（原型组件关闭）";
    h->evidence_en = w->cell + " AUPR " + Num(w->aupr) + " (N=" + std::to_string(w->n) +
                     ") is " + Num(r.worst_gap_to_others) +
                     " below the mean of the other test cells";
    h->evidence_zh = w->cell + " 的 AUPR 为 " + Num(w->aupr) + "（N=" + std::to_string(w->n) +
                     "），比其他测试细胞系的均值低 " + Num(r.worst_gap_to_others);
    h->next_en = "switch on the prototype component with the cell sampler and compare " + w->cell +
                 " AUPR; success = within 0.05 of the others";
    h->next_zh = "启用原型组件并使用 cell 采样器，比较 " + w->cell +
                 " 的 AUPR；成功标准：与其他细胞系相差不超过 0.05";
    return true;
  }
  h->title_en = "Cell line " + w->cell + " lies outside the environments the prototypes cover";
  h->title_zh = "细胞系 " + w->cell + " 的环境未被原型覆盖";
  std::string ent_en = Finite(w->entropy)
      ? "; its prototype assignment entropy is " + Num(w->entropy) + " nats (" +
            Pct(w->entropy_norm) + " of uniform), top prototype " + w->top_prototype
      : "; no prototype assignment recorded";
  std::string ent_zh = Finite(w->entropy)
      ? "；其原型分配熵为 " + Num(w->entropy) + " nats（均匀分布的 " + Pct(w->entropy_norm) +
            "），最接近的原型为 " + w->top_prototype
      : "；没有记录原型分配";
  h->evidence_en = w->cell + " AUPR " + Num(w->aupr) + " (N=" + std::to_string(w->n) + ") is " +
                   Num(r.worst_gap_to_others) + " below the mean of the other test cells" + ent_en;
  h->evidence_zh = w->cell + " 的 AUPR 为 " + Num(w->aupr) + "（N=" + std::to_string(w->n) +
                   "），比其他测试细胞系的均值低 " + Num(r.worst_gap_to_others) + ent_zh;
  h->next_en = "inspect the prototype weights of " + w->cell +
               "; add a training cell line closer to it or raise the prototype weight " +
               Doubled(r.weight_prototype) + "; success = entropy below 50% of uniform and " +
               w->cell + " AUPR within 0.05 of the others";
  h->next_zh = "检查 " + w->cell + " 的原型权重；加入与其更接近的训练细胞系，或将原型损失权重提高 " +
               Doubled(r.weight_prototype) + "；成功标准：分配熵低于均匀分布的 50%，且 " + w->cell +
               " 的 AUPR 与其他细胞系相差不超过 0.05";
  return true;
}

// Probabilities do not match observed frequencies; the best-F1 threshold is pushed to an edge.
bool Miscalibration(const Reflection& r, Hypothesis* h) {
  if (!(r.ece > 0.05) && !r.threshold_extreme) return false;
  h->metric = "ece";
  h->value = r.ece;
  h->trigger = 0.05;
  h->support = "threshold";
  h->support_value = r.threshold;
  double s = Strength(r.ece, 0.05, 0.25);
  h->strength = 0.6 * s + 0.4 * (r.threshold_extreme ? 1.0 : 0.0);
  h->title_en = "Probabilities are miscalibrated";
  h->title_zh = "概率校准失败";
  std::string dir_en = Finite(r.mean_score) && Finite(r.positive_rate)
      ? "; mean predicted probability " + Num(r.mean_score) + " vs positive rate " +
            Num(r.positive_rate)
      : "";
  std::string dir_zh = Finite(r.mean_score) && Finite(r.positive_rate)
      ? "；平均预测概率 " + Num(r.mean_score) + "，实际正例比例 " + Num(r.positive_rate)
      : "";
  h->evidence_en = "ECE " + Num(r.ece) + " (15 bins), Brier " + Num(r.brier) +
                   ", best-F1 threshold " + Num(r.threshold, 2) +
                   (r.threshold_extreme ? " (extreme: <= 0.05 or >= 0.95)" : "") + dir_en;
  h->evidence_zh = "ECE " + Num(r.ece) + "（15 个分箱），Brier " + Num(r.brier) + "，最优 F1 阈值 " +
                   Num(r.threshold, 2) + (r.threshold_extreme ? "（极端：≤0.05 或 ≥0.95）" : "") +
                   dir_zh;
  h->next_en = "fit a temperature on the validation split (current T " + Num(r.temperature) +
               ") and choose the threshold there, not on test; success = ECE below 0.05 and a "
               "threshold inside 0.1..0.9";
  h->next_zh = "在验证集上拟合温度（当前 T " + Num(r.temperature) +
               "）并在验证集而不是测试集上选择阈值；成功标准：ECE 低于 0.05，阈值位于 0.1..0.9";
  return true;
}

// Recall and precision far apart at the chosen threshold.
bool RecallPrecisionImbalance(const Reflection& r, Hypothesis* h) {
  if (!(std::fabs(r.balance) > 0.15)) return false;
  h->metric = "recall_minus_precision";
  h->value = r.balance;
  h->trigger = 0.15;
  h->support = "r_e_mean";
  h->support_value = r.r_e_mean;
  h->strength = Strength(std::fabs(r.balance), 0.15, 0.50);
  bool liberal = r.balance > 0;
  h->title_en = liberal ? "Predictions are too liberal: many false positives at the threshold"
                        : "Predictions are too conservative: positives are missed";
  h->title_zh = liberal ? "预测偏激进：阈值处假阳性过多" : "预测偏保守：正例识别不足";
  h->evidence_en = "recall " + Num(r.recall) + " vs precision " + Num(r.precision) +
                   " at threshold " + Num(r.threshold, 2) + " (difference " + Num(r.balance) +
                   "); mean R_E " + Num(r.r_e_mean);
  h->evidence_zh = "阈值 " + Num(r.threshold, 2) + " 处召回率 " + Num(r.recall) + "，精确率 " +
                   Num(r.precision) + "（差 " + Num(r.balance) + "）；R_E 均值 " + Num(r.r_e_mean);
  h->next_en = liberal
      ? "select the threshold on validation and try the adaptive_immax main loss; success = "
        "|recall - precision| below 0.15"
      : "check whether R_E (mean " + Num(r.r_e_mean) + ") shifts scores down: retrain with the "
        "prototype weight halved; success = |recall - precision| below 0.15";
  h->next_zh = liberal
      ? "在验证集上选阈值，并尝试 adaptive_immax 主损失；成功标准：|召回率 − 精确率| < 0.15"
      : "检查 R_E（均值 " + Num(r.r_e_mean) + "）是否整体压低分数：将原型权重减半后重训；"
        "成功标准：|召回率 − 精确率| < 0.15";
  return true;
}

// Validation (training cell lines) overestimates the unseen-cell AUPR.
bool ValidationNotProxy(const Reflection& r, Hypothesis* h) {
  if (!(r.val_test_gap > 0.05)) return false;
  h->metric = "val_test_gap";
  h->value = r.val_test_gap;
  h->trigger = 0.05;
  h->strength = Strength(r.val_test_gap, 0.05, 0.25);
  h->title_en = "Validation does not predict unseen-cell performance";
  h->title_zh = "验证集无法代表未见细胞系上的表现";
  h->evidence_en = "val AUPR " + Num(r.val_aupr) + " vs test AUPR " + Num(r.test_aupr) +
                   " (difference " + Num(r.val_test_gap) + ")";
  h->evidence_zh = "验证 AUPR " + Num(r.val_aupr) + "，测试 AUPR " + Num(r.test_aupr) + "（差 " +
                   Num(r.val_test_gap) + "）";
  h->next_en = "validate on a held-out training cell line (leave-one-cell-out) for early stopping "
               "and threshold choice; success = val-test difference below 0.05";
  h->next_zh = "用留出一个训练细胞系（leave-one-cell-out）的验证集做早停与选阈值；"
               "成功标准：验证与测试差距低于 0.05";
  return true;
}

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

// The learned temperature is far from 1: outputs over- or under-confident.
bool TemperatureExtreme(const Reflection& r, Hypothesis* h) {
  if (!Finite(r.temperature) || r.temperature <= 0) return false;
  double lt = std::fabs(std::log(r.temperature));
  if (!(lt > std::log(3.0))) return false;
  h->metric = "abs_log_T";
  h->value = lt;
  h->trigger = std::log(3.0);
  h->support = "T";
  h->support_value = r.temperature;
  h->strength = Strength(lt, std::log(3.0), std::log(20.0));
  bool sharp = r.temperature < 1;
  h->title_en = sharp ? "Temperature collapsed: outputs are over-confident"
                      : "Temperature too high: outputs are flattened";
  h->title_zh = sharp ? "温度过低：输出过度自信" : "温度过高：输出被压平";
  h->evidence_en = "T = " + Num(r.temperature);
  h->evidence_zh = "T = " + Num(r.temperature);
  h->next_en = "bound T (e.g. to [0.3, 3]) or freeze it for the first epochs and recalibrate on "
               "validation; success = ECE below 0.05";
  h->next_zh = "限制 T 的范围（如 [0.3, 3]）或在前几个 epoch 冻结，并在验证集上重新校准；成功标准：ECE < 0.05";
  return true;
}

// Simulated data: the test AUPR is below what an environment-blind predictor that knows the
// grammar reaches, so the invariant part (the motif grammar) is not learned, whatever the gap.
bool GrammarNotLearned(const Reflection& r, Hypothesis* h) {
  const SimulationReference& s = r.simulation;
  if (s.path.empty() || !(s.env_blind_shortfall > 0.02)) return false;
  const double env_blind = s.EnvBlind("test"), val_env_blind = s.EnvBlind("val");
  h->metric = "env_blind_shortfall";
  h->value = s.env_blind_shortfall;
  h->trigger = 0.02;
  h->support = "env_blind_reached";
  h->support_value = s.env_blind_reached;
  h->strength = Strength(s.env_blind_shortfall, 0.02, 0.25);
  h->title_en = "The invariant grammar is not learned: test AUPR is below the environment-blind "
                "oracle of the simulation";
  h->title_zh = "未学到不变的相互作用语法：测试 AUPR 低于模拟数据的环境无关上限";
  h->evidence_en = "test AUPR " + Num(r.test_aupr) + " vs AUPR(p_env_blind) " + Num(env_blind) +
                   " (" + Pct(s.env_blind_reached) + " of the way from chance); val " +
                   Num(r.val_aupr) + " vs " + Num(val_env_blind);
  h->evidence_zh = "测试 AUPR " + Num(r.test_aupr) + "，AUPR(p_env_blind) " + Num(env_blind) +
                   "（从随机水平起完成 " + Pct(s.env_blind_reached) + "）；验证 " +
                   Num(r.val_aupr) + "，上限 " + Num(val_env_blind);
  h->next_en = "measure the encoder's sample efficiency: retrain on a simulation with 5x the "
               "training pairs (prism simulate --train-pairs); success = test AUPR within 0.02 "
               "of " + Num(env_blind) + " (if more pairs close the gap, the encoder is "
               "data-limited, not mis-specified)";
  h->next_zh = "检验编码器的样本效率：用 5 倍训练样本的模拟数据重训（prism simulate "
               "--train-pairs）；成功标准：测试 AUPR 与 " + Num(env_blind) +
               " 相差不超过 0.02（若更多样本能缩小差距，说明编码器受限于数据量而非结构）";
  return true;
}

// Simulated data: much of the train->test gap is there for the Bayes predictor too (the unseen
// cells are intrinsically harder); that part cannot be closed by any model.
bool IntrinsicGap(const Reflection& r, Hypothesis* h) {
  const SimulationReference& s = r.simulation;
  if (s.path.empty() || !(s.bayes_train_test_gap > 0.05) || !(r.gap_abs > 0)) return false;
  h->metric = "intrinsic_share";
  h->value = s.intrinsic_share;
  h->trigger = 0.0;
  h->support = "bayes_train_val_gap";
  h->support_value = s.bayes_train_val_gap;
  h->strength = Strength(s.intrinsic_share, 0.0, 1.0);
  h->title_en = "Part of the gap is intrinsic: the unseen cells are harder even for the Bayes "
                "predictor";
  h->title_zh = "部分差距是固有的：即使贝叶斯最优预测器，未见细胞系也更难";
  h->evidence_en = "AUPR(p_true) falls by " + Num(s.bayes_train_test_gap) + " from train to "
                   "test (" + Pct(s.intrinsic_share) + " of this run's gap " + Num(r.gap_abs) +
                   "); train-val by " + Num(s.bayes_train_val_gap);
  h->evidence_zh = "AUPR(p_true) 从训练到测试下降 " + Num(s.bayes_train_test_gap) +
                   "（占本次差距 " + Num(r.gap_abs) + " 的 " + Pct(s.intrinsic_share) +
                   "）；训练到验证下降 " + Num(s.bayes_train_val_gap);
  h->next_en = "judge the run against the test oracles, not its train AUPR: the closable part of "
               "the gap is " + Num(r.gap_abs - s.bayes_train_test_gap) + "; a train-val gap up "
               "to " + Num(s.bayes_train_val_gap) + " is expected on this data";
  h->next_zh = "以测试集的理论上限而非训练 AUPR 评价本次运行：可缩小的差距为 " +
               Num(r.gap_abs - s.bayes_train_test_gap) + "；在此数据上训练–验证差距达到 " +
               Num(s.bayes_train_val_gap) + " 属于预期";
  return true;
}

// The training cell lines carry a shortcut (a feature that goes with the label there and not on
// unseen cells): from the simulation's shortcut-only score, or from the covariate-label
// correlation train.balance measured.
bool TrainingShortcut(const Reflection& r, Hypothesis* h) {
  const ReferencePointRow* train = nullptr;
  const ReferencePointRow* unseen = nullptr;
  for (const auto& row : r.simulation.rows) {
    if (row.group == "train") train = &row;
    if (row.group == "val" || (row.group == "test" && !unseen)) unseen = &row;
  }
  const double lift = train ? train->aupr_shortcut - train->positive_rate : NAN;
  const double unseen_lift = unseen ? unseen->aupr_shortcut - unseen->positive_rate : NAN;
  const bool sim = Finite(lift) && lift > 0.2 && !(unseen_lift > 0.05);
  const bool corr = r.confound_corr_before > 0.3;
  if (!sim && !corr) return false;
  const bool balanced = !r.balance_covariate.empty();
  if (sim) {
    h->metric = "shortcut_lift_train";
    h->value = lift;
    h->trigger = 0.2;
    h->strength = Strength(lift, 0.2, 0.6);
  } else {
    h->metric = "confound_corr_before";
    h->value = r.confound_corr_before;
    h->trigger = 0.3;
    h->strength = Strength(r.confound_corr_before, 0.3, 0.7);
  }
  if (balanced) {
    h->support = "confound_corr_after";
    h->support_value = r.confound_corr_after;
    // Balancing that removed the association leaves less of the shortcut to explain the gap.
    if (Finite(r.confound_corr_after) && Finite(r.confound_corr_before) &&
        r.confound_corr_before > 0)
      h->strength *= std::clamp(0.5 + r.confound_corr_after / r.confound_corr_before, 0.5, 1.0);
  }
  h->title_en = "The training cell lines carry a shortcut that unseen cell lines lack";
  h->title_zh = "训练细胞系带有未见细胞系所没有的捷径特征";
  std::string ev_en, ev_zh;
  if (sim) {
    ev_en = "a shortcut-only score reaches AUPR " + Num(train->aupr_shortcut) +
            " on the training cell lines (positive rate " + Num(train->positive_rate) + ") but " +
            Num(unseen->aupr_shortcut) + " on " + unseen->group + " (rate " +
            Num(unseen->positive_rate) + ")";
    ev_zh = "仅用捷径特征的打分在训练细胞系上 AUPR 达 " + Num(train->aupr_shortcut) + "（阳性率 " +
            Num(train->positive_rate) + "），在 " + unseen->group + " 上仅 " +
            Num(unseen->aupr_shortcut) + "（阳性率 " + Num(unseen->positive_rate) + "）";
  }
  if (balanced) {
    ev_en += std::string(ev_en.empty() ? "" : "; ") + "train.balance = \"" + r.balance_covariate +
             "\" cut the " + r.balance_covariate + "-label correlation from " +
             Num(r.confound_corr_before) + " to " + Num(r.confound_corr_after) +
             ", leaving an effective " + Pct(r.balance_ess_share) +
             " of the pairs in the most affected training cell line";
    ev_zh += std::string(ev_zh.empty() ? "" : "；") + "train.balance = \"" + r.balance_covariate +
             "\" 将 " + r.balance_covariate + " 与标签的相关从 " + Num(r.confound_corr_before) +
             " 降到 " + Num(r.confound_corr_after) + "，受影响最大的训练细胞系有效样本仅剩 " +
             Pct(r.balance_ess_share);
  } else {
    ev_en += std::string(ev_en.empty() ? "" : "; ") + "train.balance is off";
    ev_zh += std::string(ev_zh.empty() ? "" : "；") + "train.balance 未开启";
  }
  h->evidence_en = ev_en;
  h->evidence_zh = ev_zh;
  if (!balanced) {
    h->next_en = "check `prism audit`'s GC-by-label table and set train.balance = \"gc\" when GC "
                 "separates the training labels; success = val AUPR up, train AUPR down";
    h->next_zh = "查看 `prism audit` 的按标签 GC 表；若 GC 能区分训练标签，设置 train.balance = "
                 "\"gc\"；成功标准：验证 AUPR 上升、训练 AUPR 下降";
  } else {
    h->next_en = "the reweighting is done; what remains is its cost (fewer effective pairs) and the "
                 "association left inside the bins: more training pairs, or more balance_bins if "
                 "the correlation after weighting stays above 0.05";
    h->next_zh = "重加权已完成；剩余的是其代价（有效样本减少）与分箱内残留的关联：增加训练样本，"
                 "或在加权后相关仍高于 0.05 时增加 balance_bins";
  }
  return true;
}

struct Kind {
  const char* id;
  double weight;  ///< how much unseen-cell AUPR this kind can cost (1 = the most)
  RuleFn rule;
};

// One table, in tie-break order.
const Kind kHypothesisKinds[] = {
    {"invariance_not_achieved", 1.0, InvarianceNotAchieved},
    {"no_invariance_mechanism", 1.0, NoInvarianceMechanism},
    {"cell_not_covered", 0.9, CellNotCovered},
    {"memorisation", 0.8, Memorisation},
    {"miscalibration", 0.7, Miscalibration},
    {"validation_not_proxy", 0.7, ValidationNotProxy},
    {"streams_entangled", 0.6, StreamsEntangled},
    {"prototypes_collapsed", 0.6, PrototypesCollapsed},
    {"recall_precision_imbalance", 0.5, RecallPrecisionImbalance},
    {"environment_unused", 0.5, EnvironmentUnused},
    {"temperature_extreme", 0.4, TemperatureExtreme},
    {"grammar_not_learned", 1.0, GrammarNotLearned},
    {"training_shortcut", 0.9, TrainingShortcut},
    {"intrinsic_gap", 0.6, IntrinsicGap},
};

}  // namespace

std::vector<Hypothesis> RankHypotheses(const Reflection& r) {
  std::vector<Hypothesis> out;
  for (const auto& k : kHypothesisKinds) {
    Hypothesis h;
    if (!k.rule(r, &h)) continue;
    h.id = k.id;
    h.severity = k.weight * (0.25 + 0.75 * h.strength);
    out.push_back(std::move(h));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Hypothesis& a, const Hypothesis& b) { return a.severity > b.severity; });
  for (size_t i = 0; i < out.size(); ++i) out[i].rank = static_cast<int>(i) + 1;
  return out;
}

}  // namespace prism
