#include "prism/tokenizer.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <thread>

#include "prism/compute_threads.h"
#include "prism/error.h"

namespace prism {
namespace {

// Per byte: bits 0-1 = 2-bit base code (A=0, C=1, G=2, T=3), bit 2 = "not ACGT".
constexpr std::array<uint8_t, 256> MakeCodeTable() {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = 4;
  t['A'] = t['a'] = 0;
  t['C'] = t['c'] = 1;
  t['G'] = t['g'] = 2;
  t['T'] = t['t'] = 3;
  return t;
}
constexpr std::array<uint8_t, 256> kCode = MakeCodeTable();

constexpr std::array<char, 256> MakeNormTable() {
  std::array<char, 256> t{};
  for (int c = 0; c < 256; ++c) t[c] = 'N';
  t['A'] = t['a'] = 'A';
  t['C'] = t['c'] = 'C';
  t['G'] = t['g'] = 'G';
  t['T'] = t['t'] = 'T';
  return t;
}
constexpr std::array<char, 256> kNorm = MakeNormTable();

constexpr uint32_t kCodeMask = (1u << (2 * kKmer)) - 1;  // 12 bits
constexpr uint32_t kBadMask = (1u << kKmer) - 1;         // 6 bits

// One pass: a rolling 2-bit code of the last k bases and a k-bit window of "unknown" flags.
// The output is written branch-free: id = code + 1 when no unknown base is in the window.
template <typename T>
void TokenizeImpl(const char* s, size_t n, T* out) {
  if (n < static_cast<size_t>(kKmer)) return;
  const uint8_t* p = reinterpret_cast<const uint8_t*>(s);
  uint32_t code = 0, bad = 0;
  for (int i = 0; i < kKmer - 1; ++i) {
    uint32_t b = kCode[p[i]];
    code = (code << 2) | (b & 3);
    bad = (bad << 1) | (b >> 2);
  }
  const size_t m = n - kKmer + 1;
  p += kKmer - 1;
  for (size_t i = 0; i < m; ++i) {
    uint32_t b = kCode[p[i]];
    code = ((code << 2) | (b & 3)) & kCodeMask;
    bad = ((bad << 1) | (b >> 2)) & kBadMask;
    out[i] = static_cast<T>((code + 1) & (0u - static_cast<uint32_t>(bad == 0)));
  }
}

// Runs fn(begin, end) over [0, n) split into contiguous chunks, one per thread.
template <typename Fn>
void ParallelRanges(size_t n, int threads, size_t min_per_thread, Fn fn) {
  size_t t = std::max<size_t>(1, std::min<size_t>(threads, (n + min_per_thread - 1) / min_per_thread));
  if (t <= 1) {
    fn(size_t{0}, n);
    return;
  }
  std::vector<std::thread> workers;
  workers.reserve(t - 1);
  const size_t chunk = (n + t - 1) / t;
  for (size_t w = 1; w < t; ++w) {
    size_t a = std::min(n, w * chunk), b = std::min(n, (w + 1) * chunk);
    workers.emplace_back([=] { fn(a, b); });
  }
  fn(size_t{0}, std::min(n, chunk));
  for (auto& th : workers) th.join();
}

}  // namespace

std::string NormalizeSequence(std::string_view seq) {
  std::string out(seq.size(), 'N');
  for (size_t i = 0; i < seq.size(); ++i) out[i] = kNorm[static_cast<uint8_t>(seq[i])];
  return out;
}

void NormalizeSequenceInPlace(std::string* seq) {
  for (char& c : *seq) c = kNorm[static_cast<uint8_t>(c)];
}

std::string_view CenterCrop(std::string_view seq, size_t max_len) {
  if (max_len == 0 || seq.size() <= max_len) return seq;
  return seq.substr((seq.size() - max_len) / 2, max_len);
}

void TokenizeInto(std::string_view seq, int32_t* out) { TokenizeImpl(seq.data(), seq.size(), out); }
void TokenizeInto(std::string_view seq, uint16_t* out) { TokenizeImpl(seq.data(), seq.size(), out); }

std::vector<int32_t> Tokenize(std::string_view seq) {
  std::vector<int32_t> out(NumTokens(seq.size()));
  TokenizeInto(seq, out.data());
  return out;
}

std::string Detokenize(const std::vector<int32_t>& tokens) {
  static const char kBases[] = "ACGT";
  std::string s;
  if (tokens.empty()) return s;
  s.reserve(NumBases(tokens.size()));
  auto base = [](int32_t token, int pos) {  // pos 0 = first base of the k-mer
    return kBases[((token - 1) >> (2 * (kKmer - 1 - pos))) & 3];
  };
  for (int32_t t : tokens) s.push_back(t == kPadToken ? 'N' : base(t, 0));
  const int32_t last = tokens.back();
  for (int pos = 1; pos < kKmer; ++pos) s.push_back(last == kPadToken ? 'N' : base(last, pos));
  return s;
}

TokenBatch TokenizeBatch(const std::vector<std::string_view>& seqs, const TokenizeOptions& options) {
  TokenBatch batch;
  batch.rows = seqs.size();
  batch.lengths.resize(seqs.size());
  size_t longest = 0;
  for (size_t i = 0; i < seqs.size(); ++i) {
    size_t n = NumTokens(CenterCrop(seqs[i], options.max_len).size());
    batch.lengths[i] = static_cast<int32_t>(n);
    longest = std::max(longest, n);
  }
  batch.cols = options.pad_to ? options.pad_to : longest;
  if (longest > batch.cols)
    Fatal("TokenizeBatch: a sequence has ", longest, " tokens but pad_to is ", batch.cols,
          " (crop with max_len first)");
  batch.ids.resize(batch.rows * batch.cols);
  const size_t cols = batch.cols;
  ParallelRanges(seqs.size(), ResolveThreads(options.threads), 8, [&](size_t a, size_t b) {
    for (size_t i = a; i < b; ++i) {
      int32_t* row = batch.ids.data() + i * cols;
      const size_t n = static_cast<size_t>(batch.lengths[i]);
      TokenizeInto(CenterCrop(seqs[i], options.max_len), row);
      std::fill(row + n, row + cols, kPadToken);
    }
  });
  return batch;
}

void OneHotInto(std::string_view seq, size_t len, float* out) {
  std::fill(out, out + 4 * len, 0.0f);
  const size_t n = std::min(len, seq.size());
  for (size_t i = 0; i < n; ++i) {
    uint8_t b = kCode[static_cast<uint8_t>(seq[i])];
    if (b < 4) out[b * len + i] = 1.0f;
  }
}

std::vector<float> OneHot(std::string_view seq, size_t len) {
  if (len == 0) len = seq.size();
  std::vector<float> out(4 * len);
  OneHotInto(seq, len, out.data());
  return out;
}

}  // namespace prism
