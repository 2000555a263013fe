// QcThresholds: the spec's defaults, overridable from a TOML file.
#include <toml++/toml.h>

#include <functional>
#include <map>

#include "inspect/qc_util.h"
#include "prism/error.h"

namespace prism {
namespace {

struct Field {
  bool is_int;
  std::function<double&(QcThresholds&)> d;
  std::function<int&(QcThresholds&)> i;
};

#define PRISM_QC_D(name) {#name, {false, [](QcThresholds& t) -> double& { return t.name; }, nullptr}}
#define PRISM_QC_I(name) {#name, {true, nullptr, [](QcThresholds& t) -> int& { return t.name; }}}

const std::map<std::string, Field>& Fields() {
  static const std::map<std::string, Field> k = {
      PRISM_QC_I(loss_rise_epochs),       PRISM_QC_I(loss_oscillation_flips),
      PRISM_QC_D(loss_oscillation_min_rel), PRISM_QC_D(stagnation_delta),
      PRISM_QC_I(stagnation_epochs),      PRISM_QC_D(fast_learning_delta),
      PRISM_QC_I(fast_learning_after_epoch), PRISM_QC_D(grad_explosion),
      PRISM_QC_D(grad_vanishing),         PRISM_QC_D(train_aupr_warning),
      PRISM_QC_D(max_train_val_gap),      PRISM_QC_I(val_decline_epochs),
      PRISM_QC_D(collapse_recall),        PRISM_QC_D(collapse_precision_tolerance),
      PRISM_QC_D(collapse_output_std),    PRISM_QC_D(max_loss_change),
      PRISM_QC_D(saturated_fraction),     PRISM_QC_D(bayes_gap_credit),
      PRISM_QC_D(shortcut_reliance_max_excess),
  };
  return k;
}

}  // namespace

QcThresholds QcThresholds::FromToml(const std::string& path) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    throw InputError(path, e.source().begin.line, e.source().begin.column,
                     std::string("invalid TOML: ") + std::string(e.description()));
  }
  const toml::table* tbl = &doc;
  if (auto* q = doc.get_as<toml::table>("qc")) {
    if (doc.size() != 1)
      for (auto&& [k, v] : doc)
        if (k.str() != "qc")
          throw InputError(path, v.source().begin.line, v.source().begin.column,
                           "unknown key '" + std::string(k.str()) + "' (expected only a [qc] table)");
    tbl = q;
  }
  QcThresholds t;
  std::vector<std::string> known;
  for (const auto& kv : Fields()) known.push_back(kv.first);
  for (auto&& [k, v] : *tbl) {
    std::string key(k.str());
    auto it = Fields().find(key);
    long line = v.source().begin.line;
    int col = static_cast<int>(v.source().begin.column);
    if (it == Fields().end())
      throw InputError(path, k.source().begin.line, static_cast<int>(k.source().begin.column),
                       "unknown key '" + key + "' (expected one of: " + qc::Join(known, ", ") + ")");
    if (it->second.is_int) {
      auto x = v.value_exact<int64_t>();
      if (!x || *x < 1) throw InputError(path, line, col, "'" + key + "': expected a positive integer");
      it->second.i(t) = static_cast<int>(*x);
    } else {
      auto x = v.value<double>();
      if (!x || !std::isfinite(*x) || *x < 0)
        throw InputError(path, line, col, "'" + key + "': expected a non-negative number");
      if (key == "bayes_gap_credit" && *x > 1)
        throw InputError(path, line, col, "'" + key + "': expected a share between 0 and 1");
      it->second.d(t) = *x;
    }
  }
  return t;
}

Json QcThresholds::ToJson() const {
  Json j = Json::object();
  QcThresholds copy = *this;
  for (const auto& [k, f] : Fields()) {
    if (f.is_int) j[k] = f.i(copy);
    else j[k] = f.d(copy);
  }
  return j;
}

}  // namespace prism
