// core/record_fields.h - reading and writing the fields of the run records (private to
// src/core: run_records.cpp, prediction_records.cpp).
#pragma once

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "prism/error.h"
#include "prism/run_folder.h"
#include "prism/run_records.h"

namespace prism::records {

inline bool NumberLike(const Json& j) {
  if (j.is_number()) return true;
  if (!j.is_string()) return false;
  const auto& s = j.get_ref<const std::string&>();
  return s == "nan" || s == "NaN" || s == "inf" || s == "Infinity" || s == "-inf" ||
         s == "-Infinity";
}

/// Reads the fields of one JSON object; every type error names the file, line and field path.
class Fields {
 public:
  Fields(const Json& j, const RecordSource& src, std::string prefix = "")
      : j_(j), src_(src), prefix_(std::move(prefix)) {}

  [[noreturn]] void Fail(const std::string& key, const std::string& expected) const {
    const Json* v = Find(key);
    throw InputError(src_.file, src_.line, 0,
                     "field '" + prefix_ + key + "': expected " + expected +
                         (v ? ", found " + v->dump() : ""));
  }
  /// The value, or nullptr when missing or null.
  const Json* Find(const std::string& key) const {
    if (!j_.is_object()) return nullptr;
    auto it = j_.find(key);
    return it == j_.end() || it->is_null() ? nullptr : &*it;
  }
  double Num(const std::string& key) const {
    const Json* v = Find(key);
    if (!v) return NAN;
    if (!NumberLike(*v)) Fail(key, "a number");
    return ReadNumber(*v);
  }
  std::optional<double> OptNum(const std::string& key) const {
    if (!Find(key)) return std::nullopt;
    return Num(key);
  }
  std::optional<int64_t> Int(const std::string& key) const {
    const Json* v = Find(key);
    if (!v) return std::nullopt;
    if (!v->is_number()) Fail(key, "an integer");
    return static_cast<int64_t>(v->get<double>());
  }
  int64_t Int(const std::string& key, int64_t fallback) const {
    return Int(key).value_or(fallback);
  }
  std::string Str(const std::string& key) const {
    const Json* v = Find(key);
    if (!v) return "";
    if (!v->is_string()) Fail(key, "a string");
    return v->get<std::string>();
  }
  std::optional<bool> Bool(const std::string& key) const {
    const Json* v = Find(key);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) Fail(key, "true or false");
    return v->get<bool>();
  }
  std::vector<std::string> Strings(const std::string& key) const {
    std::vector<std::string> out;
    const Json* v = Find(key);
    if (!v) return out;
    if (!v->is_array()) Fail(key, "an array of strings");
    for (const Json& s : *v) {
      if (!s.is_string()) Fail(key, "an array of strings");
      out.push_back(s.get<std::string>());
    }
    return out;
  }
  /// A nested object (nullptr when missing or null; error when not an object).
  const Json* Obj(const std::string& key) const {
    const Json* v = Find(key);
    if (v && !v->is_object()) Fail(key, "an object or null");
    return v;
  }
  Fields Sub(const std::string& key, const Json& obj) const {
    return Fields(obj, src_, prefix_ + key + ".");
  }
  /// Every member of the object as a number (the loss and weight maps).
  std::map<std::string, double> NumMap() const {
    std::map<std::string, double> out;
    for (auto it = j_.begin(); it != j_.end(); ++it)
      if (!it->is_null()) out[it.key()] = Num(it.key());
    return out;
  }

 private:
  const Json& j_;
  const RecordSource& src_;
  std::string prefix_;
};

inline Json NumMapJson(const std::map<std::string, double>& m) {
  Json j = Json::object();
  for (const auto& [k, v] : m) j[k] = JsonNumber(v);
  return j;
}

template <typename T>
Json OptJson(const std::optional<T>& v) {
  return v ? Json(*v) : Json();
}

inline Json FiniteOrNull(double v) { return std::isfinite(v) ? Json(v) : Json(); }

inline Json OptNumJson(const std::optional<double>& v) { return v ? JsonNumber(*v) : Json(); }


}  // namespace prism::records
