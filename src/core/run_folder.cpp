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

std::vector<Json> ReadJsonLines(const std::string& path) {
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
    rf.has_run_json = true;
  }
  if (rf.Exists("train_log.jsonl")) {
    rf.epochs = ReadJsonLines(rf.Path("train_log.jsonl"));
    rf.has_log = true;
  }
  return rf;
}

std::string RunFolder::Path(const std::string& rel) const { return dir + "/" + rel; }

bool RunFolder::Exists(const std::string& rel) const {
  return std::filesystem::exists(Path(rel));
}

bool RunFolder::ComponentConfigured(const std::string& name) const {
  auto c = run.find("config");
  if (c == run.end() || !c->is_object()) return false;
  auto comps = c->find("components");
  if (comps == c->end() || !comps->is_object()) return false;
  auto it = comps->find(name);
  return it != comps->end() && it->is_boolean() && it->get<bool>();
}

std::string RunFolder::ConfiguredSampler() const {
  auto c = run.find("config");
  if (c == run.end() || !c->is_object()) return "";
  auto t = c->find("train");
  if (t == c->end() || !t->is_object()) return "";
  auto s = t->find("sampler");
  return s != t->end() && s->is_string() ? s->get<std::string>() : "";
}

}  // namespace prism
