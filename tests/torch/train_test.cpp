// Tests of the training configuration, the trainer (tiny end-to-end, resume) and prediction.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <tuple>

#include "../unit/test_util.h"
#include "prism/atomic_file.h"
#include "prism/hash.h"
#include "prism/motif_extension.h"
#include "prism/predictions.h"
#include "prism/run_folder.h"
#include "prism/simulate.h"
#include "prism/tokenizer.h"
#include "prism/train.h"
#include "train/checkpoint.h"
#include "train/collate.h"
#include "train/dataset.h"
#include "train/motif_grammar_model.h"
#include "train/model_recipe.h"
#include "train/scoring.h"
#include "train/training_session.h"
#include "train/xgboost_model.h"

namespace prism {
namespace {

const char* kTinyConfig = R"(name = "t"
seed = 3
preset = "tiny"
[model]
context_calibration = false
[data]
kind = "sequence"
[loss]
contrastive_temperature = 0.2
[curriculum]
warmup_epochs = 0
ramp_epochs = 2
[train]
epochs = 3
batch_size = 32
sampler = "contrastive"
lr = 0.003
patience = 0
)";

TEST(TrainConfigTest, DefaultsAndRoundTrip) {
  TrainConfig c = ParseTrainConfig(kTinyConfig, "run.toml");
  EXPECT_EQ(c.preset, "tiny");
  EXPECT_EQ(c.train.epochs, 3);
  EXPECT_TRUE(c.components.prototype);
  EXPECT_DOUBLE_EQ(c.weights.adversarial, 0.05);
  // The resolved TOML reads back to the same configuration.
  TrainConfig again = ParseTrainConfig(c.ToToml(), "config.toml");
  EXPECT_EQ(again.ToJson(), c.ToJson());
  Json j = c.ToJson();
  EXPECT_EQ(j["components"]["orthogonality"], true);
  EXPECT_EQ(j["train"]["sampler"], "contrastive");
  EXPECT_EQ(j["loss"]["main"], "bce");
}

TEST(TrainConfigTest, UnknownKeyNamesKeyAndLine) {
  ExpectInputError([] { ParseTrainConfig("seed = 1\n[train]\nepoch = 3\n", "run.toml"); },
                   "run.toml:3:1: unknown key 'train.epoch'");
  ExpectInputError([] { ParseTrainConfig("[trian]\nepochs = 3\n", "run.toml"); },
                   "run.toml:1:2: unknown key 'trian'");
}

TEST(TrainConfigTest, TypeAndValueErrors) {
  ExpectInputError([] { ParseTrainConfig("[train]\nepochs = \"ten\"\n", "run.toml"); },
                   "run.toml:2:10: 'train.epochs' must be an integer");
  ExpectInputError([] { ParseTrainConfig("[train]\nsampler = \"shuffled\"\n", "run.toml"); },
                   "'train.sampler' must be one of cell, contrastive, random, got 'shuffled'");
  ExpectInputError([] { ParseTrainConfig("[train]\nlr = -1\n", "run.toml"); },
                   "run.toml:2:6: 'train.lr' must be a number in (0, 1], got -1");
  ExpectInputError([] { ParseTrainConfig("seed = [1\n", "run.toml"); }, "run.toml:1:");
  ExpectInputError([] { ParseTrainConfig("[model]\nkmer_composition = 1\n", "run.toml"); },
                   "run.toml:2:20: 'model.kmer_composition' must be true or false");
}

TEST(TrainConfigTest, KmerCompositionSwitch) {
  // Absent: the preset's choice (on); false/true override it and survive the round trip.
  EXPECT_TRUE(ParseTrainConfig("", "run.toml").model.kmer_composition);
  EXPECT_TRUE(train::ModelOptionsFor(ParseTrainConfig("", "run.toml"), 2, 0).kmer_composition());
  TrainConfig off = ParseTrainConfig("[model]\nkmer_composition = false\nmotif_seed = 0\n"
                                     "motif_seed_extend = false\n", "run.toml");
  EXPECT_FALSE(off.model.kmer_composition);
  EXPECT_FALSE(train::ModelOptionsFor(off, 2, 0).kmer_composition());
  EXPECT_FALSE(ParseTrainConfig(off.ToToml(), "again.toml").model.kmer_composition);
  EXPECT_EQ(off.ToJson()["model"]["kmer_composition"], false);
}

TEST(TrainConfigTest, FusedEmbedConvIsAutoUnlessSet) {
  // "auto" by default (every preset): resolved from the shape and the step's work.
  EXPECT_EQ(ParseTrainConfig("", "run.toml").model.fused_embed_conv, "auto");
  const TrainConfig paper = BuiltinTrainConfig("paper");
  EXPECT_EQ(paper.model.fused_embed_conv, "auto");
  EXPECT_TRUE(train::ModelOptionsFor(paper, 2, 0).fused_embed_conv());  // fused at any batch
  EXPECT_TRUE(train::ResolveEmbedConv(paper, /*training=*/false).fused);
  const TrainConfig tiny = ParseTrainConfig(kTinyConfig, "run.toml");
  const EmbedConvChoice few = train::ResolveEmbedConv(tiny, true, {100, 100});
  EXPECT_FALSE(few.fused);  // 32 x 100 tokens at the tiny shape: the plain path is cheaper
  EXPECT_FALSE(train::ModelOptionsFor(tiny, 2, 0, &few).fused_embed_conv());
  EXPECT_EQ(few.batch, 32);
  // The crops (minus 5: 6-mer tokens) when no lengths are given; scoring: eval_batch_size.
  const EmbedConvChoice crops = train::ResolveEmbedConv(tiny, false);
  EXPECT_EQ(crops.lengths, (std::vector<int64_t>{2995, 3995}));
  EXPECT_EQ(crops.batch, 256);
  // true / false (TOML booleans, as every run folder before "auto" holds) force the path and
  // are written back as booleans (same JSON as before: same config hashes).
  const TrainConfig off = ParseTrainConfig("preset = \"paper\"\n[model]\nfused_embed_conv = false\n",
                                           "run.toml");
  EXPECT_EQ(off.model.fused_embed_conv, "false");
  EXPECT_FALSE(train::ModelOptionsFor(off, 2, 0).fused_embed_conv());
  EXPECT_EQ(off.ToJson()["model"]["fused_embed_conv"], false);
  EXPECT_NE(off.ToToml().find("fused_embed_conv = false\n"), std::string::npos);
  EXPECT_EQ(ParseTrainConfig(off.ToToml(), "again.toml").model.fused_embed_conv, "false");
  const TrainConfig on = ParseTrainConfig("[model]\nfused_embed_conv = true\n", "run.toml");
  EXPECT_TRUE(train::ResolveEmbedConv(on, true, {10, 10}).fused);
  EXPECT_EQ(ParseTrainConfig("", "run.toml").ToJson()["model"]["fused_embed_conv"], "auto");
  EXPECT_NE(ParseTrainConfig("", "r.toml").ToToml().find("fused_embed_conv = \"auto\"\n"),
            std::string::npos);
  ExpectInputError([] { ParseTrainConfig("[model]\nfused_embed_conv = \"yes\"\n", "run.toml"); },
                   "'model.fused_embed_conv' must be one of auto, true, false, got 'yes'");
  ExpectInputError([] { ParseTrainConfig("[model]\nfused_embed_conv = 1\n", "run.toml"); },
                   "run.toml:2:20: 'model.fused_embed_conv' must be true, false or \"auto\"");
}

TEST(TrainConfigTest, KmerTableSwitch) {
  // kmer_table = false: the free table stays registered (same keys) but frozen at zero, so a
  // token's vector is its bases' composition only.
  TrainConfig off = ParseTrainConfig("[model]\nkmer_table = false\n", "run.toml");
  EXPECT_FALSE(off.model.kmer_table);
  EXPECT_FALSE(ParseTrainConfig(off.ToToml(), "again.toml").model.kmer_table);
  EXPECT_EQ(off.ToJson()["model"]["kmer_table"], false);
  model::PrismNet with(
      train::ModelOptionsFor(ParseTrainConfig("[model]\nkmer_table = true\n", "run.toml"), 2, 0));
  model::PrismNet without(train::ModelOptionsFor(off, 2, 0));
  auto keys = [](model::PrismNet& n) {
    std::vector<std::string> k;
    for (const auto& p : n->named_parameters()) k.push_back(p.key());
    return k;
  };
  EXPECT_EQ(keys(with), keys(without));
  auto table = without->pair_encoder->enhancer->embed->weight;
  EXPECT_FALSE(table.requires_grad());
  EXPECT_TRUE(with->pair_encoder->enhancer->embed->weight.requires_grad());
  // Composition only: two 6-mers differing in one base differ by exactly one base vector pair.
  auto m = without->pair_encoder->enhancer->EmbeddingMatrix().detach();
  auto w = without->pair_encoder->enhancer->compose->weight.detach();  // [E, 24]
  // AAAAAA = id 1, AAAAAC = id 2 (last base A -> C): difference = W[:, 20+1] - W[:, 20+0].
  EXPECT_TRUE(torch::allclose(m[2] - m[1], w.select(1, 21) - w.select(1, 20), 1e-6, 1e-6));
}

TEST(TrainConfigTest, ContextCalibrationSwitch) {
  // On in the built-in configurations of prism run (the default preset), off in the paper and
  // features presets; the key overrides the preset's choice either way.
  EXPECT_TRUE(train::ModelOptionsFor(ParseTrainConfig("", "run.toml"), 2, 0).context_calibration());
  EXPECT_FALSE(train::ModelOptionsFor(BuiltinTrainConfig("paper"), 2, 0).context_calibration());
  EXPECT_FALSE(BuiltinTrainConfig("features").model.context_calibration);
  TrainConfig on = ParseTrainConfig("preset = \"paper\"\n[model]\ncontext_calibration = true\n",
                                    "run.toml");
  EXPECT_TRUE(on.model.context_calibration);
  EXPECT_TRUE(ParseTrainConfig(on.ToToml(), "again.toml").model.context_calibration);
  EXPECT_EQ(on.ToJson()["model"]["context_calibration"], true);
  EXPECT_TRUE(train::ModelOptionsFor(on, 2, 0).context_calibration());
  EXPECT_FALSE(ParseTrainConfig("[model]\ncontext_calibration = false\n", "run.toml")
                   .model.context_calibration);
  for (const char* name : {"default", "ablation-plain", "tiny"})
    EXPECT_TRUE(ReadTrainConfig(std::string(PRISM_FIXTURES) + "/../../configs/" + name + ".toml")
                    .model.context_calibration) << name;
}

TEST(TrainConfigTest, BalanceAndMotifSeedKeys) {
  TrainConfig def = ParseTrainConfig("preset = \"tiny\"\n", "run.toml");
  EXPECT_EQ(def.train.balance, "none");
  EXPECT_EQ(def.model.motif_seed, 0);
  TrainConfig c = ParseTrainConfig(
      "preset = \"tiny\"\n[model]\nmotif_seed = 12\nmotif_seed_k = 7\nmotif_seed_min_z = 20\n"
      "[train]\nbalance = \"gc\"\nbalance_bins = 20\nbalance_max_weight = 30\n",
      "run.toml");
  EXPECT_EQ(c.model.motif_seed, 12);
  EXPECT_EQ(c.model.motif_seed_k, 7);
  EXPECT_DOUBLE_EQ(c.model.motif_seed_min_z, 20);
  EXPECT_DOUBLE_EQ(c.model.motif_seed_min_cell_z, 0);
  TrainConfig per_cell = ParseTrainConfig("[model]\nmotif_seed = 4\nmotif_seed_min_cell_z = 3\n", "run.toml");
  EXPECT_DOUBLE_EQ(per_cell.model.motif_seed_min_cell_z, 3);
  EXPECT_EQ(ParseTrainConfig(per_cell.ToToml(), "again.toml").ToJson(), per_cell.ToJson());
  ExpectInputError([] { ParseTrainConfig("[model]\nmotif_seed_min_cell_z = -1\n", "run.toml"); },
                   "run.toml:2:25: 'model.motif_seed_min_cell_z' must be a number >= 0, got -1");
  EXPECT_EQ(c.train.balance, "gc");
  EXPECT_EQ(c.train.balance_bins, 20);
  EXPECT_DOUBLE_EQ(c.train.balance_max_weight, 30);
  EXPECT_EQ(ParseTrainConfig(c.ToToml(), "again.toml").ToJson(), c.ToJson());
  ExpectInputError([] { ParseTrainConfig("[train]\nbalance = \"at\"\n", "run.toml"); },
                   "'train.balance' must be one of none, gc, gc_elements, got 'at'");
  ExpectInputError([] { ParseTrainConfig("[train]\nbalance_bins = 0\n", "run.toml"); },
                   "run.toml:2:16: 'train.balance_bins' must be an integer in [1, 1000], got 0");
  ExpectInputError([] { ParseTrainConfig("[train]\nbalance_max_weight = 1\n", "run.toml"); },
                   "'train.balance_max_weight' must be a number in (1, 1000000], got 1");
  ExpectInputError([] { ParseTrainConfig("[model]\nmotif_seed_k = 13\n", "run.toml"); },
                   "'model.motif_seed_k' must be an integer in [6, 12], got 13");
  ExpectInputError([] { ParseTrainConfig("[model]\nmotif_seed = -1\n", "run.toml"); },
                   "'model.motif_seed' must be an integer in [0, 1024], got -1");
  ExpectInputError(
      [] {
        ParseTrainConfig("preset = \"features\"\n[data]\nfiles = [\"x.csv\"]\n[train]\n"
                         "balance = \"gc\"\n", "run.toml");
      },
      "conflict: train.balance = \"gc\" needs sequences");
}

TEST(TrainConfigTest, MotifSeedMustFitTheModel) {
  auto options = [](const std::string& toml) {
    return train::ModelOptionsFor(ParseTrainConfig(toml, "run.toml"), 2, 0);
  };
  EXPECT_NO_THROW(options("preset = \"tiny\"\n[model]\nmotif_seed = 8\n"));
  // motif_seed is a cap: more than the filters is allowed (at most channels are seeded).
  EXPECT_NO_THROW(options("preset = \"tiny\"\n[model]\nmotif_seed = 9\n"));
  // Sizes derived from the data (0) are at their largest until training has looked at it.
  const auto largest = options("preset = \"tiny\"\n[model]\nchannels = 0\nkernel = 0\n"
                               "motif_seed = 9\nheads = 2\n");
  EXPECT_EQ(largest.channels(), 12);  // max(8, 9 + 2) rounded up to a multiple of 2 x 2
  EXPECT_EQ(largest.kernel(), 16);
  ExpectInputError([&] { options("[model]\nmotif_seed = 4\nkmer_composition = false\n"); },
              "conflict: model.motif_seed needs model.kmer_composition = true");
  ExpectInputError(
      [&] { options("preset = \"tiny\"\n[model]\nmotif_seed = 4\nmotif_seed_k = 10\n"); },
      "model.motif_seed_k (10) exceeds model.kernel (8)");
}

TEST(TrainConfigTest, AKeyThatNoLongerExistsIsUnknownAtItsPosition) {
  ExpectInputError([] { ParseTrainConfig("[model]\ncell_offset = true\n", "run.toml"); },
                   "run.toml:2:1: unknown key 'model.cell_offset'");
}

TEST(TrainConfigTest, PairInteractionNeedsThePresenceReadout) {
  auto options = [](const std::string& toml) {
    return train::ModelOptionsFor(ParseTrainConfig(toml, "run.toml"), 2, 0);
  };
  EXPECT_TRUE(options("preset = \"tiny\"\n[model]\npresence_readout = true\npair_interaction = true\n").pair_interaction());
  EXPECT_FALSE(options("preset = \"tiny\"\n[model]\npresence_readout = true\n").pair_interaction());
  ExpectInputError([&] { options("preset = \"tiny\"\n[model]\npair_interaction = true\n"); },
                   "conflict: model.pair_interaction needs model.presence_readout = true");
}

TEST(TrainConfigTest, PresenceCapAndSeedExtensionNeedWhatTheyBuildOn) {
  auto options = [](const std::string& toml) {
    return train::ModelOptionsFor(ParseTrainConfig(toml, "run.toml"), 2, 0);
  };
  EXPECT_TRUE(options("preset = \"tiny\"\n[model]\npresence_readout = true\npresence_cap = true\n").presence_cap());
  EXPECT_FALSE(options("preset = \"tiny\"\n[model]\npresence_readout = true\n").presence_cap());
  ExpectInputError([&] { options("preset = \"tiny\"\n[model]\npresence_cap = true\n"); },
                   "conflict: model.presence_cap = true caps the presence read-out");
  EXPECT_TRUE(ParseTrainConfig("preset = \"tiny\"\n[model]\nmotif_seed = 4\nmotif_seed_extend = true\n", "run.toml")
                  .model.motif_seed_extend);
  EXPECT_FALSE(ParseTrainConfig("preset = \"tiny\"\n[model]\nmotif_seed = 4\n", "run.toml").model.motif_seed_extend);
  ExpectInputError([] { ParseTrainConfig("preset = \"tiny\"\n[model]\nmotif_seed_extend = true\n", "run.toml"); },
                   "conflict: model.motif_seed_extend = true extends the seeds of model.motif_seed");
}

TEST(TrainConfigTest, ComponentSamplerConflicts) {
  ExpectInputError(
      [] {
        ParseTrainConfig("preset = \"components-on\"\n[components]\ncontrastive = false\n"
                         "[train]\nsampler = \"random\"\n", "run.toml");
      },
      "conflict: components.prototype = true needs batches grouped by cell line");
  ExpectInputError(
      [] {
        ParseTrainConfig("preset = \"components-on\"\n[components]\nprototype = false\n"
                         "[train]\nsampler = \"cell\"\n", "run.toml");
      },
      "conflict: components.contrastive = true");
  // Everything off works with the random sampler.
  EXPECT_NO_THROW(ParseTrainConfig(
      "[components]\nprototype = false\ncontrastive = false\n[train]\nsampler = \"random\"\n",
      "run.toml"));
}

/// A tiny simulation shared by the end-to-end tests.
class TrainE2ETest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    Simulate(SimulationPreset("tiny"), dir_->Join("sim"));
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static TrainConfig Config(int64_t epochs) {
    TrainConfig c = ParseTrainConfig(kTinyConfig, "tiny.toml");
    c.data.dir = dir_->Join("sim");
    c.train.epochs = epochs;
    return c;
  }
  static TempDir* dir_;
};
TempDir* TrainE2ETest::dir_ = nullptr;

