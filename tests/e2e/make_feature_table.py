#!/usr/bin/env python3
"""A small TargetFinder-style feature table for the e2e tests (docs/data-formats.md).

Usage: make_feature_table.py OUT.csv ROWS SEED [--cell-specific]
24 feature columns (8 marks x enhancer/promoter/window), 4 cell lines A-D in turn, 25% positives;
H3K27ac at the enhancer (+1.5 in positives) and a shorter distance carry the label. With
--cell-specific the H3K27ac shift is weaker in B (0.6, else 1.2) and H3K4me1 at the enhancer
carries +0.5 in A's positives only, so cell lines differ in what predicts the label.
"""
import random
import sys


def main():
    out, rows, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    cell_specific = "--cell-specific" in sys.argv[4:]
    random.seed(seed)
    marks = ["CTCF", "DNase", "H3K27ac", "H3K27me3", "H3K36me3", "H3K4me1", "H3K4me3", "H3K9me3"]
    cols = [f"{m} ({w})" for m in marks for w in ("enhancer", "promoter", "window")]
    with open(out, "w") as f:
        f.write("label,enh_name,prom_name,celltype,chrom,enhancer_distance_to_promoter,"
                + ",".join(cols) + "\n")
        for i in range(rows):
            cell = "ABCD"[i % 4]
            y = int(random.random() < 0.25)
            dist = int(10 ** random.gauss(4.0 if y else 4.6, 0.4))
            vals = [max(0.0, random.gauss(1.0, 0.5)) for _ in cols]
            if cell_specific:
                vals[cols.index("H3K27ac (enhancer)")] += (1.2 if cell != "B" else 0.6) * y
                vals[cols.index("H3K4me1 (enhancer)")] += 0.5 * y * (cell == "A")
            else:
                vals[cols.index("H3K27ac (enhancer)")] += 1.5 * y
            f.write(f"{y},chr1:{i}-{i+1}|{cell}|e{i},chr1:{i}-{i+1}|{cell}|p{i},{cell},chr1,{dist},"
                    + ",".join(f"{v:.4f}" for v in vals) + "\n")


if __name__ == "__main__":
    main()
