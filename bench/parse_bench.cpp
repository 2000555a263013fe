// Parser throughput on generated files in a temporary folder (bytes of file per second):
// domain-kl sequence files, domain-kl pairs files, FASTA, and a feature table (plain and gz).
//   ./build/bench/parse_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "prism/domain_kl.h"
#include "prism/fasta.h"
#include "prism/feature_table.h"

namespace {

namespace fs = std::filesystem;

// A scratch folder with the generated inputs, made once and removed at exit.
struct Inputs {
  std::string dir, seq_csv, pairs_dir, fasta, features, features_gz;
  size_t seq_bytes = 0, pairs_bytes = 0, fasta_bytes = 0, features_bytes = 0, features_gz_bytes = 0;

  Inputs() {
    std::string tmpl = (fs::temp_directory_path() / "prism-bench-XXXXXX").string();
    dir = mkdtemp(tmpl.data());
    std::mt19937 rng(1);
    auto base = [&] { return "ACGT"[rng() % 4]; };
    // 2000 sequences of 3000 bp.
    std::string text = "region,sequence\n";
    for (int i = 0; i < 2000; ++i) {
      text += "chr1:" + std::to_string(i * 5000) + "-" + std::to_string(i * 5000 + 3000) + ",";
      for (int j = 0; j < 3000; ++j) text += base();
      text += "\n";
    }
    seq_csv = Write("e_seq.csv", text);
    seq_bytes = text.size();
    // A pairs split: 50k pairs over 2000 enhancers x 500 promoters.
    pairs_dir = dir + "/kl";
    std::string e_seq = "region,sequence\n", p_seq = "region,sequence\n";
    for (int i = 0; i < 2000; ++i) e_seq += "e" + std::to_string(i) + ",ACGTACGT\n";
    for (int i = 0; i < 500; ++i) p_seq += "p" + std::to_string(i) + ",ACGTACGT\n";
    std::string pairs = "enhancer_name,promoter_name,label,cell_line,distance,chrom\n";
    for (int i = 0; i < 50000; ++i)
      pairs += "e" + std::to_string(rng() % 2000) + ",p" + std::to_string(rng() % 500) + "," +
               std::to_string(rng() % 2) + ",GM12878," + std::to_string(rng() % 2000000) +
               ",chr" + std::to_string(1 + rng() % 22) + "\n";
    fs::create_directories(pairs_dir + "/train/ALL");
    Write("kl/train/ALL/e_seq.csv", e_seq);
    Write("kl/train/ALL/p_seq.csv", p_seq);
    Write("kl/train/ALL/pairs_hg19.csv", pairs);
    pairs_bytes = pairs.size();
    // FASTA: 8 contigs x 1 Mbp, 60 bp lines.
    std::string fa;
    for (int c = 0; c < 8; ++c) {
      fa += ">chr" + std::to_string(c + 1) + "\n";
      std::string line(60, 'A');
      for (int l = 0; l < 1000000 / 60; ++l) {
        for (auto& ch : line) ch = base();
        fa += line + "\n";
      }
    }
    fasta = Write("genome.fa", fa);
    fasta_bytes = fa.size();
    // Feature table: 30k rows.
    std::string ft = "label,enh_name,prom_name,celltype,chrom,enhancer_distance_to_promoter";
    for (const auto& c : prism::FeatureTableColumns()) ft += "," + c;
    ft += "\n";
    char buf[32];
    for (int i = 0; i < 30000; ++i) {
      ft += std::to_string(rng() % 2) + ",chr1:" + std::to_string(i) + "-" + std::to_string(i + 500) +
            "|GM12878|EH" + std::to_string(i) + ",chr1:9000-9001|GM12878|ENSG1|ENST1|+,GM12878,chr1," +
            std::to_string(rng() % 2000000);
      for (int k = 0; k < 24; ++k) {
        std::snprintf(buf, sizeof buf, ",%.8f", (rng() % 100000) / 1e7);
        ft += buf;
      }
      ft += "\n";
    }
    features = Write("features.csv", ft);
    features_bytes = ft.size();
    features_gz = dir + "/features.csv.gz";
    gzFile g = gzopen(features_gz.c_str(), "wb6");
    gzwrite(g, ft.data(), static_cast<unsigned>(ft.size()));
    gzclose(g);
    features_gz_bytes = ft.size();  // throughput counted in uncompressed bytes
  }
  ~Inputs() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  std::string Write(const std::string& rel, const std::string& text) {
    std::string p = dir + "/" + rel;
    std::ofstream(p, std::ios::binary) << text;
    return p;
  }
};

Inputs& Get() {
  static Inputs inputs;
  return inputs;
}

void BM_SequenceCsv(benchmark::State& state) {
  Inputs& in = Get();
  for (auto _ : state) {
    std::unordered_map<std::string, std::string> seqs;
    prism::ReadSequenceFile(in.seq_csv, &seqs);
    benchmark::DoNotOptimize(seqs.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.seq_bytes));
}
BENCHMARK(BM_SequenceCsv)->Unit(benchmark::kMillisecond);

void BM_PairsCsv(benchmark::State& state) {
  Inputs& in = Get();
  for (auto _ : state) {
    prism::SequenceSplit s = prism::ReadDomainKlSplit(in.pairs_dir, "train");
    benchmark::DoNotOptimize(s.pairs.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.pairs_bytes));
}
BENCHMARK(BM_PairsCsv)->Unit(benchmark::kMillisecond);

void BM_Fasta(benchmark::State& state) {
  Inputs& in = Get();
  for (auto _ : state) {
    auto records = prism::ReadFasta(in.fasta);
    benchmark::DoNotOptimize(records.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.fasta_bytes));
}
BENCHMARK(BM_Fasta)->Unit(benchmark::kMillisecond);

void BM_FeatureTable(benchmark::State& state) {
  Inputs& in = Get();
  const std::string& path = state.range(0) ? in.features_gz : in.features;
  for (auto _ : state) {
    prism::FeatureTable t = prism::ReadFeatureTable(path);
    benchmark::DoNotOptimize(t.pairs.size());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.features_bytes));
  state.SetLabel(state.range(0) ? "gz" : "plain");
}
BENCHMARK(BM_FeatureTable)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
