#!/usr/bin/env bash
# Set up (idempotent), build, and run the whole test suite. This is README command 2 and
# what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
ctest --test-dir build --output-on-failure -j"$(nproc)"
