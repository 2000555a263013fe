// train/model_recipe.h - the one mapping from a training configuration to model options, with
// every conflict check between them. Internal (includes LibTorch).
#pragma once

#include <cstdint>

#include "model/model.h"
#include "prism/train.h"

namespace prism::train {

/// The model options of a config (preset + overrides + data-dependent sizes).
model::ModelOptions ModelOptionsFor(const TrainConfig& config, int64_t num_cells,
                                    int64_t num_features);

}  // namespace prism::train
