#!/usr/bin/env bash
# Lighthouse 12 on the release site with Debian's Chromium: performance, accessibility, best
# practices and SEO, desktop and mobile presets (a benchmark: figures, not part of scripts/test.sh).
set -euo pipefail

cd "$(dirname "$0")/.."
bash scripts/setup.sh --browser
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/e2e/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true
(cd e2e/lighthouse && npm install --no-audit --no-fund --silent)
echo "==> trunk build --release"
trunk build --release
node e2e/lighthouse/run.mjs --dist dist
