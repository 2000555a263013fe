// The simulator: draws motifs, grammar and cells, then the pairs of every cell line, their
// labels and oracle probabilities (see docs/simulator.md).
#include <cstdio>
#include <map>

#include "prism/error.h"
#include "prism/simulate.h"
#include "sim/generative_model.h"

namespace prism {
namespace {

constexpr int kCalibrationSamples = 4000;

std::string ElementName(const std::string& cell, char kind, long index) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "_%c%06ld", kind, index);
  return cell + buf;
}

Json SummaryJson(const OracleSummary& s) {
  Json j;
  j["pairs"] = s.pairs;
  j["positives"] = s.positives;
  j["positive_rate"] = JsonNumber(s.positive_rate);
  j["mean_p_true"] = JsonNumber(s.mean_p_true);
  j["aupr_true"] = JsonNumber(s.aupr_true);
  j["aupr_env_blind"] = JsonNumber(s.aupr_env_blind);
  j["aupr_shortcut"] = JsonNumber(s.aupr_shortcut);
  return j;
}

}  // namespace

SimulationResult GenerateSimulation(const SimulationOptions& options) {
  using namespace sim;
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
  std::vector<const CellModel*> train_cells;
  std::vector<std::string> kmers;  // the train cells' shortcut k-mers
  for (const CellModel& c : cells) {
    if (c.info.split == "train") train_cells.push_back(&c);
    if (!c.info.shortcut_kmer.empty()) kmers.push_back(c.info.shortcut_kmer);
  }

  // Pairs, cell by cell (each cell has its own random stream).
  struct Generated {
    Pair pair;
    std::string e_seq, p_seq;
    double p_true, p_blind;
  };
  std::map<std::string, std::vector<Generated>> by_split;
  const std::map<std::string, std::pair<long, int>> sizes = {
      {"train", {options.train_pairs, options.train_cells}},
      {"val", {options.val_pairs, options.val_cells}},
      {"test", {options.test_pairs, options.test_cells}}};
  std::map<std::string, int> seen_in_split;
  for (size_t c = 0; c < cells.size(); ++c) {
    const CellModel& cell = cells[c];
    const auto [split_pairs, split_cells] = sizes.at(cell.info.split);
    const int k = seen_in_split[cell.info.split]++;
    const long n = split_pairs / split_cells + (k < split_pairs % split_cells ? 1 : 0);
    // Random draws do not depend on whether shortcuts are on: train enhancers always reserve
    // the k-mer slot and every pair draws the planting decision, so --no-shortcuts keeps the
    // cells, motif layouts, labels and p_true of the same seed.
    const bool shortcut = !cell.info.shortcut_kmer.empty();
    const int kmer_len = cell.info.split == "train" ? options.shortcut_kmer_length : 0;
    Rng rng(StreamSeed(seed, kStreamPairs, c));
    auto& out = by_split[cell.info.split];
    for (long i = 0; i < n; ++i) {
      const auto e_ids = SampleElementMotifs(cell, options.enhancer_motif_mean, rng);
      const auto p_ids = SampleElementMotifs(cell, options.promoter_motif_mean, rng);
      const ElementLayout e = PlaceElement(options.enhancer_length, e_ids, motifs, kmer_len, rng);
      const ElementLayout p = PlaceElement(options.promoter_length, p_ids, motifs, 0, rng);
      Generated g;
      g.p_true = TrueProbability(grammar, options, cell, e.motifs, p.motifs);
      g.p_blind = EnvBlindProbability(grammar, options, train_cells, e.motifs, p.motifs);
      const int label = rng.Uniform() < g.p_true ? 1 : 0;
      std::string kmer;
      const double plant = rng.Uniform();
      if (shortcut &&
          plant < (label ? options.shortcut_positive_prob : options.shortcut_negative_prob))
        kmer = cell.info.shortcut_kmer;
      const double gc = options.background_gc + (label ? cell.info.gc_shift : 0.0);
      // Bases come from their own stream per pair, so how elements are rendered never moves
      // the motif sets, labels or oracles.
      Rng render(StreamSeed(seed, kStreamRender, c * (kMaxPairsPerCell + 3) + i));
      g.e_seq = RenderElement(e, motifs, gc, kmer, render, options.max_instance_mismatches);
      g.p_seq = RenderElement(p, motifs, gc, "", render, options.max_instance_mismatches);
      g.pair.enhancer = ElementName(cell.info.name, 'E', i + 1);
      g.pair.promoter = ElementName(cell.info.name, 'P', i + 1);
      g.pair.label = label;
      g.pair.cell_line = cell.info.name;
      out.push_back(std::move(g));
    }
  }

  // Shuffle each split, then fill the layout, the oracle rows and the shortcut scores.
  std::vector<double> shortcut_scores;
  Rng shuffle_rng(StreamSeed(seed, kStreamShuffle));
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
      if (!kmers.empty()) shortcut_scores.push_back(ShortcutScore(g.e_seq, g.p_seq, kmers));
      dst.seqs.enhancers.emplace(g.pair.enhancer, std::move(g.e_seq));
      dst.seqs.promoters.emplace(g.pair.promoter, std::move(g.p_seq));
      dst.pairs.push_back(std::move(g.pair));
    }
  }
  result.data.has_val = options.val_cells > 0;

  // Summaries per split and per cell.
  std::map<std::string, std::vector<size_t>> split_idx, cell_idx;
  for (size_t i = 0; i < result.oracle.size(); ++i) {
    split_idx[result.oracle[i].split].push_back(i);
    cell_idx[result.oracle[i].cell_line].push_back(i);
  }
  for (const char* split : {"train", "val", "test"})
    if (split_idx.count(split))
      result.splits.push_back(
          SummarizeOracle(split, split, result.oracle, split_idx[split], shortcut_scores));
  for (const CellModel& c : cells) {
    result.cells.push_back(c.info);
    result.per_cell.push_back(
        SummarizeOracle(c.info.name, c.info.split, result.oracle, cell_idx[c.info.name],
                        shortcut_scores));
  }
  for (const Motif& m : motifs) result.motifs.push_back(m.consensus);

  // simulation.json.
  Json& meta = result.metadata;
  meta["format"] = "prism-simulation/1";
  meta["preset"] = options.preset;
  meta["seed"] = options.seed;
  meta["options"] = SimulationOptionsToJson(options);
  Json jm = Json::array();
  for (size_t i = 0; i < motifs.size(); ++i) {
    Json m;
    m["id"] = i;
    m["consensus"] = motifs[i].consensus;
    m["pwm"] = motifs[i].pwm;
    jm.push_back(m);
  }
  meta["motifs"] = jm;
  Json jg = Json::array();
  for (int i = 0; i < grammar.num_motifs; ++i)
    for (int j = 0; j < grammar.num_motifs; ++j)
      if (grammar.at(i, j) != 0.0)
        jg.push_back({{"enhancer_motif", i}, {"promoter_motif", j}, {"weight", grammar.at(i, j)}});
  meta["grammar"] = jg;
  meta["temperature"] = options.temperature;
  meta["p_true"] = "sigmoid((U_c - r_c) / T) with the pair's own cell c";
  meta["p_env_blind"] =
      "mean over the training cells c' (uniform) of sigmoid((U_c' - r_c') / T), U_c' computed "
      "from the pair's planted motifs; the cell of the pair is not used";
  meta["shortcut_score"] =
      "1 if the enhancer contains any train cell's shortcut k-mer, plus the GC fraction of "
      "enhancer and promoter; aupr_shortcut is its AUPR (a learner that only knows the shortcuts)";
  Json jc = Json::array();
  for (size_t c = 0; c < result.cells.size(); ++c) {
    const SimulatedCell& info = result.cells[c];
    Json j = SummaryJson(result.per_cell[c]);
    j["name"] = info.name;
    j["split"] = info.split;
    j["resistance"] = info.resistance;
    j["target_positive_rate"] = info.target_positive_rate;
    j["activity"] = info.activity;
    j["shortcut_kmer"] = info.shortcut_kmer;
    j["gc_shift"] = info.gc_shift;
    jc.push_back(j);
  }
  meta["cells"] = jc;
  Json js = Json::object();
  for (const OracleSummary& s : result.splits) {
    Json j = SummaryJson(s);
    Json per = Json::object();
    for (const OracleSummary& c : result.per_cell)
      if (c.split == s.name) per[c.name] = SummaryJson(c);
    j["per_cell"] = per;
    js[s.name] = j;
  }
  meta["splits"] = js;
  return result;
}

}  // namespace prism
