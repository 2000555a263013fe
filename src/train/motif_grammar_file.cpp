// train/motif_grammar_file.cpp - checkpoints/ensemble.motif_grammar.json: each stream's PWMs
// (`consensus`, `freq` per column A/C/G/T), the site model (`sites` with `p_value` or
// `site_prior`), the EM `background`, discovery's `flank`, `l2`, the logistic regression's `weights` (enhancer x
// promoter products first, then the single counts) and `intercept`; with
// model.motif_grammar_background = "average" or model.motif_grammar_wide_flank the further
// grammars under `averaged`, each in the same form (docs/run-folder.md).
#include "prism/error.h"
#include "train/motif_grammar_model.h"
#include "train/xgboost_model.h"

namespace prism::train {
namespace {

Json PwmJson(const std::vector<std::string>& names, const std::vector<sim::Pwm>& pwms) {
  Json out = Json::array();
  for (size_t m = 0; m < pwms.size(); ++m) {
    Json cols = Json::array();
    for (const auto& col : pwms[m]) cols.push_back({col[0], col[1], col[2], col[3]});
    out.push_back({{"consensus", names[m]}, {"freq", cols}});
  }
  return out;
}

void ReadPwms(const Json& j, std::vector<std::string>* names, std::vector<sim::Pwm>* pwms) {
  for (const Json& m : j) {
    names->push_back(m.at("consensus").get<std::string>());
    sim::Pwm pwm;
    for (const Json& col : m.at("freq"))
      pwm.push_back({col.at(0).get<double>(), col.at(1).get<double>(), col.at(2).get<double>(),
                     col.at(3).get<double>()});
    if (pwm.empty()) throw Error("a motif without columns");
    pwms->push_back(std::move(pwm));
  }
}

/// One grammar of the file (the top level, or an entry of `averaged`); throws Error.
void ReadGrammar(const Json& j, MotifGrammarModel* g) {
  ReadPwms(j.at("enhancer"), &g->enhancer_names, &g->enhancer);
  ReadPwms(j.at("promoter"), &g->promoter_names, &g->promoter);
  // A member file written before posterior sites holds a p-value and no "sites"; one written
  // before the background choice, no "background" (uniform).
  g->sites = j.value("sites", std::string("hard"));
  g->background = j.value("background", std::string("uniform"));
  if (g->background != "uniform" && g->background != "composition")
    throw Error("unknown background '" + g->background + "' (expected \"uniform\" or \"composition\")");
  // Written before the wide flank: discovery's own 2 columns.
  g->flank = j.value("flank", 2);
  if (g->flank < 2 || g->flank > 8) throw Error("flank must lie in 2..8");
  if (g->sites == "hard") {
    g->p_value = j.at("p_value").get<double>();
    if (!(g->p_value > 0 && g->p_value < 1)) throw Error("p_value must lie in (0, 1)");
  } else if (g->sites == "posterior") {
    g->site_prior = j.at("site_prior").get<double>();
    if (!(g->site_prior > 0 && g->site_prior < 1)) throw Error("site_prior must lie in (0, 1)");
  } else {
    throw Error("unknown sites '" + g->sites + "' (expected \"hard\" or \"posterior\")");
  }
  g->fit.l2 = j.at("l2").get<double>();
  g->fit.model.w = j.at("weights").get<std::vector<double>>();
  g->fit.model.intercept = j.at("intercept").get<double>();
  const size_t me = g->enhancer.size(), mp = g->promoter.size();
  if (g->fit.model.w.size() != me * mp + me + mp)
    throw Error(std::to_string(g->fit.model.w.size()) + " weights for " + std::to_string(me) +
                " x " + std::to_string(mp) + " motifs (expected " + std::to_string(me * mp + me + mp) + ")");
  g->fit.enhancer_motifs = static_cast<int>(me);
  g->fit.promoter_motifs = static_cast<int>(mp);
  g->fit.levels = 1;
  g->fit.level = 0;
}

}  // namespace

Json MotifGrammarFileJson(const MotifGrammarModel& g) {
  Json w = Json::array();
  for (double v : g.fit.model.w) w.push_back(v);
  Json file = {{"member", "motif_grammar"},
               {"sites", g.sites},
               {"background", g.background},
               {"flank", g.flank},
               {"l2", g.fit.l2},
               {"saturation", 2},
               {"enhancer", PwmJson(g.enhancer_names, g.enhancer)},
               {"promoter", PwmJson(g.promoter_names, g.promoter)},
               {"weights", w},
               {"intercept", g.fit.model.intercept}};
  if (g.sites == "posterior") file["site_prior"] = g.site_prior;
  else file["p_value"] = g.p_value;
  if (!g.averaged.empty()) {
    file["averaged"] = Json::array();
    for (const MotifGrammarModel& a : g.averaged) file["averaged"].push_back(MotifGrammarFileJson(a));
  }
  return file;
}

std::shared_ptr<const MotifGrammarModel> ParseMotifGrammar(const std::string& text,
                                                           const std::string& source) {
  auto g = std::make_shared<MotifGrammarModel>();
  try {
    const Json j = Json::parse(text);
    ReadGrammar(j, g.get());
    if (j.contains("averaged")) {
      if (!j.at("averaged").is_array()) throw Error("averaged must be an array of grammars");
      for (const Json& a : j.at("averaged")) {
        if (a.contains("averaged")) throw Error("an averaged grammar holds further grammars");
        g->averaged.emplace_back();
        ReadGrammar(a, &g->averaged.back());
      }
    }
  } catch (const std::exception& e) {
    throw InputError(source, 0, 0, std::string("motif grammar member: ") + e.what());
  }
  return g;
}

}  // namespace prism::train
