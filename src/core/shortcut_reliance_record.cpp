// core/shortcut_reliance_record.cpp - RUN/shortcut_reliance.json (prism/shortcut_reliance.h):
// the summary over k-mers, the writer and the typed reader.
#include <algorithm>

#include "core/record_fields.h"
#include "prism/shortcut_reliance.h"

namespace prism {
namespace {

using records::Fields;

Json EffectJson(const EffectStats& e) {
  return {{"n", e.n}, {"mean", JsonNumber(e.mean)}, {"max", JsonNumber(e.max)}};
}

EffectStats ReadEffect(const Fields& f, const std::string& key) {
  EffectStats e;
  const Json* o = f.Obj(key);
  if (!o) return e;
  Fields g = f.Sub(key, *o);
  e.n = g.Int("n", 0);
  e.mean = g.Num("mean");
  e.max = g.Num("max");
  return e;
}

/// Mean of the finite values (NaN when none).
double MeanOf(const std::vector<double>& v) {
  double sum = 0;
  int n = 0;
  for (double x : v)
    if (std::isfinite(x)) sum += x, ++n;
  return n ? sum / n : NAN;
}

double MaxOf(const std::vector<double>& v) {
  double m = NAN;
  for (double x : v)
    if (std::isfinite(x) && !(x <= m)) m = x;
  return m;
}

}  // namespace

EffectStats EffectStats::Of(const std::vector<double>& changes) {
  EffectStats e;
  e.n = static_cast<int64_t>(changes.size());
  if (changes.empty()) return e;
  double sum = 0;
  e.max = changes[0];
  for (double c : changes) sum += c, e.max = std::max(e.max, c);
  e.mean = sum / static_cast<double>(changes.size());
  return e;
}

void ShortcutReliance::Summarise() {
  std::vector<double> ins, ins_max, rem, rem_max, cins, crem, excess;
  for (const KmerReliance& k : kmers) {
    ins.push_back(k.insert.mean);
    ins_max.push_back(k.insert.max);
    rem.push_back(k.remove.mean);
    rem_max.push_back(k.remove.max);
    cins.push_back(k.control_insert.mean);
    crem.push_back(k.control_remove.mean);
    excess.push_back(k.Excess());
  }
  insert_mean = MeanOf(ins);
  insert_max = MaxOf(ins_max);
  remove_mean = MeanOf(rem);
  remove_max = MaxOf(rem_max);
  control_insert_mean = MeanOf(cins);
  control_remove_mean = MeanOf(crem);
  excess_mean = MeanOf(excess);
  excess_max = MaxOf(excess);
  excess_max_kmer.clear();
  excess_max_cell.clear();
  for (const KmerReliance& k : kmers)
    if (std::isfinite(excess_max) && k.Excess() == excess_max) {
      excess_max_kmer = k.kmer;
      excess_max_cell = k.cell_line;
      break;
    }
}

std::string ShortcutReliance::ScorerPhrase() const {
  if (scorer.empty()) return "";
  if (scorer == "network") return "the network's scores";
  const std::string plus = "network+";
  if (scorer.compare(0, plus.size(), plus) == 0)
    return "the ensemble's scores (network + " + scorer.substr(plus.size()) + ")";
  return "the " + scorer + " member's scores (the gate's choice)";
}

Json ShortcutReliance::ToJson() const {
  Json list = Json::array();
  for (const KmerReliance& k : kmers)
    list.push_back({{"kmer", k.kmer}, {"cell_line", k.cell_line}, {"rank", k.rank},
                    {"audit_z", JsonNumber(k.audit_z)},
                    {"specificity", JsonNumber(k.specificity)},
                    {"control_kmer", k.control_kmer}, {"insert", EffectJson(k.insert)},
                    {"remove", EffectJson(k.remove)},
                    {"control_insert", EffectJson(k.control_insert)},
                    {"control_remove", EffectJson(k.control_remove)},
                    {"excess", JsonNumber(k.Excess())}});
  return {{"split", split}, {"checkpoint", checkpoint}, {"cells", cells},
          {"kmers_per_cell", kmers_per_cell}, {"max_pairs", max_pairs}, {"seed", seed},
          {"kmer_source", kmer_source}, {"scorer", scorer}, {"note", note},
          {"overall",
           {{"insert_mean", JsonNumber(insert_mean)}, {"insert_max", JsonNumber(insert_max)},
            {"remove_mean", JsonNumber(remove_mean)}, {"remove_max", JsonNumber(remove_max)},
            {"control_insert_mean", JsonNumber(control_insert_mean)},
            {"control_remove_mean", JsonNumber(control_remove_mean)},
            {"excess_mean", JsonNumber(excess_mean)}, {"excess_max", JsonNumber(excess_max)},
            {"excess_max_kmer", excess_max_kmer}, {"excess_max_cell", excess_max_cell}}},
          {"kmers", list}};
}

ShortcutReliance ShortcutReliance::FromJson(const Json& j, const RecordSource& src) {
  Fields f(j, src);
  if (!j.is_object())
    throw InputError(src.file, src.line, 0, "expected a JSON object (shortcut_reliance.json)");
  ShortcutReliance r;
  r.split = f.Str("split");
  r.checkpoint = f.Str("checkpoint");
  r.cells = f.Strings("cells");
  r.kmers_per_cell = static_cast<int>(f.Int("kmers_per_cell", 0));
  r.max_pairs = f.Int("max_pairs", 0);
  r.seed = static_cast<uint64_t>(f.Int("seed", 0));
  r.kmer_source = f.Str("kmer_source");
  r.scorer = f.Str("scorer");
  r.note = f.Str("note");
  if (const Json* list = f.Find("kmers")) {
    if (!list->is_array()) f.Fail("kmers", "an array of objects");
    for (size_t i = 0; i < list->size(); ++i) {
      const Json& e = (*list)[i];
      const std::string key = "kmers[" + std::to_string(i) + "]";
      if (!e.is_object()) f.Fail(key, "an object");
      Fields g(e, src, key + ".");
      KmerReliance k;
      k.kmer = g.Str("kmer");
      k.cell_line = g.Str("cell_line");
      k.rank = static_cast<int>(g.Int("rank", 0));
      k.audit_z = g.Num("audit_z");
      k.specificity = g.Num("specificity");
      k.control_kmer = g.Str("control_kmer");
      k.insert = ReadEffect(g, "insert");
      k.remove = ReadEffect(g, "remove");
      k.control_insert = ReadEffect(g, "control_insert");
      k.control_remove = ReadEffect(g, "control_remove");
      r.kmers.push_back(std::move(k));
    }
  }
  // The overall numbers follow from the k-mers; a file's own "overall" is checked for types only.
  if (const Json* o = f.Obj("overall")) {
    Fields g = f.Sub("overall", *o);
    for (const char* key : {"insert_mean", "insert_max", "remove_mean", "remove_max",
                            "control_insert_mean", "control_remove_mean", "excess_mean",
                            "excess_max"})
      g.Num(key);
    g.Str("excess_max_kmer");
    g.Str("excess_max_cell");
  }
  r.Summarise();
  return r;
}

ShortcutReliance ReadShortcutReliance(const std::string& path) {
  return ShortcutReliance::FromJson(ReadJsonFile(path), {path, 0});
}

}  // namespace prism
