// prism/shortcut_reliance.h - a trained model's reliance on the audit's cell-specific k-mers,
// measured by in-silico intervention (issue 14, "Shortcut diagnostics"; docs/run-folder.md
// "shortcut_reliance.json", docs/qc.md rule shortcut_reliance).
//
// `prism predict` (src/predict/shortcut_reliance.cpp, the only part that needs the model) takes
// the top cell-specific k-mers of every training cell line (prism/audit.h, computed from the
// run's data) and, on the predicted split's (unseen-cell) enhancers:
//   * plants the k-mer (one strand at random, over k bases at a random position of the part of
//     the enhancer the model sees) into enhancers that lack it - "insert";
//   * overwrites every occurrence (either strand) with random bases in enhancers that hold it -
//     "remove";
//   * does the same with a matched control: a random k-mer of the same length and G/C count
//     (insert), and random windows of the same length away from the k-mer (remove),
// and scores every edited pair with the cell line's context and calibration fixed to those of
// the unedited pairs. Effects are probability changes in the direction the audit's association
// predicts: insert gain = p(edited) - p(original), remove drop = p(original) - p(edited).
// excess = insert gain - control insert gain: what the k-mer does beyond any 8 random bases.
//
// The sequence edits below are torch-free (src/seq/kmer_intervention.cpp); the record
// (src/core/shortcut_reliance_record.cpp) is written as RUN/shortcut_reliance.json and read by
// the inspector (rule shortcut_reliance), the reflection (hypothesis shortcut_reliance) and the
// report. Reading follows prism/run_records.h: missing fields are NaN/empty, a field of the wrong
// type is an InputError naming the file and the field.
#pragma once

#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "prism/kmer_scan.h"
#include "prism/run_records.h"

namespace prism {

// ---- sequence edits --------------------------------------------------------------------------

/// Start positions of `kmer` or its reverse complement in `seq` (exact, uppercase bases).
std::vector<size_t> KmerOccurrences(std::string_view seq, std::string_view kmer);
/// Whether `seq` holds `kmer` on either strand.
bool HoldsKmer(std::string_view seq, std::string_view kmer);
/// Writes `kmer` or its reverse complement (chosen at random) over kmer.size() bases at a
/// uniform random position of `seq`; returns the position. prism::Error when seq is shorter.
size_t PlantKmer(std::string* seq, std::string_view kmer, std::mt19937_64& rng);
/// Overwrites every occurrence of `kmer` (either strand) with random bases, again until none is
/// left; returns the number of occurrences overwritten in the first pass.
int ScrambleKmer(std::string* seq, std::string_view kmer, std::mt19937_64& rng);
/// Overwrites `count` random windows of `k` bases that do not overlap an occurrence of `avoid`
/// (either strand) with random bases (the control of ScrambleKmer); returns how many it found
/// room for (at most 100 tries per window).
int ScrambleRandomWindows(std::string* seq, size_t k, int count, std::string_view avoid,
                          std::mt19937_64& rng);
/// A random k-mer of kmer.size() bases with the same number of G/C as `kmer`, different on
/// both strands from every k-mer in `exclude` and from `kmer` (the matched control).
std::string MatchedControlKmer(std::string_view kmer, const std::vector<std::string>& exclude,
                               std::mt19937_64& rng);

// ---- the record (RUN/shortcut_reliance.json) ---------------------------------------------------

/// Mean and max of a set of score changes (n = how many pairs).
struct EffectStats {
  int64_t n = 0;
  double mean = NAN, max = NAN;
  /// From the changes (empty: n = 0, NaN).
  static EffectStats Of(const std::vector<double>& changes);
};

/// One cell-specific k-mer's intervention.
struct KmerReliance {
  std::string kmer;       ///< as the audit lists it (the smaller strand)
  std::string cell_line;  ///< the training cell line it is confined to
  int rank = 0;           ///< its rank there
  double audit_z = NAN, specificity = NAN;
  std::string control_kmer;  ///< matched control (same length and G/C count)
  EffectStats insert, remove;                  ///< gain when planted; drop when removed
  EffectStats control_insert, control_remove;  ///< the same for the control
  /// insert.mean - control_insert.mean (NaN when either is unmeasured).
  double Excess() const { return insert.mean - control_insert.mean; }
};

/// RUN/shortcut_reliance.json.
struct ShortcutReliance {
  std::string split;       ///< the split whose enhancers were edited ("test")
  std::string checkpoint;  ///< "best"
  std::vector<std::string> cells;  ///< its cell lines
  int kmers_per_cell = 0;  ///< top k-mers per training cell line used
  int64_t max_pairs = 0;   ///< pairs sampled per k-mer and edit, at most
  uint64_t seed = 0;
  std::string kmer_source; ///< where the k-mers came from (the audit of the run's data)
  /// Whose scores were measured - predict's: "network", the ensemble member alone when the
  /// validation gate chose it ("motif_grammar", "xgboost"), or both combined
  /// ("network+motif_grammar"). Empty in records written before it was recorded.
  std::string scorer;
  std::string note;        ///< why nothing was measured ("" when kmers is not empty)
  std::vector<KmerReliance> kmers;
  // Over every k-mer: means of the per-k-mer means, and the largest per-k-mer value.
  double insert_mean = NAN, insert_max = NAN, remove_mean = NAN, remove_max = NAN;
  double control_insert_mean = NAN, control_remove_mean = NAN;
  double excess_mean = NAN, excess_max = NAN;  ///< of KmerReliance::Excess()
  std::string excess_max_kmer, excess_max_cell;

  bool Measured() const { return !kmers.empty(); }
  /// `scorer` in words: "the network's scores", "the motif_grammar member's scores (the gate's
  /// choice)", "the ensemble's scores (network + motif_grammar)"; "" when `scorer` is empty.
  std::string ScorerPhrase() const;
  /// Fills the overall numbers from `kmers`.
  void Summarise();
  Json ToJson() const;
  static ShortcutReliance FromJson(const Json& j, const RecordSource& src);
};

/// Reads RUN/shortcut_reliance.json (InputError naming the file on malformed content).
ShortcutReliance ReadShortcutReliance(const std::string& path);

/// The file name in the run folder.
inline constexpr const char* kShortcutRelianceFile = "shortcut_reliance.json";

}  // namespace prism
