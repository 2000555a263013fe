// The ensemble's validation gate (gate "val"): the one-standard-error rule among the member alone,
// the network alone and the ensemble (train/xgboost_model.h GateChoice, ValidationGate).
#include <algorithm>

#include "prism/metric.h"
#include "prism/run_folder.h"
#include "train/xgboost_model.h"

namespace prism::train {

std::string GateChoice(double val_ensemble, double val_network, double val_member,
                       double se_best) {
  const double best = std::max({val_ensemble, val_network, val_member});
  if (val_member >= best - se_best) return "member";
  if (val_network >= best - se_best) return "network";
  return "ensemble";
}

Json ValidationGate(const Dataset& val, const std::vector<double>& ensemble,
                    const std::vector<double>& network, const std::vector<double>& member) {
  const double a_ens = SelectionAupr(val, ensemble);
  const double a_net = SelectionAupr(val, network);
  const double a_mem = SelectionAupr(val, member);
  const std::vector<double> se = metric::BootstrapAveragePrecisionSe(
      val.Labels(), {ensemble, network, member}, {val.weight.begin(), val.weight.end()},
      val.CellLines(), kGateResamples, kGateSeed);
  // the best candidate's SE (ties: the ensemble, then the network)
  const double se_best = a_ens >= a_net && a_ens >= a_mem ? se[0] : a_net >= a_mem ? se[1] : se[2];
  const std::string choice = GateChoice(a_ens, a_net, a_mem, se_best);
  return {{"rule", "one-standard-error rule: of the candidates whose validation AUPR is within one "
                   "bootstrap SE of the best, the member alone, else the network alone, else the "
                   "ensemble"},
          {"val_aupr_ensemble", JsonNumber(a_ens)}, {"val_aupr_network", JsonNumber(a_net)},
          {"val_aupr_member", JsonNumber(a_mem)},
          {"val_aupr_se", {{"ensemble", JsonNumber(se[0])}, {"network", JsonNumber(se[1])},
                           {"member", JsonNumber(se[2])}}},
          {"se_best", JsonNumber(se_best)},
          {"resamples", kGateResamples},
          {"balanced", !val.weight.empty()},  // train.select_balanced
          {"choice", choice},
          {"used", choice != "network"}};
}

}  // namespace prism::train
