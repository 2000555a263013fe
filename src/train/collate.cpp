// train/collate.cpp - the tensors of a batch: labels, cells, groups, weights, and the padded
// tokens (sequence input) or the feature rows (feature input).
#include "train/collate.h"

#include <algorithm>
#include <unordered_map>

namespace prism::train {

model::Batch Collate(const Dataset& d, const std::vector<size_t>& idx) {
  model::Batch b;
  const int64_t n = static_cast<int64_t>(idx.size());
  std::vector<float> label(n);
  std::vector<int64_t> cell(n), group(n), group_cell;
  std::unordered_map<std::string, int64_t> gid;
  for (int64_t i = 0; i < n; ++i) {
    const auto& p = d.pairs[idx[i]];
    label[i] = static_cast<float>(p.label);
    cell[i] = d.cell[idx[i]];
    auto it = gid.find(p.cell_line);
    if (it == gid.end()) {
      it = gid.emplace(p.cell_line, static_cast<int64_t>(group_cell.size())).first;
      group_cell.push_back(cell[i]);
    }
    group[i] = it->second;
  }
  b.label = torch::tensor(label);
  b.cell = torch::tensor(cell, torch::kLong);
  b.group = torch::tensor(group, torch::kLong);
  b.group_cell = torch::tensor(group_cell, torch::kLong);
  b.num_groups = static_cast<int64_t>(group_cell.size());
  if (!d.weight.empty()) {
    std::vector<float> w(n);
    for (int64_t i = 0; i < n; ++i) w[i] = d.weight[idx[i]];
    b.weight = torch::tensor(w);
  }
  if (d.kind == "sequence") {
    auto pack = [&](const std::vector<std::vector<int32_t>>& tokens,
                    const std::vector<int32_t>& which, torch::Tensor* out, torch::Tensor* len) {
      size_t width = 1;
      for (size_t i : idx) width = std::max(width, tokens[which[i]].size());
      auto t = torch::zeros({n, static_cast<int64_t>(width)}, torch::kLong);
      auto l = torch::empty({n}, torch::kLong);
      auto* tp = t.data_ptr<int64_t>();
      auto* lp = l.data_ptr<int64_t>();
      for (int64_t i = 0; i < n; ++i) {
        const auto& tok = tokens[which[idx[i]]];
        std::copy(tok.begin(), tok.end(), tp + i * width);
        lp[i] = static_cast<int64_t>(tok.size());
      }
      *out = t;
      *len = l;
    };
    pack(d.e_tokens, d.e_idx, &b.e_tokens, &b.e_len);
    pack(d.p_tokens, d.p_idx, &b.p_tokens, &b.p_len);
  } else {
    const int64_t f = d.num_features;
    auto x = torch::empty({n, f});
    auto dist = torch::empty({n});
    for (int64_t i = 0; i < n; ++i) {
      std::copy(d.features.begin() + idx[i] * f, d.features.begin() + (idx[i] + 1) * f,
                x.data_ptr<float>() + i * f);
      dist.data_ptr<float>()[i] = d.distance[idx[i]];
    }
    b.features = x;
    b.distance = dist;
  }
  return b;
}

}  // namespace prism::train
