#!/usr/bin/env bash
# End-to-end: model.ensemble = "motif_grammar" on a small simulation of the transfer family -
# prism train fits the network, then a logistic regression on the motif-pair grammar of the
# motifs found de novo in the training elements (run.json derived.ensemble: the motifs and their
# discovery record, both site models' candidates and the one chosen with its site p-value or
# prior and L2, the file with size and hash); predict scores the mean of the two probabilities and records each
# member alone. The member's probabilities are recomputed by an independent implementation
# (below: PWM log-odds at 0.01 bit, the exact background p-value threshold or the expected
# sites' posteriors, both strands, counts capped at 2, the grammar's design and the file's weights) and match those recovered from the
# ensemble's scores and a run with model.ensemble = "none". prism score on the simulated genome
# applies the member as predict did (checked against the same implementation and the network-only
# run's scores of the same candidates). The shortcut-reliance measurement scores what the gate
# chose (the same network's numbers when that is the network). qc, reflect and report read the run;
# a changed member file is refused; without motifs found the run is the network alone;
# motif_grammar on feature tables is one config error.
# Usage: bash motif_grammar_ensemble.sh PRISM_BIN [SHARED_DATA_DIR]
set -euo pipefail
PRISM=${1:?usage: motif_grammar_ensemble.sh PRISM_BIN}
TMP=$(mktemp -d)
trap '[ -n "${KEEP_TMP:-}" ] && echo "kept $TMP" >&2 || rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$(dirname "$0")/run_checks.bash"

"$PRISM" -q simulate --preset transfer-tiny --seed 3 --genome -o "$TMP/sim" > /dev/null
config() {  # config FILE ENSEMBLE
  printf 'preset = "default"\nname = "mg"\n[model]\nensemble = "%s"\nmotif_grammar_sites = "select"\nmotif_grammar_background = "average"\n[train]\nsteps = 150\n' "$2" > "$1"
}
config "$TMP/mg.toml" motif_grammar
config "$TMP/net.toml" none
run="$TMP/run"
"$PRISM" --threads 1 train --config "$TMP/mg.toml" --data "$TMP/sim" -o "$run" --no-baselines \
  > "$TMP/train.txt" 2>&1 || { cat "$TMP/train.txt"; fail "train"; }
grep -q "ensemble member: motif grammar of [0-9]* enhancer x [0-9]* promoter motifs" "$TMP/train.txt" \
  || { cat "$TMP/train.txt"; fail "train did not log the member"; }
"$PRISM" -q --threads 1 predict "$run" --no-baselines > /dev/null || fail "predict"
grep -q "each member alone, AUPR: motif_grammar" "$run/results.md" || { cat "$run/results.md"; fail "results.md"; }
"$PRISM" -q --threads 1 train --config "$TMP/net.toml" --data "$TMP/sim" -o "$TMP/net" --no-baselines > /dev/null
"$PRISM" -q --threads 1 predict "$TMP/net" --no-baselines > /dev/null
[[ ! -e "$TMP/net/checkpoints/ensemble.motif_grammar.json" ]] || fail "ensemble = none fitted a member"

# prism score applies the member as predict did (scale from metrics/test.json); the network-only
# run scores the same candidates with the same network.
score_opts=(--genome "$TMP/sim/genome.fa" --enhancers "$TMP/sim/enhancers.bed"
            --promoters "$TMP/sim/promoters.bed" --min-distance 2000 --max-distance 20000
            --context-pairs 2000 --chunk-size 250 --threads 1 --cell-line test1)
"$PRISM" -q score "$run" "${score_opts[@]}" -o "$TMP/score-ens" > /dev/null || fail "score (ensemble)"
"$PRISM" -q score "$TMP/net" "${score_opts[@]}" -o "$TMP/score-net" > /dev/null || fail "score (network)"

python3 - "$run" "$TMP/net" "$TMP/sim" "$TMP" <<'PY' || fail "the motif grammar member"
import csv, json, math, os, sys
run, net, sim = sys.argv[1:4]
r = json.load(open(run + "/run.json"))
assert r["status"] == "finished", r["status"]
e = r["derived"]["ensemble"]
assert e["member"] == "motif_grammar" and e["weight"] == 0.5 and e["selected_on"] == "val", e
me, mp = len(e["enhancer_motifs"]), len(e["promoter_motifs"])
disc = e["discovery"]
for key in ("enhancer", "promoter"):  # small data: discovery reads every sequence
    n = disc[key + "_sequences"]
    assert n["sequences"] == n["sequences_available"] > 0, (key, n)
    assert [m["consensus"] for m in disc[key]] == e[key + "_motifs"], key
