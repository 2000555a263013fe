// The typed records of the run folder, part 1: train_log.jsonl (EpochRecord) and run.json
// (RunRecord). Layouts: docs/run-folder.md.
#include <algorithm>

#include "core/record_fields.h"

namespace prism {
namespace {

using namespace records;

Json ScoresJson(const EpochScores& s) {
  Json j = {{"aupr", JsonNumber(s.aupr)},           {"auc", JsonNumber(s.auc)},
            {"precision", JsonNumber(s.precision)}, {"recall", JsonNumber(s.recall)},
            {"f1", JsonNumber(s.f1)}};
  if (s.has_threshold) j["threshold"] = JsonNumber(s.threshold);
  if (!std::isnan(s.positive_rate)) j["positive_rate"] = JsonNumber(s.positive_rate);
  if (!std::isnan(s.aupr_balanced)) j["aupr_balanced"] = JsonNumber(s.aupr_balanced);
  if (s.has_per_cell) {
    Json cells = Json::object();
    for (const auto& [cell, c] : s.per_cell)
      cells[cell] = {{"aupr", JsonNumber(c.aupr)}, {"auc", JsonNumber(c.auc)}, {"n", c.n}};
    j["per_cell"] = cells;
  }
  return j;
}

EpochScores ScoresFrom(const Fields& f) {
  EpochScores s;
  s.aupr = f.Num("aupr");
  s.auc = f.Num("auc");
  s.precision = f.Num("precision");
  s.recall = f.Num("recall");
  s.f1 = f.Num("f1");
  s.has_threshold = f.Find("threshold") != nullptr;
  s.threshold = f.Num("threshold");
  s.positive_rate = f.Num("positive_rate");
  s.aupr_balanced = f.Num("aupr_balanced");
  if (const Json* cells = f.Obj("per_cell")) {
    s.has_per_cell = true;
    Fields pc = f.Sub("per_cell", *cells);
    for (auto it = cells->begin(); it != cells->end(); ++it) {
      if (!pc.Obj(it.key())) continue;
      Fields c = pc.Sub(it.key(), *it);
      s.per_cell[it.key()] = {c.Num("aupr"), c.Num("auc"), c.Int("n", 0)};
    }
  }
  return s;
}


}  // namespace

using records::Fields;
using records::NumMapJson;
using records::NumberLike;
using records::OptJson;
using records::OptNumJson;
using records::FiniteOrNull;

// ---- EpochRecord -------------------------------------------------------------------------

double EpochRecord::Loss(const std::string& name) const {
  auto it = loss.find(name);
  return it == loss.end() ? NAN : it->second;
}

double EpochRecord::Weight(const std::string& name) const {
  auto it = weights.find(name);
  return it == weights.end() ? NAN : it->second;
}

Json EpochRecord::ToJson() const {
  Json j;
  j["epoch"] = epoch;
  j["seconds"] = JsonNumber(seconds);
  j["samples_per_s"] = JsonNumber(samples_per_s);
  j["lr"] = JsonNumber(lr);
  j["loss"] = NumMapJson(loss);
  j["weights"] = NumMapJson(weights);
  j["grad_norm"] = grad_norm ? Json{{"mean", JsonNumber(grad_norm->mean)},
                                    {"min", JsonNumber(grad_norm->min)},
                                    {"max", JsonNumber(grad_norm->max)}}
                             : Json();
  j["train"] = train ? ScoresJson(*train) : Json();
  j["val"] = val ? ScoresJson(*val) : Json();
  j["output"] = output ? Json{{"mean", JsonNumber(output->mean)},
                              {"std", JsonNumber(output->std)},
                              {"frac_gt_0.99", JsonNumber(output->frac_gt_099)},
                              {"frac_lt_0.01", JsonNumber(output->frac_lt_001)}}
                       : Json();
  j["T"] = JsonNumber(temperature);
  j["disc_acc"] = OptNumJson(disc_acc);
  j["nan_steps"] = nan_steps;
  j["sampler"] = sampler;
  j["components"] = components;
  j["parameters"] = OptJson(parameters);
  j["train_samples"] = OptJson(train_samples);
  j["flops_per_sample"] = JsonNumber(flops_per_sample);
  j["achieved_gflops"] = JsonNumber(achieved_gflops);
  j["mfu"] = JsonNumber(mfu);
  j["data_wait_fraction"] = JsonNumber(data_wait_fraction);
  j["world_size"] = OptJson(world_size);
  return j;
}

EpochRecord EpochRecord::FromJson(const Json& j, const RecordSource& src, size_t index) {
  if (!j.is_object()) throw InputError(src.file, src.line, 0, "expected a JSON object");
  Fields f(j, src);
  EpochRecord e;
  e.epoch = f.Int("epoch", static_cast<int64_t>(index) + 1);
  e.seconds = f.Num("seconds");
  e.samples_per_s = f.Num("samples_per_s");
  e.lr = f.Num("lr");
  if (const Json* loss = f.Obj("loss")) e.loss = f.Sub("loss", *loss).NumMap();
  if (const Json* w = f.Obj("weights")) e.weights = f.Sub("weights", *w).NumMap();
  if (const Json* g = f.Find("grad_norm")) {
    GradNorm gn;
    if (g->is_object()) {
      Fields gf = f.Sub("grad_norm", *g);
      gn = {gf.Num("mean"), gf.Num("min"), gf.Num("max")};
    } else if (NumberLike(*g)) {
      gn.mean = ReadNumber(*g);
    } else {
      f.Fail("grad_norm", "an object {mean,min,max} or a number");
    }
    e.grad_norm = gn;
  }
  if (const Json* t = f.Obj("train")) e.train = ScoresFrom(f.Sub("train", *t));
  if (const Json* v = f.Obj("val")) e.val = ScoresFrom(f.Sub("val", *v));
  if (const Json* o = f.Obj("output")) {
    Fields of = f.Sub("output", *o);
    e.output = OutputStats{of.Num("mean"), of.Num("std"), of.Num("frac_gt_0.99"),
                           of.Num("frac_lt_0.01")};
  }
  e.temperature = f.Num("T");
  e.disc_acc = f.OptNum("disc_acc");
  const double ns = f.Num("nan_steps");
  e.nan_steps = std::isfinite(ns) ? static_cast<int64_t>(ns) : 0;
  e.sampler = f.Str("sampler");
  e.components = f.Strings("components");
  for (auto [key, dst] : {std::pair{"parameters", &e.parameters},
                          std::pair{"train_samples", &e.train_samples}}) {
    const double v = f.Num(key);
    if (std::isfinite(v)) *dst = static_cast<int64_t>(v);
  }
  e.flops_per_sample = f.Num("flops_per_sample");
  e.achieved_gflops = f.Num("achieved_gflops");
  e.mfu = f.Num("mfu");
  e.data_wait_fraction = f.Num("data_wait_fraction");
  e.world_size = f.Int("world_size");
  return e;
}

// ---- RunRecord ---------------------------------------------------------------------------

bool RunRecord::ComponentConfigured(const std::string& name) const {
  if (!config.is_object()) return false;
  auto comps = config.find("components");
  if (comps == config.end() || !comps->is_object()) return false;
  auto it = comps->find(name);
  return it != comps->end() && it->is_boolean() && it->get<bool>();
}

namespace {

/// config.<section>.<key> as a string, or `fallback` when it is not recorded.
std::string ConfigString(const Json& config, const char* section, const char* key,
                         const std::string& fallback) {
  if (!config.is_object()) return fallback;
  auto t = config.find(section);
  if (t == config.end() || !t->is_object()) return fallback;
  auto v = t->find(key);
  return v != t->end() && v->is_string() ? v->get<std::string>() : fallback;
}

}  // namespace

std::string RunRecord::ConfiguredSampler() const {
  return ConfigString(config, "train", "sampler", "");
}

std::string RunRecord::ConfiguredThresholdRule() const {
  return ConfigString(config, "train", "threshold_rule", "f1");
}

double RunRecord::ConfigNumber(std::initializer_list<const char*> keys) const {
  return ReadPath(config, keys);
}

std::vector<std::string> SharedCellLines(const std::vector<std::string>& a,
                                         const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& x : a)
    if (std::find(b.begin(), b.end(), x) != b.end()) out.push_back(x);
  return out;
}

