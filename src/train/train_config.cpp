// train/train_config.cpp - the TOML training configuration: parsing onto a preset, validation,
// writing. Every key, its type, range and allowed values come from the field table
// (train/config_fields.h); nothing here lists keys.
#include <toml++/toml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "prism/error.h"
#include "prism/run_name.h"
#include "prism/train.h"
#include "train/config_fields.h"

namespace prism {

namespace {

using train::ConfigField;
using train::ConfigFields;

[[noreturn]] void FailAt(const std::string& source, const toml::source_region& r,
                         const std::string& msg) {
  throw InputError(source, static_cast<long>(r.begin.line), static_cast<int>(r.begin.column), msg);
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string NodeText(const toml::node& n) {
  std::ostringstream os;
  n.visit([&](const auto& v) { os << v; });
  return os.str();
}

/// Checks `v` against the field's range; the message names the key, range and value.
/// "an integer in [1, 4096]", "a number >= 0", "an integer".
std::string Expected(const ConfigField& f, bool integer) {
  const std::string range = f.range.ToString();
  const std::string type = integer ? "an integer" : "a number";
  if (range == "any") return type;
  return type + (range[0] == '[' || range[0] == '(' ? " in " : " ") + range;
}

template <typename Fail>
void CheckRange(const ConfigField& f, double v, bool integer, const std::string& text, Fail fail) {
  if (!f.range.Contains(v)) fail("'" + f.Name() + "' must be " + Expected(f, integer) + ", got " + text);
}

template <typename Fail>
void CheckAllowed(const ConfigField& f, const std::string& v, Fail fail) {
  if (!f.allowed) return;
  const auto names = f.allowed();
  if (std::find(names.begin(), names.end(), v) == names.end())
    fail("'" + f.Name() + "' must be one of " + Join(names) + ", got '" + v + "'");
}

/// Reads one key's node into the config: type, range and allowed values.
void ReadField(const ConfigField& f, const toml::node& n, TrainConfig* c,
               const std::string& source) {
  auto fail = [&](const std::string& msg) { FailAt(source, n.source(), msg); };
  const std::string key = "'" + f.Name() + "'";
  std::visit(
      [&](auto* p) {
        using T = std::decay_t<decltype(*p)>;
        if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, uint64_t>) {
          auto v = n.value_exact<int64_t>();
          if (!v) fail(key + " must be " + Expected(f, true) + ", got " + NodeText(n));
          if (std::is_same_v<T, uint64_t> && *v < 0) fail(key + " must be >= 0");
          CheckRange(f, static_cast<double>(*v), true, std::to_string(*v), fail);
          *p = static_cast<T>(*v);
        } else if constexpr (std::is_same_v<T, double>) {
          double v = 0;
          if (n.is_integer()) v = static_cast<double>(*n.value<int64_t>());
          else if (n.is_floating_point()) v = *n.value<double>();
          else fail(key + " must be " + Expected(f, false) + ", got " + NodeText(n));
          CheckRange(f, v, false, NodeText(n), fail);
          *p = v;
        } else if constexpr (std::is_same_v<T, bool>) {
          auto v = n.value_exact<bool>();
          if (!v) fail(key + " must be true or false");
          *p = *v;
        } else if constexpr (std::is_same_v<T, std::string>) {
          if (f.IsSwitch() && n.is_boolean()) {  // true / false; "auto" is a string
            *p = *n.value_exact<bool>() ? "true" : "false";
            return;
          }
          auto v = n.value_exact<std::string>();
          if (!v) fail(key + (f.IsSwitch() ? " must be true, false or \"auto\"" : " must be a string"));
          CheckAllowed(f, *v, fail);
          *p = *v;
        } else {
          const auto* arr = n.as_array();
          if (!arr) fail(key + " must be an array of strings");
          p->clear();
          for (const auto& e : *arr) {
            auto v = e.value_exact<std::string>();
            if (!v) FailAt(source, e.source(), key + " must be an array of strings");
            p->push_back(*v);
          }
        }
      },
      f.ref(*c));
}

const ConfigField* FindField(const std::string& section, const std::string& key) {
  for (const auto& f : ConfigFields())
    if (section == f.section && key == f.key) return &f;
  return nullptr;
}

/// Every key and section of the file is known.
void CheckKeys(const toml::table& root, const std::string& source) {
  const auto& sections = train::ConfigSections();
  auto check = [&](const std::string& section, const toml::key& k) {
    const std::string key(k.str());
    const std::string name = section.empty() ? key : section + "." + key;
    if (!FindField(section, key)) FailAt(source, k.source(), "unknown key '" + name + "'");
  };
  for (const auto& [k, v] : root) {
    const std::string key(k.str());
    if (key.empty() || std::find(sections.begin(), sections.end(), key) == sections.end()) {
      check("", k);
      continue;
    }
    if (!v.is_table()) FailAt(source, v.source(), "'" + key + "' must be a table [" + key + "]");
    for (const auto& [sk, sv] : *v.as_table()) check(key, sk);
  }
}

const toml::node* Lookup(const toml::table& root, const ConfigField& f) {
  if (!*f.section) return root.get(f.key);
  const auto* t = root.get(f.section);
  return t && t->is_table() ? t->as_table()->get(f.key) : nullptr;
}

std::string Resolve(const std::string& path, const std::string& base) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return path;
  auto p = base.empty() ? std::filesystem::path(path) : std::filesystem::path(base) / path;
  return std::filesystem::absolute(p).lexically_normal().string();
}

/// The base a file's keys override: its preset (or the override), resolved.
TrainConfig BaseConfig(const toml::table& root, const std::string& source,
                       const std::string& preset_override, const std::string& self) {
  std::string preset = "default";
  if (const auto* n = root.get("preset")) {
    TrainConfig scratch;
    ReadField(*FindField("", "preset"), *n, &scratch, source);
    preset = scratch.preset;
  }
  if (!preset_override.empty()) {
    const auto names = BuiltinConfigNames();
    if (std::find(names.begin(), names.end(), preset_override) == names.end())
      Fatal("--preset must be one of ", Join(names), ", got '", preset_override, "'");
    preset = preset_override;
  }
  TrainConfig base;  // the struct defaults: the `default` preset
  if (preset != self) {
    static thread_local int depth = 0;
    if (depth > 8) Fatal(source, ": the built-in configurations name each other as preset in a cycle");
    ++depth;
    try {
      base = BuiltinTrainConfig(preset);
    } catch (...) {
      --depth;
      throw;
    }
    --depth;
  }
  base.preset = preset;
  return base;
}

// Run folders written before the presets became configs/*.toml hold a resolved config.toml that
// leaves out the [model] keys the earlier model presets set (recognised by the header and no
// model.embed_dim). Those presets had every switch below at these values, and the `default` one
// these sizes; such a file takes them unless it sets them, so that `prism predict` rebuilds the
// model its checkpoint was trained with.
constexpr const char* kResolvedHeader = "# resolved prism training configuration";
constexpr const char* kLegacySwitches = R"([model]
kmer_composition = true
fused_embed_conv = false
kmer_table = true
presence_readout = false
pair_interaction = false
presence_cap = false
context_calibration = false
)";
constexpr const char* kLegacyDefaultSizes = R"([model]
channels = 32
kernel = 20
heads = 4
)";