# model.motif_grammar_sites = "select": both site models fitted, the higher validation AUPR kept
assert e["sites_rule"] == "select", e
cands = e["candidates"]
assert [c["sites"] for c in cands] == ["hard", "posterior"] and all(c["fitted"] for c in cands), cands
assert e["sites"] == max(cands, key=lambda c: c["selection_aupr"])["sites"], (e["sites"], cands)
chosen = [c for c in cands if c["sites"] == e["sites"]][0]
assert abs(chosen["selection_aupr"] - e["selection_aupr"]) < 1e-12 and chosen["l2"] == e["l2"], chosen
assert disc["em"] == e["sites"], disc["em"]
if e["sites"] == "hard":
    # site p-values: at most 0.1 false sites per background element of the mean length (else the strictest)
    allowed = [p for p in (1e-3, 1e-4, 1e-5) if 2 * disc["mean_element_length"] * p <= 0.1] or [1e-5]
    assert disc["site_p_values"] == allowed and e["p_value"] in allowed, (disc["site_p_values"], e["p_value"])
else:
    # expected sites: a prior of 0.1 sites per background element of the mean length
    prior = min(0.5, 0.1 / (2 * disc["mean_element_length"]))
    assert abs(e["site_prior"] - prior) < 1e-12 * prior, (e["site_prior"], prior)
assert me >= 1 and mp >= 1 and e["features"] == me * mp + me + mp, e
assert e["l2"] in (1000, 100, 10, 1, 0.1), e
assert e["file"] == "checkpoints/ensemble.motif_grammar.json"
assert os.path.getsize(run + "/" + e["file"]) == e["bytes"]
g = json.load(open(run + "/" + e["file"]))
assert [m["consensus"] for m in g["enhancer"]] == e["enhancer_motifs"]
# model.motif_grammar_background = "average" (set above) and motif_grammar_wide_flank = 4 (the
# default): the chosen site model fitted again on motifs found against the elements' own base
# composition, then on both backgrounds with 4 free flank columns, the fitted ones kept in the
# file under "averaged" in that order (the member's logit is the mean of all; a unit test checks
# the arithmetic)
assert e["background_rule"] == "average" and e["background"] == g["background"] == "uniform", e
assert disc["background"] == "uniform" and disc["flank"] == 2 and g["flank"] == 2, disc["background"]
assert e["wide_flank"] == 4, e["wide_flank"]
av = e["averaged"]
assert [(a["background"], a["flank"]) for a in av] == [("composition", 2), ("uniform", 4), ("composition", 4)], av
assert all(a["sites"] == e["sites"] and a["discovery"]["flank"] == a["flank"] for a in av), av
fitted = [a for a in av if a["fitted"]]
assert len(g.get("averaged", [])) == len(fitted) >= 1, (len(fitted), g.keys())
for a, ga in zip(fitted, g.get("averaged", [])):
    assert (ga["background"], ga["flank"], ga["sites"]) == (a["background"], a["flank"], e["sites"]), a
    assert [m["consensus"] for m in ga["enhancer"]] == a["enhancer_motifs"], a
for a in av:
    if a["background"] == "composition":
        comp = a["discovery"]["enhancer_sequences"]["composition"]
        assert abs(comp["A"] - comp["T"]) < 1e-12 and abs(sum(comp.values()) - 1) < 1e-9, comp
# a wider flank lets PWMs grow past discovery's own 8 + 2 x 2 columns
assert max(len(m["freq"]) for ga in g.get("averaged", []) if ga["flank"] == 4
           for m in ga["enhancer"] + ga["promoter"]) > 12, "no PWM wider than flank 2 allows"

from e2e_metrics import ap

