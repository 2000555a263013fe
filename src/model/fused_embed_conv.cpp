#include "model/fused_embed_conv.h"

#include <ATen/Parallel.h>

#include <algorithm>

#include "prism/error.h"

namespace prism {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// [C, D, K] -> [D, K*C] so that E [V, D] x W2 = T [V, K, C] (row-major).
torch::Tensor WeightAsMatrix(const torch::Tensor& weight) {
  const int64_t c = weight.size(0), d = weight.size(1), k = weight.size(2);
  return weight.permute({1, 2, 0}).reshape({d, k * c});
}

// Output positions per parallel work item of GatherAdd (a [kTile, C] block of the output stays
// in L1/L2 while the table rows stream through).
constexpr int64_t kTile = 256;

// out[b, t, :] = bias + sum_k table[x[b, t+k], k, :]; out is [B, Lout, C].
// Walked by source position s = t + k: the K rows table[x[b, s], 0..K-1, :] are one contiguous
// block of K*C values, read sequentially (prefetch-friendly) instead of K scattered rows per
// output. For each output row the terms still arrive in the order k = 0, 1, ..., K-1 after the
// bias, so the result is bitwise that of the per-output loop.
template <typename T>
void GatherAdd(const int64_t* x, int64_t batch, int64_t len, int64_t k_size, int64_t channels,
               const T* table, const T* bias, T* out) {
  const int64_t lout = len - k_size + 1;
  const int64_t tiles = (lout + kTile - 1) / kTile;
  at::parallel_for(0, batch * tiles, 1, [&](int64_t begin, int64_t end) {
    for (int64_t n = begin; n < end; ++n) {
      const int64_t b = n / tiles, t0 = (n % tiles) * kTile;
      const int64_t t1 = std::min(t0 + kTile, lout);
      T* __restrict out_b = out + b * lout * channels;
      for (int64_t t = t0; t < t1; ++t) {
        T* __restrict row = out_b + t * channels;
        for (int64_t c = 0; c < channels; ++c) row[c] = bias ? bias[c] : T(0);
      }
      const int64_t* xb = x + b * len;
      for (int64_t s = t0; s < t1 + k_size - 1; ++s) {
        const T* __restrict block = table + xb[s] * k_size * channels;
        // Outputs t = s - k inside [t0, t1).
        const int64_t k_lo = std::max<int64_t>(0, s - (t1 - 1));
        const int64_t k_hi = std::min<int64_t>(k_size - 1, s - t0);
        for (int64_t k = k_lo; k <= k_hi; ++k) {
          T* __restrict row = out_b + (s - k) * channels;
          const T* __restrict src = block + k * channels;
          for (int64_t c = 0; c < channels; ++c) row[c] += src[c];
        }
      }
    }
  });
}

// grad_table[x[b, t+k], k, :] += g[b, t, :]; each thread owns a range of k (no races).
// Walked by source position s = t + k, so each thread updates one contiguous stretch
// grad_table[x[b, s], k_begin..k_end-1, :] per position. Each (v, k) entry still receives its
// terms in the order (b, t) ascending, so the result is bitwise that of the per-k loop.
template <typename T>
void ScatterAdd(const int64_t* x, int64_t batch, int64_t len, int64_t k_size, int64_t channels,
                const T* g, T* grad_table) {
  const int64_t lout = len - k_size + 1;
  at::parallel_for(0, k_size, 1, [&](int64_t k_begin, int64_t k_end) {
    for (int64_t b = 0; b < batch; ++b) {
      const int64_t* xb = x + b * len;
      const T* gb = g + b * lout * channels;
      for (int64_t s = k_begin; s < len; ++s) {
        T* __restrict block = grad_table + xb[s] * k_size * channels;
        // t = s - k inside [0, lout).
        const int64_t k_lo = std::max<int64_t>(k_begin, s - (lout - 1));
        const int64_t k_hi = std::min<int64_t>(k_end - 1, s);
        for (int64_t k = k_lo; k <= k_hi; ++k) {
          T* __restrict dst = block + k * channels;
          const T* __restrict src = gb + (s - k) * channels;
          for (int64_t c = 0; c < channels; ++c) dst[c] += src[c];
        }
      }
    }
  });
}

void CheckArgs(const torch::Tensor& tokens, const torch::Tensor& embedding,
               const torch::Tensor& weight, const torch::Tensor& bias) {
  if (tokens.dim() != 2 || tokens.scalar_type() != torch::kLong)
    Fatal("fused embed-conv: tokens must be a [B, L] int64 tensor, got ", tokens.sizes(), " ",
          tokens.scalar_type());
  if (embedding.dim() != 2) Fatal("fused embed-conv: embedding must be [V, D], got ",
                                  embedding.sizes());
  if (weight.dim() != 3 || weight.size(1) != embedding.size(1))
    Fatal("fused embed-conv: weight must be [C, D=", embedding.size(1), ", K], got ",
          weight.sizes());
  if (bias.defined() && (bias.dim() != 1 || bias.size(0) != weight.size(0)))
    Fatal("fused embed-conv: bias must be [C=", weight.size(0), "], got ", bias.sizes());
  if (embedding.scalar_type() != weight.scalar_type() ||
      (bias.defined() && bias.scalar_type() != weight.scalar_type()))
    Fatal("fused embed-conv: embedding, weight and bias must share one dtype");
  if (!embedding.device().is_cpu()) Fatal("fused embed-conv: only CPU tensors are supported");
  if (tokens.size(1) < weight.size(2))
    Fatal("fused embed-conv: sequence length ", tokens.size(1), " is shorter than the kernel (",
          weight.size(2), ")");
  if (tokens.numel() > 0) {
    const int64_t lo = tokens.min().item<int64_t>(), hi = tokens.max().item<int64_t>();
    if (lo < 0 || hi >= embedding.size(0))
      Fatal("fused embed-conv: token ids must lie in [0, ", embedding.size(0), "), found ",
            lo < 0 ? lo : hi);
  }
}

class FusedEmbedConvFunction : public torch::autograd::Function<FusedEmbedConvFunction> {
 public:
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& tokens_in,
                               const torch::Tensor& embedding, const torch::Tensor& weight,
                               const torch::Tensor& bias, int64_t padding_idx) {
    const torch::Tensor tokens = tokens_in.contiguous();
    const int64_t batch = tokens.size(0), len = tokens.size(1);
    const int64_t channels = weight.size(0), k_size = weight.size(2);
    const int64_t lout = len - k_size + 1;
    // The table T [V, K, C], rebuilt on every forward (i.e. once per optimiser step).
    const torch::Tensor w2 = WeightAsMatrix(weight);  // [D, K*C], kept for the backward
    const torch::Tensor table = embedding.contiguous().mm(w2);
    const torch::Tensor bias_c = bias.contiguous();
    torch::Tensor out = torch::empty({batch, lout, channels}, embedding.options());
    AT_DISPATCH_FLOATING_TYPES(embedding.scalar_type(), "FusedEmbedConv1d", [&] {
      GatherAdd<scalar_t>(tokens.data_ptr<int64_t>(), batch, len, k_size, channels,
                          table.data_ptr<scalar_t>(),
                          bias_c.data_ptr<scalar_t>(),
                          out.data_ptr<scalar_t>());
    });
    ctx->save_for_backward({tokens, embedding, weight});
    ctx->saved_data["padding_idx"] = padding_idx;
    ctx->saved_data["w2"] = w2;
    // The backward needs no table values, only a [V, K*C] buffer for grad_T: it reuses this
    // one, which saves allocating (and page-faulting) V*K*C fresh values per step.
    ctx->saved_data["table"] = table;
    return out.permute({0, 2, 1}).contiguous();
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const torch::Tensor& tokens = saved[0];
    const torch::Tensor& embedding = saved[1];
    const torch::Tensor& weight = saved[2];
    const int64_t padding_idx = ctx->saved_data["padding_idx"].toInt();
    const int64_t batch = tokens.size(0), len = tokens.size(1);
    const int64_t channels = weight.size(0), dim = weight.size(1), k_size = weight.size(2);
    const int64_t vocab = embedding.size(0);

    const torch::Tensor g = grad_outputs[0];                       // [B, C, Lout]
    const torch::Tensor g_rows = g.permute({0, 2, 1}).contiguous();  // [B, Lout, C]
    torch::Tensor grad_table;  // the forward's table buffer, taken once
    const auto it = ctx->saved_data.find("table");
    if (it != ctx->saved_data.end()) {
      grad_table = it->second.toTensor();
      ctx->saved_data.erase(it);
    }
    // A second backward (retain_graph) or a buffer still referenced elsewhere: a fresh one.
    if (!grad_table.defined() || grad_table.use_count() > 1 ||
        grad_table.scalar_type() != g.scalar_type())
      grad_table = torch::empty({vocab, k_size * channels}, g.options());
    grad_table = grad_table.view({vocab, k_size, channels}).zero_();
    AT_DISPATCH_FLOATING_TYPES(g.scalar_type(), "FusedEmbedConv1dBackward", [&] {
      ScatterAdd<scalar_t>(tokens.data_ptr<int64_t>(), batch, len, k_size, channels,
                           g_rows.data_ptr<scalar_t>(), grad_table.data_ptr<scalar_t>());
    });
    const torch::Tensor gt = grad_table.view({vocab, k_size * channels});
    const torch::Tensor w2 = ctx->saved_data["w2"].toTensor();
    torch::Tensor grad_embedding = gt.mm(w2.t());  // [V, D]
    if (padding_idx >= 0 && padding_idx < vocab) grad_embedding[padding_idx].zero_();
    torch::Tensor grad_weight = embedding.t().mm(gt)                  // [D, K*C]
                                    .view({dim, k_size, channels})
                                    .permute({2, 0, 1})
                                    .contiguous();                    // [C, D, K]
    torch::Tensor grad_bias = g.sum(torch::IntArrayRef{0, 2});
    return {torch::Tensor(), grad_embedding, grad_weight, grad_bias, torch::Tensor()};
  }
};

}  // namespace

