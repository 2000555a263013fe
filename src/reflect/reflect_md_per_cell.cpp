// Reflection Markdown, section 2: the spread over the test cell lines.

#include "reflect/reflect_markdown_sections.h"

namespace prism::reflect_md {

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

}  // namespace prism::reflect_md
