// score/chunk_stream.h - reads the logits of consecutive candidates across `prism score`'s
// chunk files (internal).
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "prism/error.h"
#include "score/score_internal.h"

namespace prism::score {

/// Reads the logits of consecutive candidates across chunk files.
class ChunkStream {
 public:
  ChunkStream(const std::string& work_dir, uint64_t chunk_size, uint64_t begin)
      : dir_(work_dir), size_(chunk_size), next_(begin) {}
  double Next() {
    if (pos_ == buf_.size()) Load();
    ++next_;
    return buf_[pos_++];
  }

 private:
  void Load() {
    const uint64_t chunk = next_ / size_;
    const std::string path = ChunkPath(dir_, chunk);
    std::ifstream in(path, std::ios::binary);
    uint64_t first = 0, n = 0;
    in.seekg(8);
    in.read(reinterpret_cast<char*>(&first), sizeof first);
    in.read(reinterpret_cast<char*>(&n), sizeof n);
    if (!in || next_ < first || next_ >= first + n)
      Fatal(path, ": missing or incomplete chunk (candidate ", next_, ")");
    buf_.resize(n);
    in.read(reinterpret_cast<char*>(buf_.data()), static_cast<std::streamsize>(n * sizeof(double)));
    if (!in) Fatal(path, ": truncated chunk");
    buf_.erase(buf_.begin(), buf_.begin() + static_cast<long>(next_ - first));
    pos_ = 0;
  }
  std::string dir_;
  uint64_t size_, next_;
  std::vector<double> buf_;
  size_t pos_ = 0;
};

}  // namespace prism::score
