// train/model_recipe.cpp - configuration -> model options, the conflict checks between them,
// and the memory estimate checked before training (see model_recipe.h).
#include "train/model_recipe.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "prism/error.h"
#include "prism/log.h"
#include "prism/machine_memory.h"
#include "prism/tokenizer.h"
#include "train/dataset.h"

namespace prism::train {

namespace {

/// Conflicts between model keys (and with the data kind); every one is checked here only.
void CheckModelConflicts(const TrainConfig& c, const model::ModelOptions& o) {
  const auto& m = c.model;
  if (m.motif_seed > 0) {
    if (!o.kmer_composition())
      Fatal("conflict: model.motif_seed needs model.kmer_composition = true (the seeds are written "
            "into the base part of the token embedding)");
    // model.motif_seed is a cap: at most model.channels filters are seeded (DiscoverMotifSeeds).
    if (m.motif_seed_k > o.kernel())
      Fatal("model.motif_seed_k (", m.motif_seed_k, ") exceeds model.kernel (", o.kernel(),
            "): a seeded filter reads one base per kernel tap");
    if (o.embed_dim() < 4)
      Fatal("model.motif_seed needs model.embed_dim >= 4, got ", o.embed_dim());
  }
  if (o.pair_interaction() && !o.presence_readout())
    Fatal("conflict: model.pair_interaction needs model.presence_readout = true (it multiplies the "
          "two streams' presence vectors)");
  if (o.presence_cap() && !o.presence_readout())
    Fatal("conflict: model.presence_cap = true caps the presence read-out, which needs "
          "model.presence_readout = true");
  if (o.pair_interaction() && o.input() != "sequence")
    Fatal("conflict: model.pair_interaction is for sequence input (data.kind = \"sequence\")");
  if (o.channels() % o.heads() != 0 || (o.channels() / o.heads()) % 2 != 0)
    Fatal("model.channels (", o.channels(), ") must be a multiple of 2 * model.heads (",
          o.heads(), ") for rotary embeddings");
}

std::string GiB(double bytes) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f GiB", bytes / (1024.0 * 1024.0 * 1024.0));
  return buf;
}

/// Floats one batch of `b` pairs keeps for the backward pass (sequence streams, attention,
/// read-out) - the big tensors only.
double ActivationFloats(const model::ModelOptions& o, double b, double e_len, double p_len) {
  if (o.input() == "features")
    return b * (o.num_features() + 2.0 * o.feature_hidden() + 4.0 * o.hidden());
  const double c = o.channels(), e = o.embed_dim(), k = o.kernel(), h = o.heads();
  auto pooled = [&](double len) {
    return static_cast<double>(model::SequenceEncoderImpl::PooledLength(
        o, std::max<int64_t>(1, static_cast<int64_t>(len))));
  };
  auto stream = [&](double len) {
    const double lp = pooled(len);
    const double embed = o.fused_embed_conv() ? o.vocab() * k * c + b * len * k * c / 8
                                              : 2.0 * b * e * (len + k);  // lookup, padded copy
    return embed + 3.0 * b * c * len     // conv output, ReLU, mask
           + 12.0 * b * c * lp           // pooled features through BN, attention, LayerNorm
           + 4.0 * b * h * lp * lp;      // attention scores, mask, softmax, dropout
  };
  const double ep = pooled(e_len), pp = pooled(p_len);
  return stream(e_len) + stream(p_len) + 8.0 * b * h * ep * pp  // cross-attention both ways
         + 2.0 * b * model::PairEncoderImpl::ReadoutWidth(o) + 8.0 * b * o.hidden();
}

}  // namespace

int64_t LargestDerivedChannels(const TrainConfig& c) {
  const int64_t step = 2 * std::max<int64_t>(1, c.model.heads);
  const int64_t ch = std::max<int64_t>(kMinDerivedChannels, c.model.motif_seed + kFreeFilters);
  return (ch + step - 1) / step * step;
}

std::vector<int64_t> MeanTokenLengths(const Dataset& d) {
  if (d.kind != "sequence" || d.size() == 0) return {};
  double e = 0, p = 0;
  for (size_t i = 0; i < d.size(); ++i) {
    e += static_cast<double>(d.e_tokens[static_cast<size_t>(d.e_idx[i])].size());
    p += static_cast<double>(d.p_tokens[static_cast<size_t>(d.p_idx[i])].size());
  }
  const double n = static_cast<double>(d.size());
  return {std::max<int64_t>(1, std::llround(e / n)), std::max<int64_t>(1, std::llround(p / n))};
}

