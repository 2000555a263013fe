// Rule mode_collapse: everything predicted positive (recall >= collapse_recall with precision
// at the positive rate) or outputs that no longer vary (std < collapse_output_std).
#include <cmath>

#include "inspect/qc_util.h"

namespace prism::qc {
namespace {

/// How a threshold was set, in words: a rule name, "val" (fixed from validation) or "0.5".
std::string ThresholdWords(const std::string& rule, bool zh) {
  if (rule == "val") return zh ? "在验证集上选定" : "chosen on validation";
  if (rule == "mcc") return zh ? "最大化 MCC" : "best MCC on this split";
  if (rule == "0.5") return "0.5";
  return zh ? "最大化 F1" : "best F1 on this split";  // "f1" and metrics written before the rule
}

class ModeCollapseRule : public QcRule {
 public:
  const char* name() const override { return "mode_collapse"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    const QcThresholds& t = *ctx.thresholds;
    const EpochRecord& last = run.log.back();
    int epoch = EpochOf(run, run.log.size() - 1);
    // Positive rate: logged with the split, else the test set's (metrics/test.json).
    double test_rate = NAN;
    const auto& m = ctx.evaluation.metrics;
    if (m && m->table.overall.n > 0)
      test_rate = static_cast<double>(m->table.overall.positives) / m->table.overall.n;
    bool checked = false;
    struct Split {
      const char* key; const char* en; const char* zh;
      bool epoch; double recall, precision, rate, auc;
      std::string threshold;  // how that split's threshold was set (ThresholdWords)
    };
    auto from_log = [&](const char* key, const char* en, const char* zh,
                        const std::optional<EpochScores>& sc) -> Split {
      const std::string rule =
          std::string(key) == "train" ? "0.5" : run.record.ConfiguredThresholdRule();
      if (!sc) return {key, en, zh, true, NAN, NAN, NAN, NAN, rule};
      const double rate = std::isnan(sc->positive_rate) ? test_rate : sc->positive_rate;
      return {key, en, zh, true, sc->recall, sc->precision, rate, sc->auc, rule};
    };
    std::vector<Split> splits = {from_log("train", "train", "训练集", last.train),
                                 from_log("val", "validation", "验证集", last.val)};
    if (m)
      splits.push_back({"test", "test", "测试集", false, m->table.overall.recall,
                        m->table.overall.precision, test_rate, m->table.overall.auc,
                        m->table.overall.threshold_rule});
    for (const Split& s : splits) {
      const double recall = s.recall, precision = s.precision, rate = s.rate;
      if (!std::isfinite(recall) || !std::isfinite(precision) || !std::isfinite(rate)) continue;
      checked = true;
      if (recall >= t.collapse_recall && std::fabs(precision - rate) <= t.collapse_precision_tolerance) {
        std::string where_en = std::string(s.en) + (s.epoch ? " (epoch " + std::to_string(epoch) + ")" : "");
        std::string where_zh = std::string(s.zh) + (s.epoch ? "（第" + std::to_string(epoch) + "轮）" : "");
        // With an AUC near chance the scores carry no ranking signal on this split, and the
        // decision threshold then calls everything positive: say so, and how it was chosen.
        const double auc = s.auc;
        const bool no_signal = std::isfinite(auc) && auc < 0.6;
        const std::string why_en =
            no_signal ? " - AUC " + Fmt(auc) + ": the scores do not rank this split, so the "
                            "decision threshold (" + ThresholdWords(s.threshold, false) +
                            ") calls everything positive."
                      : " - the model predicts (almost) everything positive.";
        const std::string why_zh =
            no_signal ? "，AUC " + Fmt(auc) + "：分数在该数据集上没有排序能力，决策阈值（" +
                            ThresholdWords(s.threshold, true) + "）因此把全部样本判为正。"
                      : "，模型几乎全部预测为正。";
        out->push_back(Make(
            "mode_collapse", "all_positive", Severity::kFail,
            "Mode collapse on " + where_en + ": recall " + Fmt(recall) + " >= " +
                Fmt(t.collapse_recall, 2) + " with precision " + Fmt(precision) +
                " at the positive rate " + Fmt(rate) + why_en,
            "模式坍缩（" + where_zh + "）：Recall " + Fmt(recall) + " ≥ " + Fmt(t.collapse_recall, 2) +
                "，Precision " + Fmt(precision) + " 约等于正样本比例 " + Fmt(rate) + why_zh,
            s.epoch ? std::vector<int>{epoch} : std::vector<int>{},
            {{"split", s.key}, {"recall", recall}, {"precision", precision}, {"positive_rate", rate},
             {"auc", JsonNumber(auc)}}));
      }
    }
    double sd = last.output ? last.output->std : NAN;
    const double mean = last.output ? last.output->mean : NAN;
    if (std::isfinite(sd)) {
      checked = true;
      if (sd < t.collapse_output_std)
        out->push_back(Make(
            "mode_collapse", "constant_output", Severity::kFail,
            "Mode collapse: output std " + FmtG(sd) + " < " + FmtG(t.collapse_output_std) +
                " at epoch " + std::to_string(epoch) + " (mean " +
                Fmt(mean) + ") - the outputs no longer vary.",
            "模式坍缩：第" + std::to_string(epoch) + "轮输出标准差" + FmtG(sd) + " < " +
                FmtG(t.collapse_output_std) + "（均值" + Fmt(mean) +
                "），输出几乎不变。",
            {epoch}, {{"output_std", sd}, {"limit", t.collapse_output_std}}));
    }
    if (!checked)
      out->push_back(Make("mode_collapse", "unknown", Severity::kInfo,
                          "Mode collapse cannot be checked: no recall/precision with a positive rate "
                          "and no output std in the log.",
                          "无法检查模式坍缩：日志中无Recall/Precision与正样本比例，也无输出标准差（Recall/Precision平衡性未知）。"));
  }
};

}  // namespace

std::unique_ptr<QcRule> MakeModeCollapseRule() { return std::make_unique<ModeCollapseRule>(); }

}  // namespace prism::qc
