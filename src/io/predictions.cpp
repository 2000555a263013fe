// Reading and writing the predictions CSV.
#include "prism/predictions.h"

#include <cmath>
#include <cstdio>

#include "prism/atomic_file.h"
#include "prism/csv.h"
#include "prism/error.h"
#include "prism/pairs.h"

namespace prism {

Predictions ReadPredictions(const std::string& path, ScoreScale scale) {
  CsvReader csv(path);
  const int label = csv.Require("label");
  const int score = csv.Require("score");
  const int cell = csv.Find("cell_line");
  const int enh = csv.Find("enhancer");
  const int prom = csv.Find("promoter");
  const int u_i = csv.Find("u_i");
  const int r_e = csv.Find("r_e");
  Predictions p;
  while (csv.Next()) {
    p.label.push_back(csv.Label(label));
    double s = csv.Double(score);
    if (!std::isfinite(s))
      csv.Fail("column 'score': expected a finite number, found '" + csv.field(score) + "'",
               score + 1);
    if (scale == ScoreScale::kProbability && (s < 0 || s > 1))
      csv.Fail("column 'score': expected a probability in [0, 1], found '" + csv.field(score) +
                   "' (scores that are logits: --scores logit)",
               score + 1);
    if (scale == ScoreScale::kLogit) s = 1.0 / (1.0 + std::exp(-s));
    p.score.push_back(s);
    if (cell >= 0) p.cell_line.push_back(csv.field(cell));
    if (enh >= 0) p.enhancer.push_back(csv.field(enh));
    if (prom >= 0) p.promoter.push_back(csv.field(prom));
    if (u_i >= 0) p.u_i.push_back(csv.Double(u_i));
    if (r_e >= 0) p.r_e.push_back(csv.Double(r_e));
  }
  // A column that is empty on every row (e.g. written by WritePredictions without names) is
  // treated as absent.
  for (auto* col : {&p.cell_line, &p.enhancer, &p.promoter}) {
    bool all_empty = true;
    for (const auto& v : *col) all_empty = all_empty && v.empty();
    if (all_empty) col->clear();
  }
  return p;
}

namespace {

/// A CSV field, quoted when it holds a separator, quote or line break.
std::string Quote(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

std::string Num(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

}  // namespace

void WritePredictions(const std::string& path, const Predictions& p) {
  const size_t n = p.label.size();
  auto check = [&](size_t size, const char* what, bool optional) {
    if (size != n && !(optional && size == 0))
      Fatal("WritePredictions(", path, "): column '", what, "' has ", size, " values, expected ",
            n);
  };
  check(p.score.size(), "score", false);
  check(p.cell_line.size(), "cell_line", true);
  check(p.enhancer.size(), "enhancer", true);
  check(p.promoter.size(), "promoter", true);
  check(p.u_i.size(), "u_i", true);
  check(p.r_e.size(), "r_e", true);
  if (p.u_i.empty() != p.r_e.empty()) Fatal("WritePredictions(", path, "): u_i and r_e go together");
  const bool energy = !p.u_i.empty();
  AtomicFile out(path);
  out << "enhancer,promoter,cell_line,label,score" << (energy ? ",u_i,r_e" : "") << "\n";
  static const std::string kEmpty;
  for (size_t i = 0; i < n; ++i) {
    out << Quote(p.enhancer.empty() ? kEmpty : p.enhancer[i]) << ','
        << Quote(p.promoter.empty() ? kEmpty : p.promoter[i]) << ','
        << Quote(p.cell_line.empty() ? kEmpty : p.cell_line[i]) << ',';
    if (p.label[i] != kUnlabeled) out << p.label[i];  // unlabeled: an empty field
    out << ',' << Num(p.score[i]);
    if (energy) out << ',' << Num(p.u_i[i]) << ',' << Num(p.r_e[i]);
    out << '\n';
  }
  out.Commit();
}

}  // namespace prism
