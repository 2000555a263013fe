// The outputs of `prism score` (score/score_writer.h): BGZF files with tabix indexes on the
// promoter interval that htslib can query.
#include "score/score_writer.h"

#include <htslib/hts.h>
#include <htslib/kstring.h>
#include <htslib/tbx.h>

#include "prism/atomic_file.h"
#include "test_util.h"

namespace prism {
namespace {

BedElement El(const std::string& chrom, long start, long end, const std::string& name) {
  BedElement e;
  e.chrom = chrom;
  e.start = start;
  e.end = end;
  e.name = name;
  return e;
}

// Lines a tabix query returns.
std::vector<std::string> Query(const std::string& path, const std::string& region) {
  htsFile* fp = hts_open(path.c_str(), "r");
  tbx_t* tbx = tbx_index_load(path.c_str());
  EXPECT_TRUE(fp && tbx) << path;
  std::vector<std::string> out;
  hts_itr_t* itr = tbx_itr_querys(tbx, region.c_str());
  kstring_t s = {0, 0, nullptr};
  while (itr && tbx_itr_next(fp, tbx, itr, &s) >= 0) out.emplace_back(s.s, s.l);
  free(s.s);
  hts_itr_destroy(itr);
  tbx_destroy(tbx);
  hts_close(fp);
  return out;
}

}  // namespace

TEST(ScoreWriter, IndexedOnThePromoter) {
  TempDir dir;
  {
    score::ScoreWriter w(dir.path(), "K562");
    const auto p1 = El("chr1", 1000, 1200, "GENE1"), p2 = El("chr1", 50000, 50200, "GENE2");
    w.Write(El("chr1", 40000, 40500, "e1"), p1, 39150, 0.25, 2);
    w.Write(El("chr1", 100, 300, "e2"), p1, 900, 0.75, 1);
    w.Write(El("chr1", 40000, 40500, "e1"), p2, 9850.5, 0.5, 1);
    w.Finish();
  }
  for (int f = 0; f < 3; ++f) {
    const std::string path = score::ScoreWriter::Path(dir.path(), f);
    ASSERT_TRUE(std::filesystem::exists(path + ".tbi")) << path;
    EXPECT_EQ(Query(path, "chr1:1-2000").size(), 2u) << path;  // GENE1's two pairs
    auto g2 = Query(path, "chr1:50001-50100");
    ASSERT_EQ(g2.size(), 1u) << path;
    EXPECT_NE(g2[0].find("GENE2"), std::string::npos);
  }
  const auto tsv = ReadFile(score::ScoreWriter::Path(dir.path(), 0));
  EXPECT_NE(tsv.find("#chrom\tenh_start\tenh_end\tenh_name\tprom_start\tprom_end\tprom_name\t"
                     "distance\tscore\tcell_line\trank_in_promoter\n"),
            std::string::npos);
  EXPECT_NE(tsv.find("chr1\t40000\t40500\te1\t50000\t50200\tGENE2\t9850.5\t0.500000\tK562\t1\n"),
            std::string::npos);
  const auto interact = ReadFile(score::ScoreWriter::Path(dir.path(), 2));
  EXPECT_EQ(interact.rfind("track type=interact", 0), 0u);
  EXPECT_NE(interact.find("chr1\t100\t1200\te2|GENE1\t750\t0.750000\tK562\t"), std::string::npos);
}

TEST(ScoreWriter, UnfinishedWriterLeavesNothing) {
  TempDir dir;
  {
    score::ScoreWriter w(dir.path(), "x");
    w.Write(El("chr1", 0, 10, "e"), El("chr1", 20, 30, "p"), 20, 0.1, 1);
  }
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

}  // namespace prism
