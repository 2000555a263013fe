// train/dataset.cpp - the data in model form: sequence splits, feature tables with their
// standardisation, train.balance weights, subsets.
#include "train/dataset.h"
#include "train/candidate_rank.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <unordered_map>

#include "prism/covariate_balance.h"
#include "prism/domain_kl.h"
#include "prism/error.h"
#include "prism/feature_table.h"
#include "prism/hash.h"
#include "prism/log.h"
#include "prism/run_folder.h"
#include "prism/split.h"
#include "prism/tokenizer.h"

namespace prism::train {

std::vector<std::string> Dataset::CellLines() const {
  std::vector<std::string> v;
  v.reserve(pairs.size());
  for (const auto& p : pairs) v.push_back(p.cell_line);
  return v;
}

std::vector<int> Dataset::Labels() const {
  std::vector<int> v;
  v.reserve(pairs.size());
  for (const auto& p : pairs) v.push_back(p.label);
  return v;
}

std::vector<std::string> Data::CellsOf(const Dataset& d) const {
  std::set<std::string> s;
  for (const auto& p : d.pairs) s.insert(p.cell_line);
  return {s.begin(), s.end()};
}

namespace {

std::vector<std::string> SortedCells(const std::vector<Pair>& pairs) {
  std::set<std::string> s;
  for (const auto& p : pairs) s.insert(p.cell_line);
  return {s.begin(), s.end()};
}

void AssignCells(Dataset* d, const std::vector<std::string>& train_cells) {
  std::unordered_map<std::string, int64_t> index;
  for (size_t i = 0; i < train_cells.size(); ++i) index[train_cells[i]] = static_cast<int64_t>(i);
  d->cell.resize(d->pairs.size());
  for (size_t i = 0; i < d->pairs.size(); ++i) {
    auto it = index.find(d->pairs[i].cell_line);
    d->cell[i] = it == index.end() ? -1 : it->second;
  }
}

Dataset FromSequences(const SequenceSplit& split, const TrainConfig& c) {
  Dataset d;
  d.kind = "sequence";
  d.pairs = split.pairs;
  std::unordered_map<std::string, int32_t> e_index, p_index;
  auto add = [](const std::string& name, const std::unordered_map<std::string, std::string>& seqs,
                size_t max_len, std::unordered_map<std::string, int32_t>* index,
                std::vector<std::vector<int32_t>>* tokens) -> int32_t {
    auto it = index->find(name);
    if (it != index->end()) return it->second;
    auto s = seqs.find(name);
    PRISM_CHECK(s != seqs.end(), "no sequence for element ", name);
    auto tok = Tokenize(CenterCrop(s->second, max_len));
    if (tok.empty()) tok.push_back(kPadToken);  // too short for one k-mer: one PAD position
    int32_t id = static_cast<int32_t>(tokens->size());
    tokens->push_back(std::move(tok));
    (*index)[name] = id;
    return id;
  };
  // GC and A/C/G/T counts of each distinct element, as cropped for the model.
  std::vector<GcCount> e_gc, p_gc;
  auto counts = [](const std::string& seq, size_t max_len) {
    return CountGc(CenterCrop(seq, max_len));
  };
  for (const auto& p : d.pairs) {
    d.e_idx.push_back(add(p.enhancer, split.seqs.enhancers, c.data.max_enhancer, &e_index,
                          &d.e_tokens));
    d.p_idx.push_back(add(p.promoter, split.seqs.promoters, c.data.max_promoter, &p_index,
                          &d.p_tokens));
    if (e_gc.size() < d.e_tokens.size())
      e_gc.push_back(counts(split.seqs.enhancers.at(p.enhancer), c.data.max_enhancer));
    if (p_gc.size() < d.p_tokens.size())
      p_gc.push_back(counts(split.seqs.promoters.at(p.promoter), c.data.max_promoter));
    d.gc.push_back(PairGcFraction(e_gc[d.e_idx.back()], p_gc[d.p_idx.back()]));
    d.gc_enhancer.push_back(e_gc[d.e_idx.back()]);
    d.gc_promoter.push_back(p_gc[d.p_idx.back()]);
  }
  return d;
}

std::string HashFiles(const std::vector<std::string>& files) {
  Hasher h;
  for (const auto& f : files) h.Update(HashFile(f));
  return h.Hex();
}

}  // namespace

namespace {

/// data.test_cells / data.val_cells must name cell lines of the data (`known`).
void CheckCellNames(const TrainConfig& c, const std::set<std::string>& known) {
  auto check = [&](const std::vector<std::string>& names, const char* key) {
    for (const auto& name : names)
      if (!known.count(name)) {
        std::string list;
        for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
        Fatal(key, ": unknown cell line '", name, "' (the data has: ", list, ")");
      }
  };
  check(c.data.test_cells, "data.test_cells");
  check(c.data.val_cells, "data.val_cells");
}

Data LoadSequenceData(const TrainConfig& c, const std::string& data_dir, bool training) {
  Data out;
  std::string dir = data_dir.empty() ? c.data.dir : data_dir;
  if (dir.empty()) Fatal("no data: set data.dir in the config or pass --data DIR");
  DomainKlData raw = ReadDomainKl(dir);
  out.path = std::filesystem::absolute(dir).lexically_normal().string();  // run.json data.path
  std::vector<std::string> files;
  for (const char* split : {"train", "val", "test"})
    for (const char* f : {kPairsFile, kEnhancerSeqFile, kPromoterSeqFile}) {
      auto p = dir + "/" + split + "/ALL/" + f;
      if (std::filesystem::exists(p)) files.push_back(p);
    }
  out.hash = HashFiles(files);
  if (!c.data.val_cells.empty()) HoldOutValCells(c.data.val_cells, &raw);
  // Model selection (early stopping, threshold, the ensemble's gate) then scores what transfers,
  // not a validation cell line's own shortcut.
  out.shortcut_mask = ApplyShortcutMasks(c, &raw, training);
  out.train = FromSequences(raw.train, c);
  out.test = FromSequences(raw.test, c);
  out.has_val = raw.has_val && !raw.val.pairs.empty();
  if (out.has_val) out.val = FromSequences(raw.val, c);
  return out;
}

/// Replaces every column of the rows `to` of the n x f matrix `x` by its place in that column's
/// distribution over the rows `from`: the mid-rank share (#{from < v} + #{from <= v}) / (2 m),
/// which on the rows `from` themselves is (r - 0.5) / m for the mean rank r of v's tie group;
/// scaled to a uniform of mean 0 and variance 1 (- 0.5, times sqrt(12)). A value outside the
/// range of `from` maps to the end of the scale. Labels are never used.
void RankColumns(const std::vector<size_t>& from, const std::vector<size_t>& to, size_t f,
                 std::vector<float>* x_) {
  std::vector<float>& x = *x_;
  const size_t m = from.size();
  if (m == 0) return;
  std::vector<float> col(m);
  for (size_t j = 0; j < f; ++j) {
    for (size_t k = 0; k < m; ++k) col[k] = x[from[k] * f + j];
    std::sort(col.begin(), col.end());  // a copy: writing `to` below leaves it as it was
    for (size_t i : to) {
      const float v = x[i * f + j];
      const size_t below = std::lower_bound(col.begin(), col.end(), v) - col.begin();
      const size_t upto = std::upper_bound(col.begin(), col.end(), v) - col.begin();
      x[i * f + j] = static_cast<float>((0.5 * (below + upto) / m - 0.5) * std::sqrt(12.0));
    }
  }
}

/// data.normalize: standardises the n x f matrix `x` in place, per cell line ("cell"), with the
/// training cell lines' scale ("train"), by rank within each cell line ("cell_rank"), by rank
/// among the training cell lines' rows ("train_rank") or not at all ("none"). Labels are never
/// used.
void StandardiseFeatures(const TrainConfig& c, const std::string& mode,
                         const std::vector<Pair>& pairs, size_t f, std::vector<float>* x_) {
  std::vector<float>& x = *x_;
  const size_t n = pairs.size();
  const std::set<std::string> test(c.data.test_cells.begin(), c.data.test_cells.end());
  const std::set<std::string> val(c.data.val_cells.begin(), c.data.val_cells.end());
  std::map<std::string, std::vector<size_t>> rows_of;
  for (size_t i = 0; i < n; ++i) rows_of[pairs[i].cell_line].push_back(i);
  // Mean and standard deviation of every column over `from`, applied to the rows `to`.
  auto standardise = [&](const std::vector<size_t>& from, const std::vector<size_t>& to) {
    for (size_t j = 0; j < f; ++j) {
      double s = 0, s2 = 0;
      for (size_t r : from) s += x[r * f + j];
      double mean = s / std::max<size_t>(1, from.size());
      for (size_t r : from) s2 += (x[r * f + j] - mean) * (x[r * f + j] - mean);
      double sd = std::sqrt(s2 / std::max<size_t>(1, from.size()));
      for (size_t r : to)
        x[r * f + j] = sd > 1e-8 ? static_cast<float>((x[r * f + j] - mean) / sd) : 0.0f;
    }
  };
  if (mode == "cell") {
    // Each cell line from its own rows: works for an unseen cell line, removes its offsets.
    for (const auto& [cell, rows] : rows_of) standardise(rows, rows);
  } else if (mode == "train" || mode == "train_rank") {
    // One scale for every cell line, from the training cell lines' rows only.
    std::vector<size_t> train_rows, all(n);
    for (size_t i = 0; i < n; ++i) {
      all[i] = i;
      const auto& cell = pairs[i].cell_line;
      if (!test.count(cell) && !val.count(cell)) train_rows.push_back(i);
    }
    if (train_rows.empty()) return;
    if (mode == "train") standardise(train_rows, all);
    else RankColumns(train_rows, all, f, x_);  // the order trees see, on a bounded scale
  } else if (mode == "cell_rank") {
    // Each cell line's own distribution (its unlabeled pairs) mapped to one common scale.
    for (const auto& [cell, rows] : rows_of) RankColumns(rows, rows, f, x_);
  } else {
    PRISM_CHECK(mode == "none", "unknown data.normalize '", mode, "'");
  }
}

/// data.normalize over the n x f matrix `x`; "train+cell_rank" puts the "train" and the
/// "cell_rank" version of every column side by side (2f columns). Returns the column count.
size_t NormalizeFeatures(const TrainConfig& c, const std::vector<Pair>& pairs, size_t f,
                         std::vector<float>* x) {
  if (c.data.normalize != "train+cell_rank") {
    StandardiseFeatures(c, c.data.normalize, pairs, f, x);
    return f;
  }
  std::vector<float> ranked = *x;
  StandardiseFeatures(c, "train", pairs, f, x);
  StandardiseFeatures(c, "cell_rank", pairs, f, &ranked);
  const size_t n = pairs.size();
  std::vector<float> both(n * 2 * f);
  for (size_t i = 0; i < n; ++i) {
    std::copy(x->begin() + i * f, x->begin() + (i + 1) * f, both.begin() + i * 2 * f);
    std::copy(ranked.begin() + i * f, ranked.begin() + (i + 1) * f, both.begin() + i * 2 * f + f);
  }
  *x = std::move(both);
  return 2 * f;
}

Data LoadFeatureData(const TrainConfig& c) {
  Data out;
  if (c.data.files.empty()) Fatal("data.kind = \"features\" needs data.files");
  FeatureTable t = ReadFeatureTables(c.data.files);
  out.path = c.data.files.front();
  out.hash = HashFiles(c.data.files);
  const size_t n = t.pairs.size(), f0 = t.num_features();
  const size_t f_dist = f0 + (c.data.distance_feature ? 1 : 0);
  const size_t f_in = f_dist + (c.data.candidate_rank ? 2 : 0);
  auto log_distance = [](double dist) {
    return std::isfinite(dist) ? static_cast<float>(std::log10(1 + std::abs(dist))) : 0.0f;
  };
  // Encoder input: log1p of every signal (and log10(1+|distance|) as one more column with
  // data.distance_feature, and the two columns of train/candidate_rank.h with
  // data.candidate_rank), then standardised per data.normalize (labels are never used).
  std::vector<float> x(n * f_in);
  std::vector<float> ranks;
  if (c.data.candidate_rank) ranks = CandidateRankColumns(t.pairs);
  for (size_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < f0; ++j)
      x[i * f_in + j] = std::log1p(std::max(0.0f, t.features[i * f0 + j]));
    if (c.data.distance_feature) x[i * f_in + f0] = log_distance(t.pairs[i].distance);
    if (c.data.candidate_rank)
      for (size_t j = 0; j < 2; ++j) x[i * f_in + f_dist + j] = ranks[i * 2 + j];
  }
  const size_t f = NormalizeFeatures(c, t.pairs, f_in, &x);
  std::set<std::string> known;
  for (const auto& p : t.pairs) known.insert(p.cell_line);
  CheckCellNames(c, known);
  const std::set<std::string> test(c.data.test_cells.begin(), c.data.test_cells.end());
  const std::set<std::string> val(c.data.val_cells.begin(), c.data.val_cells.end());
  for (Dataset* d : {&out.train, &out.val, &out.test}) {
    d->kind = "features";
    d->num_features = static_cast<int64_t>(f);
  }
  for (size_t i = 0; i < n; ++i) {
    const auto& cell = t.pairs[i].cell_line;
    Dataset* d = test.count(cell) ? &out.test : val.count(cell) ? &out.val : &out.train;
    d->pairs.push_back(t.pairs[i]);
    d->features.insert(d->features.end(), x.begin() + i * f, x.begin() + (i + 1) * f);
    d->distance.push_back(log_distance(t.pairs[i].distance));
  }
  if (out.train.pairs.empty()) Fatal("no training pairs left after removing test/val cells");
  out.has_val = !out.val.pairs.empty();
  return out;
}

}  // namespace

