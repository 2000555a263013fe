// The numbers of the reflection, read or computed from the run folder.
#include "prism/reflect.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <numeric>

#include "prism/error.h"
#include "prism/metric.h"
#include "prism/predictions.h"

namespace prism {
namespace {

bool Finite(double x) { return std::isfinite(x); }

const Json* Find(const Json& j, const char* key) {
  if (!j.is_object()) return nullptr;
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return nullptr;
  return &*it;
}

// The epoch whose model was evaluated: the one with the best validation AUPR (the trainer keeps
// that checkpoint as best.pt); the last epoch when there is no validation.
void FillTrainSide(const RunFolder& run, const Diagnostics& diag, Reflection* r) {
  const auto& ep = run.log;
  if (!ep.empty()) {
    r->train_aupr_last = ep.back().TrainAupr();
    int best = -1;
    double best_val = -INFINITY;
    for (size_t i = 0; i < ep.size(); ++i) {
      double v = ep[i].ValAupr();
      if (Finite(v) && v > best_val) {
        best_val = v;
        best = static_cast<int>(i);
      }
    }
    int idx = best >= 0 ? best : static_cast<int>(ep.size()) - 1;
    r->train_aupr = ep[idx].TrainAupr();
    r->train_epoch = static_cast<int>(ep[idx].epoch);
    r->val_aupr = best >= 0 ? best_val : NAN;
    r->train_source = best >= 0 ? "log best epoch (max val AUPR)" : "log last epoch";
  }
  if (!Finite(r->train_aupr)) {
    double d = diag.train_aupr;
    if (Finite(d)) {
      r->train_aupr = d;
      r->train_epoch = 0;
      r->train_source = "diagnostics.json train";
    }
  }
}

void FillCells(const metric::MetricTable& table, Reflection* r) {
  for (const auto& [cell, row] : table.per_cell) {
    ReflectCell c;
    c.cell = cell;
    c.aupr = row.aupr;
    c.auc = row.auc;
    c.f1 = row.f1;
    c.recall = row.recall;
    c.precision = row.precision;
    c.threshold = row.threshold;
    c.ece = row.ece;
    c.n = row.n;
    c.positives = row.positives;
    r->cells.push_back(c);
  }
  std::vector<double> a;
  for (const auto& c : r->cells)
    if (Finite(c.aupr)) a.push_back(c.aupr);
  if (a.empty()) return;
  r->cell_min = *std::min_element(a.begin(), a.end());
  r->cell_max = *std::max_element(a.begin(), a.end());
  r->cell_mean = std::accumulate(a.begin(), a.end(), 0.0) / a.size();
  double ss = 0;
  for (double x : a) ss += (x - r->cell_mean) * (x - r->cell_mean);
  r->cell_std = std::sqrt(ss / a.size());
  for (const auto& c : r->cells) {
    if (c.aupr == r->cell_min && r->worst_cell.empty()) r->worst_cell = c.cell;
    if (c.aupr == r->cell_max && r->best_cell.empty()) r->best_cell = c.cell;
  }
  if (a.size() >= 2)
    r->worst_gap_to_others = (r->cell_mean * a.size() - r->cell_min) / (a.size() - 1) - r->cell_min;
}

void FillDiagnostics(const RunFolder& run, const Diagnostics& diag, Reflection* r) {
  const Json& cfg = run.record.config;
  if (const Json* comps = Find(cfg, "components"); comps && comps->is_object())
    for (const auto& [name, on] : comps->items())
      if (on.is_boolean() && on.get<bool>()) r->components.push_back(name);

  r->n_train_cells = static_cast<int>(run.record.data.train_cells.size());

  const EpochRecord last = run.log.empty() ? EpochRecord() : run.log.back();
  r->disc_acc = diag.disc_acc ? *diag.disc_acc : last.disc_acc.value_or(NAN);
  r->temperature = !std::isnan(diag.temperature) ? diag.temperature : last.temperature;
  r->zi_ze_corr = diag.zi_ze_corr.value_or(NAN);
  r->proto_min_dist = diag.proto_min_dist;
  r->proto_mean_dist = diag.proto_mean_dist;
  r->proto_within_spread = diag.proto_within_spread;
  if (Finite(r->proto_min_dist) && Finite(r->proto_within_spread) && r->proto_within_spread > 0)
    r->proto_separation_ratio = r->proto_min_dist / r->proto_within_spread;
  r->r_e_mean = diag.r_e_mean;
  r->r_e_std = diag.r_e_std;
  r->r_e_min = diag.r_e_min;
  r->r_e_max = diag.r_e_max;

  auto weight = [&](const char* name) {
    double w = last.Weight(name);
    if (!Finite(w)) w = run.record.ConfigNumber({"loss", "weights", name});
    return w;
  };
  r->weight_adversarial = weight("adversarial");
  r->weight_orthogonality = weight("orthogonality");
  r->weight_prototype = weight("prototype");

  // train.balance: how strongly the covariate went with the label, before and after weighting.
  if (const auto& bal = run.record.balance) {
    r->balance_covariate = bal->covariate;
    auto upd_max = [](double* acc, double v) {
      if (Finite(v)) *acc = Finite(*acc) ? std::max(*acc, std::abs(v)) : std::abs(v);
    };
    for (const BalanceCell& c : bal->per_cell) {
      upd_max(&r->confound_corr_before, c.corr_before);
      upd_max(&r->confound_corr_after, c.corr_after);
      const double n = static_cast<double>(c.n), ess = c.effective_n;
      if (n > 0 && Finite(ess))
        r->balance_ess_share =
            Finite(r->balance_ess_share) ? std::min(r->balance_ess_share, ess / n) : ess / n;
    }
  }

  // Prototype assignment of each unseen cell; the number of prototypes is the number of weights.
  for (auto& c : r->cells) {
    if (auto it = diag.r_e_per_cell.find(c.cell); it != diag.r_e_per_cell.end())
      std::tie(c.r_e_mean, c.r_e_std) = it->second;
    auto a = diag.assignment.find(c.cell);
    if (a == diag.assignment.end()) continue;
    c.entropy = a->second.entropy;
    if (!a->second.top.empty()) c.top_prototype = a->second.top;
    int k = r->n_train_cells;
    if (!a->second.weights.empty()) k = static_cast<int>(a->second.weights.size());
    if (r->n_train_cells == 0) r->n_train_cells = k;
    if (k >= 2 && Finite(c.entropy)) c.entropy_norm = c.entropy / std::log(static_cast<double>(k));
  }

  r->disc_chance = diag.disc_chance.value_or(NAN);
  if (!Finite(r->disc_chance) && r->n_train_cells > 0) r->disc_chance = 1.0 / r->n_train_cells;
  if (Finite(r->disc_acc) && Finite(r->disc_chance) && r->disc_chance < 1)
    r->disc_excess = (r->disc_acc - r->disc_chance) / (1 - r->disc_chance);
}

}  // namespace

Lang ParseLang(const std::string& s) {
  if (s == "zh") return Lang::kZh;
  if (s == "en") return Lang::kEn;
  Fatal("unknown language '", s, "' (expected zh or en)");
}

const char* LangCode(Lang lang) { return lang == Lang::kZh ? "zh" : "en"; }

Reflection Reflect(const RunFolder& run) {
  Reflection r;
  r.run_dir = run.dir;
  if (!run.record.name.empty())
    r.run_name = run.record.name;
  else
    r.run_name = std::filesystem::path(run.dir).filename().string();
  if (!run.has_run_json) r.missing.push_back("run.json");
  if (!run.has_log) r.missing.push_back("train_log.jsonl");

  Diagnostics diag;
  if (run.Exists("diagnostics.json")) {
    diag = ReadDiagnostics(run.Path("diagnostics.json"));
  } else {
    r.missing.push_back("diagnostics.json");
  }

  const bool has_metrics = run.Exists("metrics/test.json");
  const bool has_pred = run.Exists("predictions/test.csv");
  if (!has_metrics && !has_pred)
    throw Error(run.dir + ": no test evaluation (neither metrics/test.json nor "
                "predictions/test.csv exists); run `prism predict` first");

  Predictions pred;
  if (has_pred) pred = ReadPredictions(run.Path("predictions/test.csv"));
  else r.missing.push_back("predictions/test.csv");

  metric::MetricTable table;
  Json ensemble;  // model.ensemble runs: metrics/test.json `ensemble`
  if (has_metrics) {
    const PredictionMetrics pm = ReadPredictionMetrics(run.Path("metrics/test.json"));
    table = pm.table;
    ensemble = pm.ensemble;
  } else {
    r.missing.push_back("metrics/test.json");
    // The threshold `prism predict` would have used (the best checkpoint's from validation).
    table = metric::ComputeTable(pred.label, pred.score, pred.cell_line,
                                 run.PredictThresholdPolicy("best"));
  }

  FillTrainSide(run, diag, &r);
  // An ensemble's test AUPR is compared with the ensemble's train and val AUPR, not the network's
  // alone from the log (diagnostics.json train and metrics/test.json ensemble.val_aupr).
  if (ensemble.is_object() && ensemble.contains("val_aupr") && ensemble["val_aupr"].is_number() &&
      Finite(diag.train_aupr)) {
    r.val_aupr = ensemble["val_aupr"].get<double>();
    r.train_aupr = diag.train_aupr;
    r.train_epoch = 0;
    r.train_source = "ensemble (diagnostics.json train, metrics/test.json ensemble.val_aupr)";
  }
  r.test_aupr = table.overall.aupr;
  if (Finite(r.train_aupr) && Finite(r.test_aupr)) {
    r.gap_abs = r.train_aupr - r.test_aupr;
    if (r.train_aupr > 0) r.gap_rel = r.gap_abs / r.train_aupr;
  }
  if (Finite(r.val_aupr) && Finite(r.test_aupr)) r.val_test_gap = r.val_aupr - r.test_aupr;

  FillCells(table, &r);

  const auto& o = table.overall;
  r.recall = o.recall;
  r.precision = o.precision;
  r.f1 = o.f1;
  r.threshold = o.threshold;
  r.balance = o.recall - o.precision;
  r.threshold_extreme = Finite(o.threshold) && (o.threshold <= 0.05 || o.threshold >= 0.95);
  r.ece = o.ece;
  r.brier = o.brier;
  if (pred.size() > 0) {
    r.reliability = metric::Reliability(pred.label, pred.score, 15);
    if (!Finite(r.ece)) r.ece = metric::Ece(pred.label, pred.score, 15);
    if (!Finite(r.brier)) r.brier = metric::Brier(pred.label, pred.score);
    r.mean_score = std::accumulate(pred.score.begin(), pred.score.end(), 0.0) / pred.size();
    r.positive_rate =
        std::accumulate(pred.label.begin(), pred.label.end(), 0.0) / pred.size();
  } else if (o.n > 0) {
    r.positive_rate = static_cast<double>(o.positives) / o.n;
  }

  FillDiagnostics(run, diag, &r);
  // Data made by `prism simulate`: place the run between the simulation's oracles.
  if (!run.record.data.path.empty()) {
    const std::string sim = run.record.data.path + "/simulation.json";
    if (std::filesystem::is_regular_file(sim)) FillSimulationReference(sim, run.run.at("data"), &r);
  }
  // Optional (written by predict for sequence data since issue 14): no entry in `missing`.
  if (run.Exists(kShortcutRelianceFile))
    r.shortcut_reliance = ReadShortcutReliance(run.Path(kShortcutRelianceFile));
  r.hypotheses = RankHypotheses(r);
  return r;
}

}  // namespace prism
