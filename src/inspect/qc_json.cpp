// The inspector's machine-readable report (RUN/qc/qc.json): decision, reasons, findings,
// thresholds and the per-epoch series.
#include "inspect/qc_util.h"

namespace prism {

Json QcResultToJson(const RunFolder& run, const QcResult& r, const QcThresholds& t,
                    const QcReportInfo& info) {
  Json j;
  j["decision"] = r.pass ? "PASS" : "FAIL";
  j["signature"] = r.signature;
  auto finding = [](const QcFinding& f) {
    return Json{{"rule", f.rule}, {"code", f.code}, {"severity", SeverityName(f.severity)},
                {"epochs", f.epochs}, {"values", f.values}, {"escalated", f.escalated},
                {"message_en", f.message_en}, {"message_zh", f.message_zh}};
  };
  j["reasons"] = Json::array();
  for (auto* f : r.Reasons()) j["reasons"].push_back(finding(*f));
  j["findings"] = Json::array();
  for (const auto& f : r.findings) j["findings"].push_back(finding(f));
  j["thresholds"] = t.ToJson();
  Json s;
  s["epoch"] = Json::array();
  for (size_t i = 0; i < run.log.size(); ++i) s["epoch"].push_back(qc::EpochOf(run, i));
  auto series = [&](const char* key, const std::vector<double>& values) {
    s[key] = Json::array();
    for (double v : values) s[key].push_back(JsonNumber(v));
  };
  series("total_loss", qc::Series(run, [](const EpochRecord& e) { return e.Loss("total"); }));
  series("train_aupr", qc::TrainAuprSeries(run));
  series("val_aupr", qc::ValAuprSeries(run));
  j["series"] = s;
  j["run"] = {{"dir", run.dir}, {"name", run.record.name}};
  j["record_point"] = info.record_id ? Json(info.record_id) : Json();
  j["ledger"] = info.ledger_path.empty() ? Json() : Json(info.ledger_path);
  j["rollback"] = {{"status", info.rollback}, {"error", info.rollback_error},
                   {"to", info.rollback_to ? Json(info.rollback_to) : Json()},
                   {"run_dir", info.rollback_run_dir}};
  return j;
}

}  // namespace prism