TEST_F(TrainE2ETest, TrainPredictLogsEveryComponent) {
  TrainRunOptions opt;
  opt.out_dir = dir_->Join("run");
  opt.threads = 1;
  TrainConfig config = Config(3);
  config.model.context_calibration = 1;
  TrainSummary s = TrainRun(config, opt);
  EXPECT_EQ(s.epochs_run, 3);
  RunFolder run = RunFolder::Load(opt.out_dir);
  ASSERT_EQ(run.epochs.size(), 3u);
  EXPECT_EQ(run.run["status"], "finished");
  EXPECT_TRUE(run.ComponentConfigured("prototype"));
  EXPECT_EQ(run.ConfiguredSampler(), "contrastive");
  // model.fused_embed_conv = "auto" resolved for this data's training steps: batches of 32 pairs
  // of 300 bp (295 tokens) at the tiny shape are past the break-even (fused).
  const Json& ec = run.run["embed_conv"];
  EXPECT_EQ(ec["setting"], "auto");
  EXPECT_EQ(ec["fused"], true);
  EXPECT_EQ(ec["batch"], 32);
  EXPECT_EQ(ec["tokens"], Json::array({295, 295}));
  EXPECT_EQ(ec["estimated_for"], "training step");
  EXPECT_LT(ec["fused_gflop_eq"].get<double>(), ec["plain_gflop_eq"].get<double>());
  // Trained on a simulation: run.json carries its Bayes AUPRs for the inspector's gap rule.
  const Json sim = ReadJsonFile(dir_->Join("sim") + "/simulation.json");
  ASSERT_TRUE(run.run["data"].contains("bayes_aupr"));
  for (const char* split : {"train", "val", "test"})
    EXPECT_DOUBLE_EQ(run.run["data"]["bayes_aupr"][split].get<double>(),
                     sim["splits"][split]["aupr_true"].get<double>()) << split;
  for (const char* name : {"task", "prototype", "contrastive", "orthogonality", "adversarial",
                           "total"}) {
    std::vector<double> v;
    for (const auto& e : run.epochs) {
      ASSERT_TRUE(e["loss"].contains(name)) << name;
      v.push_back(ReadNumber(e["loss"][name]));
      EXPECT_TRUE(std::isfinite(v.back())) << name;
    }
    EXPECT_TRUE(v[0] != v[1] || v[1] != v[2]) << name << " does not change";
  }
  const Json& e = run.epochs.back();
  for (const char* key : {"epoch", "seconds", "samples_per_s", "lr", "weights", "grad_norm",
                          "train", "val", "output", "T", "disc_acc", "nan_steps", "sampler",
                          "components", "parameters", "train_samples"})
    EXPECT_TRUE(e.contains(key)) << key;
  EXPECT_TRUE(e["val"].contains("per_cell"));
  EXPECT_TRUE(e["val"].contains("threshold"));
  EXPECT_GT(ReadNumber(e["T"]), 0);
  EXPECT_EQ(e["nan_steps"], 0);
  EXPECT_EQ(e["components"].size(), 5u);
  EXPECT_TRUE(std::filesystem::exists(opt.out_dir + "/checkpoints/best.pt"));
  EXPECT_TRUE(std::filesystem::exists(opt.out_dir + "/checkpoints/last.pt"));
  EXPECT_TRUE(std::filesystem::exists(opt.out_dir + "/config.toml"));

  PredictOptions po;
  po.run_dir = opt.out_dir;
  po.threads = 1;
  PredictSummary ps = PredictRun(po);
  EXPECT_EQ(ps.n, 120);
  EXPECT_NE(ps.table_markdown.find("| overall |"), std::string::npos);
  for (const char* f : {"predictions/test.csv", "metrics/test.json", "results.md",
                        "diagnostics.json"})
    EXPECT_TRUE(std::filesystem::exists(opt.out_dir + "/" + f)) << f;
  Json m = ReadJsonFile(opt.out_dir + "/metrics/test.json");
  EXPECT_EQ(m["mode"], "context");
  EXPECT_TRUE(m["per_cell"].contains("test1"));
  // The decision threshold: chosen on val by train.threshold_rule ("mcc") at the best epoch,
  // kept in the checkpoint and in run.json, applied unchanged to the test rows ("val").
  EXPECT_EQ(config.train.threshold_rule, "mcc");
  const auto best_meta = train::ReadCheckpointMeta(opt.out_dir + "/checkpoints/best.pt");
  const double thr = best_meta.threshold;
  ASSERT_TRUE(std::isfinite(thr));
  EXPECT_DOUBLE_EQ(thr, ReadNumber(run.epochs[best_meta.epoch - 1]["val"]["threshold"]));
  EXPECT_DOUBLE_EQ(thr, run.record.checkpoints.at("best").val_threshold);
  const auto last_meta = train::ReadCheckpointMeta(opt.out_dir + "/checkpoints/last.pt");
  EXPECT_DOUBLE_EQ(last_meta.threshold, ReadNumber(run.epochs.back()["val"]["threshold"]));
  for (const Json& row : {m["overall"], m["per_cell"]["test1"]}) {
    EXPECT_EQ(row["threshold_rule"], "val");
    EXPECT_DOUBLE_EQ(ReadNumber(row["threshold"]), thr);
  }
  {
    const Predictions tp = ReadPredictions(opt.out_dir + "/predictions/test.csv");
    const metric::Confusion at = metric::AtThreshold(tp.label, tp.score, thr);
    EXPECT_DOUBLE_EQ(ReadNumber(m["overall"]["recall"]), at.recall);
    EXPECT_DOUBLE_EQ(ReadNumber(m["overall"]["precision"]), at.precision);
  }
  Json d = ReadJsonFile(opt.out_dir + "/diagnostics.json");
  EXPECT_GE(ReadNumber(d["r_e"]["min"]), 0.0);
  EXPECT_TRUE(d["prototype_assignment"].contains("test1"));
  EXPECT_FALSE(d["disc_acc"].is_null());

  // Context calibration: the test cell's mean score is the training positive rate, and the
  // r_e column holds the resistance the score used.
  double train_pos = 0, train_n = 0;
  {
    std::ifstream in(dir_->Join("sim/train/ALL/pairs_hg19.csv"));
    std::string line;
    std::getline(in, line);  // enhancer_name,promoter_name,label,cell_line
    while (std::getline(in, line)) {
      std::stringstream fields(line);
      std::string e, p, label;
      std::getline(fields, e, ',');
      std::getline(fields, p, ',');
      std::getline(fields, label, ',');
      train_pos += label == "1";
      ++train_n;
    }
  }
  ASSERT_EQ(train_n, 360);
  ASSERT_TRUE(m.contains("context_calibration"));
  EXPECT_NEAR(ReadNumber(m["context_calibration"]["prior"]), train_pos / train_n, 1e-12);
  EXPECT_TRUE(m["context_calibration"]["resistance_offset"].contains("test1"));
  Predictions pred = ReadPredictions(opt.out_dir + "/predictions/test.csv");
  const double t = ReadNumber(d["T"]);
  double mean = 0;
  for (size_t i = 0; i < pred.size(); ++i) {
    mean += pred.score[i] / pred.size();
    EXPECT_NEAR(pred.score[i], 1 / (1 + std::exp(-(pred.u_i[i] - pred.r_e[i]) / t)), 1e-5);
  }
  EXPECT_NEAR(mean, train_pos / train_n, 1e-6);
  // Switched off for one prediction: other scores, the same ranking within the cell line.
  po.no_calibration = true;
  PredictRun(po);
  po.no_calibration = false;
  Json off = ReadJsonFile(opt.out_dir + "/metrics/test.json");
  EXPECT_FALSE(off.contains("context_calibration"));
  EXPECT_NE(ReadPredictions(opt.out_dir + "/predictions/test.csv").score, pred.score);
  EXPECT_DOUBLE_EQ(ReadNumber(off["per_cell"]["test1"]["aupr"]),
                   ReadNumber(m["per_cell"]["test1"]["aupr"]));
  EXPECT_DOUBLE_EQ(ReadNumber(off["per_cell"]["test1"]["auc"]),
                   ReadNumber(m["per_cell"]["test1"]["auc"]));

  // Context-free mode differs only in e_c (and has no calibration).
  po.context_free = true;
  po.split = "val";
  PredictRun(po);
  EXPECT_EQ(ReadJsonFile(opt.out_dir + "/metrics/val.json")["mode"], "context_free");
  EXPECT_FALSE(ReadJsonFile(opt.out_dir + "/metrics/val.json").contains("context_calibration"));
}

