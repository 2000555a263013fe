// train/candidate_rank.h - data.candidate_rank: where a pair stands among the candidates of its
// enhancer and of its promoter, by distance (experiments/feature-candidate-rank.md).
#pragma once

#include <cstddef>
#include <vector>

#include "prism/pairs.h"

namespace prism::train {

/// Per pair, two label-free columns (row-major, pairs.size() x 2): log1p of the number of
/// distinct promoters paired with the same enhancer in the same cell line that are strictly
/// nearer to it than this pair's promoter, and log1p of the number of distinct enhancers paired
/// with the same promoter in the same cell line that are strictly nearer. 0 = the nearest
/// candidate. Each cell line is counted from its own rows only (its unlabeled candidate set),
/// so a held-out cell line's columns never depend on another cell line. A pair without a known
/// distance gets 0 and is not counted as nearer for any other pair.
std::vector<float> CandidateRankColumns(const std::vector<Pair>& pairs);

}  // namespace prism::train
