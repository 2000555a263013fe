// prism/tokenizer.h - sequence normalisation, centre cropping, 6-mer tokens and one-hot.
//
// Token ids: overlapping k-mers (k = 6), id = 1 + base-4 code with A=0, C=1, G=2, T=3 and the
// first base most significant ("AAAAAA" -> 1, "TTTTTT" -> 4096); 0 is PAD and any k-mer that
// touches an N (or any byte other than A/C/G/T in either case). A sequence of L bases gives
// max(0, L - k + 1) tokens. Tokenisation is one pass over the bytes with a rolling 2-bit code
// and a 256-entry lookup table.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace prism {

inline constexpr int kKmer = 6;                   ///< k of the k-mer tokens
inline constexpr int32_t kPadToken = 0;           ///< PAD and unknown k-mers
inline constexpr int32_t kVocabSize = 4097;       ///< ids 0..4096
inline constexpr size_t kDefaultMaxEnhancer = 3000;  ///< enhancer crop in bp
inline constexpr size_t kDefaultMaxPromoter = 4000;  ///< promoter crop in bp

/// The 2-bit code of a base: A=0, C=1, G=2, T=3 (either case); -1 for any other byte.
constexpr int BaseCode(char ch) {
  switch (ch) {
    case 'A': case 'a': return 0;
    case 'C': case 'c': return 1;
    case 'G': case 'g': return 2;
    case 'T': case 't': return 3;
    default: return -1;
  }
}

/// Uppercases; A/C/G/T kept, every other byte becomes 'N'.
std::string NormalizeSequence(std::string_view seq);
/// In-place variant of NormalizeSequence.
void NormalizeSequenceInPlace(std::string* seq);

/// The centred window of at most `max_len` bases: start = (L - max_len) / 2 (rounded down).
/// max_len == 0 means no crop.
std::string_view CenterCrop(std::string_view seq, size_t max_len);

/// Number of tokens of a sequence of `len` bases.
inline size_t NumTokens(size_t len) { return len >= static_cast<size_t>(kKmer) ? len - kKmer + 1 : 0; }
/// Number of bases `tokens` k-mer tokens cover (the length of their Detokenize; 0 for none).
inline size_t NumBases(size_t tokens) { return tokens > 0 ? tokens + kKmer - 1 : 0; }

/// Writes NumTokens(seq.size()) ids to `out`.
void TokenizeInto(std::string_view seq, int32_t* out);
/// Same, 16-bit ids (the token cache's storage type).
void TokenizeInto(std::string_view seq, uint16_t* out);
/// Token ids of one sequence (no crop).
std::vector<int32_t> Tokenize(std::string_view seq);

/// The bases behind a token row (the inverse of Tokenize): base i from token i, the last
/// k - 1 bases from the last token. Where a PAD token stands, the base is unknown and written
/// as 'N' (a PAD token means some base of its k-mer was not A/C/G/T). Empty for no tokens.
std::string Detokenize(const std::vector<int32_t>& tokens);

/// Options of TokenizeBatch.
struct TokenizeOptions {
  size_t max_len = 0;  ///< centre-crop each sequence to this many bp first (0 = no crop)
  size_t pad_to = 0;   ///< columns of the matrix (tokens); 0 = the longest row of the batch.
                       ///< Rows longer than pad_to are an error (crop first).
  int threads = 0;     ///< worker threads; 0 = std::thread::hardware_concurrency()
};

/// A padded batch of token rows.
struct TokenBatch {
  std::vector<int32_t> ids;      ///< row-major rows x cols, padded with kPadToken
  std::vector<int32_t> lengths;  ///< tokens per row before padding
  size_t rows = 0, cols = 0;
  const int32_t* row(size_t i) const { return ids.data() + i * cols; }
};

/// Tokenises a batch of sequences in parallel (sequences split across threads). The output is
/// identical for every thread count.
TokenBatch TokenizeBatch(const std::vector<std::string_view>& seqs,
                         const TokenizeOptions& options = {});

/// One-hot encoding, 4 x L row-major (rows A, C, G, T); N (any other byte) is a zero column.
/// `len` > seq.size() pads with zero columns; 0 = seq.size().
std::vector<float> OneHot(std::string_view seq, size_t len = 0);
/// Writes the 4 x len one-hot matrix to `out` (must hold 4 * len floats).
void OneHotInto(std::string_view seq, size_t len, float* out);

}  // namespace prism