t = json.load(open(run + "/metrics/test.json"))
n = json.load(open(net + "/metrics/test.json"))
m = t["ensemble"]["members"]
assert t["ensemble"]["member"] == "motif_grammar", t["ensemble"]
assert abs(m["network"]["aupr"] - n["overall"]["aupr"]) < 1e-12, (m["network"], n["overall"])
pe = list(csv.DictReader(open(run + "/predictions/test.csv")))
pn = list(csv.DictReader(open(net + "/predictions/test.csv")))
y = [int(x["label"]) for x in pe]
ens = t["ensemble"]
assert e["combine_rule"] == "standardised_logits" and e["gate"] == "val", e
assert ens["combine_rule"] == "standardised_logits" and ens["scale"]["pairs"] == "val", ens
gate = ens["gate"]
# one-standard-error rule for the member: the member alone if its validation AUPR is within one
# bootstrap SE of the best (the SE of the best one's), else the better of the network alone and
# the ensemble (the network on a tie)
va = {k: gate["val_aupr_" + k] for k in ("ensemble", "network", "member")}
top = max(("ensemble", "network", "member"), key=va.get)  # ties: the first, as predict
assert gate["se_best"] == gate["val_aupr_se"][top] and 0 < gate["se_best"] < 0.2, gate
assert gate["resamples"] == 200, gate
want = ("member" if va["member"] >= va[top] - gate["se_best"]
        else "network" if va["network"] >= va["ensemble"] else "ensemble")
assert gate["choice"] == want and gate["used"] == (want != "network"), gate
gw = {"ensemble": 0.5, "network": 0.0, "member": 1.0}[want]
assert ens["weight"] == gw, ens
# train.select_balanced (on in the default preset): the gate and early stopping read the
# validation AUPR under the validation split's balance weights (run.json balance_val); the best
# checkpoint is the epoch with the highest val.aupr_balanced in the log.
rj = json.load(open(run + "/run.json"))
assert gate["balanced"] is True and rj["balance_val"]["per_cell"], (gate, rj.get("balance_val"))
log = [json.loads(l) for l in open(run + "/train_log.jsonl") if l.strip()]
sel = [(r["val"]["aupr_balanced"], -r["epoch"]) for r in log if r.get("val")]
assert len(sel) == len(log) and rj["checkpoints"]["best"]["epoch"] == -max(sel)[1], (sel, rj["checkpoints"])
logit = lambda p: math.log(p / (1 - p))
sn, sm = ens["scale"]["network"], ens["scale"]["member"]
if gw > 0:
    # sigmoid(mu_n + sd_n ((1 - gw) z_n + gw z_m)) inverted for the member's logit z_m
    def member_p(a, b):
        zn = (logit(float(b["score"])) - sn["logit_mean"]) / sn["logit_sd"]
        zm = ((logit(float(a["score"])) - sn["logit_mean"]) / sn["logit_sd"] - (1 - gw) * zn) / gw
        return 1 / (1 + math.exp(-(sm["logit_mean"] + sm["logit_sd"] * zm)))
    # (rounded: the grammar's scores tie wherever the capped counts do; the inversion leaves noise)
    recovered = [round(member_p(a, b), 7) for a, b in zip(pe, pn)]
    assert abs(ap(y, recovered) - m["motif_grammar"]["aupr"]) < 1e-5, (ap(y, recovered), m["motif_grammar"])
    # even_mix: both at equal weight, whatever the gate chose
    mix = [(logit(float(b["score"])) - sn["logit_mean"]) / sn["logit_sd"] / 2 +
           (logit(r) - sm["logit_mean"]) / sm["logit_sd"] / 2 for r, b in zip(recovered, pn)]
    assert abs(ap(y, [round(v, 6) for v in mix]) - ens["even_mix"]["aupr"]) < 1e-3, ens["even_mix"]
else:
    # the network alone: its scores exactly
    assert all(a["score"] == b["score"] for a, b in zip(pe, pn))
    assert abs(t["overall"]["aupr"] - m["network"]["aupr"]) < 1e-12
    recovered = None

# shortcut_reliance.json measures the scores predict delivers: the gate's choice. The network-only
# run's measurement is of the same network (same k-mers, positions and bases).
rel_e = json.load(open(run + "/shortcut_reliance.json"))
rel_n = json.load(open(net + "/shortcut_reliance.json"))
assert rel_n["scorer"] == "network", rel_n["scorer"]
assert rel_e["scorer"] == {"network": "network", "member": "motif_grammar",
                           "ensemble": "network+motif_grammar"}[want], (rel_e["scorer"], want)
