// Reflection Markdown, after section 5: the model's reliance on the audit's cell-specific k-mers
// (shortcut_reliance.json).

#include "reflect/reflect_markdown_sections.h"

namespace prism::reflect_md {

void ShortcutRelianceSection(const Reflection& r, Lang lang, std::ostream& md) {
  if (!r.shortcut_reliance) return;
  const ShortcutReliance& s = *r.shortcut_reliance;
  md << L(lang, "### Reliance on cell-specific k-mers\n\n", "### 对细胞系特异 k-mer 的依赖\n\n");
  if (!s.Measured()) {
    md << L(lang, "Not measured: ", "未测量：") << Cell(s.note) << "\n\n";
    return;
  }
  md << L(lang,
          "The audit's top cell-specific k-mers of each training cell line, planted into ("
          "insert) and removed from (remove) the enhancers of the " + s.split +
              " split; score change in probability (insert: gain, remove: drop), next to a "
              "matched random k-mer of the same length and G/C (control). excess = insert − "
              "control insert." +
              (s.scorer.empty() ? "" : " Scored: " + s.ScorerPhrase() + ", as predict delivers them.") +
              "\n\n",
          "审计列出的各训练细胞系特异 k-mer，植入（insert）或移除（remove）" + s.split +
              " 划分的增强子；得分（概率）变化（植入：升高，移除：降低），并与长度和 G/C 相同的"
              "随机 k-mer（对照）比较。excess = 植入 − 对照植入。" +
              (s.scorer.empty() ? "" : "打分模型：" + s.scorer + "（predict 输出的得分）。") + "\n\n")
     << L(lang,
          "| k-mer | cell line | rank | insert mean (n) | insert max | control insert | remove "
          "mean (n) | control remove | excess |\n",
          "| k-mer | 细胞系 | 排名 | 植入均值 (n) | 植入最大 | 对照植入 | 移除均值 (n) | 对照移除 | "
          "excess |\n")
     << "| --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
  for (const KmerReliance& k : s.kmers)
    md << "| " << Cell(k.kmer) << " | " << Cell(k.cell_line) << " | " << k.rank << " | "
       << Num(k.insert.mean, 4) << " (" << k.insert.n << ") | " << Num(k.insert.max, 4) << " | "
       << Num(k.control_insert.mean, 4) << " | " << Num(k.remove.mean, 4) << " ("
       << k.remove.n << ") | " << Num(k.control_remove.mean, 4) << " | "
       << Num(k.Excess(), 4) << " |\n";
  md << "\n"
     << L(lang, "Largest excess ", "最大 excess ") << Num(s.excess_max, 4) << " ("
     << Cell(s.excess_max_kmer) << ", " << Cell(s.excess_max_cell)
     << L(lang, "), mean excess ", ")，平均 excess ") << Num(s.excess_mean, 4)
     << L(lang, ".\n\n", "。\n\n");
}

}  // namespace prism::reflect_md
