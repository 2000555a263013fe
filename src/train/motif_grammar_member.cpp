// train/motif_grammar_member.cpp - model.ensemble = "motif_grammar": for sequence data, a
// logistic regression on the motif-pair grammar of the motifs the tool finds in the training
// elements, its probability averaged with the network's at scoring (train/xgboost_model.h).
//
// The motifs are found de novo in each stream's training elements (prism/motif_discovery.h: the
// most over-represented 8-mer seeds a PWM, EM over its sites refines it, its sites are masked and
// the next motif is sought in the rest; at most model.motif_grammar_motifs per stream; a seed must
// be over-represented in at least two training cell lines; a motif and its reverse complement are
// one). Each element is scanned on both strands with its stream's PWMs (sim/reference_learner.h's
// PwmScanner), the site counts are capped at 2, and an L2 logistic regression is fitted on the
// enhancer-motif x promoter-motif count products plus the single counts - the simulator's
// motif-informed reference learner, with the motifs found in the training data instead of given.
//
// Two site models (model.motif_grammar_sites; "select" fits both and keeps the one of higher
// validation AUPR):
//   - "hard": hard-site EM in discovery, and a site is a window at or above a background p-value
//     threshold (the strictest of the reference grid that a background element passes with at
//     most 0.1 false sites, chosen on validation with the L2 strength);
//   - "posterior": posterior-weighted EM in discovery, and an element's count of a motif is its
//     expected number of sites under a prior of 0.1 sites per background element
//     (PwmScanner::ExpectedSites) - a degenerate motif's sites count where a threshold near its
//     best score misses them.
// Measured in experiments/site-rules.md. The L2 strength is chosen on the validation split
// (held-out cell lines with data.val_cells; the plain AUPR), else on every fifth training pair.
//
// Discovery's EM background (model.motif_grammar_background): "uniform", "composition" (each
// stream's own strand-symmetric base composition), or "average": the site model chosen above is
// fitted once more on motifs found against the composition, and the member's logit is the mean of
// the two grammars' logits (experiments/member-candidate-average.md). With
// model.motif_grammar_wide_flank = N > 0 the chosen site model is also fitted on motifs whose
// PWMs could grow N columns beyond the seed on each side (instead of 2), on each background, and
// all the grammars' logits are averaged (experiments/wide-flank-average.md). The file is written
// and read in train/motif_grammar_file.cpp.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <exception>
#include <thread>
#include <utility>

#include "prism/atomic_file.h"
#include "prism/error.h"
#include "prism/log.h"
#include "prism/motif_discovery.h"
#include "prism/run_records.h"
#include "prism/tokenizer.h"
#include "sim/reference_learner.h"
#include "train/motif_grammar_model.h"
#include "train/training_session.h"
#include "train/xgboost_model.h"

