// prism/split.h - train/val/test splits of a pair list: given, leave-cell-lines-out, and
// held-out chromosomes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "prism/pairs.h"

namespace prism {

/// Row indices of the three parts of a split (each sorted ascending; disjoint).
struct SplitIndices {
  std::vector<size_t> train, val, test;
};

/// How to split. Cells and chromosomes may not be combined.
struct SplitSpec {
  std::vector<std::string> test_cells;   ///< leave-cell-lines-out: these cells are the test set
  std::vector<std::string> val_cells;    ///< optional: these cells are the validation set
  std::vector<std::string> test_chroms;  ///< held-out chromosomes: these form the test set
  std::vector<std::string> val_chroms;   ///< optional: these chromosomes form the validation set
  /// True when neither cells nor chromosomes are given (the data's own split is used).
  bool given() const {
    return test_cells.empty() && val_cells.empty() && test_chroms.empty() && val_chroms.empty();
  }
};

/// Splits "A,B,C" on commas (spaces trimmed, empty items dropped).
std::vector<std::string> ParseNameList(const std::string& text);

/// Builds a SplitSpec from comma-separated lists (as given on the command line); throws
/// prism::Error when cells and chromosomes are mixed, a val list comes without a test list, or a
/// name appears in both test and val.
SplitSpec MakeSplitSpec(const std::string& test_cells, const std::string& val_cells,
                        const std::string& test_chroms, const std::string& val_chroms);

/// Leave-cell-lines-out: pairs of `test_cells` -> test, of `val_cells` -> val, the rest -> train.
/// Unknown cell names (listing the known ones), overlap between the lists, or an empty train or
/// test part are errors.
SplitIndices SplitByCells(const std::vector<Pair>& pairs, const std::vector<std::string>& test_cells,
                          const std::vector<std::string>& val_cells = {});

/// Held-out chromosomes: pairs on `test_chroms` -> test, on `val_chroms` -> val, rest -> train.
/// A pair without a chromosome is an error, as are unknown names and empty train/test parts.
SplitIndices SplitByChroms(const std::vector<Pair>& pairs,
                           const std::vector<std::string>& test_chroms,
                           const std::vector<std::string>& val_chroms = {});

/// Dispatches on the spec (cells or chromosomes); throws if spec.given().
SplitIndices MakeSplit(const std::vector<Pair>& pairs, const SplitSpec& spec);

/// Indices of the given split of a domain-kl dataset, over the concatenation
/// train ++ val ++ test (as returned by ConcatSplits).
SplitIndices GivenSplit(const DomainKlData& data);

/// All pairs of a dataset in one list (train, then val, then test) with the union of the
/// sequences. A name bound to different sequences in two splits is an error.
SequenceSplit ConcatSplits(const DomainKlData& data);

/// Builds a domain-kl dataset from one pair list and a split; each part keeps only the
/// sequences its pairs refer to. has_val = !split.val.empty().
DomainKlData ApplySplit(const SequenceSplit& all, const SplitIndices& split);

/// Throws prism::Error when `pairs` (a training split, named by `what`) are empty or all of one
/// class: a classifier needs positives and negatives to learn from.
void RequireBothClasses(const std::vector<Pair>& pairs, const std::string& what);

/// data.val_cells with a domain-kl dataset: the named cell lines' pairs leave the train split
/// and the folder's val split and become the validation split (has_val = true); the folder's
/// other val pairs (a random share of the training cell lines in the domain-kl layout) are not
/// used. A name that is not a cell line of train/ or val/, or no training pair left, is a
/// prism::Error starting "data.val_cells: ". Logs how many pairs moved. The training run and the
/// baselines (prism/baseline.h) split the same way through this function.
void HoldOutValCells(const std::vector<std::string>& val_cells, DomainKlData* data);

/// The dataset under `spec`: `data` unchanged when spec.given(), otherwise all its pairs
/// (ConcatSplits) re-split by cells or chromosomes (MakeSplit + ApplySplit).
DomainKlData Resplit(const DomainKlData& data, const SplitSpec& spec);

}  // namespace prism
