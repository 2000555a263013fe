// The simulator: draws motifs, grammar and cells, then the pairs of every cell line, their
// labels and oracle probabilities (see docs/simulator.md), and fits the motif-informed reference
// learner on the result.
#include <cstdio>
#include <map>

#include "prism/error.h"
#include "prism/simulate.h"
#include "sim/generative_model.h"
#include "sim/reference_learner.h"
#include "sim/simulation_metadata.h"

namespace prism {
namespace {

using namespace sim;

constexpr int kCalibrationSamples = 4000;

std::string ElementName(const std::string& cell, char kind, long index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "_%c%06ld", kind, index);
  return cell + buf;
}

/// One generated pair before the splits are shuffled and filled.
struct Generated {
  Pair pair;
  std::string e_seq, p_seq;
  double p_true, p_blind;
};

/// What every cell's pair generation shares.
struct World {
  const SimulationOptions& options;
  const std::vector<Motif>& motifs;
  const Grammar& grammar;
  std::vector<const CellModel*> train_cells;
  std::vector<std::string> train_kmers;  ///< the training cells' shortcut k-mers
};

/// The `n` pairs of cell `c` (its own random stream).
void GenerateCellPairs(const World& w, const CellModel& cell, size_t c, long n,
                       std::vector<Generated>& out) {
  const SimulationOptions& options = w.options;
  // Random draws do not depend on whether shortcuts are on: training(-like) enhancers always
  // reserve the k-mer slot and every pair draws the planting decision, so --no-shortcuts keeps
  // the cells, motif layouts, labels and p_true of the same seed.
  const bool own_kmer = !cell.info.shortcut_kmer.empty();
  const bool training_like = cell.info.split == "train" ||
                             (cell.info.split == "val" && options.val_cells_like_train);
  const bool unseen_draws = !training_like && options.shortcut_unseen_prob > 0;
  const int kmer_len = KmerSlotLength(options, cell.info.split);
  RenderStyle e_style, p_style;
  e_style.cpg_depletion = options.enhancer_cpg_depletion;
  p_style.cpg_rate = options.promoter_cpg_rate;
  e_style.n_rate = p_style.n_rate = options.n_base_rate;
  e_style.random_strand = p_style.random_strand = options.motif_random_strand;
  Rng rng(StreamSeed(options.seed, kStreamPairs, c));
  for (long i = 0; i < n; ++i) {
    const int e_len = DrawElementLength(options.enhancer_length, options.enhancer_max_length, rng);
    const int p_len = DrawElementLength(options.promoter_length, options.promoter_max_length, rng);
    const auto e_ids = SampleElementMotifs(cell, options.enhancer_motif_mean, rng);
    const auto p_ids = SampleElementMotifs(cell, options.promoter_motif_mean, rng);
    const ElementLayout e = PlaceElement(e_len, e_ids, w.motifs, kmer_len, rng);
    const ElementLayout p = PlaceElement(p_len, p_ids, w.motifs, 0, rng);
    Generated g;
    g.p_true = TrueProbability(w.grammar, options, cell, e.motifs, p.motifs);
    g.p_blind = EnvBlindProbability(w.grammar, options, w.train_cells, e.motifs, p.motifs);
    const int label = rng.Uniform() < g.p_true ? 1 : 0;
    std::string kmer;
    const double plant = rng.Uniform();
    if (own_kmer &&
        plant < (label ? options.shortcut_positive_prob : options.shortcut_negative_prob))
      kmer = cell.info.shortcut_kmer;
    if (unseen_draws) {  // a training cell's k-mer, whatever the label
      const double u = rng.Uniform();
      const int pick = rng.UniformInt(options.train_cells);
      if (u < options.shortcut_unseen_prob && !w.train_kmers.empty())
        kmer = w.train_kmers[static_cast<size_t>(pick) % w.train_kmers.size()];
    }
    const double gc = options.background_gc + (label ? cell.info.gc_shift : 0.0);
    // Bases come from their own stream per pair, so how elements are rendered never moves
    // the motif sets, labels or oracles.
    Rng render(StreamSeed(options.seed, kStreamRender, c * (kMaxPairsPerCell + 3) + i));
    g.e_seq = RenderElement(e, w.motifs, gc, kmer, render, options.max_instance_mismatches,
                            e_style);
    g.p_seq = RenderElement(p, w.motifs, gc, "", render, options.max_instance_mismatches,
                            p_style);
    g.pair.enhancer = ElementName(cell.info.name, 'E', i + 1);
    g.pair.promoter = ElementName(cell.info.name, 'P', i + 1);
    g.pair.label = label;
    g.pair.cell_line = cell.info.name;
    out.push_back(std::move(g));
  }
}

/// Shuffles each split, then fills the layout, the oracle rows and the shortcut scores.
void FillSplits(const World& w, std::map<std::string, std::vector<Generated>>& by_split,
                SimulationResult& result, std::vector<double>& shortcut_scores) {
  Rng shuffle_rng(StreamSeed(w.options.seed, kStreamShuffle));
  for (const char* split : {"train", "val", "test"}) {
    auto& items = by_split[split];
    for (size_t i = items.size(); i > 1; --i)
      std::swap(items[i - 1], items[shuffle_rng.UniformInt(static_cast<int>(i))]);
    SequenceSplit& dst = std::string(split) == "train" ? result.data.train
                         : std::string(split) == "val" ? result.data.val
                                                       : result.data.test;
    dst.pairs.reserve(items.size());
    for (Generated& g : items) {
      OracleRow row;
      row.split = split;
      row.enhancer = g.pair.enhancer;
      row.promoter = g.pair.promoter;
      row.cell_line = g.pair.cell_line;
      row.label = g.pair.label;
      row.p_true = g.p_true;
      row.p_env_blind = g.p_blind;
      result.oracle.push_back(std::move(row));
      if (!w.train_kmers.empty())
        shortcut_scores.push_back(ShortcutScore(g.e_seq, g.p_seq, w.train_kmers));
      dst.seqs.enhancers.emplace(g.pair.enhancer, std::move(g.e_seq));
      dst.seqs.promoters.emplace(g.pair.promoter, std::move(g.p_seq));
      dst.pairs.push_back(std::move(g.pair));
    }
  }
  result.data.has_val = w.options.val_cells > 0;
}

/// Summaries per split and per cell (oracles, shortcut score, reference learner).
void Summarize(const std::vector<CellModel>& cells, const std::vector<double>& shortcut_scores,
               SimulationResult& result) {
  std::map<std::string, std::vector<size_t>> split_idx, cell_idx;
  for (size_t i = 0; i < result.oracle.size(); ++i) {
    split_idx[result.oracle[i].split].push_back(i);
    cell_idx[result.oracle[i].cell_line].push_back(i);
  }
  for (const char* split : {"train", "val", "test"})
    if (split_idx.count(split))
      result.splits.push_back(SummarizeOracle(split, split, result.oracle, split_idx[split],
                                              shortcut_scores, result.reference_scores));
  for (const CellModel& c : cells) {
    result.cells.push_back(c.info);
    result.per_cell.push_back(SummarizeOracle(c.info.name, c.info.split, result.oracle,
                                              cell_idx[c.info.name], shortcut_scores,
                                              result.reference_scores));
  }
}

}  // namespace

