#include "prism/csv.h"

#include <cerrno>
#include <cstdlib>

#include "prism/error.h"

namespace prism {

void SplitCsv(std::string_view line, std::vector<std::string>* fields, char sep,
              const LineReader* reader) {
  fields->clear();
  std::string cur;
  bool in_quotes = false;
  int quote_col = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cur += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        cur += c;
      }
    } else if (c == '"' && cur.empty()) {
      in_quotes = true;
      quote_col = static_cast<int>(i) + 1;
    } else if (c == sep) {
      fields->push_back(std::move(cur));
      cur.clear();
    } else {
      cur += c;
    }
  }
  if (in_quotes) {
    if (reader) reader->Fail("unterminated quoted field", quote_col);
    Fatal("unterminated quoted field at column ", quote_col);
  }
  fields->push_back(std::move(cur));
}

CsvReader::CsvReader(const std::string& path, char sep) : reader_(path), sep_(sep) {
  if (!reader_.Next(&line_)) throw InputError(path, 1, 0, "empty file: expected a header row");
  SplitCsv(line_, &header_, sep_, &reader_);
  for (auto& h : header_) {
    while (!h.empty() && (h.back() == ' ' || h.back() == '\t')) h.pop_back();
  }
}

int CsvReader::Find(const std::string& name) const {
  for (size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return static_cast<int>(i);
  return -1;
}

int CsvReader::Require(const std::string& name) const {
  int i = Find(name);
  if (i < 0) throw InputError(path(), 1, 0, "header has no column '" + name + "'");
  return i;
}

bool CsvReader::Next() {
  while (reader_.Next(&line_)) {
    if (line_.find_first_not_of(" \t") == std::string::npos) continue;
    SplitCsv(line_, &row_, sep_, &reader_);
    if (row_.size() != header_.size())
      reader_.Fail("expected " + std::to_string(header_.size()) + " fields, found " +
                   std::to_string(row_.size()));
    return true;
  }
  return false;
}

double CsvReader::Double(int i) const {
  const std::string& s = row_[i];
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(s.c_str(), &end);
  if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE)  // also a NUL inside
    Fail("column '" + header_[i] + "': expected a number, found '" + s + "'", i + 1);
  return v;
}

long CsvReader::Long(int i) const {
  const std::string& s = row_[i];
  char* end = nullptr;
  errno = 0;
  long v = std::strtol(s.c_str(), &end, 10);
  if (s.empty() || end != s.c_str() + s.size() || errno == ERANGE)
    Fail("column '" + header_[i] + "': expected an integer, found '" + s + "'", i + 1);
  return v;
}

int CsvReader::Label(int i) const {
  const std::string& s = row_[i];
  if (s == "1" || s == "1.0" || s == "true" || s == "True") return 1;
  if (s == "0" || s == "0.0" || s == "false" || s == "False") return 0;
  Fail("column '" + header_[i] + "': expected a label 0 or 1, found '" + s + "'", i + 1);
}

}  // namespace prism
