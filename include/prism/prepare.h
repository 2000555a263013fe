// prism/prepare.h - coordinates + an indexed genome FASTA -> the domain-kl layout.
//
// Pair files (plain or gzip):
//  * BEDPE, tab-separated, no header ('#', "track" and "browser" lines skipped). Columns:
//      1-3 enhancer chrom, start, end;  4-6 promoter chrom, start, end;
//      7 label (0/1);  8 cell line;  further columns are ignored.
//  * BENGI/TargetFinder style, comma- or tab-separated with a header row holding enh_name,
//    prom_name, label and celltype (or cell_line); names carry the coordinates as
//    "chr:start-end" optionally followed by "|..." ("chr9:613609-614420|HMEC|EH37E0985881").
//    Optional columns enhancer_distance_to_promoter (or distance) are used as the distance.
//    The feature tables of feature_table.h are valid input.
// Coordinates are 0-based, end-exclusive (BED). Elements are named "chrom:start-end" in the
// output (the coordinates as given). A region longer than the maximum is centre-cropped before
// fetching; a region shorter than the minimum is widened around its centre (clipped to the
// contig). Distance, when not given, is |centre(enhancer) - centre(promoter)| on the same chrom.
#pragma once

#include <cstddef>
#include <string>

#include "prism/pairs.h"
#include "prism/split.h"

namespace prism {

/// Options of PrepareDataset.
struct PrepareOptions {
  std::string pairs_path;   ///< BEDPE or BENGI-style pairs
  std::string genome_path;  ///< genome FASTA (plain or bgzip; .fai built when absent)
  std::string out_dir;      ///< domain-kl output folder
  SplitSpec split;          ///< cells or chromosomes (required)
  size_t max_enhancer = 3000, max_promoter = 4000;  ///< centre crop (bp); 0 = none
  size_t min_enhancer = 0, min_promoter = 0;        ///< widen shorter regions (bp); 0 = never
  bool force = false;       ///< replace an existing domain-kl layout in out_dir
};

/// Summary of a prepared dataset.
struct PrepareSummary {
  size_t pairs = 0, enhancers = 0, promoters = 0;
  size_t train = 0, val = 0, test = 0;
  std::string format;  ///< "bedpe" or "bengi"
};

/// One genomic interval parsed from a name.
struct GenomicRegion {
  std::string chrom;
  long start = 0, end = 0;
};

/// The bases prepare fetches for the region [start, end) of a contig of length contig_len:
/// centre-cropped to max_len when longer (0 = never), else widened around its centre to min_len
/// when shorter (0 = never) and clipped to the contig. Writes [*fetch_start, *fetch_end).
void ElementWindow(long start, long end, long contig_len, size_t max_len, size_t min_len,
                   long* fetch_start, long* fetch_end);

/// Parses "chr:start-end" (anything after a '|' is ignored); false when it is not of that form.
bool ParseRegionName(const std::string& name, GenomicRegion* region);

/// Reads pairs (detecting the format), fetches every distinct element once from the genome,
/// applies the split and writes the domain-kl layout (atomic files). Errors name the pairs
/// file and line: unknown contigs, coordinates outside the contig, malformed rows, labels.
/// Throws before writing anything on bad input.
SequenceSplit ReadPairsWithGenome(const PrepareOptions& options, std::string* format = nullptr);

/// ReadPairsWithGenome + split + WriteDomainKl.
PrepareSummary PrepareDataset(const PrepareOptions& options);

}  // namespace prism
