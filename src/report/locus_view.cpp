// The locus view of a `prism score` output (prism/locus_view.h).
#include "prism/locus_view.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <tuple>
#include <vector>

#include "prism/atomic_file.h"
#include "prism/error.h"
#include "prism/line_reader.h"
#include "prism/report.h"
#include "report/svg_plot.h"

namespace prism {
namespace {

using report::HtmlEscape;

struct Arc {
  std::string chrom, enhancer, promoter_at;
  long enh_start = 0, enh_end = 0;
  double offset_kb = 0, score = 0;  // signed enhancer - promoter centre distance
  long rank = 0;
};

std::vector<Arc> ReadGene(const std::string& path, const std::string& gene) {
  if (!std::filesystem::exists(path)) Fatal(path, ": no predictions (run prism score first)");
  LineReader reader(path);
  std::string line;
  std::vector<Arc> arcs;
  std::vector<std::string> f;
  while (reader.Next(&line)) {
    if (line.empty() || line[0] == '#') continue;
    f.clear();
    std::stringstream ss(line);
    for (std::string x; std::getline(ss, x, '\t');) f.push_back(x);
    if (f.size() < 11) reader.Fail("expected 11 tab-separated columns (prism score TSV), found " +
                                   std::to_string(f.size()));
    if (f[6] != gene) continue;
    Arc a;
    char* end = nullptr;
    auto num = [&](int i) {
      const double v = std::strtod(f[i].c_str(), &end);
      if (*end || f[i].empty()) reader.Fail("column " + std::to_string(i + 1) + ": expected a number, found '" + f[i] + "'");
      return v;
    };
    a.chrom = f[0];
    a.enh_start = static_cast<long>(num(1));
    a.enh_end = static_cast<long>(num(2));
    a.enhancer = f[3];
    const double pc = (num(4) + num(5)) / 2, ec = (a.enh_start + a.enh_end) / 2.0;
    a.promoter_at = f[0] + ":" + f[4] + "-" + f[5];
    a.offset_kb = (ec - pc) / 1000.0;
    a.score = num(8);
    a.rank = static_cast<long>(num(10));
    arcs.push_back(a);
  }
  if (arcs.empty()) Fatal(path, ": no promoter named '", gene, "'");
  return arcs;
}

// Grey (0) to red (1), as the interact file's colours.
std::string Ramp(double s) {
  s = std::clamp(s, 0.0, 1.0);
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(190 + 50 * s),
                static_cast<int>(190 * (1 - s)), static_cast<int>(190 * (1 - s)));
  return buf;
}

std::string Num(double v, const char* fmt = "%.1f") {
  char buf[32];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string ArcSvg(const std::vector<Arc>& arcs, const std::string& gene) {
  const int W = 920, H = 380;
  double lo = 0, hi = 0;
  for (const Arc& a : arcs) {
    lo = std::min(lo, a.offset_kb);
    hi = std::max(hi, a.offset_kb);
  }
  const double pad = std::max(1.0, (hi - lo) * 0.05);
  report::Frame fr;
  fr.px = 60;
  fr.py = 30;
  fr.pw = W - 120;
  fr.ph = H - 100;
  fr.x0 = lo - pad;
  fr.x1 = hi + pad;
  const double base = fr.py + fr.ph, span = std::max(std::fabs(lo), std::fabs(hi));
  // Colours span the gene's own score range (the colour bar says which), so that differences
  // show even when a cell line's scores are close together.
  double smin = arcs[0].score, smax = arcs[0].score;
  for (const Arc& a : arcs) {
    smin = std::min(smin, a.score);
    smax = std::max(smax, a.score);
  }
  auto level = [&](double s) { return smax > smin ? (s - smin) / (smax - smin) : 1.0; };
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"locus-arcs\" class=\"plot\" viewBox=\"0 0 "
    << W << ' ' << H << "\" width=\"" << W << "\" height=\"" << H << "\" role=\"img\">\n<title>"
    << HtmlEscape("Candidate enhancers of " + gene + " by distance, coloured by score")
    << "</title>\n<line x1=\"" << fr.px << "\" y1=\"" << base << "\" x2=\"" << fr.px + fr.pw
    << "\" y2=\"" << base << "\" stroke=\"#444\"/>\n";
  for (double t : report::NiceTicks(fr.x0, fr.x1, 8)) {
    const double x = fr.X(t);
    o << "<line x1=\"" << Num(x) << "\" y1=\"" << base << "\" x2=\"" << Num(x) << "\" y2=\""
      << base + 5 << "\" stroke=\"#444\"/><text class=\"tick\" x=\"" << Num(x) << "\" y=\""
      << base + 18 << "\" font-size=\"11\" text-anchor=\"middle\">"
      << HtmlEscape(report::TickLabel(t)) << "</text>\n";
  }
  o << "<text class=\"axis-label\" x=\"" << fr.px + fr.pw / 2 << "\" y=\"" << base + 38
    << "\" font-size=\"12\" text-anchor=\"middle\">distance of the enhancer centre from the "
       "promoter centre (kb)</text>\n";
  // Low scores first, so the strongest arcs are drawn on top.
  std::vector<const Arc*> order;
  for (const Arc& a : arcs) order.push_back(&a);
  std::stable_sort(order.begin(), order.end(),
                   [](const Arc* a, const Arc* b) { return a->score < b->score; });
  const double x0 = fr.X(0);
  for (const Arc* a : order) {
    const double x1 = fr.X(a->offset_kb);
    const double h = (fr.ph - 10) * (span > 0 ? std::sqrt(std::fabs(a->offset_kb) / span) : 0);
    o << "<path class=\"arc\" d=\"M " << Num(x0) << ' ' << base << " Q " << Num((x0 + x1) / 2)
      << ' ' << Num(base - 2 * h) << ' ' << Num(x1) << ' ' << base << "\" fill=\"none\" stroke=\""
      << Ramp(level(a->score)) << "\" stroke-width=\"" << Num(0.8 + 2.5 * level(a->score))
      << "\" data-score=\""
      << Num(a->score, "%.6f") << "\"><title>"
      << HtmlEscape(a->enhancer + " (" + a->chrom + ":" + std::to_string(a->enh_start) + "-" +
                    std::to_string(a->enh_end) + "), " + Num(a->offset_kb) + " kb, score " +
                    Num(a->score, "%.4f") + ", rank " + std::to_string(a->rank))
      << "</title></path>\n";
  }
  o << "<rect x=\"" << Num(x0 - 4) << "\" y=\"" << base - 8 << "\" width=\"8\" height=\"16\" "
    << "fill=\"#0072B2\"><title>" << HtmlEscape(gene) << " promoter</title></rect>\n"
    << "<text x=\"" << Num(x0) << "\" y=\"" << fr.py - 10 << "\" font-size=\"12\" "
    << "text-anchor=\"middle\">" << HtmlEscape(gene) << "</text>\n";
  // Colour bar.
  const double cx = fr.px + fr.pw - 160, cy = 8;
  for (int i = 0; i < 20; ++i)
    o << "<rect x=\"" << cx + i * 6 << "\" y=\"" << cy << "\" width=\"6\" height=\"10\" fill=\""
      << Ramp(i / 19.0) << "\"/>\n";
  o << "<text x=\"" << cx - 4 << "\" y=\"" << cy + 9 << "\" font-size=\"10\" text-anchor=\"end\">"
    << "score " << Num(smin, "%.4f") << "</text><text x=\"" << cx + 124 << "\" y=\"" << cy + 9
    << "\" font-size=\"10\">" << Num(smax, "%.4f") << "</text>\n</svg>\n";
  return o.str();
}

}  // namespace

std::string RenderLocusView(const std::string& dir, const std::string& gene) {
  const std::string path = dir + "/predictions.tsv.gz";
  std::vector<Arc> arcs = ReadGene(path, gene);
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>"
    << HtmlEscape(gene) << " - prism locus view</title>\n<style>body{font-family:sans-serif;"
    << "margin:24px;color:#222}table{border-collapse:collapse}td,th{padding:2px 10px;"
    << "border-bottom:1px solid #ddd;text-align:right}td.l,th.l{text-align:left}</style>"
    << "</head><body>\n<h1>" << HtmlEscape(gene) << "</h1>\n<p>" << arcs.size()
    << " candidate enhancers of the promoter(s) named " << HtmlEscape(gene) << " in "
    << HtmlEscape(path) << "; arcs from the promoter (blue, at 0) to each enhancer, coloured "
    << "by score.</p>\n"
    << ArcSvg(arcs, gene);
  std::stable_sort(arcs.begin(), arcs.end(), [](const Arc& a, const Arc& b) {
    return std::tie(a.promoter_at, a.rank) < std::tie(b.promoter_at, b.rank);
  });
  h << "<table id=\"locus-table\"><tr><th>rank</th><th class=\"l\">enhancer</th><th class=\"l\">"
       "position</th><th>distance (kb)</th><th>score</th><th class=\"l\">promoter</th></tr>\n";
  for (const Arc& a : arcs)
    h << "<tr><td>" << a.rank << "</td><td class=\"l\">" << HtmlEscape(a.enhancer)
      << "</td><td class=\"l\">" << HtmlEscape(a.chrom + ":" + std::to_string(a.enh_start) + "-" +
                                                std::to_string(a.enh_end))
      << "</td><td>" << Num(a.offset_kb) << "</td><td>" << Num(a.score, "%.4f")
      << "</td><td class=\"l\">" << HtmlEscape(a.promoter_at) << "</td></tr>\n";
  h << "</table>\n</body></html>\n";
  return h.str();
}

std::string WriteLocusView(const std::string& dir, const std::string& gene,
                           const std::string& out_path) {
  std::string path = out_path;
  if (path.empty()) {
    std::string safe = gene;
    for (char& c : safe)
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '_' && c != '.') c = '_';
    path = dir + "/locus-" + safe + ".html";
  }
  const std::string html = RenderLocusView(dir, gene);
  WriteFileAtomic(path, html);
  return path;
}

}  // namespace prism
