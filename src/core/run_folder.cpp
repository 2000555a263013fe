#include "prism/run_folder.h"

#include <cmath>
#include <filesystem>
#include <fstream>

#include "prism/atomic_file.h"
#include "prism/error.h"
#include "prism/line_reader.h"

namespace prism {

Json JsonNumber(double v) {
  if (std::isnan(v)) return "nan";
  if (std::isinf(v)) return v > 0 ? "inf" : "-inf";
  return v;
}

double ReadNumber(const Json& j, double fallback) {
  if (j.is_number()) return j.get<double>();
  if (j.is_boolean()) return j.get<bool>() ? 1.0 : 0.0;
  if (j.is_string()) {
    const std::string& s = j.get_ref<const std::string&>();
    if (s == "nan" || s == "NaN") return NAN;
    if (s == "inf" || s == "Infinity") return INFINITY;
    if (s == "-inf" || s == "-Infinity") return -INFINITY;
  }
  return fallback;
}

double ReadPath(const Json& j, std::initializer_list<const char*> keys, double fallback) {
  const Json* cur = &j;
  for (const char* k : keys) {
    if (!cur->is_object()) return fallback;
    auto it = cur->find(k);
    if (it == cur->end()) return fallback;
    cur = &*it;
  }
  return ReadNumber(*cur, fallback);
}

Json ReadJsonFile(const std::string& path) {
  if (std::filesystem::is_directory(path)) throw InputError(path, 0, 0, "is a directory, expected a file");
  std::ifstream in(path);
  if (!in) throw InputError(path, 0, 0, "cannot open");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    long line = 1;
    for (size_t i = 0; i < e.byte && i < text.size(); ++i) line += text[i] == '\n';
    throw InputError(path, line, 0, std::string("invalid JSON: ") + e.what());
  }
}

void WriteJsonFile(const std::string& path, const Json& j) {
  WriteFileAtomic(path, j.dump(2) + "\n");
}

std::vector<Json> ReadJsonLines(const std::string& path, std::vector<long>* lines) {
  LineReader reader(path);
  std::vector<Json> out;
  std::string line;
  while (reader.Next(&line)) {
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    try {
      out.push_back(Json::parse(line));
    } catch (const Json::parse_error& e) {
      reader.Fail(std::string("invalid JSON: ") + e.what());
    }
    if (!out.back().is_object()) reader.Fail("expected a JSON object per line");
    if (lines) lines->push_back(reader.line_number());
  }
  return out;
}

RunFolder RunFolder::Load(const std::string& dir) {
  namespace fs = std::filesystem;
  if (!fs::is_directory(dir)) throw InputError(dir, 0, 0, "not a run folder (no such directory)");
  RunFolder rf;
  rf.dir = dir;
  rf.run = Json::object();
  if (rf.Exists("run.json")) {
    rf.run = ReadJsonFile(rf.Path("run.json"));
    if (!rf.run.is_object()) throw InputError(rf.Path("run.json"), 1, 0, "expected a JSON object");
    rf.record = RunRecord::FromJson(rf.run, {rf.Path("run.json"), 0});
    rf.has_run_json = true;
  }
  if (rf.Exists("train_log.jsonl")) {
    const std::string log = rf.Path("train_log.jsonl");
    std::vector<long> lines;
    rf.epochs = ReadJsonLines(log, &lines);
    for (size_t i = 0; i < rf.epochs.size(); ++i)
      rf.log.push_back(EpochRecord::FromJson(rf.epochs[i], {log, lines[i]}, i));
    rf.has_log = true;
  }
  if (rf.Exists("baselines.json")) rf.baselines = ReadBaselinesRecord(rf.Path("baselines.json"));
  return rf;
}

std::string RunFolder::Path(const std::string& rel) const { return dir + "/" + rel; }

bool RunFolder::Exists(const std::string& rel) const {
  return std::filesystem::exists(Path(rel));
}

bool RunFolder::ComponentConfigured(const std::string& name) const {
  return record.ComponentConfigured(name);
}

std::string RunFolder::ConfiguredSampler() const { return record.ConfiguredSampler(); }

metric::ThresholdPolicy RunFolder::PredictThresholdPolicy(const std::string& checkpoint) const {
  const std::string rule = record.ConfiguredThresholdRule();
  // model.ensemble: predict chooses the ensemble's threshold on validation itself (it is in
  // metrics/<split>.json, not run.json); the checkpoint's is the network's alone.
  const Json* model = record.config.is_object() && record.config.contains("model")
                          ? &record.config.at("model")
                          : nullptr;
  const bool member_skipped = record.derived.is_object() && record.derived.contains("ensemble") &&
                              record.derived["ensemble"].contains("skipped");
  if (model && model->is_object() && model->value("ensemble", Json("none")) != "none" &&
      !member_skipped)
    return metric::ThresholdPolicy::Own(rule);
  const auto it = record.checkpoints.find(checkpoint);
  return metric::ThresholdPolicy::FromValidation(
      it == record.checkpoints.end() ? NAN : it->second.val_threshold, rule);
}

}  // namespace prism
