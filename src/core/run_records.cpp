// The typed records of the run folder: JSON layout (docs/run-folder.md) <-> structs.
#include "prism/run_records.h"

#include <filesystem>
#include <fstream>

#include "prism/error.h"
#include "prism/hash.h"
#include "prism/run_folder.h"

namespace prism {
namespace {

bool NumberLike(const Json& j) {
  if (j.is_number()) return true;
  if (!j.is_string()) return false;
  const auto& s = j.get_ref<const std::string&>();
  return s == "nan" || s == "NaN" || s == "inf" || s == "Infinity" || s == "-inf" ||
         s == "-Infinity";
}

/// Reads the fields of one JSON object; every type error names the file, line and field path.
class Fields {
 public:
  Fields(const Json& j, const RecordSource& src, std::string prefix = "")
      : j_(j), src_(src), prefix_(std::move(prefix)) {}

  [[noreturn]] void Fail(const std::string& key, const std::string& expected) const {
    const Json* v = Find(key);
    throw InputError(src_.file, src_.line, 0,
                     "field '" + prefix_ + key + "': expected " + expected +
                         (v ? ", found " + v->dump() : ""));
  }
  /// The value, or nullptr when missing or null.
  const Json* Find(const std::string& key) const {
    if (!j_.is_object()) return nullptr;
    auto it = j_.find(key);
    return it == j_.end() || it->is_null() ? nullptr : &*it;
  }
  double Num(const std::string& key) const {
    const Json* v = Find(key);
    if (!v) return NAN;
    if (!NumberLike(*v)) Fail(key, "a number");
    return ReadNumber(*v);
  }
  std::optional<double> OptNum(const std::string& key) const {
    if (!Find(key)) return std::nullopt;
    return Num(key);
  }
  std::optional<int64_t> Int(const std::string& key) const {
    const Json* v = Find(key);
    if (!v) return std::nullopt;
    if (!v->is_number()) Fail(key, "an integer");
    return static_cast<int64_t>(v->get<double>());
  }
  int64_t Int(const std::string& key, int64_t fallback) const {
    return Int(key).value_or(fallback);
  }
  std::string Str(const std::string& key) const {
    const Json* v = Find(key);
    if (!v) return "";
    if (!v->is_string()) Fail(key, "a string");
    return v->get<std::string>();
  }
  std::optional<bool> Bool(const std::string& key) const {
    const Json* v = Find(key);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) Fail(key, "true or false");
    return v->get<bool>();
  }
  std::vector<std::string> Strings(const std::string& key) const {
    std::vector<std::string> out;
    const Json* v = Find(key);
    if (!v) return out;
    if (!v->is_array()) Fail(key, "an array of strings");
    for (const Json& s : *v) {
      if (!s.is_string()) Fail(key, "an array of strings");
      out.push_back(s.get<std::string>());
    }
    return out;
  }
  /// A nested object (nullptr when missing or null; error when not an object).
  const Json* Obj(const std::string& key) const {
    const Json* v = Find(key);
    if (v && !v->is_object()) Fail(key, "an object or null");
    return v;
  }
  Fields Sub(const std::string& key, const Json& obj) const {
    return Fields(obj, src_, prefix_ + key + ".");
  }
  /// Every member of the object as a number (the loss and weight maps).
  std::map<std::string, double> NumMap() const {
    std::map<std::string, double> out;
    for (auto it = j_.begin(); it != j_.end(); ++it)
      if (!it->is_null()) out[it.key()] = Num(it.key());
    return out;
  }

