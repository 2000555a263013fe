#include "prism/bed.h"

#include <cerrno>
#include <cstdlib>

#include "prism/error.h"
#include "prism/line_reader.h"

namespace prism {
namespace {

// Splits on tabs, or on runs of blanks when the line has no tab; records each field's column.
void SplitFields(const std::string& line, std::vector<std::string>* f, std::vector<int>* col) {
  f->clear();
  col->clear();
  const bool tabs = line.find('\t') != std::string::npos;
  size_t i = 0;
  while (i <= line.size()) {
    if (!tabs)
      while (i < line.size() && (line[i] == ' ')) ++i;
    if (!tabs && i == line.size()) break;
    size_t j = i;
    while (j < line.size() && (tabs ? line[j] != '\t' : line[j] != ' ')) ++j;
    f->push_back(line.substr(i, j - i));
    col->push_back(static_cast<int>(i + 1));
    i = j + 1;
  }
}

bool IsSkippable(const std::string& line) {
  return line.find_first_not_of(" \t") == std::string::npos || line[0] == '#' ||
         line.rfind("track", 0) == 0 || line.rfind("browser", 0) == 0;
}

}  // namespace

std::vector<BedElement> ReadBed(const std::string& path) {
  LineReader reader(path);
  std::vector<BedElement> out;
  std::string line;
  std::vector<std::string> f;
  std::vector<int> col;
  while (reader.Next(&line)) {
    if (IsSkippable(line)) continue;
    SplitFields(line, &f, &col);
    if (f.size() < 3)
      reader.Fail("expected at least 3 tab-separated fields (BED: chrom start end [name]), found " +
                  std::to_string(f.size()));
    BedElement e;
    e.chrom = f[0];
    if (e.chrom.empty()) reader.Fail("field 1 (chrom): empty", col[0]);
    long* coords[] = {&e.start, &e.end};
    for (int k = 0; k < 2; ++k) {
      const std::string& s = f[1 + k];
      char* end = nullptr;
      errno = 0;
      *coords[k] = s.empty() ? 0 : std::strtol(s.c_str(), &end, 10);
      if (s.empty() || *end != 0 || errno == ERANGE)
        reader.Fail(std::string("field ") + (k ? "3 (end)" : "2 (start)") +
                        ": expected an integer coordinate, found '" + s + "'",
                    col[1 + k]);
    }
    if (e.start < 0) reader.Fail("field 2 (start): must be >= 0, found " + f[1], col[1]);
    if (e.end <= e.start)
      reader.Fail("field 3 (end): must be greater than start (" + f[1] + "), found " + f[2],
                  col[2]);
    e.name = f.size() > 3 && !f[3].empty()
                 ? f[3]
                 : e.chrom + ":" + std::to_string(e.start) + "-" + std::to_string(e.end);
    e.line = reader.line_number();
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace prism