assert rel_e["kmers"] and [k["kmer"] for k in rel_e["kmers"]] == [k["kmer"] for k in rel_n["kmers"]]
effects = lambda r: [(k["insert"]["mean"], k["control_insert"]["mean"], k["remove"]["mean"]) for k in r["kmers"]]
if gw == 0:
    assert effects(rel_e) == effects(rel_n), (effects(rel_e), effects(rel_n))
else:
    assert effects(rel_e) != effects(rel_n), effects(rel_e)

# The independent implementation of the member's scoring.
def col_scores(col):
    return [round(math.log2((0.995 * q + 0.005 * 0.25) / 0.25) / 0.01) for q in col]
def threshold(cols, p):  # smallest S with P(score >= S) <= p under the uniform background
    dist = {0: 1.0}
    for c in cols:
        nxt = {}
        for s, w in dist.items():
            for v in c: nxt[s + v] = nxt.get(s + v, 0.0) + 0.25 * w
        dist = nxt
    tail, best = 0.0, None
    for s in sorted(dist, reverse=True):
        if tail + dist[s] > p: break
        tail += dist[s]; best = s
    return best if best is not None else max(dist)
BASE = {"A": 0, "C": 1, "G": 2, "T": 3}
def scanner(freq, gr):  # gr: the grammar (the file's top level or one of its "averaged")
    fwd = [col_scores(c) for c in freq]
    rev = [[fwd[len(fwd) - 1 - j][3 - b] for b in range(4)] for j in range(len(fwd))]
    if gr["sites"] == "hard": return fwd, rev, threshold(fwd, gr["p_value"]), None
    return fwd, rev, None, math.log(gr["site_prior"] / (1 - gr["site_prior"]))
def count(sc, seq):
    # hard: windows at or above the threshold on either strand; posterior: the sum over windows
    # and strands of sigmoid(score in nats + logit(prior)); capped at 2
    fwd, rev, thr, prior_logit = sc; w = len(fwd); c = 0; hard = thr is not None
    for s in range(len(seq) - w + 1):
        win = seq[s:s + w]
        if any(ch not in BASE for ch in win): continue
        f = sum(fwd[j][BASE[ch]] for j, ch in enumerate(win))
        rv = sum(rev[j][BASE[ch]] for j, ch in enumerate(win))
        if hard: c += max(f, rv) >= thr
        else: c += sum(1 / (1 + math.exp(-(x * 0.01 * math.log(2) + prior_logit))) for x in (f, rv))
    return min(c, 2)
def model_view(seq):  # the sequence as the 6-mer tokens hold it: a k-mer with another byte is N
    seq = seq.upper(); k = 6
    if len(seq) < k: return ""
    ok = [all(ch in BASE for ch in seq[i:i + k]) for i in range(len(seq) - k + 1)]
    out = [seq[i] if ok[i] else "N" for i in range(len(ok))]
    out += list(seq[len(ok):]) if ok[-1] else ["N"] * (k - 1)
    return "".join(out)
def read_seqs(path):
    return {r["region"]: r["sequence"] for r in csv.DictReader(open(path))}
enh = read_seqs(sim + "/test/ALL/e_seq.csv")
prom = read_seqs(sim + "/test/ALL/p_seq.csv")
grammars = [g] + g.get("averaged", [])
scanners = [([scanner(x["freq"], gr) for x in gr["enhancer"]], [scanner(x["freq"], gr) for x in gr["promoter"]])
            for gr in grammars]
def grammar_logit(gr, es, ps, enhancer, promoter):  # the grammar's design and the file's weights
    w, b, me, mp = gr["weights"], gr["intercept"], len(es), len(ps)
    ce = [count(sc, model_view(enhancer)) for sc in es]
    cp = [count(sc, model_view(promoter)) for sc in ps]
    z = b + sum(w[a * mp + c] * ce[a] * cp[c] for a in range(me) for c in range(mp))
    return z + sum(w[me * mp + a] * ce[a] for a in range(me)) + sum(w[me * mp + me + c] * cp[c] for c in range(mp))
