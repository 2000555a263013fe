// model/fused_embed_conv.h - token embedding followed by a 1-D convolution, computed either
// plainly (embedding lookup + conv1d) or fused through a per-step table.
//
// Both layers are linear, so conv1d(embed(x))[b, :, t] = bias + sum_k T[x[b, t+k], k, :] with
// T[v, k, c] = sum_d W[c, d, k] * E[v, d]: one [V x D] x [D x K*C] GEMM per forward builds T,
// after which each output position is a gather-and-add of K rows. The backward is exact:
//   grad_T[v, k, :] = sum over (b, t) with x[b, t+k] = v of grad_out[b, :, t]   (scatter-add)
//   grad_W[c, d, k] = sum_v grad_T[v, k, c] * E[v, d]                         (one GEMM)
//   grad_E[v, d]    = sum_k sum_c grad_T[v, k, c] * W[c, d, k]                (one GEMM)
// and the padding row's gradient is zeroed as nn::Embedding(padding_idx) does. The table costs
// 2*V*D*K*C FLOPs per forward (and twice that backward) whatever the batch, while the plain
// convolution costs 2*B*(L-K+1)*C*D*K: fused wins once B*(L-K+1) is a few times V.
#pragma once

#include <torch/torch.h>

namespace prism {

/// Fused embedding + conv1d (no padding, stride 1): tokens [B, L] int64 in [0, V), embedding
/// [V, D], weight [C, D, K], bias [C] (or undefined) -> [B, C, L-K+1]. Differentiable w.r.t.
/// embedding, weight and bias (custom autograd function, exact backward). `padding_idx` (or -1
/// for none) gets a zero embedding gradient. Throws prism::Error on bad shapes or tokens.
torch::Tensor FusedEmbedConv1d(const torch::Tensor& tokens, const torch::Tensor& embedding,
                               const torch::Tensor& weight, const torch::Tensor& bias,
                               int64_t padding_idx = 0);

/// The same computation done plainly: embedding(padding_idx) -> transpose -> conv1d.
torch::Tensor PlainEmbedConv1d(const torch::Tensor& tokens, const torch::Tensor& embedding,
                               const torch::Tensor& weight, const torch::Tensor& bias,
                               int64_t padding_idx = 0);

/// Options of FusedEmbedConv (defaults: the `paper` preset's first two layers).
struct FusedEmbedConvOptions {
  FusedEmbedConvOptions(int64_t vocab_size, int64_t embed_dim, int64_t channels,
                        int64_t kernel_size)
      : vocab_size_(vocab_size), embed_dim_(embed_dim), channels_(channels),
        kernel_size_(kernel_size) {}
  /// Number of token ids (4^6 6-mers + PAD = 4097).
  TORCH_ARG(int64_t, vocab_size);
  /// Embedding width D.
  TORCH_ARG(int64_t, embed_dim);
  /// Convolution output channels C.
  TORCH_ARG(int64_t, channels);
  /// Convolution kernel size K.
  TORCH_ARG(int64_t, kernel_size);
  /// Token id of padding (zero embedding row, no gradient); -1 for none.
  TORCH_ARG(int64_t, padding_idx) = 0;
  /// true: gather-and-add through the table; false: plain embedding + conv1d. Same parameters.
  TORCH_ARG(bool, fused) = true;
};

/// Embedding followed by conv1d, with the parameters of nn::Embedding ("embed.weight") and
/// nn::Conv1d ("conv.weight", "conv.bias"), so checkpoints are the same for both paths.
class FusedEmbedConvImpl : public torch::nn::Cloneable<FusedEmbedConvImpl> {
 public:
  explicit FusedEmbedConvImpl(const FusedEmbedConvOptions& options);
  void reset() override;
  /// tokens [B, L] int64 -> [B, C, L-K+1].
  torch::Tensor forward(const torch::Tensor& tokens);
  void pretty_print(std::ostream& stream) const override;
  /// Switches between the fused and the plain path (parameters unchanged).
  void set_fused(bool fused) { options.fused(fused); }

  FusedEmbedConvOptions options;
  torch::nn::Embedding embed{nullptr};
  torch::nn::Conv1d conv{nullptr};
};
TORCH_MODULE(FusedEmbedConv);

}  // namespace prism
