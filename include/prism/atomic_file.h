// prism/atomic_file.h - write a file completely or not at all.
//
// Output goes to "PATH.tmp.PID" and is renamed onto PATH by Commit(). If the writer is destroyed
// without Commit() (an exception, bad input discovered half-way), the temporary file is removed
// and PATH is untouched.
#pragma once

#include <fstream>
#include <string>

namespace prism {

class AtomicFile {
 public:
  explicit AtomicFile(std::string path, bool binary = false);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  std::ostream& stream() { return out_; }
  template <typename T>
  AtomicFile& operator<<(const T& v) {
    out_ << v;
    return *this;
  }
  /// Flushes, checks for write errors, renames onto the final path. Throws prism::Error.
  void Commit();
  const std::string& path() const { return path_; }

 private:
  std::string path_, tmp_;
  std::ofstream out_;
  bool committed_ = false;
};

/// Writes `content` to `path` atomically.
void WriteFileAtomic(const std::string& path, const std::string& content);
/// Reads a whole file (plain or gzip) into a string; throws prism::Error naming the file.
std::string ReadFile(const std::string& path);
/// Creates a directory and its parents; throws on failure.
void MakeDirs(const std::string& path);

}  // namespace prism
