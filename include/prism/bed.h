// prism/bed.h - BED element files (the input of `prism score`).
//
// Tab-separated (or, for a line without tabs, whitespace-separated), plain or gzip; lines that
// are empty or start with '#', "track" or "browser" are skipped. Columns: chrom, start, end
// (0-based, end-exclusive), name; further columns are ignored. A line with three columns gets
// the name "chrom:start-end". Errors are InputErrors "FILE:LINE:COL: ..." naming what was
// expected (fewer than 3 fields, a non-integer coordinate, start < 0, end <= start).
#pragma once

#include <string>
#include <vector>

namespace prism {

/// One BED line.
struct BedElement {
  std::string chrom;
  long start = 0, end = 0;
  std::string name;
  long line = 0;  ///< 1-based line in the file (for later errors about the element)
};

/// Reads every element of a BED file in file order. Throws InputError on bad input.
std::vector<BedElement> ReadBed(const std::string& path);

}  // namespace prism
