// train/checkpoint.cpp - saving, verifying, loading and resuming checkpoints.
#include "train/checkpoint.h"

#include <ATen/CPUGeneratorImpl.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "prism/atomic_file.h"
#include "prism/error.h"
#include "prism/hash.h"
#include "prism/ledger.h"
#include "prism/log.h"

namespace prism::train {
namespace {

namespace fs = std::filesystem;

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

/// Runs `read` (which reads the archive at `path`); a LibTorch or JSON failure becomes one
/// InputError naming the file.
template <typename F>
auto Guarded(const std::string& path, F read) {
  try {
    return read();
  } catch (const Error&) {
    throw;
  } catch (const c10::Error& e) {
    throw InputError(path, 0, 0, "not a readable prism checkpoint (truncated, empty or another "
                                 "file): " + FirstLine(e.what_without_backtrace()));
  } catch (const std::exception& e) {
    throw InputError(path, 0, 0, "not a readable prism checkpoint: " + FirstLine(e.what()));
  }
}

/// InputError unless the file is sound (CheckpointProblem).
void Verify(const std::string& path, const CheckpointRecord* expected) {
  const std::string problem = CheckpointProblem(path, expected);
  if (!problem.empty()) throw InputError(path, 0, 0, "checkpoint " + problem);
}

std::string ReadString(torch::serialize::InputArchive& root, const char* key) {
  c10::IValue v;
  root.read(key, v);
  return v.toStringRef();
}

CheckpointMeta MetaFrom(const std::string& text) {
  Json j = Json::parse(text);
  CheckpointMeta m;
  m.train_cells = j.at("train_cells").get<std::vector<std::string>>();
  m.num_features = j.at("num_features").get<int64_t>();
  m.epoch = j.at("epoch").get<int64_t>();
  // Absent in checkpoints written before the threshold was kept; null = none (no val split).
  if (j.contains("threshold") && j.at("threshold").is_number())
    m.threshold = j.at("threshold").get<double>();
  return m;
}

Json StateJson(const TrainerState& s) {
  Json j = {{"epoch", s.epoch},       {"best_epoch", s.best_epoch}, {"bad_epochs", s.bad_epochs},
            {"step", s.step},         {"best_aupr", JsonNumber(s.best_aupr)}};
  if (s.immax) j["immax"] = std::vector<double>{s.immax->first, s.immax->second};
  return j;
}

TrainerState StateFrom(const std::string& text) {
  Json j = Json::parse(text);
  TrainerState s;
  s.epoch = j.at("epoch").get<int64_t>();
  s.best_epoch = j.at("best_epoch").get<int64_t>();
  s.bad_epochs = j.at("bad_epochs").get<int64_t>();
  s.step = j.at("step").get<int64_t>();
  s.best_aupr = ReadNumber(j.at("best_aupr"), -1);
  if (j.contains("immax")) s.immax = {j["immax"][0].get<double>(), j["immax"][1].get<double>()};
  return s;
}

/// Keeps only the log lines of epochs <= `epoch` (resume after an interrupted epoch). A last
/// line that is not valid JSON (the process died while appending it) is dropped with a warning;
/// an invalid line before it is an InputError naming the file and line.
void TruncateLog(const std::string& path, int64_t epoch) {
  if (!fs::exists(path)) return;
  std::ifstream in(path);
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  while (!lines.empty() && lines.back().find_first_not_of(" \t\r") == std::string::npos)
    lines.pop_back();
  std::string kept;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].find_first_not_of(" \t\r") == std::string::npos) continue;
    Json j;
    try {
      j = Json::parse(lines[i]);
    } catch (const Json::parse_error& e) {
      if (i + 1 < lines.size())
        throw InputError(path, static_cast<long>(i + 1), 0,
                         std::string("invalid JSON: ") + e.what());
      Log::Warning(path + ":" + std::to_string(i + 1) + ": dropped a partial last line (" +
                   std::to_string(lines[i].size()) + " bytes) left by an interrupted run");
      continue;
    }
    if (j.is_object() && j.value("epoch", int64_t{0}) <= epoch) kept += lines[i] + "\n";
  }
  WriteFileAtomic(path, kept);
}

/// Refuses a resume whose configuration or data differ from run.json's, unless forced; a forced
/// one is recorded in run->resumed_with_changes.
void CheckUnchanged(const ResumeRequest& rq, const RunRecord& old, int64_t at_epoch,
                    RunRecord* run) {
  std::string old_config = old.config_hash;
  if (old_config.empty() && fs::exists(rq.run_dir + "/config.toml"))
    old_config = HashFile(rq.run_dir + "/config.toml");
  const bool config_changed = !old_config.empty() && old_config != rq.config_hash;
  const bool data_changed = !old.data.hash.empty() && old.data.hash != rq.data_hash;
  if (!config_changed && !data_changed) return;
  std::string what = config_changed ? "configuration (hash " + old_config + " -> " + rq.config_hash + ")" : "";
  if (data_changed)
    what += (what.empty() ? "" : " and ") + std::string("data (hash ") + old.data.hash + " -> " +
            rq.data_hash + ")";
  if (!rq.force)
    throw InputError(rq.run_dir + "/run.json", 0, 0,
                     "--resume: the " + what + " differ from the interrupted run's; resume with "
                     "the same ones, or pass --force to continue anyway (recorded in run.json)");
  Log::Warning("--resume --force: continuing although the " + what + " changed (recorded in " +
               rq.run_dir + "/run.json)");
  run->resumed_with_changes.push_back(
      {at_epoch, UtcNow(), old_config, rq.config_hash, old.data.hash, rq.data_hash});
}

}  // namespace

