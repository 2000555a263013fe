// prism/simulated_genome.h - the coordinates of a simulation: `prism simulate --genome`.
//
// Places the simulated elements on a synthetic genome so that the coordinate path
// (`prism prepare`, `prism score`) runs on data with known ground truth:
//   OUT/genome.fa (+ genome.fa.fai, built by htslib)  one chromosome per cell line, chr1..chrK
//                                                      in the order of simulation.json's cells
//   OUT/enhancers.bed, OUT/promoters.bed               BED4: chrom, start, end, element name
//   OUT/pairs.bedpe                                    the labeled pairs (prism prepare's BEDPE:
//                                                      enhancer, promoter, label, cell line)
//   OUT/chromosomes.tsv                                chrom, length, cell_line, split
// Each pair is one locus: a background gap, then its promoter and enhancer (in random order)
// separated by another gap; gaps are 200..4000 bp of background (GC of the simulation). The
// element sequences are exactly those of the domain-kl layout. The genome has its own random
// stream: the other files of a simulation are the same with or without --genome.
#pragma once

#include <string>

#include "prism/simulate.h"

namespace prism {

/// What WriteSimulatedGenome wrote.
struct SimulatedGenomeSummary {
  size_t chromosomes = 0, enhancers = 0, promoters = 0, pairs = 0;
  long long bases = 0;
};

/// Writes the files above into out_dir (each atomically; the .fai through htslib's fai_build).
SimulatedGenomeSummary WriteSimulatedGenome(const SimulationResult& result,
                                            const std::string& out_dir);

}  // namespace prism
