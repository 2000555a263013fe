#!/usr/bin/env python3
"""bench/RESULTS-feat.md from the rows bench/feature_transfer.sh collected.

Usage: feature_transfer_table.py RESULTS_TSV TOTAL_SECONDS THREADS SAME_COMPONENTS COMMAND
RESULTS_TSV rows: bench, seed, model, held-out cell line, AUPR, AUC, seconds.
Per benchmark one table: per held-out cell line each model's AUPR (mean over seeds), then the
mean over cell lines, the spread of that mean over seeds (max - min) and prism - xgboost.
"network", "xgboost_member" (model.ensemble's members alone) and "xgboost_in_run" (the run's
built-in baseline) come from the default runs' metrics/test.json, not from runs of their own.
"""
import collections
import os
import platform
import statistics
import subprocess
import sys

MODELS = [("default", "prism (configs/features-whalen.toml)"),
          ("components_off", "prism, components off"),
          ("network", "its network alone"),
          ("xgboost_member", "its trees alone"),
          ("xgboost_in_run", "XGBoost baseline of the run"),
          ("xgboost", "XGBoost (model.kind, 500 rounds)"),
          ("xgboost_es", "XGBoost, early stop on a val cell line"),
          ("distance", "distance")]
TITLES = {"whalen": "Whalen leave-one-cell-line-out (train on the other five)",
          "bengi": "BENGI across cell lines (train on every table of the other cell line)"}


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores visible, {platform.system()} {platform.release()}"


def main():
    path, total, threads, same_components, command = sys.argv[1:6]
    rows = [l.rstrip("\n").split("\t") for l in open(path) if l.strip()]
    # aupr[bench][model][cell][seed]
    aupr = collections.defaultdict(lambda: collections.defaultdict(lambda: collections.defaultdict(dict)))
    secs = collections.defaultdict(float)
    for bench, seed, model, cell, a, _auc, s in rows:
        aupr[bench][model][cell][seed] = float(a)
        secs[model] += float(s)
    seeds = sorted({r[1] for r in rows})
    out = ["# Feature-table transfer: prism vs XGBoost vs distance", "",
           f"Written by `{command}`. Seeds {', '.join(seeds)}; {threads} thread(s) per run; "
           f"{int(float(total))} s wall for this invocation on {machine()}. AUPR on the held-out cell line "
           "(prism: mean over the seeds; XGBoost and distance are run once: without row or column "
           "sampling XGBoost's seed changes no tree, and distance has none).", ""]
    if same_components == "1":
        out += ["The default feature config already has the four PRISM components off, so the "
                "components-off model is the default one (not run twice).", ""]
    verdicts = []
    for bench in ("whalen", "bengi"):
        if bench not in aupr:
            continue
        models = [(m, t) for m, t in MODELS if m in aupr[bench]]
        cells = sorted({c for m, _ in models for c in aupr[bench][m]})
        out += [f"## {TITLES[bench]}", "",
                "| held-out | " + " | ".join(t for _, t in models) + " |",
                "|---" * (len(models) + 1) + "|"]
        for c in cells:
            vals = []
            for m, _ in models:
                v = aupr[bench][m].get(c, {})
                vals.append("%.4f" % statistics.mean(v.values()) if v else "-")
            out.append(f"| {c} | " + " | ".join(vals) + " |")
        means, spreads, per_seed = [], [], {}
        for m, _ in models:
            by_seed = {}
            for s in seeds:
                v = [aupr[bench][m][c][s] for c in cells if s in aupr[bench][m][c]]
                if len(v) == len(cells):
                    by_seed[s] = statistics.mean(v)
            per_seed[m] = by_seed
            means.append(statistics.mean(by_seed.values()) if by_seed else float("nan"))
            spreads.append("%.4f" % (max(by_seed.values()) - min(by_seed.values()))
                           if len(by_seed) > 1 else "(1 run)")
        out.append("| **mean** | " + " | ".join("**%.4f**" % v for v in means) + " |")
        out.append("| seed spread of the mean (max-min) | " +
                   " | ".join(spreads) + " |")
        mean_of = dict(zip([m for m, _ in models], means))
        if "default" not in mean_of:
            out.append("")
            continue
        # The target: the XGBoost baseline fitted in the same run (same splits); also reported:
        # the best of every XGBoost trained apart from prism (picked on these held-out labels, so
        # in XGBoost's favour) and prism's own trees alone (a member of the default, not a rival).
        rivals = {k: v for k, v in mean_of.items() if k in ("xgboost", "xgboost_es", "xgboost_in_run")}
        target = "xgboost_in_run" if "xgboost_in_run" in mean_of else "xgboost"
        if target not in mean_of:
            out.append("")
            continue
        d = mean_of["default"] - mean_of[target]
        best = max(rivals, key=rivals.get)
        lines = ["", f"- prism default - {dict(models)[target]}: **{d:+.4f}** mean AUPR "
                 f"(target: >= +0.02; {'met' if d >= 0.02 else 'NOT met'})",
                 f"- prism default - the best XGBoost trained apart from prism ({dict(models)[best]}, "
                 f"picked on these held-out labels): {mean_of['default'] - rivals[best]:+.4f}"]
        if "xgboost_member" in mean_of:
            lines.append(f"- prism default - its own trees alone: "
                         f"{mean_of['default'] - mean_of['xgboost_member']:+.4f}; - its network alone: "
                         f"{mean_of['default'] - mean_of['network']:+.4f}")
        out += lines + [""]
        verdicts.append((bench, d, dict(models)[target]))
    out += ["## Verdict", ""]
    for bench, d, target in verdicts:
        out.append(f"- {bench}: prism default {d:+.4f} against the {target}: "
                   f"{'target met' if d >= 0.02 else 'target NOT met'}.")
    out += ["", "Seconds per model (train + predict, all runs): " +
            ", ".join(f"{m} {secs[m]:.0f}" for m, _ in MODELS if m in secs) + ".", ""]
    print("\n".join(out))


if __name__ == "__main__":
    main()
