// The baseline registry table and running the baselines (see prism/baseline.h).
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>

#include "baseline/baseline_internal.h"
#include "prism/error.h"
#include "prism/labeled_subset.h"

namespace prism::baseline {
namespace {

std::function<std::string(const BaselineInput&)> OnlyFor(InputKind kind, const char* why) {
  return [kind, why](const BaselineInput& in) { return in.kind == kind ? "" : std::string(why); };
}

double SecondsSince(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

const std::vector<BaselineEntry>& BaselineRegistry() {
  static const std::vector<BaselineEntry> kTable = {
      {"distance", "logistic regression on log10(1 + |distance|)",
       {InputKind::kSequence, InputKind::kFeatures}, DistanceNotApplicable, FitDistance},
      {"kmer_logreg",
       "L2 logistic regression on canonical k-mer frequencies of enhancer and promoter",
       {InputKind::kSequence},
       OnlyFor(InputKind::kSequence, "needs sequences (the input is a feature table)"),
       FitKmerLogreg},
      {"xgboost", "gradient-boosted trees (XGBoost) on the features and |distance|",
       {InputKind::kFeatures},
       OnlyFor(InputKind::kFeatures, "needs a feature table (the input is sequences)"),
       FitXgboost},
  };
  return kTable;
}

const BaselineEntry& FindBaseline(const std::string& name) {
  std::string names;
  for (const auto& e : BaselineRegistry()) {
    if (e.name == name) return e;
    names += (names.empty() ? "" : ", ") + e.name;
  }
  Fatal("unknown baseline '", name, "' (valid: ", names, ")");
}

std::vector<BaselineReport> RunBaselines(const BaselineInput& input,
                                         const BaselineOptions& options,
                                         const std::vector<std::string>& splits,
                                         const std::vector<std::string>& names) {
  std::vector<const BaselineEntry*> entries;
  if (names.empty()) {
    for (const auto& e : BaselineRegistry()) entries.push_back(&e);
  } else {
    for (const auto& n : names) entries.push_back(&FindBaseline(n));
  }
  for (const auto& s : splits) input.Part(s);  // unknown or absent splits fail before fitting
  std::vector<BaselineReport> reports;
  for (const BaselineEntry* e : entries) {
    BaselineReport r;
    r.name = e->name;
    r.reason = e->not_applicable(input);
    r.applicable = r.reason.empty();
    if (r.applicable) {
      auto t0 = std::chrono::steady_clock::now();
      std::unique_ptr<FittedBaseline> fitted = e->fit(input, options);
      r.fit_seconds = SecondsSince(t0);
      r.params = fitted->Describe();
      t0 = std::chrono::steady_clock::now();
      for (const auto& s : splits) {
        const BaselinePart& part = input.Part(s);
        r.scores[s] = fitted->Score(part);
        // Pairs without a label (kUnlabeled) are scored, not evaluated, as for the model.
        const auto labeled =
            metric::ComputePartlyLabeledTable(part.Labels(), r.scores[s], part.CellLines());
        if (labeled.any_labeled) r.metrics[s] = labeled.table;
      }
      r.score_seconds = SecondsSince(t0);
    }
    reports.push_back(std::move(r));
  }
  return reports;
}

Json ToJson(const BaselineReport& r) {
  Json j = {{"applicable", r.applicable}};
  if (!r.applicable) {
    j["reason"] = r.reason;
    return j;
  }
  j["params"] = r.params;
  j["fit_seconds"] = r.fit_seconds;
  j["score_seconds"] = r.score_seconds;
  Json m = Json::object();
  for (const auto& [split, table] : r.metrics) m[split] = metric::ToJson(table);
  j["metrics"] = m;
  return j;
}

std::string ToMarkdown(const std::vector<BaselineReport>& reports) {
  std::ostringstream os;
  os << "| baseline | split | AUPR | AUC | F1 | Recall | Precision | Threshold | N | seconds |\n"
     << "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
  char buf[256];
  for (const auto& r : reports) {
    if (!r.applicable) continue;
    for (const auto& [split, table] : r.metrics) {
      const metric::MetricRow& o = table.overall;
      std::snprintf(buf, sizeof buf,
                    "| %s | %s | %.4f | %.4f | %.4f | %.4f | %.4f | %.2f | %ld | %.2f |\n",
                    r.name.c_str(), split.c_str(), o.aupr, o.auc, o.f1, o.recall, o.precision,
                    o.threshold, o.n, r.fit_seconds + r.score_seconds);
      os << buf;
    }
  }
  for (const auto& r : reports)
    if (!r.applicable) os << "\n" << r.name << ": not applicable - " << r.reason << "\n";
  return os.str();
}

}  // namespace prism::baseline
