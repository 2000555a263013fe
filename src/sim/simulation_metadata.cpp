// simulation.json (sim/simulation_metadata.h; fields in docs/simulator.md and docs/run-folder.md).
#include "sim/simulation_metadata.h"

namespace prism::sim {
namespace {

Json SummaryJson(const OracleSummary& s) {
  Json j;
  j["pairs"] = s.pairs;
  j["positives"] = s.positives;
  j["positive_rate"] = JsonNumber(s.positive_rate);
  j["mean_p_true"] = JsonNumber(s.mean_p_true);
  j["aupr_true"] = JsonNumber(s.aupr_true);
  j["aupr_env_blind"] = JsonNumber(s.aupr_env_blind);
  j["aupr_shortcut"] = JsonNumber(s.aupr_shortcut);
  j["aupr_reference"] = JsonNumber(s.aupr_reference);
  return j;
}

Json ReferenceJson(const ReferenceLearnerResult& r) {
  Json j;
  j["method"] =
      "given the true PWMs: both strands scanned (log-odds vs a uniform background, site = "
      "window at or above the background p-value threshold), counts capped at 2; L2 logistic "
      "regression on the enhancer-motif x promoter-motif count products plus the single counts, "
      "fitted on train; p-value and L2 strength chosen by AUPR on the selection set";
  j["p_value"] = r.p_value;
  j["l2"] = r.l2;
  j["p_value_grid"] = ReferencePValues();
  j["l2_grid"] = ReferenceL2Grid();
  j["selected_on"] = r.selected_on;
  j["selection_aupr"] = JsonNumber(r.selection_aupr);
  j["features"] = r.features;
  return j;
}

}  // namespace

Json SimulationMetadata(const SimulationResult& result, const std::vector<Motif>& motifs,
                        const Grammar& grammar, const ReferenceLearnerResult& reference) {
  const SimulationOptions& options = result.options;
  Json meta;
  meta["format"] = "prism-simulation/1";
  meta["preset"] = options.preset;
  meta["seed"] = options.seed;
  meta["options"] = SimulationOptionsToJson(options);
  Json jm = Json::array();
  for (size_t i = 0; i < motifs.size(); ++i) {
    Json m;
    m["id"] = i;
    m["consensus"] = motifs[i].consensus;
    m["pwm"] = motifs[i].pwm;
    jm.push_back(m);
  }
  meta["motifs"] = jm;
  Json jg = Json::array();
  for (int i = 0; i < grammar.num_motifs; ++i)
    for (int j = 0; j < grammar.num_motifs; ++j)
      if (grammar.at(i, j) != 0.0)
        jg.push_back({{"enhancer_motif", i}, {"promoter_motif", j}, {"weight", grammar.at(i, j)}});
  meta["grammar"] = jg;
  meta["temperature"] = options.temperature;
  meta["p_true"] = "sigmoid((U_c - r_c) / T) with the pair's own cell c";
  meta["p_env_blind"] =
      "mean over the training cells c' (uniform) of sigmoid((U_c' - r_c') / T), U_c' computed "
      "from the pair's planted motifs; the cell of the pair is not used";
  meta["shortcut_score"] =
      "1 if the enhancer contains any train cell's shortcut k-mer, plus the GC fraction of "
      "enhancer and promoter; aupr_shortcut is its AUPR (a learner that only knows the shortcuts)";
  meta["reference_learner"] = ReferenceJson(reference);
  Json jc = Json::array();
  for (size_t c = 0; c < result.cells.size(); ++c) {
    const SimulatedCell& info = result.cells[c];
    Json j = SummaryJson(result.per_cell[c]);
    j["name"] = info.name;
    j["split"] = info.split;
    j["resistance"] = info.resistance;
    j["target_positive_rate"] = info.target_positive_rate;
    j["activity"] = info.activity;
    j["shortcut_kmer"] = info.shortcut_kmer;
    j["gc_shift"] = info.gc_shift;
    jc.push_back(j);
  }
  meta["cells"] = jc;
  Json js = Json::object();
  for (const OracleSummary& s : result.splits) {
    Json j = SummaryJson(s);
    Json per = Json::object();
    for (const OracleSummary& c : result.per_cell)
      if (c.split == s.name) per[c.name] = SummaryJson(c);
    j["per_cell"] = per;
    js[s.name] = j;
  }
  meta["splits"] = js;
  return meta;
}

}  // namespace prism::sim
