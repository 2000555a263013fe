// `prism simulate --genome` (prism/simulated_genome.h): the genome places exactly the simulated
// sequences, and `prism prepare` on genome.fa + pairs.bedpe reproduces them.
#include "prism/simulated_genome.h"

#include <algorithm>
#include <map>

#include "prism/atomic_file.h"
#include "prism/bed.h"
#include "prism/fasta.h"
#include "prism/prepare.h"
#include "test_util.h"

namespace prism {

TEST(SimulatedGenome, PrepareReproducesTheSimulatedSequences) {
  TempDir dir;
  SimulationOptions o = SimulationPreset("tiny");
  o.seed = 4;
  const SimulationResult r = GenerateSimulation(o);
  const auto g = WriteSimulatedGenome(r, dir.path());
  EXPECT_EQ(g.chromosomes, r.cells.size());
  EXPECT_EQ(g.pairs, 600u);
  EXPECT_TRUE(std::filesystem::exists(dir.Join("genome.fa.fai")));

  // The simulated pairs by (cell line, label, enhancer sequence, promoter sequence).
  std::vector<std::pair<std::string, std::string>> want, got;
  for (const SequenceSplit* s : {&r.data.train, &r.data.val, &r.data.test})
    for (const Pair& p : s->pairs)
      want.emplace_back(p.cell_line + ":" + std::to_string(p.label),
                   s->seqs.enhancers.at(p.enhancer) + "|" + s->seqs.promoters.at(p.promoter));
  PrepareOptions po;
  po.pairs_path = dir.Join("pairs.bedpe");
  po.genome_path = dir.Join("genome.fa");
  const SequenceSplit prepared = ReadPairsWithGenome(po);
  ASSERT_EQ(prepared.pairs.size(), want.size());
  for (const Pair& p : prepared.pairs)
    got.emplace_back(p.cell_line + ":" + std::to_string(p.label),
                prepared.seqs.enhancers.at(p.enhancer) + "|" + prepared.seqs.promoters.at(p.promoter));
  std::sort(want.begin(), want.end());
  std::sort(got.begin(), got.end());
  EXPECT_TRUE(got == want);

  // The BED files name every element at its coordinates.
  Genome genome(dir.Join("genome.fa"));
  std::map<std::string, std::string> seqs;
  for (const SequenceSplit* s : {&r.data.train, &r.data.val, &r.data.test}) {
    seqs.insert(s->seqs.enhancers.begin(), s->seqs.enhancers.end());
    seqs.insert(s->seqs.promoters.begin(), s->seqs.promoters.end());
  }
  for (const char* bed : {"enhancers.bed", "promoters.bed"}) {
    const auto elements = ReadBed(dir.Join(bed));
    EXPECT_EQ(elements.size(), 600u);
    for (const auto& e : elements) ASSERT_EQ(genome.Fetch(e.chrom, e.start, e.end), seqs.at(e.name));
  }
}

TEST(SimulatedGenome, SameSeedSameGenome) {
  TempDir a, b;
  const SimulationResult r = GenerateSimulation(SimulationPreset("tiny"));
  WriteSimulatedGenome(r, a.path());
  WriteSimulatedGenome(r, b.path());
  for (const char* f : {"genome.fa", "enhancers.bed", "promoters.bed", "pairs.bedpe"})
    EXPECT_EQ(ReadFile(a.Join(f)), ReadFile(b.Join(f))) << f;
}

}  // namespace prism
