// train/model_recipe.h - the one mapping from a training configuration to model options, with
// every conflict check between them, and the memory estimate of the configured model that is
// checked before training. Internal (includes LibTorch).
#pragma once

#include <cstdint>
#include <string>

#include "model/model.h"
#include "prism/embed_conv_choice.h"
#include "prism/train.h"

namespace prism::train {

struct Dataset;

/// The longest motif seed extension grows (bp) when model.kernel is derived (0).
inline constexpr int64_t kMaxMotifLength = 16;
/// Derived sizes: at least this many filters and this kernel; free filters beyond the motifs.
inline constexpr int64_t kMinDerivedChannels = 8, kMinDerivedKernel = 8, kFreeFilters = 2;
/// model.channels = 0 / model.kernel = 0 before training has derived them (the trainer resolves
/// them first; --print-params and memory estimates of a config): their largest possible values,
/// max(8, motif_seed + 2) filters rounded up to a multiple of 2 x heads and a 16-bp kernel.
int64_t LargestDerivedChannels(const TrainConfig& config);

/// model.fused_embed_conv resolved (prism/embed_conv_choice.h) for the config's model shape and
/// one step of its work: a training step of train.batch_size pairs, or (training = false) a
/// scoring batch of train.eval_batch_size pairs; each stream as long as `tokens` (enhancer,
/// promoter token positions), by default the centre crops (data.max_enhancer / max_promoter
/// minus 5: 6-mer tokens). Feature-table models: the plain setting, not used.
/// Mean token positions per pair of the enhancer and the promoter stream ({} without sequences
/// or pairs): the `tokens` of ResolveEmbedConv for a data set.
std::vector<int64_t> MeanTokenLengths(const Dataset& d);

EmbedConvChoice ResolveEmbedConv(const TrainConfig& config, bool training,
                                 const std::vector<int64_t>& tokens = {});

/// The model options of a config ([model] + data-dependent sizes: training cell lines, feature
/// columns). prism::Error naming the keys on a conflict (e.g. pair_interaction without
/// presence_readout, motif_seed > channels, channels not a multiple of 2 x heads). The
/// embedding-convolution path is `embed_conv`'s, else ResolveEmbedConv(config, true).
model::ModelOptions ModelOptionsFor(const TrainConfig& config, int64_t num_cells,
                                    int64_t num_features,
                                    const EmbedConvChoice* embed_conv = nullptr);

/// What training a model needs in memory (bytes), estimated from its shapes.
struct MemoryEstimate {
  double parameters = 0;   ///< weights, gradients and the two AdamW moments (4 x 4 bytes each)
  double activations = 0;  ///< what one training batch keeps for the backward pass (x2 at its
                           ///< peak), or one evaluation batch if that is larger
  int64_t batch = 0, e_tokens = 0, p_tokens = 0;
  double Total() const { return parameters + activations; }
  std::string ToString() const;  ///< "2.1 GiB (parameters and optimiser 0.1 GiB, ...)"
};

/// The estimate for batches of `batch` (training) and `eval_batch` pairs of at most `e_tokens`
/// / `p_tokens` tokens (sequence input; ignored for features).
MemoryEstimate EstimateTrainingMemory(const model::ModelOptions& o, int64_t batch,
                                      int64_t eval_batch, int64_t e_tokens, int64_t p_tokens);

/// Refuses (prism::Error naming the estimate, the limit and --force) a configuration whose
/// estimate exceeds `limit_bytes` (default: the machine's memory, prism/machine_memory.h),
/// unless `force`; then it only warns. Called once before the model is built.
void CheckTrainingFits(const model::ModelOptions& o, const TrainConfig& config,
                       const Dataset& train, bool force, double limit_bytes = -1);

}  // namespace prism::train
