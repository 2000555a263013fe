// The reflection as JSON: RUN/reflect/reflect.json and the summary the ledger keeps.
#include "prism/atomic_file.h"
#include "prism/reflect.h"

namespace prism {

Json ReflectionJson(const Reflection& r) {
  Json j;
  j["run"] = {{"name", r.run_name}, {"dir", r.run_dir}, {"missing", r.missing}};
  j["generalization"] = {{"train_aupr", JsonNumber(r.train_aupr)},
                         {"train_epoch", r.train_epoch},
                         {"train_source", r.train_source},
                         {"train_aupr_last", JsonNumber(r.train_aupr_last)},
                         {"val_aupr", JsonNumber(r.val_aupr)},
                         {"test_aupr", JsonNumber(r.test_aupr)},
                         {"gap_abs", JsonNumber(r.gap_abs)},
                         {"gap_rel", JsonNumber(r.gap_rel)},
                         {"val_test_gap", JsonNumber(r.val_test_gap)}};
  Json cells = Json::array();
  for (const auto& c : r.cells)
    cells.push_back({{"cell", c.cell}, {"aupr", JsonNumber(c.aupr)}, {"auc", JsonNumber(c.auc)},
                     {"f1", JsonNumber(c.f1)}, {"recall", JsonNumber(c.recall)},
                     {"precision", JsonNumber(c.precision)},
                     {"threshold", JsonNumber(c.threshold)}, {"ece", JsonNumber(c.ece)},
                     {"n", c.n}, {"positives", c.positives},
                     {"r_e_mean", JsonNumber(c.r_e_mean)}, {"r_e_std", JsonNumber(c.r_e_std)},
                     {"entropy", JsonNumber(c.entropy)},
                     {"entropy_norm", JsonNumber(c.entropy_norm)},
                     {"top_prototype", c.top_prototype}});
  j["per_cell"] = {{"cells", cells},
                   {"min", JsonNumber(r.cell_min)},
                   {"max", JsonNumber(r.cell_max)},
                   {"mean", JsonNumber(r.cell_mean)},
                   {"std", JsonNumber(r.cell_std)},
                   {"worst", r.worst_cell},
                   {"best", r.best_cell},
                   {"worst_gap_to_others", JsonNumber(r.worst_gap_to_others)}};
  Json rel = Json::array();
  for (const auto& b : r.reliability)
    rel.push_back({{"lo", b.lo}, {"hi", b.hi}, {"n", b.n},
                   {"mean_score", JsonNumber(b.mean_score)}, {"frac_pos", JsonNumber(b.frac_pos)}});
  j["threshold"] = {{"threshold", JsonNumber(r.threshold)},
                    {"extreme", r.threshold_extreme},
                    {"recall", JsonNumber(r.recall)},
                    {"precision", JsonNumber(r.precision)},
                    {"f1", JsonNumber(r.f1)},
                    {"recall_minus_precision", JsonNumber(r.balance)}};
  j["calibration"] = {{"ece", JsonNumber(r.ece)},
                      {"brier", JsonNumber(r.brier)},
                      {"bins", 15},
                      {"mean_score", JsonNumber(r.mean_score)},
                      {"positive_rate", JsonNumber(r.positive_rate)},
                      {"reliability", rel}};
  j["components"] = {{"configured", r.components},
                     {"n_train_cells", r.n_train_cells},
                     {"disc_acc", JsonNumber(r.disc_acc)},
                     {"disc_chance", JsonNumber(r.disc_chance)},
                     {"disc_excess", JsonNumber(r.disc_excess)},
                     {"zi_ze_corr", JsonNumber(r.zi_ze_corr)},
                     {"prototype_min_dist", JsonNumber(r.proto_min_dist)},
                     {"prototype_mean_dist", JsonNumber(r.proto_mean_dist)},
                     {"prototype_within_spread", JsonNumber(r.proto_within_spread)},
                     {"prototype_separation_ratio", JsonNumber(r.proto_separation_ratio)},
                     {"r_e", {{"mean", JsonNumber(r.r_e_mean)}, {"std", JsonNumber(r.r_e_std)},
                              {"min", JsonNumber(r.r_e_min)}, {"max", JsonNumber(r.r_e_max)}}},
                     {"T", JsonNumber(r.temperature)},
                     {"weights", {{"adversarial", JsonNumber(r.weight_adversarial)},
                                  {"orthogonality", JsonNumber(r.weight_orthogonality)},
                                  {"prototype", JsonNumber(r.weight_prototype)}}}};
  Json hs = Json::array();
  for (const auto& h : r.hypotheses)
    hs.push_back({{"rank", h.rank}, {"id", h.id}, {"severity", JsonNumber(h.severity)},
                  {"strength", JsonNumber(h.strength)}, {"metric", h.metric},
                  {"value", JsonNumber(h.value)}, {"trigger", JsonNumber(h.trigger)},
                  {"support", h.support}, {"support_value", JsonNumber(h.support_value)},
                  {"title", {{"en", h.title_en}, {"zh", h.title_zh}}},
                  {"evidence", {{"en", h.evidence_en}, {"zh", h.evidence_zh}}},
                  {"next", {{"en", h.next_en}, {"zh", h.next_zh}}}});
  j["hypotheses"] = hs;
  j["shortcut_reliance"] = r.shortcut_reliance ? r.shortcut_reliance->ToJson() : Json();
  if (!r.simulation.path.empty()) {
    const SimulationReference& sr = r.simulation;
    Json rows = Json::array();
    for (const auto& row : sr.rows)
      rows.push_back({{"group", row.group}, {"model_aupr", JsonNumber(row.model_aupr)},
                      {"aupr_true", JsonNumber(row.aupr_true)},
                      {"aupr_env_blind", JsonNumber(row.aupr_env_blind)},
                      {"aupr_shortcut", JsonNumber(row.aupr_shortcut)},
                      {"aupr_reference", JsonNumber(row.aupr_reference)},
                      {"positive_rate", JsonNumber(row.positive_rate)}});
    j["simulation"] = {{"path", sr.path}, {"rows", rows},
                       {"bayes_train_val_gap", JsonNumber(sr.bayes_train_val_gap)},
                       {"bayes_train_test_gap", JsonNumber(sr.bayes_train_test_gap)},
                       {"intrinsic_share", JsonNumber(sr.intrinsic_share)},
                       {"env_blind_shortfall", JsonNumber(sr.env_blind_shortfall)},
                       {"env_blind_reached", JsonNumber(sr.env_blind_reached)}};
  }
  j["summary"] = {{"en", ReflectionSummary(r, Lang::kEn)}, {"zh", ReflectionSummary(r, Lang::kZh)}};
  return j;
}

Json ReflectionLedgerSummary(const Reflection& r) {
  Json hs = Json::array();
  for (const auto& h : r.hypotheses)
    hs.push_back({{"rank", h.rank}, {"id", h.id}, {"severity", JsonNumber(h.severity)},
                  {"metric", h.metric}, {"value", JsonNumber(h.value)}});
  return {{"summary", ReflectionSummary(r, Lang::kEn)},
          {"en", ReflectionSummary(r, Lang::kEn)}, {"zh", ReflectionSummary(r, Lang::kZh)},
          {"train_aupr", JsonNumber(r.train_aupr)}, {"test_aupr", JsonNumber(r.test_aupr)},
          {"gap_abs", JsonNumber(r.gap_abs)}, {"gap_rel", JsonNumber(r.gap_rel)},
          {"worst_cell", r.worst_cell}, {"cell_min", JsonNumber(r.cell_min)},
          {"ece", JsonNumber(r.ece)}, {"threshold", JsonNumber(r.threshold)},
          {"hypotheses", hs}};
}

}  // namespace prism
