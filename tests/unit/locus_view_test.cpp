// The locus view of a prism score output (prism/locus_view.h): one arc per candidate of the
// gene, coloured by score, escaped names, clear errors.
#include "prism/locus_view.h"

#include "test_util.h"

namespace prism {
namespace {

const char* kTsv =
    "#chrom\tenh_start\tenh_end\tenh_name\tprom_start\tprom_end\tprom_name\tdistance\tscore\t"
    "cell_line\trank_in_promoter\n"
    "chr1\t1000\t1200\te<1>\t50000\t50002\tMYC\t48901\t0.250000\tK562\t2\n"
    "chr1\t90000\t90400\te2\t50000\t50002\tMYC\t40199\t0.750000\tK562\t1\n"
    "chr1\t90000\t90400\te2\t70000\t70002\tOTHER\t20199\t0.500000\tK562\t1\n";

size_t Count(const std::string& s, const std::string& what) {
  size_t n = 0;
  for (size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + 1)) ++n;
  return n;
}

}  // namespace

TEST(LocusView, ArcsOfTheGenesCandidates) {
  TempDir dir;
  dir.WriteGz("predictions.tsv.gz", kTsv);
  const std::string html = RenderLocusView(dir.path(), "MYC");
  EXPECT_EQ(Count(html, "<path class=\"arc\""), 2u);
  EXPECT_EQ(Count(html, "id=\"locus-arcs\""), 1u);
  EXPECT_NE(html.find("data-score=\"0.750000\""), std::string::npos);
  EXPECT_NE(html.find("e&lt;1&gt;"), std::string::npos);  // escaped
  EXPECT_EQ(html.find("e<1>"), std::string::npos);
  EXPECT_EQ(html.find("OTHER"), std::string::npos);
  // The best enhancer is the reddest (top of the gene's range), the other grey.
  EXPECT_NE(html.find("stroke=\"#f00000\""), std::string::npos);
  EXPECT_NE(html.find("stroke=\"#bebebe\""), std::string::npos);
  EXPECT_NE(html.find("-48.9 kb"), std::string::npos);  // upstream enhancer: negative offset
  const std::string path = WriteLocusView(dir.path(), "MYC");
  EXPECT_EQ(path, dir.Join("locus-MYC.html"));
  EXPECT_TRUE(std::filesystem::exists(path));
}

TEST(LocusView, Errors) {
  TempDir dir;
  ExpectInputError([&] { RenderLocusView(dir.path(), "MYC"); }, "no predictions");
  dir.WriteGz("predictions.tsv.gz", kTsv);
  ExpectInputError([&] { RenderLocusView(dir.path(), "NOPE"); }, "no promoter named 'NOPE'");
  dir.WriteGz("predictions.tsv.gz", "chr1\t1\t2\n");
  ExpectInputError([&] { RenderLocusView(dir.path(), "MYC"); }, "predictions.tsv.gz:1: expected 11");
}

}  // namespace prism
