// Tests of the leakage audit: shared elements, element label rates, distance, class balance,
// the CLI (--strict exit status, --json) and a run on the real Whalen tables.
#include <gtest/gtest.h>

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
  EXPECT_EQ(RunCommand(cli + " audit", &out), 1);
  EXPECT_NE(out.find("give either a domain-kl folder or --features"), std::string::npos) << out;
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