EmbedConvChoice ResolveEmbedConv(const TrainConfig& c, bool training,
                                 const std::vector<int64_t>& tokens) {
  const auto& m = c.model;
  if (c.data.kind != "sequence") {  // no sequence encoder
    EmbedConvChoice none;
    none.setting = m.fused_embed_conv;
    return none;
  }
  std::vector<int64_t> lengths = tokens;
  if (lengths.empty())
    lengths = {std::max<int64_t>(1, c.data.max_enhancer - (kKmer - 1)),
               std::max<int64_t>(1, c.data.max_promoter - (kKmer - 1))};
  EmbedConvShape shape;
  shape.vocab = kVocabSize;  // 4^6 6-mers + PAD
  shape.embed_dim = m.embed_dim;
  shape.channels = m.channels > 0 ? m.channels : LargestDerivedChannels(c);
  shape.kernel = m.kernel > 0 ? m.kernel : kMaxMotifLength;
  return ChooseEmbedConv(m.fused_embed_conv, shape,
                         training ? c.train.batch_size : c.train.eval_batch_size, lengths,
                         training);
}

model::ModelOptions ModelOptionsFor(const TrainConfig& c, int64_t num_cells,
                                    int64_t num_features, const EmbedConvChoice* embed_conv) {
  const auto& m = c.model;
  const bool fused = embed_conv ? embed_conv->fused : ResolveEmbedConv(c, true).fused;
  const int64_t channels = m.channels > 0 ? m.channels : LargestDerivedChannels(c);
  const int64_t kernel = m.kernel > 0 ? m.kernel : kMaxMotifLength;
  model::ModelOptions o;
  o.embed_dim(m.embed_dim).channels(channels).kernel(kernel).pool(m.pool).heads(m.heads)
      .hidden(m.hidden).z_i_dim(m.z_i_dim).z_e_dim(m.z_e_dim).head_hidden(m.head_hidden)
      .feature_hidden(m.feature_hidden).dropout(m.dropout).t_init(m.t_init)
      .input_dropout(m.input_dropout)
      .kmer_composition(m.kmer_composition).fused_embed_conv(fused)
      .kmer_table(m.kmer_table).presence_readout(m.presence_readout)
      .pair_interaction(m.pair_interaction).presence_cap(m.presence_cap)
      // Both strands is a property of the presence read-out: nothing to apply to without it.
      .both_strands(c.data.kind == "sequence" && m.both_strands && m.presence_readout)
      .context_calibration(m.context_calibration);
  o.num_cells(std::max<int64_t>(1, num_cells));
  if (c.data.kind == "features") {
    o.input("features").num_features(num_features).use_distance(c.data.use_distance);
  }
  CheckModelConflicts(c, o);
  return o;
}

std::string MemoryEstimate::ToString() const {
  return GiB(Total()) + " (parameters with gradients and AdamW moments " + GiB(parameters) +
         ", activations of a batch of " + std::to_string(batch) +
         (e_tokens > 0 ? " at " + std::to_string(e_tokens) + " / " + std::to_string(p_tokens) +
                             " tokens"
                       : std::string()) +
         " " + GiB(activations) + ")";
}

MemoryEstimate EstimateTrainingMemory(const model::ModelOptions& o, int64_t batch,
                                      int64_t eval_batch, int64_t e_tokens, int64_t p_tokens) {
  MemoryEstimate m;
  m.batch = batch;
  m.e_tokens = o.input() == "features" ? 0 : e_tokens;
  m.p_tokens = o.input() == "features" ? 0 : p_tokens;
  m.parameters = 16.0 * static_cast<double>(model::PrismNetImpl::ParameterCount(o));
  const double train = 2.0 * ActivationFloats(o, batch, e_tokens, p_tokens);
  const double eval = ActivationFloats(o, eval_batch, e_tokens, p_tokens);
  m.activations = 4.0 * std::max(train, eval);
  return m;
}

void CheckTrainingFits(const model::ModelOptions& o, const TrainConfig& c, const Dataset& train,
                       bool force, double limit_bytes) {
  int64_t e_tokens = 0, p_tokens = 0;
  for (const auto& t : train.e_tokens) e_tokens = std::max<int64_t>(e_tokens, t.size());
  for (const auto& t : train.p_tokens) p_tokens = std::max<int64_t>(p_tokens, t.size());
  const MemoryEstimate m =
      EstimateTrainingMemory(o, c.train.batch_size, c.train.eval_batch_size, e_tokens, p_tokens);
  if (limit_bytes < 0) limit_bytes = static_cast<double>(MachineMemoryBytes());
  if (limit_bytes <= 0 || m.Total() <= limit_bytes) return;
  const std::string what = "the configured model needs an estimated " + m.ToString() +
                           ", more than this machine's memory of " + GiB(limit_bytes);
  if (force) {
    Log::Warning(what + "; training anyway (--force)");
    return;
  }
  Fatal(c.source.empty() ? std::string("config") : c.source, ": ", what,
        " (reduce model sizes, train.batch_size, train.eval_batch_size or the crop lengths, or "
        "pass --force)");
}

}  // namespace prism::train
