// Tests of the simulator: presets, validation, determinism, shapes, shortcuts, oracle.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "prism/atomic_file.h"
#include "prism/domain_kl.h"
#include "prism/line_reader.h"
#include "prism/metric.h"
#include "prism/simulate.h"
#include "sim/generative_model.h"
#include "sim/random.h"
#include "test_util.h"

namespace prism {
namespace {

namespace fs = std::filesystem;

const SimulationResult& TinySim() {
  static const SimulationResult r = GenerateSimulation(SimulationPreset("tiny"));
  return r;
}

const SimulationResult& DefaultSim() {
  static const SimulationResult r = GenerateSimulation(SimulationPreset("default"));
  return r;
}

double Gc(const std::string& s) {
  double gc = 0;
  for (char c : s) gc += c == 'G' || c == 'C';
  return gc / static_cast<double>(s.size());
}

std::map<std::string, std::string> ReadTree(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file())
      files[fs::relative(e.path(), dir).string()] = ReadFile(e.path().string());
  return files;
}

TEST(SimulatePreset, KnownAndUnknown) {
  EXPECT_EQ(SimulationPreset("tiny").preset, "tiny");
  EXPECT_EQ(SimulationPreset("default").train_cells, 4);
  EXPECT_EQ(SimulationPresetNames().size(), 4u);
  EXPECT_EQ(SimulationPreset("transfer").num_motifs, 24);
  for (const std::string& name : SimulationPresetNames())
    EXPECT_NO_THROW(ValidateSimulationOptions(SimulationPreset(name))) << name;
  ExpectInputError([] { SimulationPreset("huge"); },
                   "unknown simulation preset 'huge' (expected one of: tiny, default, transfer, "
                   "transfer-tiny)");
}

TEST(SimulateOptions, BadOptionsThrow) {
  auto bad = [](auto mutate, const std::string& text) {
    SimulationOptions o = SimulationPreset("tiny");
    mutate(o);
    ExpectInputError([&] { ValidateSimulationOptions(o); }, text);
    ExpectInputError([&] { GenerateSimulation(o); }, text);
  };
  bad([](SimulationOptions& o) { o.temperature = 0; }, "--temperature must be > 0");
  bad([](SimulationOptions& o) { o.num_motifs = 65; }, "--motifs must be in 2..64");
  bad([](SimulationOptions& o) { o.motif_consensus_prob = 0.2; },
      "--consensus must be in (0.25, 1]");
  bad([](SimulationOptions& o) { o.test_cells = 0; }, "--test-cells must be >= 1");
  bad([](SimulationOptions& o) { o.enhancer_length = 20; },
      "--enhancer-length and --promoter-length must be >= 32");
  bad([](SimulationOptions& o) { o.train_pairs = 2; },
      "--train-pairs must be >= the number of train cells");
  bad([](SimulationOptions& o) { o.val_cells = 0; }, "--val-pairs must be 0 without val cells");
  bad([](SimulationOptions& o) { o.min_positive_rate = 0.5; o.max_positive_rate = 0.4; },
      "positive rates must satisfy 0 < min <= max < 1");
  bad([](SimulationOptions& o) { o.background_gc = 1.2; }, "--gc must be in (0.05, 0.95)");
  bad([](SimulationOptions& o) { o.test_pairs = 2000001; },
      "at most 1,000,000 pairs per cell line");
  bad([](SimulationOptions& o) { o.max_instance_mismatches = 4; },
      "--max-mismatches must be in -1..3 (-1 = no limit)");
  bad([](SimulationOptions& o) { o.pwm_dirichlet_alpha = 0.2; },
      "--pwm-alpha and --random-strand need --max-mismatches -1");
  bad([](SimulationOptions& o) { o.enhancer_max_length = 100; },
      "--enhancer-max-length / --promoter-max-length must be 0 or >= the minimum length");
  bad([](SimulationOptions& o) { o.grammar_activating = 40; },
      "--grammar-activating plus --grammar-inhibitory must be in 0..motifs^2");
  bad([](SimulationOptions& o) { o.activity_distribution = "gamma"; },
      "--activity must be lognormal or beta");
  bad([](SimulationOptions& o) { o.shortcut_unseen_prob = 1.5; },
      "--shortcut-unseen-prob must be in [0, 1]");
}

TEST(Simulate, ShapesAndCounts) {
  const SimulationResult& r = TinySim();
  const SimulationOptions& o = r.options;
  EXPECT_EQ(static_cast<long>(r.data.train.pairs.size()), o.train_pairs);
  EXPECT_EQ(static_cast<long>(r.data.val.pairs.size()), o.val_pairs);
  EXPECT_EQ(static_cast<long>(r.data.test.pairs.size()), o.test_pairs);
  EXPECT_TRUE(r.data.has_val);
  EXPECT_EQ(static_cast<long>(r.oracle.size()), o.train_pairs + o.val_pairs + o.test_pairs);
  ASSERT_EQ(static_cast<int>(r.cells.size()), o.train_cells + o.val_cells + o.test_cells);
  EXPECT_EQ(static_cast<int>(r.motifs.size()), o.num_motifs);
  std::map<std::string, std::string> split_of;
  for (const SimulatedCell& c : r.cells) split_of[c.name] = c.split;
  const std::pair<const char*, const SequenceSplit*> splits[] = {
      {"train", &r.data.train}, {"val", &r.data.val}, {"test", &r.data.test}};
  std::set<std::string> names;
  for (const auto& [name, split] : splits) {
    std::set<std::string> cells;
    for (const Pair& p : split->pairs) {
      EXPECT_EQ(split_of.at(p.cell_line), name) << p.cell_line;
      cells.insert(p.cell_line);
      ASSERT_TRUE(split->seqs.enhancers.count(p.enhancer));
      ASSERT_TRUE(split->seqs.promoters.count(p.promoter));
      EXPECT_EQ(static_cast<int>(split->seqs.enhancers.at(p.enhancer).size()), o.enhancer_length);
      EXPECT_EQ(static_cast<int>(split->seqs.promoters.at(p.promoter).size()), o.promoter_length);
      EXPECT_TRUE(names.insert(p.enhancer).second) << "duplicate " << p.enhancer;
      EXPECT_TRUE(names.insert(p.promoter).second) << "duplicate " << p.promoter;
    }
    EXPECT_EQ(split->seqs.enhancers.size(), split->pairs.size());
    const int want = std::string(name) == "train" ? o.train_cells
                     : std::string(name) == "val" ? o.val_cells
                                                  : o.test_cells;
    EXPECT_EQ(static_cast<int>(cells.size()), want) << name;
  }
  for (const OracleSummary& c : r.per_cell) {
    EXPECT_GE(c.positive_rate, 0.03) << c.name;
    EXPECT_LE(c.positive_rate, 0.45) << c.name;
  }
}

TEST(Simulate, DeterministicBySeed) {
  TempDir tmp;
  SimulationOptions o = SimulationPreset("tiny");
  o.seed = 7;
  Simulate(o, tmp.Join("a"));
  Simulate(o, tmp.Join("b"));
  o.seed = 8;
  Simulate(o, tmp.Join("c"));
  const auto a = ReadTree(tmp.Join("a")), b = ReadTree(tmp.Join("b")), c = ReadTree(tmp.Join("c"));
  ASSERT_EQ(a.size(), 11u);  // 3 splits x 3 files + oracle.csv + simulation.json
  EXPECT_TRUE(a == b) << "same seed must give byte-identical files";
  EXPECT_NE(a.at("train/ALL/e_seq.csv"), c.at("train/ALL/e_seq.csv"));
  EXPECT_NE(a.at("oracle.csv"), c.at("oracle.csv"));
}

TEST(Simulate, WrittenFilesReadBack) {
  TempDir tmp;
  const SimulationResult r = Simulate(SimulationPreset("tiny"), tmp.path());
  const DomainKlData d = ReadDomainKl(tmp.path());
  ASSERT_EQ(d.train.pairs.size(), r.data.train.pairs.size());
  ASSERT_EQ(d.test.pairs.size(), r.data.test.pairs.size());
  EXPECT_TRUE(d.has_val);
  for (size_t i = 0; i < d.train.pairs.size(); ++i) {
    EXPECT_EQ(d.train.pairs[i].enhancer, r.data.train.pairs[i].enhancer);
    EXPECT_EQ(d.train.pairs[i].label, r.data.train.pairs[i].label);
    EXPECT_EQ(d.train.seqs.enhancers.at(d.train.pairs[i].enhancer),
              r.data.train.seqs.enhancers.at(d.train.pairs[i].enhancer));
  }
  // oracle.csv: header + one row per pair, labels as in the layout.
  LineReader in(tmp.Join("oracle.csv"));
  std::string line;
  ASSERT_TRUE(in.Next(&line));
  EXPECT_EQ(line, "split,enhancer,promoter,cell_line,label,p_true,p_env_blind");
  long rows = 0;
  while (in.Next(&line)) ++rows;
  EXPECT_EQ(rows, static_cast<long>(r.oracle.size()));
  const Json meta = ReadJsonFile(tmp.Join("simulation.json"));
  EXPECT_EQ(meta["seed"], 1);
  EXPECT_EQ(meta["cells"].size(), r.cells.size());
  EXPECT_DOUBLE_EQ(ReadPath(meta, {"splits", "test", "aupr_true"}), r.splits.back().aupr_true);
  EXPECT_TRUE(meta["splits"]["test"]["per_cell"].contains("test1"));
  EXPECT_EQ(meta["motifs"].size(), static_cast<size_t>(r.options.num_motifs));
}

TEST(Simulate, BayesRecordReadsTheSplitsOfTheSameData) {
  TempDir tmp;
  const SimulationResult r = Simulate(SimulationPreset("tiny"), tmp.path());
  ASSERT_EQ(r.splits.size(), 3u);  // train, val, test
  const Json run_data = {{"train_pairs", r.data.train.pairs.size()},
                         {"val_pairs", r.data.val.pairs.size()},
                         {"test_pairs", r.data.test.pairs.size()}};
  const Json rec = SimulationBayesRecord(tmp.path(), run_data);
  ASSERT_TRUE(rec.is_object());
  EXPECT_EQ(rec["source"], tmp.Join("simulation.json"));
  EXPECT_DOUBLE_EQ(rec["train"].get<double>(), r.splits[0].aupr_true);
  EXPECT_DOUBLE_EQ(rec["val"].get<double>(), r.splits[1].aupr_true);
  EXPECT_DOUBLE_EQ(rec["test"].get<double>(), r.splits[2].aupr_true);
  // Other data (a pair count differs): no record, and the mismatch is named.
  Json other = run_data;
  other["val_pairs"] = 7;
  EXPECT_TRUE(SimulationBayesRecord(tmp.path(), other).is_null());
  std::string why;
  EXPECT_TRUE(ReadSimulationSplits(tmp.Join("simulation.json"), other, &why).is_null());
  EXPECT_NE(why.find("val pairs 120, the run's 7"), std::string::npos) << why;
  // Not a simulation folder, or not a prism simulation: no record; unreadable: an InputError.
  TempDir empty;
  EXPECT_TRUE(SimulationBayesRecord(empty.path(), run_data).is_null());
  empty.Write("simulation.json", "{\"format\": \"something-else\", \"splits\": {}}");
  EXPECT_TRUE(SimulationBayesRecord(empty.path(), run_data).is_null());
  empty.Write("simulation.json", "{\"format\": \"prism-simulation/1\", \"splits\": {\"val\": {}}}");
  ExpectInputError([&] { SimulationBayesRecord(empty.path(), run_data); },
                   "expected splits.train and splits.test");
  empty.Write("simulation.json", "{\"format\": ");
  EXPECT_THROW(SimulationBayesRecord(empty.path(), run_data), InputError);
}

TEST(Simulate, NoValSplitReplacesStaleVal) {
  TempDir tmp;
  Simulate(SimulationPreset("tiny"), tmp.path());
  SimulationOptions o = SimulationPreset("tiny");
  o.val_cells = 0;
  o.val_pairs = 0;
  const SimulationResult r = Simulate(o, tmp.path());
  EXPECT_FALSE(r.data.has_val);
  const DomainKlData d = ReadDomainKl(tmp.path());
  EXPECT_FALSE(d.has_val);
  EXPECT_EQ(d.test.pairs.size(), r.data.test.pairs.size());
}

TEST(Simulate, ShortcutKmerOnlyInTrainCells) {
  const SimulationResult& r = DefaultSim();
  std::vector<std::string> kmers;
  for (const SimulatedCell& c : r.cells) {
    if (c.split == "train") {
      ASSERT_EQ(static_cast<int>(c.shortcut_kmer.size()), r.options.shortcut_kmer_length);
      kmers.push_back(c.shortcut_kmer);
    } else {
      EXPECT_TRUE(c.shortcut_kmer.empty()) << c.name;
      EXPECT_EQ(c.gc_shift, 0.0);
    }
  }
  std::map<std::string, std::string> kmer_of;
  for (const SimulatedCell& c : r.cells) kmer_of[c.name] = c.shortcut_kmer;
  // In train cells: in most positives' enhancers, few negatives'.
  std::map<std::string, std::array<long, 4>> n;  // pos_with, pos, neg_with, neg
  for (const Pair& p : r.data.train.pairs) {
    const bool has = r.data.train.seqs.enhancers.at(p.enhancer).find(kmer_of[p.cell_line]) !=
                     std::string::npos;
    auto& c = n[p.cell_line];
    c[p.label ? 0 : 2] += has;
    c[p.label ? 1 : 3] += 1;
  }
  const double p_pos = r.options.shortcut_positive_prob, p_neg = r.options.shortcut_negative_prob;
  ASSERT_GT(p_pos, p_neg + 0.2) << "the shortcut must be a strong train-only signal";
  for (const auto& [cell, c] : n) {
    EXPECT_NEAR(static_cast<double>(c[0]) / c[1], p_pos, 0.1) << cell;
    EXPECT_NEAR(static_cast<double>(c[2]) / c[3], p_neg, 0.03) << cell;
  }
  // Val and test enhancers carry a train k-mer only by chance (a given 8-mer occurs in a random
  // 500 bp sequence with probability ~0.7%).
  for (const SequenceSplit* split : {&r.data.val, &r.data.test})
    for (const std::string& k : kmers) {
      long with = 0;
      for (const auto& [name, seq] : split->seqs.enhancers) with += seq.find(k) != std::string::npos;
      EXPECT_LT(static_cast<double>(with) / split->seqs.enhancers.size(), 0.02) << k;
    }
  // GC shift: positives of train cells are GC-richer than their negatives, test ones are not.
  auto gc_gap = [](const SequenceSplit& s) {
    double pos = 0, neg = 0;
    long np = 0, nn = 0;
    for (const Pair& p : s.pairs) {
      const double g = Gc(s.seqs.promoters.at(p.promoter));
      (p.label ? pos : neg) += g;
      (p.label ? np : nn) += 1;
    }
    return pos / np - neg / nn;
  };
  EXPECT_GT(gc_gap(r.data.train), 0.5 * r.options.shortcut_gc_shift);
  EXPECT_LT(std::fabs(gc_gap(r.data.test)), 0.02);
  // A shortcut-only learner is good on train and near chance on test.
  const OracleSummary& train = r.splits.front();
  const OracleSummary& test = r.splits.back();
  EXPECT_GT(train.aupr_shortcut, 0.6);
  EXPECT_LT(test.aupr_shortcut, test.positive_rate + 0.1);
}

TEST(Simulate, NoShortcuts) {
  SimulationOptions o = SimulationPreset("tiny");
  o.shortcuts = false;
  const SimulationResult r = GenerateSimulation(o);
  for (const SimulatedCell& c : r.cells) {
    EXPECT_TRUE(c.shortcut_kmer.empty());
    EXPECT_EQ(c.gc_shift, 0.0);
  }
  EXPECT_TRUE(std::isnan(r.splits.front().aupr_shortcut));
  // Same ground truth as with shortcuts (separate random streams): motifs, cells, labels and
  // p_true; test sequences identical, train positives differ.
  const SimulationResult& with = TinySim();
  EXPECT_EQ(r.motifs, with.motifs);
  ASSERT_EQ(r.oracle.size(), with.oracle.size());
  for (size_t i = 0; i < r.oracle.size(); ++i) {
    EXPECT_EQ(r.oracle[i].enhancer, with.oracle[i].enhancer);
    EXPECT_EQ(r.oracle[i].label, with.oracle[i].label);
    EXPECT_EQ(r.oracle[i].p_true, with.oracle[i].p_true);
  }
  EXPECT_EQ(r.data.test.seqs.enhancers, with.data.test.seqs.enhancers);
  EXPECT_NE(r.data.train.seqs.enhancers, with.data.train.seqs.enhancers);
}

TEST(Simulate, AlternatingGcShortcutIsCellSpecific) {
  SimulationOptions o = SimulationPreset("default");
  o.train_pairs = 2000;
  o.shortcut_gc_alternate = true;
  const SimulationResult r = GenerateSimulation(o);
  // Signs +, -, +, - over the training cells; GC gap of positives vs negatives follows them.
  std::map<std::string, double> shift;
  int i = 0;
  for (const SimulatedCell& c : r.cells)
    if (c.split == "train") {
      EXPECT_DOUBLE_EQ(c.gc_shift, (i++ % 2 ? -1 : 1) * o.shortcut_gc_shift) << c.name;
      shift[c.name] = c.gc_shift;
    }
  ASSERT_EQ(shift.size(), 4u);
  std::map<std::string, std::array<double, 4>> g;  // pos sum, pos n, neg sum, neg n
  for (const Pair& p : r.data.train.pairs) {
    auto& c = g[p.cell_line];
    c[p.label ? 0 : 2] += Gc(r.data.train.seqs.promoters.at(p.promoter));
    c[p.label ? 1 : 3] += 1;
  }
  for (const auto& [cell, c] : g)
    EXPECT_NEAR(c[0] / c[1] - c[2] / c[3], shift[cell], 0.6 * o.shortcut_gc_shift) << cell;
  // The same cells, labels and oracle as the default pattern (the sign only moves train bases).
  SimulationOptions same = o;
  same.shortcut_gc_alternate = false;
  const SimulationResult s = GenerateSimulation(same);
  ASSERT_EQ(r.oracle.size(), s.oracle.size());
  for (size_t k = 0; k < r.oracle.size(); k += 97) EXPECT_EQ(r.oracle[k].p_true, s.oracle[k].p_true);
  o.background_gc = 0.04;
  EXPECT_THROW(ValidateSimulationOptions(o), Error);
}

TEST(Simulate, LabelsFollowTrueProbability) {
  const SimulationResult& r = DefaultSim();
  for (const OracleSummary& s : r.per_cell) {
    const double sd = std::sqrt(s.mean_p_true * (1 - s.mean_p_true) / s.pairs);
    EXPECT_NEAR(s.positive_rate, s.mean_p_true, 4 * sd + 0.005) << s.name;
  }
  // Within calibration bins of p_true, the label rate follows p_true.
  std::vector<double> sum_p(5), sum_y(5), n(5);
  for (const OracleRow& row : r.oracle) {
    const int b = std::min(4, static_cast<int>(row.p_true * 5));
    sum_p[b] += row.p_true;
    sum_y[b] += row.label;
    n[b] += 1;
  }
  for (int b = 0; b < 5; ++b)
    if (n[b] >= 200) EXPECT_NEAR(sum_y[b] / n[b], sum_p[b] / n[b], 0.06) << "bin " << b;
}

TEST(Simulate, TrueOracleBeatsEnvBlindOnTest) {
  const SimulationResult& r = DefaultSim();
  const OracleSummary& test = r.splits.back();
  ASSERT_EQ(test.name, "test");
  EXPECT_GT(test.aupr_true, test.aupr_env_blind + 0.03);
  EXPECT_GT(test.aupr_env_blind, test.positive_rate + 0.2) << "an invariant core must transfer";
  for (const OracleSummary& c : r.per_cell)
    if (c.split == "test") EXPECT_GT(c.aupr_true, c.aupr_env_blind) << c.name;
  // The summary agrees with the oracle rows.
  std::vector<int> y;
  std::vector<double> s;
  for (const OracleRow& row : r.oracle)
    if (row.split == "test") {
      y.push_back(row.label);
      s.push_back(row.p_true);
    }
  EXPECT_DOUBLE_EQ(metric::AveragePrecision(y, s), test.aupr_true);
}

TEST(Simulate, MotifCompositionRevealsCell) {
  // Cells differ in which motifs they plant: the motif-occurrence profile of two cells differs
  // more than two halves of one cell.
  const SimulationResult& r = TinySim();
  auto profile = [&](const std::string& cell, int half) {
    std::map<std::string, double> counts;
    int i = 0;
    for (const Pair& p : r.data.train.pairs) {
      if (p.cell_line != cell || (i++ % 2) != half) continue;
      for (const std::string& m : r.motifs)
        counts[m] += r.data.train.seqs.enhancers.at(p.enhancer).find(m.substr(0, 6)) !=
                     std::string::npos;
    }
    return counts;
  };
  auto dist = [&](const std::map<std::string, double>& a, const std::map<std::string, double>& b) {
    double d = 0;
    for (const auto& [k, v] : a) d += std::fabs(v - b.at(k));
    return d;
  };
  EXPECT_GT(dist(profile("train1", 0), profile("train2", 0)),
            dist(profile("train1", 0), profile("train1", 1)));
}

// Recomputes p_true of every pair from its sequences alone: scan for windows within one
// mismatch of each motif consensus, then U_c and sigmoid((U_c - r_c) / T) with the grammar and
// cells from the metadata. With identifiable motifs (the default) this reproduces the oracle for
// every pair; without (-1) the scan finds spurious or misses mutated instances for some pairs.
int PairsWhoseOracleIsRecoverable(const SimulationResult& r) {
  const Json& m = r.metadata;
  const size_t n_motifs = r.motifs.size();
  std::vector<double> g(n_motifs * n_motifs, 0.0);
  for (const auto& e : m.at("grammar"))
    g[e.at("enhancer_motif").get<size_t>() * n_motifs + e.at("promoter_motif").get<size_t>()] =
        e.at("weight").get<double>();
  const double lambda = m.at("options").at("modulation").get<double>();
  const double w = m.at("options").at("count_weight").get<double>();
  const double t = m.at("options").at("temperature").get<double>();
  std::map<std::string, const SimulatedCell*> cells;
  for (const auto& c : r.cells) cells[c.name] = &c;
  auto scan = [&](const std::string& seq) {
    std::vector<int> count(n_motifs, 0);
    for (size_t id = 0; id < n_motifs; ++id) {
      const std::string& cons = r.motifs[id];
      for (size_t s = 0; s + cons.size() <= seq.size(); ++s) {
        int mm = 0;
        for (size_t i = 0; i < cons.size() && mm <= 1; ++i) mm += seq[s + i] != cons[i];
        count[id] += mm <= 1;
      }
    }
    return count;
  };
  std::map<std::string, std::string> enh, pro;
  for (const SequenceSplit* sp : {&r.data.train, &r.data.val, &r.data.test}) {
    enh.insert(sp->seqs.enhancers.begin(), sp->seqs.enhancers.end());
    pro.insert(sp->seqs.promoters.begin(), sp->seqs.promoters.end());
  }
  int ok = 0;
  for (const OracleRow& row : r.oracle) {
    const SimulatedCell& c = *cells.at(row.cell_line);
    const auto e = scan(enh.at(row.enhancer)), p = scan(pro.at(row.promoter));
    double u = 0;
    int n = 0;
    for (size_t i = 0; i < n_motifs; ++i) {
      n += e[i] + p[i];
      for (size_t j = 0; j < n_motifs; ++j)
        if (e[i] && p[j])
          u += g[i * n_motifs + j] * ((1 - lambda) + lambda * c.activity[i] * c.activity[j]);
    }
    u += w * n;
    const double p_true = 1.0 / (1.0 + std::exp(-(u - c.resistance) / t));
    ok += std::fabs(p_true - row.p_true) < 1e-9;
  }
  return ok;
}

TEST(Simulate, OracleIsAFunctionOfTheSequence) {
  const SimulationResult& r = TinySim();
  ASSERT_EQ(r.options.max_instance_mismatches, 1);
  EXPECT_EQ(PairsWhoseOracleIsRecoverable(r), static_cast<int>(r.oracle.size()));
  SimulationOptions loose = SimulationPreset("tiny");
  loose.max_instance_mismatches = -1;  // PWM samples as drawn, background not cleaned
  const SimulationResult l = GenerateSimulation(loose);
  EXPECT_LT(PairsWhoseOracleIsRecoverable(l), static_cast<int>(l.oracle.size()) * 95 / 100);
}

// Two instances planted side by side can form a window that agrees with a third consensus on
// all its planted bases and has a single background base: no redraw can clear it. Rendering must
// leave it (as it leaves all-planted windows) instead of redrawing forever; the 80,000-pair
// default simulation hit this and failed.
TEST(SimulateRender, UnclearableWindowIsLeft) {
  std::vector<prism::sim::Motif> motifs(3);
  motifs[0].consensus = "ACGTTGCA";
  motifs[1].consensus = "CCATGGTA";
  motifs[2].consensus = "TGCACCATGGTAC";  // end of 0 + all of 1 + one background base
  prism::sim::ElementLayout layout;
  layout.length = 40;
  layout.motifs.Add(0);
  layout.starts.push_back(10);
  layout.motifs.Add(1);
  layout.starts.push_back(18);
  // Deterministic instances: every PWM row puts all mass on the consensus base.
  for (auto& m : motifs) {
    m.pwm.assign(m.consensus.size(), {0, 0, 0, 0});
    for (size_t i = 0; i < m.consensus.size(); ++i)
      m.pwm[i][std::string("ACGT").find(m.consensus[i])] = 1.0;
  }
  prism::sim::Rng rng(3);
  const std::string seq = prism::sim::RenderElement(layout, motifs, 0.42, "", rng, 1);
  ASSERT_EQ(seq.size(), 40u);
  EXPECT_EQ(seq.substr(10, 8), motifs[0].consensus);
  EXPECT_EQ(seq.substr(18, 8), motifs[1].consensus);
  EXPECT_EQ(seq.substr(14, 12), "TGCACCATGGTA");  // the unclearable window's planted part
}

TEST(SimulateCli, WritesLayoutAndRejectsBadOptions) {
  TempDir tmp;
  std::string out;
  ASSERT_EQ(RunCommand(std::string(PRISM_CLI) + " simulate --preset tiny --seed 3 --out " +
                           tmp.Join("sim") + " --train-pairs 300 --no-shortcuts",
                       &out), 0) << out;
  EXPECT_NE(out.find("AUPR(p_true)"), std::string::npos) << out;
  EXPECT_TRUE(fs::exists(tmp.Join("sim/train/ALL/pairs_hg19.csv")));
  EXPECT_TRUE(fs::exists(tmp.Join("sim/oracle.csv")));
  const Json meta = ReadJsonFile(tmp.Join("sim/simulation.json"));
  EXPECT_EQ(meta["options"]["train_pairs"], 300);
  EXPECT_EQ(meta["options"]["shortcuts"], false);
  EXPECT_EQ(RunCommand(std::string(PRISM_CLI) + " simulate --preset tiny --temperature 0 --out " +
                           tmp.Join("bad"), &out), 1);
  EXPECT_NE(out.find("prism: error: invalid simulation option: --temperature must be > 0"),
            std::string::npos) << out;
  EXPECT_FALSE(fs::exists(tmp.Join("bad/oracle.csv")));
}

TEST(SimulateCli, TransferOptionsReachTheSimulation) {
  TempDir tmp;
  std::string out;
  ASSERT_EQ(RunCommand(std::string(PRISM_CLI) + " simulate --preset transfer-tiny --out " +
                           tmp.Join("sim") + " --train-pairs 300 --val-pairs 100 --test-pairs 200"
                           " --pwm-alpha 0.3 --random-strand false --val-like-train false"
                           " --grammar-activating 5 --grammar-inhibitory 1 --silenced 0.5"
                           " --enhancer-max-length 900 --n-rate 0",
                       &out), 0) << out;
  EXPECT_NE(out.find("AUPR(reference)"), std::string::npos) << out;
  const Json meta = ReadJsonFile(tmp.Join("sim/simulation.json"));
  const Json& o = meta["options"];
  EXPECT_EQ(o["pwm_dirichlet_alpha"], 0.3);
  EXPECT_EQ(o["motif_random_strand"], false);
  EXPECT_EQ(o["val_cells_like_train"], false);
  EXPECT_EQ(o["activity_silenced_fraction"], 0.5);
  EXPECT_EQ(o["enhancer_max_length"], 900);
  EXPECT_EQ(meta["grammar"].size(), 6u);
  for (const auto& c : meta["cells"])
    if (c["split"] == "val") EXPECT_EQ(c["shortcut_kmer"], "");  // not training-like now
  EXPECT_TRUE(meta["splits"]["val"]["aupr_reference"].is_number());
  EXPECT_EQ(RunCommand(std::string(PRISM_CLI) + " simulate --preset transfer-tiny --out " +
                           tmp.Join("bad") + " --max-mismatches 1", &out), 1);
  EXPECT_NE(out.find("--pwm-alpha and --random-strand need --max-mismatches -1"),
            std::string::npos) << out;
}

const SimulationResult& TransferTinySim() {
  static const SimulationResult r = GenerateSimulation(SimulationPreset("transfer-tiny"));
  return r;
}

double CpgPerBase(const std::string& s) {
  double n = 0;
  for (size_t i = 0; i + 1 < s.size(); ++i) n += s[i] == 'C' && s[i + 1] == 'G';
  return n / static_cast<double>(s.size());
}

TEST(SimulateTransfer, LengthsCpgAndNBases) {
  const SimulationResult& r = TransferTinySim();
  const SimulationOptions& o = r.options;
  int e_min = 1 << 30, e_max = 0, p_min = 1 << 30, p_max = 0;
  double e_cpg = 0, p_cpg = 0;
  long ns = 0, bases = 0;
  for (const Pair& p : r.data.train.pairs) {
    const std::string& e = r.data.train.seqs.enhancers.at(p.enhancer);
    const std::string& q = r.data.train.seqs.promoters.at(p.promoter);
    e_min = std::min<int>(e_min, e.size()), e_max = std::max<int>(e_max, e.size());
    p_min = std::min<int>(p_min, q.size()), p_max = std::max<int>(p_max, q.size());
    e_cpg += CpgPerBase(e);
    p_cpg += CpgPerBase(q);
    for (const std::string* s : {&e, &q}) {
      bases += static_cast<long>(s->size());
      ns += std::count(s->begin(), s->end(), 'N');
    }
  }
  EXPECT_GE(e_min, o.enhancer_length);
  EXPECT_LE(e_max, o.enhancer_max_length);
  EXPECT_GT(e_max - e_min, (o.enhancer_max_length - o.enhancer_length) / 2);
  EXPECT_GE(p_min, o.promoter_length);
  EXPECT_LE(p_max, o.promoter_max_length);
  const double n = static_cast<double>(r.data.train.pairs.size());
  // Background CpG at GC 0.42: 0.21^2 = 0.044 per base; enhancers depleted, promoters enriched.
  EXPECT_LT(e_cpg / n, 0.025);
  EXPECT_GT(p_cpg / n, 0.06);
  EXPECT_GT(ns, 0);
  EXPECT_LT(static_cast<double>(ns) / bases, 3 * o.n_base_rate);
}

TEST(SimulateTransfer, DegeneratePwmsAndBetaActivity) {
  const SimulationResult& r = TransferTinySim();
  const Json& motifs = r.metadata["motifs"];
  ASSERT_EQ(static_cast<int>(motifs.size()), r.options.num_motifs);
  double max_share = 0, n_cols = 0;
  for (const auto& m : motifs)
    for (const auto& col : m["pwm"]) {
      double sum = 0, mx = 0;
      for (double v : col.get<std::vector<double>>()) sum += v, mx = std::max(mx, v);
      EXPECT_NEAR(sum, 1.0, 1e-9);
      max_share += mx;
      ++n_cols;
    }
  // Dirichlet(0.2) columns: peaked but not all at one base (E[max] ~ 0.8).
  EXPECT_GT(max_share / n_cols, 0.65);
  EXPECT_LT(max_share / n_cols, 0.93);
  long silenced = 0, total = 0;
  for (const SimulatedCell& c : r.cells)
    for (double a : c.activity) {
      EXPECT_GE(a, 0.0);
      EXPECT_LE(a, 1.0);
      silenced += a == 0.0;
      ++total;
    }
  EXPECT_NEAR(static_cast<double>(silenced) / total, r.options.activity_silenced_fraction, 0.12);
  EXPECT_EQ(static_cast<int>(r.metadata["grammar"].size()),
            r.options.grammar_activating + r.options.grammar_inhibitory);
  int inhibitory = 0;
  for (const auto& g : r.metadata["grammar"]) inhibitory += g["weight"].get<double>() < 0;
  EXPECT_EQ(inhibitory, r.options.grammar_inhibitory);
}

TEST(SimulateTransfer, ShortcutsPerTrainingLikeCellAndInUnseenCells) {
  const SimulationResult& r = TransferTinySim();
  const SimulationOptions& o = r.options;
  std::vector<std::string> train_kmers;
  std::set<std::string> all_kmers;
  for (const SimulatedCell& c : r.cells) {
    if (c.split == "test") EXPECT_TRUE(c.shortcut_kmer.empty()) << c.name;
    else EXPECT_EQ(static_cast<int>(c.shortcut_kmer.size()), o.shortcut_kmer_length) << c.name;
    if (!c.shortcut_kmer.empty()) EXPECT_TRUE(all_kmers.insert(c.shortcut_kmer).second);
    if (c.split == "train") train_kmers.push_back(c.shortcut_kmer);
  }
  auto rate = [&](const SequenceSplit& split, const std::string& cell, int label,
                  const std::vector<std::string>& kmers) {
    double with = 0, n = 0;
    for (const Pair& p : split.pairs) {
      if (p.cell_line != cell || p.label != label) continue;
      const std::string& e = split.seqs.enhancers.at(p.enhancer);
      bool has = false;
      for (const std::string& k : kmers) has = has || e.find(k) != std::string::npos;
      with += has;
      ++n;
    }
    return with / n;
  };
  for (const SimulatedCell& c : r.cells) {
    const SequenceSplit& split = c.split == "train" ? r.data.train
                                 : c.split == "val" ? r.data.val : r.data.test;
    if (c.split == "test") {
      EXPECT_NEAR(rate(split, c.name, 1, train_kmers), o.shortcut_unseen_prob, 0.07) << c.name;
      EXPECT_NEAR(rate(split, c.name, 0, train_kmers), o.shortcut_unseen_prob, 0.07) << c.name;
    } else {  // train and the held-out training-like val cells: their own k-mer
      EXPECT_NEAR(rate(split, c.name, 1, {c.shortcut_kmer}), o.shortcut_positive_prob, 0.1)
          << c.name;
      EXPECT_NEAR(rate(split, c.name, 0, {c.shortcut_kmer}), o.shortcut_negative_prob, 0.05)
          << c.name;
      EXPECT_GT(c.gc_shift, 0.0);
    }
  }
  for (const OracleSummary& c : r.per_cell) EXPECT_NEAR(c.positive_rate, 0.5, 0.1) << c.name;
}

TEST(SimulateTransfer, NoShortcutsKeepsLabelsAndOracle) {
  SimulationOptions o = SimulationPreset("transfer-tiny");
  o.shortcuts = false;
  const SimulationResult off = GenerateSimulation(o);
  const SimulationResult& on = TransferTinySim();
  ASSERT_EQ(off.oracle.size(), on.oracle.size());
  for (size_t i = 0; i < on.oracle.size(); ++i) {
    EXPECT_EQ(off.oracle[i].label, on.oracle[i].label);
    EXPECT_EQ(off.oracle[i].p_true, on.oracle[i].p_true);
  }
  for (const SimulatedCell& c : off.cells) EXPECT_TRUE(c.shortcut_kmer.empty());
}

TEST(SimulateTransfer, SaturatingGrammarCountsCopies) {
  SimulationOptions o = SimulationPreset("transfer-tiny");
  o.modulation = 0;
  o.count_weight = 0;
  sim::Rng rng(1);
  const sim::Grammar g = sim::GenerateGrammar(o, rng);
  int gi = -1, gj = -1;
  for (int i = 0; i < g.num_motifs && gi < 0; ++i)
    for (int j = 0; j < g.num_motifs; ++j)
      if (g.at(i, j) != 0.0) {
        gi = i, gj = j;
        break;
      }
  ASSERT_GE(gi, 0);
  const std::vector<double> act(static_cast<size_t>(o.num_motifs), 1.0);
  auto u = [&](int ne, int np) {
    sim::MotifSet e, p;
    for (int k = 0; k < ne; ++k) e.Add(gi);
    for (int k = 0; k < np; ++k) p.Add(gj);
    return sim::InteractionScore(g, o, act, e, p);
  };
  EXPECT_DOUBLE_EQ(u(1, 1), 0.25 * g.at(gi, gj));
  EXPECT_DOUBLE_EQ(u(2, 1), 0.5 * g.at(gi, gj));
  EXPECT_DOUBLE_EQ(u(2, 2), g.at(gi, gj));
  EXPECT_DOUBLE_EQ(u(5, 3), g.at(gi, gj));  // saturated at 2 copies
  EXPECT_DOUBLE_EQ(u(0, 3), 0.0);
}

}  // namespace
}  // namespace prism
