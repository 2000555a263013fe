#include "prism/report.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "html_check.h"
#include "prism/atomic_file.h"
#include "prism/reflect.h"
#include "prism/run_folder.h"
#include "test_util.h"

namespace prism {
namespace {

namespace fs = std::filesystem;

/// A writable copy of tests/fixtures/run_small (written by tests/fixtures/make_run_small.py).
std::string CopyFixture(const TempDir& d) { return d.CopyFixture("run_small"); }

/// The markup of the <svg> element with this id ("" when absent).
std::string SvgById(const std::string& html, const std::string& id) {
  size_t at = html.find("id=\"" + id + "\"");
  if (at == std::string::npos) return "";
  size_t start = html.rfind("<svg", at);
  size_t end = html.find("</svg>", at);
  return html.substr(start, end + 6 - start);
}

TEST(Report, FixturePageHasEveryPlotAndIsBalanced) {
  std::string html = RenderReport(std::string(PRISM_FIXTURES) + "/run_small");
  EXPECT_EQ(CheckTagBalance(html), "");
  EXPECT_EQ(CountOf(html, "<svg "), kReportPlotIds.size());
  EXPECT_EQ(CountOf(html, "<svg "), CountOf(html, "</svg>"));
  for (const auto& id : kReportPlotIds) {
    std::string svg = SvgById(html, id);
    ASSERT_FALSE(svg.empty()) << id;
    EXPECT_NE(svg.find("<title>"), std::string::npos) << id;
    EXPECT_EQ(svg.find("not available"), std::string::npos) << id;
  }
  // Curves: one polyline per loss component; PR and ROC per cell line plus overall.
  std::string losses = SvgById(html, "plot-training-losses");
  for (const char* c : {"task", "prototype", "contrastive", "orthogonality", "adversarial", "total"})
    EXPECT_NE(losses.find(std::string("loss-") + c), std::string::npos) << c;
  std::string prroc = SvgById(html, "plot-pr-roc");
  for (const char* c : {"pr curve-GM12878", "roc curve-K562", "pr curve-overall"})
    EXPECT_NE(prroc.find(c), std::string::npos) << c;
  EXPECT_NE(prroc.find("K562  AUPR 0.569  AUC 0.677  N=150"), std::string::npos);
  EXPECT_NE(SvgById(html, "plot-per-cell-aupr").find("N=150"), std::string::npos);
  EXPECT_NE(SvgById(html, "plot-reliability").find("ECE 0.289"), std::string::npos);
  // Tables and verdict.
  EXPECT_NE(html.find("<td class=\"l\">K562</td><td>0.5694</td>"), std::string::npos);
  EXPECT_NE(html.find("id=\"qc-decision\">FAIL<"), std::string::npos);
  EXPECT_NE(html.find("<li><code>train_val_gap/gap</code>: train-val AUPR gap 0.172 &gt; "
                      "0.15 (overfitting)</li>"),
            std::string::npos);
  EXPECT_NE(html.find("All findings (4)"), std::string::npos);
  EXPECT_NE(html.find("3f9a1c07d2b4e815"), std::string::npos);  // data hash
  // Self-contained: no scripts, no external resources.
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(CountOf(html, "http"), CountOf(html, "http://www.w3.org/2000/svg"));
}

TEST(Report, SaysWhenValidationSharesTrainingCellLines) {
  TempDir d;
  std::string run = CopyFixture(d);
  const std::string sentence = "it measures fit, not transfer to unseen cell lines";
  EXPECT_EQ(RenderReport(run).find(sentence), std::string::npos);
  Json j = ReadJsonFile(run + "/run.json");
  j["data"]["val_cells"] = {"HUVEC", "NHEK"};
  j["data"]["val_shares_train_cells"] = true;
  j["data"]["val_shared_cells"] = {"HUVEC", "NHEK"};
  WriteJsonFile(run + "/run.json", j);
  const std::string html = RenderReport(run);
  EXPECT_EQ(CheckTagBalance(html), "");
  EXPECT_NE(html.find("<p id=\"val-shares-train\"><b>Validation shares cell lines with training "
                      "(HUVEC, NHEK): " + sentence + ".</b></p>"),
            std::string::npos);
}

TEST(Report, PassShowsTheWarningsInsteadOfReasons) {
  TempDir d;
  std::string run = CopyFixture(d);
  // The fixture's verdict turned into a PASS: no reasons, its warning and info findings kept.
  Json qc = ReadJsonFile(run + "/qc/qc.json");
  qc["decision"] = "PASS";
  qc["signature"] = "";
  qc["reasons"] = Json::array();
  Json kept = Json::array();
  for (const auto& f : qc["findings"])
    if (f["severity"] != "fail") kept.push_back(f);
  ASSERT_TRUE(std::any_of(kept.begin(), kept.end(), [](const Json& f) { return f["severity"] == "warning"; }));
  ASSERT_TRUE(std::any_of(kept.begin(), kept.end(), [](const Json& f) { return f["severity"] == "info"; }));
  qc["findings"] = kept;
  WriteJsonFile(run + "/qc/qc.json", qc);
  std::string html = RenderReport(run);
  EXPECT_EQ(CheckTagBalance(html), "");
  EXPECT_NE(html.find("id=\"qc-decision\">PASS<"), std::string::npos);
  EXPECT_EQ(html.find("id=\"qc-reasons\""), std::string::npos);
  size_t at = html.find("<ul id=\"qc-warnings\">");
  ASSERT_NE(at, std::string::npos);
  std::string list = html.substr(at, html.find("</ul>", at) - at);
  for (const auto& f : kept) {
    std::string li = "<code>" + f["rule"].get<std::string>() + "/" + f["code"].get<std::string>() + "</code>";
    EXPECT_EQ(list.find(li) != std::string::npos, f["severity"] == "warning") << li;
  }
  // Nothing to warn about either.
  qc["findings"] = Json::array();
  WriteJsonFile(run + "/qc/qc.json", qc);
  html = RenderReport(run);
  EXPECT_NE(html.find("No failing or warning findings."), std::string::npos);
  EXPECT_EQ(html.find("qc-warnings"), std::string::npos);
}

TEST(Report, ReflectionNotRunThenShown) {
  TempDir d;
  std::string run = CopyFixture(d);
  std::string before = RenderReport(run);
  size_t sec = before.find("<section id=\"reflection\">");
  ASSERT_NE(sec, std::string::npos);
  EXPECT_NE(before.find("not run", sec), std::string::npos);
  WriteReflection(Reflect(RunFolder::Load(run)), run, Lang::kEn);
  std::string after = RenderReport(run);
  EXPECT_NE(after.find("Cell line K562 lies outside the environments"), std::string::npos);
  EXPECT_NE(after.find("raise the adversarial weight 0.050 -&gt; 0.100"), std::string::npos);
  EXPECT_EQ(CheckTagBalance(after), "");
}

TEST(Report, PerCellBarsShowTheSimulationsOraclesAfterReflect) {
  TempDir d;
  std::string run = CopyFixture(d);
  EXPECT_EQ(SvgById(RenderReport(run), "plot-per-cell-aupr").find("oracle-"), std::string::npos);
  d.Write("sim/simulation.json",
          R"({"format": "prism-simulation/1", "splits": {"train": {"aupr_true": 0.9},
              "test": {"aupr_true": 0.8, "aupr_env_blind": 0.7, "positive_rate": 0.3,
                       "per_cell": {"K562": {"aupr_true": 0.75, "aupr_env_blind": 0.65,
                                             "aupr_reference": 0.6}}}}})");
  Json j = ReadJsonFile(run + "/run.json");
  j["data"]["path"] = d.Join("sim");
  WriteJsonFile(run + "/run.json", j);
  WriteReflection(Reflect(RunFolder::Load(run)), run, Lang::kEn);
  std::string svg = SvgById(RenderReport(run), "plot-per-cell-aupr");
  // Only K562 has oracle values: one tick of each kind, and both in the legend.
  EXPECT_EQ(CountOf(svg, "class=\"oracle-true\""), 1u) << svg;
  EXPECT_EQ(CountOf(svg, "class=\"oracle-env-blind\""), 1u);
  EXPECT_NE(svg.find("AUPR(p_true), simulation"), std::string::npos);
  EXPECT_NE(svg.find("AUPR(p_env_blind), simulation"), std::string::npos);
  // The motif-informed reference learner: a tick and a legend entry too.
  EXPECT_EQ(CountOf(svg, "class=\"reference-motif\""), 1u);
  EXPECT_NE(svg.find("AUPR(motif reference), simulation"), std::string::npos);
}

