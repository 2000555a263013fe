// prism/version.h - version and build information recorded in run.json and the ledger.
#pragma once

#include <string>

namespace prism {

/// Semantic version, e.g. "0.1.0".
std::string Version();
/// `git describe` of the source tree at build time.
std::string CodeVersion();
/// "prism 0.1.0 (git abc123, LibTorch 1.13.1)".
std::string VersionString();

}  // namespace prism
