// Reflection Markdown, section 5: the health of each configured component.
#include <string>

#include "reflect/reflect_markdown_sections.h"

namespace prism::reflect_md {

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

}  // namespace prism::reflect_md
