// train/collate.h - the tensors of a batch of pairs. Internal (includes LibTorch).
#pragma once

#include <vector>

#include "model/model.h"
#include "train/dataset.h"

namespace prism::train {

/// Tensors of the samples `idx`. Groups = distinct cell lines in the batch (first-seen order);
/// group_cell = their training-cell index.
model::Batch Collate(const Dataset& d, const std::vector<size_t>& idx);

}  // namespace prism::train
