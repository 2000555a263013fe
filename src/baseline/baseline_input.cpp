// The baselines' input: domain-kl sequences or a split feature table (see prism/baseline.h).
#include "prism/baseline.h"

#include "prism/error.h"
#include "prism/feature_table.h"

namespace prism::baseline {

std::string InputKindName(InputKind kind) {
  return kind == InputKind::kSequence ? "sequence" : "features";
}

std::vector<int> BaselinePart::Labels() const {
  std::vector<int> y(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) y[i] = pairs[i].label;
  return y;
}

std::vector<std::string> BaselinePart::CellLines() const {
  std::vector<std::string> c(pairs.size());
  for (size_t i = 0; i < pairs.size(); ++i) c[i] = pairs[i].cell_line;
  return c;
}

const BaselinePart& BaselineInput::Part(const std::string& split) const {
  if (split == "train") return train;
  if (split == "test") return test;
  if (split == "val") {
    if (!has_val)
      Fatal("baselines: split 'val' was asked for, but the data has no validation split");
    return val;
  }
  Fatal("baselines: unknown split '", split, "' (expected train, val or test)");
}

BaselineInput FromDomainKl(const DomainKlData& data) {
  BaselineInput in;
  in.kind = InputKind::kSequence;
  auto part = [](const SequenceSplit& s) {
    BaselinePart p;
    p.pairs = s.pairs;
    p.seqs = s.seqs;
    return p;
  };
  in.train = part(data.train);
  in.test = part(data.test);
  in.has_val = data.has_val && !data.val.pairs.empty();
  if (in.has_val) in.val = part(data.val);
  return in;
}

BaselineInput FromFeatureTable(const FeatureTable& table, const SplitIndices& split) {
  BaselineInput in;
  in.kind = InputKind::kFeatures;
  auto part = [&](const std::vector<size_t>& rows) {
    FeatureTable t = SelectRows(table, rows);
    BaselinePart p;
    p.pairs = std::move(t.pairs);
    p.features = std::move(t.features);
    p.feature_names = std::move(t.feature_names);
    return p;
  };
  in.train = part(split.train);
  in.test = part(split.test);
  in.has_val = !split.val.empty();
  if (in.has_val) in.val = part(split.val);
  return in;
}

}  // namespace prism::baseline
