// prism/fasta.h - FASTA reading (plain or gzip, line-numbered errors) and random access to an
// indexed genome through htslib faidx.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "prism/line_reader.h"

namespace prism {

/// One FASTA record; the sequence is normalised (uppercase, non-ACGT -> 'N').
struct FastaRecord {
  std::string name;  ///< header text up to the first whitespace, without '>'
  std::string seq;
  long line = 0;     ///< line of the '>' header
};

/// Streams the records of a FASTA file (plain or gzip; "-" = stdin). Errors (InputError with
/// file:line[:col]): text before the first '>' header, an empty name, a record without
/// sequence, a character that is not a letter ('*' and '-' included), corrupt gzip data.
class FastaReader {
 public:
  explicit FastaReader(const std::string& path);
  /// Next record; false at the end. Throws InputError on bad input.
  bool Next(FastaRecord* record);
  const std::string& path() const { return reader_.path(); }

 private:
  LineReader reader_;
  std::string line_;
  bool have_line_ = false;  ///< line_ holds a header read ahead
  bool any_ = false;
};

/// Reads a whole FASTA file; additionally an empty file and duplicate record names are errors.
std::vector<FastaRecord> ReadFasta(const std::string& path);

/// An indexed genome FASTA (plain or bgzip) opened with htslib faidx. The .fai index is built
/// next to the file when absent (fai_build). Coordinates are 0-based, end-exclusive (BED).
class Genome {
 public:
  /// Opens `path`, building PATH.fai if missing (or older than the FASTA). Throws prism::Error naming the file when it
  /// cannot be read or indexed (e.g. lines of different lengths inside a record).
  explicit Genome(const std::string& path);
  ~Genome();
  Genome(const Genome&) = delete;
  Genome& operator=(const Genome&) = delete;

  /// True when the contig is in the index.
  bool HasContig(const std::string& contig) const;
  /// Length of a contig; -1 when absent.
  int64_t ContigLength(const std::string& contig) const;
  /// Contig names in index order.
  std::vector<std::string> Contigs() const;
  /// Bases [start, end) of `contig`, normalised (uppercase, non-ACGT -> 'N'). Throws
  /// prism::Error for a missing contig ("contig 'X' is not in FILE") or coordinates outside
  /// the contig ("... outside chr1 (length N)"); callers add the input file and line.
  std::string Fetch(const std::string& contig, int64_t start, int64_t end) const;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  void* fai_ = nullptr;  // faidx_t*
};

}  // namespace prism
