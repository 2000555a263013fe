// sim/reference_learner.h - the motif-informed reference learner of a simulation (internal).
//
// A third reference point between chance and the oracles: what a correctly specified learner
// reaches when it is GIVEN the true motifs (PWMs) but not the grammar, the activities or the
// planted positions. Each element is scanned on both strands with each PWM (log-odds against a
// uniform background, integer scores at 0.01 bit); a window is a site when its score reaches the
// threshold of a background p-value. Site counts are capped at 2 (the grammar's saturation), and
// an L2 logistic regression is fitted on the enhancer-motif x promoter-motif count products plus
// the single counts (M^2 + 2M features) of the training pairs. The p-value (1e-3, 1e-4, 1e-5) and
// the L2 strength (0.1 .. 1000) are chosen by AUPR on the val split, or - without one - on every
// fifth training pair (then refitted on all of train). See docs/simulator.md.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "prism/logistic_regression.h"
#include "prism/pairs.h"

namespace prism::sim {

using Pwm = std::vector<std::array<double, 4>>;  ///< per position P(A), P(C), P(G), P(T)

/// A sequence as, per position, the 2-bit code of the 5 bases starting there (other bytes and
/// the end of the sequence read as A; window validity comes from `run`) and the number of
/// A/C/G/T bases starting there.
struct CodedSequence {
  explicit CodedSequence(std::string_view seq);
  std::vector<uint32_t> code5;
  std::vector<int> run;
};

/// Counts the sites of one PWM in a sequence at several p-value thresholds.
class PwmScanner {
 public:
  /// `p_values` in decreasing order (most permissive first), each in (0, 1).
  PwmScanner(const Pwm& pwm, const std::vector<double>& p_values);
  /// Adds to counts[t] (t = index of the p-value; saturating at 255) the number of windows of
  /// `seq` whose better strand scores at or above threshold t. Windows holding a byte other
  /// than A/C/G/T (either case) are skipped.
  void Count(std::string_view seq, uint8_t* counts) const;
  void Count(const CodedSequence& seq, uint8_t* counts) const;
  /// The expected number of sites in `seq`: the sum over windows and both strands of the
  /// posterior P(site | window) = sigmoid(LLR + prior_logit), with LLR the window's score in nats
  /// (the log-likelihood ratio of the PWM over the uniform background) and prior_logit the logit of
  /// the prior probability that one window on one strand is a site. Under the background
  /// E[exp(LLR)] = 1, so a background window adds at most that prior on average, whatever the
  /// motif's information content; a degenerate motif's sites count in part where a p-value
  /// threshold near its best score would miss them. Windows with a byte other than A/C/G/T are
  /// skipped.
  double ExpectedSites(const CodedSequence& seq, double prior_logit) const;
  /// Integer score threshold of p-value t (score of a window: sum of its columns' scores).
  int threshold(size_t t) const { return thresholds_[t]; }
  /// Integer score of a window on the forward strand (codes 0..3), for tests.
  int ForwardScore(const int* codes) const;

 private:
  /// Columns [start, start + len) (len <= 5) of one strand's matrix as a table over the 2-bit
  /// code of their bases (one lookup instead of len).
  struct Block {
    int start = 0, len = 0, best = 0;
    std::vector<int> table;
  };
  /// The blocks of one strand, most selective first, and bound[k] = the best score of the
  /// blocks after the k-th (a window that cannot reach the lowest threshold is left early).
  struct Strand {
    std::vector<Block> blocks;
    std::vector<int> bound;
  };
  static Strand MakeStrand(const std::vector<std::array<int, 4>>& cols);
  int width_ = 0;
  std::vector<std::array<int, 4>> fwd_;  ///< integer column scores
  Strand strands_[2];                    ///< forward, reverse complement
  std::vector<int> thresholds_;          ///< one per p-value (ascending scores)
};

/// Site counts of the pairs of one split, the input of a motif-pair learner: per pair, the
/// enhancer's count of each of its motifs at every level (motif-major: [m * levels + t]; a level
/// is a p-value threshold, saturating at 255, or an expected number of sites) and the promoter's,
/// and the 0/1 label.
struct MotifSiteCounts {
  std::vector<std::vector<float>> enhancer, promoter;
  std::vector<int> labels;
};

/// The site counts of `scanners` in `seq` (motif-major, `levels` thresholds each).
std::vector<float> CountSites(const std::vector<PwmScanner>& scanners, size_t levels,
                              std::string_view seq);

/// A logistic regression on capped motif-site counts: the products of enhancer-motif i's and
/// promoter-motif j's counts (each capped at 2, the grammar's saturation), then the single capped
/// counts of the enhancer and of the promoter (Me * Mp + Me + Mp columns), at one p-value level.
struct MotifPairModel {
  int enhancer_motifs = 0, promoter_motifs = 0;
  size_t levels = 1, level = 0;  ///< counts hold `levels` thresholds; `level` is the one used
  double l2 = 1.0;               ///< L2 strength chosen
  double selection_aupr = 0;     ///< AUPR of the chosen settings where they were chosen
  std::string selected_on;       ///< "val" or "train holdout (every 5th pair)"
  LogisticModel model;
};

/// Chooses the level (each of `levels`) and the L2 strength (ReferenceL2Grid) by AUPR on
/// `select`, or - when null or empty - on every fifth pair of `train` (then refitted on all of it).
MotifPairModel FitMotifPairModel(const MotifSiteCounts& train, const MotifSiteCounts* select,
                                 int enhancer_motifs, int promoter_motifs, size_t levels);

/// The linear predictor of every pair of `s` (sigmoid of it = P(y = 1)).
std::vector<double> MotifPairScores(const MotifPairModel& m, const MotifSiteCounts& s);
/// P(y = 1) of every pair of `s` (LogisticProbabilities: without overflow).
std::vector<double> MotifPairProbabilities(const MotifPairModel& m, const MotifSiteCounts& s);

/// What FitMotifReference chose and scored.
struct ReferenceLearnerResult {
  std::vector<double> scores;  ///< one per pair: train, val, test pairs in data order
  double p_value = 0;          ///< site threshold chosen
  double l2 = 0;               ///< L2 strength chosen
  std::string selected_on;     ///< "val" or "train holdout (every 5th pair)"
  double selection_aupr = 0;   ///< AUPR of the chosen settings where they were chosen
  int features = 0;
};

/// The p-values and L2 strengths FitMotifReference chooses from.
const std::vector<double>& ReferencePValues();
const std::vector<double>& ReferenceL2Grid();

/// Fits the reference learner on data.train (choosing on data.val when present) and scores
/// every pair. prism::Error when a split lacks a sequence of its pairs.
ReferenceLearnerResult FitMotifReference(const std::vector<Pwm>& motifs, const DomainKlData& data);

}  // namespace prism::sim
