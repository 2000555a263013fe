// prism/candidates.h - the candidate enhancer-promoter pairs of `prism score`.
//
// Every enhancer-promoter pair on the same chromosome whose centre distance
// |(e.start + e.end)/2 - (p.start + p.end)/2| lies in [min_distance, max_distance] is a
// candidate. Candidates are never materialised: they are numbered 0..total()-1 in the
// canonical order - promoters by (chromosome order, start, end, name, input order), and within
// a promoter its enhancers by (start, end, name, input order) - and enumerated range by range.
// Memory is O(enhancers + promoters), whatever the number of candidates.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "prism/bed.h"

namespace prism {

/// One candidate pair: indices into the CandidateSet's enhancers() / promoters().
struct Candidate {
  uint32_t enhancer = 0, promoter = 0;
  double distance = 0;  ///< centre distance in bp (a multiple of 0.5)
};

class CandidateSet {
 public:
  /// `chrom_order` ranks the chromosomes (e.g. the genome's contigs); an element on a
  /// chromosome not in it is a prism::Error (callers validate against the genome first).
  CandidateSet(std::vector<BedElement> enhancers, std::vector<BedElement> promoters,
               const std::vector<std::string>& chrom_order, long min_distance, long max_distance);

  const std::vector<BedElement>& enhancers() const { return enhancers_; }
  const std::vector<BedElement>& promoters() const { return promoters_; }
  /// Number of candidates.
  uint64_t total() const { return offset_.back(); }
  /// Promoters in canonical order (indices into promoters()).
  const std::vector<uint32_t>& promoter_order() const { return promoter_order_; }
  /// Index of the first candidate of the promoter at canonical rank r (r <= promoters).
  uint64_t Offset(size_t r) const { return offset_[r]; }
  /// The candidates of the promoter at canonical rank r, in canonical order.
  std::vector<Candidate> Group(size_t r) const;
  /// Calls fn for the candidates [begin, end) in canonical order.
  void ForRange(uint64_t begin, uint64_t end, const std::function<void(const Candidate&)>& fn) const;
  /// The candidates with the given indices (sorted ascending).
  std::vector<Candidate> Gather(const std::vector<uint64_t>& sorted_indices) const;
  /// Shard i of n (0-based): the promoter ranks [first, second) of a contiguous block holding
  /// about total()/n candidates. The shards partition the promoters, in canonical order.
  std::pair<size_t, size_t> ShardPromoters(int i, int n) const;
  /// Rank of the promoter holding candidate `index` (the r with Offset(r) <= index < Offset(r+1)).
  size_t PromoterRankOf(uint64_t index) const;

 private:
  std::vector<BedElement> enhancers_, promoters_;
  long min2_, max2_;  // twice the distance bounds (centres are compared doubled)
  std::vector<int> chrom_rank_e_, chrom_rank_p_;
  // Per chromosome rank: enhancer indices sorted by doubled centre, and those centres.
  std::vector<std::vector<uint32_t>> by_centre_;
  std::vector<std::vector<long>> centres2_;
  std::vector<uint32_t> promoter_order_;
  std::vector<uint64_t> offset_;  // size promoters + 1
  // Index ranges [lo1, hi1) and [lo2, hi2) of by_centre_[chrom] in the promoter's window.
  void Window(uint32_t promoter, size_t* lo1, size_t* hi1, size_t* lo2, size_t* hi2) const;
};

}  // namespace prism
