// data/covariate_balance.cpp - label-balancing weights over covariate bins (see the header).
#include "prism/covariate_balance.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "prism/error.h"

namespace prism {

GcCount CountGc(std::string_view seq) {
  GcCount c;
  for (char ch : seq) {
    switch (ch) {
      case 'G': case 'C': case 'g': case 'c': ++c.gc; ++c.acgt; break;
      case 'A': case 'T': case 'a': case 't': ++c.acgt; break;
      default: break;
    }
  }
  return c;
}

double PairGcFraction(const GcCount& a, const GcCount& b) {
  const long acgt = a.acgt + b.acgt;
  return acgt == 0 ? NAN : static_cast<double>(a.gc + b.gc) / static_cast<double>(acgt);
}

double GcFraction(std::string_view seq) { return PairGcFraction(CountGc(seq), GcCount{}); }

namespace {

// Weighted Pearson correlation of x and y over rows (NaN when either is constant).
double WeightedCorrelation(const std::vector<size_t>& rows, const std::vector<double>& x,
                           const std::vector<int>& y, const std::vector<double>& w) {
  double sw = 0, mx = 0, my = 0;
  for (size_t r : rows) {
    sw += w[r];
    mx += w[r] * x[r];
    my += w[r] * y[r];
  }
  if (sw <= 0) return NAN;
  mx /= sw;
  my /= sw;
  double sxy = 0, sxx = 0, syy = 0;
  for (size_t r : rows) {
    double dx = x[r] - mx, dy = y[r] - my;
    sxy += w[r] * dx * dy;
    sxx += w[r] * dx * dx;
    syy += w[r] * dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / std::sqrt(sxx * syy) : NAN;
}

}  // namespace

std::vector<double> BalanceWeights(const std::vector<int>& label,
                                   const std::vector<std::string>& group,
                                   const std::vector<double>& x, const BalanceOptions& opt,
                                   std::vector<BalanceSummary>* summary) {
  const size_t n = label.size();
  PRISM_CHECK(group.size() == n && x.size() == n, "BalanceWeights: ", n, " labels, ",
              group.size(), " groups, ", x.size(), " covariate values");
  PRISM_CHECK(opt.bins >= 1, "BalanceWeights: bins must be >= 1, got ", opt.bins);
  PRISM_CHECK(opt.max_weight > 1, "BalanceWeights: max_weight must be > 1, got ",
              opt.max_weight);
  for (size_t i = 0; i < n; ++i)
    PRISM_CHECK(label[i] == 0 || label[i] == 1, "BalanceWeights: label ", label[i], " at row ",
                i, " is not 0/1");
  std::vector<double> w(n, 1.0);
  std::map<std::string, std::vector<size_t>> rows_of;
  for (size_t i = 0; i < n; ++i) rows_of[group[i]].push_back(i);
  if (summary) summary->clear();
  const std::vector<double> ones(summary ? n : 0, 1.0);
  for (const auto& [name, all_rows] : rows_of) {
    std::vector<size_t> rows;  // rows with a known covariate, sorted by it (ties by index)
    for (size_t r : all_rows)
      if (std::isfinite(x[r])) rows.push_back(r);
    std::stable_sort(rows.begin(), rows.end(), [&](size_t a, size_t b) { return x[a] < x[b]; });
    const size_t m = rows.size();
    std::vector<size_t> unmatched;  // rows of bins that hold one class only
    if (m > 0) {
      double pos = 0;
      for (size_t r : rows) pos += label[r];
      const double rate = pos / static_cast<double>(m);
      // Quantile bins; equal covariate values never straddle a bin edge.
      const size_t k = std::min<size_t>(static_cast<size_t>(opt.bins), m);
      size_t start = 0;
      for (size_t b = 0; b < k && start < m; ++b) {
        size_t end = b + 1 == k ? m : std::max(start + 1, (m * (b + 1)) / k);
        while (end < m && x[rows[end]] == x[rows[end - 1]]) ++end;
        double bin_pos = 0;
        for (size_t i = start; i < end; ++i) bin_pos += label[rows[i]];
        const double bin_n = static_cast<double>(end - start);
        const double bin_rate = bin_pos / bin_n;
        for (size_t i = start; i < end; ++i) {
          const size_t r = rows[i];
          const double p_bin = label[r] ? bin_rate : 1 - bin_rate;  // > 0: r itself is in it
          const double p_all = label[r] ? rate : 1 - rate;
          w[r] = std::clamp(p_all / p_bin, 1.0 / opt.max_weight, opt.max_weight);
          if (bin_pos == 0 || bin_pos == bin_n) unmatched.push_back(r);
        }
        start = end;
      }
      if (opt.trim_unmatched && unmatched.size() < all_rows.size())
        for (size_t r : unmatched) w[r] = 0;
      else
        unmatched.clear();
    }
    // Mean 1 within the cell line (rows without a covariate keep weight 1 before this).
    double sum = 0;
    for (size_t r : all_rows) sum += w[r];
    const double scale = static_cast<double>(all_rows.size()) / sum;
    for (size_t r : all_rows) w[r] *= scale;
    if (summary) {
      BalanceSummary s;
      s.cell_line = name;
      s.n = all_rows.size();
      s.corr_before = WeightedCorrelation(rows, x, label, ones);
      s.corr_after = WeightedCorrelation(rows, x, label, w);
      double sw = 0, sw2 = 0;
      for (size_t r : all_rows) {
        sw += w[r];
        sw2 += w[r] * w[r];
      }
      s.effective_n = sw2 > 0 ? sw * sw / sw2 : 0;
      s.trimmed = unmatched.size();
      summary->push_back(s);
    }
  }
  return w;
}

}  // namespace prism
