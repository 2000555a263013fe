// Cell environments: per-cell TF activity, motif sampling, resistance and shortcuts.
#include <cmath>

#include "prism/error.h"
#include "sim/generative_model.h"

namespace prism::sim {

std::vector<CellModel> GenerateCells(const SimulationOptions& options,
                                     const std::vector<Motif>& motifs, Rng& rng,
                                     Rng& shortcut_rng) {
  const int m = options.num_motifs;
  // Base motif frequencies shared by all cells; the activity tilts them per cell.
  std::vector<double> base(m);
  for (double& b : base) b = rng.Uniform(0.5, 1.5);

  std::vector<CellModel> cells;
  std::vector<std::string> kmers;
  const std::pair<const char*, int> splits[] = {
      {"train", options.train_cells}, {"val", options.val_cells}, {"test", options.test_cells}};
  for (const auto& [split, count] : splits) {
    for (int k = 1; k <= count; ++k) {
      CellModel cell;
      cell.info.name = std::string(split) + std::to_string(k);
      cell.info.split = split;
      const double sd = options.activity_sd;
      cell.info.activity.resize(m);
      if (options.activity_distribution == "beta") {
        for (double& a : cell.info.activity) {
          const bool silenced = rng.Uniform() < options.activity_silenced_fraction;
          const double draw = rng.Beta(options.activity_beta, options.activity_beta);
          a = silenced ? 0.0 : draw;
        }
      } else {
        for (double& a : cell.info.activity) a = std::exp(sd * rng.Normal() - 0.5 * sd * sd);
      }
      std::vector<double> w(m);
      double total = 0;
      for (int i = 0; i < m; ++i) {
        w[i] = base[i] * (options.activity_sampling_floor +
                          std::pow(cell.info.activity[i], options.activity_sampling_power));
        total += w[i];
      }
      if (total <= 0) {  // every motif silenced and no floor: sample uniformly
        w.assign(m, 1.0);
        total = m;
      }
      double acc = 0;
      for (int i = 0; i < m; ++i) {
        acc += w[i] / total;
        cell.motif_cumulative.push_back(acc);
      }
      cell.motif_cumulative.back() = 1.0;
      cell.info.target_positive_rate =
          rng.Uniform(options.min_positive_rate, options.max_positive_rate);
      const bool like_train = cell.info.split == "train" ||
                              (cell.info.split == "val" && options.val_cells_like_train);
      if (options.shortcuts && like_train) {
        cell.info.shortcut_kmer =
            GenerateShortcutKmer(options.shortcut_kmer_length, motifs, kmers, shortcut_rng);
        kmers.push_back(cell.info.shortcut_kmer);
        const bool flip = options.shortcut_gc_alternate && (kmers.size() % 2 == 0);
        cell.info.gc_shift = flip ? -options.shortcut_gc_shift : options.shortcut_gc_shift;
      }
      cells.push_back(std::move(cell));
    }
  }
  return cells;
}

int KmerSlotLength(const SimulationOptions& options, const std::string& split) {
  const bool own = split == "train" || (split == "val" && options.val_cells_like_train);
  return own || options.shortcut_unseen_prob > 0 ? options.shortcut_kmer_length : 0;
}

int DrawElementLength(int min_length, int max_length, Rng& rng) {
  return max_length > 0 ? min_length + rng.UniformInt(max_length - min_length + 1) : min_length;
}

std::vector<int> SampleElementMotifs(const CellModel& cell, double mean, Rng& rng) {
  std::vector<int> ids(rng.Poisson(mean));
  for (int& id : ids) id = rng.Categorical(cell.motif_cumulative);
  return ids;
}

void CalibrateResistance(CellModel& cell, const Grammar& grammar,
                         const SimulationOptions& options, const std::vector<Motif>& motifs,
                         int samples, Rng& rng) {
  std::vector<double> u(samples);
  for (double& x : u) {
    // Same distribution as the generated pairs, including instances that would not fit.
    const int e_len =
        DrawElementLength(options.enhancer_length, options.enhancer_max_length, rng);
    const int p_len =
        DrawElementLength(options.promoter_length, options.promoter_max_length, rng);
    const auto e_ids = SampleElementMotifs(cell, options.enhancer_motif_mean, rng);
    const auto p_ids = SampleElementMotifs(cell, options.promoter_motif_mean, rng);
    const int kmer = KmerSlotLength(options, cell.info.split);
    const ElementLayout e = PlaceElement(e_len, e_ids, motifs, kmer, rng);
    const ElementLayout p = PlaceElement(p_len, p_ids, motifs, 0, rng);
    x = InteractionScore(grammar, options, cell.info.activity, e.motifs, p.motifs);
  }
  const double t = options.temperature, target = cell.info.target_positive_rate;
  auto rate = [&](double r) {
    double s = 0;
    for (double x : u) s += Sigmoid((x - r) / t);
    return s / samples;
  };
  double lo = -100, hi = 100;  // rate(lo) ~ 1, rate(hi) ~ 0
  for (int it = 0; it < 100; ++it) {
    const double mid = 0.5 * (lo + hi);
    (rate(mid) > target ? lo : hi) = mid;
  }
  cell.info.resistance = 0.5 * (lo + hi);
}

}  // namespace prism::sim
