// train/cell_offset.cpp - model.cell_offset: the training-only logit offset of each training cell
// line starts at that cell line's base rate relative to the pooled one.
#include <cmath>
#include <string>
#include <vector>

#include "prism/error.h"
#include "prism/run_folder.h"
#include "train/training_session.h"

namespace prism::train {

Json InitCellOffsets(const Dataset& train, const std::vector<std::string>& train_cells,
                     model::PrismNet& net) {
  if (!net->cell_offset.defined()) return Json();
  const size_t k = train_cells.size();
  PRISM_CHECK(static_cast<size_t>(net->cell_offset.numel()) == k, "model.cell_offset has ",
              net->cell_offset.numel(), " entries for ", k, " training cell lines");
  std::vector<double> pos(k, 0), n(k, 0);
  double all_pos = 0, all_n = 0;
  for (size_t i = 0; i < train.size(); ++i) {
    const int64_t c = train.cell[i];
    if (c < 0) continue;
    pos[static_cast<size_t>(c)] += train.pairs[i].label;
    n[static_cast<size_t>(c)] += 1;
    all_pos += train.pairs[i].label;
    all_n += 1;
  }
  // logit of a rate, kept finite for a cell line without positives or negatives.
  auto logit = [](double p, double count) {
    const double eps = 0.5 / std::max(count, 1.0);
    p = std::min(std::max(p, eps), 1.0 - eps);
    return std::log(p / (1.0 - p));
  };
  const double pooled = logit(all_n > 0 ? all_pos / all_n : 0.5, all_n);
  Json init = Json::object();
  torch::NoGradGuard ng;
  for (size_t c = 0; c < k; ++c) {
    const double b = n[c] > 0 ? logit(pos[c] / n[c], n[c]) - pooled : 0.0;
    net->cell_offset[static_cast<int64_t>(c)] = b;
    init[train_cells[c]] = {{"pairs", n[c]}, {"positive_rate", n[c] > 0 ? pos[c] / n[c] : 0.0},
                            {"initial_offset", b}};
  }
  return {{"init", "logit(cell positive rate) - logit(pooled positive rate)"}, {"cells", init}};
}

}  // namespace prism::train
