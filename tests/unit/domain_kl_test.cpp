// Tests of the domain-kl reader/writer: good layout, round trip, and every kind of bad input.
#include <gtest/gtest.h>

#include <filesystem>

#include "prism/domain_kl.h"
#include "prism/error.h"
#include "test_util.h"

namespace prism {
namespace {

const char* kPairs =
    "enhancer_name,promoter_name,label,cell_line\n"
    "e1,p1,1,GM12878\n"
    "e2,p1,0,K562\n";
const char* kEseq = "region,sequence\ne1,ACGTacgtNR\ne2,GGGGCCCC\n";
const char* kPseq = "region,sequence\np1,TTTTAAAAyk\n";

void WriteSplit(const TempDir& dir, const std::string& split, const std::string& pairs = kPairs,
                const std::string& eseq = kEseq, const std::string& pseq = kPseq) {
  dir.Write(split + "/ALL/pairs_hg19.csv", pairs);
  dir.Write(split + "/ALL/e_seq.csv", eseq);
  dir.Write(split + "/ALL/p_seq.csv", pseq);
}

TEST(DomainKl, ReadsGoodLayoutAndNormalisesSequences) {
  TempDir dir;
  WriteSplit(dir, "train");
  WriteSplit(dir, "test");
  DomainKlData d = ReadDomainKl(dir.path());
  EXPECT_FALSE(d.has_val);
  ASSERT_EQ(d.train.pairs.size(), 2u);
  EXPECT_EQ(d.train.pairs[0].enhancer, "e1");
  EXPECT_EQ(d.train.pairs[0].promoter, "p1");
  EXPECT_EQ(d.train.pairs[0].label, 1);
  EXPECT_EQ(d.train.pairs[1].label, 0);
  EXPECT_EQ(d.train.pairs[1].cell_line, "K562");
  EXPECT_TRUE(std::isnan(d.train.pairs[0].distance));
  EXPECT_EQ(d.train.seqs.enhancers.at("e1"), "ACGTACGTNN");
  EXPECT_EQ(d.train.seqs.promoters.at("p1"), "TTTTAAAANN");
  EXPECT_EQ(d.test.pairs.size(), 2u);
}

TEST(DomainKl, ReadsValAndExtraColumns) {
  TempDir dir;
  WriteSplit(dir, "train",
             "label,enhancer_name,promoter_name,cell_line,distance,chrom,extra\n"
             "1,e1,p1,HeLa,12345,chr8,x\n");
  WriteSplit(dir, "val");
  WriteSplit(dir, "test");
  DomainKlData d = ReadDomainKl(dir.path());
  EXPECT_TRUE(d.has_val);
  EXPECT_EQ(d.val.pairs.size(), 2u);
  ASSERT_EQ(d.train.pairs.size(), 1u);
  EXPECT_DOUBLE_EQ(d.train.pairs[0].distance, 12345);
  EXPECT_EQ(d.train.pairs[0].chrom, "chr8");
  EXPECT_EQ(d.train.pairs[0].cell_line, "HeLa");
}

TEST(DomainKl, GzipFilesAreRead) {
  TempDir dir;
  dir.WriteGz("train/ALL/pairs_hg19.csv", kPairs);
  dir.WriteGz("train/ALL/e_seq.csv", kEseq);
  dir.WriteGz("train/ALL/p_seq.csv", kPseq);
  SequenceSplit s = ReadDomainKlSplit(dir.path(), "train");
  EXPECT_EQ(s.pairs.size(), 2u);
  EXPECT_EQ(s.seqs.enhancers.at("e2"), "GGGGCCCC");
}

TEST(DomainKl, WriteThenReadRoundTrips) {
  TempDir dir;
  DomainKlData d;
  d.has_val = true;
  for (SequenceSplit* s : {&d.train, &d.val, &d.test}) {
    Pair p;
    p.enhancer = "chr1:100-200";
    p.promoter = "chr1:5000-5100";
    p.label = 1;
    p.cell_line = "IMR90";
    p.distance = 4900;
    p.chrom = "chr1";
    s->pairs.push_back(p);
    p.enhancer = "name,with comma";
    p.label = 0;
    p.distance = NAN;
    s->pairs.push_back(p);
    s->seqs.enhancers["chr1:100-200"] = "ACGTN";
    s->seqs.enhancers["name,with comma"] = "GGG";
    s->seqs.promoters["chr1:5000-5100"] = "TTTT";
  }
  WriteDomainKl(dir.Join("out"), d);
  DomainKlData r = ReadDomainKl(dir.Join("out"));
  ASSERT_TRUE(r.has_val);
  for (const SequenceSplit* s : {&r.train, &r.val, &r.test}) {
    ASSERT_EQ(s->pairs.size(), 2u);
    EXPECT_EQ(s->pairs[0].enhancer, "chr1:100-200");
    EXPECT_EQ(s->pairs[0].chrom, "chr1");
    EXPECT_DOUBLE_EQ(s->pairs[0].distance, 4900);
    EXPECT_EQ(s->pairs[1].enhancer, "name,with comma");
    EXPECT_TRUE(std::isnan(s->pairs[1].distance));
    EXPECT_EQ(s->seqs.enhancers, d.train.seqs.enhancers);
    EXPECT_EQ(s->seqs.promoters, d.train.seqs.promoters);
  }
  // No temporary files are left behind.
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir.Join("out")))
    EXPECT_EQ(e.path().string().find(".tmp"), std::string::npos) << e.path();
}

