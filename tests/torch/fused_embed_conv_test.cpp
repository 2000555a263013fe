// The fused embedding-convolution equals the plain embedding -> conv1d path: outputs and the
// gradients w.r.t. embedding, weight and bias, including PAD tokens and the padding row.
#include "model/fused_embed_conv.h"

#include <gtest/gtest.h>

#include "prism/error.h"

namespace prism {
namespace {

double RelErr(const torch::Tensor& a, const torch::Tensor& b) {
  const double scale = std::max(b.abs().max().item<double>(), 1e-12);
  return (a - b).abs().max().item<double>() / scale;
}

struct Case {
  int64_t vocab, dim, channels, k, batch, len;
  bool bias;
};

// Runs both paths on the same leaves with the same upstream gradient; returns the max
// relative error over output and the three gradients.
double CompareOnce(const Case& c, torch::Dtype dtype, uint64_t seed) {
  torch::manual_seed(seed);
  auto opt = torch::TensorOptions().dtype(dtype);
  torch::Tensor tokens = torch::randint(0, c.vocab, {c.batch, c.len}, torch::kLong);
  // PAD: a padded tail on row 0 and scattered PAD tokens elsewhere.
  tokens.index_put_({0, torch::indexing::Slice(c.len - c.len / 3, torch::indexing::None)}, 0);
  tokens.masked_fill_(torch::rand({c.batch, c.len}) < 0.1, 0);
  torch::Tensor e0 = torch::randn({c.vocab, c.dim}, opt);
  torch::Tensor w0 = torch::randn({c.channels, c.dim, c.k}, opt) * 0.1;
  torch::Tensor b0 = c.bias ? torch::randn({c.channels}, opt) : torch::Tensor();
  torch::Tensor g = torch::randn({c.batch, c.channels, c.len - c.k + 1}, opt);

  auto run = [&](bool fused, torch::Tensor* out, torch::Tensor* ge, torch::Tensor* gw,
                 torch::Tensor* gb) {
    torch::Tensor e = e0.clone().requires_grad_(true);
    torch::Tensor w = w0.clone().requires_grad_(true);
    torch::Tensor b = c.bias ? b0.clone().requires_grad_(true) : torch::Tensor();
    *out = fused ? FusedEmbedConv1d(tokens, e, w, b, 0) : PlainEmbedConv1d(tokens, e, w, b, 0);
    out->backward(g);
    *ge = e.grad();
    *gw = w.grad();
    if (c.bias) *gb = b.grad();
  };
  torch::Tensor of, gef, gwf, gbf, op, gep, gwp, gbp;
  run(true, &of, &gef, &gwf, &gbf);
  run(false, &op, &gep, &gwp, &gbp);
  EXPECT_EQ(of.sizes(), op.sizes());
  EXPECT_TRUE(of.is_contiguous());
  // The padding row receives no gradient on either path.
  EXPECT_EQ(gef[0].abs().max().item<double>(), 0.0);
  EXPECT_EQ(gep[0].abs().max().item<double>(), 0.0);
  double err = std::max({RelErr(of, op), RelErr(gef, gep), RelErr(gwf, gwp)});
  if (c.bias) err = std::max(err, RelErr(gbf, gbp));
  return err;
}

TEST(FusedEmbedConv, MatchesPlainFloat) {
  const Case cases[] = {
      {50, 8, 5, 4, 3, 17, true},
      {50, 8, 5, 4, 3, 17, false},
      {20, 16, 7, 1, 2, 9, true},    // K = 1
      {30, 6, 3, 12, 2, 12, true},   // L = K: one output position
      {4097, 32, 16, 40, 2, 120, true},  // paper vocabulary and kernel, small widths
      {60, 8, 5, 7, 3, 600, true},  // several 256-position tiles of the gather, repeated tokens
  };
  uint64_t seed = 1;
  for (const Case& c : cases) {
    EXPECT_LT(CompareOnce(c, torch::kFloat, seed++), 1e-4)
        << "V=" << c.vocab << " D=" << c.dim << " C=" << c.channels << " K=" << c.k;
  }
}

TEST(FusedEmbedConv, MatchesPlainDoubleTightly) {
  EXPECT_LT(CompareOnce({40, 8, 4, 5, 3, 25, true}, torch::kDouble, 7), 1e-10);
  EXPECT_LT(CompareOnce({60, 8, 5, 7, 2, 700, true}, torch::kDouble, 8), 1e-10);
}

TEST(FusedEmbedConv, ModuleSwitchesPathWithSameParameters) {
  torch::manual_seed(3);
  FusedEmbedConv m(FusedEmbedConvOptions(64, 12, 6, 5));
  std::vector<std::string> keys;
  for (const auto& p : m->named_parameters()) keys.push_back(p.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"embed.weight", "conv.weight", "conv.bias"}));
  EXPECT_EQ(m->embed->weight[0].abs().max().item<double>(), 0.0);  // PAD row starts at zero

