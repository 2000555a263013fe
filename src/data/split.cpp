#include "prism/split.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_set>

#include "prism/error.h"
#include "prism/log.h"

namespace prism {
namespace {

std::string JoinNames(const std::set<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Assigns pairs by a key (cell line or chromosome) to test/val/train.
SplitIndices SplitByKey(const std::vector<Pair>& pairs, const std::vector<std::string>& test,
                        const std::vector<std::string>& val, const char* what,
                        std::string Pair::*key) {
  if (test.empty()) Fatal("split: no test ", what, "s given");
  std::set<std::string> known;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const std::string& k = pairs[i].*key;
    if (k.empty()) Fatal("split: pair ", i + 1, " (", pairs[i].enhancer, ", ", pairs[i].promoter,
                         ") has no ", what, "; cannot split by ", what);
    known.insert(k);
  }
  std::unordered_set<std::string> test_set, val_set;
  for (const auto& name : test) {
    if (!known.count(name))
      Fatal("split: unknown test ", what, " '", name, "' (known: ", JoinNames(known), ")");
    test_set.insert(name);
  }
  for (const auto& name : val) {
    if (!known.count(name))
      Fatal("split: unknown validation ", what, " '", name, "' (known: ", JoinNames(known), ")");
    if (test_set.count(name))
      Fatal("split: ", what, " '", name, "' is in both the test and the validation list");
    val_set.insert(name);
  }
  SplitIndices s;
  for (size_t i = 0; i < pairs.size(); ++i) {
    const std::string& k = pairs[i].*key;
    if (test_set.count(k))
      s.test.push_back(i);
    else if (val_set.count(k))
      s.val.push_back(i);
    else
      s.train.push_back(i);
  }
  if (s.train.empty())
    Fatal("split: no training pairs left: every ", what, " (", JoinNames(known),
          ") is held out");
  return s;
}

}  // namespace

std::vector<std::string> ParseNameList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string item = text.substr(start, comma - start);
    size_t a = item.find_first_not_of(" \t");
    size_t b = item.find_last_not_of(" \t");
    if (a != std::string::npos) out.push_back(item.substr(a, b - a + 1));
    start = comma + 1;
  }
  return out;
}

SplitSpec MakeSplitSpec(const std::string& test_cells, const std::string& val_cells,
                        const std::string& test_chroms, const std::string& val_chroms) {
  SplitSpec spec;
  spec.test_cells = ParseNameList(test_cells);
  spec.val_cells = ParseNameList(val_cells);
  spec.test_chroms = ParseNameList(test_chroms);
  spec.val_chroms = ParseNameList(val_chroms);
  const bool cells = !spec.test_cells.empty() || !spec.val_cells.empty();
  const bool chroms = !spec.test_chroms.empty() || !spec.val_chroms.empty();
  if (cells && chroms)
    Fatal("split: give either test/validation cell lines or test/validation chromosomes, not both");
  if (!spec.val_cells.empty() && spec.test_cells.empty())
    Fatal("split: validation cell lines given without test cell lines (--test-cells)");
  if (!spec.val_chroms.empty() && spec.test_chroms.empty())
    Fatal("split: validation chromosomes given without test chromosomes (--test-chroms)");
  for (const auto& [a, b, what] :
       {std::make_tuple(&spec.test_cells, &spec.val_cells, "cell line"),
        std::make_tuple(&spec.test_chroms, &spec.val_chroms, "chromosome")})
    for (const auto& n : *a)
      if (std::find(b->begin(), b->end(), n) != b->end())
        Fatal("split: ", what, " '", n, "' is in both the test and the validation list");
  return spec;
}

SplitIndices SplitByCells(const std::vector<Pair>& pairs, const std::vector<std::string>& test_cells,
                          const std::vector<std::string>& val_cells) {
  return SplitByKey(pairs, test_cells, val_cells, "cell line", &Pair::cell_line);
}

SplitIndices SplitByChroms(const std::vector<Pair>& pairs,
                           const std::vector<std::string>& test_chroms,
                           const std::vector<std::string>& val_chroms) {
  return SplitByKey(pairs, test_chroms, val_chroms, "chromosome", &Pair::chrom);
}

SplitIndices MakeSplit(const std::vector<Pair>& pairs, const SplitSpec& spec) {
  if (!spec.test_cells.empty()) return SplitByCells(pairs, spec.test_cells, spec.val_cells);
  if (!spec.test_chroms.empty()) return SplitByChroms(pairs, spec.test_chroms, spec.val_chroms);
  Fatal("split: no test cell lines or chromosomes given");
}

