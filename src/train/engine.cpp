// train/engine.cpp - data in model form, collation, context-aware scoring, checkpoint reading.
#include "train/engine.h"


#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>
#include <thread>
#include <unordered_map>

#include "prism/covariate_balance.h"
#include "prism/domain_kl.h"
#include "prism/error.h"
#include "prism/feature_table.h"
#include "prism/hash.h"
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
  }
  return d;
}

std::string HashFiles(const std::vector<std::string>& files) {
  Hasher h;
  for (const auto& f : files) h.Update(HashFile(f));
  return h.Hex();
}

}  // namespace

Data LoadData(const TrainConfig& c, const std::string& data_dir,
              const std::vector<std::string>& fixed_train_cells) {
  Data out;
  if (c.data.kind == "sequence") {
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
    out.train = FromSequences(raw.train, c);
    out.test = FromSequences(raw.test, c);
    out.has_val = raw.has_val && !raw.val.pairs.empty();
    if (out.has_val) out.val = FromSequences(raw.val, c);
  } else {
    if (c.data.files.empty()) Fatal("data.kind = \"features\" needs data.files");
    FeatureTable t = ReadFeatureTables(c.data.files);
    out.path = c.data.files.front();
    out.hash = HashFiles(c.data.files);
    const size_t n = t.pairs.size(), f0 = t.num_features();
    const size_t f = f0 + (c.data.distance_feature ? 1 : 0);
    auto log_distance = [](double dist) {
      return std::isfinite(dist) ? static_cast<float>(std::log10(1 + std::abs(dist))) : 0.0f;
    };
    // Encoder input: log1p of every signal (and log10(1+|distance|) as one more column with
    // data.distance_feature), then standardised per data.normalize (labels are never used).
    std::vector<float> x(n * f);
    for (size_t i = 0; i < n; ++i) {
      for (size_t j = 0; j < f0; ++j)
        x[i * f + j] = std::log1p(std::max(0.0f, t.features[i * f0 + j]));
      if (c.data.distance_feature) x[i * f + f0] = log_distance(t.pairs[i].distance);
    }
    const std::set<std::string> test(c.data.test_cells.begin(), c.data.test_cells.end());
    const std::set<std::string> val(c.data.val_cells.begin(), c.data.val_cells.end());
    std::map<std::string, std::vector<size_t>> rows_of;
    for (size_t i = 0; i < n; ++i) rows_of[t.pairs[i].cell_line].push_back(i);
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
    if (c.data.normalize == "cell") {
      // Each cell line from its own rows: works for an unseen cell line, removes its offsets.
      for (const auto& [cell, rows] : rows_of) standardise(rows, rows);
    } else if (c.data.normalize == "train") {
      // One scale for every cell line, from the training cell lines' rows only.
      std::vector<size_t> train_rows, all(n);
      for (size_t i = 0; i < n; ++i) {
        all[i] = i;
        const auto& cell = t.pairs[i].cell_line;
        if (!test.count(cell) && !val.count(cell)) train_rows.push_back(i);
      }
      if (!train_rows.empty()) standardise(train_rows, all);
    } else {
      PRISM_CHECK(c.data.normalize == "none", "unknown data.normalize '", c.data.normalize, "'");
    }
    std::set<std::string> known;
    for (const auto& [cell, rows] : rows_of) known.insert(cell);
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
  }
  RequireBothClasses(out.train.pairs, "training split of " + out.path);
  out.train_cells = fixed_train_cells.empty() ? SortedCells(out.train.pairs) : fixed_train_cells;
  for (Dataset* d : {&out.train, &out.val, &out.test}) AssignCells(d, out.train_cells);
  return out;
}

Json BalanceTrainingSet(const TrainConfig& c, Dataset* train) {
  if (c.train.balance == "none") return Json();
  PRISM_CHECK(c.train.balance == "gc", "unknown train.balance '", c.train.balance, "'");
  PRISM_CHECK(train->gc.size() == train->size(), "train.balance = \"gc\" needs sequence data");
  std::vector<int> label;
  label.reserve(train->size());
  for (const auto& p : train->pairs) label.push_back(p.label);
  BalanceOptions bo;
  bo.bins = static_cast<int>(c.train.balance_bins);
  bo.max_weight = c.train.balance_max_weight;
  std::vector<BalanceSummary> summary;
  auto w = BalanceWeights(label, train->CellLines(), train->gc, bo, &summary);
  train->weight.assign(w.begin(), w.end());
  Json rows = Json::array();
  for (const auto& s : summary)
    rows.push_back({{"cell_line", s.cell_line},
                    {"n", s.n},
                    {"corr_before", JsonNumber(s.corr_before)},
                    {"corr_after", JsonNumber(s.corr_after)},
                    {"effective_n", JsonNumber(s.effective_n)}});
  return {{"covariate", "gc"}, {"bins", bo.bins}, {"max_weight", bo.max_weight},
          {"per_cell", rows}};
}

