// prism/csv.h - splitting of comma-separated records and typed field parsing.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "prism/line_reader.h"

namespace prism {

/// Splits one CSV record on `sep`. Double-quoted fields may contain separators; "" is a quote.
/// Fails through `reader` (file:line:col) on an unterminated quote.
void SplitCsv(std::string_view line, std::vector<std::string>* fields, char sep = ',',
              const LineReader* reader = nullptr);

/// A CSV file with a header row: maps column names to indices and checks every row's width.
class CsvReader {
 public:
  /// Opens `path` and reads the header; throws InputError for an empty file.
  explicit CsvReader(const std::string& path, char sep = ',');
  /// Index of a required column; InputError naming the header line when absent.
  int Require(const std::string& name) const;
  /// Index of an optional column, or -1.
  int Find(const std::string& name) const;
  const std::vector<std::string>& header() const { return header_; }
  /// Next data row (blank lines skipped); false at end. A row whose width differs from the
  /// header is an InputError ("expected N fields, found M").
  bool Next();
  const std::vector<std::string>& row() const { return row_; }
  const std::string& field(int i) const { return row_[i]; }
  long line_number() const { return reader_.line_number(); }
  const std::string& path() const { return reader_.path(); }
  [[noreturn]] void Fail(const std::string& msg, int column = 0) const { reader_.Fail(msg, column); }

  /// Typed field access; errors name the column (1-based) and the offending text.
  double Double(int i) const;
  long Long(int i) const;
  /// A binary label: "0"/"1" (also "0.0"/"1.0", "true"/"false").
  int Label(int i) const;

 private:
  LineReader reader_;
  char sep_;
  std::string line_;
  std::vector<std::string> header_, row_;
};

}  // namespace prism