Data LoadData(const TrainConfig& c, const std::string& data_dir,
              const std::vector<std::string>& fixed_train_cells, bool training) {
  Data out = c.data.kind == "sequence" ? LoadSequenceData(c, data_dir, training)
                                       : LoadFeatureData(c);
  RequireBothClasses(out.train.pairs, "training split of " + out.path);
  out.train_cells = fixed_train_cells.empty() ? SortedCells(out.train.pairs) : fixed_train_cells;
  for (Dataset* d : {&out.train, &out.val, &out.test}) AssignCells(d, out.train_cells);
  return out;
}

DataRecord Data::Record() const {
  DataRecord r;
  r.kind = train.kind;
  r.path = path;
  r.hash = hash;
  r.train_pairs = static_cast<int64_t>(train.size());
  r.val_pairs = has_val ? static_cast<int64_t>(val.size()) : 0;
  r.test_pairs = static_cast<int64_t>(test.size());
  r.train_cells = train_cells;
  r.val_cells = has_val ? CellsOf(val) : std::vector<std::string>{};
  r.test_cells = CellsOf(test);
  r.val_shared_cells = SharedCellLines(r.val_cells, CellsOf(train));
  return r;
}

std::optional<BalanceRecord> BalanceTrainingSet(const TrainConfig& c, Dataset* train) {
  if (c.train.balance == "none") return std::nullopt;
  const bool elements = c.train.balance == "gc_elements";
  PRISM_CHECK(c.train.balance == "gc" || elements, "unknown train.balance '", c.train.balance, "'");
  PRISM_CHECK(train->gc.size() == train->size(), "train.balance = \"", c.train.balance,
              "\" needs sequence data");
  BalanceOptions bo;
  bo.bins = static_cast<int>(c.train.balance_bins);
  bo.max_weight = c.train.balance_max_weight;
  bo.trim_unmatched = c.train.balance_trim;
  std::vector<BalanceSummary> summary;
  // gc: the pair's GC fraction; gc_elements: the propensity of the label given the enhancer's
  // and the promoter's G/C and A/C/G/T counts, per cell line. Counts, not fractions: with a
  // background of independent bases the evidence of a GC shift grows with the length (the
  // log-likelihood ratio is linear in the counts), so a long element's GC says more.
  std::vector<double> covariate = train->gc;
  if (elements) {
    std::vector<std::vector<double>> counts(4);
    for (size_t i = 0; i < train->size(); ++i) {
      const GcCount &e = train->gc_enhancer[i], &p = train->gc_promoter[i];
      for (auto [k, v] : {std::pair{0, e.gc}, {1, e.acgt}, {2, p.gc}, {3, p.acgt}})
        counts[k].push_back(static_cast<double>(v));
    }
    covariate = PropensityScores(train->Labels(), train->CellLines(), counts);
  }
  auto w = BalanceWeights(train->Labels(), train->CellLines(), covariate, bo, &summary);
  train->weight.assign(w.begin(), w.end());
  BalanceRecord rec;
  rec.covariate = c.train.balance;
  rec.bins = bo.bins;
  rec.max_weight = bo.max_weight;
  for (const auto& s : summary)
    rec.per_cell.push_back({s.cell_line, static_cast<int64_t>(s.n), s.corr_before, s.corr_after,
                            s.effective_n, static_cast<int64_t>(s.trimmed)});
  return rec;
}

