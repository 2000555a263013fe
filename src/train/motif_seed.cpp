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
#include "prism/kmer_scan.h"
#include "prism/motif_extension.h"
#include "prism/motif_pwm.h"
#include "prism/run_folder.h"
#include "prism/tokenizer.h"
#include "train/training_session.h"

namespace prism::train {

std::vector<size_t> FirstPairPerElementAndCell(const Dataset& train,
                                               const std::vector<int32_t>& element_of_pair) {
  std::set<std::pair<int32_t, int64_t>> seen;
  std::vector<size_t> pairs;
  for (size_t i = 0; i < train.size(); ++i)
    if (train.cell[i] >= 0 && seen.emplace(element_of_pair[i], train.cell[i]).second)
      pairs.push_back(i);
  return pairs;
}

MotifSeeds DiscoverMotifSeeds(const TrainConfig& c, const Dataset& train,
                              const std::vector<std::string>& train_cells, int64_t max_length) {
  MotifSeeds result;
  if (c.model.motif_seed <= 0) return result;
  PRISM_CHECK(train.kind == "sequence", "model.motif_seed needs sequence input");
  const bool both_strands = c.model.both_strands && c.model.presence_readout;
  EnrichmentOptions eo;
  eo.k = static_cast<int>(c.model.motif_seed_k);
  // At most motif_seed seeds, and no more than an explicit model.channels holds.
  const size_t max_seeds = static_cast<size_t>(
      c.model.channels > 0 ? std::min(c.model.motif_seed, c.model.channels) : c.model.motif_seed);
  const bool extend = c.model.motif_seed_extend;
  const bool pwm = extend && c.model.motif_seed_pwm;
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
                  const std::vector<int32_t>& element_of_pair, std::vector<std::string>* kmers_out,
                  const char* key) {
    std::vector<std::string> seqs;
    if (per_cell) {
      // One sequence per (element, training cell line) it is paired in, grouped by the cell.
      eo.groups.clear();
      for (size_t i : FirstPairPerElementAndCell(train, element_of_pair)) {
        seqs.push_back(Detokenize(tokens[static_cast<size_t>(element_of_pair[i])]));
        eo.groups.push_back(static_cast<int>(train.cell[i]));
      }
    } else {
      seqs.reserve(tokens.size());
      for (const auto& t : tokens) seqs.push_back(Detokenize(t));
    }
    std::vector<std::string_view> views(seqs.begin(), seqs.end());
    KmerCounts counts;
    double mean_length = 0;
    if (pwm) {
      counts = CountKmers(views, eo.k);
      for (const auto& v : views) mean_length += static_cast<double>(v.size());
      mean_length /= std::max<size_t>(1, views.size());
    }
    std::vector<MotifPwm>* pwms_out =
        std::string(key) == "enhancer" ? &result.enhancer_pwm : &result.promoter_pwm;
    std::vector<EnrichedKmer> cell_specific;
    auto found = FindEnrichedKmers(views, eo, &cell_specific);
    std::vector<std::string> kmers;
    Json rows = Json::array(), merged = Json::array();
    MotifExtensionOptions xo;
    xo.max_length = static_cast<int>(max_length);
    // PWM seeding keeps the flank columns of degenerate motifs (~0.5-1 bit), which the consensus
    // filter could not use; background columns carry ~0 bits.
    if (pwm) xo.min_ic = kPwmMinIc;
    for (const auto& e : found) {
      if (kmers.size() >= max_seeds) break;
      Json r = row(e);
      std::string motif = e.kmer;
      ExtendedMotif m;
      if (extend) {
        m = ExtendKmer(views, e.kmer, xo);
        motif = m.consensus;
        r["motif"] = motif;
        r["seed_offset"] = m.seed_offset;
        r["occurrences"] = m.occurrences;
        Json ic = Json::array();
        for (double v : m.ic) ic.push_back(JsonNumber(v));
        r["ic"] = ic;
        // With both strands a motif and its reverse complement are one filter.
        auto same = std::find_if(kmers.begin(), kmers.end(), [&](const std::string& t) {
          return SameMotif(t, motif) || (both_strands && SameMotif(t, ReverseComplementBases(motif)));
        });
        if (same != kmers.end()) {
          r["same_motif_as"] = *same;
          merged.push_back(r);
          continue;
        }
      }
      kmers.push_back(motif);
      if (pwm) {
        MotifPwm p = EstimateMotifPwm(m, counts, mean_length);
        r["threshold_bits"] = JsonNumber(p.threshold);
        r["p_value"] = JsonNumber(p.p_value);
        pwms_out->push_back(std::move(p));
      }
      rows.push_back(r);
    }
    if (extend) out[std::string(key) + "_merged"] = merged;
    *kmers_out = kmers;
    out[key] = rows;
    if (per_cell) {
      Json skipped = Json::array();
      for (const auto& e : cell_specific) skipped.push_back(row(e));
      out[std::string(key) + "_cell_specific"] = skipped;
    }
  };
  out["both_strands"] = both_strands;
  out["pwm"] = pwm;
  seed(train.e_tokens, train.e_idx, &result.enhancer, "enhancer");
  seed(train.p_tokens, train.p_idx, &result.promoter, "promoter");
  result.record = out;
  return result;
}

