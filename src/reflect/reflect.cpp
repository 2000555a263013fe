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
void FillTrainSide(const RunFolder& run, const Json& diag, Reflection* r) {
  const auto& ep = run.epochs;
  if (!ep.empty()) {
    r->train_aupr_last = ReadPath(ep.back(), {"train", "aupr"});
    int best = -1;
    double best_val = -INFINITY;
    for (size_t i = 0; i < ep.size(); ++i) {
      double v = ReadPath(ep[i], {"val", "aupr"});
      if (Finite(v) && v > best_val) {
        best_val = v;
        best = static_cast<int>(i);
      }
    }
    int idx = best >= 0 ? best : static_cast<int>(ep.size()) - 1;
    r->train_aupr = ReadPath(ep[idx], {"train", "aupr"});
    r->train_epoch = static_cast<int>(ReadPath(ep[idx], {"epoch"}, idx + 1));
    r->val_aupr = best >= 0 ? best_val : NAN;
    r->train_source = best >= 0 ? "log best epoch (max val AUPR)" : "log last epoch";
  }
  if (!Finite(r->train_aupr)) {
    double d = ReadPath(diag, {"train", "aupr"});
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

void FillDiagnostics(const RunFolder& run, const Json& diag, Reflection* r) {
  const Json& cfg = run.run.contains("config") ? run.run["config"] : Json::object();
  if (const Json* comps = Find(cfg, "components"); comps && comps->is_object())
    for (const auto& [name, on] : comps->items())
      if (on.is_boolean() && on.get<bool>()) r->components.push_back(name);

  if (const Json* tc = Find(Find(run.run, "data") ? run.run["data"] : Json(), "train_cells");
      tc && tc->is_array())
    r->n_train_cells = static_cast<int>(tc->size());

  const Json last = run.epochs.empty() ? Json::object() : run.epochs.back();
  r->disc_acc = ReadPath(diag, {"disc_acc"}, ReadPath(last, {"disc_acc"}));
  r->temperature = ReadPath(diag, {"T"}, ReadPath(last, {"T"}));
  r->zi_ze_corr = ReadPath(diag, {"zi_ze_corr"});
  r->proto_min_dist = ReadPath(diag, {"prototype_separation", "min_dist"});
  r->proto_mean_dist = ReadPath(diag, {"prototype_separation", "mean_dist"});
  r->proto_within_spread = ReadPath(diag, {"prototype_separation", "within_spread"});
  if (Finite(r->proto_min_dist) && Finite(r->proto_within_spread) && r->proto_within_spread > 0)
    r->proto_separation_ratio = r->proto_min_dist / r->proto_within_spread;
  r->r_e_mean = ReadPath(diag, {"r_e", "mean"});
  r->r_e_std = ReadPath(diag, {"r_e", "std"});
  r->r_e_min = ReadPath(diag, {"r_e", "min"});
  r->r_e_max = ReadPath(diag, {"r_e", "max"});

  auto weight = [&](const char* name) {
    double w = ReadPath(last, {"weights", name});
    if (!Finite(w)) w = ReadPath(cfg, {"loss", "weights", name});
    return w;
  };
  r->weight_adversarial = weight("adversarial");
  r->weight_orthogonality = weight("orthogonality");
  r->weight_prototype = weight("prototype");

  // train.balance: how strongly the covariate went with the label, before and after weighting.
  if (const Json* bal = Find(run.run, "balance"); bal && bal->is_object()) {
    if (const Json* cov = Find(*bal, "covariate"); cov && cov->is_string())
      r->balance_covariate = cov->get<std::string>();
    auto upd_max = [](double* acc, double v) {
      if (Finite(v)) *acc = Finite(*acc) ? std::max(*acc, std::abs(v)) : std::abs(v);
    };
    if (const Json* cells = Find(*bal, "per_cell"); cells && cells->is_array())
      for (const auto& c : *cells) {
        upd_max(&r->confound_corr_before, ReadPath(c, {"corr_before"}));
        upd_max(&r->confound_corr_after, ReadPath(c, {"corr_after"}));
        const double n = ReadPath(c, {"n"}), ess = ReadPath(c, {"effective_n"});
        if (Finite(n) && n > 0 && Finite(ess))
          r->balance_ess_share =
              Finite(r->balance_ess_share) ? std::min(r->balance_ess_share, ess / n) : ess / n;
      }
  }

  // Prototype assignment of each unseen cell; the number of prototypes is the number of weights.
  const Json* assign = Find(diag, "prototype_assignment");
  for (auto& c : r->cells) {
    c.r_e_mean = ReadPath(diag, {"r_e", "per_cell", c.cell.c_str(), "mean"});
    c.r_e_std = ReadPath(diag, {"r_e", "per_cell", c.cell.c_str(), "std"});
    if (!assign) continue;
    const Json* a = Find(*assign, c.cell.c_str());
    if (!a) continue;
    c.entropy = ReadPath(*a, {"entropy"});
    if (const Json* top = Find(*a, "top"); top && top->is_string()) c.top_prototype = *top;
    int k = r->n_train_cells;
    if (const Json* w = Find(*a, "weights"); w && w->is_object() && !w->empty())
      k = static_cast<int>(w->size());
    if (r->n_train_cells == 0) r->n_train_cells = k;
    if (k >= 2 && Finite(c.entropy)) c.entropy_norm = c.entropy / std::log(static_cast<double>(k));
  }

  r->disc_chance = ReadPath(diag, {"disc_chance"});
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
  if (run.run.contains("name") && run.run["name"].is_string())
    r.run_name = run.run["name"].get<std::string>();
  else
    r.run_name = std::filesystem::path(run.dir).filename().string();
  if (!run.has_run_json) r.missing.push_back("run.json");
  if (!run.has_log) r.missing.push_back("train_log.jsonl");

  Json diag = Json::object();
  if (run.Exists("diagnostics.json")) {
    diag = ReadJsonFile(run.Path("diagnostics.json"));
    if (!diag.is_object())
      throw InputError(run.Path("diagnostics.json"), 1, 0, "expected a JSON object");
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
  if (has_metrics) {
    Json mj = ReadJsonFile(run.Path("metrics/test.json"));
    if (!mj.is_object() || !mj.contains("overall"))
      throw InputError(run.Path("metrics/test.json"), 1, 0,
                       "expected an object with \"overall\" (docs/run-folder.md)");
    table = metric::TableFromJson(mj);
  } else {
    r.missing.push_back("metrics/test.json");
    table = metric::ComputeTable(pred.label, pred.score, pred.cell_line);
  }

  FillTrainSide(run, diag, &r);
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
  if (const Json* data = Find(run.run, "data"); data && data->is_object())
    if (const Json* path = Find(*data, "path"); path && path->is_string()) {
      const std::string sim = path->get<std::string>() + "/simulation.json";
      if (std::filesystem::is_regular_file(sim)) FillSimulationReference(sim, *data, &r);
    }
  r.hypotheses = RankHypotheses(r);
  return r;
}

}  // namespace prism
