// Reflection Markdown, section 1: the generalization gap, and (data from `prism simulate`) the run
// next to the simulation's oracles.
#include <string>

#include "reflect/reflect_markdown_sections.h"

namespace prism::reflect_md {

namespace {

std::string GapVerdict(const Reflection& r, Lang lang) {
  if (!Finite(r.gap_abs)) return L(lang, "cannot be assessed", "无法评估");
  if (r.gap_abs > 0.15) return L(lang, "severe", "严重");
  if (r.gap_abs > 0.05) return L(lang, "moderate", "中等");
  return L(lang, "small", "较小");
}

}  // namespace

void Generalization(const Reflection& r, Lang lang, std::ostream& md) {
  md << L(lang, "## 1. Failure structure: the generalization gap\n\n",
          "## 1. 失败结构：泛化差距\n\n");
  md << L(lang, "| quantity | value |\n| --- | --- |\n", "| 指标 | 数值 |\n| --- | --- |\n");
  std::string src = r.train_source.empty() ? "n/a" : r.train_source;
  if (lang == Lang::kZh) {
    if (r.train_source == "log best epoch (max val AUPR)") src = "日志中验证 AUPR 最高的 epoch";
    else if (r.train_source == "log last epoch") src = "日志最后一个 epoch";
    else if (r.train_source == "diagnostics.json train") src = "diagnostics.json 的训练指标";
    else if (r.train_source.rfind("ensemble", 0) == 0)
      src = "集成模型（diagnostics.json 训练，metrics/test.json ensemble.val_aupr）";
  }
  if (r.train_epoch > 0)
    src += L(lang, ", epoch ", "，第 ") + std::to_string(r.train_epoch) + L(lang, "", " 个");
  md << L(lang, "| train AUPR (", "| 训练 AUPR（") << src << L(lang, ") | ", "） | ")
     << Num(r.train_aupr) << " |\n";
  md << L(lang, "| train AUPR, last epoch | ", "| 训练 AUPR（最后一个 epoch） | ")
     << Num(r.train_aupr_last) << " |\n";
  md << L(lang, "| val AUPR (same epoch) | ", "| 验证 AUPR（同一 epoch） | ") << Num(r.val_aupr)
     << " |\n";
  md << L(lang, "| test AUPR (unseen cell lines) | ", "| 测试 AUPR（未见细胞系） | ")
     << Num(r.test_aupr) << " |\n";
  md << L(lang, "| absolute gap | ", "| 绝对差距 | ") << Num(r.gap_abs) << " |\n";
  md << L(lang, "| relative drop | ", "| 相对下降 | ") << Pct(r.gap_rel) << " |\n";
  md << L(lang, "| val − test | ", "| 验证 − 测试 | ") << Num(r.val_test_gap) << " |\n\n";
  if (Finite(r.gap_abs)) {
    md << L(lang, "Train AUPR ", "训练 AUPR ") << Num(r.train_aupr) << " → "
       << L(lang, "unseen-cell AUPR ", "未见细胞系 AUPR ") << Num(r.test_aupr)
       << L(lang, ": absolute gap ", "：绝对差距 ") << Num(r.gap_abs)
       << L(lang, ", relative drop ", "，相对下降 ") << Pct(r.gap_rel)
       << L(lang, " — the gap is ", "——差距") << GapVerdict(r, lang)
       << L(lang, " (moderate > 0.05, severe > 0.15).\n\n", "（>0.05 为中等，>0.15 为严重）。\n\n");
  } else {
    md << L(lang, "The gap cannot be assessed: the train AUPR is not recorded.\n\n",
            "无法评估差距：没有记录训练 AUPR。\n\n");
  }
}

// Data from `prism simulate`: the run next to the simulation's oracles (docs/simulator.md).
void SimulationReferencePoints(const Reflection& r, Lang lang, std::ostream& md) {
  const SimulationReference& s = r.simulation;
  if (s.path.empty()) return;
  md << L(lang, "### Against the simulation's oracles\n\n", "### 与模拟数据的理论上限对比\n\n")
     << L(lang, "The data is a `prism simulate` folder (`", "数据来自 `prism simulate`（`") << s.path
     << L(lang, "`), so every AUPR has known reference points: AUPR(p_true) is the Bayes limit, "
                "AUPR(p_env_blind) the best a predictor that ignores the cell's environment can "
                "reach, the positive rate is chance.\n\n",
          "`），因此每个 AUPR 都有已知的参照：AUPR(p_true) 为贝叶斯上限，AUPR(p_env_blind) "
          "为忽略细胞环境的预测器所能达到的最好水平，正例比例为随机水平。\n\n");
  md << L(lang, "| pairs | model AUPR | AUPR(p_true) | AUPR(p_env_blind) | AUPR(motif reference) | AUPR(shortcut) | positive rate |\n",
          "| 样本 | 模型 AUPR | AUPR(p_true) | AUPR(p_env_blind) | AUPR(motif 参照) | AUPR(捷径) | 正例比例 |\n")
     << "| --- | --- | --- | --- | --- | --- | --- |\n";
  for (const auto& row : s.rows)
    md << "| " << Cell(row.group) << " | " << Num(row.model_aupr) << " | " << Num(row.aupr_true)
       << " | " << Num(row.aupr_env_blind) << " | " << Num(row.aupr_reference) << " | "
       << Num(row.aupr_shortcut) << " | " << Num(row.positive_rate) << " |\n";
  md << L(lang, "AUPR(motif reference): a logistic regression given the true motifs (PWM scan, "
                "capped counts, enhancer x promoter products), fitted on train "
                "(docs/simulator.md).\n",
          "AUPR(motif 参照)：已知真实 motif 的逻辑回归（PWM 扫描、计数截断、增强子×启动子乘积），"
          "在训练集上拟合（docs/simulator.md）。\n");
  md << "\n";
  if (Finite(s.bayes_train_test_gap))
    md << L(lang, "Even the Bayes predictor loses ", "即使贝叶斯最优预测器，从训练到测试也下降 ")
       << Num(s.bayes_train_test_gap)
       << L(lang, " AUPR from train to test", " AUPR")
       << (!Finite(s.intrinsic_share) ? std::string()
           : lang == Lang::kZh ? "（占本次差距 " + Num(r.gap_abs) + " 的 " + Pct(s.intrinsic_share) + "）"
                               : " (" + Pct(s.intrinsic_share) + " of this run's gap " + Num(r.gap_abs) + ")")
       << L(lang, "; its train–val gap is ", "；其训练–验证差距为 ") << Num(s.bayes_train_val_gap)
       << L(lang, " (the inspector subtracts it before its train–val gap limit, 0.15 by "
                  "default: qc.bayes_gap_credit).\n\n",
            "（质检在应用训练–验证差距阈值（默认 0.15）前先扣除这部分：qc.bayes_gap_credit）。\n\n");
  const ReferencePointRow& train = s.rows.front();
  if (train.model_aupr > train.aupr_true + 0.01)
    md << L(lang, "Train AUPR ", "训练 AUPR ") << Num(train.model_aupr)
       << L(lang, " is above the Bayes limit ", " 高于贝叶斯上限 ") << Num(train.aupr_true)
       << L(lang, ": the model fits the training labels' noise or the training-only shortcuts, "
                  "which no unseen cell line rewards.\n\n",
            "：模型拟合了训练标签的噪声或仅存在于训练细胞系的捷径，这在未见细胞系上不会带来收益。\n\n");
  const double env_blind = s.EnvBlind("test");
  if (Finite(s.env_blind_shortfall))
    md << L(lang, "Test AUPR ", "测试 AUPR ") << Num(r.test_aupr)
       << (s.env_blind_shortfall > 0 ? L(lang, " is below", " 低于")
                                     : L(lang, " is at or above", " 达到或高于"))
       << L(lang, " the env-blind oracle ", "环境无关上限 ") << Num(env_blind)
       << L(lang, ": it has gone ", "：已走完从随机水平到该上限的 ") << Pct(s.env_blind_reached)
       << L(lang, " of the way from chance to it.\n\n", "。\n\n");
}

}  // namespace prism::reflect_md
