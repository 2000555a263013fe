// prism/motif_pwm.h - a position weight matrix for a motif found by k-mer counting and seed
// extension (prism/kmer_enrichment.h, prism/motif_extension.h), and the score threshold at which
// a window counts as a site. Used to start a convolution filter as a detector of a *degenerate*
// motif (model.motif_seed_pwm): a consensus filter that allows one mismatch misses most sites of
// a motif whose columns keep their consensus base only 70-80 % of the time.
//
// Columns:
//   - flank columns (grown by the extension): base frequencies over the seed's exact occurrences,
//     f(b) = (n(b) + 0.25) / (n + 1);
//   - seed columns: the exact occurrences hold only the seed's base, so the degeneracy comes from
//     the seed's one-mismatch variants. With c(w) the forward-strand count of k-mer w in the same
//     sequences and B the median count of all k-mers (the background level of one k-mer), column
//     j has f(b) proportional to max(0, c(variant with b at j) - B) + 0.25 and f(seed base)
//     proportional to max(1, c(seed) - B) + 0.25: under a PWM with independent columns the
//     variant's excess over the background is the seed's excess times f(b) / f(seed base).
// Threshold: the log2-odds score (against a uniform background, the PWM mixed with 0.5 % uniform)
// reached by a background window with probability p, exactly (dynamic programming over scores at
// 0.01 bit), with p chosen so that a background element of the mean length holds a false site on
// either strand with probability `false_sites_per_element`.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prism/motif_extension.h"

namespace prism {

/// Forward-strand counts of every k-mer (k <= 12) of a set of sequences (bytes other than A/C/G/T
/// break windows), indexed by the 2-bit code (first base in the highest bits).
struct KmerCounts {
  int k = 0;
  std::vector<uint32_t> counts;
  double background = 0;  ///< the median count: the level of a k-mer that is not a motif
  uint32_t Count(const std::string& kmer) const;  ///< 0 for a k-mer with other bytes
};
KmerCounts CountKmers(const std::vector<std::string_view>& seqs, int k);

/// A motif as a filter: log2-odds weights per column and base and the site threshold.
struct MotifPwm {
  std::string consensus;
  std::vector<std::array<double, 4>> freq;     ///< per column P(A), P(C), P(G), P(T)
  std::vector<std::array<double, 4>> weight;   ///< log2((0.995 f + 0.005 / 4) / 0.25)
  double threshold = 0;                        ///< bits; a window scoring >= it is a site
  double p_value = 0;                          ///< background probability of a window >= it
};

/// The PWM of an extended motif whose seed (motif.seed) was counted in `counts` (k = its length).
/// `mean_length`: the mean element length (bp) the threshold is sized for. prism::Error for
/// counts of another k or false_sites_per_element outside (0, 1).
MotifPwm EstimateMotifPwm(const ExtendedMotif& motif, const KmerCounts& counts, double mean_length,
                          double false_sites_per_element = 0.1);

/// The score (bits, 0.01-bit resolution) a uniform-background window reaches with probability
/// at most p under `weight` (exact dynamic programming over integer scores).
double ScoreThreshold(const std::vector<std::array<double, 4>>& weight, double p);

}  // namespace prism
