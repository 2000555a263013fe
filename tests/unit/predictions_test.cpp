// Tests of the predictions CSV reader/writer.
#include "prism/predictions.h"

#include <gtest/gtest.h>

#include <cmath>

#include "test_util.h"

namespace prism {
namespace {

TEST(Predictions, ReadsFullFile) {
  TempDir dir;
  std::string path = dir.Write("p.csv",
                               "enhancer,promoter,cell_line,label,score,u_i,r_e\n"
                               "e1,p1,K562,1,0.9,2.5,0.1\n"
                               "\"e,2\",p2,GM12878,0,0.25,-1,0.5\n");
  Predictions p = ReadPredictions(path);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_EQ(p.enhancer[1], "e,2");
  EXPECT_EQ(p.cell_line[0], "K562");
  EXPECT_EQ(p.label, (std::vector<int>{1, 0}));
  EXPECT_EQ(p.score, (std::vector<double>{0.9, 0.25}));
  EXPECT_EQ(p.u_i, (std::vector<double>{2.5, -1}));
  EXPECT_EQ(p.r_e, (std::vector<double>{0.1, 0.5}));
}

TEST(Predictions, MinimalColumnsAnyOrderAndGzip) {
  TempDir dir;
  std::string path = dir.WriteGz("p.csv.gz", "score,extra,label\n3.5,x,1\n-2,y,0.0\n");
  Predictions p = ReadPredictions(path);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_TRUE(p.cell_line.empty());
  EXPECT_TRUE(p.enhancer.empty());
  EXPECT_TRUE(p.u_i.empty());
  EXPECT_EQ(p.score, (std::vector<double>{3.5, -2}));  // any finite score (other tools' logits)
  EXPECT_EQ(p.label, (std::vector<int>{1, 0}));
}

TEST(Predictions, HeaderOnlyIsEmpty) {
  TempDir dir;
  Predictions p = ReadPredictions(dir.Write("p.csv", "label,score\n"));
  EXPECT_EQ(p.size(), 0u);
}

TEST(Predictions, BadInputNamesFileLineColumn) {
  TempDir dir;
  std::string missing = dir.Write("missing.csv", "label,prob\n1,0.5\n");
  ExpectInputError([&] { ReadPredictions(missing); }, missing + ":1: header has no column 'score'");
  std::string ragged = dir.Write("ragged.csv", "label,score\n1,0.5\n0\n");
  ExpectInputError([&] { ReadPredictions(ragged); }, ragged + ":3: expected 2 fields, found 1");
  std::string label = dir.Write("label.csv", "label,score\n1,0.5\n2,0.5\n");
  ExpectInputError([&] { ReadPredictions(label); },
                   label + ":3:1: column 'label': expected a label 0 or 1, found '2'");
  std::string score = dir.Write("score.csv", "label,score\n1,high\n");
  ExpectInputError([&] { ReadPredictions(score); },
                   score + ":2:2: column 'score': expected a number, found 'high'");
  std::string nan = dir.Write("nan.csv", "label,score\n1,0.5\n0,nan\n");
  ExpectInputError([&] { ReadPredictions(nan); },
                   nan + ":3:2: column 'score': expected a finite number, found 'nan'");
  std::string empty = dir.Write("empty.csv", "");
  ExpectInputError([&] { ReadPredictions(empty); }, empty + ":1: empty file");
  ExpectInputError([&] { ReadPredictions(dir.Join("absent.csv")); }, "absent.csv");
}

TEST(Predictions, WriteReadRoundTripIsExact) {
  TempDir dir;
  Predictions p;
  p.enhancer = {"chr1:1-2|X", "e\"q"};
  p.promoter = {"p1", "p,2"};
  p.cell_line = {"A", "B"};
  p.label = {1, 0};
  p.score = {0.1 + 0.2, 1.0 / 3};
  p.u_i = {1e-300, -7.25};
  p.r_e = {0.0, 123456.789};
  std::string path = dir.Join("out.csv");
  WritePredictions(path, p);
  Predictions q = ReadPredictions(path);
  EXPECT_EQ(q.enhancer, p.enhancer);
  EXPECT_EQ(q.promoter, p.promoter);
  EXPECT_EQ(q.cell_line, p.cell_line);
  EXPECT_EQ(q.label, p.label);
  EXPECT_EQ(q.score, p.score);
  EXPECT_EQ(q.u_i, p.u_i);
  EXPECT_EQ(q.r_e, p.r_e);
  std::ifstream in(path);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "enhancer,promoter,cell_line,label,score,u_i,r_e");
}

TEST(Predictions, WriteWithoutNamesReadsBackWithoutThem) {
  TempDir dir;
  Predictions p;
  p.label = {0, 1};
  p.score = {0.2, 0.8};
  std::string path = dir.Join("out.csv");
  WritePredictions(path, p);
  Predictions q = ReadPredictions(path);
  EXPECT_TRUE(q.cell_line.empty());
  EXPECT_TRUE(q.enhancer.empty());
  EXPECT_EQ(q.score, p.score);
}

TEST(Predictions, WriteRejectsMismatchedColumnsAndLeavesNoFile) {
  TempDir dir;
  Predictions p;
  p.label = {0, 1};
  p.score = {0.2};
  std::string path = dir.Join("out.csv");
  ExpectInputError([&] { WritePredictions(path, p); }, "column 'score' has 1 values, expected 2");
  EXPECT_FALSE(std::filesystem::exists(path));
  p.score = {0.2, 0.3};
  p.u_i = {1, 2};
  ExpectInputError([&] { WritePredictions(path, p); }, "u_i and r_e go together");
  EXPECT_FALSE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace prism
