#include "prism/feature_table.h"

#include <charconv>
#include <cmath>
#include <string_view>

#include "prism/csv.h"
#include "prism/error.h"
#include "prism/line_reader.h"
#include "prism/log.h"

namespace prism {
namespace {

constexpr int kNumLeading = 6;

// Splits an unquoted line on commas into views; falls back to SplitCsv for quoted lines.
void SplitFields(const std::string& line, std::vector<std::string_view>* out,
                 std::vector<std::string>* storage, const LineReader& reader) {
  out->clear();
  if (line.find('"') != std::string::npos) {
    SplitCsv(line, storage, ',', &reader);
    for (const auto& s : *storage) out->emplace_back(s);
    return;
  }
  size_t start = 0;
  for (;;) {
    size_t comma = line.find(',', start);
    if (comma == std::string::npos) {
      out->emplace_back(line.data() + start, line.size() - start);
      return;
    }
    out->emplace_back(line.data() + start, comma - start);
    start = comma + 1;
  }
}

int ColumnOf(const std::vector<std::string_view>& f, size_t i) {
  size_t col = 1;
  for (size_t j = 0; j < i; ++j) col += f[j].size() + 1;
  return static_cast<int>(col);
}

bool ParseDouble(std::string_view s, double* v) {
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  auto r = std::from_chars(s.data(), s.data() + s.size(), *v);
  if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return true;
  if (s == "nan" || s == "NaN" || s == "NA") {
    *v = NAN;
    return true;
  }
  return false;
}

/// A missing value in a feature column: empty, NA, N/A, nan, NaN, NAN.
bool IsMissing(std::string_view s) {
  return s.empty() || s == "NA" || s == "N/A" || s == "nan" || s == "NaN" || s == "NAN";
}

/// One feature value: a finite number >= 0 (a signal), or a missing value read as 0 and counted.
float FeatureValue(std::string_view s, const std::string& column, int col, long* imputed,
                   const LineReader& reader) {
  if (IsMissing(s)) {
    ++*imputed;
    return 0.0f;
  }
  double v;
  if (!ParseDouble(s, &v))
    reader.Fail("column '" + column + "': expected a number, found '" + std::string(s) + "'", col);
  if (!std::isfinite(v) || v < 0 || v > 3.0e38)
    reader.Fail("column '" + column + "': expected a finite signal value >= 0, found '" +
                    std::string(s) + "'",
                col);
  return static_cast<float>(v);
}

/// Logs the missing values of one table read as 0, per column.
void LogImputed(const std::string& path, const FeatureTable& t) {
  long total = 0;
  std::string detail;
  for (size_t j = 0; j < t.imputed.size(); ++j)
    if (t.imputed[j] > 0) {
      total += t.imputed[j];
      detail += (detail.empty() ? "" : ", ") + t.feature_names[j] + " " +
                std::to_string(t.imputed[j]);
    }
  if (total > 0)
    Log::Warning(path + ": " + std::to_string(total) +
                 " missing feature values (empty/NA/nan) read as 0: " + detail);
}

}  // namespace

const std::vector<std::string>& FeatureTableColumns() {
  static const std::vector<std::string> kColumns = [] {
    std::vector<std::string> c;
    for (const char* mark : {"CTCF", "DNase", "H3K27ac", "H3K27me3", "H3K36me3", "H3K4me1",
                             "H3K4me3", "H3K9me3"})
      for (const char* where : {"enhancer", "promoter", "window"})
        c.push_back(std::string(mark) + " (" + where + ")");
    return c;
  }();
  return kColumns;
}

FeatureTable ReadFeatureTable(const std::string& path) {
  static const std::vector<std::string> kHeadNames = {
      "label", "enh_name", "prom_name", "celltype", "chrom", "enhancer_distance_to_promoter"};
  const auto& features = FeatureTableColumns();
  const size_t width = kNumLeading + features.size();

  LineReader reader(path);
  std::string line;
  if (!reader.Next(&line)) throw InputError(path, 1, 0, "empty file: expected a header row");
  std::vector<std::string> header;
  SplitCsv(line, &header, ',', &reader);
  for (size_t i = 0; i < width; ++i) {
    const std::string& want = i < kNumLeading ? kHeadNames[i] : features[i - kNumLeading];
    if (i >= header.size())
      reader.Fail("header: expected " + std::to_string(width) + " columns, found " +
                  std::to_string(header.size()) + " (missing '" + want + "')");
    if (header[i] != want)
      reader.Fail("header column " + std::to_string(i + 1) + ": expected '" + want +
                  "', found '" + header[i] + "'");
  }
  if (header.size() != width)
    reader.Fail("header: expected " + std::to_string(width) + " columns, found " +
                std::to_string(header.size()));

  FeatureTable table;
  table.feature_names = features;
  table.imputed.assign(features.size(), 0);
  std::vector<std::string_view> f;
  std::vector<std::string> storage;
  while (reader.Next(&line)) {
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    SplitFields(line, &f, &storage, reader);
    if (f.size() != width)
      reader.Fail("expected " + std::to_string(width) + " fields, found " +
                  std::to_string(f.size()));
    Pair p;
    std::string_view lab = f[0];
    if (lab == "1" || lab == "1.0" || lab == "True" || lab == "true")
      p.label = 1;
    else if (lab == "0" || lab == "0.0" || lab == "False" || lab == "false")
      p.label = 0;
    else
      reader.Fail("column 'label': expected a label 0 or 1, found '" + std::string(lab) + "'", 1);
    p.enhancer.assign(f[1]);
    p.promoter.assign(f[2]);
    p.cell_line.assign(f[3]);
    p.chrom.assign(f[4]);
    if (p.enhancer.empty()) reader.Fail("column 'enh_name': empty name", ColumnOf(f, 1));
    if (p.promoter.empty()) reader.Fail("column 'prom_name': empty name", ColumnOf(f, 2));
    if (p.cell_line.empty()) reader.Fail("column 'celltype': empty cell type", ColumnOf(f, 3));
    if (!ParseDouble(f[5], &p.distance))
      reader.Fail("column 'enhancer_distance_to_promoter': expected a number, found '" +
                      std::string(f[5]) + "'",
                  ColumnOf(f, 5));
    if (std::isinf(p.distance))
      reader.Fail("column 'enhancer_distance_to_promoter': expected a finite number, found '" +
                      std::string(f[5]) + "'",
                  ColumnOf(f, 5));
    for (size_t i = kNumLeading; i < width; ++i)
      table.features.push_back(FeatureValue(f[i], header[i], ColumnOf(f, i),
                                            &table.imputed[i - kNumLeading], reader));
    table.pairs.push_back(std::move(p));
  }
  if (table.pairs.empty()) throw InputError(path, 1, 0, "no pairs: expected at least one data row");
  LogImputed(path, table);
  return table;
}

FeatureTable ReadFeatureTables(const std::vector<std::string>& paths) {
  if (paths.empty()) Fatal("no feature tables given");
  FeatureTable all = ReadFeatureTable(paths[0]);
  for (size_t i = 1; i < paths.size(); ++i) {
    FeatureTable t = ReadFeatureTable(paths[i]);
    if (t.feature_names != all.feature_names)
      Fatal(paths[i], ": feature columns differ from ", paths[0]);
    all.pairs.insert(all.pairs.end(), std::make_move_iterator(t.pairs.begin()),
                     std::make_move_iterator(t.pairs.end()));
    all.features.insert(all.features.end(), t.features.begin(), t.features.end());
    for (size_t j = 0; j < all.imputed.size(); ++j) all.imputed[j] += t.imputed[j];
  }
  return all;
}

FeatureTable SelectRows(const FeatureTable& table, const std::vector<size_t>& rows) {
  FeatureTable out;
  out.feature_names = table.feature_names;
  const size_t f = table.num_features();
  out.pairs.reserve(rows.size());
  out.features.reserve(rows.size() * f);
  for (size_t r : rows) {
    PRISM_CHECK_LT(r, table.pairs.size());
    out.pairs.push_back(table.pairs[r]);
    out.features.insert(out.features.end(), table.features.begin() + r * f,
                        table.features.begin() + (r + 1) * f);
  }
  return out;
}

}  // namespace prism
