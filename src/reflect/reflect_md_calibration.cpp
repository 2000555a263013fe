// Reflection Markdown, sections 3 and 4: the recall-precision balance at the threshold, and the
// calibration of the probabilities (ECE, Brier, reliability table).

#include "reflect/reflect_markdown_sections.h"

namespace prism::reflect_md {

void Balance(const Reflection& r, Lang lang, std::ostream& md) {
  md << L(lang, "## 3. Recall–precision balance and threshold\n\n",
          "## 3. 召回率–精确率平衡与阈值\n\n");
  md << L(lang, "At the decision threshold ", "在决策阈值 ") << Num(r.threshold, 2)
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

}  // namespace prism::reflect_md
