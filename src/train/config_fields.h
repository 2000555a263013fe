// train/config_fields.h - the one table of training configuration keys. Parsing, range checks,
// the TOML and JSON writers and the key reference (`prism config reference`) are all derived
// from it (src/train/train_config.cpp). Internal.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "prism/train.h"

namespace prism::train {

/// Where a key's value lives in a TrainConfig.
using FieldRef = std::variant<int64_t*, uint64_t*, double*, bool*, std::string*,
                              std::vector<std::string>*>;

/// A closed or open interval of allowed numbers (integers and reals); non-finite values are
/// always refused.
struct Range {
  double lo = -1e300, hi = 1e300;
  bool lo_open = false, hi_open = false;
  bool Contains(double v) const;
  std::string ToString() const;  ///< "[1, 4096]", "(0, 1]", ">= 0", "any"
};

/// One configuration key.
struct ConfigField {
  const char* section;  ///< "" = top level, else the [table]
  const char* key;
  const char* member;   ///< the TrainConfig member, e.g. "model.embed_dim"
  FieldRef (*ref)(TrainConfig&);
  Range range;          ///< numbers only
  std::vector<std::string> (*allowed)();  ///< strings: the registry's names (nullptr = any)
  const char* kind;     ///< "" = always written; "sequence" / "features": only for that data.kind
  const char* doc;      ///< one line
  std::string Name() const;       ///< "model.embed_dim" (top level: "seed")
  const char* TypeName() const;   ///< integer | number | boolean | string | array of strings
  /// A switch with an automatic setting (allowed: "auto", "true", "false"): TOML true / false
  /// or the string "auto"; written back the same way (JSON: booleans or "auto").
  bool IsSwitch() const;
  /// The value in `c` as TOML text (strings quoted, reals with a decimal point).
  std::string ValueToml(const TrainConfig& c) const;
  Json ValueJson(const TrainConfig& c) const;
};

/// Every key, in file order (sections: top level, model, data, components, loss, weights,
/// curriculum, train).
const std::vector<ConfigField>& ConfigFields();
/// The sections in file order ("" first).
const std::vector<std::string>& ConfigSections();

/// Names of the value registries the table refers to (each listed once, next to its code):
/// data kinds and feature normalisations (train/dataset loading), covariates (train.balance).
std::vector<std::string> DataKindNames();
/// model.kind: "network" | "xgboost".
std::vector<std::string> ModelKindNames();
/// model.ensemble: "none" | "xgboost".
std::vector<std::string> EnsembleNames();
std::vector<std::string> MotifGrammarSiteNames();
std::vector<std::string> MotifGrammarBackgroundNames();
std::vector<std::string> FeatureNormalizeNames();
std::vector<std::string> BalanceNames();
/// The task losses of the loss registry (model/losses.h): the components logged as "task".
std::vector<std::string> TaskLossNames();

/// Parses `text` onto `base` (the keys present override it). `self` is the built-in name being
/// parsed (its `preset` key naming itself means the struct defaults), "" for a user file.
TrainConfig ParseTrainConfigOnto(const TrainConfig* base, const std::string& text,
                                 const std::string& source, const std::string& base_dir,
                                 const std::string& preset_override, const std::string& self);

}  // namespace prism::train
