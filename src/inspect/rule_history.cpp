// Rule history: the failure signature (sorted failed rule ids) equals an earlier FAIL record
// point in the ledger -> "repeats record point N". Runs after the decision.
#include <cmath>
#include <cstdio>

#include "inspect/qc_util.h"

namespace prism::qc {
namespace {

class HistoryRule : public QcRule {
 public:
  const char* name() const override { return "history"; }
  bool AfterDecision() const override { return true; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    if (ctx.signature.empty()) return;
    std::vector<const QcPastFailure*> same;
    for (const auto& p : ctx.past_failures)
      if (p.signature == ctx.signature) same.push_back(&p);
    if (same.empty()) return;
    const QcPastFailure* last = same.front();
    for (const auto* p : same) if (p->id > last->id) last = p;
    std::vector<std::string> ids;
    for (const auto* p : same) ids.push_back(std::to_string(p->id));
    std::string extra_en, extra_zh;
    double now = ctx.run->log.back().TrainAupr();
    if (std::isfinite(last->train_aupr) && std::isfinite(now)) {
      extra_en = " (train AUPR then " + Fmt(last->train_aupr) + ", now " + Fmt(now) + ")";
      extra_zh = "（记录点" + std::to_string(last->id) + "训练AUPR " + Fmt(last->train_aupr) +
                 "，本次" + Fmt(now) + "）";
    }
    out->push_back(Make("history", "repeat", Severity::kFail,
                        "Failure pattern repeats record point " + std::to_string(last->id) + " ('" +
                            last->name + "'): same failed rules {" + ctx.signature + "}" + extra_en +
                            (same.size() > 1 ? "; also record points " + Join(ids, ", ") : "") + ".",
                        "历史失败模式重复：重复记录点" + std::to_string(last->id) + "（" + last->name +
                            "）的失败，失败的规则完全相同{" + ctx.signature + "}" + extra_zh +
                            (same.size() > 1 ? "；另见记录点" + Join(ids, "、") : "") + "。",
                        {}, {{"record_point", last->id}, {"record_points", ids},
                             {"signature", ctx.signature}}));
  }
};

}  // namespace

std::unique_ptr<QcRule> MakeHistoryRule() { return std::make_unique<HistoryRule>(); }

}  // namespace prism::qc