TEST(ContextCalibrationTest, OffsetReachesThePrior) {
  const std::vector<double> logit = {-2.0, 0.0, 1.0, 3.0, 0.5};
  for (double prior : {0.05, 0.3, 0.9}) {
    const double b = train::CalibrationOffset(logit, prior);
    double mean = 0;
    for (double l : logit) mean += 1 / (1 + std::exp(-(l - b))) / logit.size();
    EXPECT_NEAR(mean, prior, 1e-12) << prior;
  }
  // Already at the prior: no offset; a higher prior needs a lower resistance.
  EXPECT_NEAR(train::CalibrationOffset({0.0, 0.0}, 0.5), 0.0, 1e-12);
  EXPECT_LT(train::CalibrationOffset(logit, 0.9), train::CalibrationOffset(logit, 0.3));
  EXPECT_THROW(train::CalibrationOffset(logit, 0.0), Error);
  EXPECT_THROW(train::CalibrationOffset({}, 0.2), Error);
}

TEST_F(TrainE2ETest, ResumeContinuesExactly) {
  TrainRunOptions a;
  a.out_dir = dir_->Join("straight");
  a.threads = 1;
  TrainRun(Config(2), a);
  TrainRunOptions b = a;
  b.out_dir = dir_->Join("resumed");
  b.stop_after_epoch = 1;  // interrupted after epoch 1
  TrainRun(Config(2), b);
  EXPECT_EQ(RunFolder::Load(b.out_dir).epochs.size(), 1u);
  b.stop_after_epoch = 0;
  b.resume = true;
  TrainRun(Config(2), b);
  auto la = RunFolder::Load(a.out_dir).epochs, lb = RunFolder::Load(b.out_dir).epochs;
  ASSERT_EQ(la.size(), 2u);
  ASSERT_EQ(lb.size(), 2u);
  EXPECT_EQ(lb[1]["epoch"], 2);
  // Model, optimiser, RNG and step counter are restored: epoch 2 is the same as without a break.
  EXPECT_DOUBLE_EQ(ReadNumber(la[0]["loss"]["total"]), ReadNumber(lb[0]["loss"]["total"]));
  EXPECT_DOUBLE_EQ(ReadNumber(la[1]["loss"]["total"]), ReadNumber(lb[1]["loss"]["total"]));
  EXPECT_EQ(RunFolder::Load(b.out_dir).run["status"], "finished");
  // A second run into a folder with a log needs --resume.
  TrainRunOptions c = a;
  ExpectInputError([&] { TrainRun(Config(2), c); }, "already has a training log");
}

