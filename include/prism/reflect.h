// prism/reflect.h - the reflection on a finished run: numbers first, then ranked hypotheses.
//
// Follows the human-written reflection (seeds/003): the generalization gap (train vs unseen-cell
// test AUPR), the spread over test cell lines, the recall/precision balance at the chosen
// threshold, threshold extremity and calibration, the health of each model component, and
// hypotheses ranked by a severity score, each tied to the number that supports it and ending in a
// concrete next experiment. Everything is computed from the run folder (docs/run-folder.md);
// nothing is canned: a hypothesis appears only when its number crosses its trigger.
//
// Severity score (documented here and printed in reflect.md): every hypothesis has one driving
// number x with a trigger t and a full-scale value f. Its strength is
//     s = clamp((x - t) / (f - t), 0, 1)      (for "lower is worse" numbers, mirrored)
// and, where a second number corroborates it (e.g. the discriminator above chance for the
// invariance hypothesis), s = 0.6 * s_main + 0.4 * s_support. Severity = weight * (0.25 + 0.75 s),
// with a fixed weight per hypothesis kind (kHypothesisKinds in src/reflect/hypotheses.cpp)
// expressing how much of the unseen-cell AUPR the kind can cost. Hypotheses are sorted by
// severity, ties by the order of that table.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "prism/metric.h"
#include "prism/run_folder.h"
#include "prism/shortcut_reliance.h"

namespace prism {

/// Output language of the Markdown texts.
enum class Lang { kZh, kEn };
/// "zh" / "en" -> Lang; throws prism::Error otherwise.
Lang ParseLang(const std::string& s);
const char* LangCode(Lang lang);

/// The per-test-cell-line numbers the reflection uses.
struct ReflectCell {
  std::string cell;
  double aupr = NAN, auc = NAN, f1 = NAN, recall = NAN, precision = NAN, threshold = NAN;
  double ece = NAN;
  long n = 0, positives = -1;
  double r_e_mean = NAN, r_e_std = NAN;  ///< from diagnostics.json r_e.per_cell
  double entropy = NAN;                  ///< prototype assignment entropy (nats)
  double entropy_norm = NAN;             ///< entropy / ln(number of prototypes)
  std::string top_prototype;             ///< most weighted training cell line
};

/// A ranked explanation of what went wrong, tied to one number.
struct Hypothesis {
  std::string id;         ///< stable kind id, e.g. "invariance_not_achieved"
  int rank = 0;           ///< 1 = most severe
  double severity = 0;    ///< weight * (0.25 + 0.75 * strength), see the file comment
  double strength = 0;    ///< in [0, 1]
  std::string metric;     ///< name of the driving number, e.g. "gap_abs"
  double value = NAN;     ///< its value
  double trigger = NAN;   ///< the value where the hypothesis starts to apply
  std::string support;    ///< name of the corroborating number ("" when none)
  double support_value = NAN;
  std::string title_en, title_zh;        ///< one-line statement
  std::string evidence_en, evidence_zh;  ///< the numbers that support it, as text
  std::string next_en, next_zh;          ///< the concrete next experiment
};

/// One row of the simulation's reference points next to this run's AUPR on the same pairs.
struct ReferencePointRow {
  std::string group;         ///< "train", "val", "test", or a test cell line
  double model_aupr = NAN;   ///< this run's AUPR (train: the evaluated epoch's log value)
  double aupr_true = NAN;    ///< AUPR of p_true (the Bayes limit)
  double aupr_env_blind = NAN;  ///< AUPR of p_env_blind (best without the cell's environment)
  double aupr_shortcut = NAN;   ///< AUPR of the shortcut-only score (NaN without shortcuts)
  double aupr_reference = NAN;  ///< AUPR of the motif-informed reference learner (NaN: not recorded)
  double positive_rate = NAN;   ///< chance level of AUPR
};

/// When the run's data is a `prism simulate` folder (run.json data.path holds simulation.json),
/// the model is placed between the simulation's reference points (docs/simulator.md), and the
/// part of its gap that even the Bayes predictor has is separated from the part it can close.
struct SimulationReference {
  std::string path;            ///< the simulation.json read; empty when there is none
  std::vector<ReferencePointRow> rows;  ///< train, val (when present), test, then each test cell line
  double bayes_train_val_gap = NAN;   ///< AUPR(p_true) train - val (the QC gap of a perfect model)
  double bayes_train_test_gap = NAN;  ///< AUPR(p_true) train - test
  double intrinsic_share = NAN;       ///< bayes_train_test_gap / the run's gap_abs
  double env_blind_shortfall = NAN;   ///< test AUPR(p_env_blind) - the run's test AUPR
  double env_blind_reached = NAN;     ///< (test - pos rate) / (AUPR(p_env_blind) - pos rate)
  /// AUPR(p_env_blind) of the row `group` ("test", "val", a cell line), NaN when absent.
  double EnvBlind(const std::string& group) const {
    for (const auto& row : rows)
      if (row.group == group) return row.aupr_env_blind;
    return NAN;
  }
};

/// Every number of the reflection (NaN / empty when the run folder lacks the input).
struct Reflection {
  std::string run_name, run_dir;
  std::vector<std::string> missing;  ///< inputs that were absent (e.g. "diagnostics.json")

