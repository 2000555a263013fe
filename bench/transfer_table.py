#!/usr/bin/env python3
"""Writes the table of bench/transfer.sh from its results.jsonl (one JSON object per setting).
Usage: python3 THIS RESULTS.jsonl OUT.md PAIRS TOTAL_WALL_TIME SKIP_PRISM(0|1)
(TOTAL_WALL_TIME is printed as given, e.g. "2403 s")
(also usable on a partial results.jsonl when the benchmark was stopped early)."""
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
out, pairs, total, skip = sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5] == "1"
cols = [("chance", "chance"), ("kmer", "4-mer LR"), ("reference", "motif reference"),
        ("prism_full", "prism default (components off)"), ("prism_on", "prism components on"),
        ("prism_nomask", "prism no shortcut mask"),
        ("prism_net", "its network alone"), ("mg_alone", "its motif grammar alone"),
        ("env_blind", "env-blind oracle"), ("true", "true oracle")]
f = lambda v: "-" if v is None else f"{v:.3f}"
def GateChoice(g):
    """The validation gate's choice (older results.jsonl: a bool, member used or not)."""
    if g is None: return "-"
    if isinstance(g, bool): return "ensemble" if g else "network"
    return g.get("choice", "ensemble" if g.get("used") else "network")
lines = ["| setting | role | train cells | shortcuts | " + " | ".join(c[1] for c in cols) +
         " | val gate's choice | QC default / components on / no mask |", "|---" * (len(cols) + 6) + "|"]
for r in rows:
    lines.append(f"| {r['name']} | {r['role']} | {r['train_cells']} | "
                 f"{'on' if r['shortcuts'] else 'off'} | " +
                 " | ".join(f(r.get(c)) for c, _ in cols) +
                 f" | {GateChoice(r.get('gate'))}"
                 f" | {r['qc_full'] or '-'} / {r.get('qc_on') or '-'} / {r.get('qc_nomask') or '-'} |")
def mean_row(label, sel):
    sel = [r for r in rows if sel(r)]
    if not sel: return
    vals = []
    for c, _ in cols:
        v = [r.get(c) for r in sel if r.get(c) is not None]
        vals.append(f(sum(v) / len(v)) if len(v) == len(sel) else "-")
    lines.append(f"| **mean: {label}** ({len(sel)}) | | | | " + " | ".join(vals) + " | | |")
mean_row("all", lambda r: True)
mean_row("choose", lambda r: r["role"] == "choose")
mean_row("report", lambda r: r["role"] == "report")
mean_row("shortcuts on", lambda r: r["shortcuts"])
with open(out, "w") as o:
    o.write("# Transfer benchmark (bench/transfer.sh)\n\n")
    o.write(f"Unseen-cell (test) AUPR per setting; {pairs} pairs per training cell line, "
            f"{pairs // 2} per val cell line (2 held-out training-like cell lines), {pairs * 2 // 3} "
            f"per test cell line (3 unseen). Total wall time {total}"
            f"{' (prism skipped: SKIP_PRISM=1)' if skip else ''}.\n\n")
    o.write("\n".join(lines) + "\n\n")
    o.write("Settings (all `prism simulate --preset transfer` plus):\n\n")
    for r in rows:
        o.write(f"- `{r['name']}` ({r['role']}): {r['train_cells']} training cell lines "
                f"{r['args'] or '(preset as is)'}; pairs {r['pairs']}; seconds {r['seconds']}\n")
print(open(out).read())
