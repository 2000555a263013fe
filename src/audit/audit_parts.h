// audit/audit_parts.h - the checks `prism audit` combines (internal).
#pragma once

#include <string>
#include <vector>

#include "prism/audit.h"

namespace prism::audit {

/// One side of a split: its pairs and, for sequence data, its sequences.
struct AuditSide {
  std::string name;
  std::vector<const Pair*> pairs;
  const SequenceSet* seqs = nullptr;  ///< null: compare by name only
};

/// Elements of `test` that also occur in `train` (shared_elements.cpp).
SharedElements CompareSides(const AuditSide& train, const AuditSide& test, bool strict,
                            const AuditOptions& options);
/// Per cell line and role: always-positive / always-negative elements (element_labels.cpp).
std::vector<ElementLabelStats> ElementLabelRates(const std::vector<const Pair*>& pairs,
                                                 const AuditOptions& options);
/// Per cell line with finite distances: |distance| quartiles by label, distance-only AUPR
/// (distance_stats.cpp).
std::vector<DistanceStats> DistanceByLabel(const std::vector<const Pair*>& pairs);
/// Per cell line of one split with sequences: mean pair GC by label and GC-only AUPR
/// (gc_stats.cpp).
std::vector<GcStats> GcByLabel(const std::string& split, const std::vector<const Pair*>& pairs,
                               const SequenceSet& seqs);
/// The note when GC content separates the labels in a training cell line (AUPR(GC) or
/// AUPR(GC-poor) above the positive rate by more than 0.1 and |diff| > 0.01); empty when it does
/// not (gc_stats.cpp).
std::string GcConfoundingNote(const std::vector<GcStats>& gc);
/// K-mers whose label enrichment is confined to one cell line of `train` (sides with sequences;
/// `others` are reported for presence elsewhere) (cell_specific_kmers.cpp).
std::vector<CellSpecificKmer> CellSpecificKmers(const AuditSide& train,
                                                const std::vector<const AuditSide*>& others,
                                                const AuditOptions& options);
/// The cell-specific k-mers as a text section (ranks 1-3 per cell line) and as JSON
/// (cell_specific_kmers.cpp).
std::string FormatCellSpecificKmers(const std::vector<CellSpecificKmer>& kmers);
Json CellSpecificKmersJson(const std::vector<CellSpecificKmer>& kmers);
/// Pairs and positives per cell line (class_balance.cpp).
std::vector<ClassBalance> ClassBalanceOf(const std::string& split,
                                         const std::vector<const Pair*>& pairs);
/// Pairs listed with label 0 and 1 (same enhancer, promoter, cell line) (findings.cpp).
void ConflictingLabels(const std::vector<const Pair*>& pairs, const AuditOptions& options,
                       std::vector<AuditFinding>* out);
/// A side whose pairs are all of one class (findings.cpp).
void OneClassSide(const AuditSide& side, std::vector<AuditFinding>* out);
/// Cell lines of `test` also in `train`; `leakage` for train vs test (findings.cpp).
void CellLineOverlap(const AuditSide& train, const AuditSide& test, bool leakage,
                     std::vector<AuditFinding>* out);
/// Quantile with linear interpolation (numpy's default) of sorted values; NaN when empty.
double Quantile(const std::vector<double>& sorted, double q);

}  // namespace prism::audit
