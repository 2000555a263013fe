// train/data_shortcut_mask.cpp - data.shortcut_mask_*: the shortcut mask (prism/shortcut_mask.h)
// applied to the splits a run reads, with the log line and run.json's `shortcut_mask` record.
#include <string>

#include "prism/log.h"
#include "prism/shortcut_mask.h"
#include "train/dataset.h"

namespace prism::train {
namespace {

/// data.shortcut_mask_* as ShortcutMaskOptions.
ShortcutMaskOptions MaskOptions(const TrainConfig& c) {
  ShortcutMaskOptions o;
  o.per_cell = static_cast<int>(c.data.shortcut_mask_per_cell);
  o.min_specificity = c.data.shortcut_mask_min_specificity;
  o.spare_min_z = c.data.shortcut_mask_spare_z;
  o.seed = static_cast<uint64_t>(c.seed);
  return o;
}

/// What one split's shortcut mask did (`split`: "training" or "validation"), logged and as
/// run.json's `shortcut_mask` record (`cells`: the key that counts the split's cell lines).
Json MaskRecord(const ShortcutMaskOptions& o, const ShortcutMaskResult& r, const std::string& split,
                const std::string& cells) {
  Json kmers = Json::array();
  std::string list;
  for (const auto& e : r.masked) {
    kmers.push_back({{"kmer", e.kmer},
                     {"cell_line", e.cell_line},
                     {"rank", e.rank},
                     {"positives_with", e.positives_with},
                     {"positives", e.positives},
                     {"negatives_with", e.negatives_with},
                     {"negatives", e.negatives},
                     {"z", JsonNumber(e.z)},
                     {"specificity", JsonNumber(e.specificity)}});
    list += (list.empty() ? "" : ", ") + e.kmer + " (" + e.cell_line + ")";
  }
  const std::string line = "data.shortcut_mask: " + std::to_string(r.masked.size()) +
                           " cell-specific k-mers masked in " +
                           std::to_string(r.enhancers_edited) + " " + split + " enhancers (" +
                           std::to_string(r.occurrences) + " occurrences)" +
                           (list.empty() ? "" : ": " + list);
  Json spared = Json::array();
  std::string spared_list;
  for (const auto& s : r.spared) {
    spared.push_back({{"kmer", s.kmer.kmer},
                      {"cell_line", s.kmer.cell_line},
                      {"specificity", JsonNumber(s.kmer.specificity)},
                      {"present_in", s.present_in},
                      {"other_cells", s.other_cells}});
    spared_list += (spared_list.empty() ? "" : ", ") + s.kmer.kmer + " (" + s.kmer.cell_line + ", " +
                   std::to_string(s.present_in) + " of " + std::to_string(s.other_cells) + ")";
  }
  const std::string spared_line =
      spared_list.empty() ? ""
                          : "; spared, present beyond chance in most other cell lines: " + spared_list;
  if (r.masked.empty() && r.spared.empty()) Log::Debug(line + spared_line);
  else Log::Info(line + spared_line);
  return {{"per_cell", o.per_cell},
          {"min_specificity", JsonNumber(o.min_specificity)},
          {"spare_min_z", JsonNumber(o.spare_min_z)},
          {"spared", spared},
          {cells, r.training_cells},
          {"enhancers_edited", r.enhancers_edited},
          {"occurrences", r.occurrences},
          {"kmers", kmers}};
}

}  // namespace

/// data.shortcut_mask_*: masks the validation split (data.shortcut_mask_val; for training and
/// predict alike, against the unmasked training split, so that both mask the same k-mers) and,
/// when `training`, the training split; returns run.json's `shortcut_mask` record (the
/// validation split's under "val"; null when off).
Json ApplyShortcutMasks(const TrainConfig& c, DomainKlData* raw, bool training) {
  if (c.data.shortcut_mask_per_cell <= 0) return Json();
  const ShortcutMaskOptions o = MaskOptions(c);
  Json val;
  if (c.data.shortcut_mask_val && raw->has_val && !raw->val.pairs.empty())
    val = MaskRecord(o, MaskValShortcutKmers(raw->train, &raw->val, o), "validation", "val_cells");
  if (!training) return Json();
  Json out = MaskRecord(o, MaskShortcutKmers(&raw->train, o), "training", "training_cells");
  if (!val.is_null()) out["val"] = val;
  return out;
}

}  // namespace prism::train
