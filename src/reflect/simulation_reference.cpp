// The simulation's reference points (oracle AUPRs from simulation.json) next to the run's AUPRs.
#include <cmath>

#include "prism/reflect.h"
#include "prism/simulate.h"

namespace prism {
namespace {

bool Finite(double x) { return std::isfinite(x); }

ReferencePointRow RowFrom(const std::string& group, const Json& s, double model_aupr) {
  ReferencePointRow row;
  row.group = group;
  row.model_aupr = model_aupr;
  // One split's (or cell line's) record of simulation.json; a missing field reads as NaN
  // (aupr_reference is absent in simulations written before the reference learner).
  auto field = [&s](const char* key) { return ReadPath(s, {key}); };
  row.aupr_true = field("aupr_true");
  row.aupr_env_blind = field("aupr_env_blind");
  row.aupr_shortcut = field("aupr_shortcut");
  row.aupr_reference = field("aupr_reference");
  row.positive_rate = field("positive_rate");
  return row;
}

}  // namespace

void FillSimulationReference(const std::string& simulation_json, const Json& run_data,
                             Reflection* r) {
  std::string mismatch;
  const Json splits = ReadSimulationSplits(simulation_json, run_data, &mismatch);
  if (!mismatch.empty()) r->missing.push_back(mismatch);
  if (splits.is_null()) return;
  auto split = [&](const char* name) -> const Json* {
    auto it = splits.find(name);
    return it != splits.end() && it->is_object() ? &*it : nullptr;
  };
  const Json* train = split("train");
  const Json* val = split("val");
  const Json* test = split("test");
  SimulationReference& s = r->simulation;
  s = SimulationReference{};
  s.path = simulation_json;
  s.rows.push_back(RowFrom("train", *train, r->train_aupr));
  if (val) s.rows.push_back(RowFrom("val", *val, r->val_aupr));
  s.rows.push_back(RowFrom("test", *test, r->test_aupr));
  if (test->contains("per_cell") && (*test)["per_cell"].is_object())
    for (const auto& [cell, sj] : (*test)["per_cell"].items()) {
      double model = NAN;
      for (const auto& c : r->cells)
        if (c.cell == cell) model = c.aupr;
      s.rows.push_back(RowFrom(cell, sj, model));
    }

  const ReferencePointRow& tr = s.rows.front();
  const ReferencePointRow& te = s.rows[val ? 2 : 1];
  if (val) s.bayes_train_val_gap = tr.aupr_true - s.rows[1].aupr_true;
  s.bayes_train_test_gap = tr.aupr_true - te.aupr_true;
  if (Finite(r->gap_abs) && r->gap_abs > 0) s.intrinsic_share = s.bayes_train_test_gap / r->gap_abs;
  if (Finite(r->test_aupr)) {
    s.env_blind_shortfall = te.aupr_env_blind - r->test_aupr;
    if (te.aupr_env_blind > te.positive_rate)
      s.env_blind_reached =
          (r->test_aupr - te.positive_rate) / (te.aupr_env_blind - te.positive_rate);
  }
}

}  // namespace prism
