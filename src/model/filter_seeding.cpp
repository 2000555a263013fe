// model/filter_seeding.cpp - motif seeding of a sequence stream's first convolution
// (SequenceEncoder::SeedFilters: consensus k-mers; SeedPwmFilters: position weight matrices).
#include <cstring>

#include "model/model.h"
#include "prism/error.h"

namespace prism::model {

void SequenceEncoderImpl::SeedFilters(const std::vector<std::string>& kmers) {
  const auto& o = options;
  PRISM_CHECK(compose, "motif seeding needs model.kmer_composition");
  PRISM_CHECK(static_cast<int64_t>(kmers.size()) <= o.channels(), "motif seeding: ", kmers.size(),
              " k-mers for ", o.channels(), " filters");
  if (kmers.empty()) return;  // nothing over-represented: the initialisation stays as it is
  torch::NoGradGuard ng;
  // Dimensions 0..3 of every token embedding: the one-hot of its first base.
  auto w = compose->weight;  // [embed_dim, 24]
  w.narrow(0, 0, 4).zero_();
  for (int64_t b = 0; b < 4; ++b) w[b][b] = 1.0;
  for (size_t f = 0; f < kmers.size(); ++f) {
    const auto& kmer = kmers[f];
    const int64_t m = static_cast<int64_t>(kmer.size());
    PRISM_CHECK(m >= 1 && m <= o.kernel(), "motif seeding: k-mer '", kmer, "' is longer than the ",
                "kernel (", o.kernel(), ")");
    auto filter = conv->weight[static_cast<int64_t>(f)];  // [embed_dim, kernel]
    filter.zero_();
    for (int64_t j = 0; j < m; ++j) {
      static const char kBases[] = "ACGT";
      const char* pos = std::strchr(kBases, kmer[static_cast<size_t>(j)]);
      PRISM_CHECK(pos && *pos, "motif seeding: k-mer '", kmer, "' has a byte other than A/C/G/T");
      const int64_t base = pos - kBases;
      for (int64_t b = 0; b < 4; ++b) filter[b][j] = b == base ? 1.0 : -1.0 / 3.0;
    }
    // After ReLU: exact match 2, one mismatch 2/3, two 0; with the presence cap the bias is 1/3
    // higher (exact 7/3, one mismatch 1, two 0) so that both matches reach the cap of 1.
    const double bias = -static_cast<double>(m) + (o.presence_cap() ? 7.0 / 3.0 : 2.0);
    conv->bias[static_cast<int64_t>(f)] = bias;
  }
}


void SequenceEncoderImpl::SeedPwmFilters(const std::vector<std::vector<std::array<double, 4>>>& weights,
                                         const std::vector<double>& thresholds) {
  const auto& o = options;
  PRISM_CHECK(compose, "motif seeding needs model.kmer_composition");
  PRISM_CHECK(weights.size() == thresholds.size(), "motif seeding: ", weights.size(),
              " PWMs for ", thresholds.size(), " thresholds");
  PRISM_CHECK(static_cast<int64_t>(weights.size()) <= o.channels(), "motif seeding: ",
              weights.size(), " PWMs for ", o.channels(), " filters");
  if (weights.empty()) return;
  torch::NoGradGuard ng;
  auto w = compose->weight;  // [embed_dim, 24]: dimensions 0..3 = one-hot of the first base
  w.narrow(0, 0, 4).zero_();
  for (int64_t b = 0; b < 4; ++b) w[b][b] = 1.0;
  for (size_t f = 0; f < weights.size(); ++f) {
    const int64_t m = static_cast<int64_t>(weights[f].size());
    PRISM_CHECK(m >= 1 && m <= o.kernel(), "motif seeding: a ", m, "-column PWM is longer than ",
                "the kernel (", o.kernel(), ")");
    auto filter = conv->weight[static_cast<int64_t>(f)];  // [embed_dim, kernel]
    filter.zero_();
    for (int64_t j = 0; j < m; ++j)
      for (int64_t b = 0; b < 4; ++b) filter[b][j] = weights[f][static_cast<size_t>(j)][static_cast<size_t>(b)];
    conv->bias[static_cast<int64_t>(f)] = 1.0 - thresholds[f];
  }
}

}  // namespace prism::model
