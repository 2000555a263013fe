// `prism score RUN --genome G.fa --enhancers E.bed --promoters P.bed -o OUT`: genome-wide
// context-aware scoring of a cell line's candidate pairs (prism/score.h, docs/score.md).
#include <cstdio>

#include "cli/command.h"
#include "prism/error.h"
#include "prism/score.h"

namespace prism::cli {

void RegisterScore(CLI::App& app) {
  auto o = std::make_shared<ScoreOptions>();
  auto shard = std::make_shared<std::string>("1/1");
  auto* cmd = app.add_subcommand(
      "score", "score every enhancer-promoter pair within a distance window from BED files and a "
               "genome FASTA (context-aware for the cell line); writes OUT/predictions.tsv.gz, "
               ".bedpe.gz, .interact.bed.gz (bgzip + tabix) and OUT/summary.json");
  cmd->add_option("run", o->run_dir, "run folder written by prism train")->required();
  cmd->add_option("--genome", o->genome, "genome FASTA (plain or bgzip; .fai built when absent)")
      ->required();
  cmd->add_option("--enhancers", o->enhancers, "enhancer BED (chrom start end name; plain or gz)")
      ->required();
  cmd->add_option("--promoters", o->promoters, "promoter BED (chrom start end name; plain or gz)")
      ->required();
  cmd->add_option("-o,--out", o->out_dir, "output folder")->required();
  cmd->add_option("--cell-line", o->cell_line, "name of the cell line (the cell_line column)")
      ->capture_default_str();
  cmd->add_option("--max-distance", o->max_distance, "largest centre distance (bp)")
      ->capture_default_str();
  cmd->add_option("--min-distance", o->min_distance, "smallest centre distance (bp)")
      ->capture_default_str();
  cmd->add_option("--top-k-per-promoter", o->top_k, "write the K best pairs per promoter (0: all)")
      ->capture_default_str();
  cmd->add_option("--min-score", o->min_score, "write only pairs scoring at least S");
  cmd->add_option("--shard", *shard,
                  "I/N: score the I-th of N disjoint blocks of promoters (about 1/N of the "
                  "candidates); the N outputs concatenate to the full result")
      ->capture_default_str();
  cmd->add_flag("--resume", o->resume, "continue an interrupted job in OUT (finished chunks are kept)");
  cmd->add_flag("--skip-missing", o->skip_missing,
                "skip (and count) elements on contigs missing from the genome or beyond their end");
  cmd->add_option("--threads", o->threads, "torch threads (default: all cores)");
  cmd->add_option("--checkpoint", o->checkpoint, "best | last")->capture_default_str();
  cmd->add_flag("--context-free", o->context_free,
                "e_c = uniform mix of the prototypes instead of the cell line's own context");
  cmd->add_flag("--no-calibration", o->no_calibration, "no context calibration of the resistance");
  cmd->add_option("--chunk-size", o->chunk_size, "candidates per chunk (the unit of --resume)")
      ->capture_default_str();
  cmd->add_option("--context-pairs", o->context_pairs,
                  "at most this many candidates (an even sample) estimate the context")
      ->capture_default_str();
  cmd->add_option("--max-enhancer", o->max_enhancer, "centre-crop enhancers (bp), as prepare")
      ->capture_default_str();
  cmd->add_option("--max-promoter", o->max_promoter, "centre-crop promoters (bp), as prepare")
      ->capture_default_str();
  cmd->add_option("--min-enhancer", o->min_enhancer, "widen shorter enhancers (bp), as prepare")
      ->capture_default_str();
  cmd->add_option("--min-promoter", o->min_promoter,
                  "widen shorter promoters (e.g. single-base TSS) around their centre (bp)")
      ->capture_default_str();
  cmd->callback([o, shard] {
    int i = 0, n = 0;
    char extra = 0;
    if (std::sscanf(shard->c_str(), "%d/%d%c", &i, &n, &extra) != 2)
      throw Error("--shard: expected I/N (e.g. 2/8), got '" + *shard + "'");
    o->shard_index = i;
    o->shard_count = n;
    const Json s = ScoreRun(*o);
    std::printf("scored %s pairs (%s written) for %s in %.1f s -> %s\n",
                s.at("scored").dump().c_str(), s.at("written").dump().c_str(),
                o->cell_line.c_str(), s.at("seconds").get<double>(), o->out_dir.c_str());
  });
}

}  // namespace prism::cli
