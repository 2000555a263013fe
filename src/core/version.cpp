#include "prism/version.h"

namespace prism {
std::string Version() { return PRISM_VERSION; }
std::string CodeVersion() { return PRISM_GIT_VERSION; }
std::string VersionString() {
  return std::string("prism ") + PRISM_VERSION + " (git " + PRISM_GIT_VERSION + ")";
}
}  // namespace prism
