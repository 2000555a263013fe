// SVG primitives of the report (see svg_plot.h).
#include "report/svg_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "prism/report.h"

namespace prism::report {
namespace {

std::string F(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

const char* PaletteColor(size_t i) {
  static const char* kColors[] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                  "#E69F00", "#56B4E9", "#8C6D31", "#000000"};
  return kColors[i % (sizeof kColors / sizeof kColors[0])];
}

double Frame::X(double v) const {
  double t = x1 > x0 ? (v - x0) / (x1 - x0) : 0.5;
  return px + pw * std::clamp(t, 0.0, 1.0);
}

double Frame::Y(double v) const {
  double t = y1 > y0 ? (v - y0) / (y1 - y0) : 0.5;
  return py + ph * (1.0 - std::clamp(t, 0.0, 1.0));
}

std::vector<double> NiceTicks(double lo, double hi, int n) {
  std::vector<double> out;
  if (!std::isfinite(lo) || !std::isfinite(hi) || n < 1) return out;
  if (hi <= lo) return {lo};
  double raw = (hi - lo) / n;
  double mag = std::pow(10.0, std::floor(std::log10(raw)));
  double step = mag;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * mag >= raw) {
      step = m * mag;
      break;
    }
  for (double v = std::ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
    out.push_back(std::fabs(v) < step * 1e-9 ? 0.0 : v);
  return out;
}

std::string TickLabel(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", v);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  if (s == "-0") s = "0";
  return s;
}

SvgDoc::SvgDoc(const std::string& id, const std::string& css_class, int width, int height,
               const std::string& title)
    : width_(width), height_(height) {
  out_ << "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"" << HtmlEscape(id) << "\" class=\""
       << HtmlEscape(css_class) << "\" viewBox=\"0 0 " << width << " " << height
       << "\" width=\"" << width << "\" height=\"" << height << "\" role=\"img\">\n"
       << "<title>" << HtmlEscape(title) << "</title>\n";
}

void SvgDoc::Axes(const Frame& f, const std::string& xlabel, const std::string& ylabel,
                  const std::string& panel_title, int xticks, int yticks) {
  out_ << "<g class=\"axes\">\n";
  out_ << "<rect x=\"" << F(f.px) << "\" y=\"" << F(f.py) << "\" width=\"" << F(f.pw)
       << "\" height=\"" << F(f.ph) << "\" fill=\"#fff\" stroke=\"#888\"/>\n";
  for (double t : NiceTicks(f.x0, f.x1, xticks)) {
    double x = f.X(t);
    out_ << "<line x1=\"" << F(x) << "\" y1=\"" << F(f.py) << "\" x2=\"" << F(x) << "\" y2=\""
         << F(f.py + f.ph) << "\" stroke=\"#e5e5e5\"/>\n";
    Text(x, f.py + f.ph + 15, TickLabel(t), "middle", 11, "tick");
  }
  for (double t : NiceTicks(f.y0, f.y1, yticks)) {
    double y = f.Y(t);
    out_ << "<line x1=\"" << F(f.px) << "\" y1=\"" << F(y) << "\" x2=\"" << F(f.px + f.pw)
         << "\" y2=\"" << F(y) << "\" stroke=\"#e5e5e5\"/>\n";
    Text(f.px - 5, y + 4, TickLabel(t), "end", 11, "tick");
  }
  out_ << "<rect x=\"" << F(f.px) << "\" y=\"" << F(f.py) << "\" width=\"" << F(f.pw)
       << "\" height=\"" << F(f.ph) << "\" fill=\"none\" stroke=\"#888\"/>\n";
  if (!xlabel.empty()) Text(f.px + f.pw / 2, f.py + f.ph + 32, xlabel, "middle", 12, "axis-label");
  if (!ylabel.empty()) {
    double x = f.px - 38, y = f.py + f.ph / 2;
    out_ << "<text class=\"axis-label\" x=\"" << F(x) << "\" y=\"" << F(y)
         << "\" font-size=\"12\" text-anchor=\"middle\" transform=\"rotate(-90 " << F(x) << " "
         << F(y) << ")\">" << HtmlEscape(ylabel) << "</text>\n";
  }
  if (!panel_title.empty())
    Text(f.px + f.pw / 2, f.py - 8, panel_title, "middle", 13, "panel-title");
  out_ << "</g>\n";
}

void SvgDoc::Line(const Frame& f, const std::vector<double>& xs, const std::vector<double>& ys,
                  const LineStyle& style) {
  size_t n = std::min(xs.size(), ys.size());
  std::vector<std::string> segments;
  std::string cur;
  double lx = NAN, ly = NAN;
  size_t count = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) {
      if (count > 0) segments.push_back(cur);
      cur.clear();
      count = 0;
      continue;
    }
    double x = f.X(xs[i]), y = f.Y(ys[i]);
    bool last = i + 1 == n || !std::isfinite(xs[i + 1]) || !std::isfinite(ys[i + 1]);
    if (count > 0 && !last && std::fabs(x - lx) < 0.5 && std::fabs(y - ly) < 0.5) continue;
    cur += (count ? " " : "") + F(x) + "," + F(y);
    lx = x;
    ly = y;
    ++count;
  }
  if (count > 0) segments.push_back(cur);
  for (const auto& s : segments) {
    out_ << "<polyline";
    if (!style.css_class.empty()) out_ << " class=\"" << HtmlEscape(style.css_class) << "\"";
    out_ << " fill=\"none\" stroke=\"" << style.color << "\" stroke-width=\"" << style.width
         << "\"" << (style.dashed ? " stroke-dasharray=\"6 4\"" : "") << " points=\"" << s << "\"/>\n";
  }
}

