// train/builtin_configs.cpp - the built-in configurations: configs/*.toml compiled into the
// binary (CMakeLists.txt writes generated/embedded_configs.inc). A config's `preset` names one.
// Relative paths in one are resolved against configs/ of the source tree the binary was built
// from (generated/embedded_configs_dir.h), as they would be for the file itself.
#include <map>

#include "embedded_configs_dir.h"

#include "prism/error.h"
#include "prism/train.h"
#include "train/config_fields.h"

namespace prism {

namespace {

const std::map<std::string, std::string>& Texts() {
  static const std::map<std::string, std::string> kConfigs = {
#include "embedded_configs.inc"
  };
  return kConfigs;
}

}  // namespace

std::vector<std::string> BuiltinConfigNames() {
  std::vector<std::string> names;
  for (const auto& [name, text] : Texts()) names.push_back(name);
  return names;
}

const std::string& BuiltinConfigText(const std::string& name) {
  auto it = Texts().find(name);
  if (it == Texts().end()) {
    std::string known;
    for (const auto& n : BuiltinConfigNames()) known += (known.empty() ? "" : ", ") + n;
    Fatal("no built-in configuration '", name, "' (known: ", known, ")");
  }
  return it->second;
}

TrainConfig BuiltinTrainConfig(const std::string& name) {
  return train::ParseTrainConfigOnto(nullptr, BuiltinConfigText(name),
                                     "<built-in configs/" + name + ".toml>",
                                     PRISM_EMBEDDED_CONFIGS_DIR, "", name);
}

}  // namespace prism
