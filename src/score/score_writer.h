// score/score_writer.h - the three output files of `prism score` (internal).
//
//   predictions.tsv.gz          '#'-header, then chrom, enh_start, enh_end, enh_name, prom_start,
//                               prom_end, prom_name, distance, score, cell_line, rank_in_promoter
//   predictions.bedpe.gz        chrom, enh_start, enh_end, chrom, prom_start, prom_end,
//                               enh_name|prom_name, score, ".", ".", cell_line, rank_in_promoter
//   predictions.interact.bed.gz UCSC interact (one "track type=interact" line, then BED5+13;
//                               source = enhancer, target = promoter)
// Rows arrive in canonical order (promoter, then enhancer: prism/candidates.h), so every file
// is sorted by the promoter interval, and each is BGZF-compressed and tabix-indexed on it
// (TSV columns 1,5,6; BEDPE 4,5,6; interact 14,15,16). Files are written under temporary names
// and renamed by Finish(); an unfinished writer removes them. Without `header` (shards 2..N) the
// TSV header and the interact track line are left out, so that the shards' files, concatenated
// in order (`cat`), are byte for byte the decompressed full result.
#pragma once

#include <string>

#include "prism/bed.h"

namespace prism::score {

class ScoreWriter {
 public:
  ScoreWriter(const std::string& out_dir, const std::string& cell_line, bool header = true);
  ~ScoreWriter();
  ScoreWriter(const ScoreWriter&) = delete;
  ScoreWriter& operator=(const ScoreWriter&) = delete;

  void Write(const BedElement& enhancer, const BedElement& promoter, double distance,
             double score, long rank);
  /// Closes, renames onto the final names and builds the .tbi indexes. Throws prism::Error.
  void Finish();
  /// The final paths, in the order tsv, bedpe, interact.
  static std::string Path(const std::string& out_dir, int which);

 private:
  struct Impl;
  Impl* impl_;
};

/// The score as written ("%.6f"); the other formats derive from it.
std::string FormatScore(double score);
/// A centre distance (a multiple of 0.5) as written: "1200" or "1200.5".
std::string FormatDistance(double distance);

}  // namespace prism::score