  torch::Tensor tokens = torch::randint(0, 64, {2, 30}, torch::kLong);
  tokens.index_put_({1, torch::indexing::Slice(20, torch::indexing::None)}, 0);
  torch::Tensor fused = m->forward(tokens);
  m->zero_grad();
  fused.square().sum().backward();
  torch::Tensor ge = m->embed->weight.grad().clone(), gw = m->conv->weight.grad().clone();

  m->set_fused(false);
  m->zero_grad();
  torch::Tensor plain = m->forward(tokens);
  plain.square().sum().backward();
  EXPECT_EQ(plain.sizes(), (std::vector<int64_t>{2, 6, 26}));
  EXPECT_LT(RelErr(fused, plain), 1e-4);
  EXPECT_LT(RelErr(ge, m->embed->weight.grad()), 1e-4);
  EXPECT_LT(RelErr(gw, m->conv->weight.grad()), 1e-4);

  std::ostringstream os;
  m->pretty_print(os);
  EXPECT_NE(os.str().find("fused=false"), std::string::npos);
}

// The backward reuses the forward's table buffer once; a second backward through the same graph
// (retain_graph) must still give the same gradients.
TEST(FusedEmbedConv, SecondBackwardThroughRetainedGraphMatchesFirst) {
  torch::manual_seed(5);
  torch::Tensor e = torch::randn({30, 6}, torch::requires_grad());
  torch::Tensor w = torch::randn({4, 6, 3}, torch::requires_grad());
  torch::Tensor b = torch::randn({4}, torch::requires_grad());
  torch::Tensor tokens = torch::randint(0, 30, {2, 20}, torch::kLong);
  torch::Tensor out = FusedEmbedConv1d(tokens, e, w, b, 0);
  torch::Tensor g = torch::randn(out.sizes());
  out.backward(g, /*retain_graph=*/true);
  torch::Tensor ge = e.grad().clone(), gw = w.grad().clone(), gb = b.grad().clone();
  out.backward(g);
  EXPECT_TRUE(torch::allclose(e.grad(), 2 * ge));
  EXPECT_TRUE(torch::allclose(w.grad(), 2 * gw));
  EXPECT_TRUE(torch::allclose(b.grad(), 2 * gb));
  EXPECT_GT(ge.abs().max().item<double>(), 0.0);
}

TEST(FusedEmbedConv, RejectsBadInput) {
  torch::Tensor e = torch::randn({10, 4}), w = torch::randn({3, 4, 5}), b = torch::randn({3});
  auto expect_error = [](const std::function<void()>& fn, const std::string& text) {
    try {
      fn();
      ADD_FAILURE() << "expected an error containing: " << text;
    } catch (const Error& err) {
      EXPECT_NE(std::string(err.what()).find(text), std::string::npos) << err.what();
    }
  };
  expect_error([&] { FusedEmbedConv1d(torch::full({1, 8}, 10, torch::kLong), e, w, b); },
               "token ids must lie in [0, 10), found 10");
  expect_error([&] { FusedEmbedConv1d(torch::full({1, 8}, -1, torch::kLong), e, w, b); },
               "found -1");
  expect_error([&] { FusedEmbedConv1d(torch::zeros({1, 4}, torch::kLong), e, w, b); },
               "sequence length 4 is shorter than the kernel (5)");
  expect_error([&] { FusedEmbedConv1d(torch::zeros({1, 8}, torch::kInt), e, w, b); },
               "tokens must be a [B, L] int64 tensor");
  expect_error([&] { FusedEmbedConv1d(torch::zeros({1, 8}, torch::kLong), e,
                                      torch::randn({3, 5, 5}), b); },
               "weight must be [C, D=4, K]");
}

}  // namespace
}  // namespace prism
