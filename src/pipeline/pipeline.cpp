// pipeline/pipeline.cpp - `prism run`: simulate (or given data) -> audit -> train -> predict ->
// qc -> reflect -> report.
#include "prism/pipeline.h"

#include <filesystem>

#include "prism/atomic_file.h"
#include "prism/audit.h"
#include "prism/compute_threads.h"
#include "prism/domain_kl.h"
#include "prism/error.h"
#include "prism/log.h"
#include "prism/qc_run.h"
#include "prism/reflect.h"
#include "prism/report.h"
#include "prism/run_folder.h"
#include "prism/run_lock.h"
#include "prism/simulate.h"
#include "prism/train.h"

namespace prism {
namespace {

namespace fs = std::filesystem;

void Stage(const std::string& name) { Log::Info("== " + name); }

TrainConfig RunConfig(const PipelineOptions& o) {
  if (!o.config.empty()) return ReadTrainConfig(o.config);
  return BuiltinTrainConfig(o.sim_preset == "tiny" && o.data.empty() ? "tiny" : "default");
}

/// The data: the given folder, or a simulation written to OUT/data; then its audit.
std::string PrepareData(const PipelineOptions& o, std::ostream& out) {
  std::string data_dir = o.data;
  if (data_dir.empty()) {
    data_dir = o.out + "/data";
    Stage("simulate (" + o.sim_preset + ", seed " + std::to_string(o.seed) + ") -> " + data_dir);
    SimulationOptions so = SimulationPreset(o.sim_preset);
    so.seed = o.seed;
    Simulate(so, data_dir);
  }
  Stage("audit " + data_dir);
  AuditReport audit = AuditDomainKl(ReadDomainKl(data_dir));
  WriteJsonFile(o.out + "/audit.json", AuditReportToJson(audit));
  out << FormatAuditReport(audit) << std::endl;
  if (audit.leakage_found)
    Log::Warning("the audit found leakage between train and test (shared elements or cell lines; see audit.json)");
  return data_dir;
}

/// train -> predict on the unseen test cell lines.
void TrainAndPredict(const PipelineOptions& o, TrainConfig config, PipelineResult* r,
                     std::ostream& out) {
  Stage("train (" + config.preset + " preset, " +
        (config.model.kind == "xgboost"
             ? "xgboost, up to " + std::to_string(config.model.xgb_rounds) + " rounds"
             : config.train.epochs > 0
                   ? std::to_string(config.train.epochs) + " epochs"
                   : "epochs for " + std::to_string(config.train.steps) + " steps") +
        (config.model.kind == "network" && config.model.ensemble != "none"
             ? ", averaged with " +
                   std::string(config.model.ensemble == "xgboost" ? "xgboost trees"
                                                                  : "a motif grammar")
             : "") +
        ") -> " + r->run_dir);
  // --threads of `prism run`, else the global `prism --threads` (already applied by main).
  const int threads = o.threads > 0 ? o.threads : ComputeThreads();
  TrainRunOptions topt;
  topt.out_dir = r->run_dir;
  topt.threads = threads;
  topt.force = o.force;
  topt.baselines = !o.no_baselines;
  TrainSummary ts = TrainRun(config, topt);
  Log::Info("trained " + std::to_string(ts.epochs_run) + " epochs, best epoch " +
            std::to_string(ts.best_epoch));

  Stage("predict (context-aware) on the unseen test cell lines");
  PredictOptions popt;
  popt.run_dir = r->run_dir;
  popt.data_dir = r->data_dir;
  popt.threads = threads;
  popt.baselines = !o.no_baselines;
  PredictSummary ps = PredictRun(popt);
  out << "\nUnseen-cell results (" << r->run_dir << "/results.md)\n\n"
      << ps.table_markdown << std::endl;
}

/// qc -> reflect -> report.
void Judge(const PipelineOptions& o, PipelineResult* r, std::ostream& out) {
  Stage("qc (training inspector)");
  QcRunOptions qopt;
  qopt.lang = o.lang;
  QcRunOutcome qc = RunQcOnFolder(r->run_dir, qopt);
  r->qc_pass = qc.result.pass;
  out << "QC: " << (qc.result.pass ? "PASS" : "FAIL");
  for (const std::string& reason : qc.result.ReasonTexts(o.lang)) out << "\n  - " << reason;
  out << "\n  report: " << qc.report_path << "\n" << std::endl;

  Stage("reflect");
  RunFolder rf = RunFolder::Load(r->run_dir);
  Reflection reflection = Reflect(rf);
  Lang lang = ParseLang(o.lang);
  WriteReflection(reflection, r->run_dir, lang);
  if (!qc.info.ledger_path.empty()) StoreReflectionInLedger(qc.info.ledger_path, rf, reflection);
  out << ReflectionSummary(reflection, lang) << "\n" << std::endl;

  Stage("report");
  r->report = fs::absolute(WriteReport(r->run_dir)).lexically_normal().string();
  out << "HTML report: " << r->report << std::endl;
}

}  // namespace

PipelineResult RunPipeline(const PipelineOptions& o, std::ostream& out) {
  // The configuration first: a bad --config is refused before anything is written.
  TrainConfig config = RunConfig(o);
  const bool features = config.data.kind == "features";
  if (features && !o.data.empty())
    Fatal("prism run: --data is a sequence layout; a feature-table config names its tables "
          "(data.files)");
  MakeDirs(o.out);
  PipelineResult r;
  if (features) {
    // Feature tables (the network or model.kind = "xgboost"): the config's files, no simulation
    // and no sequence audit.
    Stage("data: the config's feature tables (" + std::to_string(config.data.files.size()) +
          " files)");
  } else {
    r.data_dir = PrepareData(o, out);
    // Absolute, as `prism train --data` makes it: the run's config.toml names the data for a
    // later `prism predict RUN`, which reads relative paths from the run folder.
    config.data.dir = std::filesystem::absolute(r.data_dir).lexically_normal().string();
  }
  config.seed = o.seed;
  const std::string runs_dir = o.out + "/runs";
  MakeDirs(runs_dir);
  RunLock lock;  // held through every stage: one writer per run folder
  r.run_dir = CreateNumberedRunDir(runs_dir, config.name, "prism run", &lock);
  TrainAndPredict(o, config, &r, out);
  Judge(o, &r, out);
  return r;
}

}  // namespace prism
