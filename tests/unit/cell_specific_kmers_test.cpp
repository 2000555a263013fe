// Tests of the audit's cell-specific k-mers: on simulations with per-cell shortcut k-mers, each
// training cell line's planted k-mer is among its top 3 - found without reading the simulation's
// record of it (the test compares only afterwards) - and nothing is listed without shortcuts.
#include <gtest/gtest.h>

#include <map>

#include "audit/audit_parts.h"
#include "prism/audit.h"
#include "prism/error.h"
#include "prism/simulate.h"

namespace prism {
namespace {

std::string RevComp(const std::string& s) {
  std::string r(s.rbegin(), s.rend());
  for (char& c : r) c = c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : 'A';
  return r;
}

// Rank (1-based) of the listed k-mer that is the planted one or overlaps it by >= 6 bases of
// the listed one (a listed sub- or super-string of it), 0 when none of the top 3.
int RankOfPlanted(const std::vector<CellSpecificKmer>& list, const std::string& cell,
                  const std::string& planted) {
  for (const CellSpecificKmer& e : list) {
    if (e.cell_line != cell || e.rank > 3) continue;
    for (const std::string& p : {planted, RevComp(planted)})
      if (p.find(e.kmer) != std::string::npos || e.kmer.find(p) != std::string::npos)
        return e.rank;
  }
  return 0;
}

void ExpectPlantedInTop3(const SimulationResult& sim, bool exact_k) {
  const AuditReport report = AuditDomainKl(sim.data);
  int checked = 0;
  for (const SimulatedCell& c : sim.cells) {
    if (c.split != "train") continue;
    ASSERT_FALSE(c.shortcut_kmer.empty());
    const int rank = RankOfPlanted(report.cell_specific_kmers, c.name, c.shortcut_kmer);
    EXPECT_GE(rank, 1) << c.name << " planted " << c.shortcut_kmer << "\n"
                       << FormatAuditReport(report);
    if (exact_k && rank > 0)
      for (const CellSpecificKmer& e : report.cell_specific_kmers)
        if (e.cell_line == c.name && e.rank == rank) {
          EXPECT_TRUE(e.kmer == c.shortcut_kmer || e.kmer == RevComp(c.shortcut_kmer)) << e.kmer;
          EXPECT_GT(e.positives_with, e.negatives_with * 2 * e.positives / e.negatives);
          EXPECT_EQ(e.elsewhere.size(), sim.cells.size() - 1);
        }
    ++checked;
  }
  EXPECT_EQ(checked, sim.options.train_cells);
  // Ranks are 1.. per cell line, and listed k-mers of one cell line do not overlap.
  std::map<std::string, int> last;
  for (const CellSpecificKmer& e : report.cell_specific_kmers) {
    EXPECT_EQ(e.rank, last[e.cell_line] + 1);
    last[e.cell_line] = e.rank;
    EXPECT_GE(e.specificity, 3.0);
  }
  const Json j = AuditReportToJson(report);
  ASSERT_TRUE(j["cell_specific_kmers"].is_array());
  EXPECT_EQ(j["cell_specific_kmers"].size(), report.cell_specific_kmers.size());
  EXPECT_NE(FormatAuditReport(report).find("Cell-specific k-mers"), std::string::npos);
}

TEST(CellSpecificKmers, FindsEachTrainingCellsShortcutOnTransferData) {
  SimulationOptions o = SimulationPreset("transfer-tiny");
  ExpectPlantedInTop3(GenerateSimulation(o), true);
}

TEST(CellSpecificKmers, FindsEachTrainingCellsShortcutOnDefaultStyleData) {
  SimulationOptions o = SimulationPreset("default");
  o.train_pairs = 4000;  // 1000 per training cell line, 40 % / 5 % k-mer, 500 bp
  o.val_pairs = 500;
  o.test_pairs = 1000;
  ExpectPlantedInTop3(GenerateSimulation(o), true);
}

TEST(CellSpecificKmers, NoShortcutsNoPlantedKmer) {
  SimulationOptions o = SimulationPreset("transfer-tiny");
  o.shortcuts = false;
  const SimulationResult sim = GenerateSimulation(o);
  const AuditReport report = AuditDomainKl(sim.data);
  // Without shortcuts, whatever is listed is not one of the k-mers the same seed plants with them.
  const SimulationResult with = GenerateSimulation(SimulationPreset("transfer-tiny"));
  for (const SimulatedCell& c : with.cells)
    if (c.split == "train")
      EXPECT_EQ(RankOfPlanted(report.cell_specific_kmers, c.name, c.shortcut_kmer), 0) << c.name;
  EXPECT_LE(report.cell_specific_kmers.size(), 3u * o.train_cells);
}

TEST(CellSpecificKmers, ConfinedNotShared) {
  // A k-mer enriched in the positives of every training cell line is not cell-specific; one
  // enriched in one cell line only is.
  DomainKlData d;
  auto add = [&](const std::string& cell, int i, int label, const std::string& insert) {
    std::string seq;
    uint64_t s = static_cast<uint64_t>(i) * 7919 + cell.size() * 104729 + 11;
    for (int b = 0; b < 200; ++b) {
      s = s * 6364136223846793005ULL + 1442695040888963407ULL;
      seq += "ACGT"[(s >> 33) & 3];
    }
    seq.replace(50, insert.size(), insert);
    const std::string e = cell + "_E" + std::to_string(i), p = cell + "_P" + std::to_string(i);
    d.train.pairs.push_back({e, p, label, cell});
    d.train.seqs.enhancers[e] = seq;
    d.train.seqs.promoters[p] = "ACGT";
  };
  for (const std::string cell : {"a", "b", "c"})
    for (int i = 0; i < 300; ++i) {
      const int label = i % 2;
      std::string insert;
      if (label && i % 4 == 1) insert += "GATTCCTAGG";  // shared, every cell: 50 % of positives
      if (cell == "b" && label && i % 6 != 5) insert += "TCCAGTGTCA";  // b only
      add(cell, i, label, insert);
    }
  d.test = d.train;
  AuditOptions opt;
  opt.kmer_lengths = {8, 10};
  const auto list = audit::CellSpecificKmers(
      audit::AuditSide{"train", {}, &d.train.seqs}, {}, opt);
  EXPECT_TRUE(list.empty());  // the side has no pairs: nothing to count
  audit::AuditSide train{"train", {}, &d.train.seqs};
  for (const Pair& p : d.train.pairs) train.pairs.push_back(&p);
  const auto found = audit::CellSpecificKmers(train, {}, opt);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0].cell_line, "b");
  EXPECT_EQ(found[0].rank, 1);
  const std::string top = found[0].kmer;
  EXPECT_TRUE(std::string("TCCAGTGTCA").find(top) != std::string::npos ||
              RevComp("TCCAGTGTCA").find(top) != std::string::npos)
      << top;
  for (const CellSpecificKmer& e : found) {
    EXPECT_EQ(e.cell_line, "b") << e.kmer;
    EXPECT_EQ(std::string("GATTCCTAGG").find(e.kmer), std::string::npos) << e.kmer;
  }
  opt.kmer_lengths = {5};
  EXPECT_THROW(audit::CellSpecificKmers(train, {}, opt), Error);
}

}  // namespace
}  // namespace prism
