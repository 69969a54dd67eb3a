#!/usr/bin/env bash
# Benchmarks (figures, not pass/fail tests; not part of scripts/test.sh):
#   - the release site in headless Chromium (e2e/perf.mjs): first interactive render, per-frame work
#     while a busy run plays, and the in-page fast-forward of 10^6 messages;
#   - the bundle size (scripts/size.sh);
#   - the engine natively (eda-lab bench), and SimPy on the same model when SIMPY_BENCH points at
#     simpy_bench.py (pip install simpy first), e.g.
#       SIMPY_BENCH=../shared/bench/simpy_bench.py bash scripts/perf.sh
# Extra arguments go to e2e/perf.mjs (defaults: --seconds 10 --loads 3 --scenario hot-key --rate 15
# --speed 20 --in-flight 1000).
set -euo pipefail

cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/e2e/node_modules/.bin:$PATH"
# trunk would otherwise ask crates.io for a newer version on every run.
export TRUNK_SKIP_VERSION_CHECK=true

echo "==> trunk build --release"
trunk build --release
echo "==> browser"
node e2e/perf.mjs --dist dist "$@"
echo "==> size"
bash scripts/size.sh dist
echo "==> engine: eda-lab bench"
cargo run --release --quiet -- bench
if [ -n "${SIMPY_BENCH:-}" ]; then
  echo "==> SimPy: $SIMPY_BENCH --model log --skip-mm1"
  python3 "$SIMPY_BENCH" --model log --skip-mm1
fi
