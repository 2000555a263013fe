// train/train_config.cpp - the TOML training configuration: parsing, validation, writing.
#include <toml++/toml.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "prism/error.h"
#include "prism/run_name.h"
#include "prism/train.h"

namespace prism {

namespace {

/// Reads one TOML table against a fixed key list; every error names file:line:col.
class Section {
 public:
  Section(const toml::table* table, std::string name, const std::string& source)
      : table_(table), name_(std::move(name)), source_(source) {}

  [[noreturn]] void Fail(const toml::node& node, const std::string& msg) const {
    const auto& b = node.source().begin;
    throw InputError(source_, static_cast<long>(b.line), static_cast<int>(b.column), msg);
  }

  std::string Key(const std::string& k) const { return name_.empty() ? k : name_ + "." + k; }

  void Int(const char* key, int64_t* out) {
    if (auto* n = Get(key)) {
      auto v = n->value_exact<int64_t>();
      if (!v) Fail(*n, "'" + Key(key) + "' must be an integer");
      *out = *v;
    }
  }
  void Uint(const char* key, uint64_t* out) {
    int64_t v = static_cast<int64_t>(*out);
    Int(key, &v);
    if (v < 0) Fail(*Get(key), "'" + Key(key) + "' must be >= 0");
    *out = static_cast<uint64_t>(v);
  }
  void Double(const char* key, double* out) {
    if (auto* n = Get(key)) {
      if (n->is_integer()) *out = static_cast<double>(*n->value<int64_t>());
      else if (n->is_floating_point()) *out = *n->value<double>();
      else Fail(*n, "'" + Key(key) + "' must be a number");
    }
  }
  void Bool(const char* key, bool* out) {
    if (auto* n = Get(key)) {
      auto v = n->value_exact<bool>();
      if (!v) Fail(*n, "'" + Key(key) + "' must be true or false");
      *out = *v;
    }
  }
  /// A boolean whose absence means "keep the default": 1 = true, 0 = false, untouched if absent.
  void TriBool(const char* key, int* out) {
    if (Get(key)) {
      bool v = false;
      Bool(key, &v);
      *out = v ? 1 : 0;
    }
  }
  void String(const char* key, std::string* out, std::initializer_list<const char*> allowed = {}) {
    if (auto* n = Get(key)) {
      auto v = n->value_exact<std::string>();
      if (!v) Fail(*n, "'" + Key(key) + "' must be a string");
      if (allowed.size()) {
        bool ok = false;
        std::string list;
        for (const char* a : allowed) {
          ok |= (*v == a);
          list += (list.empty() ? "" : ", ") + std::string(a);
        }
        if (!ok) Fail(*n, "'" + Key(key) + "' must be one of " + list + ", got '" + *v + "'");
      }
      *out = *v;
    }
  }
  void Strings(const char* key, std::vector<std::string>* out) {
    if (auto* n = Get(key)) {
      const auto* arr = n->as_array();
      if (!arr) Fail(*n, "'" + Key(key) + "' must be an array of strings");
      out->clear();
      for (const auto& e : *arr) {
        auto v = e.value_exact<std::string>();
        if (!v) Fail(e, "'" + Key(key) + "' must be an array of strings");
        out->push_back(*v);
      }
    }
  }
  /// Sub-table, or nullptr when absent.
  const toml::table* Table(const char* key) {
    if (auto* n = Get(key)) {
      if (!n->is_table()) Fail(*n, "'" + Key(key) + "' must be a table [" + Key(key) + "]");
      return n->as_table();
    }
    return nullptr;
  }
  /// Every key not read is an error.
  void CheckUnknown() const {
    if (!table_) return;
    for (const auto& [k, v] : *table_) {
      std::string key(k.str());
      if (!seen_.count(key)) {
        const auto& b = k.source().begin;
        throw InputError(source_, static_cast<long>(b.line), static_cast<int>(b.column),
                         "unknown key '" + Key(key) + "'");
      }
    }
  }

