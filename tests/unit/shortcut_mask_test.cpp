// Tests of the shortcut mask (prism/shortcut_mask.h): MaskKmer replaces every occurrence on both
// strands; on transfer-style simulations with per-cell shortcut k-mers, masking removes each
// training cell line's planted k-mer from its training enhancers (found without reading the
// simulation's record of it) and leaves the other cell lines' sequences alone; the validation
// split's mask removes its single validation cell line's own k-mer (contrasted with the training
// cell lines) and leaves the training split alone; a k-mer whose label association is confined to
// one cell line but which is present beyond chance in the other cell lines (a motif's site) is
// spared, and KmerPresenceZ measures that presence.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include <set>
#include <string>
#include <utility>

#include "prism/error.h"
#include "prism/shortcut_mask.h"
#include "prism/simulate.h"

namespace prism {
namespace {

std::string RevComp(const std::string& s) {
  std::string r(s.rbegin(), s.rend());
  for (char& c : r) c = c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : 'A';
  return r;
}

long Occurrences(const std::string& seq, const std::string& kmer) {
  long n = 0;
  for (const std::string& k : {kmer, RevComp(kmer)})
    for (size_t i = seq.find(k); i != std::string::npos; i = seq.find(k, i + 1)) ++n;
  return n;
}

/// Occurrences of `kmer` (both strands) in the positive enhancers of `cell` before and after the
/// mask (`original` and `masked`: the same pairs).
std::pair<long, long> PositiveOccurrences(const SequenceSplit& original,
                                          const SequenceSplit& masked, const std::string& cell,
                                          const std::string& kmer) {
  long before = 0, after = 0;
  for (const Pair& p : original.pairs)
    if (p.cell_line == cell && p.label == 1) {
      before += Occurrences(original.seqs.enhancers.at(p.enhancer), kmer);
      after += Occurrences(masked.seqs.enhancers.at(p.enhancer), kmer);
    }
  return {before, after};
}

TEST(ShortcutMask, MaskKmerReplacesBothStrandsAndKeepsLength) {
  std::string s = "AAGATTACACCTGTGTAATCTTGATTACAGG";  // GATTACA twice, its RC TGTAATC once
  const std::string before = s;
  uint64_t rng = 42;
  EXPECT_EQ(MaskKmer(&s, "gattaca", &rng), 3);
  EXPECT_EQ(s.size(), before.size());
  EXPECT_EQ(s.substr(0, 2), "AA");                   // outside the occurrences: unchanged
  EXPECT_EQ(s.substr(9, 4), before.substr(9, 4));
  for (char c : s) EXPECT_NE(std::string("ACGT").find(c), std::string::npos);
  uint64_t again = 42;
  std::string t = before;
  MaskKmer(&t, "GATTACA", &again);
  EXPECT_EQ(s, t);  // deterministic for a seed
  std::string none = "CCCC";
  EXPECT_EQ(MaskKmer(&none, "GATTACA", &rng), 0);
  EXPECT_EQ(none, "CCCC");
  EXPECT_THROW(MaskKmer(&none, "", &rng), Error);
}

TEST(ShortcutMask, RemovesEachTrainingCellsPlantedKmer) {
  const SimulationResult sim = GenerateSimulation(SimulationPreset("transfer-tiny"));
  SequenceSplit train = sim.data.train;
  ShortcutMaskOptions opt;
  const ShortcutMaskResult r = MaskShortcutKmers(&train, opt);
  ASSERT_FALSE(r.masked.empty());
  EXPECT_GT(r.occurrences, 0);
  EXPECT_GT(r.enhancers_edited, 0);
  std::set<std::string> cells_masked;
  for (const auto& e : r.masked) {
    cells_masked.insert(e.cell_line);
    EXPECT_GE(e.specificity, opt.min_specificity);
  }
  for (const SimulatedCell& c : sim.cells) {
    if (c.split != "train") continue;
    ASSERT_FALSE(c.shortcut_kmer.empty());
    EXPECT_TRUE(cells_masked.count(c.name)) << c.name;
    const auto [before, after] = PositiveOccurrences(sim.data.train, train, c.name, c.shortcut_kmer);
    EXPECT_GT(before, 10) << c.name;
    // What is left are chance re-creations inside a replaced window or a 6-mer masked instead
    // of the whole planted 8-mer's other half: a small remainder at most.
    EXPECT_LE(after, before / 10) << c.name << " planted " << c.shortcut_kmer;
  }
  // Promoters and pairs are untouched.
  EXPECT_EQ(train.pairs.size(), sim.data.train.pairs.size());
  for (const auto& [name, seq] : sim.data.train.seqs.promoters)
    EXPECT_EQ(train.seqs.promoters.at(name), seq);
}

TEST(ShortcutMask, KmerPresenceZSeesAKmerAboveItsMarkovExpectation) {
  std::mt19937 rng(5);
  std::vector<std::string> seqs(400);
  for (std::string& s : seqs)
    for (int i = 0; i < 600; ++i) s += "ACGT"[rng() % 4];
  std::vector<const std::string*> ptr;
  for (const std::string& s : seqs) ptr.push_back(&s);
  const std::string kmer = "GATTCAGC";
  EXPECT_LT(std::fabs(KmerPresenceZ(ptr, kmer)), 3.0);  // uniform random: chance level
  for (size_t i = 0; i < seqs.size(); i += 4) seqs[i].replace(100, kmer.size(), RevComp(kmer));
  EXPECT_GT(KmerPresenceZ(ptr, kmer), 10.0);  // in a quarter of them, on the other strand
  EXPECT_GT(KmerPresenceZ(ptr, "gattcagc"), 10.0);
  EXPECT_EQ(KmerPresenceZ({}, kmer), 0.0);
}

TEST(ShortcutMask, SparesAKmerPresentBeyondChanceInTheOtherCellLines) {
  // transfer-tiny's training split plus a motif-like 8-mer: label-associated in the first cell
  // line only (in 80% of its positive and 10% of its negative enhancers) but present in 40% of the
  // other cell lines' enhancers whatever their label. Its association is cell-specific, the
  // k-mer is not: it is spared, and the planted shortcuts are still masked.
  const SimulationResult sim = GenerateSimulation(SimulationPreset("transfer-tiny"));
  SequenceSplit train = sim.data.train;
  const std::string motif = "GTCCATGA", cell = train.pairs.front().cell_line;
  std::mt19937 rng(11);
  std::set<std::string> done;
  for (const Pair& p : train.pairs) {
    if (!done.insert(p.enhancer).second) continue;
    const double share = p.cell_line == cell ? (p.label == 1 ? 0.8 : 0.1) : 0.4;
    if (std::uniform_real_distribution<double>(0, 1)(rng) < share)
      train.seqs.enhancers.at(p.enhancer).replace(40, motif.size(), motif);
  }
  // The audit's k-mers are 6-12 bp: the motif may enter as one of its 6- or 7-mers.
  auto of_motif = [&](const std::string& k) {
    return motif.find(k) != std::string::npos || RevComp(motif).find(k) != std::string::npos;
  };
  SequenceSplit masked = train;
  const ShortcutMaskResult r = MaskShortcutKmers(&masked, ShortcutMaskOptions{});
  bool spared = false;
  for (const SparedKmer& s : r.spared)
    if (of_motif(s.kmer.kmer)) {
      spared = true;
      EXPECT_EQ(s.kmer.cell_line, cell);
      EXPECT_EQ(s.other_cells, 2);
      EXPECT_EQ(s.present_in, 2);
    }
  EXPECT_TRUE(spared);
  for (const auto& e : r.masked) EXPECT_FALSE(of_motif(e.kmer)) << e.kmer;
  std::set<std::string> cells_masked;
  for (const auto& e : r.masked) cells_masked.insert(e.cell_line);
  for (const SimulatedCell& c : sim.cells)
    if (c.split == "train") EXPECT_TRUE(cells_masked.count(c.name)) << c.name;
  // With sparing off the same k-mer is masked.
  ShortcutMaskOptions no_spare;
  no_spare.spare_min_z = 0;
  SequenceSplit all = train;
  const ShortcutMaskResult q = MaskShortcutKmers(&all, no_spare);
  EXPECT_TRUE(q.spared.empty());
  bool masked_now = false;
  for (const auto& e : q.masked) masked_now |= of_motif(e.kmer);
  EXPECT_TRUE(masked_now);
}

TEST(ShortcutMask, OffOrOneCellLineChangesNothing) {
  const SimulationResult sim = GenerateSimulation(SimulationPreset("transfer-tiny"));
  SequenceSplit train = sim.data.train;
  ShortcutMaskOptions off;
  off.per_cell = 0;
  EXPECT_TRUE(MaskShortcutKmers(&train, off).masked.empty());
  EXPECT_EQ(train.seqs.enhancers, sim.data.train.seqs.enhancers);
  SequenceSplit one;
  for (const Pair& p : sim.data.train.pairs)
    if (p.cell_line == sim.data.train.pairs.front().cell_line) one.pairs.push_back(p);
  one.seqs = sim.data.train.seqs;
  const ShortcutMaskResult r = MaskShortcutKmers(&one, ShortcutMaskOptions{});
  EXPECT_TRUE(r.masked.empty());
  EXPECT_EQ(r.training_cells, 1);
  EXPECT_EQ(one.seqs.enhancers, sim.data.train.seqs.enhancers);
}

TEST(ShortcutMask, ValidationSplitLosesItsOwnKmerOnly) {
  // transfer-tiny has one validation cell line, with a shortcut 8-mer of its own.
  const SimulationResult sim = GenerateSimulation(SimulationPreset("transfer-tiny"));
  SequenceSplit val = sim.data.val;
  const ShortcutMaskResult r = MaskValShortcutKmers(sim.data.train, &val, ShortcutMaskOptions{});
  EXPECT_EQ(r.training_cells, 1);  // the validation cell lines
  ASSERT_FALSE(r.masked.empty());
  int val_cells = 0;
  for (const SimulatedCell& c : sim.cells) {
    if (c.split != "val") continue;
    ++val_cells;
    ASSERT_FALSE(c.shortcut_kmer.empty());
    for (const auto& e : r.masked) EXPECT_EQ(e.cell_line, c.name);
    const auto [before, after] = PositiveOccurrences(sim.data.val, val, c.name, c.shortcut_kmer);
    EXPECT_GT(before, 10) << c.name;
    EXPECT_LE(after, before / 10) << c.name << " planted " << c.shortcut_kmer;
  }
  EXPECT_EQ(val_cells, 1);
  EXPECT_EQ(val.pairs.size(), sim.data.val.pairs.size());
  for (const auto& [name, seq] : sim.data.val.seqs.promoters)
    EXPECT_EQ(val.seqs.promoters.at(name), seq);
  // Deterministic: a second mask of a fresh copy gives the same sequences.
  SequenceSplit again = sim.data.val;
  MaskValShortcutKmers(sim.data.train, &again, ShortcutMaskOptions{});
  EXPECT_EQ(again.seqs.enhancers, val.seqs.enhancers);
  // Off: nothing changes.
  ShortcutMaskOptions off;
  off.per_cell = 0;
  SequenceSplit untouched = sim.data.val;
  EXPECT_TRUE(MaskValShortcutKmers(sim.data.train, &untouched, off).masked.empty());
  EXPECT_EQ(untouched.seqs.enhancers, sim.data.val.seqs.enhancers);
}

}  // namespace
}  // namespace prism
