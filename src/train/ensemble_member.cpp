// train/ensemble_member.cpp - model.ensemble: a second learner averaged with the network at
// scoring (train/xgboost_model.h). "xgboost" (feature tables): gradient-boosted trees fitted next
// to the network on the same training split and input columns; the number of rounds is derived
// from the training data by leave-one-training-cell-line-out, the way data.val_cells measures
// transfer. "motif_grammar" (sequences): train/motif_grammar_member.cpp.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <tuple>
#include <utility>

#include "prism/atomic_file.h"
#include "prism/error.h"
#include "prism/log.h"
#include "prism/run_records.h"
#include "train/xgboost_model.h"

namespace prism::train {

namespace {

constexpr const char* kMemberFile = "checkpoints/ensemble.xgb.json";
constexpr double kMemberWeight = 0.5;  // a run recorded before model.ensemble_trees_weight

}  // namespace

int MedianRound(std::vector<int> rounds) {
  if (rounds.empty()) throw Error("MedianRound: no rounds");
  std::sort(rounds.begin(), rounds.end());
  const size_t n = rounds.size();
  if (n % 2 == 1) return rounds[n / 2];
  return static_cast<int>(std::lround(0.5 * (rounds[n / 2 - 1] + rounds[n / 2])));
}

namespace {

/// Training pairs split into fit (in) and held-out (out) rows for choosing the number of rounds.
struct RoundFold {
  std::string name;
  std::vector<size_t> in, out;
};

/// One fold per group: group g held out, the rest fit (rows in order). `group[i]` is row i's group
/// (a value of `names.size()` or more: in no fold's held-out rows).
std::vector<RoundFold> GroupFolds(const std::vector<size_t>& group,
                                  const std::vector<std::string>& names) {
  std::vector<RoundFold> folds;
  for (const std::string& name : names) folds.push_back({name, {}, {}});
  for (size_t i = 0; i < group.size(); ++i)
    for (size_t g = 0; g < folds.size(); ++g) (group[i] == g ? folds[g].out : folds[g].in).push_back(i);
  return folds;
}

/// Each training cell line held out in turn (none with fewer than two).
std::vector<RoundFold> CellLineFolds(const Data& data) {
  if (data.train_cells.size() < 2) return {};
  std::vector<size_t> group(data.train.size());
  for (size_t i = 0; i < group.size(); ++i) group[i] = static_cast<size_t>(data.train.cell[i]);
  return GroupFolds(group, data.train_cells);
}

/// With one training cell line: its chromosomes in kChromosomeFolds groups, each held out in
/// turn (whole chromosomes, so that no locus is on both sides). Chromosomes are dealt largest
/// first to the group with the fewest pairs. None when a pair has no chromosome or there is one.
constexpr size_t kChromosomeFolds = 5;
std::vector<RoundFold> ChromosomeFolds(const Dataset& train) {
  std::map<std::string, std::vector<size_t>> by_chrom;
  for (size_t i = 0; i < train.size(); ++i) {
    if (train.pairs[i].chrom.empty()) return {};
    by_chrom[train.pairs[i].chrom].push_back(i);
  }
  if (by_chrom.size() < 2) return {};
  std::vector<std::pair<std::string, std::vector<size_t>>> chroms(by_chrom.begin(), by_chrom.end());
  std::stable_sort(chroms.begin(), chroms.end(),
                   [](const auto& a, const auto& b) { return a.second.size() > b.second.size(); });
  std::vector<std::string> names(std::min(kChromosomeFolds, chroms.size()));
  std::vector<size_t> pairs(names.size(), 0), group(train.size());
  for (const auto& [chrom, rows] : chroms) {
    const size_t g = static_cast<size_t>(std::min_element(pairs.begin(), pairs.end()) - pairs.begin());
    names[g] += (names[g].empty() ? "" : ",") + chrom;
    pairs[g] += rows.size();
    for (size_t i : rows) group[i] = g;
  }
  return GroupFolds(group, names);
}

/// Early stopping on each fold's held-out rows; their best rounds, and the folds' records in
/// `records`. A fold whose held-out rows hold one class only cannot rank: skipped (logged).
std::vector<int> FoldBestRounds(const TrainConfig& c, const Data& data,
                                const std::vector<RoundFold>& folds,
                                const baseline::XgbParams& p, Json* records) {
  std::vector<int> best;
  for (const RoundFold& f : folds) {
    size_t positives = 0;
    for (size_t i : f.out) positives += data.train.pairs[i].label == 1;
    if (f.in.empty() || positives == 0 || positives == f.out.size()) {
      Log::Info("ensemble member: " + f.name + " not held out (it has one class only)");
      continue;
    }
    const baseline::XgbMatrix tr = XgbInput(c, Subset(data.train, f.in));
    const baseline::XgbMatrix va = XgbInput(c, Subset(data.train, f.out));
    const baseline::XgbModel m(tr, &va, p);
    best.push_back(m.best_round() + 1);
    records->push_back({{"held_out", f.name},
                        {"best_round", m.best_round() + 1},
                        {"rounds_trained", m.rounds()},
                        {"held_out_aupr", m.best_val_aucpr()}});
    char line[300];
    std::snprintf(line, sizeof line,
                  "ensemble member: %s held out - best round %d (AUPR %.4f there)", f.name.c_str(),
                  m.best_round() + 1, m.best_val_aucpr());
    Log::Info(line);
  }
  return best;
}

}  // namespace

Json FitEnsembleMember(const TrainConfig& c, const Data& data, const std::string& dir,
                       int threads) {
  if (c.model.ensemble == "motif_grammar") return FitMotifGrammarMember(c, data, dir, threads);
  const auto t0 = std::chrono::steady_clock::now();
  baseline::XgbParams p = XgbParamsFor(c, threads);
  Json rec = {{"member", "xgboost"},
              {"weight", c.model.ensemble_trees_weight},
              {"combine", "(1 - weight) x the network's + weight x the trees' probabilities"},
              {"max_depth", p.max_depth},
              {"eta", p.eta},
              {"lambda", p.lambda}};
  int rounds = p.max_rounds;
  // Each training cell line held out in turn: trees on the others, early stopping on it. The
  // median best round over the folds is how long boosting keeps improving on a cell line it has
  // not seen.
  Json folds = Json::array();
  std::vector<int> best;
  if (p.early_stopping > 0) best = FoldBestRounds(c, data, CellLineFolds(data), p, &folds);
  if (!best.empty()) {
    rounds = MedianRound(best);
    rec["rounds_rule"] = "leave_one_cell_line_out";
    rec["folds"] = folds;
  } else if (data.has_val && p.early_stopping > 0) {
    const baseline::XgbMatrix tr = XgbInput(c, data.train), va = XgbInput(c, data.val);
    const baseline::XgbModel m(tr, &va, p);
    rounds = m.best_round() + 1;
    rec["rounds_rule"] = "val";
  } else if (p.early_stopping > 0 &&
             !(best = FoldBestRounds(c, data, ChromosomeFolds(data.train), p, &folds)).empty()) {
    // One training cell line and no validation split: new loci of it (whole chromosomes held
    // out) are the nearest thing to new data there is.
    rounds = MedianRound(best);
    rec["rounds_rule"] = "leave_chromosomes_out";
    rec["folds"] = folds;
  } else {
    rec["rounds_rule"] = "xgb_rounds";
    Log::Info("ensemble member: no training cell line to hold out (fewer than two, or one "
              "class only), no validation split and no chromosomes - all " +
              std::to_string(rounds) + " rounds (model.xgb_rounds)");
  }
  baseline::XgbParams final_params = p;
  final_params.max_rounds = rounds;
  final_params.early_stopping = 0;
  const baseline::XgbModel model(XgbInput(c, data.train), nullptr, final_params);
  WriteFileAtomic(dir + "/" + kMemberFile, model.SaveJson(false));
  const CheckpointRecord file = DescribeCheckpoint(dir, kMemberFile, rounds);
  rec["rounds"] = rounds;
  if (Json d = DerivedMinChildWeight(final_params, model.min_child_weight(), data.train.size(),
                                     "ensemble member");
      !d.is_null())
    rec["min_child_weight"] = d;
  rec["file"] = file.file;
  rec["bytes"] = file.bytes;
  rec["hash"] = file.hash;
  rec["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  char line[200];
  std::snprintf(line, sizeof line,
                "ensemble member: xgboost, %d rounds (%s), min_child_weight %.4g, on %zu training "
                "pairs, %.1f s", rounds, rec["rounds_rule"].get<std::string>().c_str(),
                model.min_child_weight(), data.train.size(),
                rec["seconds"].get<double>());
  Log::Info(line);
  return rec;
}

std::unique_ptr<EnsembleMember> EnsembleMember::Load(const std::string& dir,
                                                     const TrainConfig& c, int threads) {
  if (c.model.ensemble == "none" || c.model.kind != "network") return nullptr;
  const std::string run_json = dir + "/run.json";
  const Json run = ReadJsonFile(run_json);
  const Json* rec = nullptr;
  if (run.contains("derived") && run["derived"].is_object() &&
      run["derived"].contains("ensemble"))
    rec = &run["derived"]["ensemble"];
  if (rec != nullptr && rec->is_object() && rec->contains("skipped")) {
    Log::Info("ensemble member: none (" + rec->value("skipped", std::string()) +
              "): the network alone");
    return nullptr;
  }
  if (rec == nullptr || !rec->is_object() || !rec->contains("file"))
    throw InputError(run_json, 0, 0,
                     "model.ensemble = \"" + c.model.ensemble +
                         "\" but no ensemble member is recorded under derived.ensemble (the "
                         "run did not finish training)");
  CheckpointRecord expected;
  try {
    expected.file = rec->at("file").get<std::string>();
    expected.bytes = rec->at("bytes").get<int64_t>();
    expected.hash = rec->at("hash").get<std::string>();
    expected.epoch = rec->at("rounds").get<int64_t>();
  } catch (const Json::exception& e) {
    throw InputError(run_json, 0, 0, std::string("derived.ensemble: ") + e.what());
  }
  const std::string text = ReadVerifiedModelFile(dir, expected, "ensemble member");
  auto member = std::unique_ptr<EnsembleMember>(new EnsembleMember());
  member->config_ = c;
  member->kind_ = rec->value("member", std::string("xgboost"));
  member->rounds_ = expected.epoch;
  member->weight_ = rec->value("weight", kMemberWeight);
  member->combine_rule_ = rec->value("combine_rule", std::string("probabilities"));
  member->gate_ = rec->value("gate", std::string());
  if (member->combine_rule_ != "probabilities" && member->combine_rule_ != "standardised_logits")
    throw InputError(run_json, 0, 0, "derived.ensemble.combine_rule: unknown rule '" +
                                         member->combine_rule_ +
                                         "' (probabilities or standardised_logits)");
  member->source_ = dir + "/" + expected.file;
  member->threads_ = threads;
  if (member->kind_ == "motif_grammar") {
    member->grammar_ = ParseMotifGrammar(text, member->source_);
    return member;
  }
  if (member->kind_ != "xgboost")
    throw InputError(run_json, 0, 0, "derived.ensemble.member: unknown member '" +
                                         member->kind_ + "' (xgboost or motif_grammar)");
  // The trees are parsed at the first Predict, which knows the input's column count.
  member->text_ = text;
  return member;
}

std::vector<double> EnsembleMember::Predict(const Dataset& d) const {
  if (grammar_) return PredictMotifGrammar(*grammar_, d, threads_);
  const baseline::XgbMatrix x = XgbInput(config_, d);
  if (!model_ || cols_ != x.cols) {
    model_ = baseline::XgbModel::LoadJson(text_, x.cols, threads_, source_);
    cols_ = x.cols;
  }
  return model_->Predict(x);
}

namespace {

double Logit(double p) {
  p = std::clamp(p, 1e-7, 1 - 1e-7);
  return std::log(p / (1 - p));
}

/// Mean and sd (at least 1e-6) of the logits of `p`.
std::pair<double, double> LogitMoments(const std::vector<double>& p) {
  double mean = 0, sq = 0;
  for (double v : p) mean += Logit(v);
  mean /= static_cast<double>(std::max<size_t>(1, p.size()));
  for (double v : p) sq += (Logit(v) - mean) * (Logit(v) - mean);
  return {mean, std::max(1e-6, std::sqrt(sq / static_cast<double>(std::max<size_t>(1, p.size()))))};
}

}  // namespace

void EnsembleMember::SetScale(const std::vector<double>& network,
                              const std::vector<double>& member) {
  if (network.empty() || network.size() != member.size())
    throw Error("ensemble scale: " + std::to_string(network.size()) + " network scores and " +
                std::to_string(member.size()) + " member scores");
  std::tie(net_mean_, net_sd_) = LogitMoments(network);
  std::tie(member_mean_, member_sd_) = LogitMoments(member);
  scaled_ = true;
}

Json EnsembleMember::ScaleRecord() const {
  if (!scaled_) return Json::object();
  return {{"network", {{"logit_mean", JsonNumber(net_mean_)}, {"logit_sd", JsonNumber(net_sd_)}}},
          {"member",
           {{"logit_mean", JsonNumber(member_mean_)}, {"logit_sd", JsonNumber(member_sd_)}}}};
}

void EnsembleMember::RestoreScale(const Json& record) {
  auto moment = [&](const char* who, const char* what) {
    if (!record.contains(who) || !record[who].contains(what) || !record[who][what].is_number())
      throw Error(std::string("ensemble scale: no ") + who + "." + what);
    return record[who][what].get<double>();
  };
  net_mean_ = moment("network", "logit_mean");
  net_sd_ = moment("network", "logit_sd");
  member_mean_ = moment("member", "logit_mean");
  member_sd_ = moment("member", "logit_sd");
  if (!(net_sd_ > 0) || !(member_sd_ > 0)) throw Error("ensemble scale: a logit sd is not positive");
  scaled_ = true;
}

std::vector<double> EnsembleMember::Combine(const std::vector<double>& network,
                                            const std::vector<double>& member,
                                            double weight) const {
  if (network.size() != member.size())
    throw Error("ensemble: " + std::to_string(network.size()) + " network scores but " +
                std::to_string(member.size()) + " member scores");
  if (weight == 0) return network;  // the gate chose the network alone
  const bool standardised = combine_rule_ == "standardised_logits";
  if (standardised && !scaled_)
    throw Error("ensemble: standardised logits need the members' scale (SetScale) first");
  std::vector<double> out(network.size());
  for (size_t i = 0; i < out.size(); ++i) {
    if (!standardised) {
      out[i] = (1 - weight) * network[i] + weight * member[i];
      continue;
    }
    const double zn = (Logit(network[i]) - net_mean_) / net_sd_;
    const double zm = (Logit(member[i]) - member_mean_) / member_sd_;
    out[i] = 1 / (1 + std::exp(-(net_mean_ + net_sd_ * ((1 - weight) * zn + weight * zm))));
  }
  return out;
}

EnsembleMember::~EnsembleMember() = default;

}  // namespace prism::train
