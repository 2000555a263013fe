// Private to src/reflect: the hypothesis rules and the helpers they share.
//
// Each rule looks at one driving number (and optionally a corroborating one), decides whether it
// crosses its trigger, and fills the texts with the actual numbers and a concrete next
// experiment. The rules live in one file per family (hypotheses_<family>.cpp); the registry that
// orders and weights them is kHypothesisKinds in hypotheses.cpp. The severity score is defined in
// include/prism/reflect.h.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>

#include "prism/reflect.h"
#include "reflect/reflect_text.h"

namespace prism::reflect_internal {

inline bool Finite(double x) { return std::isfinite(x); }

/// Strength of x between trigger t and full scale f (f < t for "lower is worse"), in [0, 1].
inline double Strength(double x, double t, double f) {
  if (!Finite(x)) return 0;
  return std::clamp((x - t) / (f - t), 0.0, 1.0);
}

inline bool Has(const Reflection& r, const std::string& component) {
  return std::find(r.components.begin(), r.components.end(), component) != r.components.end();
}

/// Doubles a loss weight for the next experiment ("0.05 -> 0.1"); "x2" when unknown.
inline std::string Doubled(double w) {
  if (!Finite(w) || w <= 0) return "x2";
  return Num(w, 3) + " -> " + Num(2 * w, 3);
}

/// A rule: true when its hypothesis is triggered, with `h` filled (all but id, severity, rank).
using RuleFn = bool (*)(const Reflection& r, Hypothesis* h);

// hypotheses_generalization.cpp
bool InvarianceNotAchieved(const Reflection& r, Hypothesis* h);
bool NoInvarianceMechanism(const Reflection& r, Hypothesis* h);
bool Memorisation(const Reflection& r, Hypothesis* h);
bool CellNotCovered(const Reflection& r, Hypothesis* h);
bool ValidationNotProxy(const Reflection& r, Hypothesis* h);

// hypotheses_calibration.cpp
bool Miscalibration(const Reflection& r, Hypothesis* h);
bool RecallPrecisionImbalance(const Reflection& r, Hypothesis* h);
bool TemperatureExtreme(const Reflection& r, Hypothesis* h);

// hypotheses_components.cpp
bool StreamsEntangled(const Reflection& r, Hypothesis* h);
bool PrototypesCollapsed(const Reflection& r, Hypothesis* h);
bool EnvironmentUnused(const Reflection& r, Hypothesis* h);

// hypotheses_simulation.cpp
bool GrammarNotLearned(const Reflection& r, Hypothesis* h);
bool IntrinsicGap(const Reflection& r, Hypothesis* h);
bool TrainingShortcut(const Reflection& r, Hypothesis* h);

// hypotheses_shortcuts.cpp
bool ShortcutRelianceHypothesis(const Reflection& r, Hypothesis* h);

}  // namespace prism::reflect_internal
