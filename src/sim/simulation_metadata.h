// sim/simulation_metadata.h - the simulation.json record of a simulation (internal).
#pragma once

#include <vector>

#include "prism/simulate.h"
#include "sim/generative_model.h"
#include "sim/reference_learner.h"

namespace prism::sim {

/// simulation.json: options, motifs, grammar, cells, per-split and per-cell summaries (oracle,
/// shortcut and reference-learner AUPRs) and the reference learner's chosen settings.
Json SimulationMetadata(const SimulationResult& result, const std::vector<Motif>& motifs,
                        const Grammar& grammar, const ReferenceLearnerResult& reference);

}  // namespace prism::sim
