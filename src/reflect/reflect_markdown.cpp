// The reflection as Markdown (zh/en): the document assembled from its sections
// (reflect_md_<section>.cpp), the one-paragraph summary, and writing RUN/reflect/.
#include <sstream>

#include "prism/atomic_file.h"
#include "prism/reflect.h"
#include "reflect/reflect_markdown_sections.h"

namespace prism {

using namespace reflect_md;

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
  ShortcutRelianceSection(r, lang, md);
  Insights(r, lang, md);
  Hypotheses(r, lang, md);
  NextSteps(r, lang, md);
  md << L(lang, "## Severity score\n\n", "## 严重度评分\n\n")
     << L(lang,
          "strength s = clamp((x − trigger) / (full − trigger), 0, 1) of the driving number x; "
          "with a corroborating number s = 0.6·s_main + 0.4·s_support; severity = weight · "
          "(0.25 + 0.75·s), weight per hypothesis kind (1.0 invariance not reached, 0.9 uncovered "
          "cell, 0.8 overfitting, 0.7 calibration / validation, 0.6 entanglement / prototypes, "
          "0.5 no invariance mechanism / balance / R_E, 0.4 temperature).\n",
          "驱动数值 x 的强度 s = clamp((x − 触发线) / (满量程 − 触发线), 0, 1)；有佐证数值时 "
          "s = 0.6·s_主 + 0.4·s_佐证；严重度 = 权重 ·(0.25 + 0.75·s)，各类假设的权重：不变性未达成 1.0，"
          "未覆盖细胞系 0.9，过拟合 0.8，校准/验证 0.7，解耦/原型 0.6，无不变性机制/平衡/R_E 0.5，温度 0.4。\n");
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
