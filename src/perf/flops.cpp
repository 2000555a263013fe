#include "prism/flops.h"

#include <cmath>

namespace prism {

double Conv1dForwardFlops(int64_t batch, int64_t in_channels, int64_t out_channels,
                          int64_t kernel, int64_t out_len) {
  return 2.0 * batch * in_channels * out_channels * kernel * out_len;
}

double LinearForwardFlops(int64_t rows, int64_t in_features, int64_t out_features) {
  return 2.0 * rows * in_features * out_features;
}

double AttentionForwardFlops(int64_t batch, int64_t heads, int64_t q_len, int64_t k_len,
                             int64_t head_dim) {
  return 4.0 * batch * heads * q_len * k_len * head_dim;
}

double FusedEmbedConvTableFlops(int64_t vocab, int64_t embed_dim, int64_t kernel,
                                int64_t channels) {
  return 2.0 * vocab * embed_dim * kernel * channels;
}

void FlopCounter::Add(const std::string& name, double flops) {
  for (auto& [n, f] : blocks_) {
    if (n == name) {
      f += flops;
      return;
    }
  }
  blocks_.emplace_back(name, flops);
}

double FlopCounter::Forward() const {
  double total = 0;
  for (const auto& [n, f] : blocks_) total += f;
  return total;
}

Json FlopCounter::ToJson() const {
  Json blocks = Json::object();
  for (const auto& [n, f] : blocks_) blocks[n] = f;
  return Json{{"forward", Forward()}, {"training_step", TrainingStep()}, {"blocks", blocks}};
}

double ModelFlopUtilisation(double flops, double seconds, double peak_flops_per_s) {
  if (!(seconds > 0) || !(peak_flops_per_s > 0)) return NAN;
  return flops / seconds / peak_flops_per_s;
}

}  // namespace prism
