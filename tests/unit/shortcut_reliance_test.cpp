// The shortcut-reliance measurement's torch-free parts (prism/shortcut_reliance.h): the sequence
// edits, the record and its reader, the QC rule shortcut_reliance and the reflection hypothesis.
#include <gtest/gtest.h>

#include <random>

#include "prism/qc.h"
#include "prism/reflect.h"
#include "prism/shortcut_reliance.h"
#include "qc_test_util.h"

namespace prism {
namespace {

size_t Differences(const std::string& a, const std::string& b) {
  size_t n = 0;
  for (size_t i = 0; i < a.size(); ++i) n += a[i] != b[i];
  return n;
}

size_t Gc(const std::string& s) {
  size_t n = 0;
  for (char c : s) n += c == 'G' || c == 'C';
  return n;
}

TEST(KmerIntervention, OccurrencesOnBothStrands) {
  // GGGTAAAC and its reverse complement GTTTACCC.
  const std::string s = "AAGGGTAAACTTGTTTACCCAA";
  EXPECT_EQ(KmerOccurrences(s, "GGGTAAAC"), (std::vector<size_t>{2, 12}));
  EXPECT_TRUE(HoldsKmer(s, "GTTTACCC"));
  EXPECT_FALSE(HoldsKmer("ACGTACGTACGT", "GGGTAAAC"));
  EXPECT_EQ(ReverseComplementBases("AACG"), "CGTT");
}

TEST(KmerIntervention, PlantWritesOneStrandAndNothingElse) {
  std::mt19937_64 rng(5);
  int forward = 0, reverse = 0;
  for (int i = 0; i < 200; ++i) {
    const std::string orig(60, 'A');
    std::string s = orig;
    const size_t pos = PlantKmer(&s, "GGGTCAGC", rng);
    ASSERT_EQ(s.size(), orig.size());
    ASSERT_LE(pos + 8, s.size());
    const std::string w = s.substr(pos, 8);
    forward += w == "GGGTCAGC";
    reverse += w == "GCTGACCC";
    EXPECT_TRUE(HoldsKmer(s, "GGGTCAGC"));
    EXPECT_EQ(s.substr(0, pos), orig.substr(0, pos));
    EXPECT_EQ(s.substr(pos + 8), orig.substr(pos + 8));
  }
  EXPECT_EQ(forward + reverse, 200);
  EXPECT_GT(forward, 50);  // both strands are used
  EXPECT_GT(reverse, 50);
  std::string shorter = "ACGT";
  ExpectInputError([&] { PlantKmer(&shorter, "GGGTCAGC", rng); }, "cannot plant");
}

TEST(KmerIntervention, ScrambleRemovesEveryOccurrenceAndOnlyThem) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100; ++i) {
    const std::string orig = "TTTTGGGTAAACTTTTTTTTGTTTACCCTTTTGGGTAAACT";
    std::string s = orig;
    EXPECT_EQ(ScrambleKmer(&s, "GGGTAAAC", rng), 3);
    EXPECT_FALSE(HoldsKmer(s, "GGGTAAAC"));
    EXPECT_EQ(s.size(), orig.size());
    EXPECT_EQ(s.substr(0, 4), "TTTT");  // outside the occurrences: unchanged
    EXPECT_EQ(s.substr(12, 8), orig.substr(12, 8));
  }
  std::string none = "ACACACACACAC";
  EXPECT_EQ(ScrambleKmer(&none, "GGGTAAAC", rng), 0);
  EXPECT_EQ(none, "ACACACACACAC");
}

TEST(KmerIntervention, ControlWindowsAvoidTheKmer) {
  std::mt19937_64 rng(11);
  for (int i = 0; i < 100; ++i) {
    const std::string orig = std::string(30, 'A') + "GGGTAAAC" + std::string(30, 'A');
    std::string s = orig;
    EXPECT_EQ(ScrambleRandomWindows(&s, 8, 2, "GGGTAAAC", rng), 2);
    EXPECT_EQ(s.substr(30, 8), "GGGTAAAC");
    EXPECT_LE(Differences(s, orig), 16u);
  }
  std::string tiny = "ACG";
  EXPECT_EQ(ScrambleRandomWindows(&tiny, 8, 1, "GGGTAAAC", rng), 0);
}

TEST(KmerIntervention, MatchedControlHasTheLengthAndGcAndIsNotListed) {
  std::mt19937_64 rng(3);
  const std::vector<std::string> listed = {"GGGTAAAC", "ATCGTGAG", "CGTTGATC"};
  for (const std::string& k : listed) {
    for (int i = 0; i < 50; ++i) {
      const std::string c = MatchedControlKmer(k, listed, rng);
      ASSERT_EQ(c.size(), k.size());
      EXPECT_EQ(Gc(c), Gc(k)) << c;
      for (const std::string& l : listed) {
        EXPECT_NE(c, l);
        EXPECT_NE(c, ReverseComplementBases(l));
      }
    }
  }
  // The 2-mers with one G/C are AC/GT, AG/CT, TC/GA and CA/TG (each with its reverse
  // complement); with AC itself, AG and TC excluded only CA and TG remain.
  for (int i = 0; i < 20; ++i) {
    const std::string c = MatchedControlKmer("AC", {"AG", "TC"}, rng);
    EXPECT_TRUE(c == "CA" || c == "TG") << c;
  }
}

