// The reflection as Markdown (zh/en), JSON and a one-paragraph summary; writing RUN/reflect/.
#include <cmath>
#include <sstream>

#include "prism/atomic_file.h"
#include "prism/reflect.h"
#include "reflect/reflect_text.h"

namespace prism {
namespace {

using reflect_internal::Num;
using reflect_internal::Pct;

bool Finite(double x) { return std::isfinite(x); }

/// Text in the chosen language.
const std::string& L(Lang lang, const std::string& en, const std::string& zh) {
  return lang == Lang::kZh ? zh : en;
}

/// Escapes characters that break a Markdown table cell.
std::string Cell(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '|') o += "\\|";
    else if (c == '\n') o += ' ';
    else o += c;
  }
  return o;
}

std::string GapVerdict(const Reflection& r, Lang lang) {
  if (!Finite(r.gap_abs)) return L(lang, "cannot be assessed", "无法评估");
  if (r.gap_abs > 0.15) return L(lang, "severe", "严重");
  if (r.gap_abs > 0.05) return L(lang, "moderate", "中等");
  return L(lang, "small", "较小");
}

void Generalization(const Reflection& r, Lang lang, std::ostream& md) {
  md << L(lang, "## 1. Failure structure: the generalization gap\n\n",
          "## 1. 失败结构：泛化差距\n\n");
  md << L(lang, "| quantity | value |\n| --- | --- |\n", "| 指标 | 数值 |\n| --- | --- |\n");
  std::string src = r.train_source.empty() ? "n/a" : r.train_source;
  if (lang == Lang::kZh) {
    if (r.train_source == "log best epoch (max val AUPR)") src = "日志中验证 AUPR 最高的 epoch";
    else if (r.train_source == "log last epoch") src = "日志最后一个 epoch";
    else if (r.train_source == "diagnostics.json train") src = "diagnostics.json 的训练指标";
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

void PerCell(const Reflection& r, Lang lang, std::ostream& md) {
  md << L(lang, "## 2. Per-cell spread\n\n", "## 2. 细胞系间差异\n\n");
  if (r.cells.empty()) {
    md << L(lang, "No per-cell metrics (no cell_line column).\n\n",
            "没有分细胞系的指标（缺少 cell_line 列）。\n\n");
    return;
  }
  md << L(lang,
          "| cell line | AUPR | AUC | F1 | Recall | Precision | Threshold | N | R_E mean | "
          "assignment entropy | top prototype |\n",
          "| 细胞系 | AUPR | AUC | F1 | Recall | Precision | 阈值 | N | R_E 均值 | 原型分配熵 | "
          "最接近原型 |\n")
     << "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
  for (const auto& c : r.cells) {
    md << "| " << Cell(c.cell) << " | " << Num(c.aupr, 4) << " | " << Num(c.auc, 4) << " | "
       << Num(c.f1, 4) << " | " << Num(c.recall, 4) << " | " << Num(c.precision, 4) << " | "
       << Num(c.threshold, 2) << " | " << c.n << " | " << Num(c.r_e_mean) << " | "
       << Num(c.entropy) << " | " << Cell(c.top_prototype.empty() ? "n/a" : c.top_prototype)
       << " |\n";
  }
  md << "\n"
     << L(lang, "Per-cell AUPR: min ", "各细胞系 AUPR：最小 ") << Num(r.cell_min)
     << " (" << Cell(r.worst_cell) << L(lang, "), max ", ")，最大 ") << Num(r.cell_max) << " ("
     << Cell(r.best_cell) << L(lang, "), std ", ")，标准差 ") << Num(r.cell_std);
  if (Finite(r.worst_gap_to_others))
    md << L(lang, "; the worst cell is ", "；最差细胞系比其他细胞系均值低 ")
       << Num(r.worst_gap_to_others) << L(lang, " below the mean of the others", "");
  md << L(lang, ".\n\n", "。\n\n");
}

void Balance(const Reflection& r, Lang lang, std::ostream& md) {
  md << L(lang, "## 3. Recall–precision balance and threshold\n\n",
          "## 3. 召回率–精确率平衡与阈值\n\n");
  md << L(lang, "At the best-F1 threshold ", "在最优 F1 阈值 ") << Num(r.threshold, 2)
     << L(lang, ": recall ", " 处：召回率 ") << Num(r.recall) << L(lang, ", precision ", "，精确率 ")
     << Num(r.precision) << L(lang, ", F1 ", "，F1 ") << Num(r.f1) << L(lang, " (recall − precision = ", "（召回率 − 精确率 = ")
     << Num(r.balance) << L(lang, "). ", "）。");
  if (Finite(r.balance)) {
    if (r.balance > 0.15)
      md << L(lang, "The model is liberal: it buys recall with false positives.",
              "模型偏激进：以假阳性换取召回率。");
    else if (r.balance < -0.15)
      md << L(lang, "The model is conservative: positives are missed to avoid false positives.",
              "模型偏保守：为避免假阳性而漏掉正例。");
    else
      md << L(lang, "Recall and precision are balanced (|difference| ≤ 0.15).",
              "召回率与精确率大致平衡（|差| ≤ 0.15）。");
  }
  md << "\n\n";
  md << L(lang, "Threshold extremity: ", "阈值极端性：") << Num(r.threshold, 2)
     << (r.threshold_extreme
             ? L(lang, " is extreme (≤ 0.05 or ≥ 0.95): the scores are not on the scale of "
                       "probabilities.",
                 " 属于极端值（≤0.05 或 ≥0.95）：输出分数与概率尺度不符。")
             : L(lang, " is inside 0.05..0.95.", " 位于 0.05..0.95 之间。"))
     << "\n\n";
}

void Calibration(const Reflection& r, Lang lang, std::ostream& md) {
  md << L(lang, "## 4. Calibration\n\n", "## 4. 概率校准\n\n");
  md << L(lang, "ECE (15 bins) ", "ECE（15 个分箱）") << Num(r.ece) << L(lang, ", Brier ", "，Brier ")
     << Num(r.brier);
  if (Finite(r.mean_score))
    md << L(lang, ", mean predicted probability ", "，平均预测概率 ") << Num(r.mean_score)
       << L(lang, " vs positive rate ", "，实际正例比例 ") << Num(r.positive_rate);
  md << L(lang, ".\n\n", "。\n\n");
  if (r.reliability.empty()) {
    md << L(lang, "Reliability table not available (no predictions/test.csv).\n\n",
            "无可靠性表（缺少 predictions/test.csv）。\n\n");
    return;
  }
  md << L(lang, "Reliability table (non-empty bins):\n\n", "可靠性表（非空分箱）：\n\n")
     << L(lang, "| bin | N | mean predicted | observed positive rate | gap |\n",
          "| 分箱 | N | 平均预测概率 | 实际正例比例 | 差 |\n")
     << "| --- | --- | --- | --- | --- |\n";
  for (const auto& b : r.reliability) {
    if (b.n == 0) continue;
    md << "| " << Num(b.lo, 3) << "–" << Num(b.hi, 3) << " | " << b.n << " | "
       << Num(b.mean_score) << " | " << Num(b.frac_pos) << " | "
       << Num(b.frac_pos - b.mean_score) << " |\n";
  }
  md << "\n";
}

void Components(const Reflection& r, Lang lang, std::ostream& md) {
  md << L(lang, "## 5. Component health\n\n", "## 5. 组件健康度\n\n");
  std::string on;
  for (const auto& c : r.components) on += (on.empty() ? "" : ", ") + c;
  md << L(lang, "Configured components: ", "已配置组件：") << (on.empty() ? "none" : on)
     << "\n\n";
  md << L(lang, "| component | number | reference | reading |\n",
          "| 组件 | 数值 | 参照 | 解读 |\n")
     << "| --- | --- | --- | --- |\n";
  // Discriminator.
  md << L(lang, "| adversarial: discriminator accuracy | ", "| 对抗：判别器准确率 | ")
     << Num(r.disc_acc) << L(lang, " | chance ", " | 随机 ") << Num(r.disc_chance) << " ("
     << r.n_train_cells << L(lang, " cells) | ", " 个细胞系) | ");
  if (!Finite(r.disc_excess)) md << L(lang, "not recorded", "未记录");
  else if (r.disc_excess > 0.10)
    md << Pct(r.disc_excess) << L(lang, " above chance: z_I still identifies the cell line",
                                  " 高于随机：z_I 仍能识别细胞系");
  else md << L(lang, "near chance: z_I carries little cell-line information",
               "接近随机：z_I 基本不含细胞系信息");
  md << " |\n";
  // Orthogonality.
  md << L(lang, "| orthogonality: corr(z_I, z_E) | ", "| 正交：corr(z_I, z_E) | ")
     << Num(r.zi_ze_corr) << " | < 0.10 | ";
  if (!Finite(r.zi_ze_corr)) md << L(lang, "not recorded", "未记录");
  else md << (std::fabs(r.zi_ze_corr) > 0.10 ? L(lang, "entangled", "未解耦")
                                             : L(lang, "separated", "已解耦"));
  md << " |\n";
  // Prototypes.
  md << L(lang, "| prototypes: min distance / within-cell spread | ",
          "| 原型：最小间距 / 细胞系内离散度 | ")
     << Num(r.proto_min_dist) << " / " << Num(r.proto_within_spread) << " = "
     << Num(r.proto_separation_ratio, 2) << " | > 1 | ";
  if (!Finite(r.proto_separation_ratio)) md << L(lang, "not recorded", "未记录");
  else md << (r.proto_separation_ratio < 1 ? L(lang, "collapsed", "未分离")
                                           : L(lang, "separated", "已分离"));
  md << " |\n";
  for (const auto& c : r.cells) {
    if (!Finite(c.entropy)) continue;
    md << L(lang, "| prototype assignment of ", "| 原型分配：") << Cell(c.cell) << " | "
       << L(lang, "entropy ", "熵 ") << Num(c.entropy) << " (" << Pct(c.entropy_norm)
       << L(lang, " of uniform) | low = covered | top ", " 均匀) | 越低越好 | 最接近 ")
       << Cell(c.top_prototype) << " |\n";
  }
  // R_E.
  md << L(lang, "| environment: R_E | mean ", "| 环境：R_E | 均值 ") << Num(r.r_e_mean) << " ± "
     << Num(r.r_e_std) << " [" << Num(r.r_e_min) << ", " << Num(r.r_e_max) << "] | > 0.05 | ";
  if (!Finite(r.r_e_mean)) md << L(lang, "not recorded", "未记录");
  else {
    for (size_t i = 0; i < r.cells.size(); ++i)
      md << (i ? ", " : "") << Cell(r.cells[i].cell) << " " << Num(r.cells[i].r_e_mean);
  }
  md << " |\n";
  md << L(lang, "| temperature T | ", "| 温度 T | ") << Num(r.temperature) << " | 1/3..3 | "
     << (!Finite(r.temperature) ? L(lang, "not recorded", "未记录")
         : (r.temperature < 1.0 / 3 || r.temperature > 3) ? L(lang, "extreme", "极端")
                                                          : L(lang, "moderate", "正常"))
     << " |\n\n";
}

void Insights(const Reflection& r, Lang lang, std::ostream& md) {
  md << L(lang, "## 6. Key insights\n\n", "## 6. 关键洞察\n\n");
  int k = 0;
  if (Finite(r.gap_abs))
    md << ++k << ". " << L(lang, "**Generalization gap**: train AUPR ", "**泛化差距的量化**：训练 AUPR ")
       << Num(r.train_aupr) << " → " << L(lang, "test AUPR ", "测试 AUPR ") << Num(r.test_aupr)
       << L(lang, ", absolute gap ", "，绝对差距 ") << Num(r.gap_abs)
       << L(lang, ", relative drop ", "，相对下降 ") << Pct(r.gap_rel) << L(lang, ".\n", "。\n");
  if (!r.worst_cell.empty() && r.cells.size() >= 2)
    md << ++k << ". " << L(lang, "**Per-cell spread**: ", "**细胞系差异**：") << Cell(r.worst_cell)
       << " " << Num(r.cell_min) << L(lang, " vs ", "，") << Cell(r.best_cell) << " "
       << Num(r.cell_max) << L(lang, " (std ", "（标准差 ") << Num(r.cell_std)
       << L(lang, ").\n", "）。\n");
  if (Finite(r.balance))
    md << ++k << ". " << L(lang, "**Recall–precision balance**: recall ", "**Recall-Precision 平衡**：召回率 ")
       << Num(r.recall) << L(lang, " vs precision ", "，精确率 ") << Num(r.precision)
       << L(lang, " (difference ", "（差 ") << Num(r.balance) << L(lang, ").\n", "）。\n");
  if (Finite(r.threshold))
    md << ++k << ". " << L(lang, "**Threshold and calibration**: best-F1 threshold ",
                           "**阈值与校准**：最优 F1 阈值 ")
       << Num(r.threshold, 2)
       << (r.threshold_extreme ? L(lang, " (extreme)", "（极端）") : std::string())
       << L(lang, ", ECE ", "，ECE ") << Num(r.ece) << L(lang, ", Brier ", "，Brier ")
       << Num(r.brier) << L(lang, ".\n", "。\n");
  if (Finite(r.disc_acc))
    md << ++k << ". " << L(lang, "**Invariance**: discriminator accuracy ", "**不变性**：判别器准确率 ")
       << Num(r.disc_acc) << L(lang, " vs chance ", "，随机水平 ") << Num(r.disc_chance)
       << L(lang, ".\n", "。\n");
  if (k == 0) md << L(lang, "No numbers available.\n", "没有可用的数值。\n");
  md << "\n";
}

void Hypotheses(const Reflection& r, Lang lang, std::ostream& md) {
  md << L(lang, "## 7. Root causes: ranked hypotheses\n\n", "## 7. 根因分析：按严重度排序的假设\n\n");
  if (r.hypotheses.empty()) {
    md << L(lang, "No hypothesis is triggered: every number is inside its trigger.\n\n",
            "没有假设被触发：所有数值都在触发线以内。\n\n");
    return;
  }
  for (const auto& h : r.hypotheses) {
    md << "### " << h.rank << ". " << L(lang, h.title_en, h.title_zh) << "\n\n";
    md << L(lang, "- severity ", "- 严重度 ") << Num(h.severity) << L(lang, " (strength ", "（强度 ")
       << Num(h.strength, 2) << L(lang, "; ", "；") << h.metric << " = " << Num(h.value)
       << L(lang, ", trigger ", "，触发线 ") << Num(h.trigger) << L(lang, ")\n", "）\n");
    md << L(lang, "- evidence: ", "- 证据：") << L(lang, h.evidence_en, h.evidence_zh) << "\n";
    md << L(lang, "- next experiment: ", "- 下一步实验：") << L(lang, h.next_en, h.next_zh)
       << "\n\n";
  }
}

void NextSteps(const Reflection& r, Lang lang, std::ostream& md) {
  md << L(lang, "## 8. Implications for the next step\n\n", "## 8. 对下一步的启示\n\n");
  if (r.hypotheses.empty()) {
    md << L(lang, "Keep this configuration as the baseline candidate.\n\n",
            "保留该配置作为基线候选。\n\n");
    return;
  }
  for (const auto& h : r.hypotheses)
    md << h.rank << ". " << L(lang, h.next_en, h.next_zh) << L(lang, " (", "（") << h.id
       << L(lang, ")\n", "）\n");
  md << "\n";
}

}  // namespace

std::string ReflectionMarkdown(const Reflection& r, Lang lang) {
  std::ostringstream md;
  md << L(lang, "# Reflection: ", "# 记录点反思：") << r.run_name << "\n\n";
  md << L(lang, "Computed by `prism reflect` from the run folder `",
          "由 `prism reflect` 根据运行目录 `")
     << r.run_dir
     << L(lang, "`; every statement below cites the number it rests on.\n\n",
          "` 计算；以下每条结论都附有其依据的数值。\n\n");
  if (!r.missing.empty()) {
    md << L(lang, "Missing inputs (numbers from them are n/a): ", "缺少的输入（相关数值记为 n/a）：");
    for (size_t i = 0; i < r.missing.size(); ++i) md << (i ? ", " : "") << r.missing[i];
    md << "\n\n";
  }
  Generalization(r, lang, md);
  SimulationReferencePoints(r, lang, md);
  PerCell(r, lang, md);
  Balance(r, lang, md);
  Calibration(r, lang, md);
  Components(r, lang, md);
  Insights(r, lang, md);
  Hypotheses(r, lang, md);
  NextSteps(r, lang, md);
  md << L(lang, "## Severity score\n\n", "## 严重度评分\n\n")
     << L(lang,
          "strength s = clamp((x − trigger) / (full − trigger), 0, 1) of the driving number x; "
          "with a corroborating number s = 0.6·s_main + 0.4·s_support; severity = weight · "
          "(0.25 + 0.75·s), weight per hypothesis kind (1.0 invariance, 0.9 uncovered cell, 0.8 "
          "overfitting, 0.7 calibration / validation, 0.6 entanglement / prototypes, 0.5 "
          "balance / R_E, 0.4 temperature).\n",
          "驱动数值 x 的强度 s = clamp((x − 触发线) / (满量程 − 触发线), 0, 1)；有佐证数值时 "
          "s = 0.6·s_主 + 0.4·s_佐证；严重度 = 权重 ·(0.25 + 0.75·s)，各类假设的权重：不变性 1.0，"
          "未覆盖细胞系 0.9，过拟合 0.8，校准/验证 0.7，解耦/原型 0.6，平衡/R_E 0.5，温度 0.4。\n");
  return md.str();
}

std::string ReflectionSummary(const Reflection& r, Lang lang) {
  std::ostringstream s;
  s << L(lang, "train AUPR ", "训练 AUPR ") << Num(r.train_aupr) << " -> "
    << L(lang, "test AUPR ", "测试 AUPR ") << Num(r.test_aupr) << L(lang, " (gap ", "（差距 ")
    << Num(r.gap_abs) << ", " << Pct(r.gap_rel) << L(lang, ")", "）");
  if (!r.worst_cell.empty())
    s << L(lang, "; worst cell ", "；最差细胞系 ") << r.worst_cell << " " << Num(r.cell_min);
  s << L(lang, "; ECE ", "；ECE ") << Num(r.ece) << L(lang, ", threshold ", "，阈值 ")
    << Num(r.threshold, 2);
  if (!r.hypotheses.empty()) {
    const auto& h = r.hypotheses.front();
    s << L(lang, "; top hypothesis: ", "；首要假设：") << L(lang, h.title_en, h.title_zh) << " ("
      << h.metric << " = " << Num(h.value) << L(lang, ", severity ", "，严重度 ")
      << Num(h.severity) << ")";
  } else {
    s << L(lang, "; no hypothesis triggered", "；无触发的假设");
  }
  return s.str();
}

Json ReflectionJson(const Reflection& r) {
  Json j;
  j["run"] = {{"name", r.run_name}, {"dir", r.run_dir}, {"missing", r.missing}};
  j["generalization"] = {{"train_aupr", JsonNumber(r.train_aupr)},
                         {"train_epoch", r.train_epoch},
                         {"train_source", r.train_source},
                         {"train_aupr_last", JsonNumber(r.train_aupr_last)},
                         {"val_aupr", JsonNumber(r.val_aupr)},
                         {"test_aupr", JsonNumber(r.test_aupr)},
                         {"gap_abs", JsonNumber(r.gap_abs)},
                         {"gap_rel", JsonNumber(r.gap_rel)},
                         {"val_test_gap", JsonNumber(r.val_test_gap)}};
  Json cells = Json::array();
  for (const auto& c : r.cells)
    cells.push_back({{"cell", c.cell}, {"aupr", JsonNumber(c.aupr)}, {"auc", JsonNumber(c.auc)},
                     {"f1", JsonNumber(c.f1)}, {"recall", JsonNumber(c.recall)},
                     {"precision", JsonNumber(c.precision)},
                     {"threshold", JsonNumber(c.threshold)}, {"ece", JsonNumber(c.ece)},
                     {"n", c.n}, {"positives", c.positives},
                     {"r_e_mean", JsonNumber(c.r_e_mean)}, {"r_e_std", JsonNumber(c.r_e_std)},
                     {"entropy", JsonNumber(c.entropy)},
                     {"entropy_norm", JsonNumber(c.entropy_norm)},
                     {"top_prototype", c.top_prototype}});
  j["per_cell"] = {{"cells", cells},
                   {"min", JsonNumber(r.cell_min)},
                   {"max", JsonNumber(r.cell_max)},
                   {"mean", JsonNumber(r.cell_mean)},
                   {"std", JsonNumber(r.cell_std)},
                   {"worst", r.worst_cell},
                   {"best", r.best_cell},
                   {"worst_gap_to_others", JsonNumber(r.worst_gap_to_others)}};
  Json rel = Json::array();
  for (const auto& b : r.reliability)
    rel.push_back({{"lo", b.lo}, {"hi", b.hi}, {"n", b.n},
                   {"mean_score", JsonNumber(b.mean_score)}, {"frac_pos", JsonNumber(b.frac_pos)}});
  j["threshold"] = {{"threshold", JsonNumber(r.threshold)},
                    {"extreme", r.threshold_extreme},
                    {"recall", JsonNumber(r.recall)},
                    {"precision", JsonNumber(r.precision)},
                    {"f1", JsonNumber(r.f1)},
                    {"recall_minus_precision", JsonNumber(r.balance)}};
  j["calibration"] = {{"ece", JsonNumber(r.ece)},
                      {"brier", JsonNumber(r.brier)},
                      {"bins", 15},
                      {"mean_score", JsonNumber(r.mean_score)},
                      {"positive_rate", JsonNumber(r.positive_rate)},
                      {"reliability", rel}};
  j["components"] = {{"configured", r.components},
                     {"n_train_cells", r.n_train_cells},
                     {"disc_acc", JsonNumber(r.disc_acc)},
                     {"disc_chance", JsonNumber(r.disc_chance)},
                     {"disc_excess", JsonNumber(r.disc_excess)},
                     {"zi_ze_corr", JsonNumber(r.zi_ze_corr)},
                     {"prototype_min_dist", JsonNumber(r.proto_min_dist)},
                     {"prototype_mean_dist", JsonNumber(r.proto_mean_dist)},
                     {"prototype_within_spread", JsonNumber(r.proto_within_spread)},
                     {"prototype_separation_ratio", JsonNumber(r.proto_separation_ratio)},
                     {"r_e", {{"mean", JsonNumber(r.r_e_mean)}, {"std", JsonNumber(r.r_e_std)},
                              {"min", JsonNumber(r.r_e_min)}, {"max", JsonNumber(r.r_e_max)}}},
                     {"T", JsonNumber(r.temperature)},
                     {"weights", {{"adversarial", JsonNumber(r.weight_adversarial)},
                                  {"orthogonality", JsonNumber(r.weight_orthogonality)},
                                  {"prototype", JsonNumber(r.weight_prototype)}}}};
  Json hs = Json::array();
  for (const auto& h : r.hypotheses)
    hs.push_back({{"rank", h.rank}, {"id", h.id}, {"severity", JsonNumber(h.severity)},
                  {"strength", JsonNumber(h.strength)}, {"metric", h.metric},
                  {"value", JsonNumber(h.value)}, {"trigger", JsonNumber(h.trigger)},
                  {"support", h.support}, {"support_value", JsonNumber(h.support_value)},
                  {"title", {{"en", h.title_en}, {"zh", h.title_zh}}},
                  {"evidence", {{"en", h.evidence_en}, {"zh", h.evidence_zh}}},
                  {"next", {{"en", h.next_en}, {"zh", h.next_zh}}}});
  j["hypotheses"] = hs;
  if (!r.simulation.path.empty()) {
    const SimulationReference& sr = r.simulation;
    Json rows = Json::array();
    for (const auto& row : sr.rows)
      rows.push_back({{"group", row.group}, {"model_aupr", JsonNumber(row.model_aupr)},
                      {"aupr_true", JsonNumber(row.aupr_true)},
                      {"aupr_env_blind", JsonNumber(row.aupr_env_blind)},
                      {"aupr_shortcut", JsonNumber(row.aupr_shortcut)},
                      {"aupr_reference", JsonNumber(row.aupr_reference)},
                      {"positive_rate", JsonNumber(row.positive_rate)}});
    j["simulation"] = {{"path", sr.path}, {"rows", rows},
                       {"bayes_train_val_gap", JsonNumber(sr.bayes_train_val_gap)},
                       {"bayes_train_test_gap", JsonNumber(sr.bayes_train_test_gap)},
                       {"intrinsic_share", JsonNumber(sr.intrinsic_share)},
                       {"env_blind_shortfall", JsonNumber(sr.env_blind_shortfall)},
                       {"env_blind_reached", JsonNumber(sr.env_blind_reached)}};
  }
  j["summary"] = {{"en", ReflectionSummary(r, Lang::kEn)}, {"zh", ReflectionSummary(r, Lang::kZh)}};
  return j;
}

Json ReflectionLedgerSummary(const Reflection& r) {
  Json hs = Json::array();
  for (const auto& h : r.hypotheses)
    hs.push_back({{"rank", h.rank}, {"id", h.id}, {"severity", JsonNumber(h.severity)},
                  {"metric", h.metric}, {"value", JsonNumber(h.value)}});
  return {{"summary", ReflectionSummary(r, Lang::kEn)},
          {"en", ReflectionSummary(r, Lang::kEn)}, {"zh", ReflectionSummary(r, Lang::kZh)},
          {"train_aupr", JsonNumber(r.train_aupr)}, {"test_aupr", JsonNumber(r.test_aupr)},
          {"gap_abs", JsonNumber(r.gap_abs)}, {"gap_rel", JsonNumber(r.gap_rel)},
          {"worst_cell", r.worst_cell}, {"cell_min", JsonNumber(r.cell_min)},
          {"ece", JsonNumber(r.ece)}, {"threshold", JsonNumber(r.threshold)},
          {"hypotheses", hs}};
}

void WriteReflection(const Reflection& r, const std::string& run_dir, Lang lang) {
  const std::string dir = run_dir + "/reflect";
  MakeDirs(dir);
  const std::string zh = ReflectionMarkdown(r, Lang::kZh);
  const std::string en = ReflectionMarkdown(r, Lang::kEn);
  WriteFileAtomic(dir + "/reflect.zh.md", zh);
  WriteFileAtomic(dir + "/reflect.en.md", en);
  WriteFileAtomic(dir + "/reflect.md", lang == Lang::kZh ? zh : en);
  WriteJsonFile(dir + "/reflect.json", ReflectionJson(r));
}

}  // namespace prism
