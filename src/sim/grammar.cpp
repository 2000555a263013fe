// The cell-invariant interaction grammar and the interaction score U_c.
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