def member_logit(enhancer, promoter):  # the mean of the grammars' logits
    zs = [grammar_logit(gr, es, ps, enhancer, promoter) for gr, (es, ps) in zip(grammars, scanners)]
    return sum(zs) / len(zs)
worst, mine = 0.0, []
for i, row in enumerate(pe[:60]):
    z = member_logit(enh[row["enhancer"]], prom[row["promoter"]])
    mine.append(1 / (1 + math.exp(-z)))
    if recovered: worst = max(worst, abs(mine[-1] - recovered[i]))
assert worst < 1e-5, worst

# prism score: the ensemble of the network's score and the member's probability of each candidate.
import glob, gzip
tmp = sys.argv[4]
sum_e = json.load(open(tmp + "/score-ens/summary.json"))
sum_n = json.load(open(tmp + "/score-net/summary.json"))
assert "ensemble" not in sum_n, sum_n.get("ensemble")
assert sum_e["ensemble"]["applied"] == gate["used"], sum_e["ensemble"]
rows_e = [l.split("\t") for l in gzip.open(tmp + "/score-ens/predictions.tsv.gz", "rt").read().splitlines()[1:]]
rows_n = [l.split("\t") for l in gzip.open(tmp + "/score-net/predictions.tsv.gz", "rt").read().splitlines()[1:]]
key = lambda r: tuple(r[:8])
assert [key(r) for r in rows_e] == [key(r) for r in rows_n] and len(rows_e) > 100, len(rows_e)
if gate["used"]:
    assert sum_e["ensemble"]["combine_rule"] == "standardised_logits" and sum_e["ensemble"]["weight"] == gw
    enh_all, prom_all = {}, {}
    for f in glob.glob(sim + "/*/ALL/e_seq.csv"): enh_all.update(read_seqs(f))
    for f in glob.glob(sim + "/*/ALL/p_seq.csv"): prom_all.update(read_seqs(f))
    checked, moved = 0, 0
    for re_, rn in zip(rows_e, rows_n):
        pc, pn = float(re_[8]), float(rn[8])
        moved += abs(pc - pn) > 1e-4
        if checked >= 40 or not 1e-3 < pn < 0.999: continue
        z = member_logit(enh_all[re_[3]], prom_all[re_[6]])
        # sigmoid(mu_n + sd_n ((1 - gw) z_n + gw z_m)) with the scale and weight predict recorded
        zn = (logit(pn) - sn["logit_mean"]) / sn["logit_sd"]
        zm = (z - sm["logit_mean"]) / sm["logit_sd"]
        expect = 1 / (1 + math.exp(-(sn["logit_mean"] + sn["logit_sd"] * ((1 - gw) * zn + gw * zm))))
        assert abs(expect - pc) < 1e-4, (re_, expect, pc)
        checked += 1
    assert checked >= 20 and moved > len(rows_e) // 2, (checked, moved, len(rows_e))
else:
    assert all(a[8] == c[8] for a, c in zip(rows_e, rows_n))
print("gate:", gate["choice"], "worst", worst)
PY

# The site model not chosen above, forced (model.motif_grammar_sites), on the uniform background
# alone (model.motif_grammar_background = "uniform", motif_grammar_wide_flank = 0): one
# candidate, that one, no averaged grammar, and predict scores with it.
other=$(python3 -c "import json; print({'hard': 'posterior', 'posterior': 'hard'}[json.load(open('$run/run.json'))['derived']['ensemble']['sites']])")
printf 'preset = "default"\nname = "mg"\n[model]\nensemble = "motif_grammar"\nmotif_grammar_sites = "%s"\nmotif_grammar_background = "uniform"\nmotif_grammar_wide_flank = 0\n[train]\nsteps = 20\n' "$other" > "$TMP/other.toml"
"$PRISM" -q --threads 1 train --config "$TMP/other.toml" --data "$TMP/sim" -o "$TMP/other" --no-baselines > /dev/null || fail "train ($other sites)"
"$PRISM" -q --threads 1 predict "$TMP/other" --no-baselines > /dev/null || fail "predict ($other sites)"
python3 - "$TMP/other" "$other" "$run" <<'PY' || fail "the forced site model"
import json, math, sys
other, sites, run = sys.argv[1:]
e = json.load(open(other + "/run.json"))["derived"]["ensemble"]
assert e["sites_rule"] == sites and e["sites"] == sites and len(e["candidates"]) == 1, e
g = json.load(open(other + "/checkpoints/ensemble.motif_grammar.json"))
assert e["background_rule"] == "uniform" and "averaged" not in e and "averaged" not in g, e.keys()
assert g["sites"] == sites and ("p_value" in g) == (sites == "hard") and ("site_prior" in g) == (sites == "posterior"), g.keys()
# the same candidate as the select run fitted: its validation AUPR recorded there
c = [c for c in json.load(open(run + "/run.json"))["derived"]["ensemble"]["candidates"] if c["sites"] == sites][0]
assert abs(c["selection_aupr"] - e["selection_aupr"]) < 1e-12 and c["l2"] == e["l2"], (c, e["selection_aupr"])
a = json.load(open(other + "/metrics/test.json"))["ensemble"]["members"]["motif_grammar"]["aupr"]
assert math.isfinite(a) and 0 < a <= 1, a
PY

