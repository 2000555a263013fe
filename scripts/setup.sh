#!/usr/bin/env bash
# One idempotent setup for a fresh Debian 12 machine (root, apt works):
# installs the Debian packages prism needs, then configures and builds it in ./build.
# Usage: bash scripts/setup.sh [--no-build]
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential cmake ninja-build pkg-config git
      libtorch-dev libopenblas0-pthread libgloo-dev libhts-dev libcli11-dev libtomlplusplus-dev
      nlohmann-json3-dev libsqlitecpp-dev libsqlite3-dev libgtest-dev libgmock-dev
      libbenchmark-dev zlib1g-dev libxxhash-dev libxgboost-dev
      python3 python3-sklearn python3-numpy python3-xgboost chromium)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "[setup] installing: ${missing[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# OpenBLAS must be the BLAS that LibTorch resolves (Debian's alternatives pick the
# highest priority; make it explicit so the reference BLAS is never used).
for alt in libblas.so.3-x86_64-linux-gnu liblapack.so.3-x86_64-linux-gnu; do
  tgt=$(update-alternatives --list "$alt" 2>/dev/null | grep -m1 openblas-pthread || true)
  if [ -n "$tgt" ]; then
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO update-alternatives --set "$alt" "$tgt" >/dev/null
  fi
done

[ "${1:-}" = "--no-build" ] && exit 0
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"
