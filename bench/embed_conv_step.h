// bench/embed_conv_step.h - the input of one forward + backward of the `paper` preset's first
// two layers (4097 x 768 embedding, 768 -> 64 convolution with kernel 40), shared by
// embed_conv_bench and gemm_blocks_bench so both time the same step.
#pragma once

#include <torch/torch.h>

#include "model/fused_embed_conv.h"

namespace prism::bench {

constexpr int64_t kPaperVocab = 4097, kPaperDim = 768, kPaperChannels = 64, kPaperKernel = 40;

/// The module (plain or fused path, seed 0), random tokens [batch, len] whose first row ends in
/// 200 PAD tokens, and an upstream gradient for the convolution output.
struct EmbedConvStepInput {
  FusedEmbedConv module{nullptr};
  torch::Tensor tokens, grad;
};

inline EmbedConvStepInput MakeEmbedConvStepInput(bool fused, int64_t batch, int64_t len) {
  torch::manual_seed(0);
  EmbedConvStepInput in;
  in.module = FusedEmbedConv(
      FusedEmbedConvOptions(kPaperVocab, kPaperDim, kPaperChannels, kPaperKernel));
  in.module->set_fused(fused);
  in.tokens = torch::randint(1, kPaperVocab, {batch, len}, torch::kLong);
  in.tokens.index_put_({0, torch::indexing::Slice(len - 200, torch::indexing::None)}, 0);  // PAD
  in.grad = torch::randn({batch, kPaperChannels, len - kPaperKernel + 1});
  return in;
}

}  // namespace prism::bench
