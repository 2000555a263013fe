#include "prism/error.h"

#include "prism/printable.h"

namespace prism {
namespace {
std::string Format(const std::string& file, long line, int column, const std::string& msg) {
  std::string s = file;
  if (line > 0) s += ":" + std::to_string(line);
  if (column > 0) s += ":" + std::to_string(column);
  return s + ": " + msg;
}
}  // namespace

Error::Error(const std::string& msg) : std::runtime_error(Printable(msg)) {}

InputError::InputError(const std::string& file, long line, int column, const std::string& msg)
    : Error(Format(file, line, column, msg)), file_(file), line_(line), column_(column) {}

}  // namespace prism
