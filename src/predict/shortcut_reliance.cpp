// predict/shortcut_reliance.cpp - the model part of the shortcut-reliance measurement: the
// audit's cell-specific k-mers planted into and removed from the split's enhancers, each edited
// pair scored with its cell line's context and calibration fixed (prism/shortcut_reliance.h).
#include "predict/shortcut_reliance.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>
#include <unordered_map>

#include "prism/audit.h"
#include "prism/error.h"
#include "prism/log.h"
#include "prism/tokenizer.h"
#include "train/collate.h"

namespace prism::predict {
namespace {

uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

/// The random stream of one (k-mer, pair, edit kind).
std::mt19937_64 Stream(uint64_t seed, size_t kmer, size_t row, uint64_t kind) {
  return std::mt19937_64(Mix(Mix(Mix(seed) ^ kmer) ^ (row * 4 + kind)));
}

/// One pair of `d` with an edited enhancer (already cropped as the model sees it).
struct Edit {
  size_t row;
  std::string enhancer;
};

/// Scores edited pairs with each cell line's context e_c and calibration offset fixed to those
/// that train::Score used for the unedited split; with an ensemble member of non-zero weight,
/// the network's probabilities are combined with the member's as predict combines them.
class FixedContextScorer {
 public:
  FixedContextScorer(model::PrismNet& net, const TrainConfig& config, const train::Scores& s,
                     const train::EnsembleMember* member)
      : net_(net), batch_(static_cast<size_t>(config.train.eval_batch_size)),
        member_(member != nullptr && member->weight() > 0 ? member : nullptr) {
    torch::NoGradGuard ng;
    for (const auto& [cell, w] : s.assignment) {
      std::vector<float> wf(w.begin(), w.end());
      e_c_[cell] = net_->prototypes->Mix(torch::tensor(wf));
    }
    if (!config.components.prototype) zero_ = torch::zeros({net_->options.z_e_dim()});
    for (const auto& [cell, b] : s.resistance_offset) offset_[cell] = b;
    t_ = net_->Temperature().item<double>();
  }

  /// The probability of every edit (in order).
  std::vector<double> Score(const train::Dataset& d, const std::vector<Edit>& edits) {
    torch::NoGradGuard ng;
    std::vector<double> prob(edits.size(), NAN);
    std::map<std::string, std::vector<size_t>> by_cell;
    for (size_t i = 0; i < edits.size(); ++i) by_cell[d.pairs[edits[i].row].cell_line].push_back(i);
    for (const auto& [cell, idx] : by_cell) {
      torch::Tensor e_c = zero_;
      if (!e_c.defined()) {
        auto it = e_c_.find(cell);
        PRISM_CHECK(it != e_c_.end(), "shortcut reliance: no context of cell line ", cell);
        e_c = it->second;
      }
      const auto off = offset_.find(cell);
      const double b = off == offset_.end() ? 0.0 : off->second / t_;
      for (size_t start = 0; start < idx.size(); start += batch_) {
        const size_t end = std::min(idx.size(), start + batch_);
        train::Dataset ds;
        ds.kind = "sequence";
        std::vector<size_t> all;
        for (size_t i = start; i < end; ++i) {
          const Edit& e = edits[idx[i]];
          ds.pairs.push_back(d.pairs[e.row]);
          ds.cell.push_back(d.cell[e.row]);
          auto tok = Tokenize(e.enhancer);
          if (tok.empty()) tok.push_back(kPadToken);
          ds.e_tokens.push_back(std::move(tok));
          ds.p_tokens.push_back(d.p_tokens[static_cast<size_t>(d.p_idx[e.row])]);
          ds.e_idx.push_back(static_cast<int32_t>(all.size()));
          ds.p_idx.push_back(static_cast<int32_t>(all.size()));
          all.push_back(all.size());
        }
        auto batch = train::Collate(ds, all);
        model::Output out;
        auto h = net_->Encode(batch);
        std::tie(out.z_i, out.z_e) = net_->Project(h, batch);
        const int64_t m = static_cast<int64_t>(all.size());
        net_->Heads(&out, e_c.view({1, -1}).expand({m, e_c.size(0)}));
        auto logit = out.logit.to(torch::kDouble).contiguous();
        std::vector<double> p(static_cast<size_t>(m));
        for (int64_t i = 0; i < m; ++i)
          p[static_cast<size_t>(i)] = 1.0 / (1.0 + std::exp(-(logit.data_ptr<double>()[i] - b)));
        if (member_) p = member_->Combine(p, member_->Predict(ds));
        for (size_t i = 0; i < p.size(); ++i) prob[idx[start + i]] = p[i];
      }
    }
    return prob;
  }