// Keys added later, with the value that gives the model a run folder without them was trained
// with (its resolved config.toml lists every key it knew).
constexpr const char* kLaterKeys = R"([model]
both_strands = false
motif_seed_pwm = false
[data]
shortcut_mask_per_cell = 0
[train]
balance_trim = false
threshold_rule = "f1"
)";

void ApplyLegacyModel(const toml::table& root, const std::string& text, TrainConfig* c,
                      const std::string& source) {
  if (text.rfind(kResolvedHeader, 0) != 0) return;
  const toml::table later = toml::parse(std::string_view(kLaterKeys), std::string_view("later keys"));
  for (const char* section : {"model", "data", "train"}) {
    const auto* have = root.get(section) ? root.get(section)->as_table() : nullptr;
    for (const auto& [k, v] : *later[section].as_table())
      if (!have || !have->get(k.str()))
        ReadField(*FindField(section, std::string(k.str())), v, c, source);
  }
  const auto* node = root.get("model");
  const toml::table* model = node ? node->as_table() : nullptr;
  if (model && model->get("embed_dim")) return;
  for (const char* overlay : {kLegacySwitches, kLegacyDefaultSizes}) {
    if (overlay == kLegacyDefaultSizes && c->preset != "default") continue;
    const toml::table legacy = toml::parse(std::string_view(overlay), std::string_view("legacy model preset"));
    for (const auto& [k, v] : *legacy["model"].as_table())
      if (!model || !model->get(k.str())) ReadField(*FindField("model", std::string(k.str())), v, c, source);
  }
}

}  // namespace

