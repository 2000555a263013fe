#include "prism/domain_kl.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "prism/atomic_file.h"
#include "prism/csv.h"
#include "prism/error.h"

namespace prism {
namespace {

namespace fs = std::filesystem;

std::string SplitDir(const std::string& dir, const std::string& split) {
  return dir + "/" + split + "/ALL";
}

// Column (1-based) where field `idx` starts in the raw line, assuming unquoted fields.
int FieldColumn(const std::vector<std::string>& row, int idx) {
  size_t col = 1;
  for (int j = 0; j < idx; ++j) col += row[j].size() + 1;
  return static_cast<int>(col);
}

// Normalises a sequence in place; returns the 0-based offset of the first non-letter, or -1.
long NormaliseInPlace(std::string* s) {
  static const auto kTable = [] {
    std::array<char, 256> t{};
    for (int c = 0; c < 256; ++c) t[c] = 0;  // 0 = not a letter
    for (int c = 'A'; c <= 'Z'; ++c) t[c] = 'N';
    for (int c = 'a'; c <= 'z'; ++c) t[c] = 'N';
    t['A'] = t['a'] = 'A';
    t['C'] = t['c'] = 'C';
    t['G'] = t['g'] = 'G';
    t['T'] = t['t'] = 'T';
    return t;
  }();
  char* p = s->data();
  const size_t n = s->size();
  for (size_t i = 0; i < n; ++i) {
    char m = kTable[static_cast<unsigned char>(p[i])];
    if (m == 0) return static_cast<long>(i);
    p[i] = m;
  }
  return -1;
}

std::string Quote(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string FormatDistance(double d) {
  if (std::isnan(d)) return "";
  char buf[64];
  if (d == std::floor(d) && std::fabs(d) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", d);
  else
    std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}

void WriteSequences(const std::string& path,
                    const std::unordered_map<std::string, std::string>& seqs) {
  std::vector<const std::pair<const std::string, std::string>*> items;
  items.reserve(seqs.size());
  for (const auto& kv : seqs) items.push_back(&kv);
  std::sort(items.begin(), items.end(),
            [](const auto* a, const auto* b) { return a->first < b->first; });
  AtomicFile out(path);
  out << "region,sequence\n";
  for (const auto* kv : items) out << Quote(kv->first) << ',' << kv->second << '\n';
  out.Commit();
}

}  // namespace

void ReadSequenceFile(const std::string& path,
                      std::unordered_map<std::string, std::string>* out) {
  CsvReader csv(path);
  const int name_col = csv.Require("region");
  const int seq_col = csv.Require("sequence");
  while (csv.Next()) {
    const std::string& name = csv.field(name_col);
    if (name.empty()) csv.Fail("column 'region': empty region name", FieldColumn(csv.row(), name_col));
    std::string seq = csv.field(seq_col);
    long bad = NormaliseInPlace(&seq);
    if (bad >= 0) {
      char c = seq[bad];
      std::ostringstream msg;
      msg << "sequence of '" << name << "': invalid character '";
      if (c >= 32 && c < 127)
        msg << c;
      else
        msg << "\\x" << std::hex << (static_cast<unsigned>(static_cast<unsigned char>(c)));
      msg << "' at position " << std::dec << (bad + 1) << " (expected a nucleotide letter)";
      csv.Fail(msg.str(), FieldColumn(csv.row(), seq_col) + static_cast<int>(bad));
    }
    if (seq.empty()) csv.Fail("sequence of '" + name + "' is empty", FieldColumn(csv.row(), seq_col));
    auto it = out->find(name);
    if (it != out->end()) {
      if (it->second != seq)
        csv.Fail("region '" + name + "' is listed twice with different sequences");
      continue;
    }
    out->emplace(name, std::move(seq));
  }
}

SequenceSplit ReadDomainKlSplit(const std::string& dir, const std::string& split) {
  const std::string base = SplitDir(dir, split);
  const std::string pairs_path = base + "/" + kPairsFile;
  const std::string e_path = base + "/" + kEnhancerSeqFile;
  const std::string p_path = base + "/" + kPromoterSeqFile;
  for (const auto& p : {pairs_path, e_path, p_path})
    if (!fs::exists(p)) Fatal(p, ": missing file (domain-kl layout: ", base, "/{", kPairsFile,
                              ",", kEnhancerSeqFile, ",", kPromoterSeqFile, "})");
  SequenceSplit out;
  ReadSequenceFile(e_path, &out.seqs.enhancers);
  ReadSequenceFile(p_path, &out.seqs.promoters);

  CsvReader csv(pairs_path);
  const int e_col = csv.Require("enhancer_name");
  const int p_col = csv.Require("promoter_name");
  // Only test pairs may come without labels (no column, or empty fields): they are scored,
  // not evaluated. Training and validation need every label.
  const bool may_be_unlabeled = split == "test";
  const int label_col = may_be_unlabeled ? csv.Find("label") : csv.Require("label");
  const int cell_col = csv.Require("cell_line");
  int dist_col = csv.Find("distance");
  if (dist_col < 0) dist_col = csv.Find("enhancer_distance_to_promoter");
  int chrom_col = csv.Find("chrom");
  if (chrom_col < 0) chrom_col = csv.Find("enhancer_chrom");
  while (csv.Next()) {
    Pair p;
    p.enhancer = csv.field(e_col);
    p.promoter = csv.field(p_col);
    if (label_col < 0 || (may_be_unlabeled && csv.field(label_col).empty()))
      p.label = kUnlabeled;
    else if (csv.field(label_col).empty())
      csv.Fail("column 'label': empty (only the test split may have unlabeled pairs)",
               FieldColumn(csv.row(), label_col));
    else
      p.label = csv.Label(label_col);
    p.cell_line = csv.field(cell_col);
    if (p.cell_line.empty()) csv.Fail("column 'cell_line': empty cell line", FieldColumn(csv.row(), cell_col));
    if (!out.seqs.enhancers.count(p.enhancer))
      csv.Fail("enhancer '" + p.enhancer + "' has no sequence in " + e_path,
               FieldColumn(csv.row(), e_col));
    if (!out.seqs.promoters.count(p.promoter))
      csv.Fail("promoter '" + p.promoter + "' has no sequence in " + p_path,
               FieldColumn(csv.row(), p_col));
    if (dist_col >= 0) {
      const std::string& d = csv.field(dist_col);
      if (!d.empty() && d != "NA" && d != "nan" && d != "NaN") p.distance = csv.Double(dist_col);
    }
    if (chrom_col >= 0) p.chrom = csv.field(chrom_col);
    out.pairs.push_back(std::move(p));
  }
  if (out.pairs.empty()) throw InputError(pairs_path, 1, 0, "no pairs: expected at least one data row");
  return out;
}

DomainKlData ReadDomainKl(const std::string& dir) {
  if (!fs::is_directory(dir)) Fatal(dir, ": not a directory (expected the domain-kl layout)");
  DomainKlData data;
  data.train = ReadDomainKlSplit(dir, "train");
  data.has_val = fs::exists(SplitDir(dir, "val") + "/" + kPairsFile);
  if (data.has_val) data.val = ReadDomainKlSplit(dir, "val");
  data.test = ReadDomainKlSplit(dir, "test");
  return data;
}

void WriteDomainKlSplit(const std::string& dir, const std::string& split,
                        const SequenceSplit& data) {
  const std::string base = SplitDir(dir, split);
  MakeDirs(base);
  bool has_dist = false, has_chrom = false;
  for (const Pair& p : data.pairs) {
    has_dist |= !std::isnan(p.distance);
    has_chrom |= !p.chrom.empty();
  }
  AtomicFile out(base + "/" + kPairsFile);
  out << "enhancer_name,promoter_name,label,cell_line";
  if (has_dist) out << ",distance";
  if (has_chrom) out << ",chrom";
  out << '\n';
  for (const Pair& p : data.pairs) {
    out << Quote(p.enhancer) << ',' << Quote(p.promoter) << ',';
    if (p.label != kUnlabeled) out << p.label;
    out << ',' << Quote(p.cell_line);
    if (has_dist) out << ',' << FormatDistance(p.distance);
    if (has_chrom) out << ',' << Quote(p.chrom);
    out << '\n';
  }
  WriteSequences(base + "/" + kEnhancerSeqFile, data.seqs.enhancers);
  WriteSequences(base + "/" + kPromoterSeqFile, data.seqs.promoters);
  out.Commit();
}

void WriteDomainKl(const std::string& dir, const DomainKlData& data) {
  WriteDomainKlSplit(dir, "train", data.train);
  if (data.has_val) WriteDomainKlSplit(dir, "val", data.val);
  WriteDomainKlSplit(dir, "test", data.test);
}

}  // namespace prism