model::Batch Collate(const Dataset& d, const std::vector<size_t>& idx) {
  model::Batch b;
  const int64_t n = static_cast<int64_t>(idx.size());
  std::vector<float> label(n);
  std::vector<int64_t> cell(n), group(n), group_cell;
  std::unordered_map<std::string, int64_t> gid;
  for (int64_t i = 0; i < n; ++i) {
    const auto& p = d.pairs[idx[i]];
    label[i] = static_cast<float>(p.label);
    cell[i] = d.cell[idx[i]];
    auto it = gid.find(p.cell_line);
    if (it == gid.end()) {
      it = gid.emplace(p.cell_line, static_cast<int64_t>(group_cell.size())).first;
      group_cell.push_back(cell[i]);
    }
    group[i] = it->second;
  }
  b.label = torch::tensor(label);
  b.cell = torch::tensor(cell, torch::kLong);
  b.group = torch::tensor(group, torch::kLong);
  b.group_cell = torch::tensor(group_cell, torch::kLong);
  b.num_groups = static_cast<int64_t>(group_cell.size());
  if (!d.weight.empty()) {
    std::vector<float> w(n);
    for (int64_t i = 0; i < n; ++i) w[i] = d.weight[idx[i]];
    b.weight = torch::tensor(w);
  }
  if (d.kind == "sequence") {
    auto pack = [&](const std::vector<std::vector<int32_t>>& tokens,
                    const std::vector<int32_t>& which, torch::Tensor* out, torch::Tensor* len) {
      size_t width = 1;
      for (size_t i : idx) width = std::max(width, tokens[which[i]].size());
      auto t = torch::zeros({n, static_cast<int64_t>(width)}, torch::kLong);
      auto l = torch::empty({n}, torch::kLong);
      auto* tp = t.data_ptr<int64_t>();
      auto* lp = l.data_ptr<int64_t>();
      for (int64_t i = 0; i < n; ++i) {
        const auto& tok = tokens[which[idx[i]]];
        std::copy(tok.begin(), tok.end(), tp + i * width);
        lp[i] = static_cast<int64_t>(tok.size());
      }
      *out = t;
      *len = l;
    };
    pack(d.e_tokens, d.e_idx, &b.e_tokens, &b.e_len);
    pack(d.p_tokens, d.p_idx, &b.p_tokens, &b.p_len);
  } else {
    const int64_t f = d.num_features;
    auto x = torch::empty({n, f});
    auto dist = torch::empty({n});
    for (int64_t i = 0; i < n; ++i) {
      std::copy(d.features.begin() + idx[i] * f, d.features.begin() + (idx[i] + 1) * f,
                x.data_ptr<float>() + i * f);
      dist.data_ptr<float>()[i] = d.distance[idx[i]];
    }
    b.features = x;
    b.distance = dist;
  }
  return b;
}

double PositiveRate(const Dataset& d) {
  if (d.size() == 0) return NAN;
  double pos = 0;
  for (const auto& p : d.pairs) pos += p.label;
  return pos / static_cast<double>(d.size());
}