std::optional<BalanceRecord> BalanceValidationSet(const TrainConfig& c, Data* data) {
  if (!c.train.select_balanced || !data->has_val || data->val.gc.size() != data->val.size())
    return std::nullopt;
  return BalanceTrainingSet(c, &data->val);
}

double SelectionAupr(const Dataset& val, const std::vector<double>& score) {
  if (val.weight.empty()) return metric::AveragePrecision(val.Labels(), score);
  return metric::WeightedAveragePrecision(val.Labels(), score,
                                          {val.weight.begin(), val.weight.end()});
}

double PositiveRate(const Dataset& d) {
  if (d.size() == 0) return NAN;
  double pos = 0;
  for (const auto& p : d.pairs) pos += p.label;
  return pos / static_cast<double>(d.size());
}

std::vector<size_t> EvenSubset(size_t n, size_t max_n) {
  std::vector<size_t> idx;
  if (n <= max_n) {
    for (size_t i = 0; i < n; ++i) idx.push_back(i);
    return idx;
  }
  for (size_t i = 0; i < max_n; ++i) idx.push_back(i * n / max_n);
  return idx;
}

Dataset Subset(const Dataset& d, const std::vector<size_t>& idx) {
  Dataset s;
  s.kind = d.kind;
  s.num_features = d.num_features;
  s.e_tokens = d.e_tokens;
  s.p_tokens = d.p_tokens;
  for (size_t i : idx) {
    s.pairs.push_back(d.pairs[i]);
    s.cell.push_back(d.cell[i]);
    if (!d.gc.empty()) s.gc.push_back(d.gc[i]);
    if (!d.gc_enhancer.empty()) s.gc_enhancer.push_back(d.gc_enhancer[i]);
    if (!d.gc_promoter.empty()) s.gc_promoter.push_back(d.gc_promoter[i]);
    if (!d.weight.empty()) s.weight.push_back(d.weight[i]);
    if (d.kind == "sequence") {
      s.e_idx.push_back(d.e_idx[i]);
      s.p_idx.push_back(d.p_idx[i]);
    } else {
      s.features.insert(s.features.end(), d.features.begin() + i * d.num_features,
                        d.features.begin() + (i + 1) * d.num_features);
      s.distance.push_back(d.distance[i]);
    }
  }
  return s;
}

}  // namespace prism::train