KmerReliance Kmer(const std::string& kmer, const std::string& cell, double ins, double ctrl,
                  double rem) {
  KmerReliance k;
  k.kmer = kmer;
  k.cell_line = cell;
  k.rank = 1;
  k.control_kmer = "ACGTACGT";
  k.insert = EffectStats::Of({ins - 0.01, ins + 0.01});
  k.control_insert = EffectStats::Of({ctrl, ctrl});
  k.remove = EffectStats::Of({rem});
  k.control_remove = EffectStats::Of({0.0});
  return k;
}

ShortcutReliance Record(double excess_a, double excess_b) {
  ShortcutReliance r;
  r.split = "test";
  r.checkpoint = "best";
  r.cells = {"test1", "test2"};
  r.kmers_per_cell = 3;
  r.max_pairs = 256;
  r.seed = 1;
  r.scorer = "motif_grammar";
  r.kmers = {Kmer("GGGTAAAC", "train1", 0.01 + excess_a, 0.01, 0.2),
             Kmer("ATCGTGAG", "train2", 0.02 + excess_b, 0.02, 0.1)};
  r.Summarise();
  return r;
}

TEST(ShortcutRelianceRecord, SummaryAndRoundTrip) {
  EXPECT_EQ(EffectStats::Of({}).n, 0);
  EXPECT_TRUE(std::isnan(EffectStats::Of({}).mean));
  const EffectStats e = EffectStats::Of({0.1, -0.3, 0.5});
  EXPECT_EQ(e.n, 3);
  EXPECT_NEAR(e.mean, 0.1, 1e-12);
  EXPECT_DOUBLE_EQ(e.max, 0.5);

  const ShortcutReliance r = Record(0.10, 0.30);
  EXPECT_NEAR(r.excess_max, 0.30, 1e-12);
  EXPECT_NEAR(r.excess_mean, 0.20, 1e-12);
  EXPECT_EQ(r.excess_max_kmer, "ATCGTGAG");
  EXPECT_EQ(r.excess_max_cell, "train2");
  EXPECT_NEAR(r.remove_mean, 0.15, 1e-12);
  EXPECT_NEAR(r.insert_max, 0.33, 1e-12);  // 0.32 +- 0.01

  TempDir dir;
  const std::string path = dir.Join("shortcut_reliance.json");
  WriteJsonFile(path, r.ToJson());
  const ShortcutReliance back = ReadShortcutReliance(path);
  EXPECT_EQ(back.ToJson(), r.ToJson());
  ASSERT_EQ(back.kmers.size(), 2u);
  EXPECT_EQ(back.kmers[1].insert.n, 2);
  EXPECT_EQ(back.cells, r.cells);
  EXPECT_EQ(back.scorer, "motif_grammar");
  // A record written before `scorer` was recorded reads with it empty.
  Json old = r.ToJson();
  old.erase("scorer");
  const std::string old_path = dir.Write("old.json", old.dump());
  EXPECT_EQ(ReadShortcutReliance(old_path).scorer, "");
  EXPECT_EQ(ReadShortcutReliance(old_path).ScorerPhrase(), "");
  EXPECT_EQ(r.ScorerPhrase(), "the motif_grammar member's scores (the gate's choice)");
  ShortcutReliance n = r;
  n.scorer = "network";
  EXPECT_EQ(n.ScorerPhrase(), "the network's scores");
  n.scorer = "network+motif_grammar";
  EXPECT_EQ(n.ScorerPhrase(), "the ensemble's scores (network + motif_grammar)");
}

TEST(ShortcutRelianceRecord, WrongTypesAreNamed) {
  TempDir dir;
  Json j = Record(0.1, 0.1).ToJson();
  j["kmers"][1]["insert"]["mean"] = "high";
  const std::string path = dir.Write("shortcut_reliance.json", j.dump());
  ExpectInputError([&] { ReadShortcutReliance(path); },
                   "field 'kmers[1].insert.mean': expected a number, found \"high\"");
  ExpectInputError([&] { ReadShortcutReliance(path); }, path);
  j = Record(0.1, 0.1).ToJson();
  j["kmers"] = "GGGTAAAC";
  const std::string p2 = dir.Write("b.json", j.dump());
  ExpectInputError([&] { ReadShortcutReliance(p2); }, "field 'kmers': expected an array");
  const std::string p3 = dir.Write("c.json", "[1, 2]");
  ExpectInputError([&] { ReadShortcutReliance(p3); }, "expected a JSON object");
  j = Record(0.1, 0.1).ToJson();
  j["scorer"] = 1;
  const std::string p4 = dir.Write("d.json", j.dump());
  ExpectInputError([&] { ReadShortcutReliance(p4); }, "field 'scorer': expected a string");
}

// ---- the QC rule ------------------------------------------------------------------------------