  // Generalization gap.
  double train_aupr = NAN;        ///< train AUPR of the epoch whose model was evaluated
  int train_epoch = 0;            ///< that epoch (0 when taken from diagnostics.json)
  std::string train_source;       ///< "log best epoch (max val AUPR)", "log last epoch", ...
  double train_aupr_last = NAN;   ///< train AUPR of the last logged epoch
  double val_aupr = NAN;          ///< val AUPR of the same epoch (NaN without validation)
  double test_aupr = NAN;         ///< overall test AUPR over the unseen cell lines
  double gap_abs = NAN;           ///< train_aupr - test_aupr
  double gap_rel = NAN;           ///< gap_abs / train_aupr
  double val_test_gap = NAN;      ///< val_aupr - test_aupr

  // Per-cell spread.
  std::vector<ReflectCell> cells;  ///< sorted by cell name
  double cell_min = NAN, cell_max = NAN, cell_mean = NAN, cell_std = NAN;  ///< of per-cell AUPR
  std::string worst_cell, best_cell;
  double worst_gap_to_others = NAN;  ///< mean AUPR of the other cells - worst cell AUPR

  // Recall-precision balance at the chosen threshold, threshold extremity, calibration.
  double recall = NAN, precision = NAN, f1 = NAN, threshold = NAN;
  double balance = NAN;            ///< recall - precision
  bool threshold_extreme = false;  ///< threshold <= 0.05 or >= 0.95
  double ece = NAN, brier = NAN;   ///< 15-bin ECE and Brier over all test predictions
  double mean_score = NAN, positive_rate = NAN;
  std::vector<metric::ReliabilityBin> reliability;  ///< 15 bins; empty without predictions

  // Component health (diagnostics.json and the log).
  int n_train_cells = 0;
  double disc_acc = NAN, disc_chance = NAN;
  double disc_excess = NAN;  ///< (disc_acc - chance) / (1 - chance): 0 = chance, 1 = perfect
  double zi_ze_corr = NAN;
  double proto_min_dist = NAN, proto_mean_dist = NAN, proto_within_spread = NAN;
  double proto_separation_ratio = NAN;  ///< min_dist / within_spread
  double r_e_mean = NAN, r_e_std = NAN, r_e_min = NAN, r_e_max = NAN;
  double temperature = NAN;
  double weight_adversarial = NAN, weight_orthogonality = NAN, weight_prototype = NAN;
  std::vector<std::string> components;  ///< configured components that are on
  // Label confounding in the training data (run.json `balance`, train.balance).
  std::string balance_covariate;      ///< "gc" when train.balance was on; empty otherwise
  double confound_corr_before = NAN;  ///< max over training cells of |corr(covariate, label)|
  double confound_corr_after = NAN;   ///< the same under the balance weights
  double balance_ess_share = NAN;     ///< min over training cells of effective n / n

  SimulationReference simulation;  ///< the simulation's oracles (path empty: not a simulation)
  /// The model's reliance on the audit's cell-specific k-mers (shortcut_reliance.json, written by
  /// predict for sequence data; prism/shortcut_reliance.h); empty when absent.
  std::optional<ShortcutReliance> shortcut_reliance;

  std::vector<Hypothesis> hypotheses;  ///< ranked, most severe first
};

/// Computes the reflection of a run folder. Needs at least the test metrics (metrics/test.json
/// or predictions/test.csv); throws prism::Error naming what is missing otherwise. Malformed
/// files throw InputError (file:line).
Reflection Reflect(const RunFolder& run);

/// Fills r->simulation from `simulation_json` (a `prism simulate` metadata file) and the run's
/// numbers already in `r` (called by Reflect when run.json's data.path holds simulation.json;
/// exposed for tests). `run_data` is run.json's "data" object: when its train/val/test pair
/// counts differ from the simulation's, the file describes other data and is not used (the
/// reason is added to r->missing). A file that is not a prism simulation leaves it empty;
/// malformed JSON throws InputError.
void FillSimulationReference(const std::string& simulation_json, const Json& run_data,
                             Reflection* r);

/// Ranks hypotheses from the numbers already in `r` (called by Reflect; exposed for tests).
std::vector<Hypothesis> RankHypotheses(const Reflection& r);

/// The reflection as Markdown in one language (structure of seeds/003).
std::string ReflectionMarkdown(const Reflection& r, Lang lang);
/// Every number and hypothesis as JSON (reflect/reflect.json).
Json ReflectionJson(const Reflection& r);
/// A one-paragraph summary (the ledger's reflection summary).
std::string ReflectionSummary(const Reflection& r, Lang lang);

/// What the ledger stores as a record point's reflection summary: {"summary" (= "en", the text
/// `prism ledger history` prints), "en", "zh" (the one-paragraph summaries), "train_aupr", "test_aupr", "gap_abs", "gap_rel", "worst_cell", "cell_min", "ece",
/// "threshold", "hypotheses": [{"rank", "id", "severity", "metric", "value"}, ...]}.
Json ReflectionLedgerSummary(const Reflection& r);

/// Stores ReflectionLedgerSummary(r) as the reflection summary of the run's record point in the
/// ledger at `ledger_path` (created when absent). The record point is the newest one of this run
/// folder; a run not recorded yet (no `prism qc` so far) gets a new record point, which a later
/// `prism qc` updates. Returns the record point id. Throws prism::Error on ledger failure.
long StoreReflectionInLedger(const std::string& ledger_path, const RunFolder& run,
                             const Reflection& r);

/// Writes RUN/reflect/{reflect.md (in `lang`), reflect.zh.md, reflect.en.md, reflect.json},
/// each atomically.
void WriteReflection(const Reflection& r, const std::string& run_dir, Lang lang);

}  // namespace prism