TEST_F(TrainE2ETest, GcBalanceWeightsReachTheLossBatches) {
  TrainConfig c = Config(1);
  c.train.balance = "gc";
  train::Data data = train::LoadData(c);
  ASSERT_EQ(data.train.gc.size(), data.train.size());
  EXPECT_TRUE(data.train.weight.empty());
  auto rec = train::BalanceTrainingSet(c, &data.train);
  ASSERT_TRUE(rec.has_value());
  ASSERT_EQ(data.train.weight.size(), data.train.size());
  ASSERT_EQ(rec->per_cell.size(), 3u);  // tiny: 3 training cell lines (with the GC shortcut)
  for (const auto& row : rec->per_cell) {
    EXPECT_GT(row.corr_before, 0.1) << row.cell_line;
    EXPECT_LT(std::abs(row.corr_after), row.corr_before) << row.cell_line;
  }
  auto b = train::Collate(data.train, {3, 0, 7});
  ASSERT_TRUE(b.weight.defined());
  EXPECT_FLOAT_EQ(b.weight[0].item<float>(), data.train.weight[3]);
  EXPECT_FLOAT_EQ(b.weight[2].item<float>(), data.train.weight[7]);
  EXPECT_FALSE(train::Collate(data.test, {0, 1}).weight.defined());
  c.train.balance = "none";
  EXPECT_FALSE(train::BalanceTrainingSet(c, &data.test).has_value());
}

