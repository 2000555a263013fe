# The transfer benchmark's settings and how each is simulated; sourced by bench/transfer.sh and
# experiments/validation_gate.sh so that both simulate the same data.
# name | role | seed | train cells | simulate arguments on top of --preset transfer
TRANSFER_SETTINGS=$(cat <<'S'
long|choose|11|5|--enhancer-length 800 --promoter-length 800
short-sharp|choose|12|5|--enhancer-max-length 800 --promoter-max-length 800 --pwm-alpha 0.1
no-shortcuts|choose|13|5|--no-shortcuts
three-cells|choose|14|3|
long-degenerate|report|21|5|--enhancer-length 800 --promoter-length 800 --pwm-alpha 0.3
eight-cells|report|22|8|
three-cells-no-shortcuts|report|23|3|--no-shortcuts
short|report|24|5|--enhancer-max-length 800 --promoter-max-length 800
S
)

# simulate_transfer_setting PRISM OUT_DIR SEED TRAIN_CELLS PAIRS [EXTRA_ARGS]: PAIRS pairs per
# training cell line, half as many per val cell line (2), two thirds as many per test cell line (3).
simulate_transfer_setting() {
  local prism=$1 out=$2 seed=$3 cells=$4 pairs=$5 extra=${6:-}
  # shellcheck disable=SC2086
  "$prism" -q simulate --preset transfer --seed "$seed" -o "$out" --train-cells "$cells" \
    --train-pairs $((cells * pairs)) --val-pairs $((2 * pairs / 2)) \
    --test-pairs $((3 * pairs * 2 / 3)) $extra
}