torch::Tensor FusedEmbedConv1d(const torch::Tensor& tokens, const torch::Tensor& embedding,
                               const torch::Tensor& weight, const torch::Tensor& bias,
                               int64_t padding_idx) {
  CheckArgs(tokens, embedding, weight, bias);
  // Autograd functions take no undefined inputs: a missing bias is a constant zero bias.
  const torch::Tensor b = bias.defined() ? bias : torch::zeros({weight.size(0)}, weight.options());
  return FusedEmbedConvFunction::apply(tokens, embedding, weight, b, padding_idx);
}

torch::Tensor PlainEmbedConv1d(const torch::Tensor& tokens, const torch::Tensor& embedding,
                               const torch::Tensor& weight, const torch::Tensor& bias,
                               int64_t padding_idx) {
  CheckArgs(tokens, embedding, weight, bias);
  const torch::Tensor x = torch::embedding(embedding, tokens, padding_idx);  // [B, L, D]
  return torch::conv1d(x.transpose(1, 2), weight, bias);
}

FusedEmbedConvImpl::FusedEmbedConvImpl(const FusedEmbedConvOptions& options_)
    : options(options_) {
  reset();
}

void FusedEmbedConvImpl::reset() {
  PRISM_CHECK_GT(options.vocab_size(), 0);
  PRISM_CHECK_GT(options.embed_dim(), 0);
  PRISM_CHECK_GT(options.channels(), 0);
  PRISM_CHECK_GT(options.kernel_size(), 0);
  auto eo = torch::nn::EmbeddingOptions(options.vocab_size(), options.embed_dim());
  if (options.padding_idx() >= 0) eo.padding_idx(options.padding_idx());
  embed = register_module("embed", torch::nn::Embedding(eo));
  conv = register_module(
      "conv", torch::nn::Conv1d(torch::nn::Conv1dOptions(options.embed_dim(), options.channels(),
                                                         options.kernel_size())));
}

torch::Tensor FusedEmbedConvImpl::forward(const torch::Tensor& tokens) {
  const int64_t pad = options.padding_idx();
  if (options.fused()) return FusedEmbedConv1d(tokens, embed->weight, conv->weight, conv->bias, pad);
  return PlainEmbedConv1d(tokens, embed->weight, conv->weight, conv->bias, pad);
}

void FusedEmbedConvImpl::pretty_print(std::ostream& stream) const {
  stream << "prism::FusedEmbedConv(vocab=" << options.vocab_size() << ", dim="
         << options.embed_dim() << ", channels=" << options.channels()
         << ", kernel=" << options.kernel_size() << ", padding_idx=" << options.padding_idx()
         << ", fused=" << (options.fused() ? "true" : "false") << ")";
}

}  // namespace prism
