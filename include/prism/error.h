// prism/error.h - the one exception type of libprism and the checks that throw it.
//
// Library code never exits: it throws prism::Error, and only main() turns that into a message
// and a non-zero exit status. Errors about input name the file, line (1-based) and, where known,
// the column, and say what was expected.
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace prism {

/// Every failure libprism reports. what() is the full, user-facing message, on one line: control
/// bytes in it (a NUL or ESC from input, a newline) are written as \xNN (prism/printable.h).
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& msg);
};

/// Bad input at a location in a file: "FILE:LINE:COL: MESSAGE" (COL omitted when 0).
class InputError : public Error {
 public:
  InputError(const std::string& file, long line, int column, const std::string& msg);
  const std::string& file() const { return file_; }
  long line() const { return line_; }
  int column() const { return column_; }

 private:
  std::string file_;
  long line_;
  int column_;
};

/// Throws prism::Error with the streamed message: Fatal("bad k=", k).
template <typename... Args>
[[noreturn]] void Fatal(const Args&... args) {
  std::ostringstream os;
  (os << ... << args);
  throw Error(os.str());
}

}  // namespace prism

/// Internal invariant checks; the message carries the source file and line.
#define PRISM_CHECK(cond, ...)                                                          \
  do {                                                                                  \
    if (!(cond))                                                                        \
      ::prism::Fatal("check failed: " #cond " (", __FILE__, ":", __LINE__, ") ", ##__VA_ARGS__); \
  } while (0)
#define PRISM_CHECK_EQ(a, b, ...) PRISM_CHECK((a) == (b), ##__VA_ARGS__)
#define PRISM_CHECK_GT(a, b, ...) PRISM_CHECK((a) > (b), ##__VA_ARGS__)
#define PRISM_CHECK_GE(a, b, ...) PRISM_CHECK((a) >= (b), ##__VA_ARGS__)
#define PRISM_CHECK_LT(a, b, ...) PRISM_CHECK((a) < (b), ##__VA_ARGS__)
