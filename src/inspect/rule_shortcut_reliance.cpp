// Rule shortcut_reliance: the trained model's reliance on the audit's cell-specific k-mers,
// measured by predict on the unseen cell lines (shortcut_reliance.json,
// prism/shortcut_reliance.h). FAIL when the largest excess insertion effect (mean score gain
// when a k-mer is planted minus its matched random control's) exceeds
// shortcut_reliance_max_excess; information when it does not, or when nothing was measured.
#include <cmath>

#include "inspect/qc_util.h"

namespace prism::qc {
namespace {

class ShortcutRelianceRule : public QcRule {
 public:
  const char* name() const override { return "shortcut_reliance"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const auto& rel = ctx.evaluation.shortcut_reliance;
    if (!rel) {
      out->push_back(Make("shortcut_reliance", "not_measured", Severity::kInfo,
                          std::string("Shortcut reliance not applicable: no ") +
                              kShortcutRelianceFile +
                              " (feature data, or predict did not measure it).",
                          std::string("捷径依赖不适用：没有") + kShortcutRelianceFile +
                              "（特征表数据，或 predict 未测量）。"));
      return;
    }
    if (!rel->Measured() || !std::isfinite(rel->excess_max)) {
      const std::string why = rel->note.empty() ? "no k-mer could be tested" : rel->note;
      out->push_back(Make("shortcut_reliance", "not_applicable", Severity::kInfo,
                          "Shortcut reliance not applicable: " + why + ".",
                          "捷径依赖不适用：" + why + "。", {}, {{"note", why}}));
      return;
    }
    const double limit = ctx.thresholds->shortcut_reliance_max_excess;
    const bool fail = rel->excess_max > limit;
    Json values = {{"excess_max", rel->excess_max},
                   {"excess_mean", JsonNumber(rel->excess_mean)},
                   {"insert_mean", JsonNumber(rel->insert_mean)},
                   {"insert_max", JsonNumber(rel->insert_max)},
                   {"control_insert_mean", JsonNumber(rel->control_insert_mean)},
                   {"remove_mean", JsonNumber(rel->remove_mean)},
                   {"kmer", rel->excess_max_kmer},
                   {"cell_line", rel->excess_max_cell},
                   {"kmers", static_cast<int64_t>(rel->kmers.size())},
                   {"split", rel->split},
                   {"threshold", limit}};
    const std::string en =
        "Planting the cell-specific k-mer " + rel->excess_max_kmer + " (of " +
        rel->excess_max_cell + ") into unseen-cell enhancers raises the score by " +
        Fmt(rel->excess_max) + " more than a matched random k-mer (mean over " +
        std::to_string(rel->kmers.size()) + " k-mers " + Fmt(rel->excess_mean) +
        "; removal lowers it by " + Fmt(rel->remove_mean) + ")" +
        (fail ? " - above " + Fmt(limit) + ": the model relies on a training-cell shortcut."
              : ", within " + Fmt(limit) + ".");
    const std::string zh =
        "在未见细胞系增强子中植入细胞系特异 k-mer " + rel->excess_max_kmer + "（" +
        rel->excess_max_cell + "）使得分比匹配的随机 k-mer 多升高 " + Fmt(rel->excess_max) +
        "（" + std::to_string(rel->kmers.size()) + " 个 k-mer 平均 " + Fmt(rel->excess_mean) +
        "；移除使其降低 " + Fmt(rel->remove_mean) + "）" +
        (fail ? "，超过 " + Fmt(limit) + "：模型依赖训练细胞系的捷径。"
              : "，未超过 " + Fmt(limit) + "。");
    out->push_back(Make("shortcut_reliance", fail ? "relies" : "within", fail ? Severity::kFail
                                                                              : Severity::kInfo,
                        en, zh, {}, values));
  }
};

}  // namespace

std::unique_ptr<QcRule> MakeShortcutRelianceRule() {
  return std::make_unique<ShortcutRelianceRule>();
}

}  // namespace prism::qc