TEST_F(TrainE2ETest, GcElementsBalanceWeighsOutEachElementsGc) {
  // gc_elements: bins of the per-cell propensity of the label given the enhancer's and the
  // promoter's G/C and A/C/G/T counts; with balance_trim the one-class bins get weight 0.
  TrainConfig c = Config(1);
  c.train.balance = "gc_elements";
  c.train.balance_trim = true;
  train::Data data = train::LoadData(c);
  ASSERT_EQ(data.train.gc_enhancer.size(), data.train.size());
  ASSERT_EQ(data.train.gc_promoter.size(), data.train.size());
  auto rec = train::BalanceTrainingSet(c, &data.train);
  ASSERT_TRUE(rec.has_value());
  EXPECT_EQ(rec->covariate, "gc_elements");
  ASSERT_EQ(data.train.weight.size(), data.train.size());
  const std::vector<int> y = data.train.Labels();
  const std::vector<std::string> cells = data.train.CellLines();
  int64_t zero = 0;
  for (float w : data.train.weight) zero += w == 0.0f;
  int64_t trimmed = 0;
  for (const auto& row : rec->per_cell) trimmed += row.trimmed;
  EXPECT_EQ(zero, trimmed);
  // The enhancer's GC fraction: its weighted correlation with the label falls in every cell line.
  for (const auto& row : rec->per_cell) {
    double before[5] = {0, 0, 0, 0, 0}, after[5] = {0, 0, 0, 0, 0};  // n, x, y, xy, xx (+yy)
    double yy_b = 0, yy_a = 0;
    for (size_t i = 0; i < y.size(); ++i) {
      if (cells[i] != row.cell_line) continue;
      const auto& e = data.train.gc_enhancer[i];
      const double x = static_cast<double>(e.gc) / static_cast<double>(e.acgt);
      const double w = data.train.weight[i];
      for (auto [acc, yy, ww] : {std::tuple{before, &yy_b, 1.0}, {after, &yy_a, w}}) {
        acc[0] += ww, acc[1] += ww * x, acc[2] += ww * y[i], acc[3] += ww * x * y[i];
        acc[4] += ww * x * x, *yy += ww * y[i] * y[i];
      }
    }
    auto corr = [](const double* a, double yy) {
      const double mx = a[1] / a[0], my = a[2] / a[0];
      return (a[3] / a[0] - mx * my) /
             std::sqrt((a[4] / a[0] - mx * mx) * (yy / a[0] - my * my));
    };
    EXPECT_LT(std::abs(corr(after, yy_a)), std::abs(corr(before, yy_b))) << row.cell_line;
  }
}

TEST_F(TrainE2ETest, MotifSeedFindsTheSimulatedMotifs) {
  TrainConfig c = Config(1);
  c.model.motif_seed = 6;
  c.model.presence_readout = 1;
  c.model.pair_interaction = 1;  // the seeded detectors' products, through train and predict
  c.train.balance = "gc";
  TrainRunOptions opt;
  opt.out_dir = dir_->Join("seeded");
  opt.threads = 1;
  TrainRun(c, opt);
  RunFolder run = RunFolder::Load(opt.out_dir);
  Json sim = ReadJsonFile(dir_->Join("sim") + "/simulation.json");
  std::vector<std::string> motifs;
  for (const auto& m : sim["motifs"]) motifs.push_back(m["consensus"].get<std::string>());
  const Json& seed = run.run["motif_seed"];
  EXPECT_EQ(seed["k"], 8);
  for (const char* stream : {"enhancer", "promoter"}) {
    ASSERT_GE(seed[stream].size(), 3u) << stream;
    // The strongest k-mers are windows of planted motifs.
    for (size_t i = 0; i < 3; ++i) {
      const std::string kmer = seed[stream][i]["kmer"];
      bool in_motif = false;
      for (const auto& m : motifs) in_motif = in_motif || m.find(kmer) != std::string::npos;
      EXPECT_TRUE(in_motif) << stream << " " << kmer;
    }
  }
  EXPECT_EQ(run.run["balance"]["covariate"], "gc");
  EXPECT_EQ(run.epochs.size(), 1u);
  EXPECT_EQ(ParseTrainConfig(ReadFile(opt.out_dir + "/config.toml"), "config.toml")
                .model.pair_interaction, 1);
  PredictOptions po;  // the checkpoint loads into a model with the same read-out
  po.run_dir = opt.out_dir;
  PredictRun(po);
  EXPECT_TRUE(ReadJsonFile(opt.out_dir + "/metrics/test.json")["overall"]["aupr"].is_number());
}

TEST_F(TrainE2ETest, MotifSeedPerCellSkipsTheCellSpecificShortcutKmers) {
  // Each training cell line's own shortcut 8-mer, planted often enough to be over-represented in
  // the pooled training enhancers, is enriched in its cell line only: with
  // model.motif_seed_min_cell_z it is listed as cell-specific and not seeded.
  SimulationOptions so = SimulationPreset("tiny");
  so.shortcut_positive_prob = 1.0;
  so.shortcut_negative_prob = 0.5;
  Simulate(so, dir_->Join("sim_kmer"));
  TrainConfig c = Config(1);
  c.data.dir = dir_->Join("sim_kmer");
  c.model.motif_seed = 8;
  c.model.motif_seed_min_cell_z = 3.0;
  TrainRunOptions opt;
  opt.out_dir = dir_->Join("seeded_per_cell");
  opt.threads = 1;
  TrainRun(c, opt);
  const Json seed = RunFolder::Load(opt.out_dir).run["motif_seed"];
  EXPECT_EQ(seed["min_cell_z"], 3.0);
  std::set<std::string> seeded, specific;
  for (const auto& r : seed["enhancer"]) {
    seeded.insert(r["kmer"].get<std::string>());
    EXPECT_GE(r["min_cell_z"].get<double>(), 3.0) << r["kmer"];
  }
  for (const auto& r : seed["enhancer_cell_specific"]) {
    specific.insert(r["kmer"].get<std::string>());
    EXPECT_LT(r["min_cell_z"].get<double>(), 3.0) << r["kmer"];
    EXPECT_GE(r["z"].get<double>(), c.model.motif_seed_min_z) << r["kmer"];  // would have qualified
  }
  EXPECT_FALSE(seeded.empty());
  int shortcuts = 0;
  const Json sim = ReadJsonFile(dir_->Join("sim_kmer") + "/simulation.json");
  for (const auto& cell : sim["cells"]) {
    if (cell["split"] != "train") continue;
    const std::string kmer = cell["shortcut_kmer"];
    ++shortcuts;
    EXPECT_TRUE(specific.count(kmer)) << kmer;
    EXPECT_FALSE(seeded.count(kmer)) << kmer;
  }
  EXPECT_EQ(shortcuts, 3);
}

