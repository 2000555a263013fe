// Tests of the configuration field table, the built-in presets, range checks and the memory
// estimate before training.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "../unit/test_util.h"
#include "prism/train.h"
#include "train/config_fields.h"
#include "train/dataset.h"
#include "train/model_recipe.h"

namespace prism {
namespace {

std::string RepoFile(const std::string& rel) {
  std::ifstream in(std::string(PRISM_FIXTURES) + "/../../" + rel);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Every field of `c` as "name = value" (all of them, applicable to the data kind or not).
std::map<std::string, std::string> Values(const TrainConfig& c) {
  std::map<std::string, std::string> out;
  for (const auto& f : train::ConfigFields()) out[f.Name()] = f.ValueToml(c);
  return out;
}

TEST(ConfigFieldsTest, TheStructDefaultsAreTheDefaultPreset) {
  // One meaning of "default": TrainConfig{} == configs/default.toml == the built-in copy.
  const auto defaults = Values(TrainConfig{});
  EXPECT_EQ(Values(BuiltinTrainConfig("default")), defaults);
  TrainConfig file = ReadTrainConfig(std::string(PRISM_FIXTURES) + "/../../configs/default.toml");
  EXPECT_EQ(Values(file), defaults);
  EXPECT_EQ(Values(ParseTrainConfig("", "empty.toml")), defaults);
  EXPECT_EQ(BuiltinConfigText("default"), RepoFile("configs/default.toml"));
}

TEST(ConfigFieldsTest, PresetFilesSetEveryKeyOfTheirDataKind) {
  // Parsed onto a base where every value differs, a complete preset gives the same config as
  // parsed onto the struct defaults.
  TrainConfig other;
  for (const auto& f : train::ConfigFields()) {
    if (*f.kind) continue;  // data-kind-specific keys of the other kind stay valid
    std::visit(
        [](auto* p) {
          using T = std::decay_t<decltype(*p)>;
          if constexpr (std::is_same_v<T, bool>) *p = !*p;
          else if constexpr (std::is_same_v<T, std::string>) *p += "-x";
          else if constexpr (std::is_same_v<T, std::vector<std::string>>) p->push_back("x");
          else *p = *p + 1;
        },
        f.ref(other));
  }
  other.data.kind = "sequence";
  for (const char* name : {"tiny", "default", "paper"}) {
    const std::string& text = BuiltinConfigText(name);
    const TrainConfig a = train::ParseTrainConfigOnto(nullptr, text, name, "", "", name);
    const TrainConfig b = train::ParseTrainConfigOnto(&other, text, name, "", "", name);
    for (const auto& f : train::ConfigFields()) {
      if (*f.kind && a.data.kind != f.kind) continue;
      if (f.Name() == "data.dir") continue;  // given with --data
      EXPECT_EQ(f.ValueToml(a), f.ValueToml(b)) << name << ": " << f.Name() << " not set";
    }
  }
}

TEST(ConfigFieldsTest, APresetIsTheBaseTheFileOverrides) {
  const TrainConfig tiny = BuiltinTrainConfig("tiny");
  TrainConfig c = ParseTrainConfig("preset = \"tiny\"\n[train]\nepochs = 2\n", "run.toml");
  EXPECT_EQ(c.preset, "tiny");
  EXPECT_EQ(c.train.epochs, 2);
  c.train.epochs = tiny.train.epochs;
  c.source = tiny.source;
  EXPECT_EQ(Values(c), Values(tiny));
  // The override (prism train --preset) replaces the file's preset.
  TrainConfig paper = ParseTrainConfig("preset = \"tiny\"\n[train]\nepochs = 2\n", "run.toml", "", "paper");
  EXPECT_EQ(paper.preset, "paper");
  EXPECT_EQ(paper.model.embed_dim, 768);
  EXPECT_EQ(paper.train.epochs, 2);
  // Presets chain: ablation-plain is the default preset with the components off.
  TrainConfig plain = BuiltinTrainConfig("ablation-plain");
  EXPECT_EQ(plain.preset, "default");
  EXPECT_FALSE(plain.components.prototype || plain.components.contrastive ||
               plain.components.orthogonality || plain.components.adversarial);
  plain.components = TrainConfig{}.components;
  plain.name = "default";
  plain.source = BuiltinTrainConfig("default").source;
  EXPECT_EQ(Values(plain), Values(TrainConfig{}));
  // The features preset is valid for feature tables (its sequence-only parts are off).
  const TrainConfig f = BuiltinTrainConfig("features");
  EXPECT_EQ(f.data.kind, "features");
  EXPECT_EQ(f.model.motif_seed, 0);
  EXPECT_EQ(f.train.balance, "none");
  EXPECT_NO_THROW(train::ModelOptionsFor(f, 2, 24));
  ExpectInputError([] { ParseTrainConfig("preset = \"huge\"\n", "run.toml"); },
                   "run.toml:1:10: 'preset' must be one of ablation-plain, components-on, default, features, "
                   "features-whalen, paper, tiny, got 'huge'");
  ExpectInputError([] { ParseTrainConfig("", "run.toml", "", "huge"); }, "--preset must be one of");
}

// A built-in configuration's relative paths are relative to its file (configs/ of the source
// tree), not to the working directory: features-whalen names the Whalen tables as
// ../../shared/... beside the repository.
TEST(ConfigFieldsTest, BuiltinPathsAreRelativeToTheirFileNotTheWorkingDirectory) {
  namespace fs = std::filesystem;
  const TrainConfig here = BuiltinTrainConfig("features-whalen");
  const fs::path cwd = fs::current_path();
  TempDir elsewhere;
  fs::current_path(elsewhere.path());
  const TrainConfig there = BuiltinTrainConfig("features-whalen");
  fs::current_path(cwd);
  ASSERT_EQ(here.data.files.size(), 6u);
  EXPECT_EQ(here.data.files, there.data.files);
  const fs::path first(here.data.files.front());
  EXPECT_TRUE(first.is_absolute()) << first;
  EXPECT_EQ(first.filename(), "Whalen.GM12878.targetfinder_features.csv.gz");
  EXPECT_EQ(first.parent_path().filename(), "epi-features");
  // configs/../../shared/data/epi-features: shared/ beside the checkout, whose parent exists.
  const fs::path shared = first.parent_path().parent_path().parent_path();
  EXPECT_EQ(shared.filename(), "shared");
  EXPECT_TRUE(fs::exists(shared.parent_path())) << shared;
}

TEST(ConfigFieldsTest, WritersAndReferenceComeFromTheTable) {
  const TrainConfig c = BuiltinTrainConfig("tiny");
  const std::string toml = c.ToToml();
  const Json json = c.ToJson();
  const std::string ref = TrainConfigReference();
  for (const auto& f : train::ConfigFields()) {
    EXPECT_NE(ref.find("| `" + std::string(f.key) + "` | " + f.TypeName() + " |"),
              std::string::npos) << f.Name();
    if (*f.kind && c.data.kind != f.kind) {
      // Absent from its own section (another section may have a key of the same name:
      // data.kind and model.kind).
      const std::string head = *f.section ? "\n[" + std::string(f.section) + "]\n" : "";
      const size_t begin = head.empty() ? 0 : toml.find(head);
      ASSERT_NE(begin, std::string::npos) << f.Name();
      const std::string block = toml.substr(begin, toml.find("\n[", begin + 1) - begin);
      EXPECT_EQ(block.find("\n" + std::string(f.key) + " = "), std::string::npos) << f.Name();
      continue;
    }
    EXPECT_NE(toml.find("\n" + std::string(f.key) + " = " + f.ValueToml(c) + "\n"),
              std::string::npos) << f.Name();
    const Json& v = *f.section ? json[f.section][f.key] : json[f.key];
    EXPECT_EQ(v, f.ValueJson(c)) << f.Name();
  }
  // Round trip: the resolved TOML reads back to the same configuration.
  EXPECT_EQ(ParseTrainConfig(toml, "config.toml").ToJson(), json);
  // Registry names appear once, from their registries.
  EXPECT_NE(ref.find("`cell`, `contrastive`, `random`"), std::string::npos);
  EXPECT_NE(ref.find("`cosine`, `step`, `constant`"), std::string::npos);
  EXPECT_NE(ref.find("`bce`, `adaptive_immax`"), std::string::npos);
}

TEST(ConfigFieldsTest, DocsHoldExactlyTheReference) {
  const std::string doc = RepoFile("docs/train-config.md");
  const std::string begin = "<!-- config-reference:begin -->\n", end = "<!-- config-reference:end -->";
  const size_t a = doc.find(begin), b = doc.find(end);
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  EXPECT_EQ(doc.substr(a + begin.size(), b - a - begin.size()), TrainConfigReference())
      << "docs/train-config.md is out of date: replace the block with `prism config reference`";
}

TEST(ConfigFieldsTest, OutOfRangeValuesAreRefusedAtTheirPosition) {
  struct Case {
    const char* toml;
    const char* message;
  };
  const Case cases[] = {
      {"[train]\nlr = inf\n", "run.toml:2:6: 'train.lr' must be a number in (0, 1], got inf"},
      {"[train]\nlr = 1e30\n", "run.toml:2:6: 'train.lr' must be a number in (0, 1], got 1e+30"},
      {"[train]\nlr = nan\n", "run.toml:2:6: 'train.lr' must be a number in (0, 1], got nan"},
      {"[model]\nembed_dim = -4\n", "run.toml:2:13: 'model.embed_dim' must be an integer in [1, 4096], got -4"},
      {"[model]\nembed_dim = 0\n", "run.toml:2:13: 'model.embed_dim' must be an integer in [1, 4096], got 0"},
      {"[model]\nembed_dim = 100000\n", "run.toml:2:13: 'model.embed_dim' must be an integer in [1, 4096], got 100000"},
      {"[model]\nembed_dim = 1e9\n", "run.toml:2:13: 'model.embed_dim' must be an integer in [1, 4096], got 1000000000.0"},
      {"[model]\nkernel = -1\n", "run.toml:2:10: 'model.kernel' must be an integer in [0, 1024], got -1"},
      {"[model]\nkernel = 100000\n", "run.toml:2:10: 'model.kernel' must be an integer in [0, 1024], got 100000"},
      {"[train]\nbatch_size = 0\n", "run.toml:2:14: 'train.batch_size' must be an integer in [1, 1048576], got 0"},
      {"[data]\nmax_enhancer = 5\n", "run.toml:2:16: 'data.max_enhancer' must be an integer in [6, 1000000], got 5"},
      {"[model]\ninput_dropout = 1.0\n", "run.toml:2:17: 'model.input_dropout' must be a number in [0, 1), got 1.0"},
      {"seed = -1\n", "run.toml:1:8: 'seed' must be >= 0"},
      {"[model]\nmotif_grammar_wide_flank = 9\n",
       "run.toml:2:28: 'model.motif_grammar_wide_flank' must be an integer in [0, 8], got 9"},
      // 1 and 2 are in range but not wider than discovery's own flank
      {"[model]\nmotif_grammar_wide_flank = 2\n",
       "run.toml: model.motif_grammar_wide_flank = 2: expected 0 (off) or 3..8"},
  };
  for (const auto& tc : cases)
    ExpectInputError([&] { ParseTrainConfig(tc.toml, "run.toml"); }, tc.message);
  // Configs built in code are checked against the same table.
  TrainConfig c;
  c.train.lr = 1e30;
  ExpectInputError([&] { ValidateTrainConfig(c); }, "'train.lr' must be a number in (0, 1], got 1e+30");
}

TEST(ConfigFieldsTest, ADirectoryIsNotAConfig) {
  TempDir dir;
  ExpectInputError([&] { ReadTrainConfig(dir.path()); }, "is a directory; expected a TOML file");
  ExpectInputError([&] { ReadTrainConfig(dir.Join("missing.toml")); }, "cannot read config file");
}

TEST(ConfigFieldsTest, RunFoldersOfEarlierVersionsKeepTheirModel) {
  // config.toml of a run trained before the presets became configs/*.toml (the earlier default
  // model preset: 32 filters of width 20, 4 heads, k-mer table, no read-outs): 188,744
  // parameters with 3 training cell lines, as its run.json said.
  const std::string old = R"(# resolved prism training configuration (every key; defaults filled in)
name = 'plain'
seed = 7
preset = 'default'

[model]
context_calibration = true
t_init = 1.0
motif_seed = 0
motif_seed_k = 8
motif_seed_min_z = 10.0
motif_seed_min_cell_z = 0.0
motif_seed_extend = false

[data]
kind = 'sequence'
dir = '/data'
)";
  const TrainConfig c = ParseTrainConfig(old, "config.toml");
  EXPECT_EQ(c.model.channels, 32);
  EXPECT_EQ(c.model.kernel, 20);
  EXPECT_EQ(c.model.heads, 4);
  EXPECT_TRUE(c.model.kmer_table);
  EXPECT_FALSE(c.model.presence_readout || c.model.pair_interaction || c.model.presence_cap);
  EXPECT_TRUE(c.model.context_calibration);  // set in the file
  EXPECT_EQ(model::PrismNetImpl::ParameterCount(train::ModelOptionsFor(c, 3, 0)), 188744);
  // A file without the header (a user's config) starts from the preset as it is now.
  EXPECT_EQ(ParseTrainConfig(old.substr(old.find('\n') + 1), "run.toml").model.channels, 0);
  // Written now, every model key is there: read back unchanged.
  EXPECT_EQ(Values(ParseTrainConfig(c.ToToml(), "config.toml")), Values(c));
  // Its decision threshold was chosen by F1 (train.threshold_rule did not exist): read as "f1";
  // a user's file without the key gets the default "mcc", and the key is written now.
  EXPECT_EQ(c.train.threshold_rule, "f1");
  EXPECT_EQ(ParseTrainConfig(old.substr(old.find('\n') + 1), "run.toml").train.threshold_rule,
            "mcc");
  EXPECT_NE(c.ToToml().find("threshold_rule = "), std::string::npos);
}

TEST(ConfigFieldsTest, ThresholdRuleIsARegistryName) {
  EXPECT_EQ(TrainConfig().train.threshold_rule, "mcc");
  EXPECT_EQ(ParseTrainConfig("[train]\nthreshold_rule = \"f1\"\n", "r.toml").train.threshold_rule,
            "f1");
  ExpectInputError([] { ParseTrainConfig("[train]\nthreshold_rule = \"youden\"\n", "r.toml"); },
                   "r.toml:2");
  ExpectInputError([] { ParseTrainConfig("[train]\nthreshold_rule = \"youden\"\n", "r.toml"); },
                   "mcc");
}

TEST(MemoryEstimateTest, RefusesWhatCannotFitUnlessForced) {
  train::Dataset d;
  d.e_tokens = {std::vector<int32_t>(2995), std::vector<int32_t>(100)};
  d.p_tokens = {std::vector<int32_t>(3995)};
  // In range each, too big together: 4096-dim embedding, 1024 filters of width 1024.
  TrainConfig big;
  big.model.embed_dim = 4096;
  big.model.channels = 1024;
  big.model.heads = 8;
  big.model.kernel = 1024;
  big.source = "big.toml";
  const auto o = train::ModelOptionsFor(big, 4, 0);
  const auto m = train::EstimateTrainingMemory(o, 64, 256, 2995, 3995);
  EXPECT_GT(m.parameters, 16.0 * 2 * 4096.0 * 1024 * 1024);  // two conv weights, 4 copies
  const double limit = 64.0 * (1 << 30);
  ExpectInputError([&] { train::CheckTrainingFits(o, big, d, false, limit); },
                   "big.toml: the configured model needs an estimated ");
  ExpectInputError([&] { train::CheckTrainingFits(o, big, d, false, limit); },
                   "more than this machine's memory of 64.00 GiB");
  ExpectInputError([&] { train::CheckTrainingFits(o, big, d, false, limit); }, "--force");
  EXPECT_NO_THROW(train::CheckTrainingFits(o, big, d, true, limit));
  // The default model on 3-4 kb pairs fits in 8 GiB; with a 1 MiB limit it does not.
  const TrainConfig def;
  const auto od = train::ModelOptionsFor(def, 4, 0);
  EXPECT_NO_THROW(train::CheckTrainingFits(od, def, d, false, 8.0 * (1 << 30)));
  ExpectInputError([&] { train::CheckTrainingFits(od, def, d, false, 1 << 20); },
                   "activations of a batch of 64 at 2995 / 3995 tokens");
  // The estimate grows with the batch and the lengths.
  EXPECT_GT(train::EstimateTrainingMemory(od, 128, 64, 2995, 3995).activations,
            train::EstimateTrainingMemory(od, 64, 64, 2995, 3995).activations);
  EXPECT_GT(train::EstimateTrainingMemory(od, 64, 64, 2995, 3995).activations,
            train::EstimateTrainingMemory(od, 64, 64, 495, 495).activations);
}

}  // namespace
}  // namespace prism
