// Private to src/reflect: the sections of the reflection Markdown (one file per section,
// reflect_md_<section>.cpp) and the text helpers they share.
#pragma once

#include <cmath>
#include <ostream>
#include <string>

#include "prism/reflect.h"
#include "reflect/reflect_text.h"

namespace prism::reflect_md {

using reflect_internal::Num;
using reflect_internal::Pct;

inline bool Finite(double x) { return std::isfinite(x); }

/// Text in the chosen language.
inline const std::string& L(Lang lang, const std::string& en, const std::string& zh) {
  return lang == Lang::kZh ? zh : en;
}

/// Escapes characters that break a Markdown table cell.
inline std::string Cell(const std::string& s) {
  std::string o;
  for (char c : s) {
    if (c == '|') o += "\\|";
    else if (c == '\n') o += ' ';
    else o += c;
  }
  return o;
}

// reflect_md_generalization.cpp: "## 1. Failure structure" and, on simulated data, the oracles.
void Generalization(const Reflection& r, Lang lang, std::ostream& md);
void SimulationReferencePoints(const Reflection& r, Lang lang, std::ostream& md);
// reflect_md_per_cell.cpp: "## 2. Per-cell spread".
void PerCell(const Reflection& r, Lang lang, std::ostream& md);
// reflect_md_calibration.cpp: "## 3. Recall–precision balance and threshold", "## 4. Calibration".
void Balance(const Reflection& r, Lang lang, std::ostream& md);
void Calibration(const Reflection& r, Lang lang, std::ostream& md);
// reflect_md_components.cpp: "## 5. Component health".
void Components(const Reflection& r, Lang lang, std::ostream& md);
// reflect_md_shortcuts.cpp: "### Reliance on cell-specific k-mers" (after section 5).
void ShortcutRelianceSection(const Reflection& r, Lang lang, std::ostream& md);
// reflect_md_conclusions.cpp: "## 6. Key insights", "## 7. Root causes", "## 8. Implications".
void Insights(const Reflection& r, Lang lang, std::ostream& md);
void Hypotheses(const Reflection& r, Lang lang, std::ostream& md);
void NextSteps(const Reflection& r, Lang lang, std::ostream& md);

}  // namespace prism::reflect_md