namespace train {

TrainConfig ParseTrainConfigOnto(const TrainConfig* base, const std::string& text,
                                 const std::string& source, const std::string& base_dir,
                                 const std::string& preset_override, const std::string& self) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    FailAt(source, e.source(), std::string(e.description()));
  }
  CheckKeys(root, source);
  TrainConfig c = base ? *base : BaseConfig(root, source, preset_override, self);
  if (!base) ApplyLegacyModel(root, text, &c, source);
  const TrainConfig before = c;  // what the file's keys override
  const ConfigField* preset = FindField("", "preset");
  for (const auto& f : ConfigFields()) {
    if (&f == preset && !base) continue;  // BaseConfig resolved it (and --preset replaces it)
    if (const auto* n = Lookup(root, f)) ReadField(f, *n, &c, source);
  }
  c.source = source;
  // A run name is one folder name (prism/run_name.h): never a path that escapes --out.
  if (const toml::node* n = root.get("name"))
    if (const std::string bad = RunNameProblem(c.name); !bad.empty())
      FailAt(source, n->source(), "'name' " + bad + ", got '" + c.name + "'");
  c.data.dir = Resolve(c.data.dir, base_dir);
  for (auto& f : c.data.files) f = Resolve(f, base_dir);
  try {
    ValidateTrainConfig(c);
  } catch (const InputError&) {
    throw;
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  }
  // A key of the other data kind that changes a value would be dropped without a word (ToToml
  // leaves it out). After the conflicts above, which say more for the keys they know.
  for (const auto& f : ConfigFields())
    if (*f.kind && c.data.kind != f.kind && f.ValueToml(c) != f.ValueToml(before))
      if (const auto* n = Lookup(root, f))
        FailAt(source, n->source(),
               std::string("conflict: ") + f.section + "." + f.key + " is for data.kind = \"" +
                   f.kind + "\"; this configuration's data.kind is \"" + c.data.kind +
                   "\", which ignores it");
  return c;
}

}  // namespace train

TrainConfig ParseTrainConfig(const std::string& text, const std::string& source,
                             const std::string& base_dir, const std::string& preset_override) {
  return train::ParseTrainConfigOnto(nullptr, text, source, base_dir, preset_override, "");
}

TrainConfig ReadTrainConfig(const std::string& path, const std::string& preset_override) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    Fatal("config '", path, "' is a directory; expected a TOML file (docs/train-config.md)");
  std::ifstream in(path);
  if (!in) Fatal("cannot read config file '", path, "'");
  std::stringstream ss;
  ss << in.rdbuf();
  if (in.bad()) Fatal("cannot read config file '", path, "'");
  auto base = std::filesystem::path(path).parent_path().string();
  return ParseTrainConfig(ss.str(), path, base.empty() ? "." : base, preset_override);
}