 private:
  const toml::node* Get(const char* key) {
    seen_.insert(key);
    return table_ ? table_->get(key) : nullptr;
  }
  const toml::table* table_;
  std::string name_;
  const std::string& source_;
  std::set<std::string> seen_;
};

std::string Resolve(const std::string& path, const std::string& base) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return path;
  auto p = base.empty() ? std::filesystem::path(path) : std::filesystem::path(base) / path;
  return std::filesystem::absolute(p).lexically_normal().string();
}

}  // namespace

TrainConfig ParseTrainConfig(const std::string& text, const std::string& source,
                             const std::string& base_dir) {
  toml::table root;
  try {
    root = toml::parse(text, source);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw InputError(source, static_cast<long>(b.line), static_cast<int>(b.column),
                     std::string(e.description()));
  }
  TrainConfig c;
  c.source = source;
  Section top(&root, "", source);
  top.String("name", &c.name);
  if (const std::string bad = RunNameProblem(c.name); !bad.empty())  // a folder name (run_name.h)
    top.Fail(*root.get("name"), "'name' " + bad + ", got '" + c.name + "'");
  top.Uint("seed", &c.seed);
  top.String("preset", &c.preset, {"tiny", "default", "paper"});

  Section model(top.Table("model"), "model", source);
  model.Int("embed_dim", &c.model.embed_dim);
  model.Int("channels", &c.model.channels);
  model.Int("kernel", &c.model.kernel);
  model.Int("pool", &c.model.pool);
  model.Int("heads", &c.model.heads);
  model.Int("hidden", &c.model.hidden);
  model.Int("z_i_dim", &c.model.z_i_dim);
  model.Int("z_e_dim", &c.model.z_e_dim);
  model.Int("head_hidden", &c.model.head_hidden);
  model.Int("feature_hidden", &c.model.feature_hidden);
  model.Double("dropout", &c.model.dropout);
  model.Double("t_init", &c.model.t_init);
  model.TriBool("kmer_composition", &c.model.kmer_composition);
  model.TriBool("fused_embed_conv", &c.model.fused_embed_conv);
  model.TriBool("kmer_table", &c.model.kmer_table);
  model.TriBool("presence_readout", &c.model.presence_readout);
  model.TriBool("pair_interaction", &c.model.pair_interaction);
  model.TriBool("presence_cap", &c.model.presence_cap);
  model.TriBool("context_calibration", &c.model.context_calibration);
  model.TriBool("cell_offset", &c.model.cell_offset);
  model.Int("motif_seed", &c.model.motif_seed);
  model.Int("motif_seed_k", &c.model.motif_seed_k);
  model.Double("motif_seed_min_z", &c.model.motif_seed_min_z);
  model.Double("motif_seed_min_cell_z", &c.model.motif_seed_min_cell_z);
  model.Bool("motif_seed_extend", &c.model.motif_seed_extend);
  model.CheckUnknown();

  Section data(top.Table("data"), "data", source);
  data.String("kind", &c.data.kind, {"sequence", "features"});
  data.String("dir", &c.data.dir);
  data.Strings("files", &c.data.files);
  data.Strings("test_cells", &c.data.test_cells);
  data.Strings("val_cells", &c.data.val_cells);
  data.Int("max_enhancer", &c.data.max_enhancer);
  data.Int("max_promoter", &c.data.max_promoter);
  data.Bool("use_distance", &c.data.use_distance);
  data.Bool("distance_feature", &c.data.distance_feature);
  data.String("normalize", &c.data.normalize, {"cell", "train", "none"});
  data.CheckUnknown();
  c.data.dir = Resolve(c.data.dir, base_dir);
  for (auto& f : c.data.files) f = Resolve(f, base_dir);

  Section comp(top.Table("components"), "components", source);
  comp.Bool("prototype", &c.components.prototype);
  comp.Bool("contrastive", &c.components.contrastive);
  comp.Bool("orthogonality", &c.components.orthogonality);
  comp.Bool("adversarial", &c.components.adversarial);
  comp.CheckUnknown();

  Section loss(top.Table("loss"), "loss", source);
  loss.String("main", &c.loss.main, {"bce", "adaptive_immax"});
  loss.Double("contrastive_temperature", &c.loss.contrastive_temperature);
  loss.Double("immax_momentum", &c.loss.immax_momentum);
  loss.CheckUnknown();

  Section w(top.Table("weights"), "weights", source);
  w.Double("prototype", &c.weights.prototype);
  w.Double("contrastive", &c.weights.contrastive);
  w.Double("orthogonality", &c.weights.orthogonality);
  w.Double("adversarial", &c.weights.adversarial);
  w.CheckUnknown();

  Section cur(top.Table("curriculum"), "curriculum", source);
  cur.Int("warmup_epochs", &c.curriculum.warmup_epochs);
  cur.Int("ramp_epochs", &c.curriculum.ramp_epochs);
  cur.CheckUnknown();

  Section tr(top.Table("train"), "train", source);
  tr.Int("epochs", &c.train.epochs);
  tr.Int("batch_size", &c.train.batch_size);
  tr.String("sampler", &c.train.sampler, {"cell", "contrastive", "random"});
  tr.Double("lr", &c.train.lr);
  tr.Double("weight_decay", &c.train.weight_decay);
  tr.Double("grad_clip", &c.train.grad_clip);
  tr.String("schedule", &c.train.schedule, {"cosine", "step", "constant"});
  tr.Int("step_size", &c.train.step_size);
  tr.Double("gamma", &c.train.gamma);
  tr.Double("min_lr", &c.train.min_lr);
  tr.Int("patience", &c.train.patience);
  tr.Int("eval_batch_size", &c.train.eval_batch_size);
  tr.String("balance", &c.train.balance, {"none", "gc"});
  tr.Int("balance_bins", &c.train.balance_bins);
  tr.Double("balance_max_weight", &c.train.balance_max_weight);
  tr.CheckUnknown();

  top.CheckUnknown();
  try {
    ValidateTrainConfig(c);
  } catch (const InputError&) {
    throw;
  } catch (const Error& e) {
    throw Error(source + ": " + e.what());
  }
  return c;
}

