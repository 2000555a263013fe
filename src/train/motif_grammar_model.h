// train/motif_grammar_model.h - the motif-grammar ensemble member as fitted and as stored in
// checkpoints/ensemble.motif_grammar.json (train/motif_grammar_member.cpp fits and scores it,
// train/motif_grammar_file.cpp writes and reads the file; docs/run-folder.md).
#pragma once

#include <string>
#include <vector>

#include "prism/run_records.h"
#include "sim/reference_learner.h"

namespace prism::train {

struct Dataset;

struct MotifGrammarModel {
  std::vector<std::string> enhancer_names, promoter_names;  ///< consensus of each motif
  std::vector<sim::Pwm> enhancer, promoter;
  std::string sites = "hard";  ///< "hard": windows at p_value; "posterior": expected sites
  /// The EM background its motifs were discovered against: "uniform" or "composition" (the
  /// training elements' own strand-symmetric base composition).
  std::string background = "uniform";
  /// Free columns discovery let each PWM grow on each side of its seed k-mer: 2, or
  /// model.motif_grammar_wide_flank.
  int flank = 2;
  double p_value = 0;          ///< hard: the site threshold's background p-value
  double site_prior = 0;       ///< posterior: P(a window on one strand is a site)
  sim::MotifPairModel fit;     ///< levels = 1 after loading: the chosen p-value only
  /// model.motif_grammar_background = "average" or model.motif_grammar_wide_flank: further
  /// grammars (their own motifs, site model and regression); the member's logit is the mean of
  /// this one's and theirs.
  std::vector<MotifGrammarModel> averaged;
};

/// PwmScanner needs a site threshold even where only its expected sites are read (posterior
/// sites): this p-value stands in for one, and no count at it is used.
constexpr double kUnusedSitePValue = 1e-5;

/// Site counts of every pair of `d` under `g`'s site model (hard: at each of `p_values`; the
/// averaged grammars are not read): each distinct element scanned once (threads share them).
sim::MotifSiteCounts MotifGrammarSiteCounts(const MotifGrammarModel& g,
                                            const std::vector<double>& p_values, const Dataset& d,
                                            int threads);

/// The member file's object for `g` (the averaged grammars under "averaged").
Json MotifGrammarFileJson(const MotifGrammarModel& g);

}  // namespace prism::train