void ValidateTrainConfig(const TrainConfig& config) {
  // Single values (configs built in code; parsing has checked them already with positions).
  TrainConfig& c = const_cast<TrainConfig&>(config);  // ref() only locates members
  for (const auto& f : ConfigFields()) {
    std::visit(
        [&](auto* p) {
          using T = std::decay_t<decltype(*p)>;
          auto fail = [&](const std::string& msg) { Fatal(msg); };
          if constexpr (std::is_same_v<T, int64_t> || std::is_same_v<T, uint64_t>)
            CheckRange(f, static_cast<double>(*p), true, std::to_string(*p), fail);
          else if constexpr (std::is_same_v<T, double>)
            CheckRange(f, *p, false, f.ValueToml(c), fail);
          else if constexpr (std::is_same_v<T, std::string>)
            CheckAllowed(f, *p, fail);
        },
        f.ref(c));
  }
  if (c.model.motif_seed_extend && c.model.motif_seed == 0)
    Fatal("conflict: model.motif_seed_extend = true extends the seeds of model.motif_seed, which is 0");
  if (c.model.motif_seed_pwm && !c.model.motif_seed_extend)
    Fatal("conflict: model.motif_seed_pwm = true builds each seed's PWM from its extension, which "
          "needs model.motif_seed_extend = true");
  if (c.model.motif_seed > 0 && c.data.kind != "sequence")
    Fatal("conflict: model.motif_seed needs sequences (data.kind = \"sequence\"); a feature-table "
          "config starts from preset = \"features\" (motif_seed = 0)");
  if (c.train.balance != "none" && c.data.kind != "sequence")
    Fatal("conflict: train.balance = \"", c.train.balance, "\" needs sequences (data.kind = "
          "\"sequence\"); a feature-table config starts from preset = \"features\" (balance = \"none\")");
  // Conflicts between components and the sampler.
  if (c.components.prototype && c.train.sampler == "random")
    Fatal("conflict: components.prototype = true needs batches grouped by cell line; "
          "train.sampler = \"random\" mixes them (use \"cell\" or \"contrastive\")");
  if (c.components.contrastive && c.train.sampler != "contrastive")
    Fatal("conflict: components.contrastive = true takes positives from other cell lines in the "
          "batch and needs train.sampler = \"contrastive\", not \"", c.train.sampler, "\"");
  if (c.data.kind == "sequence") {
    if (!c.data.files.empty()) Fatal("conflict: data.files is for data.kind = \"features\"");
    if (!c.data.test_cells.empty())
      Fatal("conflict: data.test_cells is for data.kind = \"features\" (the sequence layout "
            "has its own test folder)");
    if (c.data.distance_feature)
      Fatal("conflict: data.distance_feature is for data.kind = \"features\"");
    if (c.data.normalize != "cell")
      Fatal("conflict: data.normalize is for data.kind = \"features\" (sequences are not "
            "normalised)");
    if (c.model.input_dropout != 0)
      Fatal("conflict: model.input_dropout is for data.kind = \"features\" (dropout on a "
            "table's input columns; a sequence model has none)");
    if (c.model.kind != "network")
      Fatal("conflict: model.kind = \"", c.model.kind, "\" needs feature tables (data.kind = "
            "\"features\"); sequence data trains the network (model.kind = \"network\")");
    if (c.model.motif_grammar_wide_flank > 0 && c.model.motif_grammar_wide_flank < 3)
      Fatal("model.motif_grammar_wide_flank = ", c.model.motif_grammar_wide_flank,
            ": expected 0 (off) or 3..8 (discovery's own flank is 2 columns)");
    if (c.model.ensemble == "xgboost")
      Fatal("conflict: model.ensemble = \"xgboost\" needs feature tables (data.kind = "
            "\"features\"); on sequences use \"motif_grammar\" or \"none\"");
  } else {
    if (!c.data.dir.empty()) Fatal("conflict: data.dir is for data.kind = \"sequence\"");
    if (c.model.ensemble == "motif_grammar")
      Fatal("conflict: model.ensemble = \"motif_grammar\" needs sequences (data.kind = "
            "\"sequence\"); on feature tables use \"xgboost\" or \"none\"");
  }
}

std::string TrainConfig::ToToml() const {
  std::ostringstream o;
  o << "# resolved prism training configuration (every key; defaults filled in)\n";
  for (const auto& section : train::ConfigSections()) {
    if (!section.empty()) o << "\n[" << section << "]\n";
    for (const auto& f : ConfigFields())
      if (section == f.section && (!*f.kind || data.kind == f.kind))
        o << f.key << " = " << f.ValueToml(*this) << "\n";
  }
  return o.str();
}

Json TrainConfig::ToJson() const {
  Json j = Json::object();
  for (const auto& f : ConfigFields()) {
    if (*f.kind && data.kind != f.kind) continue;
    if (*f.section) j[f.section][f.key] = f.ValueJson(*this);
    else j[f.key] = f.ValueJson(*this);
  }
  return j;
}

}  // namespace prism
