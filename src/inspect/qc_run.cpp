#include "prism/qc_run.h"

#include <cmath>
#include <filesystem>

#include "prism/atomic_file.h"
#include "prism/error.h"
#include "prism/ledger.h"
#include "prism/log.h"
#include "prism/rollback.h"

namespace prism {

QcRunOutcome RunQcOnFolder(const std::string& run_dir, const QcRunOptions& opts) {
  if (opts.lang != "zh" && opts.lang != "en") Fatal("--lang: expected zh or en, got '", opts.lang, "'");
  QcThresholds thresholds = opts.rules_path.empty() ? QcThresholds() : QcThresholds::FromToml(opts.rules_path);
  RunFolder run = RunFolder::Load(run_dir);
  ValidateRunForQc(run);

  QcRunOutcome out;
  std::unique_ptr<Ledger> ledger;
  RecordPoint existing;
  bool have_existing = false;
  std::vector<QcPastFailure> past;
  RecordPoint rp = RecordPointFromRun(run);
  if (opts.use_ledger) {
    out.info.ledger_path = opts.ledger_path.empty() ? Ledger::DefaultPath(run_dir) : opts.ledger_path;
    ledger = std::make_unique<Ledger>(out.info.ledger_path);
    have_existing = ledger->FindByRunDir(rp.run_dir, &existing);
    for (const RecordPoint& f : ledger->Failures()) {
      if (f.run_dir == rp.run_dir) continue;  // its own earlier verdicts
      QcPastFailure p;
      p.id = f.id;
      p.name = f.name;
      p.signature = f.qc_signature;
      p.train_aupr = LedgerMetrics::FromJson(f.metrics).train_aupr;
      past.push_back(p);
    }
  }
  out.result = RunQc(run, thresholds, past);
  const QcResult& r = out.result;

  if (ledger) {
    rp.qc_decision = r.pass ? "PASS" : "FAIL";
    rp.qc_reasons = r.ReasonTexts("en");
    rp.qc_signature = r.signature;
    if (have_existing) {
      rp.id = existing.id;
      rp.created = existing.created;
      rp.reflection = existing.reflection;
      rp.parent_id = existing.parent_id;
      rp.baseline_id = existing.baseline_id;
      ledger->Update(rp);
    } else {
      rp.parent_id = ledger->Active();
      rp.baseline_id = ledger->Baseline();
      rp.id = ledger->Insert(rp);
    }
    out.info.record_id = rp.id;
    if (!opts.rollback) {
      out.info.rollback = "disabled";
    } else if (r.pass) {
      if (ledger->Baseline() == 0)
        ledger->SetBaseline(rp.id, "first record point to pass QC");
      Promote(*ledger, rp.id, "QC PASS");
      out.info.rollback = "promoted";
    } else if (ledger->Baseline() == 0 || ledger->Baseline() == rp.id) {
      out.info.rollback = "no_baseline";
    } else {
      try {
        RollbackResult rb = Rollback(*ledger, 0, "QC FAIL of record point " + std::to_string(rp.id) +
                                                     " (" + r.signature + ")");
        out.info.rollback = "done";
        out.info.rollback_to = rb.to_id;
        out.info.rollback_run_dir = rb.run_dir;
      } catch (const Error& e) {
        // The verdict stands and is reported; the active model is left as it was.
        out.info.rollback = "failed";
        out.info.rollback_error = e.what();
        Log::Warning(std::string("rollback failed: ") + e.what());
      }
    }
  }

  std::string dir = run.Path("qc");
  MakeDirs(dir);
  std::string zh = RenderQcMarkdown(run, r, thresholds, out.info, "zh");
  std::string en = RenderQcMarkdown(run, r, thresholds, out.info, "en");
  WriteFileAtomic(dir + "/qc.zh.md", zh);
  WriteFileAtomic(dir + "/qc.en.md", en);
  out.markdown = opts.lang == "zh" ? zh : en;
  out.report_path = dir + "/qc.md";
  WriteFileAtomic(out.report_path, out.markdown);
  out.json_path = dir + "/qc.json";
  WriteJsonFile(out.json_path, QcResultToJson(run, r, thresholds, out.info));
  return out;
}

}  // namespace prism
