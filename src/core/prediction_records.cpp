// The typed records of the run folder, part 2: metrics/<split>.json (PredictionMetrics),
// diagnostics.json (Diagnostics) and the check of checkpoint files.
#include <filesystem>
#include <fstream>

#include "core/record_fields.h"
#include "prism/hash.h"

namespace prism {

using records::Fields;
using records::NumMapJson;
using records::OptNumJson;

// ---- PredictionMetrics -------------------------------------------------------------------

Json PredictionMetrics::ToJson() const {
  Json j = AnyLabeled() ? metric::ToJson(table) : Json::object();
  if (!unlabeled.empty()) j["unlabeled"] = unlabeled;
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
  if (!baselines.empty() || !baselines_not_applicable.empty()) {
    Json b = Json::object();
    for (const auto& [name, m] : baselines) b[name] = m.ToJson();
    j["baselines"] = b;
    j["baselines_not_applicable"] = baselines_not_applicable;
  }
  if (!ensemble.is_null()) j["ensemble"] = ensemble;
  return j;
}

PredictionMetrics PredictionMetrics::FromJson(const Json& j, const RecordSource& src) {
  if (!j.is_object()) throw InputError(src.file, src.line, 0, "expected a JSON object");
  Fields f(j, src);
  PredictionMetrics m;
  if (const Json* u = f.Obj("unlabeled"))
    for (auto it = u->begin(); it != u->end(); ++it) {
      if (!it->is_number_unsigned()) f.Sub("unlabeled", *u).Fail(it.key(), "a pair count");
      m.unlabeled[it.key()] = it->get<size_t>();
    }
  const bool labeled = j.contains("overall") || m.unlabeled.empty();
  if (labeled && !f.Obj("overall"))
    throw InputError(src.file, 0, 0, "expected an object field 'overall'");
  if (labeled) {
    Fields o = f.Sub("overall", j.at("overall"));
    for (const char* k : {"aupr", "auc", "f1", "recall", "precision", "threshold", "n"}) o.Num(k);
  }
  if (const Json* cells = f.Obj("per_cell")) {
    Fields pc = f.Sub("per_cell", *cells);
    for (auto it = cells->begin(); it != cells->end(); ++it)
      if (!pc.Obj(it.key())) pc.Fail(it.key(), "an object");
  }
  if (labeled) m.table = metric::TableFromJson(j);
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
  if (const Json* e = f.Obj("ensemble")) m.ensemble = *e;
  if (const Json* s = f.Obj("speed")) {
    Fields sf = f.Sub("speed", *s);
    m.seconds = sf.Num("seconds");
    m.pairs_per_s = sf.Num("pairs_per_s");
  }
  if (const Json* b = f.Obj("baselines")) {
    for (auto it = b->begin(); it != b->end(); ++it)
      m.baselines[it.key()] = BaselineMetrics::FromJson(*it, src, "baselines." + it.key());
  }
  if (const Json* na = f.Obj("baselines_not_applicable")) {
    Fields nf = f.Sub("baselines_not_applicable", *na);
    for (auto it = na->begin(); it != na->end(); ++it)
      m.baselines_not_applicable[it.key()] = nf.Str(it.key());
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

/// An XGBoost JSON model (model.kind = "xgboost", "*.json"): starts with '{' and ends with '}'
/// (trailing whitespace allowed) - a cut-off file ends inside the trees.
bool EndsLikeJsonModel(const std::string& path, uint64_t size) {
  std::ifstream in(path, std::ios::binary);
  if (in.get() != '{') return false;
  const uint64_t tail = std::min<uint64_t>(size, 64);
  in.seekg(static_cast<std::streamoff>(size - tail));
  std::string buf(tail, '\0');
  in.read(buf.data(), static_cast<std::streamsize>(tail));
  const size_t last = buf.find_last_not_of(" \t\r\n");
  return in && last != std::string::npos && buf[last] == '}';
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
  const bool json = path.size() > 5 && path.compare(path.size() - 5, 5, ".json") == 0;
  if (json ? !EndsLikeJsonModel(path, size) : !EndsLikeZip(path, size))
    return std::string("truncated or not a checkpoint: ") +
           (json ? "no complete JSON model in its " : "no archive directory at the end of its ") +
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
