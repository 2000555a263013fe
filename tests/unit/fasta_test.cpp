// Tests of the FASTA reader (plain/gz, line-numbered errors) and the faidx-backed Genome.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>

#include <htslib/bgzf.h>

#include "prism/error.h"
#include "prism/fasta.h"
#include "test_util.h"

namespace prism {
namespace {

TEST(Fasta, ReadsPlainAndGzipAndNormalises) {
  TempDir dir;
  const std::string text = ">chr1 some description\nACGTacgt\nNNRY\n\n>chr2\nGGGG\n";
  for (const auto& path : {dir.Write("g.fa", text), dir.WriteGz("g.fa.gz", text)}) {
    std::vector<FastaRecord> r = ReadFasta(path);
    ASSERT_EQ(r.size(), 2u);
    EXPECT_EQ(r[0].name, "chr1");
    EXPECT_EQ(r[0].seq, "ACGTACGTNNNN");
    EXPECT_EQ(r[0].line, 1);
    EXPECT_EQ(r[1].name, "chr2");
    EXPECT_EQ(r[1].seq, "GGGG");
    EXPECT_EQ(r[1].line, 5);
  }
}

TEST(Fasta, UnknownBasesBecomeNAndNonLettersAreErrors) {
  TempDir dir;
  EXPECT_EQ(ReadFasta(dir.Write("a.fa", ">x\nACGTXZBD\n"))[0].seq, "ACGTNNNN");
  std::string p = dir.Write("b.fa", ">x\nACGT\nAC*T\n");
  ExpectInputError([&] { ReadFasta(p); },
                   "b.fa:3:3: sequence 'x': invalid character '*' (expected a nucleotide letter)");
  std::string q = dir.Write("c.fa", ">x\nAC-T\n");
  ExpectInputError([&] { ReadFasta(q); }, "c.fa:2:3: sequence 'x': invalid character '-'");
}

TEST(Fasta, MissingSequenceIsAnError) {
  TempDir dir;
  std::string p = dir.Write("a.fa", ">x\nACGT\n>empty\n>z\nAC\n");
  ExpectInputError([&] { ReadFasta(p); }, "a.fa:3: record 'empty' has no sequence");
  std::string q = dir.Write("b.fa", ">x\nACGT\n>last\n");
  ExpectInputError([&] { ReadFasta(q); }, "b.fa:3: record 'last' has no sequence");
}

TEST(Fasta, MalformedRecordsAreErrors) {
  TempDir dir;
  std::string p = dir.Write("a.fa", "ACGT\n>x\nACGT\n");
  ExpectInputError([&] { ReadFasta(p); }, "a.fa:1:1: expected a '>' header line (not a FASTA file?)");
  std::string q = dir.Write("b.fa", ">x\nAC\n> y\nAC\n");
  ExpectInputError([&] { ReadFasta(q); }, "b.fa:3:2: empty sequence name after '>'");
  std::string d = dir.Write("d.fa", ">x\nAC\n>y\nAC\n>x\nGG\n");
  ExpectInputError([&] { ReadFasta(d); }, "d.fa:5: duplicate sequence name 'x'");
}

TEST(Fasta, EmptyFileIsAnError) {
  TempDir dir;
  std::string p = dir.Write("e.fa", "");
  ExpectInputError([&] { ReadFasta(p); }, "e.fa:1: empty file: expected FASTA records");
  std::string q = dir.Write("f.fa", "\n\n");
  ExpectInputError([&] { ReadFasta(q); }, "f.fa:1: empty file");
}

TEST(Fasta, TruncatedGzipIsAnError) {
  TempDir dir;
  std::string text;
  for (int r = 0; r < 50; ++r) {
    text += ">chr" + std::to_string(r) + "\n";
    for (int l = 0; l < 100; ++l) {
      std::string line(60, 'A');
      for (int i = 0; i < 60; ++i) line[i] = "ACGT"[(r * 7919 + l * 104729 + i * i * 31) % 4];
      text += line + "\n";
    }
  }
  std::string p = dir.WriteGz("t.fa.gz", text);
  std::filesystem::resize_file(p, std::filesystem::file_size(p) / 2);
  ExpectInputError([&] { ReadFasta(p); }, "t.fa.gz:");
  ExpectInputError([&] { ReadFasta(p); }, "corrupt or truncated compressed data");
}

TEST(Genome, BuildsIndexAndFetchesRanges) {
  TempDir dir;
  // chr1 = 0123... pattern over ACGT with line width 10, 25 bases; chr2 = 12 bases.
  std::string chr1 = "ACGTACGTAAccggttNNACGTACG";
  std::string fa = ">chr1 desc\n" + chr1.substr(0, 10) + "\n" + chr1.substr(10, 10) + "\n" +
                   chr1.substr(20) + "\n>chr2\nTTTTTTGGGGGG\n";
  std::string path = dir.Write("genome.fa", fa);
  Genome g(path);
  EXPECT_TRUE(std::filesystem::exists(path + ".fai"));
  EXPECT_TRUE(g.HasContig("chr1"));
  EXPECT_FALSE(g.HasContig("chr3"));
  EXPECT_EQ(g.ContigLength("chr1"), 25);
  EXPECT_EQ(g.ContigLength("chr2"), 12);
  EXPECT_EQ(g.ContigLength("chrZ"), -1);
  EXPECT_EQ(g.Contigs(), (std::vector<std::string>{"chr1", "chr2"}));
  EXPECT_EQ(g.Fetch("chr1", 0, 4), "ACGT");
  EXPECT_EQ(g.Fetch("chr1", 8, 18), "AACCGGTTNN");  // across a line break, uppercased
  EXPECT_EQ(g.Fetch("chr1", 20, 25), "GTACG");
  EXPECT_EQ(g.Fetch("chr2", 5, 7), "TG");
  ExpectInputError([&] { g.Fetch("chr3", 0, 4); }, "contig 'chr3' is not in " + path);
  ExpectInputError([&] { g.Fetch("chr2", 10, 13); }, "chr2:10-13 is outside chr2 (length 12)");
  // Reopening uses the existing index.
  Genome again(path);
  EXPECT_EQ(again.Fetch("chr1", 0, 25), "ACGTACGTAACCGGTTNNACGTACG");
  // A FASTA changed after indexing gets a fresh index.
  dir.Write("genome.fa", ">chrM\nACGTACGT\n");
  std::filesystem::last_write_time(
      path + ".fai", std::filesystem::last_write_time(path) - std::chrono::seconds(10));
  Genome changed(path);
  EXPECT_EQ(changed.Contigs(), (std::vector<std::string>{"chrM"}));
}

TEST(Genome, BgzipGenomeIsIndexedAndPlainGzipIsAnError) {
  TempDir dir;
  std::string fa = ">chrA\nACGTACGTAC\nGGGGCCCCTT\n>chrB\nTTTT\n";
  std::string path = dir.Join("g.fa.gz");
  BGZF* out = bgzf_open(path.c_str(), "w");
  ASSERT_NE(out, nullptr);
  ASSERT_EQ(bgzf_write(out, fa.data(), fa.size()), static_cast<ssize_t>(fa.size()));
  ASSERT_EQ(bgzf_close(out), 0);
  Genome g(path);
  EXPECT_EQ(g.Fetch("chrA", 8, 12), "ACGG");
  EXPECT_EQ(g.ContigLength("chrB"), 4);
  std::string gz = dir.WriteGz("plain.fa.gz", fa);
  ExpectInputError([&] { Genome bad(gz); }, "plain.fa.gz: cannot build the faidx index");
}

TEST(Genome, RaggedLinesAndMissingFileAreErrors) {
  TempDir dir;
  std::string path = dir.Write("bad.fa", ">chr1\nACGTACGT\nAC\nACGTACGT\n");
  ExpectInputError([&] { Genome g(path); }, "bad.fa: cannot build the faidx index");
  ExpectInputError([&] { Genome g(dir.Join("none.fa")); }, "none.fa: genome FASTA not found");
}

}  // namespace
}  // namespace prism
