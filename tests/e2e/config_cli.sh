#!/usr/bin/env bash
# End-to-end: `prism config` (reference = the block in docs/train-config.md, presets, show), and
# bad training configurations refused before training with one line naming the file and value:
# out-of-range sizes and rates at file:line:col, a directory as --config, a key that no longer exists, and a
# model too big for the machine's memory (refused unless --force; never allocated).
# Usage: bash config_cli.sh PRISM_BIN SHARED_DATA_DIR
set -euo pipefail
PRISM=${1:?usage: config_cli.sh PRISM_BIN SHARED_DATA_DIR}
HERE=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# The reference is exactly the marked block of the docs.
"$PRISM" config reference > "$TMP/ref.md"
sed -n '/<!-- config-reference:begin -->/,/<!-- config-reference:end -->/p' \
  "$HERE/docs/train-config.md" | sed '1d;$d' > "$TMP/doc.md"
diff "$TMP/ref.md" "$TMP/doc.md" > /dev/null || fail "docs/train-config.md differs from 'prism config reference'"
"$PRISM" config presets | grep -qx paper || fail "config presets does not list paper"
# A resolved preset reads back to itself.
"$PRISM" config show --preset tiny > "$TMP/tiny.toml"
"$PRISM" config show "$TMP/tiny.toml" > "$TMP/tiny2.toml"
diff "$TMP/tiny.toml" "$TMP/tiny2.toml" > /dev/null || fail "config show is not a fixed point"
grep -qx 'embed_dim = 8' "$TMP/tiny.toml" || fail "config show --preset tiny lacks embed_dim = 8"

"$PRISM" -q simulate --preset tiny --seed 2 --out "$TMP/sim" > /dev/null

# expect_refused NAME TOML_BODY MESSAGE [train args...]: exit != 0, the message on one line,
# and no run folder training log.
expect_refused() {
  local name=$1 body=$2 message=$3
  shift 3
  printf '%b' "$body" > "$TMP/$name.toml"
  set +e
  "$PRISM" -q train --config "$TMP/$name.toml" --data "$TMP/sim" -o "$TMP/run-$name" "$@" \
    > "$TMP/$name.out" 2> "$TMP/$name.err"
  local rc=$?
  set -e
  [[ $rc -ne 0 ]] || fail "$name: exit 0"
  grep -qF -- "$message" "$TMP/$name.err" || { cat "$TMP/$name.err"; fail "$name: no '$message'"; }
  [[ ! -e "$TMP/run-$name/train_log.jsonl" ]] || fail "$name: a training log was written"
}
expect_refused lr_inf 'preset = "tiny"\n[train]\nlr = inf\n' \
  "$TMP/lr_inf.toml:3:6: 'train.lr' must be a number in (0, 1], got inf"
expect_refused lr_huge 'preset = "tiny"\n[train]\nlr = 1e30\n' "$TMP/lr_huge.toml:3:6: 'train.lr' must be a number in (0, 1]"
expect_refused embed_neg '[model]\nembed_dim = -4\n' "$TMP/embed_neg.toml:2:13: 'model.embed_dim' must be an integer in [1, 4096], got -4"
expect_refused embed_zero '[model]\nembed_dim = 0\n' "$TMP/embed_zero.toml:2:13: 'model.embed_dim' must be an integer in [1, 4096], got 0"
expect_refused embed_huge '[model]\nembed_dim = 100000\n' "$TMP/embed_huge.toml:2:13: 'model.embed_dim' must be an integer in [1, 4096], got 100000"
expect_refused embed_float '[model]\nembed_dim = 1e9\n' "$TMP/embed_float.toml:2:13: 'model.embed_dim' must be an integer in [1, 4096]"
expect_refused kernel_negative '[model]\nkernel = -3\n' "$TMP/kernel_negative.toml:2:10: 'model.kernel' must be an integer in [0, 1024], got -3"
expect_refused kernel_huge '[model]\nkernel = 100000\n' "$TMP/kernel_huge.toml:2:10: 'model.kernel' must be an integer in [0, 1024], got 100000"
expect_refused cell_offset '[model]\ncell_offset = true\n' "$TMP/cell_offset.toml:2:1: unknown key 'model.cell_offset'"
# Each size in range, together far beyond any machine: refused before anything is allocated.
big='preset = "tiny"\n[model]\nembed_dim = 4096\nchannels = 1024\nheads = 8\nkernel = 1024\n'
expect_refused too_big "$big" "the configured model needs an estimated"
grep -qF -- "--force" "$TMP/too_big.err" || fail "too_big: the message does not mention --force"
grep -qF -- "more than this machine's memory of" "$TMP/too_big.err" || fail "too_big: no limit named"
[[ $(wc -l < "$TMP/too_big.err") -eq 1 ]] || { cat "$TMP/too_big.err"; fail "too_big: not one line"; }

# A directory as --config.
mkdir "$TMP/cfgdir"
set +e
"$PRISM" -q train --config "$TMP/cfgdir" --data "$TMP/sim" -o "$TMP/run-dir" 2> "$TMP/dir.err"
rc=$?
set -e
[[ $rc -ne 0 ]] || fail "--config DIR: exit 0"
grep -qF "config '$TMP/cfgdir' is a directory" "$TMP/dir.err" || { cat "$TMP/dir.err"; fail "--config DIR: message"; }
echo "config_cli: OK"