const QcFinding* RuleFinding(const QcResult& r) {
  for (const auto& f : r.findings)
    if (f.rule == "shortcut_reliance") return &f;
  return nullptr;
}

QcResult InspectWith(const std::string& run, const QcThresholds& t = QcThresholds()) {
  return RunQc(RunFolder::Load(run), t);
}

TEST(QcShortcutReliance, NotApplicableWithoutMeasurement) {
  TempDir dir;
  const std::string run = CopyQcFixture(dir, "clean");
  QcResult r = InspectWith(run);
  const QcFinding* f = RuleFinding(r);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->code, "not_measured");
  EXPECT_EQ(f->severity, Severity::kInfo);
  EXPECT_TRUE(r.pass);
  // Measured, but the audit listed no cell-specific k-mer.
  ShortcutReliance none;
  none.split = "test";
  none.note = "no cell-specific k-mers in the model's training cell lines";
  WriteJsonFile(run + "/shortcut_reliance.json", none.ToJson());
  r = InspectWith(run);
  f = RuleFinding(r);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->code, "not_applicable");
  EXPECT_EQ(f->severity, Severity::kInfo);
  EXPECT_NE(f->message_en.find("no cell-specific k-mers"), std::string::npos);
  EXPECT_TRUE(r.pass);
}

TEST(QcShortcutReliance, PassesWithinAndFailsAboveTheThreshold) {
  TempDir dir;
  const std::string run = CopyQcFixture(dir, "clean");
  WriteJsonFile(run + "/shortcut_reliance.json", Record(0.005, 0.01).ToJson());
  QcResult r = InspectWith(run);
  const QcFinding* f = RuleFinding(r);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->code, "within");
  EXPECT_EQ(f->severity, Severity::kInfo);
  EXPECT_TRUE(r.pass);

  WriteJsonFile(run + "/shortcut_reliance.json", Record(0.02, 0.12).ToJson());
  r = InspectWith(run);
  f = RuleFinding(r);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->code, "relies");
  EXPECT_EQ(f->severity, Severity::kFail);
  EXPECT_FALSE(r.pass);
  EXPECT_EQ(r.signature, "shortcut_reliance");
  EXPECT_EQ(f->values["kmer"], "ATCGTGAG");
  EXPECT_NEAR(f->values["excess_max"].get<double>(), 0.12, 1e-9);
  EXPECT_NE(f->message_en.find("ATCGTGAG (of train2)"), std::string::npos) << f->message_en;
  EXPECT_NE(f->message_zh.find("ATCGTGAG"), std::string::npos);

  // The threshold is configurable (qc.toml shortcut_reliance_max_excess).
  const std::string toml = dir.Write("qc.toml", "[qc]\nshortcut_reliance_max_excess = 0.2\n");
  const QcThresholds t = QcThresholds::FromToml(toml);
  EXPECT_DOUBLE_EQ(t.shortcut_reliance_max_excess, 0.2);
  EXPECT_EQ(t.ToJson()["shortcut_reliance_max_excess"], 0.2);
  r = InspectWith(run, t);
  EXPECT_EQ(RuleFinding(r)->code, "within");
  EXPECT_TRUE(r.pass);
}

TEST(QcShortcutReliance, MalformedFileIsAnInputError) {
  TempDir dir;
  const std::string run = CopyQcFixture(dir, "clean");
  dir.Write("clean/shortcut_reliance.json", "{\"kmers\": 3}");
  ExpectInputError([&] { InspectWith(run); }, "shortcut_reliance.json");
}

// ---- the reflection -------------------------------------------------------------------------

TEST(ReflectShortcutReliance, HypothesisFromTheMeasurement) {
  Reflection r;
  r.shortcut_reliance = Record(0.01, 0.02);
  for (const auto& h : RankHypotheses(r)) EXPECT_NE(h.id, "shortcut_reliance");
  r.shortcut_reliance = Record(0.10, 0.20);
  const auto hs = RankHypotheses(r);
  const Hypothesis* h = nullptr;
  for (const auto& x : hs)
    if (x.id == "shortcut_reliance") h = &x;
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->metric, "shortcut_excess_max");
  EXPECT_NEAR(h->value, 0.20, 1e-12);
  EXPECT_NEAR(h->support_value, 0.15, 1e-12);
  EXPECT_GT(h->strength, 0);
  EXPECT_NE(h->evidence_en.find("ATCGTGAG"), std::string::npos);
  const std::string md = ReflectionMarkdown(r, Lang::kEn);
  EXPECT_NE(md.find("### Reliance on cell-specific k-mers"), std::string::npos);
  EXPECT_NE(md.find("| GGGTAAAC | train1 | 1 |"), std::string::npos) << md;
  EXPECT_EQ(ReflectionJson(r)["shortcut_reliance"]["overall"]["excess_max_kmer"], "ATCGTGAG");
  EXPECT_NE(ReflectionMarkdown(r, Lang::kZh).find("对细胞系特异 k-mer 的依赖"), std::string::npos);
}

}  // namespace
}  // namespace prism
