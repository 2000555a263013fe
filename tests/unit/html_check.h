// Test helper: a strict tag-balance check of generated HTML/SVG.
#pragma once

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace prism {

/// Returns "" when every non-void element is closed in order, else a description of the first
/// mismatch. Comments/doctype are skipped; "<x .../>" is self-closed.
inline std::string CheckTagBalance(const std::string& html) {
  static const std::vector<std::string> kVoid = {"meta", "br", "hr", "img", "input", "link"};
  std::vector<std::string> stack;
  size_t i = 0;
  while ((i = html.find('<', i)) != std::string::npos) {
    size_t end = html.find('>', i);
    if (end == std::string::npos) return "unterminated tag at " + std::to_string(i);
    if (html.compare(i, 2, "<!") == 0) {
      i = end + 1;
      continue;
    }
    bool closing = html[i + 1] == '/';
    size_t p = i + (closing ? 2 : 1);
    size_t q = p;
    while (q < end && (std::isalnum(static_cast<unsigned char>(html[q])) || html[q] == '-')) ++q;
    std::string name = html.substr(p, q - p);
    if (name.empty()) return "empty tag name at " + std::to_string(i);
    if (closing) {
      if (stack.empty() || stack.back() != name)
        return "</" + name + "> closes " + (stack.empty() ? "nothing" : "<" + stack.back() + ">") +
               " at " + std::to_string(i);
      stack.pop_back();
    } else if (html[end - 1] != '/' &&
               std::find(kVoid.begin(), kVoid.end(), name) == kVoid.end()) {
      stack.push_back(name);
    }
    i = end + 1;
  }
  if (!stack.empty()) return "unclosed <" + stack.back() + ">";
  return "";
}

/// Number of non-overlapping occurrences of `needle`.
inline size_t CountOf(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t i = hay.find(needle); i != std::string::npos; i = hay.find(needle, i + needle.size()))
    ++n;
  return n;
}

}  // namespace prism
