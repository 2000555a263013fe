// Reflection Markdown, sections 6 to 8: key insights, the ranked hypotheses and what they imply
// for the next step.

#include "reflect/reflect_markdown_sections.h"

namespace prism::reflect_md {

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
    md << ++k << ". " << L(lang, "**Threshold and calibration**: decision threshold ",
                           "**阈值与校准**：决策阈值 ")
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

}  // namespace prism::reflect_md
