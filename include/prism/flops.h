// prism/flops.h - counting the floating-point work of a training step, for model FLOP
// utilisation (MFU = achieved FLOP/s / measured GEMM peak). Conventions: 2 FLOPs per
// multiply-add; a training step costs 3x its forward pass (forward + backward to inputs and to
// weights); elementwise ops, norms and softmax are not counted (they are memory-bound and
// small next to the matrix products).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "prism/run_folder.h"

namespace prism {

/// 2*B*Cin*Cout*K*Lout: a stride-1 conv1d producing Lout positions.
double Conv1dForwardFlops(int64_t batch, int64_t in_channels, int64_t out_channels,
                          int64_t kernel, int64_t out_len);
/// 2*rows*in*out: a linear layer applied to `rows` vectors.
double LinearForwardFlops(int64_t rows, int64_t in_features, int64_t out_features);
/// 4*B*H*Lq*Lk*dh: scores (Q K^T) and weighted values (A V); projections are Linear layers.
double AttentionForwardFlops(int64_t batch, int64_t heads, int64_t q_len, int64_t k_len,
                             int64_t head_dim);
/// 2*V*D*K*C: building the fused embedding-convolution table (independent of the batch).
double FusedEmbedConvTableFlops(int64_t vocab, int64_t embed_dim, int64_t kernel,
                                int64_t channels);

/// Sums the forward FLOPs of a model's blocks by name.
class FlopCounter {
 public:
  /// Adds `flops` of forward work under `name` (repeated names accumulate).
  void Add(const std::string& name, double flops);
  /// Forward FLOPs of all blocks.
  double Forward() const;
  /// 3 x Forward(): forward + backward.
  double TrainingStep() const { return 3.0 * Forward(); }
  /// {"forward": F, "training_step": 3F, "blocks": {name: F_name, ...}}.
  Json ToJson() const;

 private:
  std::vector<std::pair<std::string, double>> blocks_;
};

/// Achieved FLOP/s divided by the peak (FLOP/s); NaN when seconds or peak are not positive.
double ModelFlopUtilisation(double flops, double seconds, double peak_flops_per_s);

}  // namespace prism