SimulationResult GenerateSimulation(const SimulationOptions& options) {
  ValidateSimulationOptions(options);
  const uint64_t seed = options.seed;
  SimulationResult result;
  result.options = options;

  Rng motif_rng(StreamSeed(seed, kStreamMotifs));
  const std::vector<Motif> motifs = GenerateMotifs(options, motif_rng);
  Rng grammar_rng(StreamSeed(seed, kStreamGrammar));
  const Grammar grammar = GenerateGrammar(options, grammar_rng);
  Rng cell_rng(StreamSeed(seed, kStreamCells));
  Rng shortcut_rng(StreamSeed(seed, kStreamShortcuts));
  std::vector<CellModel> cells = GenerateCells(options, motifs, cell_rng, shortcut_rng);
  for (size_t c = 0; c < cells.size(); ++c) {
    Rng cal_rng(StreamSeed(seed, kStreamCalibration, c));
    CalibrateResistance(cells[c], grammar, options, motifs, kCalibrationSamples, cal_rng);
  }
  World world{options, motifs, grammar, {}, {}};
  for (const CellModel& c : cells)
    if (c.info.split == "train") {
      world.train_cells.push_back(&c);
      if (!c.info.shortcut_kmer.empty()) world.train_kmers.push_back(c.info.shortcut_kmer);
    }

  // Pairs, cell by cell; the pairs of a split are shared evenly among its cells.
  std::map<std::string, std::vector<Generated>> by_split;
  const std::map<std::string, std::pair<long, int>> sizes = {
      {"train", {options.train_pairs, options.train_cells}},
      {"val", {options.val_pairs, options.val_cells}},
      {"test", {options.test_pairs, options.test_cells}}};
  std::map<std::string, int> seen_in_split;
  for (size_t c = 0; c < cells.size(); ++c) {
    const auto [split_pairs, split_cells] = sizes.at(cells[c].info.split);
    const int k = seen_in_split[cells[c].info.split]++;
    const long n = split_pairs / split_cells + (k < split_pairs % split_cells ? 1 : 0);
    GenerateCellPairs(world, cells[c], c, n, by_split[cells[c].info.split]);
  }
  std::vector<double> shortcut_scores;
  FillSplits(world, by_split, result, shortcut_scores);

  // The motif-informed reference learner, given the true PWMs.
  std::vector<Pwm> pwms;
  for (const Motif& m : motifs) pwms.push_back(m.pwm);
  const ReferenceLearnerResult reference = FitMotifReference(pwms, result.data);
  result.reference_scores = reference.scores;

  Summarize(cells, shortcut_scores, result);
  for (const Motif& m : motifs) result.motifs.push_back(m.consensus);
  result.metadata = SimulationMetadata(result, motifs, grammar, reference);
  return result;
}

}  // namespace prism
