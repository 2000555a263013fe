// prism/score.h - `prism score`: genome-wide scoring of a cell line's candidate pairs.
//
//   prism score RUN --genome G.fa --enhancers E.bed --promoters P.bed -o OUT
//
// Enumerates every enhancer-promoter pair on the same chromosome within the centre-distance
// window (prism/candidates.h), fetches the sequences through htslib faidx (cropped or widened
// as `prism prepare` does), scores them context-aware with the run's model (the cell line's own
// candidates are its context: its environment and calibration are estimated from them as
// `prism predict` does, from an even sample of at most context_pairs candidates, the same for
// every shard), and writes OUT/predictions.{tsv,bedpe,interact.bed}.gz (BGZF + tabix, sorted by
// promoter; src/score/score_writer.h) and OUT/summary.json. Work is done in chunks of
// chunk_size candidates written to OUT/.score/chunks/ (atomic files) next to a manifest, so a
// killed job resumes without rescoring finished chunks; `shard` scores one contiguous block of
// promoters holding about 1/N of the candidates. Docs: docs/score.md.
#pragma once

#include <cstdint>
#include <string>

#include "prism/run_folder.h"

namespace prism {

struct ScoreOptions {
  std::string run_dir, genome, enhancers, promoters, out_dir;
  std::string cell_line = "sample";
  std::string checkpoint = "best";
  long min_distance = 0, max_distance = 1000000;
  long top_k = 0;              ///< rows per promoter kept in the outputs (0 = all)
  double min_score = -1;       ///< rows below it are left out (< 0 = none)
  int shard_index = 1, shard_count = 1;  ///< 1-based
  bool resume = false, skip_missing = false;
  bool context_free = false, no_calibration = false;
  int threads = 0;
  long chunk_size = 4096;      ///< candidates per chunk file
  long context_pairs = 20000;  ///< at most this many candidates estimate the context
  size_t max_enhancer = 3000, max_promoter = 4000;  ///< as prism prepare
  size_t min_enhancer = 0, min_promoter = 0;
  bool progress = true;        ///< a progress line on stderr when it is a terminal
};

/// Scores and writes the outputs; returns summary.json's content. Throws prism::Error (bad
/// input names the BED file and line).
Json ScoreRun(const ScoreOptions& options);

}  // namespace prism
