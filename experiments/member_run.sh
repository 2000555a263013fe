# experiments/member_run.sh (sourced): member_run PRISM SIM RUN trains the motif-grammar member
# alone on the simulation SIM into RUN (the default preset with the member on, a 20-step network,
# 1 thread; SITES and MODEL from the environment add `motif_grammar_sites` and other lines to the
# config's [model] table) and scores it with `prism predict`; the log is RUN.log, the config RUN.toml.
# Used by motif_variants.sh and member_full_size.sh.
member_run() {
  local prism=$1 sim=$2 run=$3
  rm -rf "$run"; mkdir -p "$(dirname "$run")"
  printf 'preset = "default"\nname = "mg"\nseed = 7\n[model]\nensemble = "motif_grammar"\n%b[train]\nsteps = 20\n' \
    "${SITES:+motif_grammar_sites = \"$SITES\"\\n}${MODEL:+$MODEL\\n}" > "$run.toml"
  "$prism" -q train --config "$run.toml" --data "$sim" -o "$run" --no-baselines --threads 1 > "$run.log" 2>&1
  "$prism" -q predict "$run" --no-baselines --threads 1 >> "$run.log" 2>&1
}
