// seq/motif_discovery.cpp - degenerate motifs by seed, EM and masking (prism/motif_discovery.h).
#include "prism/motif_discovery.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "prism/error.h"
#include "prism/kmer_scan.h"
#include "prism/motif_pwm.h"
#include "prism/tokenizer.h"

namespace prism {
namespace {

constexpr int8_t kGap = 4;  ///< N, any other byte, a masked site, or the gap between sequences
constexpr int kSeparator = 12;
constexpr char kBases[] = "ACGT";
constexpr double kLn2 = 0.69314718055994531;
/// EM skips windows whose posterior logit is below this (posterior < 6e-6).
constexpr double kNegligibleLogit = -12.0;
using Columns = std::vector<std::array<double, 4>>;
using Composition = std::array<double, 4>;
constexpr Composition kUniform = {0.25, 0.25, 0.25, 0.25};

/// All sequences in one array of base codes (0..3, kGap elsewhere), kSeparator gaps between them.
struct CodedSet {
  std::vector<int8_t> codes;
  std::vector<size_t> begin, end;  ///< of each sequence in `codes`
};

CodedSet Encode(const std::vector<std::string_view>& seqs) {
  CodedSet s;
  for (std::string_view q : seqs) {
    s.begin.push_back(s.codes.size());
    for (char ch : q) {
      const int b = BaseCode(ch);
      s.codes.push_back(b < 0 ? kGap : static_cast<int8_t>(b));
    }
    s.end.push_back(s.codes.size());
    s.codes.insert(s.codes.end(), kSeparator, kGap);
  }
  return s;
}

/// Forward-strand counts of k-mers and of 3-mers in [begin, end) of the codes.
struct Counts {
  std::vector<uint32_t> kmer, tri;
};

void AddCounts(const std::vector<int8_t>& c, size_t begin, size_t end, int k, Counts* out) {
  const uint32_t mask_k = (uint32_t{1} << (2 * k)) - 1;
  uint32_t code = 0;
  int valid = 0;
  for (size_t i = begin; i < end; ++i) {
    if (c[i] == kGap) {
      valid = 0;
      continue;
    }
    code = ((code << 2) | static_cast<uint32_t>(c[i])) & mask_k;
    ++valid;
    if (valid >= 3) ++out->tri[code & 63];
    if (valid >= k) ++out->kmer[code];
  }
}

/// Second-order Markov background of a set of counts, both strands pooled.
struct Background {
  std::array<double, 64> tri{};  ///< 3-mer counts + reverse complements + 0.5
  std::array<double, 16> di{};   ///< their 2-mer prefix sums
  double total = 0;
  explicit Background(const std::vector<uint32_t>& t) {
    for (uint32_t w = 0; w < 64; ++w) tri[w] = t[w] + t[ReverseComplementCode(w, 3)] + 0.5;
    for (uint32_t w = 0; w < 64; ++w) di[w >> 2] += tri[w];
    for (double v : tri) total += v;
  }
  /// Expected count of a k-mer and its reverse complement together.
  double Expected(uint32_t code, int k) const {
    double log_e = std::log(tri[code >> (2 * (k - 3))]);
    for (int i = 1; i <= k - 3; ++i) {
      const uint32_t sub = (code >> (2 * (k - 3 - i))) & 63;
      log_e += std::log(tri[sub]) - std::log(di[sub >> 2]);
    }
    return std::exp(log_e - std::log(total)) * total;
  }
};

double Z(const Counts& n, const Background& bg, uint32_t code, int k) {
  const double obs = n.kmer[code] + n.kmer[ReverseComplementCode(code, k)];
  const double e = bg.Expected(code, k);
  return (obs - e) / std::sqrt(e + 1);
}

/// log2-odds of the PWM (mixed with 0.5 % background) against the background `bg`.
Columns LogOdds(const Columns& f, const Composition& bg) {
  Columns w(f.size());
  for (size_t j = 0; j < f.size(); ++j)
    for (size_t b = 0; b < 4; ++b) w[j][b] = std::log2((0.995 * f[j][b] + 0.005 * bg[b]) / bg[b]);
  return w;
}

/// Calls window(i, fwd, rev) for every window start i without a gap: its forward and
/// reverse-complement scores.
template <typename F>
void ForEachWindow(const std::vector<int8_t>& c, const Columns& w, F&& window) {
  const size_t width = w.size();
  if (c.size() < width) return;
  for (size_t i = 0; i + width <= c.size(); ++i) {
    double fwd = 0, rev = 0;
    bool gap = false;
    for (size_t j = 0; j < width; ++j) {
      const int8_t b = c[i + j];
      if (b == kGap) {
        gap = true;
        break;
      }
      fwd += w[j][static_cast<size_t>(b)];
      rev += w[width - 1 - j][static_cast<size_t>(3 - b)];
    }
    if (!gap) window(i, fwd, rev);
  }
}

/// Calls site(i, reverse) for every window start i whose forward (reverse-complement) score is
/// at or above `threshold`.
template <typename F>
void ForEachSite(const std::vector<int8_t>& c, const Columns& w, double threshold, F&& site) {
  ForEachWindow(c, w, [&](size_t i, double fwd, double rev) {
    if (fwd >= threshold) site(i, false);
    if (rev >= threshold) site(i, true);
  });
}

/// Adds weight `r` of the window at i (on the reverse strand: its reverse complement) to `n`.
void AddSite(const std::vector<int8_t>& c, size_t i, bool reverse, double r, Columns* n) {
  const size_t width = n->size();
  for (size_t j = 0; j < width; ++j) {
    const auto b = static_cast<size_t>(c[i + j]);
    if (reverse) (*n)[width - 1 - j][3 - b] += r;
    else (*n)[j][b] += r;
  }
}

std::string Consensus(const Columns& f) {
  std::string s;
  for (const auto& col : f)
    s.push_back(kBases[std::max_element(col.begin(), col.end()) - col.begin()]);
  return s;
}

/// Step 3: the seed's PWM (`pad` uniform columns each side) refined by EM over `codes` against
/// the background `bg`; sets m->sites and m->em_rounds, and *prior (P(a window on one strand is
/// a site), last round).
Columns RefineFromSeed(const std::vector<int8_t>& codes, const MotifDiscoveryOptions& opt,
                       double p_value, const Composition& bg, DiscoveredMotif* m,
                       double* prior_out) {
  const int k = opt.k;
  const size_t kmers = size_t{1} << (2 * k);
  const size_t width = static_cast<size_t>(k + 2 * opt.pad);
  Columns f(width, {0.25, 0.25, 0.25, 0.25});
  for (int j = 0; j < k; ++j) {
    auto& col = f[static_cast<size_t>(opt.pad + j)];
    col = {0.05, 0.05, 0.05, 0.05};
    col[static_cast<size_t>(BaseCode(m->seed[static_cast<size_t>(j)]))] = 0.85;
  }
  // Round 0 counts hard sites. Later rounds count hard sites at the background threshold, or
  // (posterior_em) weigh every window by its posterior of being a site under a two-component
  // mixture of the motif and the background, `prior` = P(a window on one strand is a site),
  // re-estimated each round. Round 0's threshold sits next to the seed's own score, which only
  // uniform weights give every seed window alike (with `bg`, the pad columns would score the
  // flanking bases).
  double prior = 0, windows = 0;
  for (int it = 0; it < opt.em_iterations; ++it) {
    const Columns w = LogOdds(f, it == 0 ? kUniform : bg);
    Columns n(width, {0.25, 0.25, 0.25, 0.25});
    double sites = 0;
    if (it == 0 || !opt.posterior_em) {
      // In long sequences p_value can be below a single k-mer's probability (4^-k), which the
      // seed's PWM cannot resolve: its first round takes the seed and its closest variants.
      const double p = it == 0 ? std::max(p_value, 4.0 / static_cast<double>(kmers)) : p_value;
      const double threshold = ScoreThreshold(w, p);
      ForEachWindow(codes, w, [&](size_t i, double fwd, double rev) {
        if (it == 0) windows += 2;
        for (const auto& [score, reverse] : {std::pair{fwd, false}, std::pair{rev, true}})
          if (score >= threshold) {
            sites += 1;
            AddSite(codes, i, reverse, 1.0, &n);
          }
      });
    } else {
      const double prior_logit = std::log(prior / (1 - prior));
      ForEachWindow(codes, w, [&](size_t i, double fwd, double rev) {
        for (const auto& [score, reverse] : {std::pair{fwd, false}, std::pair{rev, true}}) {
          const double x = score * kLn2 + prior_logit;
          if (x < kNegligibleLogit) continue;
          const double r = 1 / (1 + std::exp(-x));
          sites += r;
          AddSite(codes, i, reverse, r, &n);
        }
      });
    }
    prior = std::clamp(sites / std::max(1.0, windows), 1e-9, 0.5);
    double moved = 0;
    for (size_t j = 0; j < width; ++j) {
      const double t = n[j][0] + n[j][1] + n[j][2] + n[j][3];
      for (size_t b = 0; b < 4; ++b) {
        n[j][b] /= t;
        moved = std::max(moved, std::abs(n[j][b] - f[j][b]));
      }
    }
    f = n;
    m->sites = static_cast<size_t>(std::lround(sites));
    m->em_rounds = it + 1;
    if (opt.posterior_em && it > 0 && moved < opt.em_tolerance) break;
  }
  *prior_out = prior;
  return f;
}

}  // namespace

std::vector<DiscoveredMotif> DiscoverMotifs(const std::vector<std::string_view>& seqs,
                                            const MotifDiscoveryOptions& opt,
                                            std::vector<DiscoveredMotif>* group_specific) {
  const int k = opt.k;
  PRISM_CHECK(k >= 6 && k <= 10, "motif discovery: k must be in 6..10, got ", k);
  PRISM_CHECK(opt.pad >= 0 && opt.em_iterations >= 1 && opt.min_width >= 1,
              "motif discovery: pad >= 0, em_iterations >= 1 and min_width >= 1 required");
  PRISM_CHECK(opt.sites_per_sequence > 0, "motif discovery: sites_per_sequence must be > 0");
  const bool grouped = !opt.groups.empty();
  PRISM_CHECK(!grouped || opt.groups.size() == seqs.size(), "motif discovery: ",
              opt.groups.size(), " groups for ", seqs.size(), " sequences");
  int num_groups = 0;
  for (int g : opt.groups) {
    PRISM_CHECK(g >= 0, "motif discovery: negative group id ", g);
    num_groups = std::max(num_groups, g + 1);
  }
  const size_t needed_groups = std::min(opt.min_groups, static_cast<size_t>(num_groups));

  CodedSet set = Encode(seqs);
  std::vector<int8_t>& codes = set.codes;
  const Composition composition =
      opt.composition_background ? StrandSymmetricComposition(seqs) : kUniform;
  const size_t kmers = size_t{1} << (2 * k);
  const double p_value = std::min(
      0.01, opt.sites_per_sequence * static_cast<double>(seqs.size()) /
                std::max(1.0, 2.0 * static_cast<double>(codes.size())));
  std::vector<char> tried(kmers, 0);
  std::vector<DiscoveredMotif> found;
  while (found.size() < opt.max_motifs) {
    // 1. Counts of what is left, pooled and per group.
    std::vector<Counts> group(std::max(1, num_groups),
                              Counts{std::vector<uint32_t>(kmers), std::vector<uint32_t>(64)});
    for (size_t s = 0; s < seqs.size(); ++s)
      AddCounts(codes, set.begin[s], set.end[s], k,
                &group[grouped ? static_cast<size_t>(opt.groups[s]) : 0]);
    Counts pooled = group[0];
    for (size_t g = 1; g < group.size(); ++g) {
      for (size_t w = 0; w < kmers; ++w) pooled.kmer[w] += group[g].kmer[w];
      for (size_t w = 0; w < 64; ++w) pooled.tri[w] += group[g].tri[w];
    }
    const Background bg(pooled.tri);
    std::vector<std::pair<double, uint32_t>> ranked;
    for (uint32_t w = 0; w < kmers; ++w) {
      if (tried[w] || w > ReverseComplementCode(w, k)) continue;
      const double z = Z(pooled, bg, w, k);
      if (z >= opt.min_z) ranked.emplace_back(-z, w);
    }
    std::sort(ranked.begin(), ranked.end());
    // 2. The best seed enriched in enough groups.
    DiscoveredMotif m;
    bool have_seed = false;
    for (const auto& [neg_z, w] : ranked) {
      tried[w] = tried[ReverseComplementCode(w, k)] = 1;
      m = DiscoveredMotif{};
      m.seed = DecodeKmer(w, k);
      m.z = -neg_z;
      if (grouped) {
        for (const Counts& g : group)
          if (Z(g, Background(g.tri), w, k) >= opt.min_group_z) ++m.groups_enriched;
        if (m.groups_enriched < needed_groups) {
          if (group_specific) group_specific->push_back(m);
          continue;
        }
      }
      have_seed = true;
      break;
    }
    if (!have_seed) break;
    // 3. EM from the seed.
    double prior = 0;
    const Columns f = RefineFromSeed(codes, opt, p_value, composition, &m, &prior);
    // 4. Trim, keep, mask.
    auto informative = [&](const std::array<double, 4>& col) {
      double ic = 2;
      for (double v : col) ic += v * std::log2(v);
      return ic >= opt.min_edge_ic;
    };
    const auto first = std::find_if(f.begin(), f.end(), informative);
    const auto last = std::find_if(f.rbegin(), f.rend(), informative).base();
    if (first >= last || last - first < opt.min_width) continue;
    m.freq.assign(first, last);
    m.consensus = Consensus(m.freq);
    const Columns w = LogOdds(m.freq, composition);
    // Masked: the windows at the background p-value threshold; with posterior EM also those more
    // likely sites than not under its prior (a degenerate motif's sites score below the p-value
    // threshold).
    double mask_at = ScoreThreshold(w, p_value);
    if (opt.posterior_em) mask_at = std::min(mask_at, std::log2((1 - prior) / prior));
    std::vector<size_t> starts;
    ForEachSite(codes, w, mask_at, [&](size_t i, bool) { starts.push_back(i); });
    for (size_t i : starts) std::fill_n(codes.begin() + static_cast<std::ptrdiff_t>(i), w.size(), kGap);
    found.push_back(std::move(m));
  }
  return found;
}

std::array<double, 4> StrandSymmetricComposition(const std::vector<std::string_view>& seqs) {
  std::array<double, 4> n{1, 1, 1, 1};  // a pseudo-count per base: no zero for empty input
  for (std::string_view q : seqs)
    for (char ch : q) {
      const int b = BaseCode(ch);
      if (b >= 0) n[static_cast<size_t>(b)] += 1;
    }
  const double total = n[0] + n[1] + n[2] + n[3];
  const double at = (n[0] + n[3]) / (2 * total), cg = (n[1] + n[2]) / (2 * total);
  return {at, cg, cg, at};
}

double MotifSimilarity(const Columns& a, const Columns& b, int min_overlap) {
  Columns rc(b.rbegin(), b.rend());
  for (auto& col : rc) std::reverse(col.begin(), col.end());
  double best = -1;
  const int na = static_cast<int>(a.size());
  for (const Columns* m : {&b, static_cast<const Columns*>(&rc)}) {
    const int nb = static_cast<int>(m->size());
    for (int off = -(nb - min_overlap); off <= na - min_overlap; ++off) {
      const int a0 = std::max(0, off), b0 = std::max(0, -off);
      const int n = std::min(na - a0, nb - b0);
      if (n < min_overlap) continue;
      double xy = 0, xx = 0, yy = 0;
      for (int j = 0; j < n; ++j)
        for (size_t c = 0; c < 4; ++c) {
          const double x = a[static_cast<size_t>(a0 + j)][c] - 0.25;
          const double y = (*m)[static_cast<size_t>(b0 + j)][c] - 0.25;
          xy += x * y;
          xx += x * x;
          yy += y * y;
        }
      best = std::max(best, xy / std::sqrt(xx * yy + 1e-12));
    }
  }
  return best;
}

}  // namespace prism
