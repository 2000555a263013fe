// Tests of the TargetFinder/BENGI feature table reader, including all real files when present.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "prism/error.h"
#include "prism/feature_table.h"
#include "test_util.h"

namespace prism {
namespace {

std::string Header() {
  std::string h = "label,enh_name,prom_name,celltype,chrom,enhancer_distance_to_promoter";
  for (const auto& c : FeatureTableColumns()) h += "," + c;
  return h + "\n";
}

std::string Row(const std::string& label, const std::string& enh, double dist, double base) {
  std::string r = label + "," + enh + ",chr1:5000-5001|GM12878|ENSG1|ENST1|+,GM12878,chr1," +
                  std::to_string(dist);
  for (int i = 0; i < 24; ++i) r += "," + std::to_string(base + i);
  return r + "\n";
}

TEST(FeatureTable, ColumnsAreThe24Marks) {
  ASSERT_EQ(FeatureTableColumns().size(), 24u);
  EXPECT_EQ(FeatureTableColumns()[0], "CTCF (enhancer)");
  EXPECT_EQ(FeatureTableColumns()[23], "H3K9me3 (window)");
}

TEST(FeatureTable, ReadsPlainAndGzip) {
  TempDir dir;
  std::string text = Header() + Row("1", "chr1:100-200|GM12878|EH1", 4800, 0.5) +
                     Row("0", "chr1:300-400|GM12878|EH2", 4600, 1.5);
  for (const auto& path : {dir.Write("t.csv", text), dir.WriteGz("t.csv.gz", text)}) {
    FeatureTable t = ReadFeatureTable(path);
    ASSERT_EQ(t.pairs.size(), 2u);
    EXPECT_EQ(t.num_features(), 24u);
    ASSERT_EQ(t.features.size(), 48u);
    EXPECT_EQ(t.pairs[0].label, 1);
    EXPECT_EQ(t.pairs[1].label, 0);
    EXPECT_EQ(t.pairs[0].enhancer, "chr1:100-200|GM12878|EH1");
    EXPECT_EQ(t.pairs[0].cell_line, "GM12878");
    EXPECT_EQ(t.pairs[0].chrom, "chr1");
    EXPECT_DOUBLE_EQ(t.pairs[0].distance, 4800);
    EXPECT_FLOAT_EQ(t.features[0], 0.5f);
    EXPECT_FLOAT_EQ(t.features[23], 23.5f);
    EXPECT_FLOAT_EQ(t.features[24], 1.5f);
  }
}

TEST(FeatureTable, ConcatenatesTables) {
  TempDir dir;
  std::string a = dir.Write("a.csv", Header() + Row("1", "e1", 1, 0));
  std::string b = dir.Write("b.csv", Header() + Row("0", "e2", 2, 1) + Row("0", "e3", 3, 2));
  FeatureTable t = ReadFeatureTables({a, b});
  ASSERT_EQ(t.pairs.size(), 3u);
  EXPECT_EQ(t.features.size(), 72u);
  EXPECT_EQ(t.pairs[2].enhancer, "e3");
  EXPECT_FLOAT_EQ(t.features[48], 2.0f);
}

TEST(FeatureTable, RaggedRowIsAnError) {
  TempDir dir;
  std::string p = dir.Write("t.csv", Header() + Row("1", "e1", 1, 0) + "0,e2,p,GM,chr1,5\n");
  ExpectInputError([&] { ReadFeatureTable(p); }, "t.csv:3: expected 30 fields, found 6");
}

TEST(FeatureTable, BadLabelIsAnError) {
  TempDir dir;
  std::string p = dir.Write("t.csv", Header() + Row("2", "e1", 1, 0));
  ExpectInputError([&] { ReadFeatureTable(p); },
                   "t.csv:2:1: column 'label': expected a label 0 or 1, found '2'");
}

TEST(FeatureTable, BadNumberNamesColumn) {
  TempDir dir;
  std::string row = Row("1", "e1", 1, 0);
  row.replace(row.find(",0.000000,"), 10, ",x0.1,");
  std::string p = dir.Write("t.csv", Header() + row);
  ExpectInputError([&] { ReadFeatureTable(p); },
                   "column 'CTCF (enhancer)': expected a number, found 'x0.1'");
  std::string bad_dist = Row("1", "e1", 1, 0);
  bad_dist.replace(bad_dist.find(",1.000000,"), 10, ",12kb,");
  std::string p2 = dir.Write("d.csv", Header() + Row("0", "e0", 1, 0) + bad_dist);
  ExpectInputError([&] { ReadFeatureTable(p2); },
                   "d.csv:3:56: column 'enhancer_distance_to_promoter': expected a number, found '12kb'");
}

TEST(FeatureTable, MissingNameIsAnError) {
  TempDir dir;
  std::string p = dir.Write("t.csv", Header() + Row("1", "", 1, 0));
  ExpectInputError([&] { ReadFeatureTable(p); }, "t.csv:2:3: column 'enh_name': empty name");
}

TEST(FeatureTable, BadHeaderIsAnError) {
  TempDir dir;
  std::string h = Header();
  std::string swapped = h;
  swapped.replace(swapped.find("CTCF (promoter)"), 15, "CTCF (xpromote)");
  std::string p = dir.Write("t.csv", swapped + Row("1", "e", 1, 0));
  ExpectInputError([&] { ReadFeatureTable(p); },
                   "t.csv:1: header column 8: expected 'CTCF (promoter)', found 'CTCF (xpromote)'");
  std::string p2 = dir.Write("s.csv", "label,enh_name,prom_name\n1,a,b\n");
  ExpectInputError([&] { ReadFeatureTable(p2); },
                   "s.csv:1: header: expected 30 columns, found 3 (missing 'celltype')");
}

TEST(FeatureTable, EmptyFileIsAnError) {
  TempDir dir;
  std::string p = dir.Write("t.csv", "");
  ExpectInputError([&] { ReadFeatureTable(p); }, "t.csv:1: empty file: expected a header row");
  std::string q = dir.Write("h.csv", Header());
  ExpectInputError([&] { ReadFeatureTable(q); }, "h.csv:1: no pairs");
}

TEST(FeatureTable, TruncatedGzipIsAnError) {
  TempDir dir;
  std::string text = Header();
  for (int i = 0; i < 3000; ++i) text += Row(i % 7 ? "0" : "1", "e" + std::to_string(i), i * 13, i * 0.37);
  std::string p = dir.WriteGz("t.csv.gz", text);
  std::filesystem::resize_file(p, std::filesystem::file_size(p) * 2 / 3);
  ExpectInputError([&] { ReadFeatureTable(p); }, "corrupt or truncated compressed data");
}

// The real TargetFinder/BENGI tables: row and positive counts from the data README.
TEST(FeatureTable, ReadsAllRealFiles) {
  const std::string dir = PRISM_SHARED_DATA;
  if (!std::filesystem::exists(dir + "/Whalen.GM12878.targetfinder_features.csv.gz"))
    GTEST_SKIP() << "real data not found in " << dir;
  const std::map<std::string, std::pair<size_t, size_t>> expected = {
      {"Whalen.GM12878", {12128, 2113}},          {"Whalen.HUVEC", {31924, 1524}},
      {"Whalen.HeLa-S3", {36540, 1740}},          {"Whalen.IMR90", {26254, 1254}},
      {"Whalen.K562", {41477, 1977}},             {"Whalen.NHEK", {26891, 1291}},
      {"BENGI.GM12878.HiC", {48907, 2695}},       {"BENGI.GM12878.CTCF-ChIAPET", {40845, 4817}},
      {"BENGI.HeLa.HiC", {23342, 2256}},          {"BENGI.HeLa.CTCF-ChIAPET", {12135, 1346}},
      {"BENGI.HeLa.RNAPII-ChIAPET", {2926, 744}}};
  std::vector<std::string> paths;
  size_t total = 0;
  for (const auto& [name, counts] : expected) {
    std::string path = dir + "/" + name + ".targetfinder_features.csv.gz";
    paths.push_back(path);
    FeatureTable t = ReadFeatureTable(path);
    size_t pos = 0;
    for (const Pair& p : t.pairs) pos += p.label;
    EXPECT_EQ(t.pairs.size(), counts.first) << name;
    EXPECT_EQ(pos, counts.second) << name;
    EXPECT_EQ(t.features.size(), t.pairs.size() * 24) << name;
    total += t.pairs.size();
  }
  EXPECT_EQ(total, 303369u);
}

}  // namespace
}  // namespace prism
