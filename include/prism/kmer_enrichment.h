// prism/kmer_enrichment.h - over-represented k-mers of a set of sequences (motif discovery by
// counting), used to seed the first convolution's filters (model.motif_seed).
//
// Transcription-factor binding sites are the k-mers a regulatory element set holds far more
// often than its base composition explains. Every k-mer w (k = 6..12, A/C/G/T only, forward
// strand - the convolution is strand-specific too) is counted over all windows of the
// sequences and compared with its expectation under a first-order Markov background fitted to
// the same sequences:
//
//   E[w] = windows * P(w_1) * prod_{i>1} P(w_i | w_{i-1}),   z(w) = (obs - E[w]) / sqrt(E[w])
//
// Candidates are taken greedily by z. A candidate is a *variant* of a k-mer already taken - and
// skipped - when it differs from it in at most one position at the same offset, or when at a
// shift of 1..3 the two overlap with at most one mismatch (overlap >= 6 bases) or none (shorter
// overlaps): the shifted windows of one longer motif and of its one-mismatch instances. The result is at most `max_kmers` k-mers with z >= `min_z`, in z order; the
// same input gives the same output.
//
// With groups (e.g. the training cell lines of each sequence) a candidate must also be
// over-represented in *every* group: z_g(w) = (obs_g - E_g[w]) / sqrt(E_g[w]) >= min_group_z,
// E_g from the group's own number of windows and the pooled background. A k-mer planted in the
// positives of one cell line only (a cell-specific artefact, or a cell-specific motif) fails that
// and is reported as group-specific instead of taken.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace prism {

/// One over-represented k-mer.
struct EnrichedKmer {
  std::string kmer;
  double observed = 0, expected = 0, z = 0;
  double min_group_z = 0;  ///< with groups: the smallest per-group z (0 without groups)
  std::string weakest_group;  ///< with groups: the group of min_group_z
};

/// Options of FindEnrichedKmers.
struct EnrichmentOptions {
  int k = 8;              ///< 6..12
  size_t max_kmers = 16;  ///< at most this many (after removing variants)
  double min_z = 10.0;    ///< and only those at least this far above the background
  /// Optional group of each sequence (same size as the sequences, or empty = no groups) and
  /// their names (group ids index it); with groups a k-mer must have z >= min_group_z in every
  /// group.
  std::vector<int> groups;
  std::vector<std::string> group_names;
  double min_group_z = 3.0;
};

/// The over-represented k-mers of `seqs` (bytes other than A/C/G/T break windows; lowercase is
/// read as uppercase). prism::Error for k outside 6..12 or groups of the wrong size. With groups,
/// `group_specific` (if given) receives the candidates skipped for failing a group, in z order,
/// variants removed, at most max_kmers.
std::vector<EnrichedKmer> FindEnrichedKmers(const std::vector<std::string_view>& seqs,
                                            const EnrichmentOptions& opt,
                                            std::vector<EnrichedKmer>* group_specific = nullptr);

}  // namespace prism
