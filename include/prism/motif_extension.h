// prism/motif_extension.h - grow an over-represented k-mer into the whole motif it is part of,
// and tell whether two such motifs are the same one.
//
// k-mer counting (prism/kmer_enrichment.h) finds motifs as their most over-represented k-mer, but
// a binding site is often longer than k: a k-mer seed covers part of it, and a detector built from
// the part alone also fires on background windows that match the part. The classic refinement
// (MEME/STREME-style seed extension) aligns every exact occurrence of the seed with its flanks and
// keeps the flank columns that are themselves conserved:
//
//   for each column j of the aligned windows [start - (max_length - k), end + (max_length - k)):
//     f_j(b) = (n_j(b) + 0.25) / (n_j + 1),   IC_j = 2 + sum_b f_j(b) log2 f_j(b)  (bits)
//
// Starting from the seed, the motif grows by one column at a time on the side whose next column
// has the higher information content, as long as that column has IC >= min_ic and the motif is
// shorter than max_length. Background flanks of a random genome carry ~0 bits; a column of a
// motif whose positions keep their consensus 95 % of the time carries ~1.6. The result is the
// consensus (the most frequent base of each kept column). A seed with fewer than
// `min_occurrences` exact occurrences is returned as it is.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace prism {

/// Options of ExtendKmer.
struct MotifExtensionOptions {
  int max_length = 12;           ///< the longest motif returned (>= the seed's length)
  double min_ic = 1.0;           ///< a flank column is kept only with at least this many bits
  size_t min_occurrences = 20;   ///< fewer exact occurrences of the seed: no extension
};

/// A k-mer seed grown into its motif.
struct ExtendedMotif {
  std::string seed;        ///< the k-mer it started from
  std::string consensus;   ///< the motif: the seed plus its conserved flank columns (A/C/G/T)
  int seed_offset = 0;     ///< where the seed starts in the consensus
  std::vector<double> ic;  ///< information content (bits) of each consensus column
  size_t occurrences = 0;  ///< exact occurrences of the seed the columns were counted over
  /// Base counts (A, C, G, T) of each consensus column over those occurrences (a seed column
  /// holds only the seed's base: exact occurrences say nothing about its degeneracy).
  std::vector<std::array<double, 4>> column_counts;
};

/// Extends `kmer` (A/C/G/T only) over its exact forward-strand occurrences in `seqs` (other
/// bytes count as no base). prism::Error for a k-mer with other bytes or longer than max_length,
/// or min_ic outside (0, 2].
ExtendedMotif ExtendKmer(const std::vector<std::string_view>& seqs, const std::string& kmer,
                         const MotifExtensionOptions& opt = {});

/// True when the two consensus sequences overlap by at least 6 bases at some shift with at most
/// one mismatch over the overlap: the same motif found twice (from two of its k-mers, or from a
/// k-mer and a one-mismatch variant of it).
bool SameMotif(const std::string& a, const std::string& b);

}  // namespace prism
