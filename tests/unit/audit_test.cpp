// Tests of the leakage audit: shared elements, element label rates, distance, GC by label, class
// balance, the CLI (--strict exit status, --json) and a run on the real Whalen tables.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "prism/audit.h"
#include "prism/domain_kl.h"
#include "prism/feature_table.h"
#include "prism/simulate.h"
#include "test_util.h"

namespace prism {
namespace {

namespace fs = std::filesystem;

Pair MakePair(const std::string& e, const std::string& p, int label, const std::string& cell,
              double distance = NAN) {
  Pair x;
  x.enhancer = e;
  x.promoter = p;
  x.label = label;
  x.cell_line = cell;
  x.distance = distance;
  return x;
}

/// A clean layout: train (cell A) and test (cell B) share nothing.
DomainKlData CleanLayout() {
  DomainKlData d;
  d.train.pairs = {MakePair("e1", "p1", 1, "A"), MakePair("e2", "p1", 1, "A"),
                   MakePair("e3", "p1", 1, "A"), MakePair("e4", "p2", 0, "A")};
  d.train.seqs.enhancers = {{"e1", "ACGTACGT"}, {"e2", "CCCCGGGG"}, {"e3", "TTTTAAAA"},
                            {"e4", "GATTACAG"}};
  d.train.seqs.promoters = {{"p1", "AAAACCCC"}, {"p2", "GGGGTTTT"}};
  d.test.pairs = {MakePair("e9", "p9", 0, "B"), MakePair("e8", "p9", 1, "B")};
  d.test.seqs.enhancers = {{"e9", "ACACACAC"}, {"e8", "GTGTGTGT"}};
  d.test.seqs.promoters = {{"p9", "CACACACA"}};
  return d;
}

/// The clean layout plus planted leakage: e1 re-used by name, p7 a renamed copy of p2.
DomainKlData LeakyLayout() {
  DomainKlData d = CleanLayout();
  d.test.pairs.push_back(MakePair("e1", "p7", 1, "B"));
  d.test.seqs.enhancers["e1"] = "ACGTACGT";
  d.test.seqs.promoters["p7"] = "GGGGTTTT";
  return d;
}

TEST(Audit, ElementIdentityIsCoordinatePart) {
  EXPECT_EQ(ElementIdentity("chr9:613609-614420|HMEC|EH37E0985881"), "chr9:613609-614420");
  EXPECT_EQ(ElementIdentity("e1"), "e1");
  EXPECT_EQ(ElementIdentity(""), "");
}

TEST(Audit, CleanLayoutHasNoLeakage) {
  const AuditReport r = AuditDomainKl(CleanLayout());
  EXPECT_FALSE(r.leakage_found);
  ASSERT_EQ(r.shared.size(), 1u);  // no val split
  EXPECT_EQ(r.shared[0].train_side, "train");
  EXPECT_EQ(r.shared[0].test_side, "test");
  EXPECT_FALSE(r.shared[0].any());
  EXPECT_EQ(r.shared[0].enhancers_by_sequence, 0);
  EXPECT_EQ(r.shared[0].test_pairs_shared, 0);
  EXPECT_NE(FormatAuditReport(r).find("verdict: no shared elements"), std::string::npos);
}

TEST(Audit, FindsPlantedLeakageByNameAndSequence) {
  const AuditReport r = AuditDomainKl(LeakyLayout());
  EXPECT_TRUE(r.leakage_found);
  const SharedElements& s = r.shared[0];
  EXPECT_EQ(s.test_enhancers, 3);
  EXPECT_EQ(s.test_promoters, 2);
  EXPECT_EQ(s.enhancers_by_name, 1);      // e1
  EXPECT_EQ(s.enhancers_by_sequence, 1);  // e1 has the same sequence too
  EXPECT_EQ(s.promoters_by_name, 0);
  EXPECT_EQ(s.promoters_by_sequence, 1);  // p7 == p2's sequence
  EXPECT_EQ(s.test_pairs, 3);
  EXPECT_EQ(s.test_pairs_shared, 1);
  EXPECT_EQ(s.examples, (std::vector<std::string>{"e1", "p7"}));
  const std::string text = FormatAuditReport(r);
  EXPECT_NE(text.find("LEAK"), std::string::npos) << text;
  const Json j = AuditReportToJson(r);
  EXPECT_EQ(j["leakage_found"], true);
  EXPECT_EQ(j["shared"][0]["promoters_by_sequence"], 1);
}

TEST(Audit, ValComparisonsAreInformational) {
  DomainKlData d = CleanLayout();
  d.has_val = true;
  d.val.pairs = {MakePair("e2", "p5", 0, "C")};  // shares e2 with train
  d.val.seqs.enhancers = {{"e2", "CCCCGGGG"}};
  d.val.seqs.promoters = {{"p5", "ACGTTTTT"}};
  const AuditReport r = AuditDomainKl(d);
  ASSERT_EQ(r.shared.size(), 3u);
  EXPECT_EQ(r.shared[1].test_side, "val");
  EXPECT_TRUE(r.shared[1].any());
  EXPECT_FALSE(r.shared[1].strict);
  EXPECT_FALSE(r.leakage_found);
}

TEST(Audit, ElementLabelRatesAndClassBalance) {
  const AuditReport r = AuditDomainKl(CleanLayout());
  // Cell A: p1 in 3 positive pairs (always positive); p2 once (too rare for a verdict).
  const ElementLabelStats* prom_a = nullptr;
  for (const ElementLabelStats& s : r.element_labels)
    if (s.cell_line == "A" && s.role == "promoter") prom_a = &s;
  ASSERT_NE(prom_a, nullptr);
  EXPECT_EQ(prom_a->pairs, 4);
  EXPECT_EQ(prom_a->elements, 2);
  EXPECT_EQ(prom_a->frequent, 1);
  EXPECT_EQ(prom_a->always_positive, 1);
  EXPECT_EQ(prom_a->pairs_always_positive, 3);
  EXPECT_EQ(prom_a->always_negative, 0);
  EXPECT_EQ(prom_a->max_pairs_per_element, 3);
  ASSERT_EQ(r.balance.size(), 2u);
  EXPECT_EQ(r.balance[0].split, "train");
  EXPECT_EQ(r.balance[0].cell_line, "A");
  EXPECT_EQ(r.balance[0].pairs, 4);
  EXPECT_EQ(r.balance[0].positives, 3);
  EXPECT_DOUBLE_EQ(r.balance[0].positive_rate, 0.75);
  EXPECT_EQ(r.balance[1].split, "test");
  EXPECT_TRUE(r.distance.empty());
}

/// GC by label: in training cell line A the positives are GC-richer than the negatives; in
/// training cell line C GC is the same for both labels; test cell line B is fully separated by GC
/// (not a training cell line, so no note for it).
DomainKlData GcLayout() {
  DomainKlData d;
  d.train.pairs = {
      MakePair("a1", "pa", 1, "A"),  // (8 + 4) / 16 = 0.75
      MakePair("a2", "pa", 1, "A"),  // (6 + 4) / 16 = 0.625
      MakePair("a3", "pa", 0, "A"),  // (7 + 4) / 16 = 0.6875
      MakePair("a4", "pb", 0, "A"),  // (2 + 2) / (6 + 8): N is not counted
      MakePair("a5", "pb", 0, "A"),  // (2 + 2) / 16 = 0.25
      MakePair("an", "pn", 1, "A"),  // no A/C/G/T: left out
      MakePair("missing", "pa", 1, "A"),  // no sequence: left out
      MakePair("c1", "pc", 1, "C"), MakePair("c2", "pc", 1, "C"),  // all 0.5
      MakePair("c3", "pc", 0, "C"), MakePair("c4", "pc", 0, "C")};
  d.train.seqs.enhancers = {{"a1", "GGGGCCCC"}, {"a2", "GGCCGGAT"}, {"a3", "GGGCCCCT"},
                            {"a4", "AATTNNGC"}, {"a5", "ATATATGC"}, {"an", "NNNNNNNN"},
                            {"c1", "ACGT"},     {"c2", "GCAT"},     {"c3", "CAGT"},
                            {"c4", "TGCA"}};
  d.train.seqs.promoters = {{"pa", "GCGCATAT"}, {"pb", "ATATGCAT"}, {"pn", "NNNN"},
                            {"pc", "AACCGGTT"}};
  d.test.pairs = {MakePair("b1", "pb1", 1, "B"), MakePair("b2", "pb2", 0, "B")};
  d.test.seqs.enhancers = {{"b1", "GGGGGGGG"}, {"b2", "AAAAAAAA"}};
  d.test.seqs.promoters = {{"pb1", "CCCCCCCC"}, {"pb2", "TTTTTTTT"}};
  return d;
}

std::string GcNoteOf(const AuditReport& r) {
  for (const std::string& n : r.notes)
    if (n.find("GC content separates") != std::string::npos) return n;
  return "";
}

TEST(Audit, GcByLabelFindsGcRichPositives) {
  const AuditReport r = AuditDomainKl(GcLayout());
  ASSERT_EQ(r.gc.size(), 3u);  // train A, train C, test B
  const GcStats& a = r.gc[0];
  EXPECT_EQ(a.split, "train");
  EXPECT_EQ(a.cell_line, "A");
  EXPECT_EQ(a.positives, 2);  // "an" (no A/C/G/T) and "missing" (no sequence) left out
  EXPECT_EQ(a.negatives, 3);
  const double neg = (11.0 / 16 + 4.0 / 14 + 4.0 / 16) / 3;
  EXPECT_DOUBLE_EQ(a.pos_mean_gc, (0.75 + 0.625) / 2);
  EXPECT_DOUBLE_EQ(a.neg_mean_gc, neg);
  EXPECT_DOUBLE_EQ(a.diff, 0.6875 - neg);
  // GC-richer first: P (0.75), N (0.6875), P (0.625), N, N: AP = 0.5 * 1 + 0.5 * 2/3.
  EXPECT_NEAR(a.aupr_gc, 0.5 + 0.5 * 2.0 / 3.0, 1e-12);
  // GC-poorer first: N, N, P (0.625), N, P (0.75): AP = 0.5 * 1/3 + 0.5 * 2/5.
  EXPECT_NEAR(a.aupr_gc_poor, 0.5 / 3.0 + 0.5 * 0.4, 1e-12);
  EXPECT_DOUBLE_EQ(a.positive_rate, 0.4);

  const GcStats& c = r.gc[1];
  EXPECT_EQ(c.cell_line, "C");
  EXPECT_DOUBLE_EQ(c.pos_mean_gc, 0.5);
  EXPECT_DOUBLE_EQ(c.neg_mean_gc, 0.5);
  EXPECT_DOUBLE_EQ(c.diff, 0.0);
  EXPECT_DOUBLE_EQ(c.aupr_gc, 0.5);  // all tied: the positive rate
  const GcStats& b = r.gc[2];
  EXPECT_EQ(b.split, "test");
  EXPECT_EQ(b.cell_line, "B");
  EXPECT_DOUBLE_EQ(b.diff, 1.0);
  EXPECT_DOUBLE_EQ(b.aupr_gc, 1.0);

  // The note names the training cell line A only (C is balanced, B is a test cell line).
  const std::string note = GcNoteOf(r);
  EXPECT_EQ(note, "GC content separates the labels in the training cell lines A (AUPR(GC) or "
                  "AUPR(GC-poor) > pos_rate + 0.1, |diff| > 0.01): a sequence model can learn "
                  "\"GC-rich = interacting\"; train.balance = \"gc_elements\" (the default) reweights it away");
  const std::string text = FormatAuditReport(r);
  EXPECT_NE(text.find("GC content by label"), std::string::npos) << text;
  EXPECT_NE(text.find("note: GC content separates the labels in the training cell lines A ("),
            std::string::npos) << text;
  EXPECT_NE(text.find("  train  A              2/3   0.688   0.408  +0.280     0.833          "
                       "0.367     0.400\n"),
            std::string::npos) << text;

  const Json j = AuditReportToJson(r);
  ASSERT_TRUE(j["gc_by_label"].is_array());
  ASSERT_EQ(j["gc_by_label"].size(), 3u);
  const Json& ja = j["gc_by_label"][0];
  EXPECT_EQ(ja["split"], "train");
  EXPECT_EQ(ja["cell_line"], "A");
  EXPECT_EQ(ja["positives"], 2);
  EXPECT_EQ(ja["negatives"], 3);
  EXPECT_DOUBLE_EQ(ja["pos_mean_gc"].get<double>(), 0.6875);
  EXPECT_DOUBLE_EQ(ja["neg_mean_gc"].get<double>(), neg);
  EXPECT_DOUBLE_EQ(ja["diff"].get<double>(), 0.6875 - neg);
  EXPECT_NEAR(ja["aupr_gc"].get<double>(), 5.0 / 6.0, 1e-12);
  EXPECT_NEAR(ja["aupr_gc_poor"].get<double>(), 11.0 / 30.0, 1e-12);
  EXPECT_DOUBLE_EQ(ja["positive_rate"].get<double>(), 0.4);
  EXPECT_EQ(j["gc_by_label"][2]["split"], "test");
}

TEST(Audit, GcPoorerPositivesAlsoGiveTheNote) {
  DomainKlData d;
  d.train.pairs = {MakePair("x1", "q", 1, "P"), MakePair("x2", "q", 0, "P"),
                   MakePair("x3", "q", 0, "P")};
  d.train.seqs.enhancers = {{"x1", "AAAAAAAT"}, {"x2", "GGGGCCCA"}, {"x3", "GGGGCCAA"}};
  d.train.seqs.promoters = {{"q", "ATGC"}};  // pair GC: 2/12, 9/12, 8/12
  d.test = d.train;
  const AuditReport r = AuditDomainKl(d);
  ASSERT_EQ(r.gc.size(), 2u);
  EXPECT_NEAR(r.gc[0].diff, 2.0 / 12 - 8.5 / 12, 1e-12);
  EXPECT_NEAR(r.gc[0].aupr_gc, 1.0 / 3, 1e-12);  // the positive ranks last
  EXPECT_DOUBLE_EQ(r.gc[0].aupr_gc_poor, 1.0);
  EXPECT_EQ(GcNoteOf(r), "GC content separates the labels in the training cell lines P (AUPR(GC) "
                         "or AUPR(GC-poor) > pos_rate + 0.1, |diff| > 0.01): a sequence model can "
                         "learn GC content as a label shortcut; train.balance = \"gc_elements\" "
                         "(the default) reweights it away");
}

TEST(Audit, GcBalancedTrainingCellLinesGiveNoNote) {
  DomainKlData d;
  const std::string a100(100, 'A');
  d.train.pairs = {
      // E: the same GC values for both labels (AUPR(GC) = pos_rate, diff 0).
      MakePair("e1", "p0", 1, "E"), MakePair("e2", "p0", 1, "E"), MakePair("e1", "p1", 0, "E"),
      MakePair("e2", "p1", 0, "E"),
      // F: GC ranks perfectly (AUPR 1) but the difference is tiny: 101/300 vs 100/300.
      MakePair("f1", "pf", 1, "F"), MakePair("f2", "pf", 0, "F"),
      // G: positives only (diff n/a): no verdict.
      MakePair("e1", "p0", 1, "G")};
  d.train.seqs.enhancers = {{"e1", "GGGGAAAA"}, {"e2", "GGGGGGCC"},
                            {"f1", std::string(101, 'G') + std::string(99, 'A')},
                            {"f2", std::string(100, 'G') + a100}};
  d.train.seqs.promoters = {{"p0", "ATGC"}, {"p1", "TAGC"}, {"pf", a100}};
  // The test side is GC-separated, which does not matter for the note.
  d.test.pairs = {MakePair("t1", "tp", 1, "T"), MakePair("t2", "tp", 0, "T")};
  d.test.seqs.enhancers = {{"t1", "GGGG"}, {"t2", "AAAA"}};
  d.test.seqs.promoters = {{"tp", "ATAT"}};
  const AuditReport r = AuditDomainKl(d);
  ASSERT_EQ(r.gc.size(), 4u);
  EXPECT_DOUBLE_EQ(r.gc[0].diff, 0.0);
  EXPECT_DOUBLE_EQ(r.gc[0].aupr_gc, 0.5);
  EXPECT_DOUBLE_EQ(r.gc[1].aupr_gc, 1.0);
  EXPECT_NEAR(r.gc[1].diff, 1.0 / 300, 1e-12);
  EXPECT_EQ(r.gc[2].cell_line, "G");
  EXPECT_TRUE(std::isnan(r.gc[2].diff));
  EXPECT_EQ(AuditReportToJson(r)["gc_by_label"][2]["neg_mean_gc"], "nan");
  EXPECT_EQ(GcNoteOf(r), "");
  const std::string text = FormatAuditReport(r);
  EXPECT_NE(text.find("GC content by label"), std::string::npos) << text;
  EXPECT_EQ(text.find("GC content separates"), std::string::npos) << text;
}

FeatureTable TwoCellTable() {
  FeatureTable t;
  // Cell X: positives near (100, 200), negatives far (300, 1000, 5000).
  t.pairs = {MakePair("chr1:1-10|X|a", "chr1:50-60|X|p", 1, "X", 100),
             MakePair("chr1:2-10|X|b", "chr1:50-60|X|p", 1, "X", -200),
             MakePair("chr1:3-10|X|c", "chr1:50-60|X|p", 0, "X", 300),
             MakePair("chr1:4-10|X|d", "chr1:70-80|X|q", 0, "X", 1000),
             MakePair("chr1:5-10|X|e", "chr1:70-80|X|q", 0, "X", 5000),
             // Cell Y re-uses chr1:1-10 (under another cell-specific name).
             MakePair("chr1:1-10|Y|a", "chr2:50-60|Y|p", 1, "Y", 10),
             MakePair("chr3:1-10|Y|z", "chr2:50-60|Y|p", 0, "Y", 20)};
  return t;
}

TEST(Audit, FeatureTableEachCellAgainstTheRest) {
  const AuditReport r = AuditFeatureTable(TwoCellTable(), {});
  EXPECT_EQ(r.mode, "features");
  ASSERT_EQ(r.shared.size(), 2u);
  EXPECT_EQ(r.shared[0].test_side, "X");
  EXPECT_EQ(r.shared[0].train_side, "rest");
  EXPECT_EQ(r.shared[0].enhancers_by_name, 1);
  EXPECT_EQ(r.shared[0].enhancers_by_sequence, -1);
  EXPECT_EQ(r.shared[0].test_pairs_shared, 1);
  EXPECT_EQ(r.shared[1].test_side, "Y");
  EXPECT_EQ(r.shared[1].enhancers_by_name, 1);
  EXPECT_TRUE(r.leakage_found);
  EXPECT_EQ(r.balance[0].split, "all");

  ASSERT_EQ(r.distance.size(), 2u);
  const DistanceStats& x = r.distance[0];
  EXPECT_EQ(x.cell_line, "X");
  EXPECT_EQ(x.positives, 2);
  EXPECT_EQ(x.negatives, 3);
  EXPECT_DOUBLE_EQ(x.pos_median, 150);  // |100|, |-200|
  EXPECT_DOUBLE_EQ(x.pos_q1, 125);
  EXPECT_DOUBLE_EQ(x.neg_median, 1000);
  EXPECT_DOUBLE_EQ(x.neg_q1, 650);
  EXPECT_DOUBLE_EQ(x.neg_q3, 3000);
  EXPECT_DOUBLE_EQ(x.aupr_distance, 1.0);  // positives are the two closest
  // Farther first: positives ranked 4th and 5th: AP = 0.5 * 1/4 + 0.5 * 2/5.
  EXPECT_NEAR(x.aupr_distance_far, 0.5 * 0.25 + 0.5 * 0.4, 1e-12);
  EXPECT_DOUBLE_EQ(x.positive_rate, 0.4);
}

TEST(Audit, GcNeedsSequences) {
  const AuditReport r = AuditFeatureTable(TwoCellTable(), {});
  EXPECT_TRUE(r.gc.empty());
  EXPECT_NE(std::find(r.notes.begin(), r.notes.end(),
                      "no sequences in feature tables: no GC content by label"),
            r.notes.end());
  EXPECT_EQ(FormatAuditReport(r).find("GC content by label ("), std::string::npos);
  EXPECT_TRUE(AuditReportToJson(r)["gc_by_label"].empty());
}

TEST(Audit, FeatureTableGivenTestCells) {
  const AuditReport r = AuditFeatureTable(TwoCellTable(), {"Y"});
  ASSERT_EQ(r.shared.size(), 1u);
  EXPECT_EQ(r.shared[0].test_side, "Y");
  EXPECT_TRUE(r.leakage_found);
  EXPECT_EQ(r.balance.front().split, "train");
  EXPECT_EQ(r.balance.back().split, "test");
  ExpectInputError([] { AuditFeatureTable(TwoCellTable(), {"K562"}); },
                   "test cell line 'K562' is not in the feature tables (cell lines: X, Y)");
}

TEST(Audit, SimulationIsClean) {
  const SimulationResult sim = GenerateSimulation(SimulationPreset("tiny"));
  const AuditReport r = AuditDomainKl(sim.data);
  EXPECT_FALSE(r.leakage_found);
  EXPECT_EQ(r.shared.size(), 3u);
  for (const AuditFinding& f : r.findings) ADD_FAILURE() << f.kind << ": " << f.message;
}

TEST(AuditCli, StrictExitCodeAndJson) {
  TempDir tmp;
  WriteDomainKl(tmp.Join("clean"), CleanLayout());
  WriteDomainKl(tmp.Join("leaky"), LeakyLayout());
  const std::string cli = PRISM_CLI;
  std::string out;
  EXPECT_EQ(RunCommand(cli + " audit " + tmp.Join("clean") + " --strict", &out), 0) << out;
  EXPECT_NE(out.find("verdict: no shared elements"), std::string::npos) << out;
  EXPECT_EQ(RunCommand(cli + " audit " + tmp.Join("leaky") + " --strict --json " +
                           tmp.Join("r.json"), &out), 3) << out;
  EXPECT_NE(out.find("verdict: LEAKAGE"), std::string::npos) << out;
  const Json j = ReadJsonFile(tmp.Join("r.json"));
  EXPECT_EQ(j["leakage_found"], true);
  EXPECT_EQ(j["mode"], "domain-kl");
  ASSERT_TRUE(j["gc_by_label"].is_array());
  EXPECT_EQ(j["gc_by_label"].size(), 2u);  // train A, test B
  EXPECT_EQ(RunCommand(cli + " audit", &out), 1);
  EXPECT_NE(out.find("give either a domain-kl folder or --features"), std::string::npos) << out;
}

const AuditFinding* FindingOf(const AuditReport& r, const std::string& kind) {
  for (const AuditFinding& f : r.findings)
    if (f.kind == kind) return &f;
  return nullptr;
}

TEST(AuditFindings, SamePairWithOppositeLabelsIsAFinding) {
  DomainKlData d = CleanLayout();
  d.train.pairs.push_back(MakePair("e4", "p2", 1, "A"));  // e4~p2 in A was labelled 0
  const AuditReport r = AuditDomainKl(d);
  const AuditFinding* f = FindingOf(r, "conflicting_labels");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->count, 1);
  EXPECT_FALSE(f->leakage);
  EXPECT_FALSE(r.leakage_found);
  EXPECT_EQ(f->examples, std::vector<std::string>{"e4 ~ p2 (A)"});
  EXPECT_NE(FormatAuditReport(r).find("WARN conflicting_labels: 1 pairs are listed twice with "
                                      "opposite labels"),
            std::string::npos);
  // The same pair in another cell line is another pair.
  DomainKlData other = CleanLayout();
  other.train.pairs.push_back(MakePair("e4", "p2", 1, "C"));
  EXPECT_EQ(FindingOf(AuditDomainKl(other), "conflicting_labels"), nullptr);
}

TEST(AuditFindings, OneClassSplitIsAFinding) {
  DomainKlData d = CleanLayout();
  for (Pair& p : d.test.pairs) p.label = 0;
  const AuditReport r = AuditDomainKl(d);
  const AuditFinding* f = FindingOf(r, "one_class_split");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->message, "split 'test' has one class only: all 2 pairs are negative (label 0)");
  EXPECT_FALSE(r.leakage_found);
  EXPECT_EQ(FindingOf(AuditDomainKl(CleanLayout()), "one_class_split"), nullptr);
}