TEST(Report, MissingInputsRenderNotAvailable) {
  TempDir d;
  std::string run = CopyFixture(d);
  fs::remove(run + "/predictions/test.csv");
  fs::remove(run + "/metrics/test.json");
  fs::remove_all(run + "/qc");
  std::string html = RenderReport(run);
  EXPECT_EQ(CheckTagBalance(html), "");
  for (const char* id : {"plot-pr-roc", "plot-reliability", "plot-per-cell-aupr"})
    EXPECT_NE(SvgById(html, id).find("not available"), std::string::npos) << id;
  EXPECT_EQ(SvgById(html, "plot-training-aupr").find("not available"), std::string::npos);
  EXPECT_NE(html.find("no predictions/test.csv"), std::string::npos);
  size_t qc = html.find("<section id=\"qc\">");
  EXPECT_NE(html.find("not run", qc), std::string::npos);

  // An empty folder still renders (every plot says why it is missing).
  TempDir e;
  std::string empty = RenderReport(e.path());
  EXPECT_EQ(CheckTagBalance(empty), "");
  for (const auto& id : kReportPlotIds)
    EXPECT_NE(SvgById(empty, id).find("not available"), std::string::npos) << id;
}

TEST(Report, EscapesTextFromTheRunFolder) {
  TempDir d;
  std::string run = CopyFixture(d);
  Json j = ReadJsonFile(run + "/run.json");
  j["name"] = "<script>alert('x')</script> & co";
  WriteJsonFile(run + "/run.json", j);
  d.Write("run/qc/qc.json", R"({"decision":"FAIL","reasons":["gap <b>0.3</b> \"big\""]})");
  std::string html = RenderReport(run);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"),
            std::string::npos);
  EXPECT_NE(html.find("gap &lt;b&gt;0.3&lt;/b&gt; &quot;big&quot;"), std::string::npos);
  EXPECT_EQ(CheckTagBalance(html), "");
  EXPECT_EQ(report::HtmlEscape("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&#39;");
}