 private:
  model::PrismNet& net_;
  size_t batch_;
  std::map<std::string, torch::Tensor> e_c_;
  torch::Tensor zero_;
  std::map<std::string, double> offset_;
  double t_ = 1;
  const train::EnsembleMember* member_;  ///< null: the network alone
};

/// The enhancer of every pair of `d` as the model sees it (center-cropped); "" when the data
/// has no sequence for it.
std::vector<std::string> CroppedEnhancers(const DomainKlData& raw, const train::Dataset& d,
                                          size_t max_len) {
  std::vector<std::string> out(d.size());
  for (size_t i = 0; i < d.size(); ++i)
    for (const SequenceSplit* split : {&raw.test, &raw.val, &raw.train}) {
      auto it = split->seqs.enhancers.find(d.pairs[i].enhancer);
      if (it == split->seqs.enhancers.end()) continue;
      out[i] = std::string(CenterCrop(it->second, max_len));
      break;
    }
  return out;
}

std::string SpecificityText(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", v);
  return buf;
}

/// At most `max_n` of `rows`, evenly spread.
std::vector<size_t> Thin(const std::vector<size_t>& rows, size_t max_n) {
  std::vector<size_t> out;
  for (size_t i : train::EvenSubset(rows.size(), max_n)) out.push_back(rows[i]);
  return out;
}

}  // namespace

ShortcutReliance MeasureShortcutReliance(model::PrismNet& net, const TrainConfig& config,
                                         const std::vector<std::string>& train_cells,
                                         const DomainKlData& raw, const train::Dataset& d,
                                         const train::Scores& s, const RelianceOptions& o,
                                         const train::EnsembleMember* member) {
  ShortcutReliance r;
  r.scorer = member == nullptr || member->weight() == 0 ? "network"
             : member->weight() == 1                    ? member->kind()
                                                        : "network+" + member->kind();
  r.kmers_per_cell = o.kmers_per_cell;
  r.max_pairs = o.max_pairs;
  r.seed = o.seed;
  // The k-mers the audit finds confined to one training cell line with at least the specificity
  // the shortcut mask uses (data.shortcut_mask_min_specificity): weaker ones are often a motif
  // of the shared grammar whose activity differs between cell lines, which a model should use.
  const double min_specificity = config.data.shortcut_mask_min_specificity;
  r.kmer_source = "audit of the run's data (cell_specific_kmers with specificity >= " +
                  SpecificityText(min_specificity) + ", top " + std::to_string(o.kmers_per_cell) +
                  " per training cell line)";
  r.cells = [&] {
    std::set<std::string> c;
    for (const auto& p : d.pairs) c.insert(p.cell_line);
    return std::vector<std::string>(c.begin(), c.end());
  }();
  const std::set<std::string> trained(train_cells.begin(), train_cells.end());
  std::vector<CellSpecificKmer> listed;
  std::vector<std::string> exclude;
  for (CellSpecificKmer& k : AuditDomainKl(raw).cell_specific_kmers) {
    exclude.push_back(k.kmer);
    if (trained.count(k.cell_line) && k.rank <= o.kmers_per_cell &&
        k.specificity >= min_specificity)
      listed.push_back(std::move(k));
  }
  if (listed.empty()) {
    r.note = "no cell-specific k-mers (specificity >= " + SpecificityText(min_specificity) +
             ") in the model's training cell lines";
    return r;
  }
  const auto enh = CroppedEnhancers(raw, d, static_cast<size_t>(config.data.max_enhancer));
  std::vector<size_t> usable;
  for (size_t i = 0; i < d.size(); ++i)
    if (!enh[i].empty()) usable.push_back(i);
  const std::vector<size_t> sample = Thin(usable, static_cast<size_t>(o.max_pairs));
  FixedContextScorer scorer(net, config, s, member);
  std::unordered_map<size_t, double> base;  // unedited score of a row, same scoring path
  auto baseline = [&](const std::vector<size_t>& rows) {
    std::vector<Edit> todo;
    for (size_t row : rows)
      if (!base.count(row)) todo.push_back({row, enh[row]});
    const auto p = scorer.Score(d, todo);
    for (size_t i = 0; i < todo.size(); ++i) base[todo[i].row] = p[i];
  };
  baseline(sample);
  for (size_t ki = 0; ki < listed.size(); ++ki) {
    const CellSpecificKmer& c = listed[ki];
    KmerReliance k;
    k.kmer = c.kmer;
    k.cell_line = c.cell_line;
    k.rank = c.rank;
    k.audit_z = c.z;
    k.specificity = c.specificity;
    auto control_rng = Stream(o.seed, ki, 0, 3);
    k.control_kmer = MatchedControlKmer(c.kmer, exclude, control_rng);
    std::vector<size_t> lacking, carriers;
    for (size_t row : sample)
      if (enh[row].size() >= c.kmer.size() && !HoldsKmer(enh[row], c.kmer)) lacking.push_back(row);
    for (size_t row : usable)
      if (HoldsKmer(enh[row], c.kmer)) carriers.push_back(row);
    carriers = Thin(carriers, static_cast<size_t>(o.max_pairs));
    baseline(carriers);
    // Edits in one list: insert, control insert, remove, control remove.
    std::vector<Edit> edits;
    for (size_t row : lacking) {
      Edit a{row, enh[row]}, b{row, enh[row]};
      auto ra = Stream(o.seed, ki, row, 0), rb = ra;  // the same position and strand
      PlantKmer(&a.enhancer, c.kmer, ra);
      PlantKmer(&b.enhancer, k.control_kmer, rb);
      edits.push_back(std::move(a));
      edits.push_back(std::move(b));
    }
    for (size_t row : carriers) {
      Edit a{row, enh[row]}, b{row, enh[row]};
      auto ra = Stream(o.seed, ki, row, 1);
      const int n = ScrambleKmer(&a.enhancer, c.kmer, ra);
      auto rb = Stream(o.seed, ki, row, 2);
      ScrambleRandomWindows(&b.enhancer, c.kmer.size(), n, c.kmer, rb);
      edits.push_back(std::move(a));
      edits.push_back(std::move(b));
    }
    const auto p = scorer.Score(d, edits);
    std::vector<double> ins, cins, rem, crem;
    size_t j = 0;
    for (size_t row : lacking) {
      ins.push_back(p[j++] - base[row]);
      cins.push_back(p[j++] - base[row]);
    }
    for (size_t row : carriers) {
      rem.push_back(base[row] - p[j++]);
      crem.push_back(base[row] - p[j++]);
    }
    k.insert = EffectStats::Of(ins);
    k.control_insert = EffectStats::Of(cins);
    k.remove = EffectStats::Of(rem);
    k.control_remove = EffectStats::Of(crem);
    r.kmers.push_back(std::move(k));
  }
  r.Summarise();
  Log::Info("predict: shortcut reliance of the " + r.scorer + " scores - largest excess " +
            std::to_string(r.excess_max) + " (" + r.excess_max_kmer + ", " + r.excess_max_cell + ")");
  return r;
}

}  // namespace prism::predict
