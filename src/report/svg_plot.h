// Private SVG drawing primitives of the report: a document, a plot frame mapping data to pixels,
// axes with ticks, polylines, bars, text and legends. Output is plain SVG markup for inlining.
#pragma once

#include <sstream>
#include <utility>
#include <string>
#include <vector>

namespace prism::report {

/// Colour-blind-safe palette (Okabe-Ito), cycled by index.
const char* PaletteColor(size_t i);

/// A rectangle of the canvas (pixels) and the data range it shows.
struct Frame {
  double px = 0, py = 0, pw = 100, ph = 100;  ///< top-left corner and size in pixels
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;      ///< data range
  double X(double v) const;  ///< data x -> pixel x (clamped to the frame)
  double Y(double v) const;  ///< data y -> pixel y (clamped to the frame)
};

/// "Nice" tick values covering [lo, hi], about `n` of them.
std::vector<double> NiceTicks(double lo, double hi, int n);
/// A number for tick labels: up to 3 significant decimals, no trailing zeros.
std::string TickLabel(double v);

/// One entry of a legend.
struct LegendItem {
  std::string label;
  std::string color;
  bool dashed = false;
};

/// How a polyline is drawn: LineStyle("#000").Width(1.5).Dashed().Class("overall").
struct LineStyle {
  explicit LineStyle(std::string c) : color(std::move(c)) {}
  LineStyle& Width(double w) { width = w; return *this; }
  LineStyle& Dashed(bool on = true) { dashed = on; return *this; }
  LineStyle& Class(std::string c) { css_class = std::move(c); return *this; }
  std::string color;
  double width = 2;
  bool dashed = false;
  std::string css_class;  ///< class attribute of the <polyline> ("" = none)
};

/// An <svg> element being built.
class SvgDoc {
 public:
  /// `id` and `css_class` go on the <svg>; `title` becomes its <title> (escaped).
  SvgDoc(const std::string& id, const std::string& css_class, int width, int height,
         const std::string& title);
  /// Axes of `f`: frame box, grid lines and tick labels, axis labels, optional panel title.
  void Axes(const Frame& f, const std::string& xlabel, const std::string& ylabel,
            const std::string& panel_title = "", int xticks = 6, int yticks = 5);
  /// A polyline through finite points (NaN breaks the line); points closer than half a pixel
  /// to the previously drawn one are skipped, so long curves stay small.
  void Line(const Frame& f, const std::vector<double>& xs, const std::vector<double>& ys,
            const LineStyle& style);
  /// Circles at finite points.
  void Points(const Frame& f, const std::vector<double>& xs, const std::vector<double>& ys,
              const std::string& color, double r = 3.5);
  /// A filled rectangle between data coordinates (x0, y0) and (x1, y1).
  void Rect(const Frame& f, double x0, double y0, double x1, double y1, const std::string& fill,
            const std::string& tooltip = "");
  /// Text at pixel coordinates (escaped); anchor "start" | "middle" | "end".
  void Text(double x, double y, const std::string& text, const std::string& anchor = "start",
            int size = 12, const std::string& css_class = "");
  /// A legend box with coloured line samples, top-left at pixel (x, y).
  void Legend(double x, double y, const std::vector<LegendItem>& items);
  /// Centered "not available" message over the whole canvas.
  void NotAvailable(const std::string& reason);
  /// Closes the element and returns the markup.
  std::string Finish();

 private:
  std::ostringstream out_;
  int width_, height_;
};

}  // namespace prism::report
