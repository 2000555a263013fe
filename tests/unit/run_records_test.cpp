// Tests of the typed run records (prism/run_records.h): round trips, tolerant reading of older
// files, errors naming file, line and field, and the checkpoint file check.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "prism/hash.h"
#include "prism/qc.h"
#include "prism/run_folder.h"
#include "prism/run_records.h"
#include "qc_test_util.h"
#include "test_util.h"

namespace prism {
namespace {

EpochRecord SampleEpoch() {
  EpochRecord e;
  e.epoch = 3;
  e.seconds = 1.5;
  e.samples_per_s = 800;
  e.lr = 0.001;
  e.loss = {{"task", 0.6}, {"prototype", NAN}, {"total", 0.9}};
  e.weights = {{"task", 1.0}, {"prototype", 0.1}};
  e.grad_norm = GradNorm{1.3, 0.2, 4.1};
  EpochScores tr;
  tr.aupr = 0.7;
  tr.auc = 0.72;
  tr.precision = 0.5;
  tr.recall = 0.6;
  tr.f1 = 0.55;
  e.train = tr;
  EpochScores va = tr;
  va.threshold = 0.4;
  va.has_threshold = va.has_per_cell = true;
  va.per_cell["C"] = {0.6, 0.65, 40};
  e.val = va;
  e.output = OutputStats{0.3, 0.2, 0.01, 0.05};
  e.temperature = 1.0;
  e.nan_steps = 2;
  e.sampler = "cell";
  e.components = {"task", "prototype"};
  e.parameters = 1234;
  e.train_samples = 500;
  e.flops_per_sample = 2e8;
  e.world_size = 1;
  return e;
}

TEST(RunRecords, EpochRecordRoundTripsThroughTheLogLayout) {
  const EpochRecord e = SampleEpoch();
  const Json j = e.ToJson();
  EXPECT_EQ(j["loss"]["prototype"], "nan");  // NaN as the string "nan"
  EXPECT_TRUE(j["disc_acc"].is_null());      // adversarial off
  EXPECT_TRUE(j["val"].contains("threshold"));
  EXPECT_FALSE(j["train"].contains("threshold"));
  EXPECT_EQ(j["output"]["frac_gt_0.99"], 0.01);
  const EpochRecord back = EpochRecord::FromJson(j, {"log", 1}, 0);
  EXPECT_EQ(back.ToJson(), j);
  EXPECT_EQ(back.epoch, 3);
  EXPECT_TRUE(std::isnan(back.Loss("prototype")));
  EXPECT_TRUE(std::isnan(back.Loss("contrastive")));  // absent
  EXPECT_EQ(back.val->per_cell.at("C").n, 40);
}

TEST(RunRecords, OlderAndHandMadeLinesReadWithDefaults) {
  // A plain-number grad_norm, no epoch number, no val: read, not refused.
  const EpochRecord e = EpochRecord::FromJson(
      Json::parse(R"({"loss":{"total":1.0},"grad_norm":2.5,"val":null})"), {"log", 4}, 6);
  EXPECT_EQ(e.epoch, 7);
  EXPECT_DOUBLE_EQ(e.grad_norm->mean, 2.5);
  EXPECT_DOUBLE_EQ(e.grad_norm->Max(), 2.5);
  EXPECT_FALSE(e.val.has_value());
  EXPECT_FALSE(e.parameters.has_value());
  EXPECT_TRUE(std::isnan(e.TrainAupr()));
}

TEST(RunRecords, WrongTypesNameFileLineAndField) {
  ExpectInputError(
      [] { EpochRecord::FromJson(Json::parse(R"({"val":{"aupr":"high"}})"), {"x/log.jsonl", 3}, 0); },
      "x/log.jsonl:3: field 'val.aupr': expected a number, found \"high\"");
  ExpectInputError(
      [] { EpochRecord::FromJson(Json::parse(R"({"output":[1,2]})"), {"x/log.jsonl", 2}, 0); },
      "x/log.jsonl:2: field 'output': expected an object or null");
  ExpectInputError(
      [] { RunRecord::FromJson(Json::parse(R"({"data":{"train_cells":"A"}})"), {"r/run.json", 0}); },
      "r/run.json: field 'data.train_cells': expected an array of strings");
  ExpectInputError(
      [] { PredictionMetrics::FromJson(Json::parse(R"({"per_cell":{}})"), {"m/test.json", 0}); },
      "m/test.json: expected an object field 'overall'");
  ExpectInputError(
      [] { Diagnostics::FromJson(Json::parse(R"({"r_e":{"mean":true}})"), {"d.json", 0}); },
      "d.json: field 'r_e.mean': expected a number, found true");
}

TEST(RunRecords, RunRecordKeepsWhatItDoesNotModel) {
  RunRecord r;
  r.name = "demo";
  r.created = "2026-12-02T10:00:00Z";
  r.seed = 7;
  r.config = {{"components", {{"prototype", true}}}, {"train", {{"sampler", "cell"}}}};
  r.config_hash = "0123456789abcdef";
  r.data.kind = "sequence";
  r.data.train_cells = {"A", "B"};
  r.data.bayes_aupr = BayesAupr{"sim/simulation.json", 0.9, NAN, 0.7};
  r.motif_seed = {{"k", 8}};
  r.checkpoints["best"] = {"checkpoints/best.pt", 100, "feedbeef00000000", 2};
  r.resumed_with_changes.push_back({3, "t", "a", "b", "c", "c"});
  r.status = "finished";
  r.best_epoch = 2;
  const Json j = r.ToJson();
  EXPECT_TRUE(j["finished"].is_null());
  EXPECT_TRUE(j["data"]["bayes_aupr"]["val"].is_null());  // no val split: null
  const RunRecord back = RunRecord::FromJson(j, {"run.json", 0});
  EXPECT_EQ(back.ToJson(), j);
  EXPECT_TRUE(back.ComponentConfigured("prototype"));
  EXPECT_EQ(back.ConfiguredSampler(), "cell");
  EXPECT_EQ(back.checkpoints.at("best").bytes, 100);
  EXPECT_EQ(back.resumed_with_changes.at(0).new_config_hash, "b");
}

TEST(RunRecords, PredictionMetricsAndDiagnosticsRoundTrip) {
  PredictionMetrics m;
  m.table.overall.aupr = 0.5;
  m.table.overall.n = 10;
  m.table.per_cell["C"].aupr = 0.4;
  m.mode = "context";
  m.split = "test";
  m.checkpoint = "best";
  m.epoch = 4;
  m.calibration_prior = 0.2;
  m.resistance_offset["C"] = -1.5;
  m.seconds = 1.0;
  m.pairs_per_s = 10;
  EXPECT_EQ(PredictionMetrics::FromJson(m.ToJson(), {"m", 0}).ToJson(), m.ToJson());
  Diagnostics d;
  d.disc_acc = 0.5;
  d.has_prototypes = true;
  d.assignment["C"] = {0.3, "A", {{"A", 0.9}, {"B", 0.1}}};
  d.r_e_per_cell["C"] = {1.0, 0.5};
  d.temperature = 0.9;
  d.mode = "context";
  const Json dj = d.ToJson();
  EXPECT_TRUE(dj["zi_ze_corr"].is_null());
  EXPECT_EQ(Diagnostics::FromJson(dj, {"d", 0}).ToJson(), dj);
}

/// The smallest complete ZIP archive (an end-of-central-directory record only) with `pad`
/// bytes before it.
std::string EmptyZip(size_t pad = 0) {
  return std::string(pad, 'x') + std::string("PK\x05\x06", 4) + std::string(18, '\0');
}

TEST(RunRecords, CheckpointProblemFindsMissingEmptyTruncatedAndChangedFiles) {
  TempDir d;
  EXPECT_EQ(CheckpointProblem(d.Join("none.pt"), nullptr), "missing");
  EXPECT_EQ(CheckpointProblem(d.Write("empty.pt", ""), nullptr), "empty (0 bytes)");
  const std::string good = d.Write("good.pt", EmptyZip(100));
  EXPECT_EQ(CheckpointProblem(good, nullptr), "");
  const std::string cut = d.Write("cut.pt", EmptyZip(100).substr(0, 110));
  EXPECT_NE(CheckpointProblem(cut, nullptr).find("truncated or not a checkpoint"), std::string::npos);
  EXPECT_NE(CheckpointProblem(d.Write("foreign.pt", "hello world, not an archive"), nullptr)
                .find("truncated or not a checkpoint"), std::string::npos);
  CheckpointRecord rec = DescribeCheckpoint(d.path(), "good.pt", 5);
  EXPECT_EQ(rec.bytes, 122);
  EXPECT_EQ(rec.hash, HashFile(good));
  EXPECT_EQ(CheckpointProblem(good, &rec), "");
  rec.bytes = 500;
  EXPECT_EQ(CheckpointProblem(good, &rec), "truncated or changed: 122 bytes, run.json records 500");
  rec.bytes = 122;
  rec.hash = "0000000000000000";
  EXPECT_NE(CheckpointProblem(good, &rec).find("content changed"), std::string::npos);
}

TEST(RunRecords, CheckpointProblemChecksXgboostJsonModels) {
  // model.kind = "xgboost" checkpoints (*.json): complete when they start with '{' and end with
  // '}'; size and hash as for archives.
  TempDir d;
  const std::string good = d.Write("best.xgb.json", "{\"learner\": {\"trees\": []}}\n");
  EXPECT_EQ(CheckpointProblem(good, nullptr), "");
  EXPECT_NE(CheckpointProblem(d.Write("cut.xgb.json", "{\"learner\": {\"tre"), nullptr)
                .find("no complete JSON model"), std::string::npos);
  EXPECT_NE(CheckpointProblem(d.Write("zip.xgb.json", EmptyZip(10)), nullptr)
                .find("truncated or not a checkpoint"), std::string::npos);
  CheckpointRecord rec = DescribeCheckpoint(d.path(), "best.xgb.json", 12);
  EXPECT_EQ(CheckpointProblem(good, &rec), "");
  d.Write("best.xgb.json", "{\"learner\": {\"treez\": []}}\n");  // same size, other content
  EXPECT_NE(CheckpointProblem(good, &rec).find("content changed"), std::string::npos);
}

/// Writes `epochs` into the copy of a QC fixture's run.json (as given by `edit`).
void EditRunJson(const std::string& run, const std::function<void(Json&)>& edit) {
  Json j = ReadJsonFile(run + "/run.json");
  edit(j);
  WriteJsonFile(run + "/run.json", j);
}

TEST(RunRecords, QcRefusesAnUnfinishedRunWithExitCode2) {
  TempDir d;
  const std::string run = CopyQcFixture(d, "clean");
  EditRunJson(run, [](Json& j) { j["status"] = "running"; });
  ExpectInputError([&] { ValidateRunForQc(RunFolder::Load(run)); },
                   "run.json: status \"running\": the run did not finish");
  std::string out;
  EXPECT_EQ(RunCommand(std::string(PRISM_CLI) + " qc --no-ledger --no-print " + run, &out), 2)
      << out;
  EXPECT_NE(out.find(run + "/run.json: status \"running\": the run did not finish"),
            std::string::npos) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;  // one line
  EXPECT_FALSE(std::filesystem::exists(run + "/qc")) << "nothing written";
}

TEST(RunRecords, QcFailsARunWhoseCheckpointIsHalfMissing) {
  TempDir d;
  const std::string run = CopyQcFixture(d, "clean");
  d.Write("clean/checkpoints/best.pt", EmptyZip(1000));
  d.Write("clean/checkpoints/last.pt", EmptyZip(1000));
  EditRunJson(run, [&](Json& j) {
    j["checkpoints"] = {
        {"best", {{"file", "checkpoints/best.pt"}, {"bytes", 1022},
                  {"hash", HashFile(run + "/checkpoints/best.pt")}, {"epoch", 3}}}};
  });
  std::string out;
  ASSERT_EQ(RunCommand(std::string(PRISM_CLI) + " qc --no-ledger --no-print " + run, &out), 0)
      << out;  // sound checkpoints: the clean fixture passes
  // Half of best.pt is lost: FAIL, naming the file.
  std::filesystem::resize_file(run + "/checkpoints/best.pt", 511);
  EXPECT_EQ(RunCommand(std::string(PRISM_CLI) + " qc --no-ledger --no-print " + run, &out), 1)
      << out;
  const Json qc = ReadJsonFile(run + "/qc/qc.json");
  bool found = false;
  for (const auto& f : qc["reasons"])
    if (f["rule"] == "evaluation_completeness" && f["code"] == "checkpoint") {
      found = true;
      EXPECT_NE(f["message_en"].get<std::string>().find(
                    "checkpoints/best.pt: truncated or changed: 511 bytes, run.json records 1022"),
                std::string::npos) << f;
    }
  EXPECT_TRUE(found) << qc["reasons"];
  // An unrecorded checkpoint (older runs) is still checked for being a complete archive.
  d.Write("clean/checkpoints/last.pt", "garbage");
  std::filesystem::resize_file(run + "/checkpoints/best.pt", 0);
  RunFolder rf = RunFolder::Load(run);
  QcEvaluation ev = LoadEvaluation(rf);
  ASSERT_EQ(ev.checkpoint_problems.size(), 2u);
  EXPECT_NE(ev.checkpoint_problems[1].find("checkpoints/last.pt: truncated or not a checkpoint"),
            std::string::npos);
}

}  // namespace
}  // namespace prism
