#include "prism/line_reader.h"

#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

#include "prism/error.h"

namespace prism {

struct LineReader::Impl {
  gzFile gz = nullptr;
  std::string buf;
  size_t pos = 0;
  bool eof = false;
};

LineReader::LineReader(const std::string& path) : impl_(new Impl), path_(path) {
  struct stat st;
  if (path != "-" && stat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    throw InputError(path, 0, 0, "is a directory, expected a file");
  if (path == "-") {
    impl_->gz = gzdopen(dup(STDIN_FILENO), "rb");
  } else {
    impl_->gz = gzopen(path.c_str(), "rb");
  }
  if (!impl_->gz)
    throw InputError(path, 0, 0, std::string("cannot open: ") + std::strerror(errno));
  gzbuffer(impl_->gz, 1 << 17);
}

LineReader::~LineReader() {
  if (impl_->gz) gzclose(impl_->gz);
}

bool LineReader::Next(std::string* line) {
  line->clear();
  Impl& s = *impl_;
  for (;;) {
    if (s.pos < s.buf.size()) {
      const char* start = s.buf.data() + s.pos;
      const void* nl = std::memchr(start, '\n', s.buf.size() - s.pos);
      if (nl) {
        size_t n = static_cast<const char*>(nl) - start;
        line->append(start, n);
        s.pos += n + 1;
        EndLine(line);
        return true;
      }
      line->append(start, s.buf.size() - s.pos);
      s.pos = s.buf.size();
    }
    if (s.eof) {
      if (line->empty()) return false;
      EndLine(line);
      return true;
    }
    s.buf.resize(1 << 17);
    int n = gzread(s.gz, s.buf.data(), static_cast<unsigned>(s.buf.size()));
    if (n < 0) {
      int err = 0;
      const char* msg = gzerror(s.gz, &err);
      throw InputError(path_, line_no_ + 1, 0,
                       std::string("corrupt or truncated compressed data: ") + msg);
    }
    s.buf.resize(static_cast<size_t>(n));
    s.pos = 0;
    if (n == 0) {
      // zlib reports a truncated gzip member only through gzerror after EOF.
      int err = 0;
      const char* msg = gzerror(s.gz, &err);
      if (err != Z_OK && err != Z_STREAM_END)
        throw InputError(path_, line_no_ + 1, 0,
                         std::string("corrupt or truncated compressed data: ") + msg);
      s.eof = true;
    }
  }
}

void LineReader::EndLine(std::string* line) {
  ++line_no_;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  // A UTF-8 byte order mark (spreadsheet exports) is not part of the first field's name.
  if (line_no_ == 1 && line->compare(0, 3, "\xEF\xBB\xBF") == 0) line->erase(0, 3);
}

void LineReader::Fail(const std::string& msg, int column) const {
  throw InputError(path_, line_no_, column, msg);
}

}  // namespace prism
