// Motifs: random, well-separated PWMs and the shortcut k-mers that must not resemble them.
#include <algorithm>
#include <set>

#include "prism/error.h"
#include "sim/generative_model.h"

namespace prism::sim {
namespace {

constexpr char kBases[4] = {'A', 'C', 'G', 'T'};

int BaseIndex(char c) {
  switch (c) {
    case 'A': return 0;
    case 'C': return 1;
    case 'G': return 2;
    default: return 3;
  }
}

bool HasLongRun(const std::string& s, int max_run) {
  int run = 1;
  for (size_t i = 1; i < s.size(); ++i) {
    run = s[i] == s[i - 1] ? run + 1 : 1;
    if (run > max_run) return true;
  }
  return false;
}

std::set<std::string> Kmers(const std::string& s, int k) {
  std::set<std::string> out;
  for (size_t i = 0; i + k <= s.size(); ++i) out.insert(s.substr(i, k));
  return out;
}

bool ShareKmer(const std::string& a, const std::string& b, int k) {
  const auto ka = Kmers(a, k);
  for (size_t i = 0; i + k <= b.size(); ++i)
    if (ka.count(b.substr(i, k))) return true;
  return false;
}

/// Largest fraction of agreeing positions over all ungapped offsets with an overlap >= 6.
double MaxOverlapIdentity(const std::string& a, const std::string& b) {
  double best = 0;
  const int na = static_cast<int>(a.size()), nb = static_cast<int>(b.size());
  for (int off = -(nb - 6); off <= na - 6; ++off) {
    int match = 0, overlap = 0;
    for (int i = std::max(0, off); i < std::min(na, off + nb); ++i) {
      ++overlap;
      match += a[i] == b[i - off];
    }
    if (overlap >= 6) best = std::max(best, static_cast<double>(match) / overlap);
  }
  return best;
}

std::string RandomBases(int n, Rng& rng) {
  std::string s(n, 'A');
  for (char& c : s) c = kBases[rng.UniformInt(4)];
  return s;
}

/// `len` PWM columns, each a Dirichlet(alpha) draw (normalised Gamma(alpha) variates).
std::vector<std::array<double, 4>> DirichletColumns(int len, double alpha, Rng& rng) {
  std::vector<std::array<double, 4>> cols(static_cast<size_t>(len));
  for (auto& col : cols) {
    double total = 0;
    for (double& v : col) total += v = rng.Gamma(alpha);
    if (total <= 0) {  // all four underflowed (alpha tiny): a uniform column
      col.fill(0.25);
      continue;
    }
    for (double& v : col) v /= total;
  }
  return cols;
}

/// The most probable base of every column.
std::string ConsensusOf(const std::vector<std::array<double, 4>>& cols) {
  std::string s;
  for (const auto& col : cols)
    s += kBases[std::max_element(col.begin(), col.end()) - col.begin()];
  return s;
}

}  // namespace

std::vector<Motif> GenerateMotifs(const SimulationOptions& options, Rng& rng) {
  std::vector<Motif> motifs;
  const double off = (1.0 - options.motif_consensus_prob) / 3.0;
  int tries = 0;
  while (static_cast<int>(motifs.size()) < options.num_motifs) {
    if (++tries > 200000)
      Fatal("cannot draw ", options.num_motifs, " well-separated motifs of length ",
            options.motif_min_length, "..", options.motif_max_length,
            "; use fewer or longer motifs");
    const int len = options.motif_min_length +
                    rng.UniformInt(options.motif_max_length - options.motif_min_length + 1);
    const bool dirichlet = options.pwm_dirichlet_alpha > 0;
    std::vector<std::array<double, 4>> columns;
    if (dirichlet) columns = DirichletColumns(len, options.pwm_dirichlet_alpha, rng);
    std::string cons = dirichlet ? ConsensusOf(columns) : RandomBases(len, rng);
    if (HasLongRun(cons, 3)) continue;
    const auto gc = std::count_if(cons.begin(), cons.end(),
                                  [](char c) { return c == 'G' || c == 'C'; });
    if (gc * 4 < len || gc * 4 > 3 * len) continue;  // GC between 25% and 75%
    bool separated = true;
    for (const Motif& m : motifs) {
      if (ShareKmer(cons, m.consensus, 6) || MaxOverlapIdentity(cons, m.consensus) > 0.6) {
        separated = false;
        break;
      }
    }
    if (!separated) continue;
    Motif m;
    m.consensus = cons;
    if (dirichlet) {
      m.pwm = std::move(columns);
      motifs.push_back(std::move(m));
      continue;
    }
    for (char c : cons) {
      std::array<double, 4> col;
      col.fill(off);
      col[BaseIndex(c)] = options.motif_consensus_prob;
      m.pwm.push_back(col);
    }
    motifs.push_back(std::move(m));
  }
  return motifs;
}

std::string SampleMotifInstance(const Motif& motif, Rng& rng, int max_mismatches) {
  std::string s(motif.pwm.size(), 'A');
  for (int tries = 0;; ++tries) {
    for (size_t i = 0; i < motif.pwm.size(); ++i) {
      double u = rng.Uniform();
      int b = 0;
      while (b < 3 && u >= motif.pwm[i][b]) u -= motif.pwm[i][b++];
      s[i] = kBases[b];
    }
    if (max_mismatches < 0 || Mismatches(s.data(), motif.consensus, max_mismatches) <= max_mismatches)
      return s;
    // The consensus itself is always within the limit; the PWM puts >= 0.25 on it per position.
    if (tries >= 10000) return motif.consensus;
  }
}

int Mismatches(const char* window, const std::string& consensus, int limit) {
  int mm = 0;
  for (size_t i = 0; i < consensus.size(); ++i)
    if (window[i] != consensus[i] && ++mm > limit) return mm;
  return mm;
}

std::string GenerateShortcutKmer(int k, const std::vector<Motif>& motifs,
                                 const std::vector<std::string>& avoid, Rng& rng) {
  const int shared = std::min(5, k);
  for (int tries = 0; tries < 100000; ++tries) {
    std::string s = RandomBases(k, rng);
    if (HasLongRun(s, 3)) continue;
    const auto gc = std::count_if(s.begin(), s.end(), [](char c) { return c == 'G' || c == 'C'; });
    if (gc * 2 != k && gc * 2 != k + 1 && gc * 2 != k - 1) continue;
    bool ok = true;
    for (const Motif& m : motifs) ok = ok && !ShareKmer(s, m.consensus, shared);
    for (const std::string& a : avoid) ok = ok && !ShareKmer(s, a, shared);
    if (ok) return s;
  }
  Fatal("cannot draw a shortcut k-mer of length ", k, " distinct from the motifs");
}

}  // namespace prism::sim
