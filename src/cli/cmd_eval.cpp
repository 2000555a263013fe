// `prism eval PRED.csv`: the result table (overall + per cell line) of any predictions file.
#include <cstdio>
#include <iostream>

#include "cli/command.h"
#include "prism/metric.h"
#include "prism/predictions.h"
#include "prism/run_folder.h"
#include "prism/atomic_file.h"
#include "prism/error.h"

namespace prism::cli {

void RegisterEval(CLI::App& app) {
  struct Args {
    std::string input, json, markdown, scores = "probability";
  };
  auto args = std::make_shared<Args>();
  auto* cmd = app.add_subcommand(
      "eval",
      "score a predictions file (columns label,score; optional cell_line): AUPR, AUC, F1, "
      "recall, precision at the F1-best threshold, accuracy, ECE, Brier, overall and per cell line");
  cmd->add_option("predictions", args->input, "predictions CSV (.csv or .csv.gz, - = stdin)")
      ->required();
  cmd->add_option("--json", args->json, "also write the metric table as JSON here");
  cmd->add_option("--markdown", args->markdown, "also write the Markdown table here");
  cmd->add_option("--scores", args->scores,
                  "what the score column holds: probability (checked to be in [0, 1]) or logit "
                  "(the sigmoid is applied)")
      ->check(CLI::IsMember({"probability", "logit"}))
      ->capture_default_str();
  cmd->callback([args] {
    Predictions p = ReadPredictions(
        args->input, args->scores == "logit" ? ScoreScale::kLogit : ScoreScale::kProbability);
    if (p.size() == 0)
      throw InputError(args->input, 1, 0, "no rows: expected at least one scored pair after the header");
    metric::MetricTable table = metric::ComputeTable(p.label, p.score, p.cell_line);
    std::string md = metric::ToMarkdown(table);
    if (!args->json.empty()) WriteJsonFile(args->json, metric::ToJson(table));
    if (!args->markdown.empty()) WriteFileAtomic(args->markdown, md);
    std::cout << md;
    const metric::MetricRow& o = table.overall;
    char line[256];
    std::snprintf(line, sizeof line,
                  "\noverall: %ld positives of %ld; accuracy %.4f at threshold %.2f; "
                  "ECE (15 bins) %.4f; Brier %.4f\n",
                  o.positives, o.n, o.accuracy, o.threshold, o.ece, o.brier);
    std::cout << line;
  });
}

}  // namespace prism::cli
