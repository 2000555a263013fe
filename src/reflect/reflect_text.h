// Private helpers of src/reflect: number formatting for the texts.
#pragma once

#include <cmath>
#include <cstdio>
#include <string>

namespace prism::reflect_internal {

/// x with `prec` decimals, or "n/a" when not finite.
inline std::string Num(double x, int prec = 3) {
  if (!std::isfinite(x)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", prec, x);
  return buf;
}

/// x as a percentage with one decimal ("17.9%"), or "n/a".
inline std::string Pct(double x) {
  if (!std::isfinite(x)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.1f%%", 100.0 * x);
  return buf;
}

}  // namespace prism::reflect_internal
