// Tests of hostile input files: a UTF-8 BOM, a directory where a file belongs, a NUL byte in a
// field, missing / infinite / negative feature values, and the one-class training split.
#include <gtest/gtest.h>

#include <filesystem>

#include "prism/csv.h"
#include "prism/domain_kl.h"
#include "prism/error.h"
#include "prism/feature_table.h"
#include "prism/line_reader.h"
#include "prism/printable.h"
#include "prism/run_folder.h"
#include "prism/split.h"
#include "test_util.h"

namespace prism {
namespace {

namespace fs = std::filesystem;

void WriteSplit(const TempDir& dir, const std::string& split, const std::string& eseq) {
  dir.Write(split + "/ALL/pairs_hg19.csv",
            "enhancer_name,promoter_name,label,cell_line\ne1,p1,1,A\ne2,p1,0,A\n");
  dir.Write(split + "/ALL/e_seq.csv", eseq);
  dir.Write(split + "/ALL/p_seq.csv", "region,sequence\np1,TTTTAAAA\n");
}

TEST(InputErrors, Utf8BomBeforeTheHeaderIsStripped) {
  TempDir dir;
  const std::string bom = "\xEF\xBB\xBF";
  WriteSplit(dir, "train", bom + "region,sequence\ne1,ACGT\ne2,GGCC\n");
  WriteSplit(dir, "test", bom + "region,sequence\r\ne1,ACGT\r\ne2,GGCC\r\n");
  DomainKlData d = ReadDomainKl(dir.path());
  EXPECT_EQ(d.train.seqs.enhancers.at("e1"), "ACGT");
  EXPECT_EQ(d.test.seqs.enhancers.at("e2"), "GGCC");
  // Only at the start of the file: a BOM inside is data (and here an unknown column).
  std::string p = dir.Write("x.csv", "a,b\n" + bom + "1,2\n");
  LineReader r(p);
  std::string line;
  ASSERT_TRUE(r.Next(&line));
  EXPECT_EQ(line, "a,b");
  ASSERT_TRUE(r.Next(&line));
  EXPECT_EQ(line, bom + "1,2");
}

TEST(InputErrors, DirectoryWhereAFileBelongsIsNamed) {
  TempDir dir;
  WriteSplit(dir, "train", "region,sequence\ne1,ACGT\ne2,GGCC\n");
  WriteSplit(dir, "test", "region,sequence\ne1,ACGT\ne2,GGCC\n");
  fs::remove(dir.Join("test/ALL/e_seq.csv"));
  fs::create_directories(dir.Join("test/ALL/e_seq.csv"));
  ExpectInputError([&] { ReadDomainKl(dir.path()); },
                   dir.Join("test/ALL/e_seq.csv") + ": is a directory, expected a file");
  fs::create_directories(dir.Join("run.json"));
  ExpectInputError([&] { ReadJsonFile(dir.Join("run.json")); },
                   dir.Join("run.json") + ": is a directory, expected a file");
}

TEST(InputErrors, NulByteIsPrintedEscapedAndTheMessageGoesOn) {
  TempDir dir;
  std::string p = dir.Write("pred.csv", std::string("label,score\n1,0.5\n0,0.2\0x\n", 26));
  CsvReader csv(p);
  const int score = csv.Require("score");
  ASSERT_TRUE(csv.Next());
  ASSERT_TRUE(csv.Next());
  try {
    csv.Double(score);
    ADD_FAILURE() << "NUL byte accepted";
  } catch (const Error& e) {
    const std::string m = e.what();  // what() is a C string: a raw NUL would end it
    EXPECT_NE(m.find(":3:2: column 'score': expected a number, found '0.2\\x00x'"),
              std::string::npos)
        << m;
  }
  EXPECT_EQ(Printable(std::string("a\0b\x1b[1m\n\tc\x7f", 11)), "a\\x00b\\x1b[1m\\x0a\tc\\x7f");
  EXPECT_EQ(Printable("plain ASCII and UTF-8 \xC3\xA9"), "plain ASCII and UTF-8 \xC3\xA9");
}

std::string FeatureHeader() {
  std::string h = "label,enh_name,prom_name,celltype,chrom,enhancer_distance_to_promoter";
  for (const auto& c : FeatureTableColumns()) h += "," + c;
  return h + "\n";
}

/// A row whose first feature (CTCF (enhancer)) is `first`, the rest 1.
std::string FeatureRow(const std::string& label, const std::string& first,
                       const std::string& second = "1") {
  std::string r = label + ",e,p,GM12878,chr1,5000," + first + "," + second;
  for (int i = 2; i < 24; ++i) r += ",1";
  return r + "\n";
}

TEST(InputErrors, MissingFeatureValuesAreImputedAsZeroAndCounted) {
  TempDir dir;
  std::string p = dir.Write("t.csv", FeatureHeader() + FeatureRow("1", "NA") +
                                         FeatureRow("0", "nan", "") + FeatureRow("1", "2.5") +
                                         FeatureRow("0", "NaN", "N/A"));
  FeatureTable t = ReadFeatureTable(p);
  ASSERT_EQ(t.pairs.size(), 4u);
  ASSERT_EQ(t.imputed.size(), 24u);
  EXPECT_EQ(t.imputed[0], 3);  // CTCF (enhancer): NA, nan, NaN
  EXPECT_EQ(t.imputed[1], 2);  // CTCF (promoter): empty, N/A
  EXPECT_EQ(t.imputed[2], 0);
  EXPECT_EQ(t.features[0 * 24 + 0], 0.0f);
  EXPECT_EQ(t.features[2 * 24 + 0], 2.5f);
  EXPECT_EQ(t.features[1 * 24 + 1], 0.0f);
  FeatureTable two = ReadFeatureTables({p, p});
  EXPECT_EQ(two.imputed[0], 6);
}

TEST(InputErrors, InfiniteOrNegativeFeatureValuesAreRefusedAtTheirCell) {
  TempDir dir;
  for (const char* bad : {"inf", "-inf", "Infinity", "-0.5"}) {
    SCOPED_TRACE(bad);
    std::string p = dir.Write("t.csv", FeatureHeader() + FeatureRow("1", "1") + FeatureRow("0", bad));
    ExpectInputError([&] { ReadFeatureTable(p); },
                     "t.csv:3:25: column 'CTCF (enhancer)': expected a finite signal value >= 0, "
                     "found '" + std::string(bad) + "'");
  }
  std::string huge = dir.Write("h.csv", FeatureHeader() + FeatureRow("1", "1e400"));
  ExpectInputError([&] { ReadFeatureTable(huge); }, "h.csv:2:25: column 'CTCF (enhancer)'");
  std::string dist = dir.Write("d.csv", FeatureHeader() + "1,e,p,GM12878,chr1,inf" +
                                            FeatureRow("", "1").substr(std::string(",e,p,GM12878,chr1,5000").size()));
  ExpectInputError([&] { ReadFeatureTable(dist); },
                   "d.csv:2:20: column 'enhancer_distance_to_promoter': expected a finite number");
}

TEST(InputErrors, TrainingSplitNeedsBothClasses) {
  Pair pos, neg;
  pos.label = 1;
  neg.label = 0;
  EXPECT_NO_THROW(RequireBothClasses({pos, neg, neg}, "train"));
  ExpectInputError([&] { RequireBothClasses({neg, neg}, "training split of D"); },
                   "training split of D: all 2 pairs are negative; training needs both classes");
  ExpectInputError([&] { RequireBothClasses({pos}, "t"); }, "t: all 1 pairs are positive");
  ExpectInputError([&] { RequireBothClasses({}, "t"); }, "t: no pairs to train on");
}

}  // namespace
}  // namespace prism
