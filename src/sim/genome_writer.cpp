// `prism simulate --genome`: the simulated elements placed on a synthetic genome
// (prism/simulated_genome.h).
#include <htslib/faidx.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>

#include "prism/atomic_file.h"
#include "prism/error.h"
#include "prism/simulated_genome.h"
#include "sim/random.h"

namespace prism {
namespace {

// Own random stream for the genome (gaps, background, element order), far from the
// simulator's stream ids so that the other outputs never move.
constexpr uint64_t kStreamGenome = 0x47454E4FULL;  // "GENO"
constexpr int kMinGap = 200, kMaxGap = 4000;
constexpr size_t kFastaWidth = 60;

struct Placed {
  std::string name;
  long start = 0, end = 0;
};

struct Chromosome {
  std::string name, cell_line, split;
  std::string seq;
  std::vector<Placed> enhancers, promoters;
  std::vector<std::pair<size_t, size_t>> pairs;  // (enhancer idx, promoter idx)
  std::vector<int> labels;
};

void AppendBackground(std::string* seq, int n, double gc, sim::Rng& rng) {
  for (int i = 0; i < n; ++i) seq->push_back(rng.Base(gc));
}

}  // namespace

SimulatedGenomeSummary WriteSimulatedGenome(const SimulationResult& result,
                                            const std::string& out_dir) {
  // Pairs of each cell line in element order (cell_E000001, ...), from whichever split.
  std::map<std::string, std::vector<std::pair<const Pair*, const SequenceSplit*>>> by_cell;
  for (const SequenceSplit* s : {&result.data.train, &result.data.val, &result.data.test})
    for (const Pair& p : s->pairs) by_cell[p.cell_line].push_back({&p, s});
  const double gc = result.options.background_gc;
  std::vector<Chromosome> chroms;
  for (size_t c = 0; c < result.cells.size(); ++c) {
    const SimulatedCell& cell = result.cells[c];
    auto& items = by_cell[cell.name];
    if (items.empty()) continue;
    std::sort(items.begin(), items.end(),
              [](const auto& a, const auto& b) { return a.first->enhancer < b.first->enhancer; });
    Chromosome chr;
    chr.name = "chr" + std::to_string(chroms.size() + 1);
    chr.cell_line = cell.name;
    chr.split = cell.split;
    sim::Rng rng(sim::StreamSeed(result.options.seed, kStreamGenome, c));
    auto place = [&](const std::string& name, const std::string& seq, std::vector<Placed>* out) {
      Placed p;
      p.name = name;
      p.start = static_cast<long>(chr.seq.size());
      chr.seq += seq;
      p.end = static_cast<long>(chr.seq.size());
      out->push_back(p);
      return out->size() - 1;
    };
    for (const auto& [pair, split] : items) {
      const std::string& e_seq = split->seqs.enhancers.at(pair->enhancer);
      const std::string& p_seq = split->seqs.promoters.at(pair->promoter);
      AppendBackground(&chr.seq, kMinGap + rng.UniformInt(kMaxGap - kMinGap + 1), gc, rng);
      const bool promoter_first = rng.Uniform() < 0.5;
      const int inner = kMinGap + rng.UniformInt(kMaxGap - kMinGap + 1);
      size_t e, p;
      if (promoter_first) {
        p = place(pair->promoter, p_seq, &chr.promoters);
        AppendBackground(&chr.seq, inner, gc, rng);
        e = place(pair->enhancer, e_seq, &chr.enhancers);
      } else {
        e = place(pair->enhancer, e_seq, &chr.enhancers);
        AppendBackground(&chr.seq, inner, gc, rng);
        p = place(pair->promoter, p_seq, &chr.promoters);
      }
      chr.pairs.push_back({e, p});
      chr.labels.push_back(pair->label);
    }
    AppendBackground(&chr.seq, kMinGap + rng.UniformInt(kMaxGap - kMinGap + 1), gc, rng);
    chroms.push_back(std::move(chr));
  }
  if (chroms.empty()) Fatal("simulate --genome: the simulation has no pairs");

  MakeDirs(out_dir);
  SimulatedGenomeSummary summary;
  const std::string fasta = out_dir + "/genome.fa";
  {
    AtomicFile fa(fasta);
    for (const Chromosome& chr : chroms) {
      fa << '>' << chr.name << '\n';
      for (size_t i = 0; i < chr.seq.size(); i += kFastaWidth)
        fa.stream().write(chr.seq.data() + i,
                          static_cast<std::streamsize>(std::min(kFastaWidth, chr.seq.size() - i)))
            << '\n';
      summary.bases += static_cast<long long>(chr.seq.size());
    }
    fa.Commit();
  }
  std::filesystem::remove(fasta + ".fai");
  if (fai_build(fasta.c_str()) != 0) Fatal("cannot build the faidx index of ", fasta);

  AtomicFile ebed(out_dir + "/enhancers.bed"), pbed(out_dir + "/promoters.bed");
  AtomicFile bedpe(out_dir + "/pairs.bedpe"), table(out_dir + "/chromosomes.tsv");
  table << "chrom\tlength\tcell_line\tsplit\n";
  for (const Chromosome& chr : chroms) {
    table << chr.name << '\t' << chr.seq.size() << '\t' << chr.cell_line << '\t' << chr.split
          << '\n';
    for (const Placed& e : chr.enhancers)
      ebed << chr.name << '\t' << e.start << '\t' << e.end << '\t' << e.name << '\n';
    for (const Placed& p : chr.promoters)
      pbed << chr.name << '\t' << p.start << '\t' << p.end << '\t' << p.name << '\n';
    for (size_t i = 0; i < chr.pairs.size(); ++i) {
      const Placed& e = chr.enhancers[chr.pairs[i].first];
      const Placed& p = chr.promoters[chr.pairs[i].second];
      bedpe << chr.name << '\t' << e.start << '\t' << e.end << '\t' << chr.name << '\t'
            << p.start << '\t' << p.end << '\t' << chr.labels[i] << '\t' << chr.cell_line << '\n';
    }
    summary.enhancers += chr.enhancers.size();
    summary.promoters += chr.promoters.size();
    summary.pairs += chr.pairs.size();
  }
  summary.chromosomes = chroms.size();
  ebed.Commit();
  pbed.Commit();
  bedpe.Commit();
  table.Commit();
  return summary;
}

}  // namespace prism