TEST(DomainKl, WriteWithoutValWritesNoValFolder) {
  TempDir dir;
  DomainKlData d;
  Pair p;
  p.enhancer = "e";
  p.promoter = "p";
  p.cell_line = "c";
  d.train.pairs = {p};
  d.train.seqs.enhancers["e"] = "A";
  d.train.seqs.promoters["p"] = "C";
  d.test = d.train;
  WriteDomainKl(dir.path(), d);
  EXPECT_FALSE(std::filesystem::exists(dir.Join("val")));
  EXPECT_FALSE(ReadDomainKl(dir.path()).has_val);
}

TEST(DomainKl, RaggedPairRowIsAnError) {
  TempDir dir;
  WriteSplit(dir, "train", "enhancer_name,promoter_name,label,cell_line\ne1,p1,1\n");
  ExpectInputError([&] { ReadDomainKlSplit(dir.path(), "train"); },
                   "pairs_hg19.csv:2: expected 4 fields, found 3");
}

TEST(DomainKl, RaggedSequenceRowIsAnError) {
  TempDir dir;
  WriteSplit(dir, "train", kPairs, "region,sequence\ne1,ACGT\ne2,ACGT,x\n");
  ExpectInputError([&] { ReadDomainKlSplit(dir.path(), "train"); },
                   "e_seq.csv:3: expected 2 fields, found 3");
}

TEST(DomainKl, BadLabelIsAnError) {
  TempDir dir;
  WriteSplit(dir, "train", "enhancer_name,promoter_name,label,cell_line\ne1,p1,yes,GM\n");
  ExpectInputError([&] { ReadDomainKlSplit(dir.path(), "train"); },
                   "pairs_hg19.csv:2:3: column 'label': expected a label 0 or 1, found 'yes'");
}

TEST(DomainKl, MissingSequenceNamesThePairsLine) {
  TempDir dir;
  WriteSplit(dir, "train", "enhancer_name,promoter_name,label,cell_line\ne1,p1,1,GM\nzz,p1,0,GM\n");
  ExpectInputError([&] { ReadDomainKlSplit(dir.path(), "train"); },
                   "pairs_hg19.csv:3:1: enhancer 'zz' has no sequence in " + dir.path() +
                       "/train/ALL/e_seq.csv");
  WriteSplit(dir, "train", "enhancer_name,promoter_name,label,cell_line\ne1,pX,1,GM\n");
  ExpectInputError([&] { ReadDomainKlSplit(dir.path(), "train"); },
                   "pairs_hg19.csv:2:4: promoter 'pX' has no sequence in");
}

