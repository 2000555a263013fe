// The ensemble's validation gate (gate "val"): the member alone by the one-standard-error rule,
// else the better of the network alone and the ensemble (train/xgboost_model.h GateChoice,
// ValidationGate).
#include <algorithm>

#include "prism/metric.h"
#include "prism/run_folder.h"
#include "train/xgboost_model.h"

namespace prism::train {

std::string GateChoice(double val_ensemble, double val_network, double val_member,
                       double se_best) {
  const double best = std::max({val_ensemble, val_network, val_member});
  if (val_member >= best - se_best) return "member";
  // The member more than one SE below the best: of the two that hold the network, the higher on
  // validation (the network alone on a tie). The network alone is not taken for being simpler than
  // the ensemble: on every recorded transfer run where that made the difference, it scored below
  // the ensemble on the unseen cell lines (experiments/validation-gate.md).
  return val_network >= val_ensemble ? "network" : "ensemble";
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
  return {{"rule", "one-standard-error rule for the member: the member alone if its validation AUPR "
                   "is within one bootstrap SE of the best, else the better of the network alone "
                   "and the ensemble"},
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