TEST(AuditFindings, TestCellLineAlsoInTrainIsLeakage) {
  DomainKlData d = CleanLayout();
  for (Pair& p : d.test.pairs) p.cell_line = "A";  // the "unseen" cell line was trained on
  const AuditReport r = AuditDomainKl(d);
  const AuditFinding* f = FindingOf(r, "cell_line_overlap");
  ASSERT_NE(f, nullptr);
  EXPECT_TRUE(f->leakage);
  EXPECT_TRUE(r.leakage_found);
  EXPECT_EQ(f->message, "1 cell line(s) of 'test' also in 'train' (A): the test cell lines are "
                        "not unseen");
  const std::string text = FormatAuditReport(r);
  EXPECT_NE(text.find("LEAK cell_line_overlap"), std::string::npos) << text;
  EXPECT_NE(text.find("verdict: LEAKAGE - test cell lines also in train"), std::string::npos) << text;
  const Json j = AuditReportToJson(r);
  ASSERT_EQ(j["findings"].size(), 1u);
  EXPECT_EQ(j["findings"][0]["kind"], "cell_line_overlap");
  EXPECT_EQ(j["findings"][0]["leakage"], true);
}

TEST(AuditFindings, FeatureTablesOneClassCellLine) {
  FeatureTable t = TwoCellTable();
  for (Pair& p : t.pairs)
    if (p.cell_line == "Y") p.label = 1;
  const AuditReport r = AuditFeatureTable(t, {"Y"});
  const AuditFinding* f = FindingOf(r, "one_class_split");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->message.find("split 'Y' has one class only"), std::string::npos) << f->message;
}

