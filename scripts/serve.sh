#!/usr/bin/env bash
# Builds the web app and serves it with live reload on http://127.0.0.1:8080 (trunk serve).
# Extra arguments go to trunk, e.g. `bash scripts/serve.sh --release` or `--port 9000`.
set -euo pipefail

cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/e2e/node_modules/.bin:$PATH"
# trunk would otherwise ask crates.io for a newer version on every run.
export TRUNK_SKIP_VERSION_CHECK=true
exec trunk serve "$@"
