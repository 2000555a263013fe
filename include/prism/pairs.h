// prism/pairs.h - the in-memory EPI data every stage shares.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace prism {

/// Pair::label of a pair without a label (an empty label, or no label column: prism predict
/// writes its score and leaves it out of the metrics).
inline constexpr int kUnlabeled = -1;

/// One enhancer-promoter pair.
struct Pair {
  std::string enhancer;   ///< enhancer name (key into SequenceSet::enhancers)
  std::string promoter;   ///< promoter name (key into SequenceSet::promoters)
  int label = 0;          ///< 1 = interacting, 0 = not, kUnlabeled (test pairs to score only)
  std::string cell_line;  ///< cell line / cell type
  double distance = NAN;  ///< enhancer-promoter distance in bp where known
  std::string chrom;      ///< chromosome where known (held-out-chromosome splits)
};

/// Named sequences (uppercase, ACGT or N), as read from e_seq.csv / p_seq.csv.
struct SequenceSet {
  std::unordered_map<std::string, std::string> enhancers;
  std::unordered_map<std::string, std::string> promoters;
};

/// One split of a sequence dataset: pairs plus the sequences they refer to.
struct SequenceSplit {
  std::vector<Pair> pairs;
  SequenceSet seqs;
};

/// The domain-kl layout: DIR/{train,val,test}/ALL/{pairs_hg19.csv,e_seq.csv,p_seq.csv}.
struct DomainKlData {
  SequenceSplit train, val, test;
  bool has_val = false;
};

/// A TargetFinder/BENGI feature table: pairs with 24 epigenomic features each.
struct FeatureTable {
  std::vector<Pair> pairs;                 ///< distance and chrom are filled
  std::vector<std::string> feature_names;  ///< e.g. "H3K27ac (enhancer)"
  std::vector<float> features;             ///< row-major, pairs.size() x feature_names.size()
  /// Per feature column: missing values (empty, NA, nan) read as 0 (docs/data-formats.md); set by
  /// ReadFeatureTable(s), empty after SelectRows.
  std::vector<long> imputed;
  size_t num_features() const { return feature_names.size(); }
};

}  // namespace prism
