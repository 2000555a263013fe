// model.fused_embed_conv = "auto": the cost rule choosing the plain or the fused
// embedding-convolution (prism/embed_conv_choice.h). The expected choices are the paths
// bench/embed_conv_bench measured faster by more than 25 % at these shapes.
#include "prism/embed_conv_choice.h"

#include <gtest/gtest.h>

#include "prism/error.h"

namespace prism {
namespace {

EmbedConvShape Shape(int64_t d, int64_t c, int64_t k) {
  EmbedConvShape s;
  s.embed_dim = d;
  s.channels = c;
  s.kernel = k;
  return s;
}
const EmbedConvShape kTiny = Shape(8, 8, 8), kDefault = Shape(16, 10, 12),
                     kPaper = Shape(768, 64, 40);

bool Fused(const EmbedConvShape& s, int64_t batch, int64_t len, bool training) {
  return ChooseEmbedConv("auto", s, batch, {len, len}, training).fused;
}

TEST(EmbedConvChoice, CostFormulas) {
  // plain: B*L*(2 * 2*D*C*K + 4000) per stream, x3 training.
  const double plain = 4.0 * 100 * (2.0 * 2 * 16 * 10 * 12 + 4000);
  EXPECT_DOUBLE_EQ(PlainEmbedConvCost(kDefault, 4, {100}, false), plain);
  EXPECT_DOUBLE_EQ(PlainEmbedConvCost(kDefault, 4, {100, 100}, true), 6 * plain);
  // fused: 2*V*K*C*(D + 12) per stream (x3 training) + 80 * B*L*K*C (x2 training).
  const double table = 2.0 * 4097 * 12 * 10 * (16 + 12), adds = 4.0 * 100 * 12 * 10;
  EXPECT_DOUBLE_EQ(FusedEmbedConvCost(kDefault, 4, {100}, false), table + 80 * adds);
  EXPECT_DOUBLE_EQ(FusedEmbedConvCost(kDefault, 4, {100}, true), 3 * table + 160 * adds);
  // The table does not grow with the batch (fused = table + B * gather); the plain path is
  // proportional to the batch.
  const double f1 = FusedEmbedConvCost(kPaper, 1, {3000}, true);
  const double f2 = FusedEmbedConvCost(kPaper, 2, {3000}, true);
  EXPECT_NEAR(2 * f1 - f2, 3 * 2.0 * 4097 * 40 * 64 * (768 + 12), 1e-9 * f1);
  EXPECT_DOUBLE_EQ(PlainEmbedConvCost(kPaper, 64, {3000}, true),
                   64 * PlainEmbedConvCost(kPaper, 1, {3000}, true));
}

TEST(EmbedConvChoice, AutoPicksTheMeasuredFasterPath) {
  // paper: fused at every batch (measured 1.1-5.8x per CPU-second at batch 1-4, 3-4 kb).
  EXPECT_TRUE(Fused(kPaper, 1, 2995, true));
  EXPECT_TRUE(Fused(kPaper, 4, 3995, true));
  EXPECT_TRUE(Fused(kPaper, 64, 995, true));     // the benchmark: 1 kb + 4 kb, batch 64
  EXPECT_TRUE(Fused(kPaper, 256, 3995, false));  // scoring
  // default and tiny: plain for a few short sequences, fused from a few times V positions.
  EXPECT_FALSE(Fused(kDefault, 1, 295, true));     // measured 0.15x
  EXPECT_FALSE(Fused(kDefault, 4, 495, false));    // 0.37x
  EXPECT_TRUE(Fused(kDefault, 64, 495, true));     // 1.80x
  EXPECT_TRUE(Fused(kDefault, 256, 495, true));    // 2.32x
  EXPECT_TRUE(Fused(kDefault, 256, 495, false));   // 2.25x
  EXPECT_FALSE(Fused(kTiny, 1, 495, false));       // 0.17x
  EXPECT_FALSE(Fused(kTiny, 4, 295, true));        // 0.51x
  EXPECT_TRUE(Fused(kTiny, 64, 495, true));        // 1.94x
  EXPECT_TRUE(Fused(kTiny, 256, 495, true));       // 3.39x
}

TEST(EmbedConvChoice, ExplicitSettingsWinAndAreRecorded) {
  auto on = ChooseEmbedConv("true", kDefault, 1, {295, 295}, true);
  EXPECT_TRUE(on.fused);
  auto off = ChooseEmbedConv("false", kPaper, 64, {995, 3995}, true);
  EXPECT_FALSE(off.fused);
  EXPECT_GT(off.plain_cost, off.fused_cost);  // the estimate is still recorded
  const Json j = off.ToJson();
  EXPECT_EQ(j["setting"], "false");
  EXPECT_EQ(j["fused"], false);
  EXPECT_EQ(j["batch"], 64);
  EXPECT_EQ(j["tokens"], Json::array({995, 3995}));
  EXPECT_EQ(j["estimated_for"], "training step");
  EXPECT_NE(off.ToString().find("plain (set to false"), std::string::npos) << off.ToString();
  auto scoring = ChooseEmbedConv("auto", kPaper, 256, {2995, 3995}, false);
  EXPECT_NE(scoring.ToString().find("fused table (auto"), std::string::npos);
  EXPECT_EQ(scoring.ToJson()["estimated_for"], "scoring forward");
  EXPECT_EQ(EmbedConvSettings(), (std::vector<std::string>{"auto", "true", "false"}));
}

TEST(EmbedConvChoice, RefusesBadInput) {
  EXPECT_THROW(ChooseEmbedConv("yes", kDefault, 1, {10}, true), Error);
  EXPECT_THROW(ChooseEmbedConv("auto", kDefault, 0, {10}, true), Error);
  EXPECT_THROW(ChooseEmbedConv("auto", kDefault, 1, {}, true), Error);
  EXPECT_THROW(ChooseEmbedConv("auto", kDefault, 1, {0}, true), Error);
  EXPECT_THROW(ChooseEmbedConv("auto", Shape(0, 10, 12), 1, {10}, true), Error);
}

}  // namespace
}  // namespace prism