TrainConfig ReadTrainConfig(const std::string& path) {
  std::ifstream in(path);
  if (!in) Fatal("cannot read config file '", path, "'");
  std::stringstream ss;
  ss << in.rdbuf();
  auto base = std::filesystem::path(path).parent_path().string();
  return ParseTrainConfig(ss.str(), path, base.empty() ? "." : base);
}

void ValidateTrainConfig(const TrainConfig& c) {
  auto positive = [](const char* key, double v) {
    if (!(v > 0)) Fatal("'", key, "' must be > 0, got ", v);
  };
  auto nonneg = [](const char* key, double v) {
    if (!(v >= 0)) Fatal("'", key, "' must be >= 0, got ", v);
  };
  positive("train.epochs", static_cast<double>(c.train.epochs));
  positive("train.batch_size", static_cast<double>(c.train.batch_size));
  positive("train.eval_batch_size", static_cast<double>(c.train.eval_batch_size));
  positive("train.lr", c.train.lr);
  nonneg("train.weight_decay", c.train.weight_decay);
  nonneg("train.grad_clip", c.train.grad_clip);
  nonneg("train.patience", static_cast<double>(c.train.patience));
  positive("train.step_size", static_cast<double>(c.train.step_size));
  positive("train.gamma", c.train.gamma);
  nonneg("train.min_lr", c.train.min_lr);
  positive("loss.contrastive_temperature", c.loss.contrastive_temperature);
  if (!(c.loss.immax_momentum >= 0 && c.loss.immax_momentum < 1))
    Fatal("'loss.immax_momentum' must be in [0, 1), got ", c.loss.immax_momentum);
  nonneg("weights.prototype", c.weights.prototype);
  nonneg("weights.contrastive", c.weights.contrastive);
  nonneg("weights.orthogonality", c.weights.orthogonality);
  nonneg("weights.adversarial", c.weights.adversarial);
  nonneg("curriculum.warmup_epochs", static_cast<double>(c.curriculum.warmup_epochs));
  nonneg("curriculum.ramp_epochs", static_cast<double>(c.curriculum.ramp_epochs));
  positive("model.t_init", c.model.t_init);
  nonneg("model.motif_seed", static_cast<double>(c.model.motif_seed));
  if (c.model.motif_seed_k < 6 || c.model.motif_seed_k > 12)
    Fatal("'model.motif_seed_k' must be in 6..12, got ", c.model.motif_seed_k);
  nonneg("model.motif_seed_min_cell_z", c.model.motif_seed_min_cell_z);
  if (c.model.motif_seed_extend && c.model.motif_seed == 0)
    Fatal("conflict: model.motif_seed_extend = true extends the seeds of model.motif_seed, which is 0");
  if (c.model.motif_seed > 0 && c.data.kind != "sequence")
    Fatal("conflict: model.motif_seed needs sequences (data.kind = \"sequence\")");
  positive("train.balance_bins", static_cast<double>(c.train.balance_bins));
  if (!(c.train.balance_max_weight > 1))
    Fatal("'train.balance_max_weight' must be > 1, got ", c.train.balance_max_weight);
  if (c.train.balance == "gc" && c.data.kind != "sequence")
    Fatal("conflict: train.balance = \"gc\" needs sequences (data.kind = \"sequence\")");
  if (c.model.dropout >= 1) Fatal("'model.dropout' must be < 1, got ", c.model.dropout);
  // Conflicts between components and the sampler.
  if (c.components.prototype && c.train.sampler == "random")
    Fatal("conflict: components.prototype = true needs batches grouped by cell line; "
          "train.sampler = \"random\" mixes them (use \"cell\" or \"contrastive\")");
  if (c.components.contrastive && c.train.sampler != "contrastive")
    Fatal("conflict: components.contrastive = true takes positives from other cell lines in the "
          "batch and needs train.sampler = \"contrastive\", not \"", c.train.sampler, "\"");
  if (c.data.kind == "sequence") {
    if (!c.data.files.empty()) Fatal("conflict: data.files is for data.kind = \"features\"");
    if (!c.data.test_cells.empty() || !c.data.val_cells.empty())
      Fatal("conflict: data.test_cells/val_cells are for data.kind = \"features\" (the "
            "sequence layout has its own train/val/test folders)");
    if (c.data.distance_feature)
      Fatal("conflict: data.distance_feature is for data.kind = \"features\"");
    if (c.data.normalize != "cell")
      Fatal("conflict: data.normalize is for data.kind = \"features\" (sequences are not "
            "normalised)");
  } else {
    if (!c.data.dir.empty()) Fatal("conflict: data.dir is for data.kind = \"sequence\"");
  }
}

