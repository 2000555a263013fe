#include "prism/fasta.h"

#include <htslib/faidx.h>
#include <htslib/hts_log.h>

#include <cstdlib>
#include <filesystem>
#include <unordered_set>

#include "prism/error.h"
#include "prism/log.h"
#include "prism/tokenizer.h"

namespace prism {
namespace {

bool IsLetter(unsigned char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

}  // namespace

FastaReader::FastaReader(const std::string& path) : reader_(path) {}

bool FastaReader::Next(FastaRecord* record) {
  if (!have_line_) {
    // Find the first header, skipping blank lines.
    for (;;) {
      if (!reader_.Next(&line_)) return false;
      if (line_.find_first_not_of(" \t") == std::string::npos) continue;
      if (line_[0] != '>')
        reader_.Fail(any_ ? "expected a '>' header line"
                          : "expected a '>' header line (not a FASTA file?)", 1);
      break;
    }
  }
  have_line_ = false;
  any_ = true;
  record->line = reader_.line_number();
  size_t end = line_.find_first_of(" \t", 1);
  record->name = line_.substr(1, end == std::string::npos ? std::string::npos : end - 1);
  if (record->name.empty()) reader_.Fail("empty sequence name after '>'", 2);
  record->seq.clear();
  while (reader_.Next(&line_)) {
    if (!line_.empty() && line_[0] == '>') {
      have_line_ = true;
      break;
    }
    for (size_t i = 0; i < line_.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(line_[i]);
      if (!IsLetter(c)) {
        if (c == ' ' || c == '\t') continue;
        std::string shown = c >= 32 && c < 127 ? std::string(1, static_cast<char>(c)) : "?";
        reader_.Fail("sequence '" + record->name + "': invalid character '" + shown +
                         "' (expected a nucleotide letter)",
                     static_cast<int>(i) + 1);
      }
      record->seq.push_back(static_cast<char>(c));
    }
  }
  if (record->seq.empty())
    throw InputError(reader_.path(), record->line, 0,
                     "record '" + record->name + "' has no sequence");
  NormalizeSequenceInPlace(&record->seq);
  return true;
}

std::vector<FastaRecord> ReadFasta(const std::string& path) {
  FastaReader reader(path);
  std::vector<FastaRecord> out;
  std::unordered_set<std::string> names;
  FastaRecord r;
  while (reader.Next(&r)) {
    if (!names.insert(r.name).second)
      throw InputError(path, r.line, 0, "duplicate sequence name '" + r.name + "'");
    out.push_back(std::move(r));
  }
  if (out.empty()) throw InputError(path, 1, 0, "empty file: expected FASTA records");
  return out;
}

Genome::Genome(const std::string& path) : path_(path) {
  if (!std::filesystem::exists(path)) Fatal(path, ": genome FASTA not found");
  // htslib would print its own messages to stderr; ours say the same with more context.
  const enum htsLogLevel saved = hts_get_log_level();
  hts_set_log_level(HTS_LOG_OFF);
  struct Restore {
    enum htsLogLevel level;
    ~Restore() { hts_set_log_level(level); }
  } restore{saved};
  const std::string fai = path + ".fai";
  bool build = !std::filesystem::exists(fai);
  if (!build && std::filesystem::last_write_time(fai) < std::filesystem::last_write_time(path)) {
    Log::Warning(fai + " is older than " + path + "; rebuilding the index");
    build = true;
  }
  if (build) {
    if (fai_build(path.c_str()) != 0)
      Fatal(path, ": cannot build the faidx index ", path, ".fai (the FASTA must be plain or "
            "bgzip-compressed, with equal line lengths inside each record, and its folder "
            "writable)");
  }
  fai_ = fai_load(path.c_str());
  if (!fai_) Fatal(path, ": cannot load the faidx index ", path, ".fai");
}

Genome::~Genome() {
  if (fai_) fai_destroy(static_cast<faidx_t*>(fai_));
}

bool Genome::HasContig(const std::string& contig) const {
  return faidx_has_seq(static_cast<faidx_t*>(fai_), contig.c_str()) != 0;
}

int64_t Genome::ContigLength(const std::string& contig) const {
  if (!HasContig(contig)) return -1;
  return faidx_seq_len(static_cast<faidx_t*>(fai_), contig.c_str());
}

std::vector<std::string> Genome::Contigs() const {
  std::vector<std::string> out;
  const faidx_t* f = static_cast<faidx_t*>(fai_);
  for (int i = 0; i < faidx_nseq(f); ++i) out.emplace_back(faidx_iseq(f, i));
  return out;
}

std::string Genome::Fetch(const std::string& contig, int64_t start, int64_t end) const {
  int64_t len = ContigLength(contig);
  if (len < 0) Fatal("contig '", contig, "' is not in ", path_);
  if (start < 0 || end > len || start >= end)
    Fatal(contig, ":", start, "-", end, " is outside ", contig, " (length ", len, ") in ", path_);
  hts_pos_t got = 0;
  char* s = faidx_fetch_seq64(static_cast<faidx_t*>(fai_), contig.c_str(), start, end - 1, &got);
  if (!s || got != end - start) {
    std::free(s);
    Fatal(path_, ": cannot read ", contig, ":", start, "-", end, " (corrupt FASTA or index?)");
  }
  std::string out(s, static_cast<size_t>(got));
  std::free(s);
  NormalizeSequenceInPlace(&out);
  return out;
}

}  // namespace prism
