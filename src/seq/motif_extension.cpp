// seq/motif_extension.cpp - seed extension: an over-represented k-mer grows into its motif by the
// conserved columns around its occurrences (prism/motif_extension.h).
#include "prism/motif_extension.h"

#include <algorithm>
#include <array>
#include <cmath>

#include "prism/error.h"
#include "prism/tokenizer.h"

namespace prism {

namespace {

double InformationContent(const std::array<double, 4>& n) {
  const double total = n[0] + n[1] + n[2] + n[3];
  double ic = 2.0;
  for (double c : n) {
    const double f = (c + 0.25) / (total + 1.0);
    ic += f * std::log2(f);
  }
  return ic;
}

// Mismatches of a[shift..] against b[0..] over their overlap; the overlap's length in *len.
int Mismatches(const std::string& a, const std::string& b, size_t shift, size_t* len) {
  *len = std::min(a.size() - shift, b.size());
  int mm = 0;
  for (size_t i = 0; i < *len; ++i) mm += a[shift + i] != b[i];
  return mm;
}

}  // namespace

ExtendedMotif ExtendKmer(const std::vector<std::string_view>& seqs, const std::string& kmer,
                         const MotifExtensionOptions& opt) {
  const int k = static_cast<int>(kmer.size());
  PRISM_CHECK(k >= 1 && k <= opt.max_length, "motif extension: the seed '", kmer,
              "' must have 1..", opt.max_length, " bases");
  for (char ch : kmer)
    PRISM_CHECK(ch == 'A' || ch == 'C' || ch == 'G' || ch == 'T', "motif extension: the seed '",
                kmer, "' has a byte other than A/C/G/T");
  PRISM_CHECK(opt.min_ic > 0 && opt.min_ic <= 2, "motif extension: min_ic must be in (0, 2] bits, got ",
              opt.min_ic);
  const int ext = opt.max_length - k;
  // counts[ext + j][b]: base b at column j of the seed's occurrences (j = -ext .. k + ext - 1).
  std::vector<std::array<double, 4>> counts(static_cast<size_t>(k + 2 * ext), {0, 0, 0, 0});
  ExtendedMotif out;
  out.seed = kmer;
  for (std::string_view s : seqs) {
    const int n = static_cast<int>(s.size());
    for (size_t pos = s.find(kmer); pos != std::string_view::npos; pos = s.find(kmer, pos + 1)) {
      ++out.occurrences;
      for (int j = -ext; j < k + ext; ++j) {
        const int at = static_cast<int>(pos) + j;
        const int b = at >= 0 && at < n ? BaseCode(s[static_cast<size_t>(at)]) : -1;
        if (b >= 0) counts[static_cast<size_t>(j + ext)][static_cast<size_t>(b)] += 1;
      }
    }
  }
  auto column = [&](int j) { return counts[static_cast<size_t>(j + ext)]; };
  int lo = 0, hi = k;  // the motif is columns [lo, hi) of the seed's frame
  if (out.occurrences >= opt.min_occurrences) {
    while (hi - lo < opt.max_length) {
      const double left = lo - 1 >= -ext ? InformationContent(column(lo - 1)) : -1.0;
      const double right = hi < k + ext ? InformationContent(column(hi)) : -1.0;
      if (std::max(left, right) < opt.min_ic) break;
      if (left >= right) --lo; else ++hi;
    }
  }
  static const char kBases[] = "ACGT";
  for (int j = lo; j < hi; ++j) {
    const auto c = column(j);
    if (j >= 0 && j < k) {
      out.consensus.push_back(kmer[static_cast<size_t>(j)]);
    } else {
      const auto best = std::max_element(c.begin(), c.end()) - c.begin();
      out.consensus.push_back(kBases[best]);
    }
    out.ic.push_back(InformationContent(c));
    out.column_counts.push_back(c);
  }
  out.seed_offset = -lo;
  return out;
}

bool SameMotif(const std::string& a, const std::string& b) {
  for (size_t shift = 0; shift < a.size(); ++shift) {
    size_t len = 0;
    if (Mismatches(a, b, shift, &len) <= 1 && len >= 6) return true;
  }
  for (size_t shift = 1; shift < b.size(); ++shift) {
    size_t len = 0;
    if (Mismatches(b, a, shift, &len) <= 1 && len >= 6) return true;
  }
  return false;
}

}  // namespace prism