TEST(Report, NonFiniteLossesDoNotBreakThePlot) {
  std::vector<EpochRecord> epochs;
  for (const char* line :
       {R"({"epoch":1,"loss":{"task":0.6,"total":0.7},"train":{"aupr":0.6}})",
        R"({"epoch":2,"loss":{"task":"nan","total":"inf"},"train":{"aupr":0.7}})",
        R"({"epoch":3,"loss":{"task":0.5,"total":0.6},"train":{"aupr":0.8}})"})
    epochs.push_back(EpochRecord::FromJson(Json::parse(line), {"log", 0}, epochs.size()));
  std::string svg = report::TrainingLossesSvg(epochs);
  EXPECT_EQ(CheckTagBalance(svg), "");
  EXPECT_NE(svg.find("[1 non-finite]"), std::string::npos);
  EXPECT_EQ(svg.find("nan\""), std::string::npos);  // no NaN coordinates
  EXPECT_EQ(svg.find("inf"), std::string::npos);
  std::string aupr = report::TrainingAuprSvg(epochs);
  EXPECT_NE(aupr.find("no validation split"), std::string::npos);
}

TEST(Report, BalancedValidationAuprIsPlottedWhereTheLogHasIt) {
  std::vector<EpochRecord> epochs;
  for (const char* line :
       {R"({"epoch":1,"train":{"aupr":0.6},"val":{"aupr":0.7,"aupr_balanced":0.52}})",
        R"({"epoch":2,"train":{"aupr":0.7},"val":{"aupr":0.75,"aupr_balanced":0.5}})"})
    epochs.push_back(EpochRecord::FromJson(Json::parse(line), {"log", 0}, epochs.size()));
  EXPECT_DOUBLE_EQ(epochs[0].SelectionAupr(), 0.52);  // what early stopping compares
  std::string svg = report::TrainingAuprSvg(epochs);
  EXPECT_EQ(CheckTagBalance(svg), "");
  EXPECT_NE(svg.find("val-aupr-balanced"), std::string::npos);
  EXPECT_NE(svg.find("GC-balanced val AUPR"), std::string::npos);
  // A log without the field (train.select_balanced off, older runs): plain val AUPR only.
  epochs.clear();
  epochs.push_back(EpochRecord::FromJson(
      Json::parse(R"({"epoch":1,"train":{"aupr":0.6},"val":{"aupr":0.7}})"), {"log", 0}, 0));
  EXPECT_DOUBLE_EQ(epochs[0].SelectionAupr(), 0.7);
  svg = report::TrainingAuprSvg(epochs);
  EXPECT_NE(svg.find("val-aupr"), std::string::npos);
  EXPECT_EQ(svg.find("val-aupr-balanced"), std::string::npos);
}

