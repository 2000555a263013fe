// predict/shortcut_reliance.h - the model part of the shortcut-reliance measurement
// (prism/shortcut_reliance.h): edits the split's enhancers and scores them with the cell
// line's context fixed. Internal (includes LibTorch).
#pragma once

#include <string>
#include <vector>

#include "model/model.h"
#include "prism/pairs.h"
#include "prism/shortcut_reliance.h"
#include "prism/train.h"
#include "train/dataset.h"
#include "train/scoring.h"
#include "train/xgboost_model.h"

namespace prism::predict {

/// How the measurement runs (the defaults are what `prism predict` uses).
struct RelianceOptions {
  int kmers_per_cell = 3;   ///< the audit's top k-mers per training cell line
  int64_t max_pairs = 256;  ///< pairs per k-mer and edit (an even subset), at most
  uint64_t seed = 1;        ///< positions, strands, random bases and control k-mers
};

/// Measures the reliance of the run's scores on the cell-specific k-mers of `raw`'s training
/// split (the audit of prism/audit.h; only k-mers of `train_cells`, the model's training cell
/// lines) on the pairs of `d` (a split of `raw`, scored as `s` by train::Score). The scores are
/// those predict delivers: `net`'s, or with an ensemble `member` (its gate's weight and scale
/// already set, predictor.cpp) the member's combined with them - the member alone when the gate
/// chose it. The context of each cell line (s.assignment) and its calibration offset
/// (s.resistance_offset) are held fixed, so the change of a pair's score comes from its own
/// edited enhancer only. Sequence data only.
ShortcutReliance MeasureShortcutReliance(model::PrismNet& net, const TrainConfig& config,
                                         const std::vector<std::string>& train_cells,
                                         const DomainKlData& raw, const train::Dataset& d,
                                         const train::Scores& s, const RelianceOptions& o,
                                         const train::EnsembleMember* member = nullptr);

}  // namespace prism::predict
