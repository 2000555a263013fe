// The HTML page of `prism report`: gathers the run folder's files and lays out the sections.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>

#include "prism/atomic_file.h"
#include "prism/error.h"
#include "prism/metric.h"
#include "prism/predictions.h"
#include "prism/report.h"
#include "prism/version.h"

namespace prism {

const std::vector<std::string> kReportPlotIds = {
    "plot-training-losses", "plot-training-aupr", "plot-pr-roc", "plot-reliability",
    "plot-per-cell-aupr"};

namespace report {

std::string HtmlEscape(const std::string& s) {
  std::string o;
  o.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      case '\'': o += "&#39;"; break;
      default: o += c;
    }
  }
  return o;
}

}  // namespace report

namespace {

using report::HtmlEscape;

std::string Fixed(double v, int prec) {
  if (!std::isfinite(v)) return "n/a";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

/// A JSON value as display text (strings unquoted, numbers via the NaN convention).
std::string Text(const Json& j) {
  if (j.is_null()) return "n/a";
  if (j.is_string()) return j.get<std::string>();
  if (j.is_number_float()) return Fixed(j.get<double>(), 4);
  return j.dump();
}

const Json& At(const Json& j, const char* key) {
  static const Json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  return it == j.end() ? kNull : *it;
}

std::string NowUtc() {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

const char* kCss = R"(
body{font-family:-apple-system,"Segoe UI",Helvetica,Arial,"Noto Sans CJK SC",sans-serif;margin:0;
  background:#f4f5f7;color:#222;line-height:1.45}
main{max-width:1200px;margin:0 auto;padding:16px 24px 40px}
header{background:#1f2d3d;color:#fff;padding:18px 24px}
header h1{margin:0 0 4px;font-size:24px} header p{margin:2px 0;color:#cfd8e3;font-size:14px}
nav a{color:#9fd3ff;margin-right:14px;font-size:14px}
section{background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:12px 20px 16px;margin:16px 0}
h2{font-size:19px;margin:6px 0 10px;border-bottom:1px solid #eee;padding-bottom:4px}
table{border-collapse:collapse;font-size:13px;margin:6px 0}
th,td{border:1px solid #d6d9de;padding:4px 9px;text-align:right}
th{background:#f0f2f5} td.l,th.l{text-align:left}
tr.overall td{font-weight:600;background:#fafbfc}
.badge{display:inline-block;padding:3px 12px;border-radius:4px;font-weight:700;color:#fff;font-size:15px}
.PASS{background:#1a7f37}.FAIL{background:#c62828}.none{background:#777}
.plots{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}
svg.plot{max-width:100%;height:auto;background:#fff}
svg text{font-family:inherit;fill:#222} svg text.inside{fill:#fff;font-weight:600}
.hyp{border-left:4px solid #D55E00;padding:4px 12px;margin:8px 0;background:#fffaf5}
.hyp h3{margin:2px 0;font-size:15px} .hyp p{margin:3px 0;font-size:13.5px}
.muted{color:#666} pre{background:#f6f8fa;padding:8px;font-size:12px;overflow:auto;max-height:360px}
)";

/// Everything the page shows, gathered from the run folder.
struct PageData {
  RunFolder run;
  bool has_pred = false, has_metrics = false;
  metric::MetricTable table;
  std::vector<report::CellCurves> curves;
  std::vector<metric::ReliabilityBin> reliability;
  double ece = NAN;
  Json qc, reflect;  // null when absent
  std::optional<ShortcutReliance> reliance;  // shortcut_reliance.json
  std::string metrics_source;
  std::map<std::string, BaselineMetrics> baselines;      // metrics/test.json `baselines`
  std::map<std::string, std::string> baselines_not_applicable;
};

PageData Gather(const std::string& run_dir) {
  PageData d;
  d.run = RunFolder::Load(run_dir);
  Predictions pred;
  if (d.run.Exists("predictions/test.csv")) {
    pred = ReadPredictions(d.run.Path("predictions/test.csv"));
    d.has_pred = pred.size() > 0;
  }
  if (d.run.Exists("metrics/test.json")) {
    Json mj = ReadJsonFile(d.run.Path("metrics/test.json"));
    if (!mj.is_object() || !mj.contains("overall"))
      throw InputError(d.run.Path("metrics/test.json"), 1, 0,
                       "expected an object with \"overall\" (docs/run-folder.md)");
    d.table = metric::TableFromJson(mj);
    const PredictionMetrics pm =
        PredictionMetrics::FromJson(mj, {d.run.Path("metrics/test.json"), 0});
    d.baselines = pm.baselines;
    d.baselines_not_applicable = pm.baselines_not_applicable;
    d.has_metrics = true;
    d.metrics_source = "metrics/test.json";
  } else if (d.has_pred) {
    // The threshold `prism predict` would have used (the best checkpoint's from validation).
    d.table = metric::ComputeTable(pred.label, pred.score, pred.cell_line,
                                   d.run.PredictThresholdPolicy("best"));
    d.has_metrics = true;
    d.metrics_source = "computed from predictions/test.csv (metrics/test.json absent)";
  }
  if (d.has_pred) {
    // One curve per cell line, plus the overall curve when there is more than one cell line.
    std::map<std::string, std::pair<std::vector<int>, std::vector<double>>> groups;
    for (size_t i = 0; i < pred.size(); ++i) {
      auto& g = groups[pred.cell_line.empty() ? "all" : pred.cell_line[i]];
      g.first.push_back(pred.label[i]);
      g.second.push_back(pred.score[i]);
    }
    auto add = [&](const std::string& name, const std::vector<int>& y,
                   const std::vector<double>& s) {
      report::CellCurves c;
      c.name = name;
      c.pr = metric::PrCurve(y, s);
      c.roc = metric::RocCurve(y, s);
      c.aupr = metric::AveragePrecision(y, s);
      c.auc = metric::RocAuc(y, s);
      c.n = static_cast<long>(y.size());
      d.curves.push_back(std::move(c));
    };
    for (const auto& [name, g] : groups) add(name, g.first, g.second);
    if (groups.size() > 1) add("overall", pred.label, pred.score);
    d.reliability = metric::Reliability(pred.label, pred.score, 15);
    d.ece = metric::Ece(pred.label, pred.score, 15);
  }
  if (d.run.Exists("qc/qc.json")) {
    d.qc = ReadJsonFile(d.run.Path("qc/qc.json"));
    if (!d.qc.is_object())
      throw InputError(d.run.Path("qc/qc.json"), 1, 0, "expected a JSON object");
  }
  if (d.run.Exists(kShortcutRelianceFile))
    d.reliance = ReadShortcutReliance(d.run.Path(kShortcutRelianceFile));
  if (d.run.Exists("reflect/reflect.json")) {
    d.reflect = ReadJsonFile(d.run.Path("reflect/reflect.json"));
    if (!d.reflect.is_object())
      throw InputError(d.run.Path("reflect/reflect.json"), 1, 0, "expected a JSON object");
  }
  return d;
}

/// How the table's threshold was chosen, from the rows' `threshold_rule` (docs/metrics.md).
std::string ThresholdNote(const std::string& rule) {
  if (rule == "val")
    return "Threshold = the one chosen on the validation split (train.threshold_rule), applied "
           "unchanged to every row.";
  if (rule == "mcc") return "Threshold = best Matthews correlation over 0.01..0.99 on each row.";
  return "Threshold = best F1 over 0.01..0.99 on each row.";  // "f1" and older files
}

std::string MetricRowHtml(const std::string& name, const metric::MetricRow& r, bool overall) {
  std::ostringstream o;
  o << "<tr" << (overall ? " class=\"overall\"" : "") << "><td class=\"l\">" << HtmlEscape(name)
    << "</td><td>" << Fixed(r.aupr, 4) << "</td><td>" << Fixed(r.auc, 4) << "</td><td>"
    << Fixed(r.f1, 4) << "</td><td>" << Fixed(r.recall, 4) << "</td><td>"
    << Fixed(r.precision, 4) << "</td><td>" << Fixed(r.threshold, 2) << "</td><td>" << r.n
    << "</td><td>" << Fixed(r.ece, 4) << "</td><td>" << Fixed(r.brier, 4) << "</td></tr>\n";
  return o.str();
}

void QcSection(const PageData& d, std::ostream& h) {
  h << "<section id=\"qc\"><h2>QC verdict</h2>\n";
  if (d.qc.is_null()) {
    h << "<p><span class=\"badge none\">not run</span> <span class=\"muted\">no qc/qc.json "
         "(run <code>prism qc</code>)</span></p></section>\n";
    return;
  }
  std::string decision = Text(At(d.qc, "decision"));
  std::string cls = decision == "PASS" || decision == "FAIL" ? decision : "none";
  h << "<p><span class=\"badge " << cls << "\" id=\"qc-decision\">" << HtmlEscape(decision)
    << "</span>";
  if (!At(d.qc, "record_point").is_null())
    h << " record point " << HtmlEscape(Text(At(d.qc, "record_point")));
  const Json& rb = At(d.qc, "rollback");
  if (Text(At(rb, "status")) == "done")
    h << " · rolled back to record point " << HtmlEscape(Text(At(rb, "to")));
  h << "</p>\n";
  // One finding (or a bare string) as a list item: "<code>rule/code</code>: message".
  auto item = [&h](const Json& r) {
    if (!r.is_object()) {
      h << "<li>" << HtmlEscape(Text(r)) << "</li>\n";
      return;
    }
    std::string rule = Text(At(r, "rule"));
    if (!At(r, "code").is_null()) rule += "/" + Text(At(r, "code"));
    const Json& msg = !At(r, "message_en").is_null() ? At(r, "message_en") : At(r, "message");
    h << "<li><code>" << HtmlEscape(rule) << "</code>: " << HtmlEscape(Text(msg)) << "</li>\n";
  };
  const Json& reasons = At(d.qc, "reasons");
  const Json& findings = At(d.qc, "findings");
  if (reasons.is_array() && !reasons.empty()) {
    h << "<p>Reasons:</p><ul id=\"qc-reasons\">\n";
    for (const auto& r : reasons) item(r);
    h << "</ul>\n";
  } else {
    // A PASS: what the inspector still warns about is what a reader should see first.
    std::vector<const Json*> warnings;
    if (findings.is_array())
      for (const auto& f : findings)
        if (f.is_object() && Text(At(f, "severity")) == "warning") warnings.push_back(&f);
    if (warnings.empty()) {
      h << "<p class=\"muted\">No failing or warning findings.</p>\n";
    } else {
      h << "<p>No failing findings. Warnings:</p><ul id=\"qc-warnings\">\n";
      for (const Json* w : warnings) item(*w);
      h << "</ul>\n";
    }
  }
  if (findings.is_array() && !findings.empty()) {
    h << "<details><summary>All findings (" << findings.size() << ")</summary>\n<table>"
      << "<tr><th class=\"l\">rule</th><th class=\"l\">severity</th><th class=\"l\">message"
         "</th></tr>\n";
    for (const auto& f : findings) {
      std::string rule = Text(At(f, "rule"));
      if (!At(f, "code").is_null()) rule += "/" + Text(At(f, "code"));
      const Json& sev = !At(f, "severity").is_null() ? At(f, "severity") : At(f, "status");
      const Json& msg = !At(f, "message_en").is_null() ? At(f, "message_en") : At(f, "message");
      h << "<tr><td class=\"l\">" << HtmlEscape(rule) << "</td><td class=\"l\">"
        << HtmlEscape(Text(sev)) << "</td><td class=\"l\">" << HtmlEscape(Text(msg))
        << "</td></tr>\n";
    }
    h << "</table></details>\n";
  }
  h << "</section>\n";
}

void MetricsSection(const PageData& d, std::ostream& h) {
  h << "<section id=\"metrics\"><h2>Test metrics (unseen cell lines)</h2>\n";
  if (!d.has_metrics) {
    h << "<p class=\"muted\">not available: neither metrics/test.json nor predictions/test.csv "
         "exists (run <code>prism predict</code>)</p></section>\n";
    return;
  }
  h << "<table id=\"metrics-table\"><tr><th class=\"l\">cell line</th><th>AUPR</th><th>AUC</th>"
       "<th>F1</th><th>Recall</th><th>Precision</th><th>Threshold</th><th>N</th><th>ECE</th>"
       "<th>Brier</th></tr>\n"
    << MetricRowHtml("overall", d.table.overall, true);
  for (const auto& [cell, row] : d.table.per_cell) h << MetricRowHtml(cell, row, false);
  h << "</table><p class=\"muted\">Source: " << HtmlEscape(d.metrics_source)
    << ". " << ThresholdNote(d.table.overall.threshold_rule) << "</p>\n";
  if (!d.baselines.empty() || !d.baselines_not_applicable.empty()) {
    h << "<h3>Built-in baselines (same split; thresholds by F1 on the split's own labels)"
         "</h3>\n<table "
         "id=\"baselines-table\"><tr><th class=\"l\">baseline</th><th>AUPR</th><th>AUC</th>"
         "<th>F1</th><th>Recall</th><th>Precision</th><th>Threshold</th><th>N</th><th>ECE</th>"
         "<th>Brier</th></tr>\n"
      << MetricRowHtml("prism (this run)", d.table.overall, true);
    for (const auto& [name, b] : d.baselines) h << MetricRowHtml(name, b.table.overall, false);
    h << "</table>\n";
    for (const auto& [name, reason] : d.baselines_not_applicable)
      h << "<p class=\"muted\">" << HtmlEscape(name) << ": not applicable - "
        << HtmlEscape(reason) << "</p>\n";
  }
  h << "</section>\n";
}

void ReflectionSection(const PageData& d, std::ostream& h) {
  h << "<section id=\"reflection\"><h2>Reflection</h2>\n";
  if (d.reflect.is_null()) {
    h << "<p><span class=\"badge none\">not run</span> <span class=\"muted\">no "
         "reflect/reflect.json (run <code>prism reflect</code>)</span></p></section>\n";
    return;
  }
  const Json& summary = At(d.reflect, "summary");
  h << "<p id=\"reflect-summary\">" << HtmlEscape(Text(At(summary, "en"))) << "</p>\n";
  const Json& hs = At(d.reflect, "hypotheses");
  if (!hs.is_array() || hs.empty()) {
    h << "<p>No hypothesis triggered.</p>\n";
  } else {
    for (const auto& x : hs) {
      h << "<div class=\"hyp\"><h3>" << HtmlEscape(Text(At(x, "rank"))) << ". "
        << HtmlEscape(Text(At(At(x, "title"), "en"))) << " <span class=\"muted\">(severity "
        << Fixed(ReadNumber(At(x, "severity")), 3) << ")</span></h3>\n<p><b>Evidence:</b> "
        << HtmlEscape(Text(At(At(x, "evidence"), "en"))) << "</p>\n<p><b>Next experiment:</b> "
        << HtmlEscape(Text(At(At(x, "next"), "en"))) << "</p></div>\n";
    }
  }
  if (d.reliance) h << report::ShortcutRelianceHtml(*d.reliance);
  h << "<p class=\"muted\">Full text: reflect/reflect.en.md, reflect/reflect.zh.md</p></section>\n";
}

void RunInfoSection(const PageData& d, std::ostream& h) {
  const Json& r = d.run.run;
  h << "<section id=\"run-info\"><h2>Run information</h2>\n";
  if (!d.run.has_run_json) h << "<p class=\"muted\">run.json not available.</p>\n";
  h << "<table><tr><th class=\"l\">key</th><th class=\"l\">value</th></tr>\n";
  auto row = [&](const std::string& k, const Json& v) {
    h << "<tr><td class=\"l\">" << HtmlEscape(k) << "</td><td class=\"l\">" << HtmlEscape(Text(v))
      << "</td></tr>\n";
  };
  for (const char* k : {"name", "status", "created", "finished", "prism_version", "code_version",
                        "libtorch", "seed", "threads", "parameters"})
    row(k, At(r, k));
  if (At(r, "blas").is_object()) row("blas", At(r, "blas"));
  const Json& data = At(r, "data");
  for (const char* k : {"kind", "path", "hash", "train_pairs", "val_pairs", "test_pairs",
                        "train_cells", "val_cells", "test_cells", "val_shares_train_cells"})
    row(std::string("data.") + k, At(data, k));
  row("epochs logged", static_cast<long>(d.run.epochs.size()));
  row("report generated by", VersionString());
  h << "</table>\n";
  if (At(r, "config").is_object())
    h << "<details open><summary>config</summary><pre id=\"run-config\">"
      << HtmlEscape(At(r, "config").dump(2)) << "</pre></details>\n";
  h << "</section>\n";
}

double TrainAupr(const PageData& d) {
  double v = ReadPath(d.reflect, {"generalization", "train_aupr"});
  if (std::isfinite(v) || d.run.log.empty()) return v;
  return d.run.log.back().TrainAupr();
}

}  // namespace

std::string RenderReport(const std::string& run_dir) {
  PageData d = Gather(run_dir);
  std::string name = Text(At(d.run.run, "name"));
  if (name == "n/a") name = std::filesystem::path(run_dir).filename().string();
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
    << "<title>prism report: " << HtmlEscape(name) << "</title>\n<style>" << kCss
    << "</style>\n</head>\n<body>\n<header>\n<h1>prism report: " << HtmlEscape(name)
    << "</h1>\n<p>status " << HtmlEscape(Text(At(d.run.run, "status"))) << " · data hash "
    << HtmlEscape(Text(At(At(d.run.run, "data"), "hash"))) << " · code "
    << HtmlEscape(Text(At(d.run.run, "code_version"))) << " · generated " << NowUtc()
    << "</p>\n<nav><a href=\"#qc\">QC</a><a href=\"#metrics\">metrics</a><a href=\"#training\">"
       "training</a><a href=\"#curves\">PR/ROC</a><a href=\"#calibration\">calibration</a>"
       "<a href=\"#reflection\">reflection</a><a href=\"#run-info\">run</a></nav>\n</header>\n"
    << "<main>\n";
  QcSection(d, h);
  MetricsSection(d, h);

  h << "<section id=\"training\"><h2>Training curves</h2>\n<div class=\"plots\">\n"
    << report::TrainingLossesSvg(d.run.log) << report::TrainingAuprSvg(d.run.log) << "</div>";
  if (const auto& shared = d.run.record.data.val_shared_cells; !shared.empty()) {
    std::string names;
    for (const auto& n : shared) names += (names.empty() ? "" : ", ") + n;
    h << "<p id=\"val-shares-train\"><b>Validation shares cell lines with training (" +
             HtmlEscape(names) + "): it measures fit, not transfer to unseen cell lines.</b></p>";
  }
  h << "</section>\n";

  const std::string no_pred = d.run.Exists("predictions/test.csv")
                                  ? "predictions/test.csv has no rows"
                                  : "no predictions/test.csv (run prism predict)";
  h << "<section id=\"curves\"><h2>PR and ROC curves per test cell line</h2>\n"
    << report::PrRocSvg(d.curves, no_pred) << "</section>\n";

  std::vector<report::CellBar> bars;
  for (const auto& [cell, row] : d.table.per_cell) {
    report::CellBar bar;
    bar.cell = cell;
    bar.aupr = row.aupr;
    bar.n = row.n;
    // The simulation's oracles for this cell, from the reflection (reflect.json "simulation").
    const Json& rows = At(At(d.reflect, "simulation"), "rows");
    if (rows.is_array())
      for (const auto& o : rows)
        if (o.is_object() && Text(At(o, "group")) == cell) {
          bar.aupr_true = ReadNumber(At(o, "aupr_true"));
          bar.aupr_env_blind = ReadNumber(At(o, "aupr_env_blind"));
          bar.aupr_reference = ReadNumber(At(o, "aupr_reference"));
        }
    for (const auto& [name, b] : d.baselines) {
      auto it = b.table.per_cell.find(cell);
      if (it != b.table.per_cell.end()) bar.baselines.emplace_back(name, it->second.aupr);
    }
    bars.push_back(bar);
  }
  h << "<section id=\"calibration\"><h2>Calibration and per-cell AUPR</h2>\n<div class=\"plots\">\n"
    << report::ReliabilitySvg(d.reliability, d.ece, no_pred)
    << report::PerCellBarsSvg(bars, d.has_metrics ? d.table.overall.aupr : NAN, TrainAupr(d),
                              d.has_metrics ? "no per-cell metrics (no cell_line column)"
                                            : "no test metrics (run prism predict)")
    << "</div></section>\n";

  ReflectionSection(d, h);
  RunInfoSection(d, h);
  h << "</main>\n</body>\n</html>\n";
  return h.str();
}

std::string WriteReport(const std::string& run_dir, const std::string& out_path) {
  std::string out = out_path.empty() ? run_dir + "/report.html" : out_path;
  std::string html = RenderReport(run_dir);
  WriteFileAtomic(out, html);
  return out;
}

}  // namespace prism