 private:
  const Json& j_;
  const RecordSource& src_;
  std::string prefix_;
};

Json NumMapJson(const std::map<std::string, double>& m) {
  Json j = Json::object();
  for (const auto& [k, v] : m) j[k] = JsonNumber(v);
  return j;
}

template <typename T>
Json OptJson(const std::optional<T>& v) {
  return v ? Json(*v) : Json();
}

Json FiniteOrNull(double v) { return std::isfinite(v) ? Json(v) : Json(); }

Json OptNumJson(const std::optional<double>& v) { return v ? JsonNumber(*v) : Json(); }

Json ScoresJson(const EpochScores& s) {
  Json j = {{"aupr", JsonNumber(s.aupr)},           {"auc", JsonNumber(s.auc)},
            {"precision", JsonNumber(s.precision)}, {"recall", JsonNumber(s.recall)},
            {"f1", JsonNumber(s.f1)}};
  if (s.has_threshold) j["threshold"] = JsonNumber(s.threshold);
  if (!std::isnan(s.positive_rate)) j["positive_rate"] = JsonNumber(s.positive_rate);
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

std::string RunRecord::ConfiguredSampler() const {
  if (!config.is_object()) return "";
  auto t = config.find("train");
  if (t == config.end() || !t->is_object()) return "";
  auto s = t->find("sampler");
  return s != t->end() && s->is_string() ? s->get<std::string>() : "";
}

double RunRecord::ConfigNumber(std::initializer_list<const char*> keys) const {
  return ReadPath(config, keys);
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
            {"test_cells", d.test_cells}};
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
                    {"effective_n", JsonNumber(s.effective_n)}});
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
           rf.Num("effective_n")});
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
  j["motif_seed"] = motif_seed;
  j["cell_offset"] = cell_offset;
  if (!checkpoints.empty()) {
    Json c = Json::object();
    for (const auto& [which, r] : checkpoints)
      c[which] = {{"file", r.file}, {"bytes", r.bytes}, {"hash", r.hash}, {"epoch", r.epoch}};
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
  r.motif_seed = j.value("motif_seed", Json());
  r.cell_offset = j.value("cell_offset", Json());
  if (const Json* c = f.Obj("checkpoints")) {
    Fields cf = f.Sub("checkpoints", *c);
    for (auto it = c->begin(); it != c->end(); ++it) {
      if (!cf.Obj(it.key())) continue;
      Fields e = cf.Sub(it.key(), *it);
      r.checkpoints[it.key()] = {e.Str("file"), e.Int("bytes", 0), e.Str("hash"),
                                 e.Int("epoch", 0)};
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

// ---- PredictionMetrics -------------------------------------------------------------------

Json PredictionMetrics::ToJson() const {
  Json j = metric::ToJson(table);
  j["mode"] = mode;
  j["split"] = split;
  j["checkpoint"] = checkpoint;
  if (epoch) j["epoch"] = *epoch;
  if (calibration_prior) {
    Json off = Json::object();
    for (const auto& [cell, b] : resistance_offset) off[cell] = JsonNumber(b);
    j["context_calibration"] = {{"prior", JsonNumber(*calibration_prior)},
                                {"resistance_offset", off}};
  }
  j["speed"] = {{"seconds", JsonNumber(seconds)}, {"pairs_per_s", JsonNumber(pairs_per_s)}};
  return j;
}

PredictionMetrics PredictionMetrics::FromJson(const Json& j, const RecordSource& src) {
  if (!j.is_object()) throw InputError(src.file, src.line, 0, "expected a JSON object");
  Fields f(j, src);
  if (!f.Obj("overall")) throw InputError(src.file, 0, 0, "expected an object field 'overall'");
  for (const char* part : {"overall"}) {
    Fields o = f.Sub(part, j.at(part));
    for (const char* k : {"aupr", "auc", "f1", "recall", "precision", "threshold", "n"}) o.Num(k);
  }
  if (const Json* cells = f.Obj("per_cell")) {
    Fields pc = f.Sub("per_cell", *cells);
    for (auto it = cells->begin(); it != cells->end(); ++it)
      if (!pc.Obj(it.key())) pc.Fail(it.key(), "an object");
  }
  PredictionMetrics m;
  m.table = metric::TableFromJson(j);
  m.mode = f.Str("mode");
  m.split = f.Str("split");
  m.checkpoint = f.Str("checkpoint");
  m.epoch = f.Int("epoch");
  if (const Json* c = f.Obj("context_calibration")) {
    Fields cf = f.Sub("context_calibration", *c);
    m.calibration_prior = cf.Num("prior");
    if (const Json* off = cf.Obj("resistance_offset"))
      m.resistance_offset = cf.Sub("resistance_offset", *off).NumMap();
  }
  if (const Json* s = f.Obj("speed")) {
    Fields sf = f.Sub("speed", *s);
    m.seconds = sf.Num("seconds");
    m.pairs_per_s = sf.Num("pairs_per_s");
  }
  return m;
}

// ---- Diagnostics -------------------------------------------------------------------------

Json Diagnostics::ToJson() const {
  Json j;
  j["train"] = {{"aupr", JsonNumber(train_aupr)}, {"auc", JsonNumber(train_auc)}, {"n", train_n}};
  j["disc_acc"] = OptNumJson(disc_acc);
  j["disc_chance"] = OptNumJson(disc_chance);
  j["zi_ze_corr"] = OptNumJson(zi_ze_corr);
  if (has_prototypes) {
    j["prototype_separation"] = {{"min_dist", JsonNumber(proto_min_dist)},
                                 {"mean_dist", JsonNumber(proto_mean_dist)},
                                 {"within_spread", JsonNumber(proto_within_spread)}};
    Json assign = Json::object();
    for (const auto& [cell, a] : assignment)
      assign[cell] = {{"entropy", JsonNumber(a.entropy)}, {"top", a.top},
                      {"weights", NumMapJson(a.weights)}};
    j["prototype_assignment"] = assign;
  } else {
    j["prototype_separation"] = nullptr;
    j["prototype_assignment"] = nullptr;
  }
  Json per_cell = Json::object();
  for (const auto& [cell, ms] : r_e_per_cell)
    per_cell[cell] = {{"mean", JsonNumber(ms.first)}, {"std", JsonNumber(ms.second)}};
  j["r_e"] = {{"mean", JsonNumber(r_e_mean)}, {"std", JsonNumber(r_e_std)},
              {"min", JsonNumber(r_e_min)},   {"max", JsonNumber(r_e_max)},
              {"per_cell", per_cell}};
  j["T"] = JsonNumber(temperature);
  j["mode"] = mode;
  j["split"] = split;
  return j;
}

Diagnostics Diagnostics::FromJson(const Json& j, const RecordSource& src) {
  if (!j.is_object()) throw InputError(src.file, src.line, 0, "expected a JSON object");
  Fields f(j, src);
  Diagnostics d;
  if (const Json* t = f.Obj("train")) {
    Fields tf = f.Sub("train", *t);
    d.train_aupr = tf.Num("aupr");
    d.train_auc = tf.Num("auc");
    d.train_n = tf.Int("n", 0);
  }
  d.disc_acc = f.OptNum("disc_acc");
  d.disc_chance = f.OptNum("disc_chance");
  d.zi_ze_corr = f.OptNum("zi_ze_corr");
  if (const Json* s = f.Obj("prototype_separation")) {
    d.has_prototypes = true;
    Fields sf = f.Sub("prototype_separation", *s);
    d.proto_min_dist = sf.Num("min_dist");
    d.proto_mean_dist = sf.Num("mean_dist");
    d.proto_within_spread = sf.Num("within_spread");
  }
  if (const Json* a = f.Obj("prototype_assignment")) {
    d.has_prototypes = true;
    Fields af = f.Sub("prototype_assignment", *a);
    for (auto it = a->begin(); it != a->end(); ++it) {
      if (!af.Obj(it.key())) continue;
      Fields cf = af.Sub(it.key(), *it);
      PrototypeAssignment pa;
      pa.entropy = cf.Num("entropy");
      pa.top = cf.Str("top");
      if (const Json* w = cf.Obj("weights")) pa.weights = cf.Sub("weights", *w).NumMap();
      d.assignment[it.key()] = std::move(pa);
    }
  }
  if (const Json* r = f.Obj("r_e")) {
    Fields rf = f.Sub("r_e", *r);
    d.r_e_mean = rf.Num("mean");
    d.r_e_std = rf.Num("std");
    d.r_e_min = rf.Num("min");
    d.r_e_max = rf.Num("max");
    if (const Json* pc = rf.Obj("per_cell")) {
      Fields pf = rf.Sub("per_cell", *pc);
      for (auto it = pc->begin(); it != pc->end(); ++it) {
        if (!pf.Obj(it.key())) continue;
        Fields cf = pf.Sub(it.key(), *it);
        d.r_e_per_cell[it.key()] = {cf.Num("mean"), cf.Num("std")};
      }
    }
  }
  d.temperature = f.Num("T");
  d.mode = f.Str("mode");
  d.split = f.Str("split");
  return d;
}

PredictionMetrics ReadPredictionMetrics(const std::string& path) {
  return PredictionMetrics::FromJson(ReadJsonFile(path), {path, 0});
}

Diagnostics ReadDiagnostics(const std::string& path) {
  return Diagnostics::FromJson(ReadJsonFile(path), {path, 0});
}

// ---- checkpoint files --------------------------------------------------------------------

namespace {

/// True when the last 64 KiB + 22 bytes of the file hold a ZIP end-of-central-directory record.
bool EndsLikeZip(const std::string& path, uint64_t size) {
  if (size < 22) return false;
  const uint64_t tail = std::min<uint64_t>(size, 65536 + 22);
  std::ifstream in(path, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(size - tail));
  std::string buf(tail, '\0');
  in.read(buf.data(), static_cast<std::streamsize>(tail));
  if (!in) return false;
  for (size_t i = buf.size() - 22 + 1; i-- > 0;)
    if (buf.compare(i, 4, "PK\x05\x06") == 0) return true;
  return false;
}

}  // namespace

std::string CheckpointProblem(const std::string& path, const CheckpointRecord* expected) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) return "missing";
  const uint64_t size = fs::file_size(path, ec);
  if (ec) return "unreadable";
  if (size == 0) return "empty (0 bytes)";
  if (expected && expected->bytes > 0 && static_cast<int64_t>(size) != expected->bytes)
    return "truncated or changed: " + std::to_string(size) + " bytes, run.json records " +
           std::to_string(expected->bytes);
  if (!EndsLikeZip(path, size))
    return "truncated or not a checkpoint: no archive directory at the end of its " +
           std::to_string(size) + " bytes";
  if (expected && !expected->hash.empty()) {
    const std::string h = HashFile(path);
    if (h != expected->hash)
      return "content changed: hash " + h + ", run.json records " + expected->hash;
  }
  return "";
}

CheckpointRecord DescribeCheckpoint(const std::string& run_dir, const std::string& file,
                                    int64_t epoch) {
  const std::string path = run_dir + "/" + file;
  CheckpointRecord r;
  r.file = file;
  r.bytes = static_cast<int64_t>(std::filesystem::file_size(path));
  r.hash = HashFile(path);
  r.epoch = epoch;
  return r;
}

}  // namespace prism
