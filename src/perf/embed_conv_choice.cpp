// perf/embed_conv_choice.cpp - the rule of model.fused_embed_conv = "auto" (see the header).
#include "prism/embed_conv_choice.h"

#include <cstdio>

#include "prism/error.h"
#include "prism/flops.h"

namespace prism {

namespace {

void CheckShape(const EmbedConvShape& s, int64_t batch, const std::vector<int64_t>& lengths) {
  if (s.vocab < 1 || s.embed_dim < 1 || s.channels < 1 || s.kernel < 1 || batch < 1 ||
      lengths.empty())
    Fatal("embedding-convolution choice: sizes must be positive (vocab ", s.vocab, ", embed_dim ",
          s.embed_dim, ", channels ", s.channels, ", kernel ", s.kernel, ", batch ", batch, ")");
  for (int64_t l : lengths)
    if (l < 1) Fatal("embedding-convolution choice: a stream of ", l, " tokens");
}

std::string Gflop(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", x / 1e9);
  return buf;
}

}  // namespace

std::vector<std::string> EmbedConvSettings() { return {"auto", "true", "false"}; }

double PlainEmbedConvCost(const EmbedConvShape& s, int64_t batch,
                          const std::vector<int64_t>& lengths, bool training) {
  CheckShape(s, batch, lengths);
  double cost = 0;
  for (int64_t len : lengths)  // the conv runs over every (end-padded) token position
    cost += kPlainConvWeight * Conv1dForwardFlops(batch, s.embed_dim, s.channels, s.kernel, len) +
            kPlainPerPosition * static_cast<double>(batch) * len;
  return training ? 3.0 * cost : cost;
}

double FusedEmbedConvCost(const EmbedConvShape& s, int64_t batch,
                          const std::vector<int64_t>& lengths, bool training) {
  CheckShape(s, batch, lengths);
  const double table = FusedEmbedConvTableFlops(s.vocab, s.embed_dim, s.kernel, s.channels) *
                       (s.embed_dim + kTablePerEntry) / s.embed_dim;
  double cost = 0;
  for (int64_t len : lengths) {
    const double adds = static_cast<double>(batch) * len * s.kernel * s.channels;
    // Training: the table, grad W and grad E GEMMs; the gather and the scatter of the backward.
    cost += (training ? 3.0 : 1.0) * table + (training ? 2.0 : 1.0) * kGatherWeight * adds;
  }
  return cost;
}

EmbedConvChoice ChooseEmbedConv(const std::string& setting, const EmbedConvShape& shape,
                                int64_t batch, const std::vector<int64_t>& lengths,
                                bool training) {
  EmbedConvChoice c;
  c.setting = setting;
  c.training = training;
  c.batch = batch;
  c.lengths = lengths;
  c.plain_cost = PlainEmbedConvCost(shape, batch, lengths, training);
  c.fused_cost = FusedEmbedConvCost(shape, batch, lengths, training);
  if (setting == "auto") c.fused = c.fused_cost < c.plain_cost;
  else if (setting == "true") c.fused = true;
  else if (setting == "false") c.fused = false;
  else Fatal("model.fused_embed_conv must be \"auto\", true or false, got '", setting, "'");
  return c;
}

Json EmbedConvChoice::ToJson() const {
  return {{"setting", setting},
          {"fused", fused},
          {"estimated_for", training ? "training step" : "scoring forward"},
          {"batch", batch},
          {"tokens", lengths},
          {"plain_gflop_eq", plain_cost / 1e9},
          {"fused_gflop_eq", fused_cost / 1e9}};
}

std::string EmbedConvChoice::ToString() const {
  std::string tokens;
  for (int64_t l : lengths) tokens += (tokens.empty() ? "" : "/") + std::to_string(l);
  return std::string(fused ? "fused table" : "plain") + " (" +
         (setting == "auto" ? std::string("auto") : "set to " + setting) + "; estimated " +
         Gflop(fused_cost) + " fused vs " + Gflop(plain_cost) + " plain GFLOP-eq per " +
         (training ? "training step" : "scoring batch") + " of " + std::to_string(batch) +
         " x " + tokens + " tokens)";
}

}  // namespace prism
