// prism/motif_discovery.h - de-novo discovery of degenerate motifs as PWMs: the most
// over-represented k-mer seeds a PWM, expectation-maximisation over the sites it finds refines it,
// its sites are masked, and the next motif is looked for in what is left.
//
// Motif seeding (prism/kmer_enrichment.h) ranks exact k-mers. Sites sampled from a degenerate PWM
// (columns that keep their consensus base 60-80 % of the time) rarely repeat one k-mer exactly,
// so a motif's k-mer counts are spread over many variants and only the sharpest motifs stand out.
// Here each k-mer only starts a motif:
//
//   1. Count every k-mer, a k-mer and its reverse complement as one, and compare it with its
//      expectation under a second-order Markov background fitted to the same (masked) sequences:
//      z = (obs - E) / sqrt(E + 1). Take the k-mer of highest z not tried yet; stop below min_z.
//   2. With groups (the training cell line of each sequence), the k-mer must also reach
//      min_group_z in at least min_groups of the groups (z computed within the group; all groups
//      when there are fewer): a k-mer planted in the positives of one cell line only (a
//      cell-specific shortcut) fails, a motif silenced in some cell lines does not.
//   3. PWM: the seed's columns (0.85 the seed base) and `pad` uniform columns on each side. A
//      first round takes every window of either strand scoring at or above the background
//      threshold (log2-odds vs a uniform background, PWM mixed with 0.5 % uniform; p-value such
//      that a background set of these sequences holds sites_per_sequence false sites per
//      sequence, at most 0.01, and at least 4 * 4^-k, so that in long sequences the seed and its
//      closest variants count) as a site; the columns become the sites' base frequencies
//      (+ 0.25 pseudo-count per base). Then up to `em_iterations` - 1 more rounds (fewer when no
//      frequency moves by more than em_tolerance), scored as log2-odds against the background
//      (composition_background: the sequences' own base composition, both strands pooled;
//      else uniform), either
//      - hard (posterior_em = false): the windows at or above the background threshold are the
//        sites; or
//      - posterior (posterior_em = true): EM of a two-component mixture (motif or
//        background, per window and strand): every window weighs in with its posterior of being
//        a site, and the prior (the share of sites among windows, first from the first round) is
//        re-estimated each round. Hard sites at a strict threshold keep only a degenerate motif's
//        best matches and make it sharper than it is.
//   4. Trim edge columns holding less than min_edge_ic bits; a motif narrower than min_width is
//      dropped. Mask (as N) every site of the final PWM on both strands (at the p-value threshold;
//      with posterior EM also the windows of posterior >= 0.5), so its k-mers no longer rank, and
//      go back to 1 until max_motifs motifs.
//
// Deterministic: the same sequences and options give the same motifs.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace prism {

struct MotifDiscoveryOptions {
  int k = 8;                  ///< seed k-mer length, 6..10
  double min_z = 6.0;         ///< a seed's enrichment over the Markov background
  size_t max_motifs = 32;
  int pad = 2;                ///< flank columns the PWM may grow into on each side
  int em_iterations = 8;       ///< at most, the first (hard) round included
  double em_tolerance = 0.005;  ///< EM stops when no frequency moves by more
  bool posterior_em = false;    ///< rounds after the first: posterior-weighted windows (step 3)
  /// Rounds after the first, and step 4's mask: log2-odds against the sequences' strand-symmetric
  /// base composition instead of a uniform background. Against a uniform background the windows
  /// of AT-rich (CpG-depleted) sequences pass as sites of AT-rich columns, and EM flattens.
  bool composition_background = false;
  double sites_per_sequence = 0.05;  ///< false sites per background sequence -> site p-value
  double min_edge_ic = 0.4;   ///< bits; weaker edge columns are trimmed
  int min_width = 6;
  /// Optional group of each sequence (0..G-1; empty = no groups).
  std::vector<int> groups;
  double min_group_z = 3.0;
  size_t min_groups = 2;
};

struct DiscoveredMotif {
  std::string seed;       ///< the k-mer that started it
  std::string consensus;  ///< most frequent base per column
  double z = 0;           ///< the seed's enrichment when it was taken
  size_t groups_enriched = 0;  ///< with groups: how many reached min_group_z
  size_t sites = 0;       ///< sites (both strands) in the last EM round: its posteriors' sum
  int em_rounds = 0;      ///< EM rounds run
  std::vector<std::array<double, 4>> freq;  ///< per column P(A), P(C), P(G), P(T)
};

/// Motifs of `seqs` (bytes other than A/C/G/T, either case, break windows), in the order found.
/// With groups, `group_specific` (if given) receives the seeds skipped for failing step 2.
/// prism::Error for options out of range or groups of the wrong size.
std::vector<DiscoveredMotif> DiscoverMotifs(const std::vector<std::string_view>& seqs,
                                            const MotifDiscoveryOptions& opt,
                                            std::vector<DiscoveredMotif>* group_specific = nullptr);

/// Base frequencies (A, C, G, T) of `seqs`, both strands pooled (A = T, C = G; + 1 pseudo-count
/// per base): the background of step 3 with composition_background.
std::array<double, 4> StrandSymmetricComposition(const std::vector<std::string_view>& seqs);

/// Pearson correlation of two PWMs' centred frequencies at their best ungapped alignment (either
/// strand, at least min_overlap columns): 1 for the same motif.
double MotifSimilarity(const std::vector<std::array<double, 4>>& a,
                       const std::vector<std::array<double, 4>>& b, int min_overlap = 6);

}  // namespace prism
