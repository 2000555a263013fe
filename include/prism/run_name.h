// prism/run_name.h - valid run names.
//
// A run name (config `name`) becomes a folder name (runs/<name>, runs/<name>-NNN) and a ledger
// field, so it must be one path component of safe characters: 1..100 characters from
// A-Z a-z 0-9 . _ -, not starting with '.' or '-' (no "..", no '/', no control characters).
#pragma once

#include <string>

namespace prism {

/// "" when `name` is a valid run name, else why not (e.g. "must not contain '/'").
std::string RunNameProblem(const std::string& name);
/// Throws prism::Error "<where>: invalid run name '<name>': <problem>" when invalid.
void CheckRunName(const std::string& name, const std::string& where);

}  // namespace prism
