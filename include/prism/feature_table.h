// prism/feature_table.h - TargetFinder/BENGI epigenomic feature tables (.csv or .csv.gz).
//
// Header: label,enh_name,prom_name,celltype,chrom,enhancer_distance_to_promoter, then the 24
// feature columns "MARK (enhancer|promoter|window)" for MARK in CTCF, DNase, H3K27ac, H3K27me3,
// H3K36me3, H3K4me1, H3K4me3, H3K9me3 (the format of ../shared/data/epi-features/README.md).
// Extra columns after the six leading ones are not allowed: the feature block must be exactly
// the 24 columns, in the order of FeatureTableColumns().
#pragma once

#include <string>
#include <vector>

#include "prism/pairs.h"

namespace prism {

/// The 24 feature column names in file order.
const std::vector<std::string>& FeatureTableColumns();

/// Reads one table. Pair::enhancer/promoter are enh_name/prom_name as written
/// ("chr9:613609-614420|HMEC|EH37E0985881"), cell_line = celltype, chrom and distance are set.
/// Throws InputError (file:line[:col]) on a bad header, a ragged row, a bad label or number,
/// a negative, infinite or out-of-range feature value, an empty file or corrupt gzip data. A
/// missing feature value (empty, NA, N/A, nan) is read as 0, counted in FeatureTable::imputed and
/// reported in one logged warning per file.
FeatureTable ReadFeatureTable(const std::string& path);

/// Reads and concatenates several tables (same 24 columns in the same order in every file).
FeatureTable ReadFeatureTables(const std::vector<std::string>& paths);

/// The rows `rows` of `table` (in that order), e.g. one part of a SplitIndices.
FeatureTable SelectRows(const FeatureTable& table, const std::vector<size_t>& rows);

}  // namespace prism
