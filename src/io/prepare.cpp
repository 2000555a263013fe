#include "prism/prepare.h"

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <unordered_map>

#include "prism/csv.h"
#include "prism/domain_kl.h"
#include "prism/error.h"
#include "prism/fasta.h"
#include "prism/line_reader.h"
#include "prism/log.h"

namespace prism {
namespace {

namespace fs = std::filesystem;

bool ParseLong(const std::string& s, long* v) {
  if (s.empty()) return false;
  char* end = nullptr;
  errno = 0;
  *v = std::strtol(s.c_str(), &end, 10);
  return *end == 0 && errno != ERANGE;
}

bool ParseLabel(const std::string& s, int* label) {
  if (s == "1" || s == "1.0" || s == "true" || s == "True") return *label = 1, true;
  if (s == "0" || s == "0.0" || s == "false" || s == "False") return *label = 0, true;
  return false;
}

void SplitTabs(const std::string& line, std::vector<std::string>* out) {
  out->clear();
  size_t start = 0;
  for (;;) {
    size_t tab = line.find('\t', start);
    out->push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
    if (tab == std::string::npos) return;
    start = tab + 1;
  }
}

int ColumnOf(const std::vector<std::string>& f, size_t i) {
  size_t col = 1;
  for (size_t j = 0; j < i; ++j) col += f[j].size() + 1;
  return static_cast<int>(col);
}

bool IsSkippable(const std::string& line) {
  return line.find_first_not_of(" \t") == std::string::npos || line[0] == '#' ||
         line.rfind("track", 0) == 0 || line.rfind("browser", 0) == 0;
}

std::string RegionName(const GenomicRegion& r) {
  return r.chrom + ":" + std::to_string(r.start) + "-" + std::to_string(r.end);
}

// Fetches each distinct element once; errors name the pairs file line of its first use.
class ElementFetcher {
 public:
  ElementFetcher(const Genome& genome, const std::string& pairs_path, size_t max_len,
                 size_t min_len, const char* side,
                 std::unordered_map<std::string, std::string>* seqs)
      : genome_(genome), pairs_path_(pairs_path), max_len_(max_len), min_len_(min_len),
        side_(side), seqs_(seqs) {}

  // Returns the element name ("chrom:start-end").
  std::string Add(const GenomicRegion& r, long line, int column) {
    std::string name = RegionName(r);
    if (seqs_->count(name)) return name;
    auto fail = [&](const std::string& msg) {
      throw InputError(pairs_path_, line, column, std::string(side_) + " " + name + ": " + msg);
    };
    if (r.start < 0 || r.end <= r.start) fail("start must be >= 0 and less than end");
    const int64_t len = genome_.ContigLength(r.chrom);
    if (len < 0) fail("contig '" + r.chrom + "' is not in " + genome_.path());
    if (r.end > len)
      fail("end " + std::to_string(r.end) + " is beyond the end of " + r.chrom + " (length " +
           std::to_string(len) + ") in " + genome_.path());
    long s = 0, e = 0;
    ElementWindow(r.start, r.end, static_cast<long>(len), max_len_, min_len_, &s, &e);
    try {
      seqs_->emplace(name, genome_.Fetch(r.chrom, s, e));
    } catch (const Error& err) {
      fail(err.what());
    }
    return name;
  }

