// The stages of `prism run` after the data is ready: train -> predict -> qc -> reflect -> report.
#include "cli/run_stages.h"

#include <filesystem>
#include <iostream>

#include "prism/atomic_file.h"
#include "prism/compute_threads.h"
#include "prism/error.h"
#include "prism/log.h"
#include "prism/qc_run.h"
#include "prism/reflect.h"
#include "prism/report.h"
#include "prism/run_folder.h"
#include "prism/run_lock.h"
#include "prism/train.h"

namespace prism::cli {
namespace {

namespace fs = std::filesystem;

TrainConfig RunConfig(const RunArgs& args) {
  if (!args.config.empty()) return ReadTrainConfig(args.config);
  const std::string name = args.sim_preset == "tiny" && args.data.empty() ? "tiny" : "default";
  return BuiltinTrainConfig(name);
}

}  // namespace

void Stage(const std::string& name) { Log::Info("== " + name); }

std::string RunModelStages(const RunArgs& args, const std::string& data_dir) {
  TrainConfig config = RunConfig(args);
  if (config.data.kind != "sequence")
    Fatal("prism run needs a sequence configuration (data.kind = \"sequence\"), got '",
          config.data.kind, "'");
  config.data.dir = data_dir;
  config.seed = args.seed;
  const std::string runs_dir = args.out + "/runs";
  MakeDirs(runs_dir);
  RunLock lock;  // held through every stage: one writer per run folder
  const std::string run_dir = CreateNumberedRunDir(runs_dir, config.name, "prism run", &lock);

  Stage("train (" + config.preset + " preset, " + std::to_string(config.train.epochs) +
        " epochs) -> " + run_dir);
  // --threads of `prism run`, else the global `prism --threads` (already applied by main).
  const int threads = args.threads > 0 ? args.threads : ComputeThreads();
  TrainRunOptions topt;
  topt.out_dir = run_dir;
  topt.threads = threads;
  topt.force = args.force;
  TrainSummary ts = TrainRun(config, topt);
  Log::Info("trained " + std::to_string(ts.epochs_run) + " epochs, best epoch " +
            std::to_string(ts.best_epoch));

  Stage("predict (context-aware) on the unseen test cell lines");
  PredictOptions popt;
  popt.run_dir = run_dir;
  popt.data_dir = data_dir;
  popt.threads = threads;
  PredictSummary ps = PredictRun(popt);
  std::cout << "\nUnseen-cell results (" << run_dir << "/results.md)\n\n"
            << ps.table_markdown << std::endl;

  Stage("qc (training inspector)");
  QcRunOptions qopt;
  qopt.lang = args.lang;
  QcRunOutcome qc = RunQcOnFolder(run_dir, qopt);
  std::cout << "QC: " << (qc.result.pass ? "PASS" : "FAIL");
  for (const std::string& reason : qc.result.ReasonTexts(args.lang)) std::cout << "\n  - " << reason;
  std::cout << "\n  report: " << qc.report_path << "\n" << std::endl;

  Stage("reflect");
  RunFolder rf = RunFolder::Load(run_dir);
  Reflection reflection = Reflect(rf);
  Lang lang = ParseLang(args.lang);
  WriteReflection(reflection, run_dir, lang);
  if (!qc.info.ledger_path.empty()) StoreReflectionInLedger(qc.info.ledger_path, rf, reflection);
  std::cout << ReflectionSummary(reflection, lang) << "\n" << std::endl;

  Stage("report");
  std::string html = WriteReport(run_dir);
  std::cout << "HTML report: " << fs::absolute(html).lexically_normal().string() << std::endl;
  return html;
}

}  // namespace prism::cli
