// train/scoring.cpp - two-pass scoring per cell line (encode, estimate the environment, heads)
// and the context calibration's per-cell resistance offset.
#include "train/scoring.h"

#include <algorithm>
#include <map>

#include "prism/error.h"
#include "train/collate.h"

namespace prism::train {
namespace {

/// What Score keeps across cell lines for keep_z.
struct KeptZ {
  std::vector<torch::Tensor> zi, ze, disc;
  std::vector<size_t> order;
};

/// Scores the rows of one cell line into *s.
void ScoreCell(model::PrismNet& net, const Dataset& d, const std::string& cell,
               const std::vector<size_t>& rows, const ScoreOptions& o, Scores* s, KeptZ* kept) {
  const int64_t k = net->prototypes->num_cells;
  const size_t bs = static_cast<size_t>(o.batch_size);
  // Pass 1: encode every homogeneous batch of this cell line.
  std::vector<std::vector<size_t>> chunks;
  for (size_t start = 0; start < rows.size(); start += bs)
    chunks.emplace_back(rows.begin() + start, rows.begin() + std::min(rows.size(), start + bs));
  std::vector<model::Output> outs;
  auto weights = torch::zeros({k});
  for (const auto& chunk : chunks) {
    auto b = Collate(d, chunk);
    model::Output out;
    auto h = net->Encode(b);
    std::tie(out.z_i, out.z_e) = net->Project(h, b);
    if (o.prototype && !o.context_free)
      weights += net->prototypes->Assign(out.z_e.mean(0)).exp() * static_cast<double>(chunk.size());
    outs.push_back(std::move(out));
  }
  // The cell line's environment e_c.
  torch::Tensor e_c;
  if (o.prototype) {
    if (o.context_free) weights = torch::full({k}, 1.0 / k);
    else weights = weights / static_cast<double>(rows.size());
    e_c = net->prototypes->Mix(weights);
    std::vector<double> w(weights.data_ptr<float>(), weights.data_ptr<float>() + k);
    s->assignment.emplace_back(cell, std::move(w));
  } else {
    e_c = torch::zeros({net->options.z_e_dim()});
  }
  // Pass 2: heads with e_c. The probability is sigmoid((U_I - R_E) / T) in double, as the
  // calibrated one below (a float32 logit and sigmoid tie or swap pairs closer than ~1e-7, so
  // switching the calibration would change the ranking).
  const double temp = net->Temperature().item<double>();
  for (size_t c = 0; c < chunks.size(); ++c) {
    auto& out = outs[c];
    const int64_t m = static_cast<int64_t>(chunks[c].size());
    net->Heads(&out, e_c.view({1, -1}).expand({m, e_c.size(0)}));
    auto u = out.u_i.to(torch::kDouble).contiguous(), r = out.r_e.to(torch::kDouble).contiguous();
    for (int64_t i = 0; i < m; ++i) {
      size_t row = chunks[c][i];
      s->u_i[row] = u.data_ptr<double>()[i];
      s->r_e[row] = r.data_ptr<double>()[i];
      s->prob[row] = 1.0 / (1.0 + std::exp(-(s->u_i[row] - s->r_e[row]) / temp));
    }
    if (o.keep_z) {
      kept->zi.push_back(out.z_i);
      kept->ze.push_back(out.z_e);
      kept->disc.push_back(net->discriminator->forward(out.z_i));
      kept->order.insert(kept->order.end(), chunks[c].begin(), chunks[c].end());
    }
  }
  if (o.prior > 0 && o.prior < 1 && !o.context_free) {
    // Context calibration: one resistance offset for the cell line from its own pairs.
    const double t = net->Temperature().item<double>();
    std::vector<double> logit;
    logit.reserve(rows.size());
    for (size_t row : rows) logit.push_back((s->u_i[row] - s->r_e[row]) / t);
    const double b = CalibrationOffset(logit, o.prior);
    for (size_t i = 0; i < rows.size(); ++i)
      s->prob[rows[i]] = 1.0 / (1.0 + std::exp(-(logit[i] - b)));
    s->resistance_offset.emplace_back(cell, b * t);
  }
}

}  // namespace

Scores Score(model::PrismNet& net, const Dataset& d, const ScoreOptions& o) {
  torch::NoGradGuard ng;
  const bool was_training = net->is_training();
  net->eval();
  Scores s;
  const size_t n = d.size();
  s.prob.assign(n, 0);
  s.u_i.assign(n, 0);
  s.r_e.assign(n, 0);
  std::map<std::string, std::vector<size_t>> by_cell;
  for (size_t i = 0; i < n; ++i) by_cell[d.pairs[i].cell_line].push_back(i);
  KeptZ kept;
  for (const auto& [cell, rows] : by_cell) ScoreCell(net, d, cell, rows, o, &s, &kept);
  if (o.keep_z && !kept.order.empty()) {
    auto perm = torch::empty({static_cast<int64_t>(n)}, torch::kLong);
    for (size_t i = 0; i < kept.order.size(); ++i) perm[kept.order[i]] = static_cast<int64_t>(i);
    s.z_i = torch::cat(kept.zi).index_select(0, perm);
    s.z_e = torch::cat(kept.ze).index_select(0, perm);
    s.disc_logits = torch::cat(kept.disc).index_select(0, perm);
  }
  net->train(was_training);
  return s;
}

double CalibrationOffset(const std::vector<double>& logit, double prior) {
  PRISM_CHECK(prior > 0 && prior < 1, "calibration prior must be in (0, 1), got ", prior);
  PRISM_CHECK(!logit.empty(), "calibration needs at least one score");
  auto mean_prob = [&](double b) {
    double m = 0;
    for (double l : logit) m += 1.0 / (1.0 + std::exp(-(l - b)));
    return m / static_cast<double>(logit.size());
  };
  // mean_prob falls monotonically in b; the bracket covers any float32 logit.
  double lo = -200, hi = 200;
  for (int it = 0; it < 100; ++it) {
    const double mid = 0.5 * (lo + hi);
    (mean_prob(mid) > prior ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace prism::train
