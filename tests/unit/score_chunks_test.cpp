// prism score's chunk files (score/score_internal.h): complete chunks are recognised, truncated
// or foreign ones are not, and the stream reads logits across chunk boundaries.
#include <fstream>

#include "score/chunk_stream.h"
#include "score/score_internal.h"
#include "test_util.h"

namespace prism {

TEST(ScoreChunks, CompleteTruncatedAndStreamed) {
  TempDir dir;
  std::filesystem::create_directories(dir.Join("chunks"));
  // Chunk size 4, shard starting at candidate 2: chunk 0 holds [2, 4), chunk 1 [4, 8).
  score::WriteChunk(score::ChunkPath(dir.path(), 0), 2, {0.5, -1.0});
  score::WriteChunk(score::ChunkPath(dir.path(), 1), 4, {1, 2, 3, 4});
  EXPECT_TRUE(score::ChunkComplete(score::ChunkPath(dir.path(), 0), 2, 2));
  EXPECT_FALSE(score::ChunkComplete(score::ChunkPath(dir.path(), 0), 0, 2));  // other range
  EXPECT_FALSE(score::ChunkComplete(score::ChunkPath(dir.path(), 1), 4, 3));
  EXPECT_FALSE(score::ChunkComplete(score::ChunkPath(dir.path(), 2), 8, 4));  // absent
  score::ChunkStream s(dir.path(), 4, 3);
  EXPECT_EQ(s.Next(), -1.0);
  EXPECT_EQ(s.Next(), 1.0);
  EXPECT_EQ(s.Next(), 2.0);
  // A truncated file is not complete (a kill during the write leaves only the temporary file,
  // but a damaged disk must not pass either).
  const std::string p = score::ChunkPath(dir.path(), 1);
  std::filesystem::resize_file(p, std::filesystem::file_size(p) - 8);
  EXPECT_FALSE(score::ChunkComplete(p, 4, 4));
}

}  // namespace prism
