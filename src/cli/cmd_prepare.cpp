// prism prepare: coordinates + genome FASTA -> domain-kl layout.
#include <iostream>

#include "cli/command.h"
#include "prism/prepare.h"
#include "prism/split.h"

namespace prism::cli {

void RegisterPrepare(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "prepare",
      "fetch enhancer/promoter sequences for BEDPE or BENGI-style pairs from an indexed genome "
      "FASTA and write the domain-kl layout");
  struct Args {
    PrepareOptions opt;
    std::string test_cells, val_cells, test_chroms, val_chroms;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("--pairs", args->opt.pairs_path,
                  "pairs: BEDPE (tab: chrom1 start1 end1 chrom2 start2 end2 label cell_line; "
                  "0-based, end-exclusive) or CSV/TSV with enh_name,prom_name,label,celltype "
                  "(names 'chr:start-end|...')")
      ->required();
  cmd->add_option("--genome", args->opt.genome_path,
                  "genome FASTA (plain or bgzip); GENOME.fai is built when absent")
      ->required();
  cmd->add_option("--out", args->opt.out_dir, "output folder (domain-kl layout)")->required();
  cmd->add_option("--test-cells", args->test_cells, "comma-separated test cell lines");
  cmd->add_option("--val-cells", args->val_cells, "comma-separated validation cell lines");
  cmd->add_option("--test-chroms", args->test_chroms, "comma-separated test chromosomes");
  cmd->add_option("--val-chroms", args->val_chroms, "comma-separated validation chromosomes");
  cmd->add_option("--max-enhancer", args->opt.max_enhancer,
                  "centre-crop enhancers to this many bp (0 = no crop)")
      ->capture_default_str();
  cmd->add_option("--max-promoter", args->opt.max_promoter,
                  "centre-crop promoters to this many bp (0 = no crop)")
      ->capture_default_str();
  cmd->add_option("--min-enhancer", args->opt.min_enhancer,
                  "widen shorter enhancers around their centre to this many bp")
      ->capture_default_str();
  cmd->add_option("--min-promoter", args->opt.min_promoter,
                  "widen shorter promoters (e.g. single-base TSS) around their centre")
      ->capture_default_str();
  cmd->add_flag("--force", args->opt.force, "replace an existing layout in --out");
  cmd->callback([args] {
    args->opt.split =
        MakeSplitSpec(args->test_cells, args->val_cells, args->test_chroms, args->val_chroms);
    PrepareSummary s = PrepareDataset(args->opt);
    std::cout << "prepared " << s.pairs << " pairs (" << s.format << "): " << s.enhancers
              << " enhancers, " << s.promoters << " promoters; train " << s.train << ", val "
              << s.val << ", test " << s.test << " -> " << args->opt.out_dir << std::endl;
  });
}

}  // namespace prism::cli
