// inspect/qc_report_parts.h - the sections of the inspector's Markdown report (private to
// src/inspect): qc_report.cpp (title, training status, overfitting, stability and metrics) and
// qc_report_sections.cpp (anomalies, log lines, decision, summary).
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "inspect/qc_util.h"

namespace prism::qcreport {

using qc::Fmt;
using qc::Join;

/// Picks the English or the Chinese text.
struct Lang {
  bool zh;
  std::string operator()(const std::string& en, const std::string& zh_text) const {
    return zh ? zh_text : en;
  }
};

/// What every section reads.
struct ReportContext {
  const RunFolder& run;
  const QcResult& r;
  const QcThresholds& t;
  const QcReportInfo& info;
  Lang L;
  std::ostringstream& o;
  size_t n;                          ///< epochs in the log
  std::vector<double> loss, tr, va;  ///< total loss, train AUPR, val AUPR per epoch
  std::string sep;                   ///< ": " or "："
};

const QcFinding* First(const QcResult& r, const std::string& rule, const std::string& code = "");
std::vector<const QcFinding*> All(const QcResult& r, const std::string& rule);
std::string Msg(const Lang& L, const QcFinding& f);
std::string RuleTitle(const Lang& L, const std::string& rule);
std::string Impact(const Lang& L, const std::string& component);
std::string Requirement(const Lang& L, const std::string& component);
std::string Status(const Lang& L, bool ok);

void AnomalySection(const ReportContext& c);
void LogLinesSection(const ReportContext& c);
void DecisionSection(const ReportContext& c);
void SummarySection(const ReportContext& c);

}  // namespace prism::qcreport
