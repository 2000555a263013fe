// sim/random.h - portable, seedable random draws for the simulator (internal).
//
// Only std::mt19937_64 is used from <random>; every distribution is implemented here so that the
// same seed gives byte-identical simulations with any standard library.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace prism::sim {

/// SplitMix64 step: a well-mixed 64-bit value derived from `x`.
inline uint64_t Mix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// Seed of an independent random stream: (run seed, stream id, index). Separate streams keep
/// e.g. the motifs unchanged when only the number of pairs changes.
inline uint64_t StreamSeed(uint64_t seed, uint64_t stream, uint64_t index = 0) {
  return Mix64(Mix64(Mix64(seed) ^ (stream * 0xA24BAED4963EE407ULL)) ^ index);
}

/// Stream ids.
enum Stream : uint64_t {
  kStreamMotifs = 1,
  kStreamGrammar = 2,
  kStreamCells = 3,
  kStreamCalibration = 4,
  kStreamPairs = 5,
  kStreamShuffle = 6,
  kStreamShortcuts = 7,
  kStreamRender = 8,
};

/// A mt19937_64 with portable distributions.
class Rng {
 public:
  explicit Rng(uint64_t seed) : gen_(seed) {}
  uint64_t Bits() { return gen_(); }
  /// Uniform in [0, 1).
  double Uniform() { return static_cast<double>(gen_() >> 11) * 0x1.0p-53; }
  double Uniform(double lo, double hi) { return lo + (hi - lo) * Uniform(); }
  /// Uniform integer in [0, n), n > 0.
  int UniformInt(int n) {
    return static_cast<int>(((gen_() >> 32) * static_cast<uint64_t>(n)) >> 32);
  }
  /// Standard normal (Box-Muller, one value per call).
  double Normal() {
    double u1 = Uniform();
    while (u1 <= 0.0) u1 = Uniform();
    double u2 = Uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  /// Gamma(shape, 1) by Marsaglia and Tsang (shape < 1: Gamma(shape + 1) * U^(1 / shape)).
  double Gamma(double shape) {
    if (shape < 1.0) {
      double u = Uniform();
      while (u <= 0.0) u = Uniform();
      return Gamma(shape + 1.0) * std::pow(u, 1.0 / shape);
    }
    const double d = shape - 1.0 / 3.0, c = 1.0 / std::sqrt(9.0 * d);
    for (;;) {
      const double x = Normal();
      double v = 1.0 + c * x;
      if (v <= 0.0) continue;
      v = v * v * v;
      const double u = Uniform();
      if (u < 1.0 - 0.0331 * x * x * x * x) return d * v;
      if (u > 0.0 && std::log(u) < 0.5 * x * x + d * (1.0 - v + std::log(v))) return d * v;
    }
  }
  /// Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b).
  double Beta(double a, double b) {
    const double x = Gamma(a), y = Gamma(b);
    return x + y > 0.0 ? x / (x + y) : 0.5;
  }
  /// Poisson(mean) by Knuth's multiplication method (means here are small).
  int Poisson(double mean) {
    const double l = std::exp(-mean);
    int k = 0;
    double p = Uniform();
    while (p > l) {
      ++k;
      p *= Uniform();
    }
    return k;
  }
  /// Index drawn from a normalised cumulative distribution (last entry 1).
  int Categorical(const std::vector<double>& cumulative) {
    const double u = Uniform();
    for (size_t i = 0; i < cumulative.size(); ++i)
      if (u < cumulative[i]) return static_cast<int>(i);
    return static_cast<int>(cumulative.size()) - 1;
  }
  /// One background base with the given GC content.
  char Base(double gc) {
    const double u = Uniform();
    if (u < gc * 0.5) return 'G';
    if (u < gc) return 'C';
    if (u < gc + (1.0 - gc) * 0.5) return 'A';
    return 'T';
  }

 private:
  std::mt19937_64 gen_;
};

}  // namespace prism::sim