TEST(ReportCli, WritesReportAndPrintsItsPath) {
  TempDir d;
  std::string run = CopyFixture(d);
  std::string out;
  ASSERT_EQ(RunCommand(std::string(PRISM_CLI) + " report " + run, &out), 0) << out;
  EXPECT_NE(out.find(run + "/report.html"), std::string::npos);
  EXPECT_EQ(CheckTagBalance(ReadFile(run + "/report.html")), "");
  ASSERT_EQ(RunCommand(std::string(PRISM_CLI) + " report " + run + " --out " + d.Join("x.html"),
                       &out), 0) << out;
  EXPECT_TRUE(fs::exists(d.Join("x.html")));
}

TEST(ReportCli, MalformedLogFailsWithFileLineAndWritesNothing) {
  TempDir d;
  std::string run = CopyFixture(d);
  d.Write("run/train_log.jsonl", "{\"epoch\":1}\n\n{\"epoch\":2,\"loss\":{\"task\":0.5}\n");
  std::string out;
  EXPECT_EQ(RunCommand(std::string(PRISM_CLI) + " report " + run, &out), 1);
  EXPECT_NE(out.find("prism: error: " + run + "/train_log.jsonl:3: invalid JSON"),
            std::string::npos) << out;
  EXPECT_FALSE(fs::exists(run + "/report.html"));
  for (const auto& e : fs::directory_iterator(run))
    EXPECT_EQ(e.path().filename().string().find("report.html"), std::string::npos);
}

TEST(ReportCli, MalformedPredictionsNameFileAndLine) {
  TempDir d;
  std::string run = CopyFixture(d);
  d.Write("run/predictions/test.csv",
          "enhancer,promoter,cell_line,label,score\na,b,K562,1,0.5\na,b,K562,1,oops\n");
  std::string out;
  EXPECT_EQ(RunCommand(std::string(PRISM_CLI) + " report " + run, &out), 1);
  EXPECT_NE(out.find("predictions/test.csv:3:"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(run + "/report.html"));
}

}  // namespace
}  // namespace prism
