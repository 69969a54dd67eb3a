#!/usr/bin/env bash
# Soak benchmarks (figures, not part of scripts/test.sh: the browser half alone takes 10 minutes):
#   - natively, 10^8 events of the SimPy comparison model with journeys recorded, resident memory
#     (now and at its peak) at every 10^7 events: without failures (nothing is ever parked, so
#     memory is flat), then with retries and the dead-letter queue (memory grows only with the
#     messages parked there, about 2 kB each);
#   - in headless Chromium, the release site at Fast-forward for MINUTES (default 10) of wall time,
#     sampling the JS heap after a forced garbage collection and the wasm memory (e2e/soak.mjs).
# Usage: bash scripts/soak.sh [MINUTES]
set -euo pipefail

cd "$(dirname "$0")/.."
minutes=${1:-10}
bash scripts/setup.sh --browser
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/e2e/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
cargo build --release --quiet
echo "==> native soak, no failures"
./target/release/eda-lab bench --soak --no-failures
echo "==> native soak, retries and dead-letter queue"
./target/release/eda-lab bench --soak
echo "==> trunk build --release"
trunk build --release
echo "==> browser soak, $minutes min"
node e2e/soak.mjs --dist dist --minutes "$minutes"