Scores Score(model::PrismNet& net, const Dataset& d, int64_t batch_size, bool prototype,
             bool context_free, bool keep_z, double prior) {
  torch::NoGradGuard ng;
  const bool was_training = net->is_training();
  net->eval();
  Scores s;
  const size_t n = d.size();
  s.prob.assign(n, 0);
  s.u_i.assign(n, 0);
  s.r_e.assign(n, 0);
  std::map<std::string, std::vector<size_t>> by_cell;
  for (size_t i = 0; i < n; ++i) by_cell[d.pairs[i].cell_line].push_back(i);
  const int64_t k = net->prototypes->num_cells;
  std::vector<torch::Tensor> zi_all, ze_all, disc_all;
  std::vector<size_t> order;
  for (const auto& [cell, rows] : by_cell) {
    // Pass 1: encode every homogeneous batch of this cell line.
    std::vector<std::vector<size_t>> chunks;
    for (size_t start = 0; start < rows.size(); start += batch_size)
      chunks.emplace_back(rows.begin() + start,
                          rows.begin() + std::min(rows.size(), start + batch_size));
    std::vector<model::Output> outs;
    auto weights = torch::zeros({k});
    for (const auto& chunk : chunks) {
      auto b = Collate(d, chunk);
      model::Output o;
      auto h = net->Encode(b);
      std::tie(o.z_i, o.z_e) = net->Project(h, b);
      if (prototype && !context_free)
        weights += net->prototypes->Assign(o.z_e.mean(0)).exp() *
                   static_cast<double>(chunk.size());
      outs.push_back(std::move(o));
    }
    // The cell line's environment e_c.
    torch::Tensor e_c;
    if (prototype) {
      if (context_free) weights = torch::full({k}, 1.0 / k);
      else weights = weights / static_cast<double>(rows.size());
      e_c = net->prototypes->Mix(weights);
      std::vector<double> w(weights.data_ptr<float>(), weights.data_ptr<float>() + k);
      s.assignment.emplace_back(cell, std::move(w));
    } else {
      e_c = torch::zeros({net->options.z_e_dim()});
    }
    // Pass 2: heads with e_c.
    for (size_t c = 0; c < chunks.size(); ++c) {
      auto& o = outs[c];
      const int64_t m = static_cast<int64_t>(chunks[c].size());
      net->Heads(&o, e_c.view({1, -1}).expand({m, e_c.size(0)}));
      auto prob = torch::sigmoid(o.logit).to(torch::kDouble).contiguous();
      auto u = o.u_i.to(torch::kDouble).contiguous(), r = o.r_e.to(torch::kDouble).contiguous();
      for (int64_t i = 0; i < m; ++i) {
        size_t row = chunks[c][i];
        s.prob[row] = prob.data_ptr<double>()[i];
        s.u_i[row] = u.data_ptr<double>()[i];
        s.r_e[row] = r.data_ptr<double>()[i];
      }
      if (keep_z) {
        zi_all.push_back(o.z_i);
        ze_all.push_back(o.z_e);
        disc_all.push_back(net->discriminator->forward(o.z_i));
        order.insert(order.end(), chunks[c].begin(), chunks[c].end());
      }
    }
    if (prior > 0 && prior < 1 && !context_free) {
      // Context calibration: one resistance offset for the cell line from its own pairs.
      const double t = net->Temperature().item<double>();
      std::vector<double> logit;
      logit.reserve(rows.size());
      for (size_t row : rows) logit.push_back((s.u_i[row] - s.r_e[row]) / t);
      const double b = CalibrationOffset(logit, prior);
      for (size_t i = 0; i < rows.size(); ++i)
        s.prob[rows[i]] = 1.0 / (1.0 + std::exp(-(logit[i] - b)));
      s.resistance_offset.emplace_back(cell, b * t);
    }
  }
  if (keep_z && !order.empty()) {
    auto perm = torch::empty({static_cast<int64_t>(n)}, torch::kLong);
    for (size_t i = 0; i < order.size(); ++i) perm[order[i]] = static_cast<int64_t>(i);
    s.z_i = torch::cat(zi_all).index_select(0, perm);
    s.z_e = torch::cat(ze_all).index_select(0, perm);
    s.disc_logits = torch::cat(disc_all).index_select(0, perm);
  }
  net->train(was_training);
  return s;
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

CheckpointMeta ReadCheckpointMeta(const std::string& path) {
  if (!std::filesystem::exists(path)) Fatal("no checkpoint '", path, "'");
  torch::serialize::InputArchive root;
  root.load_from(path);
  c10::IValue v;
  root.read("meta", v);
  Json j = Json::parse(v.toStringRef());
  CheckpointMeta m;
  m.train_cells = j.at("train_cells").get<std::vector<std::string>>();
  m.num_features = j.at("num_features").get<int64_t>();
  m.epoch = j.at("epoch").get<int64_t>();
  return m;
}

CheckpointMeta LoadModelCheckpoint(const std::string& path, model::PrismNet& net) {
  auto meta = ReadCheckpointMeta(path);
  torch::serialize::InputArchive root, m;
  root.load_from(path);
  root.read("model", m);
  net->load(m);
  return meta;
}

}  // namespace prism::train