void SvgDoc::Points(const Frame& f, const std::vector<double>& xs, const std::vector<double>& ys,
                    const std::string& color, double r) {
  size_t n = std::min(xs.size(), ys.size());
  for (size_t i = 0; i < n; ++i) {
    if (!std::isfinite(xs[i]) || !std::isfinite(ys[i])) continue;
    out_ << "<circle cx=\"" << F(f.X(xs[i])) << "\" cy=\"" << F(f.Y(ys[i])) << "\" r=\"" << r
         << "\" fill=\"" << color << "\"/>\n";
  }
}

void SvgDoc::Rect(const Frame& f, double x0, double y0, double x1, double y1,
                  const std::string& fill, const std::string& tooltip) {
  double ax = f.X(x0), bx = f.X(x1), ay = f.Y(y0), by = f.Y(y1);
  out_ << "<rect x=\"" << F(std::min(ax, bx)) << "\" y=\"" << F(std::min(ay, by))
       << "\" width=\"" << F(std::fabs(bx - ax)) << "\" height=\"" << F(std::fabs(by - ay))
       << "\" fill=\"" << fill << "\">";
  if (!tooltip.empty()) out_ << "<title>" << HtmlEscape(tooltip) << "</title>";
  out_ << "</rect>\n";
}

void SvgDoc::Text(double x, double y, const std::string& text, const std::string& anchor,
                  int size, const std::string& css_class) {
  out_ << "<text";
  if (!css_class.empty()) out_ << " class=\"" << HtmlEscape(css_class) << "\"";
  out_ << " x=\"" << F(x) << "\" y=\"" << F(y) << "\" font-size=\"" << size
       << "\" text-anchor=\"" << anchor << "\">" << HtmlEscape(text) << "</text>\n";
}

void SvgDoc::Legend(double x, double y, const std::vector<LegendItem>& items) {
  if (items.empty()) return;
  size_t longest = 0;
  for (const auto& it : items) longest = std::max(longest, it.label.size());
  double w = 34 + 6.6 * longest, h = 8 + 17.0 * items.size();
  out_ << "<g class=\"legend\">\n<rect x=\"" << F(x) << "\" y=\"" << F(y) << "\" width=\""
       << F(w) << "\" height=\"" << F(h)
       << "\" fill=\"#fff\" fill-opacity=\"0.9\" stroke=\"#bbb\" rx=\"3\"/>\n";
  for (size_t i = 0; i < items.size(); ++i) {
    double ly = y + 13 + 17.0 * i;
    out_ << "<line x1=\"" << F(x + 6) << "\" y1=\"" << F(ly - 4) << "\" x2=\"" << F(x + 26)
         << "\" y2=\"" << F(ly - 4) << "\" stroke=\"" << items[i].color << "\" stroke-width=\"3\""
         << (items[i].dashed ? " stroke-dasharray=\"5 3\"" : "") << "/>\n";
    Text(x + 30, ly, items[i].label, "start", 11);
  }
  out_ << "</g>\n";
}

void SvgDoc::NotAvailable(const std::string& reason) {
  out_ << "<rect x=\"1\" y=\"1\" width=\"" << width_ - 2 << "\" height=\"" << height_ - 2
       << "\" fill=\"#fafafa\" stroke=\"#ccc\" stroke-dasharray=\"4 4\"/>\n";
  Text(width_ / 2.0, height_ / 2.0 - 6, "not available", "middle", 16, "not-available");
  Text(width_ / 2.0, height_ / 2.0 + 16, reason, "middle", 12, "not-available-reason");
}

std::string SvgDoc::Finish() {
  out_ << "</svg>\n";
  return out_.str();
}

}  // namespace prism::report
