// train/model_recipe.cpp - configuration -> model options, and the conflict checks between them.
#include "train/model_recipe.h"

#include <algorithm>

#include "prism/error.h"

namespace prism::train {

model::ModelOptions ModelOptionsFor(const TrainConfig& c, int64_t num_cells,
                                    int64_t num_features) {
  auto o = model::ModelPreset(c.preset);
  const auto& m = c.model;
  if (m.embed_dim > 0) o.embed_dim(m.embed_dim);
  if (m.channels > 0) o.channels(m.channels);
  if (m.kernel > 0) o.kernel(m.kernel);
  if (m.pool > 0) o.pool(m.pool);
  if (m.heads > 0) o.heads(m.heads);
  if (m.hidden > 0) o.hidden(m.hidden);
  if (m.z_i_dim > 0) o.z_i_dim(m.z_i_dim);
  if (m.z_e_dim > 0) o.z_e_dim(m.z_e_dim);
  if (m.head_hidden > 0) o.head_hidden(m.head_hidden);
  if (m.feature_hidden > 0) o.feature_hidden(m.feature_hidden);
  if (m.dropout >= 0) o.dropout(m.dropout);
  if (m.kmer_composition >= 0) o.kmer_composition(m.kmer_composition > 0);
  if (m.fused_embed_conv >= 0) o.fused_embed_conv(m.fused_embed_conv > 0);
  if (m.kmer_table >= 0) o.kmer_table(m.kmer_table > 0);
  if (m.presence_readout >= 0) o.presence_readout(m.presence_readout > 0);
  if (m.pair_interaction >= 0) o.pair_interaction(m.pair_interaction > 0);
  if (m.presence_cap >= 0) o.presence_cap(m.presence_cap > 0);
  if (m.context_calibration >= 0) o.context_calibration(m.context_calibration > 0);
  if (m.cell_offset >= 0) o.cell_offset(m.cell_offset > 0);
  o.t_init(m.t_init);
  o.num_cells(std::max<int64_t>(1, num_cells));
  if (c.data.kind == "features") {
    o.input("features").num_features(num_features).use_distance(c.data.use_distance);
  }
  if (m.motif_seed > 0) {
    if (!o.kmer_composition())
      Fatal("conflict: model.motif_seed needs model.kmer_composition = true (the seeds are written "
            "into the base part of the token embedding)");
    if (m.motif_seed > o.channels())
      Fatal("model.motif_seed (", m.motif_seed, ") exceeds model.channels (", o.channels(), ")");
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
  return o;
}

}  // namespace prism::train
