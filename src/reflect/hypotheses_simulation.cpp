// The simulation family: rules that read the simulation's reference points (oracles, shortcut
// score) or the covariate balance, so they fire only when those are recorded.
#include "reflect/hypothesis_rules.h"

namespace prism::reflect_internal {

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

}  // namespace prism::reflect_internal