namespace {

Json DataJson(const DataRecord& d) {
  Json j = {{"kind", d.kind},
            {"path", d.path},
            {"hash", d.hash},
            {"train_pairs", d.train_pairs},
            {"val_pairs", d.val_pairs},
            {"test_pairs", d.test_pairs},
            {"train_cells", d.train_cells},
            {"val_cells", d.val_cells},
            {"test_cells", d.test_cells},
            {"val_shares_train_cells", d.ValSharesTrainCells()},
            {"val_shared_cells", d.val_shared_cells}};
  if (d.bayes_aupr)
    j["bayes_aupr"] = {{"source", d.bayes_aupr->source},  // a split without pairs: null
                       {"train", FiniteOrNull(d.bayes_aupr->train)},
                       {"val", FiniteOrNull(d.bayes_aupr->val)},
                       {"test", FiniteOrNull(d.bayes_aupr->test)}};
  return j;
}

DataRecord DataFrom(const Fields& f) {
  DataRecord d;
  d.kind = f.Str("kind");
  d.path = f.Str("path");
  d.hash = f.Str("hash");
  d.train_pairs = f.Int("train_pairs", 0);
  d.val_pairs = f.Int("val_pairs", 0);
  d.test_pairs = f.Int("test_pairs", 0);
  d.train_cells = f.Strings("train_cells");
  d.val_cells = f.Strings("val_cells");
  d.test_cells = f.Strings("test_cells");
  d.val_shared_cells = f.Find("val_shared_cells") ? f.Strings("val_shared_cells")
                                                  : SharedCellLines(d.val_cells, d.train_cells);
  if (const Json* b = f.Obj("bayes_aupr")) {
    Fields bf = f.Sub("bayes_aupr", *b);
    d.bayes_aupr = BayesAupr{bf.Str("source"), bf.Num("train"), bf.Num("val"), bf.Num("test")};
  }
  return d;
}

Json BalanceJson(const BalanceRecord& b) {
  Json rows = Json::array();
  for (const auto& s : b.per_cell)
    rows.push_back({{"cell_line", s.cell_line},
                    {"n", s.n},
                    {"corr_before", JsonNumber(s.corr_before)},
                    {"corr_after", JsonNumber(s.corr_after)},
                    {"effective_n", JsonNumber(s.effective_n)},
                    {"trimmed", s.trimmed}});
  return {{"covariate", b.covariate}, {"bins", b.bins}, {"max_weight", JsonNumber(b.max_weight)},
          {"per_cell", rows}};
}

BalanceRecord BalanceFrom(const Fields& f, const Json& j) {
  BalanceRecord b;
  b.covariate = f.Str("covariate");
  b.bins = f.Int("bins", 0);
  b.max_weight = f.Num("max_weight");
  if (const Json* rows = f.Find("per_cell")) {
    if (!rows->is_array()) f.Fail("per_cell", "an array");
    for (size_t i = 0; i < rows->size(); ++i) {
      const Json& r = (*rows)[i];
      if (!r.is_object()) f.Fail("per_cell", "an array of objects");
      Fields rf = f.Sub("per_cell[" + std::to_string(i) + "]", r);
      b.per_cell.push_back(
          {rf.Str("cell_line"), rf.Int("n", 0), rf.Num("corr_before"), rf.Num("corr_after"),
           rf.Num("effective_n"), rf.Int("trimmed", 0)});
    }
  }
  (void)j;
  return b;
}

}  // namespace

