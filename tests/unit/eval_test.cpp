// Tests of `prism eval` through the built CLI: the table against scikit-learn's per-cell values,
// the JSON/Markdown outputs, and a bad file.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "prism/atomic_file.h"
#include "prism/run_folder.h"
#include "test_util.h"

namespace prism {
namespace {

const std::string kCli = PRISM_CLI;
const std::string kFixtures = std::string(PRISM_FIXTURES) + "/metrics";

TEST(EvalCli, TableMatchesSklearnPerCell) {
  TempDir dir;
  std::string out;
  std::string cmd = kCli + " eval " + kFixtures + "/eval_cells.csv --json " + dir.Join("m.json") +
                    " --markdown " + dir.Join("m.md");
  ASSERT_EQ(RunCommand(cmd, &out), 0) << out;
  EXPECT_NE(out.find("| cell line | AUPR | AUC | F1 | Recall | Precision | Threshold | N |"),
            std::string::npos)
      << out;
  size_t overall = out.find("| overall |"), a549 = out.find("| A549 |"),
         gm = out.find("| GM12878 |"), k562 = out.find("| K562 |");
  ASSERT_NE(overall, std::string::npos) << out;
  ASSERT_NE(k562, std::string::npos) << out;
  EXPECT_LT(overall, a549);
  EXPECT_LT(a549, gm);
  EXPECT_LT(gm, k562);
  EXPECT_NE(out.find("| K562 | 0.0000 | nan |"), std::string::npos) << out;  // no positives
  EXPECT_EQ(ReadFile(dir.Join("m.md")), out.substr(0, out.find("\noverall:") ));

  Json got = ReadJsonFile(dir.Join("m.json"));
  Json want = ReadJsonFile(kFixtures + "/eval_cells.expected.json");
  for (const auto& [group, w] : want.items()) {
    SCOPED_TRACE(group);
    const Json& g = group == "overall" ? got["overall"] : got["per_cell"][group];
    ASSERT_TRUE(g.is_object());
    EXPECT_EQ(g["n"].get<long>(), w["n"].get<long>());
    EXPECT_EQ(g["positives"].get<long>(), w["positives"].get<long>());
    for (const char* key : {"aupr", "auc", "brier", "threshold", "f1"}) {
      double a = ReadNumber(g[key]), b = ReadNumber(w[key]);
      if (std::isnan(b)) EXPECT_TRUE(std::isnan(a)) << key;
      else EXPECT_NEAR(a, b, 1e-9) << key;
    }
  }
}

TEST(EvalCli, BadFileExitsOneNamingFileAndLine) {
  TempDir dir;
  std::string bad = dir.Write("bad.csv", "label,score\n1,0.9\n0,0.1\n1,zero\n");
  std::string out;
  EXPECT_EQ(RunCommand(kCli + " eval " + bad + " --json " + dir.Join("m.json"), &out), 1);
  EXPECT_NE(out.find("prism: error: " + bad + ":4:2: column 'score': expected a number"),
            std::string::npos)
      << out;
  EXPECT_FALSE(std::filesystem::exists(dir.Join("m.json")));
}

TEST(EvalCli, MissingColumnAndMissingFile) {
  TempDir dir;
  std::string bad = dir.Write("bad.csv", "label,prediction\n1,0.9\n");
  std::string out;
  EXPECT_EQ(RunCommand(kCli + " eval " + bad, &out), 1);
  EXPECT_NE(out.find(bad + ":1: header has no column 'score'"), std::string::npos) << out;
  EXPECT_EQ(RunCommand(kCli + " eval " + dir.Join("nope.csv"), &out), 1);
  EXPECT_NE(out.find("nope.csv"), std::string::npos) << out;
}

TEST(EvalCli, ScoresOutsideZeroOneAreRefusedUnlessLogit) {
  TempDir dir;
  std::string logits = dir.Write("logits.csv", "label,score\n1,2.3\n0,-1.5\n1,0.4\n0,-0.2\n");
  std::string out;
  EXPECT_EQ(RunCommand(kCli + " eval " + logits + " --json " + dir.Join("m.json"), &out), 1);
  EXPECT_NE(out.find("prism: error: " + logits + ":2:2: column 'score': expected a probability "
                     "in [0, 1], found '2.3' (scores that are logits: --scores logit)"),
            std::string::npos)
      << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;  // one line
  EXPECT_FALSE(std::filesystem::exists(dir.Join("m.json")));
  // As logits: the sigmoid is applied, so ECE and Brier are those of the probabilities.
  std::string probs = dir.Write("probs.csv", "label,score\n1," + std::to_string(1 / (1 + std::exp(-2.3))) +
                                                 "\n0," + std::to_string(1 / (1 + std::exp(1.5))) +
                                                 "\n1," + std::to_string(1 / (1 + std::exp(-0.4))) +
                                                 "\n0," + std::to_string(1 / (1 + std::exp(0.2))) + "\n");
  ASSERT_EQ(RunCommand(kCli + " eval " + logits + " --scores logit --json " + dir.Join("l.json"), &out), 0) << out;
  ASSERT_EQ(RunCommand(kCli + " eval " + probs + " --json " + dir.Join("p.json"), &out), 0) << out;
  Json l = ReadJsonFile(dir.Join("l.json"))["overall"], p = ReadJsonFile(dir.Join("p.json"))["overall"];
  for (const char* key : {"aupr", "auc", "ece", "brier", "threshold"})
    EXPECT_NEAR(ReadNumber(l[key]), ReadNumber(p[key]), 1e-5) << key;
  EXPECT_LT(ReadNumber(l["ece"]), 1.0);
  EXPECT_NE(RunCommand(kCli + " eval " + probs + " --scores odds", &out), 0);
}

TEST(EvalCli, HeaderOnlyFileIsRefused) {
  TempDir dir;
  std::string empty = dir.Write("empty.csv", "label,score,cell_line\n");
  std::string out;
  EXPECT_EQ(RunCommand(kCli + " eval " + empty + " --markdown " + dir.Join("m.md"), &out), 1);
  EXPECT_NE(out.find("prism: error: " + empty + ":1: no rows: expected at least one scored pair"),
            std::string::npos)
      << out;
  EXPECT_FALSE(std::filesystem::exists(dir.Join("m.md")));
}

}  // namespace
}  // namespace prism