SplitIndices GivenSplit(const DomainKlData& data) {
  SplitIndices s;
  size_t i = 0;
  for (size_t k = 0; k < data.train.pairs.size(); ++k) s.train.push_back(i++);
  if (data.has_val)
    for (size_t k = 0; k < data.val.pairs.size(); ++k) s.val.push_back(i++);
  for (size_t k = 0; k < data.test.pairs.size(); ++k) s.test.push_back(i++);
  return s;
}

SequenceSplit ConcatSplits(const DomainKlData& data) {
  SequenceSplit all;
  auto merge = [](const std::unordered_map<std::string, std::string>& from,
                  std::unordered_map<std::string, std::string>* to, const char* side) {
    for (const auto& [name, seq] : from) {
      auto [it, inserted] = to->emplace(name, seq);
      if (!inserted && it->second != seq)
        Fatal(side, " '", name, "' has different sequences in different splits");
    }
  };
  std::vector<const SequenceSplit*> parts = {&data.train};
  if (data.has_val) parts.push_back(&data.val);
  parts.push_back(&data.test);
  for (const SequenceSplit* part : parts) {
    all.pairs.insert(all.pairs.end(), part->pairs.begin(), part->pairs.end());
    merge(part->seqs.enhancers, &all.seqs.enhancers, "enhancer");
    merge(part->seqs.promoters, &all.seqs.promoters, "promoter");
  }
  return all;
}

DomainKlData ApplySplit(const SequenceSplit& all, const SplitIndices& split) {
  auto take = [&](const std::vector<size_t>& idx) {
    SequenceSplit out;
    out.pairs.reserve(idx.size());
    for (size_t i : idx) {
      PRISM_CHECK_LT(i, all.pairs.size());
      const Pair& p = all.pairs[i];
      out.pairs.push_back(p);
      auto e = all.seqs.enhancers.find(p.enhancer);
      auto q = all.seqs.promoters.find(p.promoter);
      if (e == all.seqs.enhancers.end()) Fatal("enhancer '", p.enhancer, "' has no sequence");
      if (q == all.seqs.promoters.end()) Fatal("promoter '", p.promoter, "' has no sequence");
      out.seqs.enhancers.emplace(e->first, e->second);
      out.seqs.promoters.emplace(q->first, q->second);
    }
    return out;
  };
  DomainKlData d;
  d.train = take(split.train);
  d.val = take(split.val);
  d.test = take(split.test);
  d.has_val = !split.val.empty();
  return d;
}

void RequireBothClasses(const std::vector<Pair>& pairs, const std::string& what) {
  size_t pos = 0;
  for (const Pair& p : pairs) pos += p.label != 0;
  if (pairs.empty()) Fatal(what, ": no pairs to train on");
  if (pos == 0 || pos == pairs.size())
    Fatal(what, ": all ", pairs.size(), " pairs are ", pos ? "positive" : "negative",
          "; training needs both classes (see `prism audit`)");
}

DomainKlData Resplit(const DomainKlData& data, const SplitSpec& spec) {
  if (spec.given()) return data;
  SequenceSplit all = ConcatSplits(data);
  return ApplySplit(all, MakeSplit(all.pairs, spec));
}

void HoldOutValCells(const std::vector<std::string>& val_cells, DomainKlData* raw) {
  std::set<std::string> known;
  for (const auto& p : raw->train.pairs) known.insert(p.cell_line);
  if (raw->has_val)
    for (const auto& p : raw->val.pairs) known.insert(p.cell_line);
  for (const auto& name : val_cells)
    if (!known.count(name)) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      Fatal("data.val_cells: unknown cell line '", name, "' (the data has: ", list, ")");
    }
  const std::set<std::string> named(val_cells.begin(), val_cells.end());
  SequenceSplit val;
  size_t dropped = 0;
  auto take = [&](const SequenceSplit& from, std::vector<Pair>* keep) {
    for (const auto& p : from.pairs) {
      if (!named.count(p.cell_line)) {
        if (keep) keep->push_back(p);
        else ++dropped;
        continue;
      }
      val.pairs.push_back(p);
      val.seqs.enhancers.emplace(p.enhancer, from.seqs.enhancers.at(p.enhancer));
      val.seqs.promoters.emplace(p.promoter, from.seqs.promoters.at(p.promoter));
    }
  };
  std::vector<Pair> train;
  take(raw->train, &train);
  const size_t from_train = val.pairs.size();
  if (raw->has_val) take(raw->val, nullptr);
  if (train.empty()) Fatal("data.val_cells: no training pairs left after removing the val cells");
  Log::Info("data.val_cells: validation on " + std::to_string(val.pairs.size()) + " pairs (" +
            std::to_string(from_train) + " from train, " +
            std::to_string(val.pairs.size() - from_train) + " from the val folder); " +
            std::to_string(dropped) + " other pairs of the val folder are not used");
  raw->train.pairs = std::move(train);
  raw->val = std::move(val);
  raw->has_val = true;
}

}  // namespace prism