TEST_F(TrainE2ETest, MotifSeedExtensionSeedsEachPlantedMotifWholeAndOnce) {
  // model.motif_seed_extend: each seed 8-mer grows into the planted motif it is a window of (up
  // to the kernel, 12), a second 8-mer of the same motif is merged instead of seeded again, and
  // the seeded filter reads the whole motif.
  TrainConfig c = Config(1);
  c.model.kernel = 12;
  c.model.motif_seed = 8;
  c.model.motif_seed_extend = true;
  TrainRunOptions opt;
  opt.out_dir = dir_->Join("seeded_extended");
  opt.threads = 1;
  TrainRun(c, opt);
  const Json seed = RunFolder::Load(opt.out_dir).run["motif_seed"];
  EXPECT_EQ(seed["extend"], true);
  // Planted: the motifs, and each training cell line's shortcut 8-mer (seeded too here, as no
  // motif_seed_min_cell_z is set).
  std::vector<std::string> planted;
  const Json sim = ReadJsonFile(dir_->Join("sim") + "/simulation.json");
  for (const auto& m : sim["motifs"]) planted.push_back(m["consensus"].get<std::string>());
  for (const auto& cell : sim["cells"])
    if (cell.contains("shortcut_kmer")) planted.push_back(cell["shortcut_kmer"].get<std::string>());
  std::vector<std::string> motifs;
  size_t longer = 0;
  for (const auto& r : seed["enhancer"]) {
    const std::string kmer = r["kmer"], motif = r["motif"];
    const int offset = r["seed_offset"];
    EXPECT_EQ(motif.substr(static_cast<size_t>(offset), kmer.size()), kmer);
    EXPECT_EQ(r["ic"].size(), motif.size());
    EXPECT_LE(motif.size(), 12u);
    longer += motif.size() > kmer.size();
    // Every seeded motif is a planted one (a window of it, with at most one mismatch).
    bool found = false;
    for (const auto& p : planted) found = found || (SameMotif(p, motif) && motif.size() <= p.size() + 1);
    EXPECT_TRUE(found) << motif;
    for (const auto& m : motifs) EXPECT_FALSE(SameMotif(m, motif)) << m << " / " << motif;
    motifs.push_back(motif);
  }
  EXPECT_GE(motifs.size(), 3u);
  EXPECT_GE(longer, 1u);  // the tiny simulation's motifs are 8..12 bp long
  for (const auto& r : seed["enhancer_merged"]) {
    const std::string same = r["same_motif_as"];
    EXPECT_NE(std::find(motifs.begin(), motifs.end(), same), motifs.end()) << same;
  }
}

TEST_F(TrainE2ETest, AblatedRunLogsOnlyTheTask) {
  TrainConfig c = Config(2);
  c.components = {false, false, false, false};
  c.train.sampler = "random";
  TrainRunOptions opt;
  opt.out_dir = dir_->Join("plain");
  opt.threads = 1;
  TrainRun(c, opt);
  auto log = RunFolder::Load(opt.out_dir).epochs;
  ASSERT_EQ(log.size(), 2u);
  EXPECT_EQ(log[0]["loss"].size(), 2u);  // task + total
  EXPECT_TRUE(log[0]["disc_acc"].is_null());
  EXPECT_EQ(log[0]["sampler"], "random");
  PredictOptions po;
  po.run_dir = opt.out_dir;
  PredictRun(po);
  Json d = ReadJsonFile(opt.out_dir + "/diagnostics.json");
  EXPECT_TRUE(d["prototype_separation"].is_null());
  EXPECT_TRUE(d["disc_acc"].is_null());
}

TEST_F(TrainE2ETest, EpochsZeroAreDerivedFromTheStepBudget) {
  // train.epochs = 0: the fewest epochs that reach train.steps optimiser steps on this training
  // set; the value and its rule go to run.json `derived` and the resolved config.toml.
  TrainConfig c = Config(0);
  c.components = {false, false, false, false};
  c.train.sampler = "random";
  c.train.steps = 25;
  TrainRunOptions opt;
  opt.out_dir = dir_->Join("derived_epochs");
  opt.threads = 1;
  TrainSummary s = TrainRun(c, opt);
  RunFolder run = RunFolder::Load(opt.out_dir);
  const Json& d = run.run["derived"]["epochs"];
  const int64_t per_epoch = d["steps_per_epoch"].get<int64_t>();
  ASSERT_GT(per_epoch, 0);
  const int64_t expected = (25 + per_epoch - 1) / per_epoch;
  EXPECT_EQ(d["value"].get<int64_t>(), expected);
  EXPECT_EQ(d["steps"].get<int64_t>(), 25);
  EXPECT_GE(expected * per_epoch, 25);
  EXPECT_LT((expected - 1) * per_epoch, 25);
  EXPECT_EQ(s.epochs_run, expected);
  EXPECT_EQ(run.epochs.size(), static_cast<size_t>(expected));
  EXPECT_EQ(ReadTrainConfig(opt.out_dir + "/config.toml").train.epochs, expected);
  // A fixed epoch count derives nothing.
  TrainConfig fixed = Config(1);
  fixed.components = c.components;
  fixed.train.sampler = "random";
  opt.out_dir = dir_->Join("fixed_epochs");
  TrainRun(fixed, opt);
  EXPECT_FALSE(RunFolder::Load(opt.out_dir).run.value("derived", Json::object()).contains("epochs"));
}

/// What an error says: its message (one line, no LibTorch stack).
std::string ErrorOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST_F(TrainE2ETest, PredictNamesATruncatedEmptyOrForeignCheckpoint) {
  TrainRunOptions opt;
  opt.out_dir = dir_->Join("damaged");
  opt.threads = 1;
  TrainRun(Config(1), opt);
  const std::string best = opt.out_dir + "/checkpoints/best.pt";
  const RunRecord run = RunFolder::Load(opt.out_dir).record;
  ASSERT_EQ(run.checkpoints.at("best").hash, HashFile(best));  // recorded when written
  ASSERT_EQ(run.checkpoints.at("last").epoch, 1);
  PredictOptions po;
  po.run_dir = opt.out_dir;
  po.threads = 1;
  const auto size = std::filesystem::file_size(best);
  std::filesystem::resize_file(best, size / 2);
  std::string msg = ErrorOf([&] { PredictRun(po); });
  EXPECT_EQ(msg, best + ": checkpoint truncated or changed: " + std::to_string(size / 2) +
                     " bytes, run.json records " + std::to_string(size));
  std::filesystem::resize_file(best, 0);
  EXPECT_EQ(ErrorOf([&] { PredictRun(po); }), best + ": checkpoint empty (0 bytes)");
  // A complete archive that is not a prism checkpoint (run.json without a record of it).
  Json j = ReadJsonFile(opt.out_dir + "/run.json");
  j.erase("checkpoints");
  WriteJsonFile(opt.out_dir + "/run.json", j);
  WriteFileAtomic(best, std::string("PK\x05\x06", 4) + std::string(18, '\0'));
  msg = ErrorOf([&] { PredictRun(po); });
  EXPECT_EQ(msg.rfind(best + ": not a readable prism checkpoint", 0), 0u) << msg;
  EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
  // Nothing was written.
  EXPECT_FALSE(std::filesystem::exists(opt.out_dir + "/predictions"));
  EXPECT_FALSE(std::filesystem::exists(opt.out_dir + "/metrics"));
}

