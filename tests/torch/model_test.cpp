// Tests of the PRISM network blocks and loss components.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <tuple>

#include "model/losses.h"
#include "prism/error.h"
#include "model/model.h"
#include "prism/tokenizer.h"
#include "prism/train.h"
#include "train/model_recipe.h"

namespace prism::model {
namespace {

namespace F = torch::nn::functional;

/// The `tiny` preset's network (configs/tiny.toml through the model recipe).
ModelOptions Tiny(int64_t cells, int64_t features = 0) {
  TrainConfig c = BuiltinTrainConfig("tiny");
  if (features > 0) c.data.kind = "features";
  return train::ModelOptionsFor(c, cells, features);
}
ModelOptions TinySeq(int64_t cells = 3) { return Tiny(cells); }

/// Tokens [B, L] with random ids in the valid prefix and PAD (0) after it.
torch::Tensor RandomTokens(const std::vector<int64_t>& lens, int64_t width) {
  auto t = torch::zeros({static_cast<int64_t>(lens.size()), width}, torch::kLong);
  for (size_t i = 0; i < lens.size(); ++i)
    t[i].narrow(0, 0, lens[i]).copy_(torch::randint(1, 4097, {lens[i]}, torch::kLong));
  return t;
}

Batch SeqBatch(const std::vector<int64_t>& e_lens, const std::vector<int64_t>& p_lens,
               int64_t e_width, int64_t p_width) {
  Batch b;
  b.e_tokens = RandomTokens(e_lens, e_width);
  b.p_tokens = RandomTokens(p_lens, p_width);
  b.e_len = torch::tensor(e_lens, torch::kLong);
  b.p_len = torch::tensor(p_lens, torch::kLong);
  const int64_t n = static_cast<int64_t>(e_lens.size());
  b.label = (torch::arange(n) % 2).to(torch::kFloat);
  b.cell = torch::arange(n, torch::kLong) % 3;
  b.group = b.cell.clone();
  b.group_cell = torch::arange(3, torch::kLong);
  b.num_groups = 3;
  return b;
}

TEST(ModelTest, OutputShapes) {
  torch::manual_seed(1);
  PrismNet net(TinySeq());
  auto b = SeqBatch({30, 17, 25, 40}, {20, 33, 12, 9}, 40, 33);
  auto out = net->forward(b, ContextMode::kGroups, 0.5);
  const auto& o = net->options;
  EXPECT_EQ(out.logit.sizes(), (std::vector<int64_t>{4}));
  EXPECT_EQ(out.u_i.sizes(), (std::vector<int64_t>{4}));
  EXPECT_EQ(out.r_e.sizes(), (std::vector<int64_t>{4}));
  EXPECT_EQ(out.z_i.sizes(), (std::vector<int64_t>{4, o.z_i_dim()}));
  EXPECT_EQ(out.z_e.sizes(), (std::vector<int64_t>{4, o.z_e_dim()}));
  EXPECT_EQ(out.log_assign.sizes(), (std::vector<int64_t>{3, 3}));
  EXPECT_EQ(out.disc_logits.sizes(), (std::vector<int64_t>{4, 3}));
  EXPECT_TRUE(torch::isfinite(out.logit).all().item<bool>());
}

TEST(ModelTest, SequenceEncoderShapesAndPooledMask) {
  torch::manual_seed(2);
  SequenceEncoder enc(TinySeq());  // kernel 8, pool 4
  auto [x, mask] = enc(RandomTokens({9, 4}, 10), torch::tensor({9, 4}, torch::kLong));
  EXPECT_EQ(x.sizes(), (std::vector<int64_t>{2, 3, 8}));  // ceil(10 / 4) = 3 pooled positions
  // A pooled position is valid if any input in its window is valid.
  EXPECT_TRUE(mask[0].equal(torch::tensor({true, true, true})));
  EXPECT_TRUE(mask[1].equal(torch::tensor({true, false, false})));
  EXPECT_EQ(x[1][1].abs().sum().item<float>(), 0.0f);  // invalid positions are zeroed
}

TEST(ModelTest, PaddingDoesNotChangeOutput) {
  for (bool training : {false, true}) for (bool composition : {false, true})
  for (bool presence : {false, true}) {
    torch::manual_seed(3);
    PrismNet net(TinySeq().kmer_composition(composition).presence_readout(presence)
                     .pair_interaction(presence));
    net->train(training);
    auto b = SeqBatch({30, 17, 25}, {20, 33, 12}, 30, 33);
    Batch wide = b;
    wide.e_tokens = torch::cat({b.e_tokens, torch::zeros({3, 23}, torch::kLong)}, 1);
    wide.p_tokens = torch::cat({b.p_tokens, torch::zeros({3, 41}, torch::kLong)}, 1);
    auto a = net->forward(b, ContextMode::kGroups);
    auto c = net->forward(wide, ContextMode::kGroups);
    EXPECT_TRUE(torch::allclose(a.logit, c.logit, 1e-4, 1e-5)) << "training=" << training;
    EXPECT_TRUE(torch::allclose(a.z_e, c.z_e, 1e-4, 1e-5)) << "training=" << training;
  }
}

TEST(ModelTest, PresenceReadoutIsPerChannelMaxOfConvFeatures) {
  // The read-out equals the per-channel max of the valid pooled conv features; the pair
  // read-out layer takes 4 x channels instead of 2 x channels.
  torch::manual_seed(5);
  SequenceEncoder enc(TinySeq().presence_readout(true));
  enc->eval();
  auto tokens = RandomTokens({12, 5}, 12);
  auto lens = torch::tensor({12, 5}, torch::kLong);
  auto e = enc->Encode(tokens, lens);
  ASSERT_EQ(e.presence.sizes(), (std::vector<int64_t>{2, TinySeq().channels()}));
  auto x = torch::nn::functional::embedding(tokens, enc->EmbeddingMatrix()).transpose(1, 2);
  x = torch::nn::functional::pad(x, torch::nn::functional::PadFuncOptions({0, TinySeq().kernel() - 1}));
  x = torch::relu(enc->conv(x));  // [B, C, L]
  auto mask = torch::arange(12).unsqueeze(0) < lens.unsqueeze(1);
  auto expect = x.masked_fill(mask.logical_not().unsqueeze(1), 0).amax(-1);
  EXPECT_TRUE(torch::allclose(e.presence, expect, 1e-5, 1e-6));
  PairEncoder with(TinySeq().presence_readout(true)), without(TinySeq());
  EXPECT_EQ(with->out->ptr(0)->as<torch::nn::Linear>()->weight.size(1), 4 * TinySeq().channels());
  EXPECT_EQ(without->out->ptr(0)->as<torch::nn::Linear>()->weight.size(1), 2 * TinySeq().channels());
}

TEST(ModelTest, PairInteractionFeedsTheOuterProductOfThePresences) {
  // The pair read-out layer takes 4 x channels + channels^2 inputs; column 4C + i*C + j carries
  // presence_E[i] * presence_P[j]. With every other weight zero, hidden unit u reads exactly one
  // product.
  torch::manual_seed(6);
  const int64_t c = TinySeq().channels();
  PairEncoder enc(TinySeq().presence_readout(true).pair_interaction(true));
  enc->eval();
  auto lin = enc->out->ptr(0)->as<torch::nn::Linear>();
  ASSERT_EQ(lin->weight.size(1), 4 * c + c * c);
  const std::vector<std::pair<int64_t, int64_t>> picks = {{0, 0}, {1, c - 1}, {c - 1, 2}};
  {
    torch::NoGradGuard no_grad;
    lin->weight.zero_();
    lin->bias.zero_();
    for (size_t u = 0; u < picks.size(); ++u)
      lin->weight[static_cast<int64_t>(u)][4 * c + picks[u].first * c + picks[u].second] = 1.0;
  }
  auto et = RandomTokens({14, 9}, 14), pt = RandomTokens({11, 16}, 16);
  auto el = torch::tensor({14, 9}, torch::kLong), pl = torch::tensor({11, 16}, torch::kLong);
  auto h = enc->forward(et, el, pt, pl);
  auto pe = enc->enhancer->Encode(et, el).presence, pp = enc->promoter->Encode(pt, pl).presence;
  ASSERT_GT(pe.abs().sum().item<float>(), 0.0f);
  for (size_t u = 0; u < picks.size(); ++u) {
    auto expect = pe.select(1, picks[u].first) * pp.select(1, picks[u].second);  // >= 0
    EXPECT_TRUE(torch::allclose(h.select(1, static_cast<int64_t>(u)), expect, 1e-5, 1e-6)) << u;
  }
}

TEST(ModelTest, CompositionalKmerEmbedding) {
  torch::manual_seed(4);
  SequenceEncoder enc(TinySeq().kmer_composition(true));
  ASSERT_TRUE(enc->compose);
  const auto& bases = enc->kmer_bases;  // [4097, 24]
  EXPECT_EQ(bases.sizes(), (std::vector<int64_t>{4097, 24}));
  EXPECT_EQ(bases[0].abs().sum().item<float>(), 0.0f);                   // PAD: no bases
  EXPECT_TRUE(bases.narrow(0, 1, 4096).sum(1).eq(6).all().item<bool>());  // one base per position
  // Token 1 + code("ACGTAC") with A=0 C=1 G=2 T=3, first base in the highest bits.
  const int64_t code = (((((0 * 4 + 1) * 4 + 2) * 4 + 3) * 4 + 0) * 4 + 1);
  const std::vector<int64_t> hot = {0, 4 + 1, 8 + 2, 12 + 3, 16 + 0, 20 + 1};
  for (int64_t j = 0; j < 24; ++j)
    EXPECT_EQ(bases[1 + code][j].item<float>(),
              std::count(hot.begin(), hot.end(), j) ? 1.0f : 0.0f) << j;
  // Embedding = table + sum of the per-position base vectors; the PAD row stays zero.
  auto m = enc->EmbeddingMatrix();
  EXPECT_EQ(m[0].abs().max().item<float>(), 0.0f);
  auto w = enc->compose->weight;  // [embed_dim, 24]
  auto expect = enc->embed->weight[1 + code].clone();
  for (int64_t j : hot) expect += w.select(1, j);
  EXPECT_TRUE(torch::allclose(m[1 + code], expect, 1e-5, 1e-6));
  // A one-base change moves the composition part by exactly one base vector difference.
  const int64_t other = code + 2 * 4;  // ACGTAC -> ACGTGC (position 4: A -> G)
  auto diff = (m[1 + code] - enc->embed->weight[1 + code]) -
              (m[1 + other] - enc->embed->weight[1 + other]);
  EXPECT_TRUE(torch::allclose(diff, w.select(1, 16) - w.select(1, 18), 1e-5, 1e-6));
  // Gradients reach the base vectors but not the PAD row of the table.
  auto [x, mask] = enc(RandomTokens({20, 13, 7}, 20), torch::tensor({20, 13, 7}, torch::kLong));
  (x * torch::randn(x.sizes())).sum().backward();
  EXPECT_GT(w.grad().abs().sum().item<float>(), 0.0f);
  EXPECT_EQ(enc->embed->weight.grad()[0].abs().sum().item<float>(), 0.0f);
}

TEST(ModelTest, SeededFilterDetectsItsKmerWithAtMostOneMismatch) {
  torch::manual_seed(6);
  auto o = TinySeq().kmer_composition(true).kmer_table(false);  // tiny: kernel 8, 8 filters
  SequenceEncoder enc(o);
  auto before = enc->compose->weight.clone();
  enc->SeedFilters({});  // nothing found: nothing changes
  EXPECT_TRUE(torch::equal(before, enc->compose->weight));
  enc->SeedFilters({"GATTACAG", "CCGTAAGT"});
  enc->eval();
  // Conv response of filter f at the window starting at base 0 of `seq`.
  auto response = [&](const std::string& seq, int64_t f) {
    const std::vector<int32_t> ids = Tokenize(seq);
    auto tok = torch::tensor(std::vector<int64_t>(ids.begin(), ids.end()), torch::kLong)
                   .unsqueeze(0);
    auto x = torch::nn::functional::embedding(tok, enc->EmbeddingMatrix()).transpose(1, 2);
    x = torch::nn::functional::pad(x, torch::nn::functional::PadFuncOptions({0, o.kernel() - 1}));
    return torch::relu(enc->conv(x))[0][f][0].item<float>();
  };
  const std::string tail = "TTTTTTTTTTTT";
  EXPECT_NEAR(response("GATTACAG" + tail, 0), 2.0f, 1e-5);           // exact
  EXPECT_NEAR(response("GATTCCAG" + tail, 0), 2.0f / 3.0f, 1e-5);    // one mismatch
  EXPECT_NEAR(response("GATTCCAC" + tail, 0), 0.0f, 1e-6);           // two mismatches
  EXPECT_NEAR(response("CCGTAAGT" + tail, 1), 2.0f, 1e-5);
  EXPECT_NEAR(response("GATTACAG" + tail, 1), 0.0f, 1e-6);           // the other filter's k-mer
  // Embedding dimensions 0..3 are the one-hot of each token's first base.
  auto m = enc->EmbeddingMatrix();
  EXPECT_TRUE(torch::allclose(m[Tokenize("GAAAAA")[0]].narrow(0, 0, 4),
                              torch::tensor({0.0f, 0.0f, 1.0f, 0.0f})));
  // Errors: longer than the kernel, a non-ACGT byte, more k-mers than filters, no composition.
  EXPECT_THROW(enc->SeedFilters({"GATTACAGT"}), Error);
  EXPECT_THROW(enc->SeedFilters({"GATTNCAG"}), Error);
  EXPECT_THROW(enc->SeedFilters(std::vector<std::string>(o.channels() + 1, "GATTACAG")), Error);
  SequenceEncoder plain(TinySeq().kmer_composition(false));
  EXPECT_THROW(plain->SeedFilters({"GATTACAG"}), Error);
}

TEST(ModelTest, PresenceCapMakesTheReadOutAnIndicatorOfExactAndOneMismatchMatches) {
  // model.presence_cap: the presence read-out is min(max over positions, 1), and a seeded filter's
  // bias is 1/3 higher, so that an exact match (7/3 before the cap) and a one-mismatch match (1)
  // both read 1, two mismatches 0. The conv features themselves are not capped.
  torch::manual_seed(6);
  auto o = TinySeq().kmer_composition(true).kmer_table(false).presence_readout(true);
  SequenceEncoder plain(o), capped(ModelOptions(o).presence_cap(true));
  capped->SeedFilters({"GATTACAG"});
  plain->SeedFilters({"GATTACAG"});
  capped->eval();
  plain->eval();
  auto encode = [](SequenceEncoder& enc, const std::string& seq) {
    const std::vector<int32_t> ids = Tokenize(seq);
    auto tok = torch::tensor(std::vector<int64_t>(ids.begin(), ids.end()), torch::kLong).unsqueeze(0);
    return enc->Encode(tok, torch::tensor({tok.size(1)}, torch::kLong));
  };
  const std::string flank = "TTTTTTTTTTTT";
  for (const auto& [site, plain_value, capped_value] :
       std::vector<std::tuple<std::string, float, float>>{
           {"GATTACAG", 2.0f, 1.0f}, {"GATTCCAG", 2.0f / 3.0f, 1.0f}, {"GATTCCAC", 0.0f, 0.0f}}) {
    const std::string seq = flank + site + flank;
    EXPECT_NEAR(encode(plain, seq).presence[0][0].item<float>(), plain_value, 1e-5) << site;
    EXPECT_NEAR(encode(capped, seq).presence[0][0].item<float>(), capped_value, 1e-5) << site;
  }
  // Unseeded filters are capped too; nothing exceeds 1 on random sequence.
  auto e = capped->Encode(RandomTokens({40, 25}, 40), torch::tensor({40, 25}, torch::kLong));
  EXPECT_LE(e.presence.max().item<float>(), 1.0f);
  EXPECT_GE(e.presence.min().item<float>(), 0.0f);
}

TEST(ModelTest, BothStrandsPresenceSeesASiteOnEitherStrand) {
  // model.both_strands: the presence read-out is the max over the sequence and its reverse
  // complement, so a filter seeded with a motif fires on a site written on the other strand.
  torch::manual_seed(6);
  auto o = TinySeq().kmer_composition(true).kmer_table(false).presence_readout(true)
               .presence_cap(true);
  SequenceEncoder one(o), both(ModelOptions(o).both_strands(true));
  one->SeedFilters({"GATTACAG"});
  both->SeedFilters({"GATTACAG"});
  one->eval();
  both->eval();
  auto tokens = [](const std::string& seq) {
    const std::vector<int32_t> ids = Tokenize(seq);
    return torch::tensor(std::vector<int64_t>(ids.begin(), ids.end()), torch::kLong).unsqueeze(0);
  };
  auto presence = [&](SequenceEncoder& enc, const std::string& seq) {
    auto t = tokens(seq);
    return enc->Encode(t, torch::tensor({t.size(1)}, torch::kLong)).presence[0][0].item<float>();
  };
  const std::string flank = "TTTTTTTTTTTT";
  const std::string rc_site = "CTGTAATC";  // reverse complement of GATTACAG
  EXPECT_NEAR(presence(one, flank + "GATTACAG" + flank), 1.0f, 1e-5);
  EXPECT_NEAR(presence(one, flank + rc_site + flank), 0.0f, 1e-6);
  EXPECT_NEAR(presence(both, flank + "GATTACAG" + flank), 1.0f, 1e-5);
  EXPECT_NEAR(presence(both, flank + rc_site + flank), 1.0f, 1e-5);
  // The reverse-complement token row: the tokens of the reverse-complement sequence, reversed
  // within each row's length, PAD after it.
  const std::string seq = "ACGGTACCATTG";
  std::string rc(seq.rbegin(), seq.rend());
  for (char& c : rc) c = c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : 'A';
  auto fwd = tokens(seq), want = tokens(rc);
  auto padded = torch::nn::functional::pad(fwd, torch::nn::functional::PadFuncOptions({0, 3}));
  auto got = both->ReverseComplementTokens(padded, torch::tensor({fwd.size(1)}, torch::kLong));
  EXPECT_TRUE(torch::equal(got.narrow(1, 0, fwd.size(1)), want));
  EXPECT_EQ(got.narrow(1, fwd.size(1), 3).abs().sum().item<int64_t>(), 0);
  // Padding-invariant like the rest of the encoder.
  auto short_row = both->Encode(padded, torch::tensor({fwd.size(1)}, torch::kLong)).presence;
  auto exact = both->Encode(fwd, torch::tensor({fwd.size(1)}, torch::kLong)).presence;
  EXPECT_TRUE(torch::allclose(short_row, exact, 1e-5, 1e-6));
  EXPECT_THROW(one->ReverseComplementTokens(fwd, torch::tensor({fwd.size(1)}, torch::kLong)),
               Error);
}

TEST(ModelTest, FusedEmbedConvIsTheSameEncoder) {
  for (bool composition : {false, true}) {
    torch::manual_seed(5);
    SequenceEncoder plain(TinySeq().kmer_composition(composition));
    SequenceEncoder fused(TinySeq().kmer_composition(composition).fused_embed_conv(true));
    {  // same parameters
      torch::NoGradGuard ng;
      auto src = plain->named_parameters();
      for (auto& p : fused->named_parameters()) p.value().copy_(src[p.key()]);
      if (composition) {
        // The table starts at zero: give it values so both parts of E carry gradient.
        plain->embed->weight.narrow(0, 1, 4096).normal_();
        fused->embed->weight.copy_(plain->embed->weight);
      }
    }
    auto tokens = RandomTokens({20, 13, 7}, 20);
    auto lengths = torch::tensor({20, 13, 7}, torch::kLong);
    auto [xa, ma] = plain(tokens, lengths);
    auto [xb, mb] = fused(tokens, lengths);
    EXPECT_TRUE(ma.equal(mb));
    EXPECT_TRUE(torch::allclose(xa, xb, 1e-4, 1e-5)) << "composition=" << composition;
    auto g = torch::randn(xa.sizes());
    (xa * g).sum().backward();
    (xb * g).sum().backward();
    auto pa = plain->named_parameters(), pb = fused->named_parameters();
    for (const auto& p : pa) {
      if (!p.value().grad().defined()) continue;
      ASSERT_TRUE(pb[p.key()].grad().defined()) << p.key();
      EXPECT_TRUE(torch::allclose(p.value().grad(), pb[p.key()].grad(), 1e-4, 1e-5))
          << p.key() << " composition=" << composition;
    }
  }
}

TEST(ModelTest, RopeRotatesByPosition) {
  // Position 0 is unchanged; norms are preserved; the dot product depends on the offset only.
  torch::manual_seed(4);
  auto v = torch::randn({1, 1, 1, 8});
  auto x = v.expand({1, 1, 6, 8}).contiguous();
  auto r = ApplyRope(x);
  EXPECT_TRUE(torch::allclose(r[0][0][0], v[0][0][0]));
  EXPECT_TRUE(torch::allclose(r.norm(2, -1), x.norm(2, -1), 1e-5, 1e-6));
  auto dot = [&](int i, int j) { return (r[0][0][i] * r[0][0][j]).sum().item<float>(); };
  EXPECT_NEAR(dot(0, 2), dot(3, 5), 1e-4);
  EXPECT_GT(std::abs(dot(0, 0) - dot(0, 3)), 1e-4);
}

TEST(ModelTest, GradientReversalFlipsSign) {
  auto x = torch::tensor({1.0f, -2.0f, 3.0f}, torch::requires_grad());
  auto y = GradReverse(x, 0.5);
  EXPECT_TRUE(torch::equal(y, x.detach()));
  (y * torch::tensor({1.0f, 2.0f, 3.0f})).sum().backward();
  EXPECT_TRUE(torch::allclose(x.grad(), torch::tensor({-0.5f, -1.0f, -1.5f})));
}

TEST(ModelTest, DannRamp) {
  EXPECT_DOUBLE_EQ(DannLambda(0.0), 0.0);
  EXPECT_NEAR(DannLambda(0.5), 2.0 / (1.0 + std::exp(-5.0)) - 1.0, 1e-12);
  EXPECT_NEAR(DannLambda(1.0), 0.9999092, 1e-6);
}

TEST(ModelTest, EnvironmentResistanceNonNegativeAndTemperaturePositive) {
  torch::manual_seed(5);
  PrismNet net(TinySeq());
  {
    torch::NoGradGuard ng;
    net->t_raw.fill_(-60.0);  // softplus underflows to 0; T must still be > 0
  }
  auto b = SeqBatch({30, 17, 25, 40, 8, 12}, {20, 33, 12, 9, 40, 3}, 40, 40);
  for (auto mode : {ContextMode::kNone, ContextMode::kGroups, ContextMode::kUniform}) {
    auto out = net->forward(b, mode);
    EXPECT_GE(out.r_e.min().item<float>(), 0.0f);
    EXPECT_GT(out.temperature.item<float>(), 0.0f);
    EXPECT_TRUE(torch::isfinite(out.logit).all().item<bool>());
  }
}

TEST(ModelTest, FeatureEncoderWithDistance) {
  torch::manual_seed(6);
  auto o = Tiny(2, 5).use_distance(true);
  PrismNet net(o);
  Batch b;
  b.features = torch::randn({7, 5});
  b.distance = torch::rand({7}) * 6;
  b.label = torch::zeros({7});
  b.cell = torch::zeros({7}, torch::kLong);
  b.group = torch::zeros({7}, torch::kLong);
  b.group_cell = torch::zeros({1}, torch::kLong);
  auto out = net->forward(b, ContextMode::kGroups);
  EXPECT_EQ(out.logit.size(0), 7);
  // The distance is an input of z_I only.
  Batch b2 = b;
  b2.distance = b.distance + 1;
  auto out2 = net->forward(b2, ContextMode::kGroups);
  EXPECT_TRUE(torch::allclose(out.z_e, out2.z_e));
  EXPECT_FALSE(torch::allclose(out.z_i, out2.z_i));
}

TEST(ModelTest, FeatureInputDropoutDropsColumnsOnlyWhileTraining) {
  torch::manual_seed(8);
  // No hidden dropout, so that the input mask is the encoder's only random draw.
  const ModelOptions o = Tiny(2, 40).dropout(0.0).input_dropout(0.5);
  FeatureEncoder enc(o);
  const ModelOptions plain_options = Tiny(2, 40).dropout(0.0);
  FeatureEncoder plain(plain_options);
  // Same parameter names as without input dropout (checkpoints are unchanged); the same weights.
  EXPECT_EQ(enc->named_parameters().keys(), plain->named_parameters().keys());
  {
    torch::NoGradGuard no_grad;
    for (auto& p : plain->named_parameters()) p.value().copy_(enc->named_parameters()[p.key()]);
  }
  const auto x = torch::rand({6, 40}) + 0.5;  // no zero entries of its own
  // The mask the encoder draws: seeded the same, F::dropout gives it.
  torch::manual_seed(21);
  const auto dropped = F::dropout(x, F::DropoutFuncOptions().p(0.5).training(true));
  const double zero_share = (dropped == 0).to(torch::kDouble).mean().item<double>();
  EXPECT_GT(zero_share, 0.3);
  EXPECT_LT(zero_share, 0.7);
  // Kept entries are scaled by 1 / (1 - p).
  EXPECT_TRUE(torch::allclose(dropped.masked_select(dropped != 0), 2 * x.masked_select(dropped != 0)));
  enc->train();
  plain->eval();
  torch::manual_seed(21);
  const auto y_train = enc->forward(x);
  EXPECT_TRUE(torch::allclose(y_train, plain->forward(dropped), 1e-5, 1e-6));
  // Scoring sees every column.
  enc->eval();
  EXPECT_TRUE(torch::allclose(enc->forward(x), plain->forward(x)));
  EXPECT_FALSE(torch::allclose(enc->forward(x), y_train));
}

TEST(ModelTest, NamedParameterKeysAreStable) {
  PrismNet net(TinySeq());
  std::vector<std::string> keys;
  for (const auto& p : net->named_parameters()) keys.push_back(p.key());
  const std::vector<std::string> expected = {
      "t_raw",
      "pair_encoder.enhancer.embed.weight",
      "pair_encoder.enhancer.compose.weight",
      "pair_encoder.enhancer.conv.weight",
      "pair_encoder.enhancer.conv.bias",
      "pair_encoder.enhancer.bn.weight",
      "pair_encoder.enhancer.bn.bias",
      "pair_encoder.enhancer.self_attn.q.weight",
      "pair_encoder.enhancer.self_attn.q.bias",
      "pair_encoder.enhancer.self_attn.k.weight",
      "pair_encoder.enhancer.self_attn.k.bias",
      "pair_encoder.enhancer.self_attn.v.weight",
      "pair_encoder.enhancer.self_attn.v.bias",
      "pair_encoder.enhancer.self_attn.o.weight",
      "pair_encoder.enhancer.self_attn.o.bias",
      "pair_encoder.enhancer.norm.weight",
      "pair_encoder.enhancer.norm.bias",
      "pair_encoder.promoter.embed.weight",
      "pair_encoder.promoter.compose.weight",
      "pair_encoder.promoter.conv.weight",
      "pair_encoder.promoter.conv.bias",
      "pair_encoder.promoter.bn.weight",
      "pair_encoder.promoter.bn.bias",
      "pair_encoder.promoter.self_attn.q.weight",
      "pair_encoder.promoter.self_attn.q.bias",
      "pair_encoder.promoter.self_attn.k.weight",
      "pair_encoder.promoter.self_attn.k.bias",
      "pair_encoder.promoter.self_attn.v.weight",
      "pair_encoder.promoter.self_attn.v.bias",
      "pair_encoder.promoter.self_attn.o.weight",
      "pair_encoder.promoter.self_attn.o.bias",
      "pair_encoder.promoter.norm.weight",
      "pair_encoder.promoter.norm.bias",
      "pair_encoder.e_from_p.q.weight",
      "pair_encoder.e_from_p.q.bias",
      "pair_encoder.e_from_p.k.weight",
      "pair_encoder.e_from_p.k.bias",
      "pair_encoder.e_from_p.v.weight",
      "pair_encoder.e_from_p.v.bias",
      "pair_encoder.e_from_p.o.weight",
      "pair_encoder.e_from_p.o.bias",
      "pair_encoder.p_from_e.q.weight",
      "pair_encoder.p_from_e.q.bias",
      "pair_encoder.p_from_e.k.weight",
      "pair_encoder.p_from_e.k.bias",
      "pair_encoder.p_from_e.v.weight",
      "pair_encoder.p_from_e.v.bias",
      "pair_encoder.p_from_e.o.weight",
      "pair_encoder.p_from_e.o.bias",
      "pair_encoder.e_norm.weight",
      "pair_encoder.e_norm.bias",
      "pair_encoder.p_norm.weight",
      "pair_encoder.p_norm.bias",
      "pair_encoder.e_pool.score.weight",
      "pair_encoder.e_pool.score.bias",
      "pair_encoder.p_pool.score.weight",
      "pair_encoder.p_pool.score.bias",
      "pair_encoder.out.0.weight",
      "pair_encoder.out.0.bias",
      "proj_i.0.weight",
      "proj_i.0.bias",
      "proj_i.2.weight",
      "proj_i.2.bias",
      "proj_e.0.weight",
      "proj_e.0.bias",
      "proj_e.2.weight",
      "proj_e.2.bias",
      "u_head.0.weight",
      "u_head.0.bias",
      "u_head.2.weight",
      "u_head.2.bias",
      "r_head.0.weight",
      "r_head.0.bias",
      "r_head.2.weight",
      "r_head.2.bias",
      "discriminator.0.weight",
      "discriminator.0.bias",
      "discriminator.2.weight",
      "discriminator.2.bias",
      "prototypes.prototypes",
  };
  EXPECT_EQ(keys, expected);
}

TEST(ModelTest, PresetsAndParameterCount) {
  EXPECT_THROW(BuiltinTrainConfig("huge"), prism::Error);
  PrismNet paper(train::ModelOptionsFor(BuiltinTrainConfig("paper"), 5, 0));
  const int64_t n = paper->NumParameters();
  std::cout << "[ paper ] parameters: " << n << std::endl;
  EXPECT_GT(n, 10'000'000);
  EXPECT_LT(n, 16'000'000);
}

TEST(ModelTest, ParameterCountWithoutBuildingEqualsTheBuiltNetwork) {
  // Every preset, and the switches that change the blocks' shapes.
  std::vector<ModelOptions> cases;
  for (const char* name : {"tiny", "default", "paper"})
    cases.push_back(train::ModelOptionsFor(BuiltinTrainConfig(name), 4, 0));
  cases.push_back(TinySeq(3).kmer_composition(false));
  cases.push_back(TinySeq(3).presence_readout(true).pair_interaction(true));
  cases.push_back(Tiny(1, 7).use_distance(true));
  for (const auto& o : cases) {
    PrismNet net(o);
    EXPECT_EQ(PrismNetImpl::ParameterCount(o), net->NumParameters())
        << o.input() << " c=" << o.channels() << " e=" << o.embed_dim();
  }
}

TEST(ModelTest, ForwardFlopsAreTheSumOfTheBlocksCountedByHand) {
  // Sequence input, c = 4 channels, 2 heads, embed 8, kernel 3, pool 5, hidden 6, z_I 5, z_E 3,
  // head hidden 7, 3 training cells; batch 2, widths 12 (enhancer) and 7 (promoter) tokens:
  // pooled lengths 3 and 2. The read-out gets 2c pooled + 2c presence + c^2 pair inputs = 32.
  ModelOptions o = TinySeq(3).channels(4).heads(2).embed_dim(8).kernel(3).pool(5).hidden(6)
                       .z_i_dim(5).z_e_dim(3).head_hidden(7).presence_readout(true)
                       .pair_interaction(true);
  const double b = 2, c = 4, h = 2, dh = 2;
  const double conv = 2 * b * 8 * c * 3 * 12 + 2 * b * 8 * c * 3 * 7;
  auto attention = [&](double lq, double lk) {
    return 2 * (2 * b * lq * c * c) + 2 * (2 * b * lk * c * c) + 4 * b * h * lq * lk * dh;
  };
  const double self = attention(3, 3) + attention(2, 2);
  const double cross = attention(3, 2) + attention(2, 3);
  const double pool = 2 * b * 3 * c + 2 * b * 2 * c;
  const double readout = 2 * b * (4 * c + c * c) * 6;
  const double heads = 2 * b * (6 * 6 + 6 * 5 + 6 * 6 + 6 * 3 + 5 * 7 + 7 * 1 + 6 * 7 + 7 * 1 +
                                5 * 7 + 7 * 3);
  const FlopCounter f = PrismNetImpl::ForwardFlops(o, 2, 12, 7);
  const Json blocks = f.ToJson()["blocks"];
  EXPECT_DOUBLE_EQ(blocks["conv"].get<double>(), conv);
  EXPECT_DOUBLE_EQ(blocks["self_attention"].get<double>(), self);
  EXPECT_DOUBLE_EQ(blocks["cross_attention"].get<double>(), cross);
  EXPECT_DOUBLE_EQ(blocks["attention_pool"].get<double>(), pool);
  EXPECT_DOUBLE_EQ(blocks["pair_out"].get<double>(), readout);
  EXPECT_DOUBLE_EQ(blocks["heads"].get<double>(), heads);
  EXPECT_DOUBLE_EQ(f.Forward(), conv + self + cross + pool + readout + heads);
  // Without the presence and pair read-outs the read-out layer has 2c inputs.
  const FlopCounter plain =
      PrismNetImpl::ForwardFlops(ModelOptions(o).pair_interaction(false).presence_readout(false), 2, 12, 7);
  EXPECT_DOUBLE_EQ(plain.ToJson()["blocks"]["pair_out"].get<double>(), 2 * b * (2 * c) * 6);
  // The read-out layer the network builds has exactly the counted inputs.
  PrismNet net(o);
  EXPECT_EQ(net->pair_encoder->out->modules()[1]->as<torch::nn::Linear>()->options.in_features(),
            4 * 4 + 4 * 4);
  // Feature input: the MLP (5 -> 16 -> 6 with the tiny preset's feature_hidden) and the heads.
  ModelOptions fo = Tiny(3, 5).use_distance(false).hidden(6).z_i_dim(5).z_e_dim(3).head_hidden(7);
  const FlopCounter ff = PrismNetImpl::ForwardFlops(fo, 2, 0, 0);
  EXPECT_DOUBLE_EQ(ff.ToJson()["blocks"]["feature_mlp"].get<double>(), 2 * b * (5 * 16 + 16 * 6));
  EXPECT_DOUBLE_EQ(ff.Forward(), 2 * b * (5 * 16 + 16 * 6) + heads);
}

// ---- losses against hand-computed values -------------------------------------------------

TEST(LossTest, Bce) {
  auto l = BceLoss(torch::tensor({0.0f, 2.0f}), torch::tensor({1.0f, 0.0f}));
  EXPECT_NEAR(l.item<float>(), 1.4100376, 1e-5);  // (log 2 + log(1 + e^2)) / 2
  auto w = WeightedBceLoss(torch::tensor({0.0f, 2.0f}), torch::tensor({1.0f, 0.0f}),
                           torch::tensor({1.0f, 3.0f}));
  EXPECT_NEAR(w.item<float>(), 1.0515924, 1e-5);  // (3 log 2 + log(1 + e^2)) / 4
  // Per-sample weights (train.balance): the same value as class weights here.
  auto s = BceLoss(torch::tensor({0.0f, 2.0f}), torch::tensor({1.0f, 0.0f}),
                   torch::tensor({3.0f, 1.0f}));
  EXPECT_NEAR(s.item<float>(), 1.0515924, 1e-5);
  // Class and sample weights multiply: v = {w1 * 2, w0 * 1} = {6, 1}.
  auto both = WeightedBceLoss(torch::tensor({0.0f, 2.0f}), torch::tensor({1.0f, 0.0f}),
                              torch::tensor({1.0f, 3.0f}), torch::tensor({2.0f, 1.0f}));
  EXPECT_NEAR(both.item<float>(), (6 * std::log(2.0) + std::log1p(std::exp(2.0))) / 7, 1e-5);
}

TEST(LossTest, SupervisedContrastive) {
  auto z = torch::tensor({{1.0f, 0.0f}, {2.0f, 0.0f}, {0.0f, 1.0f}});  // normalised inside
  auto label = torch::tensor({1.0f, 1.0f, 0.0f});
  auto cell = torch::tensor({0, 1, 0}, torch::kLong);
  // anchors 0 and 1: positive each other (same label, other cell): 1 - log(e + 1)
  EXPECT_NEAR(SupConLoss(z, label, cell, 1.0).item<float>(), 0.3132617, 1e-5);
  // same cell line -> no positives -> 0
  auto same = torch::tensor({0, 0, 0}, torch::kLong);
  EXPECT_EQ(SupConLoss(z, label, same, 1.0).item<float>(), 0.0f);
  // Sample weights: w = {1, 1, 2} doubles the negative in both denominators: log(e + 2) - 1.
  EXPECT_NEAR(SupConLoss(z, label, cell, 1.0, torch::tensor({1.0f, 1.0f, 2.0f})).item<float>(),
              std::log(std::exp(1.0) + 2) - 1, 1e-5);
  // w = {2, 1, 1}: anchor 0 (weight 2) has denominator e + 1, anchor 1 has 2e + 1.
  EXPECT_NEAR(SupConLoss(z, label, cell, 1.0, torch::tensor({2.0f, 1.0f, 1.0f})).item<float>(),
              (2 * (std::log(std::exp(1.0) + 1) - 1) + (std::log(2 * std::exp(1.0) + 1) - 1)) / 3,
              1e-5);
  // All weights 1 is the unweighted loss.
  EXPECT_NEAR(SupConLoss(z, label, cell, 1.0, torch::ones({3})).item<float>(), 0.3132617, 1e-5);
}

TEST(LossTest, Orthogonality) {
  auto zi = torch::tensor({{1.0f, 1.0f}, {-1.0f, -1.0f}});
  auto ze = torch::tensor({{1.0f, -1.0f}, {-1.0f, 1.0f}});
  EXPECT_NEAR(OrthogonalityLoss(zi, ze).item<float>(), 1.0, 1e-4);  // every |C_ij| = 1
  auto zi2 = torch::tensor({{1.0f}, {-1.0f}, {1.0f}, {-1.0f}});
  auto ze2 = torch::tensor({{1.0f}, {1.0f}, {-1.0f}, {-1.0f}});
  EXPECT_NEAR(OrthogonalityLoss(zi2, ze2).item<float>(), 0.0, 1e-6);  // uncorrelated
}

TEST(LossTest, PrototypeAssignmentAndLoss) {
  PrototypeNet net(2, 2);
  {
    torch::NoGradGuard ng;
    net->prototypes.copy_(torch::tensor({{0.0f, 0.0f}, {1.0f, 0.0f}}));
  }
  // group 0 has mean (0, 0): squared distances 0 and 1 -> softmax(-d2) = (0.7311, 0.2689)
  auto ze = torch::tensor({{1.0f, 1.0f}, {-1.0f, -1.0f}});
  auto la = net->AssignGroups(ze, torch::tensor({0, 0}, torch::kLong), 1);
  EXPECT_NEAR(la.exp()[0][0].item<float>(), 0.7310586, 1e-5);
  EXPECT_NEAR(PrototypeLoss(la, torch::tensor({1}, torch::kLong)).item<float>(), 1.3132617, 1e-5);
  auto mix = net->Mix(la.exp());
  EXPECT_NEAR(mix[0][0].item<float>(), 0.2689414, 1e-5);
}

TEST(LossTest, Adversarial) {
  auto l = AdversarialLoss(torch::zeros({2, 2}), torch::tensor({1, 0}, torch::kLong));
  EXPECT_NEAR(l.item<float>(), std::log(2.0), 1e-6);
}

TEST(LossTest, AdaptiveImmax) {
  AdaptiveImmaxLoss loss(0.9);
  Output out;
  Batch b;
  out.logit = torch::tensor({2.0f, 0.0f});
  b.label = torch::tensor({1.0f, 0.0f});
  // difficulty: d1 = 0.9*0.5 + 0.1*(1 - sigmoid 2), d0 = 0.5; w_c = d_c / mean(d)
  EXPECT_NEAR(loss.Compute({out, b}).item<float>(), 0.4212451, 1e-5);
  auto w = loss.weights();
  EXPECT_NEAR(w[0], 1.0395872, 1e-6);
  EXPECT_NEAR(w[1], 0.9604128, 1e-6);
}

TEST(LossTest, Registry) {
  LossOptions o;
  for (const auto& n : LossNames()) EXPECT_NE(CreateLoss(n, o), nullptr) << n;
  EXPECT_EQ(CreateLoss("adaptive_immax", o)->name(), "task");
  EXPECT_EQ(CreateLoss("orthogonality", o)->name(), "orthogonality");
  EXPECT_THROW(CreateLoss("focal", o), prism::Error);
}

}  // namespace
}  // namespace prism::model
