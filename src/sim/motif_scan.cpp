// PWM site counting on both strands at background p-value thresholds, and expected site counts
// under a prior (sim/reference_learner.h).
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "prism/error.h"
#include "prism/tokenizer.h"
#include "sim/reference_learner.h"

namespace prism::sim {
namespace {

constexpr double kResolution = 0.01;  // bits per integer score unit
constexpr double kBackground = 0.25;  // uniform background

// Log-odds column scores; the PWM is mixed with 0.5 % of the uniform distribution so that a
// zero probability (a Dirichlet draw) scores finitely.
std::array<int, 4> ColumnScores(const std::array<double, 4>& col) {
  std::array<int, 4> s{};
  for (size_t b = 0; b < 4; ++b) {
    const double q = 0.995 * col[b] + 0.005 * kBackground;
    s[b] = static_cast<int>(std::lround(std::log2(q / kBackground) / kResolution));
  }
  return s;
}

// Smallest integer score S with P(score >= S) <= p under the background (exact, by dynamic
// programming over the integer scores); the best score when no S satisfies it.
std::vector<int> PValueThresholds(const std::vector<std::array<int, 4>>& cols,
                                  const std::vector<double>& p_values) {
  int offset = 0, range = 0;
  for (const auto& c : cols) {
    const int lo = *std::min_element(c.begin(), c.end());
    offset += lo;
    range += *std::max_element(c.begin(), c.end()) - lo;
  }
  std::vector<double> dist(static_cast<size_t>(range) + 1, 0.0), next;
  dist[0] = 1.0;
  int reach = 0;
  for (const auto& c : cols) {
    const int lo = *std::min_element(c.begin(), c.end());
    int span = 0;
    for (int v : c) span = std::max(span, v - lo);
    next.assign(dist.size(), 0.0);
    for (int s = 0; s <= reach; ++s) {
      if (dist[static_cast<size_t>(s)] == 0.0) continue;
      for (int v : c) next[static_cast<size_t>(s + v - lo)] += kBackground * dist[static_cast<size_t>(s)];
    }
    reach += span;
    dist.swap(next);
  }
  std::vector<int> out;
  for (double p : p_values) {
    double tail = 0;
    int s = range + 1;  // tail = P(score >= s)
    while (s > 0 && tail + dist[static_cast<size_t>(s - 1)] <= p) tail += dist[static_cast<size_t>(--s)];
    out.push_back(std::min(s, range) + offset);
  }
  return out;
}

}  // namespace

PwmScanner::Strand PwmScanner::MakeStrand(const std::vector<std::array<int, 4>>& cols) {
  Strand strand;
  const int width = static_cast<int>(cols.size());
  for (int start = 0; start < width; start += 5) {
    Block b;
    b.start = start;
    b.len = std::min(5, width - start);
    b.table.assign(size_t{1} << (2 * b.len), 0);
    for (size_t code = 0; code < b.table.size(); ++code) {
      int score = 0;
      for (int i = 0; i < b.len; ++i)
        score += cols[static_cast<size_t>(start + i)][(code >> (2 * (b.len - 1 - i))) & 3];
      b.table[code] = score;
    }
    b.best = *std::max_element(b.table.begin(), b.table.end());
    strand.blocks.push_back(std::move(b));
  }
  // Most selective first: the largest best-minus-mean score.
  auto gain = [](const Block& b) {
    double mean = 0;
    for (int v : b.table) mean += v;
    return b.best - mean / static_cast<double>(b.table.size());
  };
  std::stable_sort(strand.blocks.begin(), strand.blocks.end(),
                   [&](const Block& x, const Block& y) { return gain(x) > gain(y); });
  strand.bound.assign(strand.blocks.size() + 1, 0);
  for (size_t k = strand.blocks.size(); k-- > 0;)
    strand.bound[k] = strand.bound[k + 1] + strand.blocks[k].best;
  return strand;
}

PwmScanner::PwmScanner(const Pwm& pwm, const std::vector<double>& p_values) {
  PRISM_CHECK(!pwm.empty(), "PWM scan: empty motif");
  PRISM_CHECK(!p_values.empty(), "PWM scan: no p-values");
  for (size_t t = 0; t < p_values.size(); ++t)
    PRISM_CHECK(p_values[t] > 0 && p_values[t] < 1 && (t == 0 || p_values[t] < p_values[t - 1]),
                "PWM scan: p-values must decrease and lie in (0, 1)");
  width_ = static_cast<int>(pwm.size());
  for (const auto& col : pwm) fwd_.push_back(ColumnScores(col));
  std::vector<std::array<int, 4>> rev;
  for (int j = 0; j < width_; ++j) {
    std::array<int, 4> c{};
    for (size_t b = 0; b < 4; ++b) c[b] = fwd_[static_cast<size_t>(width_ - 1 - j)][3 - b];
    rev.push_back(c);
  }
  thresholds_ = PValueThresholds(fwd_, p_values);
  strands_[0] = MakeStrand(fwd_);
  strands_[1] = MakeStrand(rev);
}

int PwmScanner::ForwardScore(const int* codes) const {
  int s = 0;
  for (int j = 0; j < width_; ++j) s += fwd_[static_cast<size_t>(j)][static_cast<size_t>(codes[j])];
  return s;
}

CodedSequence::CodedSequence(std::string_view seq) {
  const size_t n = seq.size();
  code5.assign(n, 0);
  run.assign(n + 1, 0);
  uint32_t code = 0;
  // code5[i] = bases i..i+4; filled from the right so that the end reads as A.
  for (size_t i = n; i-- > 0;) {
    const int b = BaseCode(seq[i]);
    run[i] = b < 0 ? 0 : run[i + 1] + 1;
    code = (code >> 2) | (static_cast<uint32_t>(b < 0 ? 0 : b) << 8);
    code5[i] = code;
  }
}

void PwmScanner::Count(std::string_view seq, uint8_t* counts) const {
  Count(CodedSequence(seq), counts);
}

void PwmScanner::Count(const CodedSequence& coded, uint8_t* counts) const {
  const int n = static_cast<int>(coded.code5.size());
  if (n < width_) return;
  const uint32_t* code5 = coded.code5.data();
  const int lowest = thresholds_.front();
  const size_t levels = thresholds_.size();
  constexpr int kNone = std::numeric_limits<int>::min() / 2;
  auto strand_score = [&](const Strand& st, int s) {
    int partial = 0;
    for (size_t k = 0; k < st.blocks.size(); ++k) {
      const Block& b = st.blocks[k];
      partial += b.table[code5[s + b.start] >> (2 * (5 - b.len))];
      if (partial + st.bound[k + 1] < lowest) return kNone;
    }
    return partial;
  };
  for (int s = 0; s + width_ <= n; ++s) {
    if (coded.run[static_cast<size_t>(s)] < width_) continue;
    const int best = std::max(strand_score(strands_[0], s), strand_score(strands_[1], s));
    if (best < lowest) continue;
    for (size_t t = 0; t < levels; ++t)
      if (best >= thresholds_[t] && counts[t] < 255) ++counts[t];
  }
}

double PwmScanner::ExpectedSites(const CodedSequence& coded, double prior_logit) const {
  const int n = static_cast<int>(coded.code5.size());
  if (n < width_) return 0.0;
  const uint32_t* code5 = coded.code5.data();
  constexpr double kNatsPerUnit = kResolution * 0.69314718055994531;  // ln 2 per bit
  // Below this logit a window adds less than 1e-17 (skipped: no exp).
  constexpr double kNegligible = -40.0;
  auto posterior = [&](const Strand& st, int s) {
    int score = 0;
    for (const Block& b : st.blocks) score += b.table[code5[s + b.start] >> (2 * (5 - b.len))];
    const double x = score * kNatsPerUnit + prior_logit;
    return x < kNegligible ? 0.0 : 1.0 / (1.0 + std::exp(-x));
  };
  double sum = 0;
  for (int s = 0; s + width_ <= n; ++s) {
    if (coded.run[static_cast<size_t>(s)] < width_) continue;
    sum += posterior(strands_[0], s) + posterior(strands_[1], s);
  }
  return sum;
}

}  // namespace prism::sim