TEST_F(TrainE2ETest, ResumeRefusesAnotherConfigUnlessForcedAndRepairsACutLog) {
  TrainRunOptions opt;
  opt.out_dir = dir_->Join("guarded");
  opt.threads = 1;
  opt.stop_after_epoch = 1;
  TrainRun(Config(3), opt);
  const std::string log = opt.out_dir + "/train_log.jsonl";
  const std::string run_json_before = ReadFile(opt.out_dir + "/run.json");
  // Another learning rate: refused, naming run.json; nothing changes.
  opt.stop_after_epoch = 2;
  opt.resume = true;
  TrainConfig other = Config(3);
  other.train.lr *= 100;
  ExpectInputError([&] { TrainRun(other, opt); },
                   opt.out_dir + "/run.json: --resume: the configuration (hash ");
  EXPECT_EQ(ReadFile(opt.out_dir + "/run.json"), run_json_before);
  EXPECT_EQ(RunFolder::Load(opt.out_dir).log.size(), 1u);
  // Another data set: refused too.
  TrainConfig moved = Config(3);
  TempDir copy;
  std::filesystem::copy(dir_->Join("sim"), copy.Join("sim"), std::filesystem::copy_options::recursive);
  {
    const std::string pairs = copy.Join("sim/test/ALL/pairs_hg19.csv");
    const std::string text = ReadFile(pairs);
    const size_t last = text.rfind('\n', text.size() - 2);
    WriteFileAtomic(pairs, text + text.substr(last + 1));  // one pair listed twice
  }
  moved.data.dir = copy.Join("sim");
  ExpectInputError([&] { TrainRun(moved, opt); }, "data (hash ");
  // --force goes ahead and records the change.
  opt.force = true;
  TrainRun(other, opt);
  RunFolder rf = RunFolder::Load(opt.out_dir);
  ASSERT_EQ(rf.log.size(), 2u);
  EXPECT_GT(rf.log[1].lr, 10 * rf.log[0].lr);  // the new learning rate is in effect
  ASSERT_EQ(rf.record.resumed_with_changes.size(), 1u);
  EXPECT_EQ(rf.record.resumed_with_changes[0].at_epoch, 2);
  EXPECT_EQ(rf.record.resumed_with_changes[0].new_config_hash, HashHex(other.ToToml()));
  EXPECT_EQ(rf.record.config_hash, HashHex(other.ToToml()));
  // The process died while appending epoch 3's line: resume drops the partial line.
  opt.force = false;
  opt.stop_after_epoch = 0;
  const std::string two = ReadFile(log);
  WriteFileAtomic(log, two + two.substr(0, two.find('\n') / 2));
  TrainRun(other, opt);
  rf = RunFolder::Load(opt.out_dir);
  ASSERT_EQ(rf.log.size(), 3u);
  EXPECT_EQ(rf.log[2].epoch, 3);
  EXPECT_EQ(rf.record.status, "finished");
  EXPECT_EQ(rf.record.resumed_with_changes.size(), 1u);
  // A damaged line before the last is not guessed at: the error names file and line.
  WriteFileAtomic(log, "{\"epoch\": 1,\n" + ReadFile(log));
  ExpectInputError([&] { TrainRun(other, opt); }, log + ":1: invalid JSON");
}


/// A motif-grammar member file's grammar: one enhancer and one promoter motif, hard sites.
std::string GrammarJson(const std::string& weights = "[1.0,0.5,0.5]", double intercept = -1.0) {
  return R"({"member":"motif_grammar","p_value":0.001,"l2":10,"saturation":2,)"
         R"("enhancer":[{"consensus":"ACGTAC","freq":[[0.7,0.1,0.1,0.1],[0.1,0.7,0.1,0.1],)"
         R"([0.1,0.1,0.7,0.1],[0.1,0.1,0.1,0.7],[0.7,0.1,0.1,0.1],[0.1,0.7,0.1,0.1]]}],)"
         R"("promoter":[{"consensus":"GGGCCC","freq":[[0.1,0.1,0.7,0.1],[0.1,0.1,0.7,0.1],)"
         R"([0.1,0.1,0.7,0.1],[0.1,0.7,0.1,0.1],[0.1,0.7,0.1,0.1],[0.1,0.7,0.1,0.1]]}],)"
         R"("weights":)" + weights + R"(,"intercept":)" + std::to_string(intercept) + "}";
}

/// A run folder holding a motif-grammar member record whose file is `grammar`.
std::string MotifGrammarRunFolder(const TempDir& tmp, const std::string& combine_rule,
                                  const std::string& grammar = GrammarJson(),
                                  const std::string& name = "") {
  const std::string dir = tmp.Join(name.empty() ? combine_rule : name);
  std::filesystem::create_directories(dir + "/checkpoints");
  const std::string file = "checkpoints/ensemble.motif_grammar.json";
  WriteFileAtomic(dir + "/" + file, grammar + "\n");
  const CheckpointRecord rec = DescribeCheckpoint(dir, file, 0);
  Json run = {{"derived",
               {{"ensemble",
                 {{"member", "motif_grammar"}, {"weight", 0.5}, {"combine_rule", combine_rule},
                  {"gate", "val"}, {"rounds", 0}, {"file", rec.file}, {"bytes", rec.bytes},
                  {"hash", rec.hash}}}}}};
  WriteFileAtomic(dir + "/run.json", run.dump());
  return dir;
}

TEST(EnsembleMember, StandardisedLogitsGiveBothLearnersTheSameSay) {
  TrainConfig c;
  c.model.ensemble = "motif_grammar";
  TempDir tmp;
  const std::string dir = MotifGrammarRunFolder(tmp, "standardised_logits");
  auto member = train::EnsembleMember::Load(dir, c, 1);
  ASSERT_TRUE(member);
  EXPECT_EQ(member->combine_rule(), "standardised_logits");
  EXPECT_EQ(member->gate(), "val");
  const std::vector<double> net = {0.01, 0.02, 0.05, 0.9}, mem = {0.50, 0.49, 0.48, 0.47};
  EXPECT_THROW(member->Combine(net, mem), Error);  // the scale first
  // Reference pairs: the network spreads its logits widely, the member hardly at all.
  const std::vector<double> ref_net = {0.001, 0.01, 0.5, 0.99, 0.999},
                            ref_mem = {0.45, 0.48, 0.5, 0.52, 0.55};
  member->SetScale(ref_net, ref_mem);
  auto moments = [](const std::vector<double>& p) {
    double m = 0, sq = 0;
    for (double v : p) m += std::log(v / (1 - v));
    m /= p.size();
    for (double v : p) sq += std::pow(std::log(v / (1 - v)) - m, 2);
    return std::pair{m, std::sqrt(sq / p.size())};
  };
  const auto [mn, sn] = moments(ref_net);
  const auto [mm, sm] = moments(ref_mem);
  const Json scale = member->ScaleRecord();
  EXPECT_NEAR(scale["network"]["logit_sd"].get<double>(), sn, 1e-12);
  EXPECT_NEAR(scale["member"]["logit_mean"].get<double>(), mm, 1e-12);
  const std::vector<double> out = member->Combine(net, mem);
  for (size_t i = 0; i < net.size(); ++i) {
    const double zn = (std::log(net[i] / (1 - net[i])) - mn) / sn;
    const double zm = (std::log(mem[i] / (1 - mem[i])) - mm) / sm;
    EXPECT_NEAR(out[i], 1 / (1 + std::exp(-(mn + sn * (zn + zm) / 2))), 1e-12) << i;
  }
  // A plain mean of probabilities would order these pairs as the network does; standardised,
  // the member's small differences count as much as the network's large ones.
  EXPECT_GT(out[0], out[1]);
  // prism score restores predict's recorded scale: the same ensemble, bit for bit.
  auto again = train::EnsembleMember::Load(dir, c, 1);
  again->RestoreScale(scale);
  EXPECT_EQ(again->Combine(net, mem), out);
  Json no_sd = scale;
  no_sd["member"].erase("logit_sd");
  EXPECT_THROW(again->RestoreScale(no_sd), Error);
  Json flat = scale;
  flat["network"]["logit_sd"] = 0.0;
  EXPECT_THROW(again->RestoreScale(flat), Error);
  // The gate chose the network alone: its scores, exactly; the member alone: its order.
  EXPECT_EQ(member->Combine(net, mem, 0.0), net);
  const std::vector<double> alone = member->Combine(net, mem, 1.0);
  for (size_t i = 0; i + 1 < net.size(); ++i)
    EXPECT_EQ(alone[i] < alone[i + 1], mem[i] < mem[i + 1]) << i;
  member->SetWeight(0);
  EXPECT_EQ(member->weight(), 0);
  EXPECT_EQ(member->Combine(net, mem), net);
}

