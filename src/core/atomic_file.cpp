#include "prism/atomic_file.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "prism/error.h"
#include "prism/line_reader.h"

namespace prism {

AtomicFile::AtomicFile(std::string path, bool binary)
    : path_(std::move(path)), tmp_(path_ + ".tmp." + std::to_string(getpid())) {
  out_.open(tmp_, binary ? std::ios::out | std::ios::binary | std::ios::trunc
                         : std::ios::out | std::ios::trunc);
  if (!out_) Fatal("cannot write ", path_, ": ", std::strerror(errno));
}

AtomicFile::~AtomicFile() {
  if (!committed_) {
    out_.close();
    std::remove(tmp_.c_str());
  }
}

void AtomicFile::Commit() {
  out_.flush();
  if (!out_) Fatal("write error on ", path_, ": ", std::strerror(errno));
  out_.close();
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
    Fatal("cannot rename ", tmp_, " to ", path_, ": ", std::strerror(errno));
  committed_ = true;
}

void WriteFileAtomic(const std::string& path, const std::string& content) {
  AtomicFile f(path, true);
  f.stream().write(content.data(), static_cast<std::streamsize>(content.size()));
  f.Commit();
}

std::string ReadFile(const std::string& path) {
  LineReader reader(path);
  std::string all, line;
  while (reader.Next(&line)) {
    all += line;
    all += '\n';
  }
  return all;
}

void MakeDirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) Fatal("cannot create directory ", path, ": ", ec.message());
}

}  // namespace prism