Json RunRecord::ToJson() const {
  Json j;
  j["name"] = name;
  j["created"] = created;
  j["finished"] = finished.empty() ? Json() : Json(finished);
  j["prism_version"] = prism_version;
  j["code_version"] = code_version;
  j["libtorch"] = libtorch;
  j["seed"] = seed;
  j["threads"] = threads;
  j["blas"] = blas;
  j["gemm_peak_gflops"] = JsonNumber(gemm_peak_gflops);
  j["distributed"] = distributed;
  j["data"] = DataJson(data);
  j["config"] = config;
  if (!config_hash.empty()) j["config_hash"] = config_hash;
  j["parameters"] = OptJson(parameters);
  j["balance"] = balance ? BalanceJson(*balance) : Json();
  if (balance_val) j["balance_val"] = BalanceJson(*balance_val);
  j["motif_seed"] = motif_seed;
  if (!shortcut_mask.is_null()) j["shortcut_mask"] = shortcut_mask;
  if (!derived.is_null() && !derived.empty()) j["derived"] = derived;
  if (!embed_conv.is_null()) j["embed_conv"] = embed_conv;
  if (!checkpoints.empty()) {
    Json c = Json::object();
    for (const auto& [which, r] : checkpoints) {
      c[which] = {{"file", r.file}, {"bytes", r.bytes}, {"hash", r.hash}, {"epoch", r.epoch}};
      if (std::isfinite(r.val_threshold)) c[which]["val_threshold"] = r.val_threshold;
    }
    j["checkpoints"] = c;
  }
  if (!resumed_with_changes.empty()) {
    Json a = Json::array();
    for (const auto& r : resumed_with_changes)
      a.push_back({{"at_epoch", r.at_epoch},
                   {"time", r.time},
                   {"old_config_hash", r.old_config_hash},
                   {"new_config_hash", r.new_config_hash},
                   {"old_data_hash", r.old_data_hash},
                   {"new_data_hash", r.new_data_hash}});
    j["resumed_with_changes"] = a;
  }
  j["status"] = status;
  if (best_epoch) j["best_epoch"] = *best_epoch;
  if (early_stopped) j["early_stopped"] = *early_stopped;
  return j;
}

