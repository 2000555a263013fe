// The calibration family: whether the scores are probabilities and the threshold sits well.
#include "reflect/hypothesis_rules.h"

namespace prism::reflect_internal {

// Probabilities do not match observed frequencies; the decision threshold is pushed to an edge.
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
                   ", decision threshold " + Num(r.threshold, 2) +
                   (r.threshold_extreme ? " (extreme: <= 0.05 or >= 0.95)" : "") + dir_en;
  h->evidence_zh = "ECE " + Num(r.ece) + "（15 个分箱），Brier " + Num(r.brier) + "，决策阈值 " +
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

}  // namespace prism::reflect_internal
