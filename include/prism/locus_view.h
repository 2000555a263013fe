// prism/locus_view.h - `prism report OUT --locus GENE`: one gene's candidate enhancers from a
// `prism score` output folder as arcs over the distance axis, in a self-contained HTML page.
//
// Reads OUT/predictions.tsv.gz (docs/score.md), keeps the rows whose prom_name is GENE, and
// draws an inline SVG (id "locus-arcs"): the x axis is the signed distance of each enhancer's
// centre from its promoter's centre (kb), every candidate an arc from the promoter (at 0) to the
// enhancer, its height growing with the distance, coloured and thickened by score (grey -> red
// over the gene's own score range, which the colour bar states), with a <title> per arc
// (enhancer, distance, score, rank). A table lists the candidates by rank. No scripts, no
// network; all names HTML-escaped.
#pragma once

#include <string>

namespace prism {

/// The page for `gene`. Throws prism::Error when the folder has no predictions or no promoter
/// of that name (naming the file), InputError for a malformed row.
std::string RenderLocusView(const std::string& score_dir, const std::string& gene);

/// Renders and writes atomically to `out_path` ("" = SCORE_DIR/locus-GENE.html, the gene name
/// with characters other than letters, digits, '-', '_', '.' replaced by '_'); returns the path.
std::string WriteLocusView(const std::string& score_dir, const std::string& gene,
                           const std::string& out_path = "");

}  // namespace prism
