// The cell-invariant interaction grammar and the interaction score U_c.
#include <algorithm>

#include "prism/error.h"
#include "sim/generative_model.h"

namespace prism::sim {

int Grammar::nonzeros() const {
  int n = 0;
  for (double v : g) n += v != 0.0;
  return n;
}

Grammar GenerateGrammar(const SimulationOptions& options, Rng& rng) {
  Grammar grammar;
  const int m = options.num_motifs;
  grammar.num_motifs = m;
  grammar.g.assign(static_cast<size_t>(m) * m, 0.0);
  if (options.grammar_activating > 0 || options.grammar_inhibitory > 0) {
    // Exactly N activating and M inhibitory entries at distinct random cells.
    for (int k = 0; k < options.grammar_activating + options.grammar_inhibitory;) {
      double& cell = grammar.g[static_cast<size_t>(rng.UniformInt(m)) * m + rng.UniformInt(m)];
      if (cell != 0.0) continue;
      cell = k < options.grammar_activating ? options.grammar_strength * rng.Uniform(0.7, 1.3)
                                            : -options.grammar_strength * rng.Uniform(0.5, 1.0);
      ++k;
    }
    return grammar;
  }
  int want = static_cast<int>(options.grammar_density * m * m + 0.5);
  want = std::max(1, std::min(want, m * m));
  int placed = 0;
  while (placed < want) {
    const int i = rng.UniformInt(m), j = rng.UniformInt(m);
    double& cell = grammar.g[static_cast<size_t>(i) * m + j];
    if (cell != 0.0) continue;
    const bool repress = rng.Uniform() < options.grammar_negative_fraction;
    cell = repress ? -options.grammar_strength * rng.Uniform(0.5, 1.0)
                   : options.grammar_strength * rng.Uniform(0.7, 1.3);
    ++placed;
  }
  return grammar;
}

double InteractionScore(const Grammar& grammar, const SimulationOptions& options,
                        const std::vector<double>& activity, const MotifSet& e,
                        const MotifSet& p) {
  const double lambda = options.modulation;
  double u = 0;
  if (options.grammar_saturation > 0) {
    // Copies count, saturating: G[i,j] * min(n_i, s)/s * min(n_j, s)/s.
    const int m = grammar.num_motifs, sat = options.grammar_saturation;
    std::vector<int> ne(static_cast<size_t>(m), 0), np(static_cast<size_t>(m), 0);
    for (int id : e.ids) ++ne[static_cast<size_t>(id)];
    for (int id : p.ids) ++np[static_cast<size_t>(id)];
    for (int i = 0; i < m; ++i) {
      if (!ne[static_cast<size_t>(i)]) continue;
      const double fi = std::min(ne[static_cast<size_t>(i)], sat) / static_cast<double>(sat);
      for (int j = 0; j < m; ++j) {
        const double g = grammar.at(i, j);
        if (g == 0.0 || !np[static_cast<size_t>(j)]) continue;
        const double fj = std::min(np[static_cast<size_t>(j)], sat) / static_cast<double>(sat);
        u += g * fi * fj * ((1.0 - lambda) + lambda * activity[i] * activity[j]);
      }
    }
    return u + options.count_weight * static_cast<double>(e.ids.size() + p.ids.size());
  }
  for (int i = 0; i < grammar.num_motifs; ++i) {
    if (!(e.presence >> i & 1)) continue;
    for (int j = 0; j < grammar.num_motifs; ++j) {
      if (!(p.presence >> j & 1)) continue;
      const double g = grammar.at(i, j);
      if (g != 0.0) u += g * ((1.0 - lambda) + lambda * activity[i] * activity[j]);
    }
  }
  return u + options.count_weight * static_cast<double>(e.ids.size() + p.ids.size());
}

}  // namespace prism::sim
