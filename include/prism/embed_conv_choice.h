// prism/embed_conv_choice.h - which path computes the sequence encoder's first two layers
// (6-mer embedding, then the convolution): the plain one (embedding lookup + oneDNN conv1d) or
// the fused table (model/fused_embed_conv.h). Both compute the same function with the same
// parameters for every shape the model uses (stride 1, the sequence end padded with PAD tokens
// whose embedding is zero), so the choice is one of speed and memory only.
//
// `model.fused_embed_conv = "auto"` (the default) resolves here, from the model's shape and
// the work of one step: `batch` pairs whose two streams have `lengths` token positions each.
// Estimated cost, in GEMM-FLOP equivalents (one FLOP of a large BLAS GEMM = 1), per stream of
// L token positions (B*L output positions of the convolution):
//   plain = B*L * (kPlainConvWeight * 2*D*C*K + kPlainPerPosition)              x3 when training
//   fused = 2*V*K*C * (D + kTablePerEntry)   (the table GEMM and its writes)     x3 when training
//         + B*L * kGatherWeight * K*C        (the gathered adds)                 x2 when training
// and the fused path is chosen when its cost is lower. The constants are fitted to
// bench/embed_conv_bench (BM_EmbedConvSmall: the tiny and default shapes, batch 1-256, 295 and
// 495 tokens, training step and scoring forward; BM_EmbedConvStep: the paper shape): the rule
// picks the path that was measured faster at every shape where the two differ by more than
// 25 %, and predicts the speed-up within a factor 2 (experiments/fused-embed-conv.md). In words:
// oneDNN's direct convolution runs at about half the GEMM rate plus a fixed cost per position
// (the lookup and the transposed, padded copy of the embeddings); the table is a short GEMM
// (inner size D) whose V*K*C outputs cost about as much as 12 more multiply-adds each; a
// gathered add (a read of a table row) costs about 80 GEMM FLOPs. Fused pays off once B*L is a
// few times V at the small presets, at every batch at the `paper` preset.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "prism/run_folder.h"

namespace prism {

/// Cost of a FLOP of the plain convolution, in GEMM FLOPs.
inline constexpr double kPlainConvWeight = 2.0;
/// Fixed cost of the plain path per output position (lookup, transpose, padded copy).
inline constexpr double kPlainPerPosition = 4000.0;
/// Extra cost per entry of the fused table, in multiply-adds (a short GEMM writes a lot).
inline constexpr double kTablePerEntry = 12.0;
/// Cost of one gathered (or scattered) add of the fused path, in GEMM FLOPs.
inline constexpr double kGatherWeight = 80.0;

/// The first two layers: vocabulary V (4^6 6-mers + PAD), embedding width D, C filters of K.
struct EmbedConvShape {
  int64_t vocab = 4097, embed_dim = 0, channels = 0, kernel = 0;
};

/// The resolved choice and the estimate behind it (run.json `embed_conv`, the training log).
struct EmbedConvChoice {
  std::string setting;           ///< the config value: "auto", "true" or "false"
  bool fused = false;            ///< the path the model runs
  bool training = true;          ///< estimated for a training step (else a scoring forward)
  int64_t batch = 0;
  std::vector<int64_t> lengths;  ///< token positions per stream
  double plain_cost = 0, fused_cost = 0;  ///< GEMM-FLOP equivalents per step, both streams
  Json ToJson() const;
  /// "fused (auto: estimated 0.12 vs 3.4 GFLOP-eq per training step of 64 x 395/395 tokens)".
  std::string ToString() const;
};

/// The names model.fused_embed_conv accepts ("true"/"false" are also TOML booleans).
std::vector<std::string> EmbedConvSettings();

/// Estimated costs of both paths for `batch` pairs of `lengths` tokens per stream.
double PlainEmbedConvCost(const EmbedConvShape& s, int64_t batch,
                          const std::vector<int64_t>& lengths, bool training);
double FusedEmbedConvCost(const EmbedConvShape& s, int64_t batch,
                          const std::vector<int64_t>& lengths, bool training);

/// Resolves `setting` ("true" / "false": that path; "auto": the cheaper estimate, the plain
/// path on a tie). prism::Error on another setting or a non-positive size.
EmbedConvChoice ChooseEmbedConv(const std::string& setting, const EmbedConvShape& shape,
                                int64_t batch, const std::vector<int64_t>& lengths,
                                bool training);

}  // namespace prism
