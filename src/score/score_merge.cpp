// `prism score` merge: chunk logits -> probabilities -> rank per promoter -> filtered outputs.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "score/chunk_stream.h"
#include "score/score_internal.h"
#include "score/score_writer.h"

namespace prism::score {

MergeCounts MergeChunks(const CandidateSet& set, size_t first_promoter, size_t end_promoter,
                        const std::string& work_dir, uint64_t chunk_size,
                        const ScoreContext& context, const ScoreOptions& o) {
  MergeCounts counts;
  ScoreWriter writer(o.out_dir, o.cell_line, /*header=*/o.shard_index == 1);
  ChunkStream stream(work_dir, chunk_size, set.Offset(first_promoter));
  std::vector<double> prob;
  std::vector<size_t> order;
  std::vector<long> rank;
  for (size_t r = first_promoter; r < end_promoter; ++r) {
    if (set.Offset(r + 1) == set.Offset(r)) continue;
    const std::vector<Candidate> group = set.Group(r);
    prob.resize(group.size());
    for (double& p : prob) {
      const double logit = stream.Next();
      p = 1.0 / (1.0 + std::exp(-(logit - context.offset)));
    }
    // Rank 1 = highest score; ties keep the canonical (enhancer coordinate) order. Ranks are
    // computed on the written value, so equal printed scores never get an inverted rank.
    std::vector<double> shown(prob.size());
    for (size_t i = 0; i < prob.size(); ++i) shown[i] = std::stod(FormatScore(prob[i]));
    order.resize(group.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](size_t a, size_t b) { return shown[a] > shown[b]; });
    rank.assign(group.size(), 0);
    for (size_t i = 0; i < order.size(); ++i) rank[order[i]] = static_cast<long>(i + 1);
    for (size_t i = 0; i < group.size(); ++i) {
      const double p = prob[i];
      if (counts.scored == 0) counts.min_score = counts.max_score = p;
      counts.min_score = std::min(counts.min_score, p);
      counts.max_score = std::max(counts.max_score, p);
      ++counts.scored;
      if (o.top_k > 0 && rank[i] > o.top_k) continue;
      if (o.min_score >= 0 && shown[i] < o.min_score) continue;
      writer.Write(set.enhancers()[group[i].enhancer], set.promoters()[group[i].promoter],
                   group[i].distance, p, rank[i]);
      ++counts.rows;
    }
  }
  writer.Finish();
  return counts;
}

}  // namespace prism::score