RunRecord RunRecord::FromJson(const Json& j, const RecordSource& src) {
  if (!j.is_object()) throw InputError(src.file, src.line, 0, "expected a JSON object");
  Fields f(j, src);
  RunRecord r;
  r.name = f.Str("name");
  r.created = f.Str("created");
  r.finished = f.Str("finished");
  r.prism_version = f.Str("prism_version");
  r.code_version = f.Str("code_version");
  r.libtorch = f.Str("libtorch");
  r.seed = f.Int("seed", 0);
  r.threads = f.Int("threads", 0);
  r.blas = j.value("blas", Json());
  r.gemm_peak_gflops = f.Num("gemm_peak_gflops");
  r.distributed = j.value("distributed", Json());
  if (const Json* d = f.Obj("data")) r.data = DataFrom(f.Sub("data", *d));
  r.config = j.value("config", Json());
  r.config_hash = f.Str("config_hash");
  r.parameters = f.Int("parameters");
  if (const Json* b = f.Obj("balance")) r.balance = BalanceFrom(f.Sub("balance", *b), *b);
  if (const Json* b = f.Obj("balance_val"))
    r.balance_val = BalanceFrom(f.Sub("balance_val", *b), *b);
  r.motif_seed = j.value("motif_seed", Json());
  r.shortcut_mask = j.value("shortcut_mask", Json());
  r.derived = j.value("derived", Json());
  r.embed_conv = j.value("embed_conv", Json());
  if (const Json* c = f.Obj("checkpoints")) {
    Fields cf = f.Sub("checkpoints", *c);
    for (auto it = c->begin(); it != c->end(); ++it) {
      if (!cf.Obj(it.key())) continue;
      Fields e = cf.Sub(it.key(), *it);
      r.checkpoints[it.key()] = {e.Str("file"), e.Int("bytes", 0), e.Str("hash"),
                                 e.Int("epoch", 0), e.Num("val_threshold")};
    }
  }
  if (const Json* a = f.Find("resumed_with_changes")) {
    if (!a->is_array()) f.Fail("resumed_with_changes", "an array");
    for (size_t i = 0; i < a->size(); ++i) {
      Fields e = f.Sub("resumed_with_changes[" + std::to_string(i) + "]", (*a)[i]);
      r.resumed_with_changes.push_back({e.Int("at_epoch", 0), e.Str("time"),
                                        e.Str("old_config_hash"), e.Str("new_config_hash"),
                                        e.Str("old_data_hash"), e.Str("new_data_hash")});
    }
  }
  r.status = f.Str("status");
  r.best_epoch = f.Int("best_epoch");
  r.early_stopped = f.Bool("early_stopped");
  return r;
}

}  // namespace prism