TEST(AuditFindingsCli, StrictFailsOnCellLineOverlapOnlyAndJsonHasEveryFinding) {
  TempDir tmp;
  DomainKlData overlap = CleanLayout();
  for (Pair& p : overlap.test.pairs) p.cell_line = "A";
  WriteDomainKl(tmp.Join("overlap"), overlap);
  DomainKlData conflict = CleanLayout();
  conflict.train.pairs.push_back(MakePair("e4", "p2", 1, "A"));
  for (Pair& p : conflict.test.pairs) p.label = 1;
  WriteDomainKl(tmp.Join("conflict"), conflict);
  const std::string cli = PRISM_CLI;
  std::string out;
  EXPECT_EQ(RunCommand(cli + " audit " + tmp.Join("overlap") + " --strict", &out), 3) << out;
  EXPECT_NE(out.find("LEAK cell_line_overlap"), std::string::npos) << out;
  // Conflicting labels and a one-class split are warnings: reported, --strict still passes.
  EXPECT_EQ(RunCommand(cli + " audit " + tmp.Join("conflict") + " --strict --json " +
                           tmp.Join("c.json"), &out), 0) << out;
  EXPECT_NE(out.find("WARN conflicting_labels"), std::string::npos) << out;
  EXPECT_NE(out.find("WARN one_class_split: split 'test' has one class only"), std::string::npos) << out;
  const Json j = ReadJsonFile(tmp.Join("c.json"));
  ASSERT_EQ(j["findings"].size(), 2u);
  EXPECT_EQ(j["leakage_found"], false);
}

