// train/motif_seed.cpp - model.motif_seed: the first convolution of each stream starts from the
// training elements' over-represented k-mers (prism/kmer_enrichment.h).
#include <algorithm>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prism/error.h"
#include "prism/kmer_enrichment.h"
#include "prism/motif_extension.h"
#include "prism/run_folder.h"
#include "prism/tokenizer.h"
#include "train/training_session.h"

namespace prism::train {

Json SeedMotifFilters(const TrainConfig& c, const Dataset& train,
                      const std::vector<std::string>& train_cells, model::PrismNet& net) {
  if (c.model.motif_seed <= 0) return Json();
  PRISM_CHECK(train.kind == "sequence" && net->pair_encoder,
              "model.motif_seed needs sequence input");
  EnrichmentOptions eo;
  eo.k = static_cast<int>(c.model.motif_seed_k);
  const size_t max_seeds = static_cast<size_t>(c.model.motif_seed);
  const bool extend = c.model.motif_seed_extend;
  // Extension merges the k-mers of one motif, so it draws on more candidates than filters.
  eo.max_kmers = extend ? 2 * max_seeds : max_seeds;
  eo.min_z = c.model.motif_seed_min_z;
  const bool per_cell = c.model.motif_seed_min_cell_z > 0;
  eo.min_group_z = c.model.motif_seed_min_cell_z;
  Json out = {{"k", eo.k}, {"max", max_seeds}, {"min_z", eo.min_z}, {"extend", extend}};
  if (per_cell) {
    out["min_cell_z"] = eo.min_group_z;
    eo.group_names = train_cells;  // group id = training-cell index (train.cell)
  }
  auto row = [per_cell](const EnrichedKmer& e) {
    Json r = {{"kmer", e.kmer},
              {"observed", e.observed},
              {"expected", JsonNumber(e.expected)},
              {"z", JsonNumber(e.z)}};
    if (per_cell) {
      r["min_cell_z"] = JsonNumber(e.min_group_z);
      r["weakest_cell"] = e.weakest_group;
    }
    return r;
  };
  auto seed = [&](const std::vector<std::vector<int32_t>>& tokens,
                  const std::vector<int32_t>& element_of_pair, model::SequenceEncoder& enc,
                  const char* key) {
    std::vector<std::string> seqs;
    if (per_cell) {
      // One sequence per (element, training cell line) it is paired in, grouped by the cell.
      std::set<std::pair<int32_t, int64_t>> seen;
      eo.groups.clear();
      for (size_t i = 0; i < train.size(); ++i) {
        if (train.cell[i] < 0 || !seen.emplace(element_of_pair[i], train.cell[i]).second) continue;
        seqs.push_back(Detokenize(tokens[static_cast<size_t>(element_of_pair[i])]));
        eo.groups.push_back(static_cast<int>(train.cell[i]));
      }
    } else {
      seqs.reserve(tokens.size());
      for (const auto& t : tokens) seqs.push_back(Detokenize(t));
    }
    std::vector<std::string_view> views(seqs.begin(), seqs.end());
    std::vector<EnrichedKmer> cell_specific;
    auto found = FindEnrichedKmers(views, eo, &cell_specific);
    std::vector<std::string> kmers;
    Json rows = Json::array(), merged = Json::array();
    MotifExtensionOptions xo;
    xo.max_length = static_cast<int>(enc->options.kernel());
    for (const auto& e : found) {
      if (kmers.size() >= max_seeds) break;
      Json r = row(e);
      std::string motif = e.kmer;
      if (extend) {
        const ExtendedMotif m = ExtendKmer(views, e.kmer, xo);
        motif = m.consensus;
        r["motif"] = motif;
        r["seed_offset"] = m.seed_offset;
        r["occurrences"] = m.occurrences;
        Json ic = Json::array();
        for (double v : m.ic) ic.push_back(JsonNumber(v));
        r["ic"] = ic;
        auto same = std::find_if(kmers.begin(), kmers.end(),
                                 [&](const std::string& t) { return SameMotif(t, motif); });
        if (same != kmers.end()) {
          r["same_motif_as"] = *same;
          merged.push_back(r);
          continue;
        }
      }
      kmers.push_back(motif);
      rows.push_back(r);
    }
    if (extend) out[std::string(key) + "_merged"] = merged;
    enc->SeedFilters(kmers);
    out[key] = rows;
    if (per_cell) {
      Json skipped = Json::array();
      for (const auto& e : cell_specific) skipped.push_back(row(e));
      out[std::string(key) + "_cell_specific"] = skipped;
    }
  };
  seed(train.e_tokens, train.e_idx, net->pair_encoder->enhancer, "enhancer");
  seed(train.p_tokens, train.p_idx, net->pair_encoder->promoter, "promoter");
  return out;
}

}  // namespace prism::train
