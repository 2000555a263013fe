// Canonical k-mer frequencies (a k-mer and its reverse complement as one feature) for the
// kmer_logreg baseline.
#include <map>
#include <mutex>

#include "baseline/baseline_internal.h"
#include "prism/error.h"
#include "prism/kmer_scan.h"

namespace prism::baseline {
namespace {

int BaseCode(char c) {
  switch (c) {
    case 'A': case 'a': return 0;
    case 'C': case 'c': return 1;
    case 'G': case 'g': return 2;
    case 'T': case 't': return 3;
    default: return -1;
  }
}

void CheckK(int k) {
  if (k < 1 || k > 8) Fatal("kmer_logreg: k must be in 1..8, got ", k);
}

uint32_t ReverseComplement(uint32_t code, int k) {
  uint32_t rc = 0;
  for (int i = 0; i < k; ++i) {
    rc = (rc << 2) | (3u - (code & 3u));
    code >>= 2;
  }
  return rc;
}

/// code (base-4, first base most significant) -> canonical index, one table per k.
const std::vector<int>& CanonicalTable(int k) {
  static std::mutex mu;
  static std::map<int, std::vector<int>> tables;
  std::lock_guard<std::mutex> lock(mu);
  auto it = tables.find(k);
  if (it != tables.end()) return it->second;
  const uint32_t n = 1u << (2 * k);
  std::vector<int> table(n, -1);
  int next = 0;
  for (uint32_t c = 0; c < n; ++c) {
    const uint32_t rc = ReverseComplement(c, k);
    if (rc < c) {
      table[c] = table[rc];  // its complement came first
    } else {
      table[c] = next++;
    }
  }
  return tables.emplace(k, std::move(table)).first->second;
}

}  // namespace

int NumCanonicalKmers(int k) {
  CheckK(k);
  const int all = 1 << (2 * k);
  return k % 2 == 0 ? (all + (1 << k)) / 2 : all / 2;
}

int CanonicalKmerIndex(const std::string& kmer) {
  const int k = static_cast<int>(kmer.size());
  CheckK(k);
  uint32_t code = 0;
  for (char c : kmer) {
    const int b = BaseCode(c);
    if (b < 0) Fatal("kmer_logreg: k-mer '", kmer, "' has a base other than A, C, G, T");
    code = (code << 2) | static_cast<uint32_t>(b);
  }
  return CanonicalTable(k)[code];
}

std::vector<double> CanonicalKmerFrequencies(const std::string& seq, int k) {
  const std::vector<int>& table = CanonicalTable(k);
  std::vector<double> freq(static_cast<size_t>(NumCanonicalKmers(k)), 0.0);
  double total = 0;
  ScanKmers(seq, k, [](int, int) {}, [&](uint32_t code) {
    freq[static_cast<size_t>(table[code])] += 1;
    total += 1;
  });
  if (total > 0)
    for (double& f : freq) f /= total;
  return freq;
}

SparseRows DenseRows(const std::vector<std::vector<double>>& rows, int cols) {
  SparseRows x;
  x.cols = cols;
  x.index.reserve(rows.size() * static_cast<size_t>(cols));
  x.value.reserve(rows.size() * static_cast<size_t>(cols));
  for (const auto& row : rows) {
    PRISM_CHECK_EQ(row.size(), static_cast<size_t>(cols));
    for (int j = 0; j < cols; ++j) {
      x.index.push_back(j);
      x.value.push_back(row[static_cast<size_t>(j)]);
    }
    x.offsets.push_back(x.index.size());
  }
  return x;
}

}  // namespace prism::baseline
