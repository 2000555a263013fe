// The typed records of the built-in baselines in a run folder: RUN/baselines.json
// (BaselinesRecord) and the `baselines` of metrics/<split>.json (BaselineMetrics). Layouts:
// docs/run-folder.md, docs/baselines.md.
#include "core/record_fields.h"

namespace prism {

using records::Fields;

namespace {

const char* const kRowFields[] = {"aupr",     "auc",  "f1",    "recall", "precision", "threshold",
                                  "accuracy", "ece",  "brier", "n",      "positives"};

/// A metric table ({"overall", "per_cell"}) whose every number has the right type; the errors
/// name the field below `f`.
metric::MetricTable CheckedTable(const Fields& f, const Json& j) {
  const Json* overall = f.Obj("overall");
  if (!overall) f.Fail("overall", "an object (the metric table's overall row)");
  Fields o = f.Sub("overall", *overall);
  for (const char* k : kRowFields) o.Num(k);
  if (const Json* cells = f.Obj("per_cell")) {
    Fields pc = f.Sub("per_cell", *cells);
    for (auto it = cells->begin(); it != cells->end(); ++it) {
      if (!pc.Obj(it.key())) pc.Fail(it.key(), "an object");
      Fields c = pc.Sub(it.key(), *it);
      for (const char* k : kRowFields) c.Num(k);
    }
  }
  return metric::TableFromJson(j);
}

}  // namespace

// ---- BaselineMetrics ---------------------------------------------------------------------

Json BaselineMetrics::ToJson() const {
  Json j = metric::ToJson(table);
  j["fit_seconds"] = JsonNumber(fit_seconds);
  j["score_seconds"] = JsonNumber(score_seconds);
  return j;
}

BaselineMetrics BaselineMetrics::FromJson(const Json& j, const RecordSource& src,
                                          const std::string& field) {
  if (!j.is_object())
    throw InputError(src.file, src.line, 0,
                     "field '" + field + "': expected an object, found " + j.dump());
  Fields f(j, src, field + ".");
  BaselineMetrics m;
  m.table = CheckedTable(f, j);
  m.fit_seconds = f.Num("fit_seconds");
  m.score_seconds = f.Num("score_seconds");
  return m;
}

// ---- BaselinesRecord ---------------------------------------------------------------------

const BaselineFitRecord* BaselinesRecord::Best(const std::string& split) const {
  const BaselineFitRecord* best = nullptr;
  double best_aupr = -INFINITY;
  for (const auto& b : baselines) {
    if (!b.applicable) continue;
    auto it = b.metrics.find(split);
    if (it == b.metrics.end() || !std::isfinite(it->second.overall.aupr)) continue;
    if (it->second.overall.aupr > best_aupr) {
      best_aupr = it->second.overall.aupr;
      best = &b;
    }
  }
  return best;
}

void BaselinesRecord::ToPredictionMetrics(const std::string& split, PredictionMetrics* m) const {
  m->baselines.clear();
  m->baselines_not_applicable.clear();
  for (const auto& b : baselines) {
    if (!b.applicable) {
      m->baselines_not_applicable[b.name] = b.reason;
      continue;
    }
    auto it = b.metrics.find(split);
    if (it == b.metrics.end()) continue;
    m->baselines[b.name] = {it->second, b.fit_seconds, b.score_seconds};
  }
}

Json BaselinesRecord::ToJson() const {
  Json all = Json::object();
  for (const auto& b : baselines) {
    Json j = {{"applicable", b.applicable}};
    if (!b.applicable) {
      j["reason"] = b.reason;
    } else {
      j["params"] = b.params;
      j["fit_seconds"] = JsonNumber(b.fit_seconds);
      j["score_seconds"] = JsonNumber(b.score_seconds);
      Json m = Json::object();
      for (const auto& [split, table] : b.metrics) m[split] = metric::ToJson(table);
      j["metrics"] = m;
    }
    all[b.name] = j;
  }
  return {{"input", input},     {"data_hash", data_hash}, {"threads", threads},
          {"seconds", JsonNumber(seconds)}, {"baselines", all}};
}

BaselinesRecord BaselinesRecord::FromJson(const Json& j, const RecordSource& src) {
  if (!j.is_object()) throw InputError(src.file, src.line, 0, "expected a JSON object");
  Fields f(j, src);
  BaselinesRecord r;
  r.input = f.Str("input");
  r.data_hash = f.Str("data_hash");
  r.threads = f.Int("threads", 0);
  r.seconds = f.Num("seconds");
  const Json* all = f.Obj("baselines");
  if (!all) return r;
  Fields bf = f.Sub("baselines", *all);
  for (auto it = all->begin(); it != all->end(); ++it) {
    if (!bf.Obj(it.key())) bf.Fail(it.key(), "an object");
    Fields e = bf.Sub(it.key(), *it);
    BaselineFitRecord b;
    b.name = it.key();
    b.applicable = e.Bool("applicable").value_or(false);
    b.reason = e.Str("reason");
    if (const Json* p = e.Find("params")) b.params = *p;
    b.fit_seconds = e.Num("fit_seconds");
    b.score_seconds = e.Num("score_seconds");
    if (const Json* m = e.Obj("metrics")) {
      Fields mf = e.Sub("metrics", *m);
      for (auto s = m->begin(); s != m->end(); ++s) {
        if (!mf.Obj(s.key())) mf.Fail(s.key(), "an object (a metric table)");
        b.metrics[s.key()] = CheckedTable(mf.Sub(s.key(), *s), *s);
      }
    }
    r.baselines.push_back(std::move(b));
  }
  return r;
}

BaselinesRecord ReadBaselinesRecord(const std::string& path) {
  return BaselinesRecord::FromJson(ReadJsonFile(path), {path, 0});
}

}  // namespace prism