 private:
  const Genome& genome_;
  std::string pairs_path_;
  size_t max_len_, min_len_;
  const char* side_;
  std::unordered_map<std::string, std::string>* seqs_;
};

double CentreDistance(const GenomicRegion& a, const GenomicRegion& b) {
  if (a.chrom != b.chrom) return NAN;
  return std::fabs((a.start + a.end) / 2.0 - (b.start + b.end) / 2.0);
}

void ReadBedpe(const std::string& path, ElementFetcher* enh, ElementFetcher* prom,
               SequenceSplit* out) {
  LineReader reader(path);
  std::string line;
  std::vector<std::string> f;
  while (reader.Next(&line)) {
    if (IsSkippable(line)) continue;
    SplitTabs(line, &f);
    if (f.size() < 8)
      reader.Fail("expected at least 8 tab-separated fields (BEDPE: chrom1 start1 end1 chrom2 "
                  "start2 end2 label cell_line), found " + std::to_string(f.size()));
    GenomicRegion e, p;
    e.chrom = f[0];
    p.chrom = f[3];
    long* coords[] = {&e.start, &e.end, &p.start, &p.end};
    const size_t cols[] = {1, 2, 4, 5};
    for (int k = 0; k < 4; ++k)
      if (!ParseLong(f[cols[k]], coords[k]))
        reader.Fail("field " + std::to_string(cols[k] + 1) + ": expected an integer coordinate, "
                    "found '" + f[cols[k]] + "'", ColumnOf(f, cols[k]));
    Pair pair;
    if (!ParseLabel(f[6], &pair.label))
      reader.Fail("field 7 (label): expected a label 0 or 1, found '" + f[6] + "'", ColumnOf(f, 6));
    pair.cell_line = f[7];
    if (pair.cell_line.empty()) reader.Fail("field 8 (cell line): empty", ColumnOf(f, 7));
    pair.enhancer = enh->Add(e, reader.line_number(), ColumnOf(f, 0));
    pair.promoter = prom->Add(p, reader.line_number(), ColumnOf(f, 3));
    pair.chrom = e.chrom;
    pair.distance = CentreDistance(e, p);
    out->pairs.push_back(std::move(pair));
  }
}

void ReadBengi(const std::string& path, char sep, ElementFetcher* enh, ElementFetcher* prom,
               SequenceSplit* out) {
  CsvReader csv(path, sep);
  const int e_col = csv.Require("enh_name");
  const int p_col = csv.Require("prom_name");
  const int label_col = csv.Require("label");
  int cell_col = csv.Find("celltype");
  if (cell_col < 0) cell_col = csv.Find("cell_line");
  if (cell_col < 0) throw InputError(path, 1, 0, "header has no column 'celltype' (or 'cell_line')");
  int dist_col = csv.Find("enhancer_distance_to_promoter");
  if (dist_col < 0) dist_col = csv.Find("distance");
  auto col_of = [&](int i) { return ColumnOf(csv.row(), static_cast<size_t>(i)); };
  while (csv.Next()) {
    GenomicRegion e, p;
    if (!ParseRegionName(csv.field(e_col), &e))
      csv.Fail("column 'enh_name': expected 'chrom:start-end[|...]', found '" +
               csv.field(e_col) + "'", col_of(e_col));
    if (!ParseRegionName(csv.field(p_col), &p))
      csv.Fail("column 'prom_name': expected 'chrom:start-end[|...]', found '" +
               csv.field(p_col) + "'", col_of(p_col));
    Pair pair;
    pair.label = csv.Label(label_col);
    pair.cell_line = csv.field(cell_col);
    if (pair.cell_line.empty()) csv.Fail("empty cell type", col_of(cell_col));
    pair.enhancer = enh->Add(e, csv.line_number(), col_of(e_col));
    pair.promoter = prom->Add(p, csv.line_number(), col_of(p_col));
    pair.chrom = e.chrom;
    pair.distance = dist_col >= 0 && !csv.field(dist_col).empty() ? csv.Double(dist_col)
                                                                  : CentreDistance(e, p);
    out->pairs.push_back(std::move(pair));
  }
}

}  // namespace

void ElementWindow(long start, long end, long contig_len, size_t max_len, size_t min_len,
                   long* fetch_start, long* fetch_end) {
  long s = start, e = end;
  if (max_len && static_cast<size_t>(e - s) > max_len) {
    s += (e - s - static_cast<long>(max_len)) / 2;
    e = s + static_cast<long>(max_len);
  } else if (min_len && static_cast<size_t>(e - s) < min_len) {
    s -= (static_cast<long>(min_len) - (e - s)) / 2;
    e = s + static_cast<long>(min_len);
    if (s < 0) s = 0;
    if (e > contig_len) e = contig_len;
  }
  *fetch_start = s;
  *fetch_end = e;
}

bool ParseRegionName(const std::string& name, GenomicRegion* region) {
  std::string head = name.substr(0, name.find('|'));
  size_t colon = head.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  size_t dash = head.find('-', colon);
  if (dash == std::string::npos) return false;
  region->chrom = head.substr(0, colon);
  return ParseLong(head.substr(colon + 1, dash - colon - 1), &region->start) &&
         ParseLong(head.substr(dash + 1), &region->end);
}

SequenceSplit ReadPairsWithGenome(const PrepareOptions& options, std::string* format) {
  // Detect the format from the first meaningful line.
  std::string first;
  {
    LineReader reader(options.pairs_path);
    std::string line;
    while (reader.Next(&line))
      if (!IsSkippable(line)) {
        first = line;
        break;
      }
    if (first.empty())
      throw InputError(options.pairs_path, 1, 0, "empty file: expected BEDPE rows or a header row");
  }
  std::vector<std::string> f;
  SplitTabs(first, &f);
  long dummy;
  const bool bedpe = f.size() >= 8 && ParseLong(f[1], &dummy);
  if (!bedpe && first.find("enh_name") == std::string::npos)
    throw InputError(options.pairs_path, 1, 0,
                     "unknown pairs format: expected BEDPE (8+ tab-separated fields: chrom1 "
                     "start1 end1 chrom2 start2 end2 label cell_line) or a header row with "
                     "enh_name,prom_name,label,celltype");
  Genome genome(options.genome_path);
  SequenceSplit out;
  ElementFetcher enh(genome, options.pairs_path, options.max_enhancer, options.min_enhancer,
                     "enhancer", &out.seqs.enhancers);
  ElementFetcher prom(genome, options.pairs_path, options.max_promoter, options.min_promoter,
                      "promoter", &out.seqs.promoters);
  if (bedpe) {
    ReadBedpe(options.pairs_path, &enh, &prom, &out);
  } else {
    ReadBengi(options.pairs_path, first.find('\t') != std::string::npos ? '\t' : ',', &enh,
              &prom, &out);
  }
  if (out.pairs.empty()) throw InputError(options.pairs_path, 1, 0, "no pairs: expected at least one row");
  if (format) *format = bedpe ? "bedpe" : "bengi";
  size_t short_p = 0, short_e = 0;
  for (const auto& kv : out.seqs.enhancers) short_e += kv.second.size() < 6;
  for (const auto& kv : out.seqs.promoters) short_p += kv.second.size() < 6;
  if (short_e || short_p)
    Log::Warning(std::to_string(short_e) + " enhancers and " + std::to_string(short_p) +
                 " promoters are shorter than one 6-mer (give --min-enhancer/--min-promoter to "
                 "widen e.g. single-base TSS promoters)");
  return out;
}

PrepareSummary PrepareDataset(const PrepareOptions& options) {
  if (options.split.given())
    Fatal("prepare: give a split: --test-cells (optionally --val-cells) or --test-chroms "
          "(optionally --val-chroms)");
  for (const char* split : {"train", "val", "test"}) {
    std::string dir = options.out_dir + "/" + split;
    if (fs::exists(dir) && !options.force)
      Fatal(options.out_dir, ": already holds a '", split, "' folder; choose another --out or "
            "pass --force to replace it");
  }
  PrepareSummary summary;
  SequenceSplit all = ReadPairsWithGenome(options, &summary.format);
  SplitIndices split = MakeSplit(all.pairs, options.split);
  DomainKlData data = ApplySplit(all, split);
  if (options.force)
    for (const char* part : {"train", "val", "test"}) fs::remove_all(options.out_dir + "/" + part);
  WriteDomainKl(options.out_dir, data);
  summary.pairs = all.pairs.size();
  summary.enhancers = all.seqs.enhancers.size();
  summary.promoters = all.seqs.promoters.size();
  summary.train = split.train.size();
  summary.val = split.val.size();
  summary.test = split.test.size();
  return summary;
}

}  // namespace prism
