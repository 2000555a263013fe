// Helpers of the inspector/ledger tests: copies of the golden run folders in tests/fixtures/qc.
#pragma once

#include <filesystem>
#include <string>

#include "test_util.h"

namespace prism {

/// Copies tests/fixtures/qc/NAME to DIR/AS (default NAME) and returns the copy's path, so tests
/// never write into the source tree.
inline std::string CopyQcFixture(const TempDir& dir, const std::string& name, std::string as = "") {
  namespace fs = std::filesystem;
  if (as.empty()) as = name;
  fs::path dst = fs::path(dir.path()) / as;
  fs::create_directories(dst.parent_path());
  fs::copy(fs::path(PRISM_FIXTURES) / "qc" / name, dst, fs::copy_options::recursive);
  return dst.string();
}

}  // namespace prism