TEST(DomainKl, UnknownBasesBecomeNAndNonLettersAreErrors) {
  TempDir dir;
  WriteSplit(dir, "train", kPairs, "region,sequence\ne1,acgRYKMSWBDHVNnx\ne2,AC\n");
  SequenceSplit s = ReadDomainKlSplit(dir.path(), "train");
  EXPECT_EQ(s.seqs.enhancers.at("e1"), "ACGNNNNNNNNNNNNN");
  WriteSplit(dir, "train", kPairs, "region,sequence\ne1,ACGT\ne2,AC-GT\n");
  ExpectInputError([&] { ReadDomainKlSplit(dir.path(), "train"); },
                   "e_seq.csv:3:6: sequence of 'e2': invalid character '-' at position 3");
}

TEST(DomainKl, DuplicateRegionWithDifferentSequenceIsAnError) {
  TempDir dir;
  WriteSplit(dir, "train", kPairs, "region,sequence\ne1,ACGT\ne2,AC\ne1,acgt\n");
  EXPECT_EQ(ReadDomainKlSplit(dir.path(), "train").seqs.enhancers.size(), 2u);
  WriteSplit(dir, "train", kPairs, "region,sequence\ne1,ACGT\ne2,AC\ne1,ACGA\n");
  ExpectInputError([&] { ReadDomainKlSplit(dir.path(), "train"); },
                   "e_seq.csv:4: region 'e1' is listed twice with different sequences");
}

TEST(DomainKl, EmptyFilesAreErrors) {
  TempDir dir;
  WriteSplit(dir, "train", kPairs, "");
  ExpectInputError([&] { ReadDomainKlSplit(dir.path(), "train"); },
                   "e_seq.csv:1: empty file: expected a header row");
  WriteSplit(dir, "train", "");
  ExpectInputError([&] { ReadDomainKlSplit(dir.path(), "train"); },
                   "pairs_hg19.csv:1: empty file: expected a header row");
  WriteSplit(dir, "train", "enhancer_name,promoter_name,label,cell_line\n");
  ExpectInputError([&] { ReadDomainKlSplit(dir.path(), "train"); },
                   "pairs_hg19.csv:1: no pairs: expected at least one data row");
}

TEST(DomainKl, MissingColumnAndMissingFileAreErrors) {
  TempDir dir;
  WriteSplit(dir, "train", "enhancer_name,promoter_name,cell_line\ne1,p1,GM\n");
  ExpectInputError([&] { ReadDomainKlSplit(dir.path(), "train"); },
                   "pairs_hg19.csv:1: header has no column 'label'");
  WriteSplit(dir, "train");
  ExpectInputError([&] { ReadDomainKl(dir.path()); }, "test/ALL/pairs_hg19.csv: missing file");
}

TEST(DomainKl, TruncatedGzipIsAnError) {
  TempDir dir;
  std::string seqs = "region,sequence\n";
  std::string pairs = "enhancer_name,promoter_name,label,cell_line\n";
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    for (int j = 0; j < 200; ++j) s += "ACGT"[(i * 7919 + j * 31 + j * j) % 4];
    seqs += "e" + std::to_string(i) + "," + s + "\n";
  }
  pairs += "e1,p1,1,GM\n";
  std::string gz = dir.WriteGz("train/ALL/e_seq.csv", seqs);
  dir.Write("train/ALL/pairs_hg19.csv", pairs);
  dir.Write("train/ALL/p_seq.csv", kPseq);
  std::filesystem::resize_file(gz, std::filesystem::file_size(gz) / 2);
  ExpectInputError([&] { ReadDomainKlSplit(dir.path(), "train"); },
                   "corrupt or truncated compressed data");
  ExpectInputError([&] { ReadDomainKlSplit(dir.path(), "train"); }, "e_seq.csv:");
}

}  // namespace
}  // namespace prism