TEST(EnsembleMember, TheValidationGateTakesTheMemberWithinOneStandardErrorElseTheBetterOfTheOthers) {
  // one-standard-error rule for the member: within se_best of the best, the member; else the
  // better of the network alone and the ensemble (the network on a tie)
  EXPECT_EQ(train::GateChoice(0.75, 0.72, 0.71, 0.05), "member");    // within one SE: the simplest
  EXPECT_EQ(train::GateChoice(0.75, 0.72, 0.69, 0.05), "ensemble");  // the member 0.06 below; the
                                                                     // network within one SE, lower
  EXPECT_EQ(train::GateChoice(0.72, 0.75, 0.69, 0.05), "network");   // the network the best
  EXPECT_EQ(train::GateChoice(0.72, 0.72, 0.60, 0.05), "network");   // a tie: the network alone
  EXPECT_EQ(train::GateChoice(0.75, 0.69, 0.69, 0.05), "ensemble");  // both alone too far below
  EXPECT_EQ(train::GateChoice(0.70, 0.75, 0.71, 0.05), "member");    // the network best, by < 1 SE
  EXPECT_EQ(train::GateChoice(0.70, 0.69, 0.75, 0.01), "member");    // the member the best
  EXPECT_EQ(train::GateChoice(0.70, 0.80, 0.75, 0.01), "network");
  EXPECT_EQ(train::GateChoice(0.70, 0.70, 0.70, 0.0), "member");     // a tie with no noise
}

TEST(EnsembleMember, ProbabilityMeanAndAnUnknownRule) {
  TrainConfig c;
  c.model.ensemble = "motif_grammar";
  TempDir tmp;
  auto member = train::EnsembleMember::Load(MotifGrammarRunFolder(tmp, "probabilities"), c, 1);
  EXPECT_EQ(member->Combine({0.2, 0.8}, {0.4, 0.0}), (std::vector<double>{0.30000000000000004, 0.4}));
  ExpectInputError([&] { train::EnsembleMember::Load(MotifGrammarRunFolder(tmp, "median"), c, 1); },
                   "derived.ensemble.combine_rule: unknown rule 'median'");
}

TEST(EnsembleMember, AveragedGrammarsScoreTheMeanOfTheirLogits) {
  // model.motif_grammar_background = "average": the member file holds a second grammar under
  // "averaged"; the member's logit is the mean of the two grammars' logits.
  TrainConfig c;
  c.model.ensemble = "motif_grammar";
  TempDir tmp;
  const std::string g1 = GrammarJson(), g2 = GrammarJson("[-0.5,2.0,-1.5]", 0.5);
  std::string both = g1;
  both.insert(both.size() - 1, R"(,"averaged":[)" + g2 + "]");
  const std::string enh[] = {"TTTTACGTACAAAAACGTACTTTT", "TTTTTTTTTTTTTTTTTTTTTTTT", "GTACGTCCCCACGTACGGGG"};
  const std::string prom[] = {"AAGGGCCCAAGGGCCCAA", "ATATATATATATATATAT"};
  train::Dataset d;
  d.kind = "sequence";
  for (const auto& e : enh) d.e_tokens.push_back(Tokenize(e));
  for (const auto& p : prom) d.p_tokens.push_back(Tokenize(p));
  for (int e = 0; e < 3; ++e)
    for (int p = 0; p < 2; ++p) {
      d.e_idx.push_back(e);
      d.p_idx.push_back(p);
      d.pairs.push_back(Pair{});
      d.pairs.back().label = (e + p) % 2;
    }
  auto predict = [&](const std::string& grammar, const std::string& name) {
    return train::EnsembleMember::Load(MotifGrammarRunFolder(tmp, "probabilities", grammar, name), c, 1)
        ->Predict(d);
  };
  const std::vector<double> p1 = predict(g1, "one"), p2 = predict(g2, "two"), avg = predict(both, "both");
  auto logit = [](double p) { return std::log(p / (1 - p)); };
  ASSERT_EQ(avg.size(), d.size());
  std::set<double> distinct;
  for (size_t i = 0; i < d.size(); ++i) {
    EXPECT_NEAR(logit(avg[i]), (logit(p1[i]) + logit(p2[i])) / 2, 1e-9) << i;
    distinct.insert(p1[i] - p2[i]);
  }
  EXPECT_GT(distinct.size(), 1u);  // the two grammars score the pairs differently
  // The writer's form reads back to the same scores.
  const auto parsed = train::ParseMotifGrammar(both, "m.json");
  ASSERT_EQ(parsed->averaged.size(), 1u);
  EXPECT_EQ(parsed->averaged[0].fit.model.intercept, 0.5);
  EXPECT_EQ(predict(train::MotifGrammarFileJson(*parsed).dump(), "again"), avg);
  // Bad input: named, nothing guessed.
  ExpectInputError([&] { train::ParseMotifGrammar(g1.substr(0, g1.size() - 1) + R"(,"averaged":3})", "m.json"); },
                   "m.json: motif grammar member: averaged must be an array of grammars");
  std::string nested = g1;
  nested.insert(nested.size() - 1, R"(,"averaged":[)" + both + "]");
  ExpectInputError([&] { train::ParseMotifGrammar(nested, "m.json"); },
                   "an averaged grammar holds further grammars");
  ExpectInputError([&] { train::ParseMotifGrammar(g1.substr(0, g1.size() - 1) + R"(,"background":"gc"})", "m.json"); },
                   "unknown background 'gc' (expected \"uniform\" or \"composition\")");
  ExpectInputError([&] { train::ParseMotifGrammar(g1.substr(0, g1.size() - 1) + R"(,"flank":1})", "m.json"); },
                   "flank must lie in 2..8");
  EXPECT_EQ(train::ParseMotifGrammar(g1.substr(0, g1.size() - 1) + R"(,"flank":4})", "m.json")->flank, 4);
  EXPECT_EQ(parsed->flank, 2);  // a file without "flank": discovery's own 2 columns
  std::string short_weights = g1;
  short_weights.insert(short_weights.size() - 1, R"(,"averaged":[)" + GrammarJson("[1.0]") + "]");
  ExpectInputError([&] { train::ParseMotifGrammar(short_weights, "m.json"); },
                   "1 weights for 1 x 1 motifs (expected 3)");
}

}  // namespace
}  // namespace prism
