#include <gtest/gtest.h>

#include "prism/run_folder.h"
#include "test_util.h"

namespace prism {
namespace {

TEST(RunFolder, NumbersRoundTripIncludingNonFinite) {
  EXPECT_EQ(ReadNumber(JsonNumber(1.5)), 1.5);
  EXPECT_TRUE(std::isnan(ReadNumber(JsonNumber(NAN))));
  EXPECT_EQ(ReadNumber(JsonNumber(-INFINITY)), -INFINITY);
  EXPECT_TRUE(std::isnan(ReadNumber(Json())));
  Json j = {{"a", {{"b", 2.0}}}};
  EXPECT_EQ(ReadPath(j, {"a", "b"}), 2.0);
  EXPECT_EQ(ReadPath(j, {"a", "c"}, -1.0), -1.0);
}

TEST(RunFolder, LoadsRunJsonAndLog) {
  TempDir d;
  d.Write("run.json", R"({"config":{"components":{"prototype":true,"contrastive":false},
                          "train":{"sampler":"cell"}}})");
  d.Write("train_log.jsonl", "{\"epoch\":1,\"loss\":{\"total\":\"nan\"}}\n\n{\"epoch\":2}\n");
  RunFolder rf = RunFolder::Load(d.path());
  ASSERT_EQ(rf.epochs.size(), 2u);
  EXPECT_TRUE(std::isnan(ReadPath(rf.epochs[0], {"loss", "total"})));
  EXPECT_TRUE(rf.ComponentConfigured("prototype"));
  EXPECT_FALSE(rf.ComponentConfigured("contrastive"));
  EXPECT_FALSE(rf.ComponentConfigured("orthogonality"));
  EXPECT_EQ(rf.ConfiguredSampler(), "cell");
}

TEST(RunFolder, BadJsonLineNamesFileAndLine) {
  TempDir d;
  d.Write("train_log.jsonl", "{\"epoch\":1}\n{\"epoch\":2,\n");
  ExpectInputError([&] { RunFolder::Load(d.path()); }, "train_log.jsonl:2: invalid JSON");
  ExpectInputError([&] { RunFolder::Load(d.Join("missing")); }, "not a run folder");
}

}  // namespace
}  // namespace prism