TEST(AuditRealData, WhalenTwoCellLines) {
  const std::string dir = PRISM_SHARED_DATA;
  const std::string gm = dir + "/Whalen.GM12878.targetfinder_features.csv.gz";
  const std::string nhek = dir + "/Whalen.NHEK.targetfinder_features.csv.gz";
  if (!fs::exists(gm) || !fs::exists(nhek))
    GTEST_SKIP() << "real feature tables not found under " << dir;
  const FeatureTable t = ReadFeatureTables({gm, nhek});
  const AuditReport r = AuditFeatureTable(t, {"NHEK"});
  ASSERT_EQ(r.balance.size(), 2u);
  EXPECT_EQ(r.balance[0].cell_line, "GM12878");
  EXPECT_EQ(r.balance[0].pairs, 12128);   // README: 12128 pairs, 2113 positives
  EXPECT_EQ(r.balance[0].positives, 2113);
  EXPECT_EQ(r.balance[1].cell_line, "NHEK");
  EXPECT_EQ(r.balance[1].pairs, 26891);
  EXPECT_EQ(r.balance[1].positives, 1291);
  ASSERT_EQ(r.distance.size(), 2u);
  for (const DistanceStats& d : r.distance) {
    EXPECT_GT(d.positives, 0);
    EXPECT_GT(d.aupr_distance, 0.0);
    EXPECT_LT(d.aupr_distance, 0.5);  // README: distance-only ranking 0.05-0.10
  }
  // Promoters recur across many pairs: some are always negative.
  long always_negative = 0;
  for (const ElementLabelStats& s : r.element_labels)
    if (s.role == "promoter") always_negative += s.always_negative;
  EXPECT_GT(always_negative, 0);
  const std::string text = FormatAuditReport(r);
  EXPECT_NE(text.find("NHEK"), std::string::npos);
}

}  // namespace
}  // namespace prism
