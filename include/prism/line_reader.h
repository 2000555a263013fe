// prism/line_reader.h - line-by-line reading of plain or gzip text with line numbers.
//
// Reads through zlib (gzip is detected from the content, plain files pass through); "-" is
// stdin. A truncated or corrupt gzip stream is an InputError naming the file and the line where
// it broke, never silently shortened input. CR before LF is stripped, and so is a UTF-8 byte
// order mark at the start of the first line; a directory is an InputError saying so.
#pragma once

#include <memory>
#include <string>

namespace prism {

class LineReader {
 public:
  explicit LineReader(const std::string& path);
  ~LineReader();
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// Next line without its terminator; false at end of input. Throws InputError on corruption.
  bool Next(std::string* line);
  /// 1-based number of the line last returned by Next().
  long line_number() const { return line_no_; }
  const std::string& path() const { return path_; }

  /// Throws InputError(path, line_number(), column, msg).
  [[noreturn]] void Fail(const std::string& msg, int column = 0) const;

 private:
  /// Counts the line just read and strips its CR (and the BOM on line 1).
  void EndLine(std::string* line);
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::string path_;
  long line_no_ = 0;
};

}  // namespace prism
