// The metrics of a record point: what the ledger stores from a run's test metrics and log.
#include <cmath>

#include "prism/ledger.h"

namespace prism {

Json LedgerMetrics::ToJson() const {
  Json m = Json::object();
  if (test) {
    Json t = metric::ToJson(*test);
    m["overall"] = t["overall"];
    m["per_cell"] = t["per_cell"];
  }
  if (!mode.empty()) m["mode"] = mode;
  if (epochs) {
    m["epochs"] = *epochs;
    m["train"] = {{"aupr", JsonNumber(train_aupr)}};
    m["val"] = {{"aupr", JsonNumber(best_val_aupr)}};
  }
  if (!baselines.empty()) {
    Json b = Json::object();
    for (const auto& [name, a] : baselines)
      b[name] = {{"test_aupr", JsonNumber(a.test)}, {"val_aupr", JsonNumber(a.val)}};
    m["baselines"] = b;
  }
  return m;
}

LedgerMetrics LedgerMetrics::FromJson(const Json& j) {
  LedgerMetrics m;
  if (!j.is_object()) return m;
  auto obj = [&](const char* key) -> const Json* {
    auto it = j.find(key);
    return it != j.end() && it->is_object() ? &*it : nullptr;
  };
  if (obj("overall")) m.test = metric::TableFromJson(j);
  if (j.contains("mode") && j["mode"].is_string()) m.mode = j["mode"].get<std::string>();
  if (j.contains("epochs") && j["epochs"].is_number()) m.epochs = j["epochs"].get<int64_t>();
  if (const Json* t = obj("train")) m.train_aupr = ReadNumber(t->value("aupr", Json()));
  if (const Json* v = obj("val")) m.best_val_aupr = ReadNumber(v->value("aupr", Json()));
  if (const Json* b = obj("baselines"))
    for (auto it = b->begin(); it != b->end(); ++it)
      if (it->is_object())
        m.baselines[it.key()] = {ReadNumber(it->value("test_aupr", Json())),
                                 ReadNumber(it->value("val_aupr", Json()))};
  return m;
}

}  // namespace prism