CheckpointRecord SaveCheckpoint(const std::string& run_dir, const std::string& file,
                                model::PrismNet& net, torch::optim::Optimizer& optimizer,
                                const CheckpointMeta& meta, const TrainerState& state) {
  torch::serialize::OutputArchive root, m, o;
  net->save(m);
  optimizer.save(o);
  root.write("model", m);
  root.write("optimizer", o);
  const Json mj = {{"train_cells", meta.train_cells},
                   {"num_features", meta.num_features},
                   {"epoch", meta.epoch},
                   {"threshold", std::isfinite(meta.threshold) ? Json(meta.threshold) : Json()}};
  root.write("meta", c10::IValue(mj.dump()));
  root.write("trainer", c10::IValue(StateJson(state).dump()));
  root.write("rng", at::detail::getDefaultCPUGenerator().get_state());
  const std::string path = run_dir + "/" + file;
  const std::string tmp = path + ".tmp." + std::to_string(getpid());
  root.save_to(tmp);
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    Fatal("cannot write checkpoint '", path, "'");
  }
  CheckpointRecord rec = DescribeCheckpoint(run_dir, file, meta.epoch);
  rec.val_threshold = meta.threshold;
  return rec;
}

CheckpointMeta ReadCheckpointMeta(const std::string& path, const CheckpointRecord* expected) {
  Verify(path, expected);
  return Guarded(path, [&] {
    torch::serialize::InputArchive root;
    root.load_from(path);
    return MetaFrom(ReadString(root, "meta"));
  });
}

CheckpointMeta LoadModelCheckpoint(const std::string& path, model::PrismNet& net,
                                   const CheckpointRecord* expected) {
  Verify(path, expected);
  return Guarded(path, [&] {
    torch::serialize::InputArchive root, m;
    root.load_from(path);
    CheckpointMeta meta = MetaFrom(ReadString(root, "meta"));
    root.read("model", m);
    net->load(m);
    return meta;
  });
}

CheckpointMeta VerifyRunCheckpoint(const std::string& run_dir, const std::string& which) {
  const std::string path = run_dir + "/checkpoints/" + which + ".pt";
  const std::string run_json = run_dir + "/run.json";
  if (!fs::exists(run_json)) return ReadCheckpointMeta(path);
  const RunRecord run = RunRecord::FromJson(ReadJsonFile(run_json), {run_json, 0});
  auto rec = run.checkpoints.find(which);
  const bool recorded = rec != run.checkpoints.end();
  // A finished run's record describes the file exactly.
  if (recorded && run.status != "running") Verify(path, &rec->second);
  CheckpointMeta meta = ReadCheckpointMeta(path);
  if (recorded && run.status == "running" && rec->second.epoch == meta.epoch)
    Verify(path, &rec->second);
  return meta;
}

TrainerState ResumeTraining(const ResumeRequest& rq, model::PrismNet& net,
                            torch::optim::Optimizer& optimizer, RunRecord* run) {
  const std::string last = rq.run_dir + "/checkpoints/last.pt";
  const std::string run_json = rq.run_dir + "/run.json";
  if (!fs::exists(last)) Fatal("--resume: no checkpoint '", last, "'");
  RunRecord old;
  if (fs::exists(run_json)) old = RunRecord::FromJson(ReadJsonFile(run_json), {run_json, 0});
  // run.json's record is checked when it describes this file's epoch; a crash between the
  // checkpoint's rename and run.json's rewrite leaves a newer file that loads completely.
  const CheckpointMeta meta = ReadCheckpointMeta(last);
  auto rec = old.checkpoints.find("last");
  if (rec != old.checkpoints.end() && rec->second.epoch == meta.epoch) Verify(last, &rec->second);
  TrainerState state = Guarded(last, [&] {
    torch::serialize::InputArchive root, m, o;
    root.load_from(last);
    root.read("model", m);
    net->load(m);
    root.read("optimizer", o);
    optimizer.load(o);
    torch::Tensor rng;
    root.read("rng", rng);
    at::Generator gen = at::detail::getDefaultCPUGenerator();
    gen.set_state(rng);
    return StateFrom(ReadString(root, "trainer"));
  });
  run->resumed_with_changes = old.resumed_with_changes;
  CheckUnchanged(rq, old, state.epoch + 1, run);
  if (!old.created.empty()) run->created = old.created;
  run->checkpoints = old.checkpoints;
  TruncateLog(rq.run_dir + "/train_log.jsonl", state.epoch);
  Log::Info("resuming from " + last + " at epoch " + std::to_string(state.epoch + 1));
  return state;
}

}  // namespace prism::train
