// The shortcut family: the trained model's measured reliance on the audit's cell-specific k-mers
// (shortcut_reliance.json, prism/shortcut_reliance.h).
#include "reflect/hypothesis_rules.h"

namespace prism::reflect_internal {

namespace {
// The same line as the inspector's default (QcThresholds::shortcut_reliance_max_excess): a
// planted k-mer that moves unseen-cell scores by more than this beyond a matched random k-mer.
constexpr double kRelianceTrigger = 0.05;
constexpr double kRelianceFull = 0.15;
}  // namespace

// Planting a training cell line's own k-mer into unseen-cell enhancers raises the score beyond
// what a matched random k-mer does: the model uses a shortcut that does not transfer.
bool ShortcutRelianceHypothesis(const Reflection& r, Hypothesis* h) {
  if (!r.shortcut_reliance || !r.shortcut_reliance->Measured()) return false;
  const ShortcutReliance& s = *r.shortcut_reliance;
  if (!(s.excess_max > kRelianceTrigger)) return false;
  h->metric = "shortcut_excess_max";
  h->value = s.excess_max;
  h->trigger = kRelianceTrigger;
  h->support = "shortcut_excess_mean";
  h->support_value = s.excess_mean;
  h->strength = 0.6 * Strength(s.excess_max, kRelianceTrigger, kRelianceFull) +
                0.4 * Strength(s.excess_mean, kRelianceTrigger, kRelianceFull);
  h->title_en = "The model relies on cell-specific shortcut k-mers of the training cell lines";
  h->title_zh = "模型依赖训练细胞系特有的捷径 k-mer";
  h->evidence_en = "planting " + s.excess_max_kmer + " (specific to " + s.excess_max_cell +
                   ") into " + s.split + " enhancers raises the score by " +
                   Num(s.excess_max) + " more than a matched random k-mer; over " +
                   std::to_string(s.kmers.size()) + " k-mers: insertion " + Num(s.insert_mean) +
                   " vs control " + Num(s.control_insert_mean) + ", removal lowers it by " +
                   Num(s.remove_mean) + " (control " + Num(s.control_remove_mean) + ")";
  h->evidence_zh = "在 " + s.split + " 增强子中植入 " + s.excess_max_kmer + "（" +
                   s.excess_max_cell + " 特有）使得分比匹配的随机 k-mer 多升高 " +
                   Num(s.excess_max) + "；" + std::to_string(s.kmers.size()) +
                   " 个 k-mer 平均：植入 " + Num(s.insert_mean) + "（对照 " +
                   Num(s.control_insert_mean) + "），移除使其降低 " + Num(s.remove_mean) +
                   "（对照 " + Num(s.control_remove_mean) + "）";
  h->next_en = "retrain with the shortcut defence on (masking the audit's cell-specific k-mers in "
               "the training enhancers); success = excess below " + Num(kRelianceTrigger) +
               " with unseen-cell AUPR not lower";
  h->next_zh = "开启捷径防御（在训练增强子中屏蔽审计列出的细胞系特异 k-mer）后重训；成功标准："
               "超出量低于 " + Num(kRelianceTrigger) + " 且未见细胞系 AUPR 不下降";
  return true;
}

}  // namespace prism::reflect_internal
