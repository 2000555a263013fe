// Pairs without labels: the domain-kl test split may omit the label column or leave labels
// empty (kUnlabeled); train and val may not; metrics cover the labeled pairs only and the
// result table says "unlabeled".
#include <gtest/gtest.h>

#include "prism/atomic_file.h"
#include "prism/domain_kl.h"
#include "prism/labeled_subset.h"
#include "prism/predictions.h"
#include "test_util.h"

namespace prism {
namespace {

const char* kEseq = "region,sequence\ne1,ACGTACGT\ne2,GGGGCCCC\n";
const char* kPseq = "region,sequence\np1,TTTTAAAA\n";

void WriteSplit(const TempDir& dir, const std::string& split, const std::string& pairs) {
  dir.Write(split + "/ALL/pairs_hg19.csv", pairs);
  dir.Write(split + "/ALL/e_seq.csv", kEseq);
  dir.Write(split + "/ALL/p_seq.csv", kPseq);
}

const char* kLabeled = "enhancer_name,promoter_name,label,cell_line\ne1,p1,1,A\ne2,p1,0,A\n";

}  // namespace

TEST(Unlabeled, TestSplitWithoutLabelColumnOrWithEmptyLabels) {
  TempDir dir;
  WriteSplit(dir, "train", kLabeled);
  WriteSplit(dir, "test", "enhancer_name,promoter_name,cell_line\ne1,p1,X\ne2,p1,X\n");
  auto d = ReadDomainKl(dir.path());
  ASSERT_EQ(d.test.pairs.size(), 2u);
  EXPECT_EQ(d.test.pairs[0].label, kUnlabeled);
  EXPECT_EQ(d.test.pairs[1].label, kUnlabeled);
  // Mixed: cell line X labeled, Y not.
  WriteSplit(dir, "test",
             "enhancer_name,promoter_name,label,cell_line\ne1,p1,1,X\ne2,p1,,Y\ne1,p1,0,X\n");
  d = ReadDomainKl(dir.path());
  EXPECT_EQ(d.test.pairs[0].label, 1);
  EXPECT_EQ(d.test.pairs[1].label, kUnlabeled);
  // Written back with an empty label field.
  WriteDomainKlSplit(dir.Join("copy"), "test", d.test);
  EXPECT_NE(ReadFile(dir.Join("copy/test/ALL/pairs_hg19.csv")).find("e2,p1,,Y\n"),
            std::string::npos);
}

TEST(Unlabeled, TrainAndValNeedLabels) {
  TempDir dir;
  WriteSplit(dir, "test", kLabeled);
  WriteSplit(dir, "train", "enhancer_name,promoter_name,label,cell_line\ne1,p1,1,A\ne2,p1,,A\n");
  ExpectInputError([&] { ReadDomainKl(dir.path()); },
                   "train/ALL/pairs_hg19.csv:3:7: column 'label': empty (only the test split");
  WriteSplit(dir, "train", "enhancer_name,promoter_name,cell_line\ne1,p1,A\n");
  ExpectInputError([&] { ReadDomainKl(dir.path()); }, "label");
}

TEST(Unlabeled, MetricsOfTheLabeledPairsAndAnUnlabeledRow) {
  const std::vector<int> y = {1, 0, kUnlabeled, 1, 0, kUnlabeled};
  const std::vector<double> s = {0.9, 0.1, 0.5, 0.8, 0.3, 0.7};
  const std::vector<std::string> c = {"X", "X", "Y", "X", "X", "Y"};
  auto t = metric::ComputePartlyLabeledTable(y, s, c);
  ASSERT_TRUE(t.any_labeled);
  EXPECT_EQ(t.table.overall.n, 4);
  EXPECT_DOUBLE_EQ(t.table.overall.aupr, 1.0);
  EXPECT_EQ(t.table.per_cell.count("Y"), 0u);
  EXPECT_EQ(t.unlabeled.at("Y"), 2u);
  EXPECT_NE(t.ToMarkdown().find("| Y | unlabeled |  |  |  |  |  | 2 |\n"), std::string::npos);
  EXPECT_EQ(t.ToJson().at("unlabeled").at("Y"), 2);
  auto none = metric::ComputePartlyLabeledTable({kUnlabeled}, {0.5}, {"Z"});
  EXPECT_FALSE(none.any_labeled);
  EXPECT_EQ(none.ToMarkdown(),
            "| cell line | AUPR | AUC | F1 | Recall | Precision | Threshold | N |\n"
            "| --- | --- | --- | --- | --- | --- | --- | --- |\n"
            "| Z | unlabeled |  |  |  |  |  | 1 |\n");
  EXPECT_FALSE(none.ToJson().contains("overall"));
}

TEST(Unlabeled, PredictionsWriteAnEmptyLabel) {
  TempDir dir;
  Predictions p;
  p.label = {1, kUnlabeled};
  p.score = {0.25, 0.5};
  p.cell_line = {"X", "Y"};
  WritePredictions(dir.Join("p.csv"), p);
  EXPECT_EQ(ReadFile(dir.Join("p.csv")),
            "enhancer,promoter,cell_line,label,score\n,,X,1,0.25\n,,Y,,0.5\n");
}

}  // namespace prism
