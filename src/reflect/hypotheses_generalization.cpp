// The generalization family: the gap from the training cell lines to unseen ones, and whether
// the run has (and uses) a mechanism against it.
#include "reflect/hypothesis_rules.h"

namespace prism::reflect_internal {

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
  h->next_en = "switch the components on (preset = \"components-on\": adversarial, contrastive, "
               "orthogonality, prototype) and compare the gap; on prism's benchmarks they moved "
               "unseen-cell AUPR by less than 0.01";
  h->next_zh = "启用各组件（preset = \"components-on\"：对抗、对比、正交、原型）并比较差距变化；"
               "在 prism 的基准上它们使未见细胞系 AUPR 的变化小于 0.01";
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

}  // namespace prism::reflect_internal
