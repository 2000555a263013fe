// sim/generative_model.h - the pieces of the simulator's generative model (internal).
// One concept per file: motif.cpp, grammar.cpp, cell_environment.cpp, sequence_generator.cpp,
// oracle.cpp; simulate.cpp ties them together.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "prism/simulate.h"
#include "sim/random.h"

namespace prism::sim {

// ---- motifs (motif.cpp) -------------------------------------------------------------------
/// A TF motif: a position weight matrix around a consensus sequence.
struct Motif {
  std::string consensus;
  std::vector<std::array<double, 4>> pwm;  ///< per position P(A), P(C), P(G), P(T)
  int length() const { return static_cast<int>(consensus.size()); }
};

/// M random, well-separated motifs: no two consensus sequences share a 6-mer, at no offset do
/// they agree on more than 60% of the overlap, and none has a homopolymer run > 3.
std::vector<Motif> GenerateMotifs(const SimulationOptions& options, Rng& rng);
/// An instance drawn from the PWM; with max_mismatches >= 0 redrawn until it differs from the
/// consensus in at most that many positions.
std::string SampleMotifInstance(const Motif& motif, Rng& rng, int max_mismatches = -1);
/// Mismatches between window[0..len) and the consensus, counting stops above `limit`.
int Mismatches(const char* window, const std::string& consensus, int limit);
/// A random k-mer (GC 0.5, no run > 3) sharing no 5-mer with any motif consensus or `avoid`.
std::string GenerateShortcutKmer(int k, const std::vector<Motif>& motifs,
                                 const std::vector<std::string>& avoid, Rng& rng);

// ---- grammar (grammar.cpp) ----------------------------------------------------------------
/// The cell-invariant interaction grammar: G[i][j] = compatibility of enhancer motif i with
/// promoter motif j (sparse).
struct Grammar {
  int num_motifs = 0;
  std::vector<double> g;  ///< row-major M x M
  double at(int i, int j) const { return g[static_cast<size_t>(i) * num_motifs + j]; }
  int nonzeros() const;
};
Grammar GenerateGrammar(const SimulationOptions& options, Rng& rng);

/// Motifs actually planted in one element: ids with multiplicity, and a presence bitmask.
struct MotifSet {
  std::vector<int> ids;
  uint64_t presence = 0;
  void Add(int id) {
    ids.push_back(id);
    presence |= uint64_t{1} << id;
  }
};

/// U_c = sum_{i in E, j in P} G[i,j] * ((1 - lambda) + lambda * a[i] * a[j])
///       + count_weight * (|E instances| + |P instances|), over distinct motifs present.
double InteractionScore(const Grammar& grammar, const SimulationOptions& options,
                        const std::vector<double>& activity, const MotifSet& e,
                        const MotifSet& p);

// ---- cell environments (cell_environment.cpp) ---------------------------------------------
/// A cell line's environment plus what the generator needs to sample its elements.
struct CellModel {
  SimulatedCell info;
  std::vector<double> motif_cumulative;  ///< cumulative motif sampling distribution
};
/// Draws all cells (train, val, test order): activity, sampling distribution, target rate,
/// and (from `shortcut_rng`, so that --no-shortcuts leaves everything else unchanged) the
/// shortcut k-mers; resistance is calibrated by CalibrateResistance.
std::vector<CellModel> GenerateCells(const SimulationOptions& options,
                                     const std::vector<Motif>& motifs, Rng& rng,
                                     Rng& shortcut_rng);
/// Length of the k-mer slot reserved in the enhancers of a cell line of `split` (0: none):
/// training(-like) cells always reserve it (used or not, so --no-shortcuts keeps the layouts),
/// other cells when shortcut_unseen_prob > 0.
int KmerSlotLength(const SimulationOptions& options, const std::string& split);
/// An element length: min_length, or uniform in [min_length, max_length] when max_length > 0
/// (draws nothing then).
int DrawElementLength(int min_length, int max_length, Rng& rng);
/// Samples the motif ids of one element of `cell` (Poisson(mean) instances).
std::vector<int> SampleElementMotifs(const CellModel& cell, double mean, Rng& rng);
/// Sets cell.info.resistance so that the expected positive rate over pairs drawn from the
/// cell (a calibration sample of `samples` motif-set pairs) equals its target rate.
void CalibrateResistance(CellModel& cell, const Grammar& grammar,
                         const SimulationOptions& options, const std::vector<Motif>& motifs,
                         int samples, Rng& rng);

// ---- sequences (sequence_generator.cpp) ---------------------------------------------------
/// Where the motif instances (and the optional shortcut slot) of one element go.
struct ElementLayout {
  int length = 0;
  MotifSet motifs;               ///< motifs that were placed (instances that did not fit dropped)
  std::vector<int> starts;       ///< start of each placed motif instance (parallel to motifs.ids)
  int shortcut_start = -1;       ///< reserved k-mer slot, or -1
};
/// Places the sampled motif ids (and a k-mer slot of length `kmer_length` when > 0; train-cell
/// enhancers always reserve it, used or not) at random non-overlapping positions; instances
/// that do not fit after 64 tries are dropped.
ElementLayout PlaceElement(int length, const std::vector<int>& motif_ids,
                           const std::vector<Motif>& motifs, int kmer_length, Rng& rng);
/// Background with GC `gc`, the PWM instances at their starts, and `kmer` at the shortcut slot
/// when non-empty.
/// With max_mismatches >= 0 the instances are within that many mismatches of their consensus
/// and every other window within that distance of any motif has its background bases redrawn
/// (repeated until none is left), so a scan for the motifs finds exactly the planted ones.
/// `style` adds what the former model lacked (each off at 0 / false, drawing nothing then).
struct RenderStyle {
  double cpg_depletion = 0;  ///< share of background CpGs mutated to TpG / CpA
  double cpg_rate = 0;       ///< per background position, probability of writing a CpG
  double n_rate = 0;         ///< per background base, probability of an N
  bool random_strand = false;  ///< instances reverse-complemented with probability 1/2
};
std::string RenderElement(const ElementLayout& layout, const std::vector<Motif>& motifs,
                          double gc, const std::string& kmer, Rng& rng, int max_mismatches = -1,
                          const RenderStyle& style = {});

// ---- oracle (oracle.cpp) ------------------------------------------------------------------
inline double Sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }
/// sigmoid((U_c - r_c) / T) for the cell.
double TrueProbability(const Grammar& grammar, const SimulationOptions& options,
                       const CellModel& cell, const MotifSet& e, const MotifSet& p);
/// Mean of TrueProbability over the training cells (uniform weights).
double EnvBlindProbability(const Grammar& grammar, const SimulationOptions& options,
                           const std::vector<const CellModel*>& train_cells, const MotifSet& e,
                           const MotifSet& p);
/// Score of a learner that only knows the shortcuts: 1 if the enhancer contains any of the
/// train cells' k-mers, plus the GC fraction of enhancer and promoter (in [0, 1]).
double ShortcutScore(const std::string& enhancer, const std::string& promoter,
                     const std::vector<std::string>& kmers);
/// Summary (counts, rates, AUPR of p_true, p_env_blind and - when `shortcut` / `reference` is
/// non-empty - of the shortcut score / the reference learner's score, parallel to `rows`) of the
/// oracle rows `idx`.
OracleSummary SummarizeOracle(const std::string& name, const std::string& split,
                              const std::vector<OracleRow>& rows, const std::vector<size_t>& idx,
                              const std::vector<double>& shortcut,
                              const std::vector<double>& reference = {});

}  // namespace prism::sim