namespace prism::train {

namespace {

constexpr const char* kGrammarFile = "checkpoints/ensemble.motif_grammar.json";
/// A seed must be over-represented (z >= 3) in at least two training cell lines: a shortcut k-mer
/// planted in one cell line's positives is not a motif of the grammar.
constexpr double kMemberMinCellZ = 3.0;
constexpr size_t kMemberMinCells = 2;

/// At most this many false sites per motif in a background element of the training elements'
/// mean length: looser site thresholds count base composition (e.g. a GC shift of the training
/// positives) as sites, which validation on training-like cell lines rewards and unseen cell
/// lines do not (experiments/motif-grammar.md).
constexpr double kMaxFalseSitesPerElement = 0.1;

/// The site p-values the member may choose from: those of the reference grid (1e-3, 1e-4, 1e-5)
/// at which a background element of the training elements' mean length (both strands) holds at
/// most kMaxFalseSitesPerElement false sites; the strictest when none does. Recorded in `rec`.
double MeanElementLength(const Dataset& train) {
  double bases = 0;
  for (const auto* tokens : {&train.e_tokens, &train.p_tokens})
    for (const auto& t : *tokens) bases += static_cast<double>(NumBases(t.size()));
  return bases / static_cast<double>(std::max<size_t>(1, train.e_tokens.size() + train.p_tokens.size()));
}

std::vector<double> SitePValues(const Dataset& train, Json* rec) {
  const double mean_length = MeanElementLength(train);
  std::vector<double> out;
  for (double p : sim::ReferencePValues())
    if (2 * mean_length * p <= kMaxFalseSitesPerElement) out.push_back(p);
  if (out.empty()) out.push_back(sim::ReferencePValues().back());
  (*rec)["site_p_values"] = out;
  (*rec)["mean_element_length"] = JsonNumber(mean_length);
  (*rec)["max_false_sites_per_element"] = kMaxFalseSitesPerElement;
  return out;
}

/// Posterior sites: the prior probability that one window on one strand is a site,
/// kMaxFalseSitesPerElement over the windows of both strands of an element of the training
/// elements' mean length - a motif's expected site count in a background element is then at most
/// kMaxFalseSitesPerElement, whatever its information content. Recorded in `rec`.
double SitePrior(const Dataset& train, Json* rec) {
  const double mean_length = MeanElementLength(train);
  const double prior = std::min(0.5, kMaxFalseSitesPerElement / (2 * std::max(1.0, mean_length)));
  (*rec)["site_prior"] = JsonNumber(prior);
  (*rec)["mean_element_length"] = JsonNumber(mean_length);
  (*rec)["max_false_sites_per_element"] = kMaxFalseSitesPerElement;
  return prior;
}

/// At most this many bases go into one stream's discovery (an even subset of the sequences
/// beyond it); the transfer benchmark's largest stream holds 5.7 million.
constexpr double kMaxDiscoveryBases = 8e6;

/// The motifs of one stream: one sequence per (element, training cell line) it is paired in,
/// grouped by the cell line. `record` receives how many sequences were used (of how many),
/// `specific` the seeds enriched in too few cell lines.
std::vector<DiscoveredMotif> StreamMotifs(const Dataset& train,
                                          const std::vector<std::vector<int32_t>>& tokens,
                                          const std::vector<int32_t>& element_of_pair,
                                          const MotifDiscoveryOptions& base, Json* record,
                                          Json* specific) {
  std::vector<std::string> seqs;
  MotifDiscoveryOptions opt = base;
  opt.min_group_z = kMemberMinCellZ;
  opt.min_groups = kMemberMinCells;
  const std::vector<size_t> pairs = FirstPairPerElementAndCell(train, element_of_pair);
  double bases = 0;
  for (size_t i : pairs)
    bases += static_cast<double>(NumBases(tokens[static_cast<size_t>(element_of_pair[i])].size()));
  // Discovery scans all its sequences ~10 times per motif: above kMaxDiscoveryBases an even
  // subset (every step-th sequence, in pair order) keeps its time bounded on large data.
  const size_t step = static_cast<size_t>(std::ceil(bases / kMaxDiscoveryBases));
  for (size_t j = 0; j < pairs.size(); j += std::max<size_t>(1, step)) {
    const size_t i = pairs[j];
    seqs.push_back(Detokenize(tokens[static_cast<size_t>(element_of_pair[i])]));
    opt.groups.push_back(static_cast<int>(train.cell[i]));
  }
  (*record)["sequences"] = seqs.size();
  (*record)["sequences_available"] = pairs.size();
  std::vector<std::string_view> views(seqs.begin(), seqs.end());
  if (opt.composition_background) {
    const auto bg = StrandSymmetricComposition(views);
    (*record)["composition"] = {{"A", JsonNumber(bg[0])}, {"C", JsonNumber(bg[1])},
                               {"G", JsonNumber(bg[2])}, {"T", JsonNumber(bg[3])}};
  }
  std::vector<DiscoveredMotif> skipped;
  auto found = DiscoverMotifs(views, opt, &skipped);
  for (const auto& m : skipped)
    specific->push_back({{"seed", m.seed}, {"z", JsonNumber(m.z)}, {"cells_enriched", m.groups_enriched}});
  return found;
}

/// Free columns discovery lets a PWM grow on each side of its seed: MotifDiscoveryOptions' own.
const int kDiscoveryFlank = MotifDiscoveryOptions{}.pad;

/// One candidate site model: its motifs (discovery with hard or posterior EM), its counts, its
/// fit, and its record. `g.enhancer` or `g.promoter` empty: nothing found, nothing fitted.
struct GrammarCandidate {
  MotifGrammarModel g;
  Json discovery;
  double seconds = 0;
};

GrammarCandidate FitCandidate(const TrainConfig& c, const Data& data, bool posterior,
                              bool composition, int flank, int threads) {
  const auto t0 = std::chrono::steady_clock::now();
  GrammarCandidate out;
  MotifGrammarModel& g = out.g;
  g.sites = posterior ? "posterior" : "hard";
  g.background = composition ? "composition" : "uniform";
  MotifDiscoveryOptions opt;
  opt.max_motifs = static_cast<size_t>(c.model.motif_grammar_motifs);
  opt.min_z = c.model.motif_grammar_min_z;
  opt.posterior_em = posterior;
  opt.composition_background = composition;
  opt.pad = flank;
  g.flank = flank;
  Json& discovery = out.discovery;
  discovery = {{"k", opt.k},
               {"min_z", opt.min_z},
               {"max_motifs", opt.max_motifs},
               {"em", posterior ? "posterior" : "hard"},
               {"background", g.background},
               {"flank", flank},
               {"min_cell_z", kMemberMinCellZ},
               {"min_cells", kMemberMinCells}};
  // The two streams are discovered in parallel when there are threads to spare (the same
  // motifs either way: each stream's discovery is deterministic).
  const std::vector<std::vector<int32_t>>* tokens[2] = {&data.train.e_tokens, &data.train.p_tokens};
  const std::vector<int32_t>* element_of_pair[2] = {&data.train.e_idx, &data.train.p_idx};
  std::vector<DiscoveredMotif> found[2];
  Json used[2] = {Json::object(), Json::object()}, specific[2] = {Json::array(), Json::array()};
  std::exception_ptr failed[2];
  auto discover = [&](int s) {
    try {
      found[s] = StreamMotifs(data.train, *tokens[s], *element_of_pair[s], opt, &used[s], &specific[s]);
    } catch (...) {
      failed[s] = std::current_exception();
    }
  };
  if (threads >= 2) {
    std::thread promoter(discover, 1);
    discover(0);
    promoter.join();
  } else {
    discover(0);
    discover(1);
  }
  for (int s = 0; s < 2; ++s) {
    if (failed[s]) std::rethrow_exception(failed[s]);
    const std::string key = s == 0 ? "enhancer" : "promoter";
    Json rows = Json::array();
    for (const DiscoveredMotif& m : found[s]) {
      (s == 0 ? g.enhancer_names : g.promoter_names).push_back(m.consensus);
      (s == 0 ? g.enhancer : g.promoter).push_back(m.freq);
      rows.push_back({{"consensus", m.consensus},
                      {"seed", m.seed},
                      {"z", JsonNumber(m.z)},
                      {"cells_enriched", m.groups_enriched},
                      {"sites", m.sites}});
    }
    discovery[key] = rows;
    discovery[key + "_sequences"] = used[s];
    discovery[key + "_cell_specific"] = specific[s];
  }
  if (!g.enhancer.empty() && !g.promoter.empty()) {
    std::vector<double> p_values = {kUnusedSitePValue};
    if (posterior) g.site_prior = SitePrior(data.train, &discovery);
    else p_values = SitePValues(data.train, &discovery);
    const sim::MotifSiteCounts train = MotifGrammarSiteCounts(g, p_values, data.train, threads);
    sim::MotifSiteCounts val;
    if (data.has_val) val = MotifGrammarSiteCounts(g, p_values, data.val, threads);
    const size_t levels = posterior ? 1 : p_values.size();
    g.fit = sim::FitMotifPairModel(train, data.has_val ? &val : nullptr,
                                   static_cast<int>(g.enhancer.size()),
                                   static_cast<int>(g.promoter.size()), levels);
    if (!posterior) g.p_value = p_values[g.fit.level];
  }
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return out;
}

/// The further discovery variants (composition background?, flank) whose grammars the member
/// averages with the chosen one, which has the first background of `background` and flank 2:
/// under "average" the composition background at flank 2, then with `wide_flank` > 0 each
/// background at that flank.
std::vector<std::pair<bool, int64_t>> AveragedVariants(const std::string& background,
                                                       int64_t wide_flank) {
  std::vector<bool> backgrounds = {background == "composition"};
  if (background == "average") backgrounds.push_back(true);
  std::vector<std::pair<bool, int64_t>> out;
  for (int64_t flank : {int64_t{kDiscoveryFlank}, wide_flank}) {
    if (flank == 0) continue;
    for (bool comp : backgrounds)
      if (!(flank == kDiscoveryFlank && comp == backgrounds.front())) out.emplace_back(comp, flank);
  }
  return out;
}

/// A candidate's line in run.json `derived.ensemble.candidates`.
Json CandidateJson(const GrammarCandidate& k) {
  const MotifGrammarModel& g = k.g;
  Json j = {{"sites", g.sites},
            {"background", g.background},
            {"flank", g.flank},
            {"enhancer_motifs", g.enhancer.size()},
            {"promoter_motifs", g.promoter.size()},
            {"seconds", JsonNumber(k.seconds)}};
  if (g.enhancer.empty() || g.promoter.empty()) {
    j["fitted"] = false;
    return j;
  }
  j["fitted"] = true;
  if (g.sites == "hard") j["p_value"] = g.p_value;
  else j["site_prior"] = JsonNumber(g.site_prior);
  j["l2"] = g.fit.l2;
  j["selection_aupr"] = JsonNumber(g.fit.selection_aupr);
  return j;
}

/// run.json `derived.ensemble` for the fitted member `g` (its file just written to `dir`).
Json MemberRecord(const MotifGrammarModel& g, const std::string& dir, const Json& discovery) {
  const CheckpointRecord file = DescribeCheckpoint(dir, kGrammarFile, 0);
  const size_t me = g.enhancer.size(), mp = g.promoter.size();
  Json rec = {{"member", "motif_grammar"},
              {"weight", 0.5},
              {"combine_rule", "standardised_logits"},
              {"gate", "val"},
              {"combine",
               "the network's and the motif grammar's logits, each standardised with its mean and "
               "sd on the validation split (else 2000 training pairs), averaged, on the network's "
               "logit scale"},
              {"enhancer_motifs", g.enhancer_names},
              {"promoter_motifs", g.promoter_names},
              {"features", me * mp + me + mp},
              {"sites", g.sites},
              {"background", g.background},
              {"l2", g.fit.l2},
              {"selected_on", g.fit.selected_on},
              {"selection_aupr", JsonNumber(g.fit.selection_aupr)},
              {"discovery", discovery},
              {"rounds", 0},
              {"file", file.file},
              {"bytes", file.bytes},
              {"hash", file.hash}};
  if (g.sites == "posterior") rec["site_prior"] = JsonNumber(g.site_prior);
  else rec["p_value"] = g.p_value;
  return rec;
}

void LogMember(const MotifGrammarModel& g, size_t candidates, double seconds) {
  char site[64];
  if (g.sites == "posterior") std::snprintf(site, sizeof site, "expected sites (prior %.3g)", g.site_prior);
  else std::snprintf(site, sizeof site, "site p-value %g", g.p_value);
  std::string averaged;
  for (const MotifGrammarModel& a : g.averaged)
    averaged += (averaged.empty() ? "; averaged with the grammars of " : ", ") +
                std::to_string(a.enhancer.size()) + " x " + std::to_string(a.promoter.size()) +
                " motifs (" + a.background + " background, flank " + std::to_string(a.flank) + ")";
  char line[1024];
  std::snprintf(line, sizeof line,
                "ensemble member: motif grammar of %zu enhancer x %zu promoter motifs found in the "
                "training elements (%s EM, %s background), %s, L2 %g (chosen on %s, AUPR %.4f; of "
                "%zu candidates)%s, %.1f s",
                g.enhancer.size(), g.promoter.size(), g.sites.c_str(), g.background.c_str(), site,
                g.fit.l2, g.fit.selected_on.c_str(), g.fit.selection_aupr, candidates, averaged.c_str(),
                seconds);
  Log::Info(line);
}

}  // namespace

Json FitMotifGrammarMember(const TrainConfig& c, const Data& data, const std::string& dir,
                           int threads) {
  const auto t0 = std::chrono::steady_clock::now();
  threads = std::max(1, threads);
  // The candidates: model.motif_grammar_sites names one, or "select" fits both and keeps the one
  // of higher validation AUPR. The plain AUPR: under the validation split's GC-balance weights
  // (train.select_balanced) the L2 choice fell to weak regularisation and the member lost
  // 0.02-0.03 on two transfer settings (experiments/site-rules.md).
  const std::string& rule = c.model.motif_grammar_sites;
  const std::string& background = c.model.motif_grammar_background;
  const bool composition = background == "composition";
  std::vector<GrammarCandidate> candidates;
  if (rule != "posterior")
    candidates.push_back(FitCandidate(c, data, false, composition, kDiscoveryFlank, threads));
  if (rule != "hard")
    candidates.push_back(FitCandidate(c, data, true, composition, kDiscoveryFlank, threads));
  Json tried = Json::array();
  const GrammarCandidate* best = nullptr;
  for (const GrammarCandidate& k : candidates) {
    tried.push_back(CandidateJson(k));
    if (k.g.enhancer.empty() || k.g.promoter.empty()) continue;
    if (!best || k.g.fit.selection_aupr > best->g.fit.selection_aupr) best = &k;
  }
  if (!best) {
    // No grammar to fit: the run is the network alone (predict reads the record and says so).
    const MotifGrammarModel& g = candidates.front().g;
    const std::string why = "motif discovery found " + std::to_string(g.enhancer.size()) +
                            " enhancer and " + std::to_string(g.promoter.size()) +
                            " promoter motifs in the training elements; the grammar needs at "
                            "least one of each";
    Log::Warning("ensemble member: not fitted - " + why + "; the run scores with the network alone");
    return {{"member", "motif_grammar"},
            {"skipped", why},
            {"discovery", candidates.front().discovery},
            {"candidates", tried}};
  }
  MotifGrammarModel g = best->g;
  // The chosen site model once more on each further discovery variant; the member averages all
  // the grammars' logits.
  Json averaged = Json::array();
  for (const auto& [comp, flank] : AveragedVariants(background, c.model.motif_grammar_wide_flank)) {
    const GrammarCandidate other = FitCandidate(c, data, g.sites == "posterior", comp,
                                                static_cast<int>(flank), threads);
    Json a = CandidateJson(other);
    a["discovery"] = other.discovery;
    if (a["fitted"].get<bool>()) {
      a["enhancer_motifs"] = other.g.enhancer_names;
      a["promoter_motifs"] = other.g.promoter_names;
      g.averaged.push_back(other.g);
    } else {
      Log::Warning("ensemble member: the grammar of motifs found against the " +
                   other.g.background + " background with " + std::to_string(flank) +
                   " flank columns has no motifs in one stream; it is left out of the average");
    }
    averaged.push_back(std::move(a));
  }
  WriteFileAtomic(dir + "/" + kGrammarFile, MotifGrammarFileJson(g).dump() + "\n");
  Json rec = MemberRecord(g, dir, best->discovery);
  rec["sites_rule"] = rule;
  rec["background_rule"] = background;
  rec["candidates"] = tried;
  rec["wide_flank"] = c.model.motif_grammar_wide_flank;
  if (!averaged.empty()) rec["averaged"] = averaged;
  rec["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  LogMember(g, candidates.size(), rec["seconds"].get<double>());
  return rec;
}

}  // namespace prism::train