check_loop_reads_run "$run"
python3 - "$run" <<'PY' || fail "reflect compares the ensemble with itself"
import json, sys
run = sys.argv[1]
r = json.load(open(run + "/reflect/reflect.json"))
t = json.load(open(run + "/metrics/test.json"))
d = json.load(open(run + "/diagnostics.json"))
g = r["generalization"] if "generalization" in r else r
assert g["train_source"].startswith("ensemble"), g["train_source"]
assert abs(g["val_aupr"] - t["ensemble"]["val_aupr"]) < 1e-9 and abs(g["test_aupr"] - t["overall"]["aupr"]) < 1e-9, g
assert abs(g["train_aupr"] - d["train"]["aupr"]) < 1e-9, (g["train_aupr"], d["train"])
PY
check_changed_member_refused "$run" ensemble.motif_grammar.json 's/"intercept":/"intercepT":/'

# No motif found in a stream (discovery's z threshold out of reach): no member, a warning, and the
# run scores with the network alone (no ensemble record in the metrics).
printf 'preset = "default"\nname = "mg"\n[model]\nensemble = "motif_grammar"\nmotif_grammar_min_z = 1e9\nchannels = 8\nkernel = 12\n[train]\nsteps = 30\n' > "$TMP/none.toml"
"$PRISM" --threads 1 train --config "$TMP/none.toml" --data "$TMP/sim" -o "$TMP/nomotif" --no-baselines \
  > "$TMP/nomotif.txt" 2>&1 || { cat "$TMP/nomotif.txt"; fail "train without motifs"; }
grep -q "ensemble member: not fitted - motif discovery found 0 enhancer and 0 promoter motifs" "$TMP/nomotif.txt" \
  || { cat "$TMP/nomotif.txt"; fail "no warning for the skipped member"; }
"$PRISM" -q --threads 1 predict "$TMP/nomotif" --no-baselines > /dev/null || fail "predict without a member"
python3 - "$TMP/nomotif" <<'PY' || fail "the skipped member"
import json, sys
r = json.load(open(sys.argv[1] + "/run.json"))
assert r["status"] == "finished" and "skipped" in r["derived"]["ensemble"], r["derived"]
t = json.load(open(sys.argv[1] + "/metrics/test.json"))
assert "ensemble" not in t and t["overall"]["threshold_rule"] == "val", t["overall"]
PY

# On feature tables: one config error line, nothing trained.
printf 'preset = "features"\n[model]\nensemble = "motif_grammar"\n[data]\nfiles = ["x.csv"]\n' > "$TMP/f.toml"
set +e
"$PRISM" train --config "$TMP/f.toml" -o "$TMP/frun" 2> "$TMP/f.txt" > /dev/null
rc=$?
set -e
[[ $rc -ne 0 ]] || fail "features + motif_grammar accepted"
grep -q 'model.ensemble = "motif_grammar" needs sequences' "$TMP/f.txt" || { cat "$TMP/f.txt"; fail "unclear error"; }
[[ $(wc -l < "$TMP/f.txt") -eq 1 ]] || { cat "$TMP/f.txt"; fail "more than one error line"; }
echo "motif_grammar_ensemble: OK"