void ApplyMotifSeeds(const MotifSeeds& seeds, model::PrismNet& net) {
  if (seeds.record.is_null()) return;
  PRISM_CHECK(net->pair_encoder, "model.motif_seed needs sequence input");
  auto apply = [](model::SequenceEncoder& enc, const std::vector<std::string>& kmers,
                  const std::vector<MotifPwm>& pwms) {
    if (pwms.empty()) return enc->SeedFilters(kmers);
    std::vector<std::vector<std::array<double, 4>>> weights;
    std::vector<double> thresholds;
    for (const auto& p : pwms) {
      weights.push_back(p.weight);
      thresholds.push_back(p.threshold);
    }
    enc->SeedPwmFilters(weights, thresholds);
  };
  apply(net->pair_encoder->enhancer, seeds.enhancer, seeds.enhancer_pwm);
  apply(net->pair_encoder->promoter, seeds.promoter, seeds.promoter_pwm);
}

Json ResolveDerivedSizes(const MotifSeeds& seeds, TrainConfig* c) {
  Json out = Json::object();
  auto& m = c->model;
  const int64_t found =
      static_cast<int64_t>(std::max(seeds.enhancer.size(), seeds.promoter.size()));
  if (m.channels == 0) {
    // One filter per motif found in the busier stream, plus free filters for what the counting
    // cannot find (motifs without an over-represented k-mer), a multiple of 2 x heads (the
    // rotary attention needs an even head width).
    const int64_t step = 2 * std::max<int64_t>(1, m.heads);
    int64_t ch = std::max<int64_t>(kMinDerivedChannels, found + kFreeFilters);
    ch = (ch + step - 1) / step * step;
    m.channels = ch;
    out["channels"] = {{"value", ch},
                       {"motifs_found", found},
                       {"free_filters", ch - found},
                       {"rule", "max(" + std::to_string(kMinDerivedChannels) +
                                    ", motifs found in the busier stream + " +
                                    std::to_string(kFreeFilters) + "), rounded up to a multiple "
                                    "of 2 x model.heads"}};
  }
  if (m.kernel == 0) {
    size_t longest = 0;
    for (const auto* list : {&seeds.enhancer, &seeds.promoter})
      for (const auto& k : *list) longest = std::max(longest, k.size());
    const int64_t kernel = std::max<int64_t>(kMinDerivedKernel, static_cast<int64_t>(longest));
    m.kernel = kernel;
    out["kernel"] = {{"value", kernel},
                     {"longest_motif", static_cast<int64_t>(longest)},
                     {"rule", "the longest seeded motif (grown up to " +
                                  std::to_string(kMaxMotifLength) + " bp), at least " +
                                  std::to_string(kMinDerivedKernel)}};
  }
  return out;
}

}  // namespace prism::train