namespace {
std::string TomlString(const std::string& s) {
  std::ostringstream os;
  os << toml::value<std::string>(s);
  return os.str();
}
std::string TomlList(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + TomlString(v[i]);
  return out + "]";
}
std::string Num(double v) {
  std::ostringstream os;
  os.precision(17);
  os << v;
  std::string s = os.str();
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}
}  // namespace

std::string TrainConfig::ToToml() const {
  std::ostringstream o;
  o << "# resolved prism training configuration (every key; defaults filled in)\n";
  o << "name = " << TomlString(name) << "\nseed = " << seed << "\npreset = " << TomlString(preset)
    << "\n\n[model]\n";
  auto mi = [&](const char* k, int64_t v) {
    if (v >= 0) o << k << " = " << v << "\n";
  };
  mi("embed_dim", model.embed_dim);
  mi("channels", model.channels);
  mi("kernel", model.kernel);
  mi("pool", model.pool);
  mi("heads", model.heads);
  mi("hidden", model.hidden);
  mi("z_i_dim", model.z_i_dim);
  mi("z_e_dim", model.z_e_dim);
  mi("head_hidden", model.head_hidden);
  mi("feature_hidden", model.feature_hidden);
  if (model.dropout >= 0) o << "dropout = " << Num(model.dropout) << "\n";
  if (model.kmer_composition >= 0)
    o << "kmer_composition = " << (model.kmer_composition ? "true" : "false") << "\n";
  if (model.fused_embed_conv >= 0)
    o << "fused_embed_conv = " << (model.fused_embed_conv ? "true" : "false") << "\n";
  if (model.kmer_table >= 0)
    o << "kmer_table = " << (model.kmer_table ? "true" : "false") << "\n";
  if (model.presence_readout >= 0)
    o << "presence_readout = " << (model.presence_readout ? "true" : "false") << "\n";
  if (model.pair_interaction >= 0)
    o << "pair_interaction = " << (model.pair_interaction ? "true" : "false") << "\n";
  if (model.presence_cap >= 0)
    o << "presence_cap = " << (model.presence_cap ? "true" : "false") << "\n";
  if (model.context_calibration >= 0)
    o << "context_calibration = " << (model.context_calibration ? "true" : "false") << "\n";
  if (model.cell_offset >= 0)
    o << "cell_offset = " << (model.cell_offset ? "true" : "false") << "\n";
  o << "t_init = " << Num(model.t_init) << "\nmotif_seed = " << model.motif_seed
    << "\nmotif_seed_k = " << model.motif_seed_k
    << "\nmotif_seed_min_z = " << Num(model.motif_seed_min_z)
    << "\nmotif_seed_min_cell_z = " << Num(model.motif_seed_min_cell_z)
    << "\nmotif_seed_extend = " << (model.motif_seed_extend ? "true" : "false") << "\n";
  o << "\n[data]\nkind = " << TomlString(data.kind) << "\n";
  if (data.kind == "sequence") {
    o << "dir = " << TomlString(data.dir) << "\nmax_enhancer = " << data.max_enhancer
      << "\nmax_promoter = " << data.max_promoter << "\n";
  } else {
    o << "files = " << TomlList(data.files) << "\ntest_cells = " << TomlList(data.test_cells)
      << "\nval_cells = " << TomlList(data.val_cells)
      << "\nuse_distance = " << (data.use_distance ? "true" : "false")
      << "\ndistance_feature = " << (data.distance_feature ? "true" : "false")
      << "\nnormalize = " << TomlString(data.normalize) << "\n";
  }
  auto b = [](bool v) { return v ? "true" : "false"; };
  o << "\n[components]\nprototype = " << b(components.prototype)
    << "\ncontrastive = " << b(components.contrastive)
    << "\northogonality = " << b(components.orthogonality)
    << "\nadversarial = " << b(components.adversarial) << "\n";
  o << "\n[loss]\nmain = " << TomlString(loss.main)
    << "\ncontrastive_temperature = " << Num(loss.contrastive_temperature)
    << "\nimmax_momentum = " << Num(loss.immax_momentum) << "\n";
  o << "\n[weights]\nprototype = " << Num(weights.prototype)
    << "\ncontrastive = " << Num(weights.contrastive)
    << "\northogonality = " << Num(weights.orthogonality)
    << "\nadversarial = " << Num(weights.adversarial) << "\n";
  o << "\n[curriculum]\nwarmup_epochs = " << curriculum.warmup_epochs
    << "\nramp_epochs = " << curriculum.ramp_epochs << "\n";
  o << "\n[train]\nepochs = " << train.epochs << "\nbatch_size = " << train.batch_size
    << "\nsampler = " << TomlString(train.sampler) << "\nlr = " << Num(train.lr)
    << "\nweight_decay = " << Num(train.weight_decay) << "\ngrad_clip = " << Num(train.grad_clip)
    << "\nschedule = " << TomlString(train.schedule) << "\nstep_size = " << train.step_size
    << "\ngamma = " << Num(train.gamma) << "\nmin_lr = " << Num(train.min_lr)
    << "\npatience = " << train.patience << "\neval_batch_size = " << train.eval_batch_size
    << "\nbalance = " << TomlString(train.balance) << "\nbalance_bins = " << train.balance_bins
    << "\nbalance_max_weight = " << Num(train.balance_max_weight) << "\n";
  return o.str();
}

Json TrainConfig::ToJson() const {
  // The same keys and values as the resolved TOML (one listing of the keys, in ToToml),
  // converted by toml++'s JSON formatter.
  const std::string text = ToToml();
  const toml::table t = toml::parse(std::string_view(text), std::string_view("resolved config"));
  std::ostringstream os;
  os << toml::json_formatter{t};
  return Json::parse(os.str());
}

}  // namespace prism
