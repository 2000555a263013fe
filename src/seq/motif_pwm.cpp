// seq/motif_pwm.cpp - a degenerate motif's PWM from its seed's one-mismatch variants and its
// extension columns, and its background site threshold (prism/motif_pwm.h).
#include "prism/motif_pwm.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "prism/error.h"
#include "prism/kmer_scan.h"

namespace prism {
namespace {

constexpr char kBases[] = "ACGT";

std::array<double, 4> Normalise(std::array<double, 4> n) {
  const double total = n[0] + n[1] + n[2] + n[3];
  for (double& v : n) v /= total;
  return n;
}

}  // namespace

uint32_t KmerCounts::Count(const std::string& kmer) const {
  if (static_cast<int>(kmer.size()) != k) return 0;
  uint32_t code = 0;
  for (char ch : kmer) {
    const int b = BaseCode(ch);
    if (b < 0) return 0;
    code = (code << 2) | static_cast<uint32_t>(b);
  }
  return counts[code];
}

KmerCounts CountKmers(const std::vector<std::string_view>& seqs, int k) {
  PRISM_CHECK(k >= 1 && k <= 12, "k-mer counts: k must be in 1..12, got ", k);
  KmerCounts out;
  out.k = k;
  out.counts.assign(size_t{1} << (2 * k), 0);
  for (std::string_view s : seqs)
    ScanKmers(s, k, [](int, int) {}, [&](uint32_t code) { ++out.counts[code]; });
  std::vector<uint32_t> sorted = out.counts;
  std::nth_element(sorted.begin(), sorted.begin() + sorted.size() / 2, sorted.end());
  out.background = sorted[sorted.size() / 2];
  return out;
}

double ScoreThreshold(const std::vector<std::array<double, 4>>& weight, double p) {
  PRISM_CHECK(!weight.empty(), "score threshold: empty motif");
  PRISM_CHECK(p > 0 && p < 1, "score threshold: p must be in (0, 1), got ", p);
  // Integer scores in 0.01 bit; the distribution of a uniform window's score, column by column.
  std::vector<std::array<int, 4>> cols;
  int hi = 0;
  for (const auto& w : weight) {
    std::array<int, 4> c{};
    for (size_t b = 0; b < 4; ++b) c[b] = static_cast<int>(std::lround(w[b] * 100));
    hi += *std::max_element(c.begin(), c.end());
    cols.push_back(c);
  }
  std::map<int, double> d{{0, 1.0}};
  for (const auto& c : cols) {
    std::map<int, double> next;
    for (const auto& [score, prob] : d)
      for (int b = 0; b < 4; ++b) next[score + c[static_cast<size_t>(b)]] += prob * 0.25;
    d.swap(next);
  }
  // The smallest score whose upper tail is <= p.
  double tail = 0;
  int threshold = hi + 1;
  for (auto it = d.rbegin(); it != d.rend(); ++it) {
    if (tail + it->second > p) break;
    tail += it->second;
    threshold = it->first;
  }
  return threshold / 100.0;
}

MotifPwm EstimateMotifPwm(const ExtendedMotif& motif, const KmerCounts& counts, double mean_length,
                          double false_sites_per_element) {
  PRISM_CHECK(counts.k == static_cast<int>(motif.seed.size()), "motif PWM: counts of ", counts.k,
              "-mers for a ", motif.seed.size(), "-mer seed");
  PRISM_CHECK(false_sites_per_element > 0 && false_sites_per_element < 1,
              "motif PWM: false_sites_per_element must be in (0, 1)");
  PRISM_CHECK(motif.column_counts.size() == motif.consensus.size(), "motif PWM: ",
              motif.column_counts.size(), " column counts for a ", motif.consensus.size(),
              "-base consensus");
  MotifPwm out;
  out.consensus = motif.consensus;
  const double bg = counts.background;
  const double seed_excess = std::max(1.0, counts.Count(motif.seed) - bg);
  const int k = static_cast<int>(motif.seed.size());
  for (int j = 0; j < static_cast<int>(motif.consensus.size()); ++j) {
    const int s = j - motif.seed_offset;  // the column's position in the seed
    std::array<double, 4> n{};
    if (s >= 0 && s < k) {
      std::string variant = motif.seed;
      for (int b = 0; b < 4; ++b) {
        variant[static_cast<size_t>(s)] = kBases[b];
        const double excess = variant == motif.seed ? seed_excess
                                                    : std::max(0.0, counts.Count(variant) - bg);
        n[static_cast<size_t>(b)] = excess + 0.25;
      }
    } else {
      n = motif.column_counts[static_cast<size_t>(j)];
      for (double& v : n) v += 0.25;
    }
    out.freq.push_back(Normalise(n));
  }
  for (const auto& f : out.freq) {
    std::array<double, 4> w{};
    for (size_t b = 0; b < 4; ++b) w[b] = std::log2((0.995 * f[b] + 0.005 * 0.25) / 0.25);
    out.weight.push_back(w);
  }
  const double windows = std::max(1.0, 2.0 * (mean_length - out.freq.size() + 1));
  out.p_value = std::min(0.5, false_sites_per_element / windows);
  out.threshold = ScoreThreshold(out.weight, out.p_value);
  return out;
}

}  // namespace prism
