// train/motif_grammar_sites.cpp - the motif-grammar member's site counts (each element scanned
// once, both strands, with its stream's PWMs: windows at p-value thresholds, or expected sites)
// and its scores: one grammar's probability, or the mean of the averaged grammars' logits
// (train/motif_grammar_member.cpp fits them).
#include <algorithm>
#include <cmath>
#include <string_view>
#include <thread>

#include "prism/tokenizer.h"
#include "train/motif_grammar_model.h"
#include "train/dataset.h"
#include "train/xgboost_model.h"

namespace prism::train {
namespace {

/// One element's count of each motif: windows at `levels` p-value thresholds (hard), or the
/// expected number of sites under the prior of `prior_logit` (posterior).
std::vector<float> ElementSites(const std::vector<sim::PwmScanner>& scanners, size_t levels,
                                bool posterior, double prior_logit, std::string_view seq) {
  if (!posterior) return sim::CountSites(scanners, levels, seq);
  const sim::CodedSequence coded(seq);
  std::vector<float> out;
  for (const auto& s : scanners) out.push_back(static_cast<float>(s.ExpectedSites(coded, prior_logit)));
  return out;
}

}  // namespace

sim::MotifSiteCounts MotifGrammarSiteCounts(const MotifGrammarModel& g,
                                            const std::vector<double>& p_values, const Dataset& d,
                                            int threads) {
  std::vector<sim::PwmScanner> enh, prom;
  for (const auto& pwm : g.enhancer) enh.emplace_back(pwm, p_values);
  for (const auto& pwm : g.promoter) prom.emplace_back(pwm, p_values);
  const bool posterior = g.sites == "posterior";
  const double prior_logit = posterior ? std::log(g.site_prior / (1 - g.site_prior)) : 0;
  const size_t levels = p_values.size();
  std::vector<std::vector<float>> e(d.e_tokens.size()), p(d.p_tokens.size());
  auto work = [&](int t) {
    const size_t n = e.size() + p.size();
    for (size_t i = static_cast<size_t>(t); i < n; i += static_cast<size_t>(threads)) {
      if (i < e.size())
        e[i] = ElementSites(enh, levels, posterior, prior_logit, Detokenize(d.e_tokens[i]));
      else
        p[i - e.size()] =
            ElementSites(prom, levels, posterior, prior_logit, Detokenize(d.p_tokens[i - e.size()]));
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < threads; ++t) pool.emplace_back(work, t);
  work(0);
  for (auto& th : pool) th.join();
  sim::MotifSiteCounts out;
  for (size_t i = 0; i < d.size(); ++i) {
    out.enhancer.push_back(e[static_cast<size_t>(d.e_idx[i])]);
    out.promoter.push_back(p[static_cast<size_t>(d.p_idx[i])]);
    out.labels.push_back(d.pairs[i].label == 1 ? 1 : 0);
  }
  return out;
}

std::vector<double> PredictMotifGrammar(const MotifGrammarModel& g, const Dataset& d,
                                        int threads) {
  auto counts = [&](const MotifGrammarModel& m) {
    const std::vector<double> p_values = {m.sites == "hard" ? m.p_value : kUnusedSitePValue};
    return MotifGrammarSiteCounts(m, p_values, d, std::max(1, threads));
  };
  if (g.averaged.empty()) return sim::MotifPairProbabilities(g.fit, counts(g));
  // The mean of the grammars' logits.
  std::vector<double> z = sim::MotifPairScores(g.fit, counts(g));
  for (const MotifGrammarModel& m : g.averaged) {
    const std::vector<double> zm = sim::MotifPairScores(m.fit, counts(m));
    for (size_t i = 0; i < z.size(); ++i) z[i] += zm[i];
  }
  const double n = static_cast<double>(1 + g.averaged.size());
  for (double& v : z) v = 1 / (1 + std::exp(-v / n));
  return z;
}

}  // namespace prism::train
