#include "prism/run_name.h"

#include "prism/error.h"

namespace prism {

namespace {
constexpr size_t kMaxNameLength = 100;

bool SafeChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '_' || c == '-';
}
}  // namespace

std::string RunNameProblem(const std::string& name) {
  if (name.empty()) return "must not be empty";
  if (name.size() > kMaxNameLength)
    return "longer than " + std::to_string(kMaxNameLength) + " characters";
  for (char c : name) {
    if (c == '/' || c == '\\') return "must be one folder name, without '/' or '\\'";
    const unsigned char u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) return "must not contain control characters";
    if (!SafeChar(c))
      return "may contain only letters, digits, '.', '_' and '-' (found '" + std::string(1, c) +
             "')";
  }
  if (name.front() == '.' || name.front() == '-') return "must not start with '.' or '-'";
  return "";
}

void CheckRunName(const std::string& name, const std::string& where) {
  const std::string problem = RunNameProblem(name);
  if (!problem.empty()) Fatal(where, ": invalid run name '", name, "': ", problem);
}

}  // namespace prism
