// `prism score` inputs: BED elements checked against the genome, sequences of candidate pairs.
#include <set>
#include <tuple>
#include <unordered_map>

#include "prism/error.h"
#include "prism/log.h"
#include "prism/prepare.h"
#include "score/score_internal.h"

namespace prism::score {

CheckedElements ReadElements(const std::string& bed, const char* side, const Genome& genome,
                             bool skip_missing, size_t max_len, size_t min_len) {
  CheckedElements out;
  std::set<std::tuple<std::string, long, long, std::string>> seen;
  for (BedElement& e : ReadBed(bed)) {
    ++out.read;
    const int64_t len = genome.ContigLength(e.chrom);
    std::string problem;
    if (len < 0)
      problem = "contig '" + e.chrom + "' is not in " + genome.path();
    else if (e.end > len)
      problem = "end " + std::to_string(e.end) + " is beyond the end of " + e.chrom +
                " (length " + std::to_string(len) + ") in " + genome.path();
    if (!problem.empty()) {
      if (!skip_missing)
        throw InputError(bed, e.line, 0, std::string(side) + " " + e.name + ": " + problem +
                                             " (--skip-missing skips such elements)");
      if (out.skipped < 3) Log::Warning(bed + ":" + std::to_string(e.line) + ": skipped " +
                                        side + " " + e.name + ": " + problem);
      ++out.skipped;
      continue;
    }
    if (!seen.emplace(e.chrom, e.start, e.end, e.name).second) {
      ++out.duplicates;
      continue;
    }
    long s = 0, t = 0;
    ElementWindow(e.start, e.end, static_cast<long>(len), max_len, min_len, &s, &t);
    if (t - s < 6) ++out.shorter_than_kmer;
    out.elements.push_back(std::move(e));
  }
  if (out.skipped > 3)
    Log::Warning(bed + ": skipped " + std::to_string(out.skipped) + " " + side +
                 "s in all (contig missing or element beyond its end)");
  if (out.shorter_than_kmer)
    Log::Warning(bed + ": " + std::to_string(out.shorter_than_kmer) + " " + side +
                 "s are shorter than one 6-mer (give --min-enhancer/--min-promoter to widen "
                 "e.g. single-base TSS promoters)");
  return out;
}

PairBatch FetchPairs(const CandidateSet& set, const std::vector<Candidate>& pairs,
                     const Genome& genome, const ScoreOptions& o) {
  PairBatch b;
  std::unordered_map<uint32_t, uint32_t> e_index, p_index;
  auto add = [&](const BedElement& el, uint32_t id, size_t max_len, size_t min_len,
                 std::unordered_map<uint32_t, uint32_t>* index, std::vector<std::string>* seqs) {
    auto it = index->find(id);
    if (it != index->end()) return it->second;
    long s = 0, t = 0;
    ElementWindow(el.start, el.end, static_cast<long>(genome.ContigLength(el.chrom)), max_len,
                  min_len, &s, &t);
    seqs->push_back(genome.Fetch(el.chrom, s, t));
    const uint32_t k = static_cast<uint32_t>(seqs->size() - 1);
    index->emplace(id, k);
    return k;
  };
  b.e_idx.reserve(pairs.size());
  b.p_idx.reserve(pairs.size());
  for (const Candidate& c : pairs) {
    b.e_idx.push_back(add(set.enhancers()[c.enhancer], c.enhancer, o.max_enhancer,
                          o.min_enhancer, &e_index, &b.e_seqs));
    b.p_idx.push_back(add(set.promoters()[c.promoter], c.promoter, o.max_promoter,
                          o.min_promoter, &p_index, &b.p_seqs));
  }
  return b;
}

}  // namespace prism::score
