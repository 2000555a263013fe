#include "score/score_writer.h"

#include <htslib/bgzf.h>
#include <htslib/tbx.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "prism/error.h"

namespace prism::score {
namespace {

const char* const kNames[3] = {"predictions.tsv.gz", "predictions.bedpe.gz",
                               "predictions.interact.bed.gz"};
// Tabix: 0-based half-open coordinates (TBX_UCSC), the promoter interval of each format.
const tbx_conf_t kConf[3] = {{TBX_GENERIC | TBX_UCSC, 1, 5, 6, '#', 0},
                             {TBX_GENERIC | TBX_UCSC, 4, 5, 6, '#', 0},
                             {TBX_GENERIC | TBX_UCSC, 14, 15, 16, '#', 1}};

// Grey (low) to dark red (high).
std::string Colour(double score) {
  const double s = std::clamp(score, 0.0, 1.0);
  char buf[16];
  std::snprintf(buf, sizeof buf, "#%02x%02x%02x", static_cast<int>(200 - 50 * s),
                static_cast<int>(200 * (1 - s)), static_cast<int>(200 * (1 - s)));
  return buf;
}

}  // namespace

std::string FormatScore(double score) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6f", score);
  return buf;
}

std::string FormatDistance(double d) {
  char buf[32];
  if (d == std::floor(d)) std::snprintf(buf, sizeof buf, "%.0f", d);
  else std::snprintf(buf, sizeof buf, "%.1f", d);
  return buf;
}

struct ScoreWriter::Impl {
  std::string dir, cell;
  BGZF* f[3] = {nullptr, nullptr, nullptr};
  std::string tmp[3];
  bool finished = false, header = true;
  std::string line;
  void Put(int i) {
    if (bgzf_write(f[i], line.data(), line.size()) < 0)
      Fatal("write error on ", tmp[i]);
  }
};

std::string ScoreWriter::Path(const std::string& out_dir, int which) {
  return out_dir + "/" + kNames[which];
}

ScoreWriter::ScoreWriter(const std::string& out_dir, const std::string& cell_line, bool header)
    : impl_(new Impl) {
  impl_->dir = out_dir;
  impl_->cell = cell_line;
  for (int i = 0; i < 3; ++i) {
    impl_->tmp[i] = Path(out_dir, i) + ".tmp";
    impl_->f[i] = bgzf_open(impl_->tmp[i].c_str(), "w");
    if (!impl_->f[i]) {
      delete impl_;
      Fatal("cannot write ", Path(out_dir, i) + ".tmp");
    }
  }
  impl_->header = header;
  if (!header) return;
  impl_->line =
      "#chrom\tenh_start\tenh_end\tenh_name\tprom_start\tprom_end\tprom_name\tdistance\tscore\t"
      "cell_line\trank_in_promoter\n";
  impl_->Put(0);
  impl_->line = "track type=interact name=\"prism " + cell_line +
                "\" description=\"prism enhancer-promoter scores (" + cell_line +
                ")\" useScore=on\n";
  impl_->Put(2);
}

ScoreWriter::~ScoreWriter() {
  if (!impl_->finished)
    for (int i = 0; i < 3; ++i) {
      if (impl_->f[i]) bgzf_close(impl_->f[i]);
      std::remove(impl_->tmp[i].c_str());
    }
  delete impl_;
}

void ScoreWriter::Write(const BedElement& e, const BedElement& p, double distance, double score,
                        long rank) {
  const std::string s = FormatScore(score), d = FormatDistance(distance);
  const std::string es = std::to_string(e.start), ee = std::to_string(e.end);
  const std::string ps = std::to_string(p.start), pe = std::to_string(p.end);
  const std::string rk = std::to_string(rank);
  std::string& l = impl_->line;
  l = e.chrom + '\t' + es + '\t' + ee + '\t' + e.name + '\t' + ps + '\t' + pe + '\t' + p.name +
      '\t' + d + '\t' + s + '\t' + impl_->cell + '\t' + rk + '\n';
  impl_->Put(0);
  l = e.chrom + '\t' + es + '\t' + ee + '\t' + p.chrom + '\t' + ps + '\t' + pe + '\t' + e.name +
      '|' + p.name + '\t' + s + "\t.\t.\t" + impl_->cell + '\t' + rk + '\n';
  impl_->Put(1);
  const long lo = std::min(e.start, p.start), hi = std::max(e.end, p.end);
  const int ucsc = static_cast<int>(std::lround(1000 * std::clamp(score, 0.0, 1.0)));
  l = e.chrom + '\t' + std::to_string(lo) + '\t' + std::to_string(hi) + '\t' + e.name + '|' +
      p.name + '\t' + std::to_string(ucsc) + '\t' + s + '\t' + impl_->cell + '\t' + Colour(score) +
      '\t' + e.chrom + '\t' + es + '\t' + ee + '\t' + e.name + "\t.\t" + p.chrom + '\t' + ps +
      '\t' + pe + '\t' + p.name + "\t.\n";
  impl_->Put(2);
}

void ScoreWriter::Finish() {
  for (int i = 0; i < 3; ++i) {
    const int rc = bgzf_close(impl_->f[i]);
    impl_->f[i] = nullptr;
    if (rc != 0) Fatal("write error on ", impl_->tmp[i]);
  }
  for (int i = 0; i < 3; ++i) {
    const std::string path = Path(impl_->dir, i);
    std::filesystem::remove(path + ".tbi");
    if (std::rename(impl_->tmp[i].c_str(), path.c_str()) != 0)
      Fatal("cannot rename ", impl_->tmp[i], " to ", path);
    tbx_conf_t conf = kConf[i];
    if (!impl_->header) conf.line_skip = 0;  // no track line
    if (tbx_index_build3(path.c_str(), nullptr, 0, 1, &conf) != 0)
      Fatal("cannot build the tabix index of ", path);
  }
  impl_->finished = true;
}

}  // namespace prism::score
