// score/score_internal.h - the parts of `prism score` (internal): elements checked against the
// genome, sequences of candidate batches, chunk files, the final merge.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "prism/candidates.h"
#include "prism/fasta.h"
#include "prism/score.h"
#include "score/model_scorer.h"

namespace prism::score {

/// Elements of one BED file that lie on the genome; the others are errors (InputError naming
/// the BED line) or, with skip_missing, counted in `skipped`. Exact duplicate lines are dropped
/// and counted.
struct CheckedElements {
  std::vector<BedElement> elements;
  size_t read = 0, skipped = 0, duplicates = 0, shorter_than_kmer = 0;
};
CheckedElements ReadElements(const std::string& bed, const char* side, const Genome& genome,
                             bool skip_missing, size_t max_len, size_t min_len);

/// Sequences of candidate pairs (each distinct element fetched once, cropped or widened as
/// prism prepare does).
PairBatch FetchPairs(const CandidateSet& set, const std::vector<Candidate>& pairs,
                     const Genome& genome, const ScoreOptions& o);

/// Chunk files: OUT/.score/chunks/chunk-<index>.bin, magic "PRSMCHK1", u64 first candidate,
/// u64 count, then `count` little-endian doubles (the logits).
std::string ChunkPath(const std::string& work_dir, uint64_t chunk);
void WriteChunk(const std::string& path, uint64_t first, const std::vector<double>& logits);
/// True when `path` is a complete chunk of [first, first + count).
bool ChunkComplete(const std::string& path, uint64_t first, uint64_t count);

/// What the merge wrote.
struct MergeCounts {
  uint64_t rows = 0, scored = 0;
  double min_score = 0, max_score = 0;
};
/// Reads the logits of the shard's candidates [begin, end) from the chunk files, turns them
/// into probabilities with the context's offset, ranks them within each promoter and writes
/// the filtered rows to the three outputs.
MergeCounts MergeChunks(const CandidateSet& set, size_t first_promoter, size_t end_promoter,
                        const std::string& work_dir, uint64_t chunk_size,
                        const ScoreContext& context, const ScoreOptions& o);

}  // namespace prism::score
