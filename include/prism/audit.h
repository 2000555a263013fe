// prism/audit.h - leakage and bias checks on a split (`prism audit`).
//
// For the domain-kl layout the split is given (train / val / test); for feature tables it is by
// cell line: each cell line against the rest, or the given test cell lines against the rest.
// Reported: elements shared between the sides of the split (by name - the coordinate part before
// the first '|' - and, with sequences, by identical sequence), per-element label rates (elements
// that are always positive or always negative), the distance distribution by label per cell line
// where distances exist, GC content by label per split and cell line where sequences exist, and
// the class balance per cell line.
#pragma once

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "prism/pairs.h"
#include "prism/run_folder.h"

namespace prism {

/// Audit settings.
struct AuditOptions {
  int min_element_count = 3;  ///< elements seen fewer times get no label-rate verdict
  int max_examples = 5;       ///< example names of shared elements kept per comparison
  // Cell-specific k-mers (sequence data; cell_specific_kmers.cpp).
  std::vector<int> kmer_lengths = {6, 8, 10, 12};  ///< k values scanned, each in 6..12
  int kmers_per_cell = 10;          ///< at most this many listed per training cell line
  double kmer_min_z = 4.0;          ///< label association z in the cell line, at least
  double kmer_min_specificity = 3.0;  ///< z minus the largest z in another training cell line
  long kmer_min_count = 5;          ///< positive enhancers of the cell line holding it, at least
};

/// A k-mer whose label enrichment is confined to one training cell line (a candidate
/// cell-specific shortcut). Counted per pair: a pair "holds" the k-mer when its enhancer contains
/// it or its reverse complement. In the cell line, with a / b positives with / without it and
/// c / d negatives with / without, log_odds = ln((a+.5)(d+.5) / ((b+.5)(c+.5))) and
/// z = log_odds / sqrt(1/(a+.5) + 1/(b+.5) + 1/(c+.5) + 1/(d+.5)); specificity = z - max(0, z in
/// any other training cell line). Ranked by specificity per cell line; overlapping k-mers (sub-
/// and super-strings, shifted windows sharing >= min(6, shorter - 1) bases, either strand) are
/// listed once, as the longer one when it contains the other and is at least 0.8 x as specific.
struct CellSpecificKmer {
  std::string kmer;       ///< the lexicographically smaller of the k-mer and its reverse complement
  std::string cell_line;  ///< the training cell line it is confined to
  int rank = 0;           ///< 1 = most specific in that cell line
  long positives = 0, positives_with = 0;  ///< positive pairs of the cell line; holding the k-mer
  long negatives = 0, negatives_with = 0;
  double log_odds = 0, z = 0;
  double max_other_z = 0;        ///< largest z in another training cell line (0 if none)
  std::string max_other_cell;    ///< where it is
  double specificity = 0;
  /// Every other cell line (any split): share of its pairs holding the k-mer, and its z (NaN
  /// when the cell line lacks a class).
  struct Elsewhere {
    std::string cell_line, split;
    double presence = 0, z = NAN;
  };
  std::vector<Elsewhere> elsewhere;
};

/// Elements of one side of a split (`test_side`) also present on the other (`train_side`).
struct SharedElements {
  std::string train_side, test_side;  ///< e.g. "train" / "test", or "rest" / "GM12878"
  bool strict = true;                 ///< counts as leakage (train vs test); val comparisons not
  long test_enhancers = 0, test_promoters = 0;  ///< distinct elements on the test side
  long enhancers_by_name = 0, promoters_by_name = 0;
  long enhancers_by_sequence = -1, promoters_by_sequence = -1;  ///< -1: no sequences
  long test_pairs = 0;             ///< pairs on the test side
  long test_pairs_shared = 0;      ///< of them, pairs with a shared enhancer or promoter
  std::vector<std::string> examples;  ///< a few shared element names
  /// True when any element is shared.
  bool any() const {
    return enhancers_by_name + promoters_by_name + std::max(0L, enhancers_by_sequence) +
               std::max(0L, promoters_by_sequence) > 0;
  }
};

/// Label rates of the elements of one role in one cell line.
struct ElementLabelStats {
  std::string cell_line;
  std::string role;              ///< "enhancer" or "promoter"
  long pairs = 0;                ///< pairs of the cell line
  long elements = 0;             ///< distinct elements
  long frequent = 0;             ///< elements in >= min_element_count pairs
  long always_positive = 0;      ///< frequent elements whose pairs are all positive
  long always_negative = 0;      ///< frequent elements whose pairs are all negative
  long pairs_always_positive = 0;  ///< pairs covered by always-positive elements
  long pairs_always_negative = 0;  ///< pairs covered by always-negative elements
  long max_pairs_per_element = 0;
};

/// |distance| by label in one cell line.
struct DistanceStats {
  std::string cell_line;
  long positives = 0, negatives = 0;  ///< pairs with a finite distance
  double pos_q1 = NAN, pos_median = NAN, pos_q3 = NAN;
  double neg_q1 = NAN, neg_median = NAN, neg_q3 = NAN;
  double aupr_distance = NAN;  ///< AUPR of ranking by -|distance| (closer first)
  double aupr_distance_far = NAN;  ///< AUPR of ranking by +|distance| (farther first)
  double positive_rate = NAN;  ///< AUPR of a random ranking, for comparison
};

/// GC content of the pairs by label in one cell line of one split (sequence data only). A pair's
/// GC is the G/C fraction over the A/C/G/T bases of its enhancer and promoter together,
/// (gc_e + gc_p) / (acgt_e + acgt_p); pairs without a sequence or without A/C/G/T bases are left
/// out.
struct GcStats {
  std::string split;  ///< "train", "val" or "test"
  std::string cell_line;
  long positives = 0, negatives = 0;  ///< pairs with a known GC
  double pos_mean_gc = NAN;  ///< mean pair GC of the positives
  double neg_mean_gc = NAN;  ///< mean pair GC of the negatives
  double diff = NAN;         ///< pos_mean_gc - neg_mean_gc
  double aupr_gc = NAN;      ///< AUPR of ranking by pair GC (GC-richer first)
  double aupr_gc_poor = NAN;  ///< AUPR of ranking by -pair GC (GC-poorer first)
  double positive_rate = NAN;  ///< AUPR of a random ranking, for comparison
};

/// Pairs and positives of one cell line in one split.
struct ClassBalance {
  std::string split;  ///< "train", "val", "test", or "all" (feature tables, each vs rest)
  std::string cell_line;
  long pairs = 0, positives = 0;
  double positive_rate = NAN;
};

/// A problem of the split itself (findings.cpp): kind "conflicting_labels" (the same pair,
/// enhancer + promoter + cell line, listed with label 0 and 1), "one_class_split" (a split whose
/// pairs are all one class), "cell_line_overlap" (a cell line on both sides of a split).
struct AuditFinding {
  std::string kind;
  bool leakage = false;  ///< counts as leakage (`--strict` fails): train/test cell line overlap
  std::string message;   ///< one line: what, where, how many
  long count = 0;        ///< pairs or cell lines concerned
  std::vector<std::string> examples;
};

/// Everything `prism audit` reports.
struct AuditReport {
  std::string source;  ///< folder or files audited
  std::string mode;    ///< "domain-kl" or "features"
  std::vector<ClassBalance> balance;
  std::vector<SharedElements> shared;
  std::vector<ElementLabelStats> element_labels;
  std::vector<DistanceStats> distance;
  std::vector<GcStats> gc;  ///< empty for feature tables (no sequences)
  std::vector<AuditFinding> findings;
  std::vector<CellSpecificKmer> cell_specific_kmers;  ///< sequence data with >= 1 train cell
  std::vector<std::string> notes;
  int min_element_count = 3;   ///< AuditOptions::min_element_count used
  /// Any strict comparison shares an element, or a finding is leakage.
  bool leakage_found = false;
};

/// The identity of an element name: the part before the first '|' (BENGI/TargetFinder names
/// carry "chr:start-end|cell|id"; other names are used whole).
std::string ElementIdentity(const std::string& name);

/// Audits the given split of a domain-kl dataset (train vs test is strict; train vs val and
/// val vs test are reported as information).
AuditReport AuditDomainKl(const DomainKlData& data, const AuditOptions& options = {});

/// Audits a feature table split by cell line: with `test_cells` empty each cell line against
/// the rest, otherwise the given cell lines against the rest. Throws prism::Error for a test
/// cell line the table lacks.
AuditReport AuditFeatureTable(const FeatureTable& table, const std::vector<std::string>& test_cells,
                              const AuditOptions& options = {});

/// The report as JSON (numbers via JsonNumber).
Json AuditReportToJson(const AuditReport& report);
/// The report as aligned text tables.
std::string FormatAuditReport(const AuditReport& report);

}  // namespace prism
