// train/motif_seed.cpp - model.motif_seed: the first convolution of each stream starts from the
// training elements' over-represented k-mers (prism/kmer_enrichment.h).
#include <string_view>
#include <vector>

#include "prism/error.h"
#include "prism/kmer_enrichment.h"
#include "prism/run_folder.h"
#include "prism/tokenizer.h"
#include "train/engine.h"

namespace prism::train {

Json SeedMotifFilters(const TrainConfig& c, const Dataset& train, model::PrismNet& net) {
  if (c.model.motif_seed <= 0) return Json();
  PRISM_CHECK(train.kind == "sequence" && net->pair_encoder,
              "model.motif_seed needs sequence input");
  EnrichmentOptions eo;
  eo.k = static_cast<int>(c.model.motif_seed_k);
  eo.max_kmers = static_cast<size_t>(c.model.motif_seed);
  eo.min_z = c.model.motif_seed_min_z;
  Json out = {{"k", eo.k}, {"max", eo.max_kmers}, {"min_z", eo.min_z}};
  auto seed = [&](const std::vector<std::vector<int32_t>>& tokens, model::SequenceEncoder& enc,
                  const char* key) {
    std::vector<std::string> seqs;
    seqs.reserve(tokens.size());
    for (const auto& t : tokens) seqs.push_back(Detokenize(t));
    std::vector<std::string_view> views(seqs.begin(), seqs.end());
    auto found = FindEnrichedKmers(views, eo);
    std::vector<std::string> kmers;
    Json rows = Json::array();
    for (const auto& e : found) {
      kmers.push_back(e.kmer);
      rows.push_back({{"kmer", e.kmer},
                      {"observed", e.observed},
                      {"expected", JsonNumber(e.expected)},
                      {"z", JsonNumber(e.z)}});
    }
    enc->SeedFilters(kmers);
    out[key] = rows;
  };
  seed(train.e_tokens, net->pair_encoder->enhancer, "enhancer");
  seed(train.p_tokens, net->pair_encoder->promoter, "promoter");
  return out;
}

}  // namespace prism::train
