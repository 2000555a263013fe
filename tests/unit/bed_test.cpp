// BED element files (prism/bed.h): columns, names, skipped lines, gzip, errors with file:line:col.
#include "prism/bed.h"

#include "test_util.h"

namespace prism {

TEST(Bed, ReadsColumnsNamesAndSkipsHeaders) {
  TempDir dir;
  const auto path = dir.Write("e.bed",
                              "track name=enh\nbrowser position chr1:1-100\n# comment\n\n"
                              "chr1\t100\t400\tenhA\t0\t+\textra\n"
                              "chr2\t5\t6\n"
                              "chrX 10 20 spaced\n");
  auto v = ReadBed(path);
  ASSERT_EQ(v.size(), 3u);
  EXPECT_EQ(v[0].chrom, "chr1");
  EXPECT_EQ(v[0].start, 100);
  EXPECT_EQ(v[0].end, 400);
  EXPECT_EQ(v[0].name, "enhA");
  EXPECT_EQ(v[0].line, 5);
  EXPECT_EQ(v[1].name, "chr2:5-6");  // BED3: the coordinates name the element
  EXPECT_EQ(v[2].chrom, "chrX");
  EXPECT_EQ(v[2].name, "spaced");
  EXPECT_EQ(v[2].line, 7);
}

TEST(Bed, GzipIsReadLikePlain) {
  TempDir dir;
  const auto path = dir.WriteGz("p.bed.gz", "chr1\t0\t10\tGENE1\nchr1\t20\t30\tGENE2\n");
  auto v = ReadBed(path);
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(v[1].name, "GENE2");
  EXPECT_EQ(v[1].start, 20);
}

TEST(Bed, ErrorsNameFileLineAndColumn) {
  TempDir dir;
  auto bad = [&](const std::string& body, const std::string& text) {
    const auto path = dir.Write("bad.bed", body);
    ExpectInputError([&] { ReadBed(path); }, text);
  };
  bad("chr1\t1\t5\tok\nchr1\t10\n", "bad.bed:2: expected at least 3 tab-separated fields");
  bad("chr1\tx10\t20\tn\n", "bad.bed:1:6: field 2 (start): expected an integer coordinate, found 'x10'");
  bad("chr1\t10\t2.5\tn\n", "bad.bed:1:9: field 3 (end): expected an integer coordinate");
  bad("chr1\t-1\t5\tn\n", "bad.bed:1:6: field 2 (start): must be >= 0");
  bad("chr1\t10\t10\tn\n", "bad.bed:1:9: field 3 (end): must be greater than start (10)");
}

}  // namespace prism
