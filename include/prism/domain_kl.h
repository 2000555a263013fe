// prism/domain_kl.h - the domain-kl dataset layout (the original cross-cell benchmark).
//
//   DIR/{train,val,test}/ALL/pairs_hg19.csv   enhancer_name,promoter_name,label,cell_line[,...]
//   DIR/{train,val,test}/ALL/e_seq.csv        region,sequence   (enhancer sequences)
//   DIR/{train,val,test}/ALL/p_seq.csv        region,sequence   (promoter sequences)
//
// The val split is optional. Extra pair columns are allowed; `distance` (or
// `enhancer_distance_to_promoter`) and `chrom` (or `enhancer_chrom`) are read into Pair when
// present. Sequences are uppercased; A/C/G/T are kept, any other letter becomes 'N', anything
// that is not a letter is an InputError with line and column. Every pair must name an enhancer
// and a promoter that have a sequence; a region listed twice with different sequences is an
// error. Files may be gzip-compressed (detected from the content).
#pragma once

#include <string>
#include <unordered_map>

#include "prism/pairs.h"

namespace prism {

/// File names inside DIR/<split>/ALL/.
inline constexpr const char* kPairsFile = "pairs_hg19.csv";
inline constexpr const char* kEnhancerSeqFile = "e_seq.csv";
inline constexpr const char* kPromoterSeqFile = "p_seq.csv";

/// Reads the whole layout under `dir`: train and test are required, val is optional
/// (has_val=false when DIR/val/ALL/pairs_hg19.csv is absent). Throws InputError on bad input.
DomainKlData ReadDomainKl(const std::string& dir);

/// Reads one split ("train", "val" or "test") from DIR/<split>/ALL/.
SequenceSplit ReadDomainKlSplit(const std::string& dir, const std::string& split);

/// Reads a `region,sequence` file (plain or gz) into `out` (name -> normalised sequence).
/// Duplicate names with different sequences, non-letter characters, ragged rows and empty
/// files are InputErrors naming the file and line.
void ReadSequenceFile(const std::string& path,
                      std::unordered_map<std::string, std::string>* out);

/// Writes the layout under `dir` (creating folders); every file is written atomically. The val
/// split is written only when data.has_val. Pairs keep their order; all sequences of a split
/// are written, sorted by name. `distance` / `chrom` columns are added when any pair has them.
void WriteDomainKl(const std::string& dir, const DomainKlData& data);

/// Writes one split to DIR/<split>/ALL/ (atomic files, folders created).
void WriteDomainKlSplit(const std::string& dir, const std::string& split,
                        const SequenceSplit& data);

}  // namespace prism
