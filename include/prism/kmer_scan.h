// prism/kmer_scan.h - rolling 2-bit k-mer scanning (shared by k-mer enrichment and the audit's
// cell-specific k-mers).
//
// Bases are coded by BaseCode (prism/tokenizer.h): A=0, C=1, G=2, T=3, the first base of a
// window in the highest bits; any other byte breaks windows. k <= 16 fits a 32-bit code.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "prism/tokenizer.h"

namespace prism {

/// Walks the A/C/G/T bases of `s`: on_base(prev, b) for every base (prev = -1 at the start and
/// after a break), on_window(code) for every k-window of A/C/G/T bases.
template <class OnBase, class OnWindow>
void ScanKmers(std::string_view s, int k, OnBase&& on_base, OnWindow&& on_window) {
  const uint32_t mask = k >= 16 ? ~uint32_t{0} : (uint32_t{1} << (2 * k)) - 1;
  uint32_t code = 0;
  int run = 0, prev = -1;
  for (char ch : s) {
    const int b = BaseCode(ch);
    if (b < 0) {
      run = 0;
      prev = -1;
      continue;
    }
    on_base(prev, b);
    prev = b;
    code = ((code << 2) | static_cast<uint32_t>(b)) & mask;
    if (++run >= k) on_window(code);
  }
}

/// Like ScanKmers, but on_window(canonical) receives the smaller of the window's code and the
/// code of its reverse complement: a k-mer and its reverse complement are one (both strands).
template <class OnWindow>
void ScanCanonicalKmers(std::string_view s, int k, OnWindow&& on_window) {
  const uint32_t mask = k >= 16 ? ~uint32_t{0} : (uint32_t{1} << (2 * k)) - 1;
  const int top = 2 * (k - 1);
  uint32_t fwd = 0, rev = 0;
  int run = 0;
  for (char ch : s) {
    const int b = BaseCode(ch);
    if (b < 0) {
      run = 0;
      continue;
    }
    fwd = ((fwd << 2) | static_cast<uint32_t>(b)) & mask;
    rev = (rev >> 2) | (static_cast<uint32_t>(3 - b) << top);
    if (++run >= k) on_window(fwd < rev ? fwd : rev);
  }
}

/// The k bases of a 2-bit code.
inline std::string DecodeKmer(uint32_t code, int k) {
  static const char kBases[] = "ACGT";
  std::string s(static_cast<size_t>(k), 'A');
  for (int i = k - 1; i >= 0; --i, code >>= 2) s[static_cast<size_t>(i)] = kBases[code & 3];
  return s;
}

/// The reverse complement of a sequence (A<->T, C<->G; any other byte becomes N).
inline std::string ReverseComplementBases(std::string_view s) {
  std::string r(s.rbegin(), s.rend());
  for (char& c : r) c = c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : c == 'T' ? 'A' : 'N';
  return r;
}

/// The reverse complement of a k-mer's 2-bit code.
inline uint32_t ReverseComplementCode(uint32_t code, int k) {
  uint32_t out = 0;
  for (int i = 0; i < k; ++i, code >>= 2) out = (out << 2) | (3 - (code & 3));
  return out;
}

}  // namespace prism
