// Tests of `prepare`: BEDPE / BENGI pairs + a FASTA the test writes -> domain-kl, and errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <random>

#include "prism/domain_kl.h"
#include "prism/error.h"
#include "prism/prepare.h"
#include "test_util.h"

namespace prism {
namespace {

struct Fixture {
  TempDir dir;
  std::string chr1, chr2, genome;
  Fixture() {
    std::mt19937 rng(5);
    chr1.resize(1000);
    chr2.resize(500);
    for (auto& c : chr1) c = "ACGT"[rng() % 4];
    for (auto& c : chr2) c = "ACGT"[rng() % 4];
    std::string fa = ">chr1\n";
    for (size_t i = 0; i < chr1.size(); i += 60) fa += chr1.substr(i, 60) + "\n";
    fa += ">chr2\n";
    for (size_t i = 0; i < chr2.size(); i += 60) fa += chr2.substr(i, 60) + "\n";
    genome = dir.Write("genome.fa", fa);
  }
  PrepareOptions Options(const std::string& pairs) const {
    PrepareOptions o;
    o.pairs_path = pairs;
    o.genome_path = genome;
    o.out_dir = dir.Join("out");
    o.split = MakeSplitSpec("K562", "", "", "");
    return o;
  }
};

const char* kBedpe =
    "# enhancer\t\t\tpromoter\n"
    "chr1\t100\t200\tchr1\t500\t540\t1\tGM12878\textra\n"
    "chr1\t300\t350\tchr1\t500\t540\t0\tGM12878\n"
    "chr2\t10\t90\tchr2\t400\t480\t1\tK562\n"
    "chr1\t100\t200\tchr2\t400\t480\t0\tK562\n";

TEST(Prepare, BedpeToDomainKl) {
  Fixture f;
  std::string pairs = f.dir.Write("pairs.bedpe", kBedpe);
  PrepareSummary s = PrepareDataset(f.Options(pairs));
  EXPECT_EQ(s.format, "bedpe");
  EXPECT_EQ(s.pairs, 4u);
  EXPECT_EQ(s.enhancers, 3u);
  EXPECT_EQ(s.promoters, 2u);
  EXPECT_EQ(s.train, 2u);
  EXPECT_EQ(s.test, 2u);
  DomainKlData d = ReadDomainKl(f.dir.Join("out"));
  EXPECT_FALSE(d.has_val);
  ASSERT_EQ(d.train.pairs.size(), 2u);
  const Pair& p = d.train.pairs[0];
  EXPECT_EQ(p.enhancer, "chr1:100-200");
  EXPECT_EQ(p.promoter, "chr1:500-540");
  EXPECT_EQ(p.label, 1);
  EXPECT_EQ(p.cell_line, "GM12878");
  EXPECT_EQ(p.chrom, "chr1");
  EXPECT_DOUBLE_EQ(p.distance, 370);  // centres 150 and 520
  EXPECT_EQ(d.train.seqs.enhancers.at("chr1:100-200"), f.chr1.substr(100, 100));
  EXPECT_EQ(d.train.seqs.promoters.at("chr1:500-540"), f.chr1.substr(500, 40));
  ASSERT_EQ(d.test.pairs.size(), 2u);
  EXPECT_EQ(d.test.seqs.enhancers.at("chr2:10-90"), f.chr2.substr(10, 80));
  EXPECT_TRUE(std::isnan(d.test.pairs[1].distance));  // different chromosomes
  EXPECT_EQ(d.test.seqs.enhancers.size(), 2u);
}

TEST(Prepare, BengiCsvCropWidenAndChromSplit) {
  Fixture f;
  std::string pairs = f.dir.WriteGz(
      "pairs.csv.gz",
      "label,enh_name,prom_name,celltype,chrom,enhancer_distance_to_promoter\n"
      "1,chr1:100-400|GM12878|EH1,chr1:600-601|GM12878|ENSG1|ENST1|+,GM12878,chr1,350\n"
      "0,chr2:0-100|GM12878|EH2,chr2:250-251|GM12878|ENSG2|ENST2|-,GM12878,chr2,200\n");
  PrepareOptions o = f.Options(pairs);
  o.split = MakeSplitSpec("", "", "chr2", "");
  o.max_enhancer = 100;  // chr1:100-400 -> centre 200..300
  o.min_promoter = 20;   // chr1:600-601 -> 590..610
  PrepareSummary s = PrepareDataset(o);
  EXPECT_EQ(s.format, "bengi");
  DomainKlData d = ReadDomainKl(o.out_dir);
  ASSERT_EQ(d.train.pairs.size(), 1u);
  EXPECT_EQ(d.train.pairs[0].enhancer, "chr1:100-400");
  EXPECT_DOUBLE_EQ(d.train.pairs[0].distance, 350);
  EXPECT_EQ(d.train.seqs.enhancers.at("chr1:100-400"), f.chr1.substr(200, 100));
  EXPECT_EQ(d.train.seqs.promoters.at("chr1:600-601"), f.chr1.substr(591, 20));
  ASSERT_EQ(d.test.pairs.size(), 1u);
  EXPECT_EQ(d.test.seqs.enhancers.at("chr2:0-100"), f.chr2.substr(0, 100));
  // Widening at a contig end is clipped: chr2:250-251 -> 241..261 fits; chr2:0-100 unchanged.
  EXPECT_EQ(d.test.seqs.promoters.at("chr2:250-251"), f.chr2.substr(241, 20));
}

TEST(Prepare, MissingContigNamesPairsLine) {
  Fixture f;
  std::string pairs = f.dir.Write("p.bedpe", "chr1\t1\t50\tchr1\t60\t90\t1\tA\n"
                                             "chr9\t1\t50\tchr1\t60\t90\t0\tB\n");
  ExpectInputError([&] { PrepareDataset(f.Options(pairs)); },
                   "p.bedpe:2:1: enhancer chr9:1-50: contig 'chr9' is not in " + f.genome);
  EXPECT_FALSE(std::filesystem::exists(f.dir.Join("out")));
}

TEST(Prepare, OutOfRangeNamesPairsLine) {
  Fixture f;
  std::string pairs = f.dir.Write("p.bedpe", "chr1\t1\t50\tchr2\t450\t501\t1\tA\n");
  ExpectInputError([&] { PrepareDataset(f.Options(pairs)); },
                   "p.bedpe:1:11: promoter chr2:450-501: end 501 is beyond the end of chr2 "
                   "(length 500)");
  std::string rev = f.dir.Write("r.bedpe", "chr1\t50\t10\tchr2\t450\t500\t1\tA\n");
  ExpectInputError([&] { PrepareDataset(f.Options(rev)); },
                   "r.bedpe:1:1: enhancer chr1:50-10: start must be >= 0 and less than end");
}

TEST(Prepare, RaggedRowBadLabelAndBadCoordinate) {
  Fixture f;
  std::string ragged = f.dir.Write("a.bedpe", "chr1\t1\t50\tchr1\t60\t90\t1\tA\nchr1\t1\t50\tchr1\t60\n");
  ExpectInputError([&] { PrepareDataset(f.Options(ragged)); },
                   "a.bedpe:2: expected at least 8 tab-separated fields");
  std::string label = f.dir.Write("b.bedpe", "chr1\t1\t50\tchr1\t60\t90\tx\tA\n");
  ExpectInputError([&] { PrepareDataset(f.Options(label)); },
                   "b.bedpe:1:22: field 7 (label): expected a label 0 or 1, found 'x'");
  std::string coord = f.dir.Write("c.bedpe", "chr1\t1\t50\tchr1\t6x\t90\t1\tA\nchr1\t1\t5x\tchr1\t6x\t90\t1\tA\n");
  ExpectInputError([&] { PrepareDataset(f.Options(coord)); },
                   "c.bedpe:1:16: field 5: expected an integer coordinate, found '6x'");
  std::string bengi = f.dir.Write("d.csv", "label,enh_name,prom_name,celltype\n1,chr1:1-50,chr1_60_90,A\n");
  ExpectInputError([&] { PrepareDataset(f.Options(bengi)); },
                   "d.csv:2:13: column 'prom_name': expected 'chrom:start-end[|...]', found 'chr1_60_90'");
  std::string bengi_ragged = f.dir.Write("e.csv", "label,enh_name,prom_name,celltype\n1,chr1:1-50\n");
  ExpectInputError([&] { PrepareDataset(f.Options(bengi_ragged)); },
                   "e.csv:2: expected 4 fields, found 2");
}

TEST(Prepare, EmptyUnknownAndTruncatedInput) {
  Fixture f;
  std::string empty = f.dir.Write("e.bedpe", "# nothing\n");
  ExpectInputError([&] { PrepareDataset(f.Options(empty)); },
                   "e.bedpe:1: empty file: expected BEDPE rows or a header row");
  std::string junk = f.dir.Write("j.txt", "hello,world\n");
  ExpectInputError([&] { PrepareDataset(f.Options(junk)); }, "j.txt:1: unknown pairs format");
  std::string text;
  for (int i = 0; i < 20000; ++i)
    text += "chr1\t" + std::to_string(i % 900) + "\t" + std::to_string(i % 900 + 50 + i % 7) +
            "\tchr1\t60\t90\t" + std::to_string(i % 2) + "\tC" + std::to_string(i % 3) + "\n";
  std::string gz = f.dir.WriteGz("t.bedpe.gz", text);
  std::filesystem::resize_file(gz, std::filesystem::file_size(gz) / 2);
  ExpectInputError([&] { PrepareDataset(f.Options(gz)); }, "corrupt or truncated compressed data");
  EXPECT_FALSE(std::filesystem::exists(f.dir.Join("out")));
}

TEST(Prepare, UnknownBasesInGenomeBecomeN) {
  TempDir dir;
  std::string genome = dir.Write("g.fa", ">chr1\nACGTNNRYacgt\n");
  std::string pairs = dir.Write("p.bedpe", "chr1\t0\t12\tchr1\t4\t10\t1\tA\nchr1\t0\t12\tchr1\t4\t10\t0\tB\n");
  PrepareOptions o;
  o.pairs_path = pairs;
  o.genome_path = genome;
  o.out_dir = dir.Join("out");
  o.split = MakeSplitSpec("B", "", "", "");
  PrepareDataset(o);
  DomainKlData d = ReadDomainKl(o.out_dir);
  EXPECT_EQ(d.train.seqs.enhancers.at("chr1:0-12"), "ACGTNNNNACGT");
  EXPECT_EQ(d.test.seqs.promoters.at("chr1:4-10"), "NNNNAC");
}

TEST(Prepare, NeedsSplitAndRefusesToOverwrite) {
  Fixture f;
  std::string pairs = f.dir.Write("pairs.bedpe", kBedpe);
  PrepareOptions o = f.Options(pairs);
  o.split = SplitSpec{};
  ExpectInputError([&] { PrepareDataset(o); }, "prepare: give a split");
  o = f.Options(pairs);
  PrepareDataset(o);
  ExpectInputError([&] { PrepareDataset(o); }, "already holds a 'train' folder");
  o.force = true;
  o.split = MakeSplitSpec("K562", "GM12878", "", "");
  ExpectInputError([&] { PrepareDataset(o); }, "split: no training pairs left");
  o.split = MakeSplitSpec("GM12878", "", "", "");
  PrepareDataset(o);
  EXPECT_EQ(ReadDomainKl(o.out_dir).test.pairs[0].cell_line, "GM12878");
  o.split = MakeSplitSpec("GM12878", "", "", "");
  o.split.test_cells = {"HUVEC"};
  ExpectInputError([&] { PrepareDataset(o); }, "unknown test cell line 'HUVEC'");
}

TEST(Prepare, CommandLine) {
  Fixture f;
  std::string pairs = f.dir.Write("pairs.bedpe", kBedpe);
  std::string out;
  std::string cmd = std::string(PRISM_CLI) + " prepare --pairs " + pairs + " --genome " +
                    f.genome + " --out " + f.dir.Join("cli") + " --test-cells K562";
  ASSERT_EQ(RunCommand(cmd, &out), 0) << out;
  EXPECT_NE(out.find("prepared 4 pairs (bedpe)"), std::string::npos) << out;
  EXPECT_EQ(ReadDomainKl(f.dir.Join("cli")).test.pairs.size(), 2u);
  std::string bad = f.dir.Write("bad.bedpe", "chrQ\t1\t5\tchr1\t1\t9\t1\tK562\n");
  EXPECT_EQ(RunCommand(std::string(PRISM_CLI) + " prepare --pairs " + bad + " --genome " +
                           f.genome + " --out " + f.dir.Join("x") + " --test-cells K562",
                       &out),
            1);
  EXPECT_NE(out.find("bad.bedpe:1:1: enhancer chrQ:1-5: contig 'chrQ' is not in"),
            std::string::npos) << out;
}

}  // namespace
}  // namespace prism
