// prism/shortcut_mask.h - the defence against cell-specific shortcuts (issue 14, item 4):
// before training, the k-mers whose label association is confined to one training cell line
// (prism audit's cell-specific k-mers, prism/audit.h) are intervened on in that cell line's
// training enhancers - every occurrence, on either strand, is replaced by random bases - so that
// within the cell line the k-mer no longer tells positives from negatives and no filter can learn
// it as a label cue. The k-mers come from the training split alone (no labels of validation or
// unseen cell lines are read), and what was masked is written to run.json (`shortcut_mask`).
//
// Why masking and not a penalty: a k-mer planted in one training cell line's positives is a
// perfect shortcut there, and a filter that fires on any of five cell lines' k-mers predicts the
// label without identifying the cell line, so a domain discriminator cannot see it
// (issue 14). Removing the occurrences is the seed reflection's intervention ("the same sequence
// without the k-mer") applied to the training data. Only the confining cell line's enhancers are
// edited; an enhancer shared with another cell line is edited for all its pairs.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "prism/audit.h"
#include "prism/pairs.h"

namespace prism {

/// Which cell-specific k-mers are masked.
struct ShortcutMaskOptions {
  /// At most this many per training cell line (its most specific ones).
  int per_cell = 3;
  /// Only k-mers at least this specific (z in the cell line minus the largest z in another
  /// training cell line; prism/audit.h CellSpecificKmer::specificity).
  double min_specificity = 5.0;
  /// A candidate present beyond chance (KmerPresenceZ >= spare_min_z) in the enhancers of more
  /// than half of the other cell lines is spared: its label association is confined to one cell
  /// line, but the k-mer is not - a motif's site in a cell line where the motif is most active,
  /// not a shortcut. 0 spares none.
  double spare_min_z = 3.0;
  uint64_t seed = 7;      ///< the random replacement bases
  AuditOptions audit;     ///< k-mer lengths and the audit's own thresholds
};

/// A candidate the mask spared (ShortcutMaskOptions::spare_min_z).
struct SparedKmer {
  CellSpecificKmer kmer;
  int present_in = 0;   ///< other cell lines where its presence z >= spare_min_z
  int other_cells = 0;  ///< other cell lines examined
};

/// What MaskShortcutKmers did.
struct ShortcutMaskResult {
  std::vector<CellSpecificKmer> masked;  ///< the k-mers, with their cell line and statistics
  std::vector<SparedKmer> spared;        ///< candidates not masked (present in other cell lines)
  long enhancers_edited = 0;             ///< distinct enhancers with >= 1 occurrence replaced
  long occurrences = 0;                  ///< occurrences replaced (both strands, all k-mers)
  long training_cells = 0;               ///< training cell lines examined
};

/// Finds the training split's cell-specific k-mers and masks the chosen ones in place (see the
/// file comment). A split with fewer than two training cell lines has no cell-specific k-mers and
/// is left as it is. Deterministic for a given input and seed.
ShortcutMaskResult MaskShortcutKmers(SequenceSplit* train, const ShortcutMaskOptions& options);

/// The same for a validation split: cell-specific k-mers found among the training and the
/// validation cell lines together (unmasked training data), and those of a validation cell line
/// masked in that cell line's validation enhancers. Works with one validation cell line (its
/// k-mers are contrasted with the training cell lines'); `train` is not changed, and
/// `training_cells` of the result counts the validation cell lines. Deterministic for a given
/// input and seed, so that training and predict mask the same validation split.
ShortcutMaskResult MaskValShortcutKmers(const SequenceSplit& train, SequenceSplit* val,
                                        const ShortcutMaskOptions& options);

/// The presence test of the spare (ShortcutMaskOptions::spare_min_z) for one cell line's
/// enhancers: the order-2 Markov model of `seqs` is counted once, then Z(kmer) for any k-mer.
/// `seqs` must outlive it.
class KmerPresenceModel {
 public:
  explicit KmerPresenceModel(const std::vector<const std::string*>& seqs);
  /// KmerPresenceZ(seqs, kmer) below, without recounting the model.
  double Z(const std::string& kmer) const;

 private:
  std::vector<const std::string*> seqs_;
  double tri_[64] = {0}, di_[16] = {0}, total_ = 0;
};

/// How far the share of `seqs` that hold `kmer` (either strand, case-insensitive) lies above its
/// expectation under an order-2 Markov model of `seqs` themselves: (observed - expected) share
/// over the binomial standard deviation. 0 when nothing can be expected (no sequences, or the
/// model gives the k-mer probability 0 or 1).
double KmerPresenceZ(const std::vector<const std::string*>& seqs, const std::string& kmer);

/// Replaces every occurrence of `kmer` and of its reverse complement in `seq` (case-insensitive)
/// by bases drawn from `rng_state` (splitmix64); returns the number of occurrences replaced.
/// Overlapping occurrences are all replaced.
long MaskKmer(std::string* seq, const std::string& kmer, uint64_t* rng_state);

}  // namespace prism
