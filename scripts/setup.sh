#!/usr/bin/env bash
# Installs everything the build and the tests need, and nothing twice: run it as often as you like;
# when all is present it takes a few seconds.
#
#   bash scripts/setup.sh            Rust targets and components, trunk, wasm-bindgen-cli, wasm-opt
#                                    and playwright-core (npm, in e2e/), and every crate (cargo fetch)
#   bash scripts/setup.sh --browser  the same, plus Chromium and chromedriver from apt when missing
#   bash scripts/setup.sh --rabbitmq the same, plus rabbitmq-server (apt), pika and avro (pip, pinned) when
#                                    missing: the differential test against a real RabbitMQ
#                                    (scripts/rabbitmq-test.sh); the options combine
#
# Every tool comes from crates.io, npm or apt: trunk never downloads its own tools (Trunk.toml sets
# `offline = true` and pins the versions installed here).
set -euo pipefail

cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

TRUNK_VERSION=0.21.14
PIKA_VERSION=1.3.2
AVRO_VERSION=1.12.2
browser=0
rabbitmq=0
for arg in "$@"; do
  case "$arg" in
    --browser) browser=1 ;;
    --rabbitmq) rabbitmq=1 ;;
    -h | --help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "setup.sh: unknown argument '$arg' (use --browser, --rabbitmq)" >&2; exit 2 ;;
  esac
done

step() { printf '\n==> %s\n' "$*"; }
ok() { printf '    ok: %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    as_root apt-get update
    apt_updated=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@"
}

step "system packages"
missing=()
command -v cc >/dev/null || missing+=(build-essential)
command -v node >/dev/null || missing+=(nodejs)
command -v npm >/dev/null || missing+=(npm)
if [ "$browser" = 1 ]; then
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
fi
if [ "$rabbitmq" = 1 ]; then
  # The Debian package (RabbitMQ 3.10 with its Erlang); scripts/rabbitmq.sh runs a private instance,
  # so a system service the package may start is never used. python3 for the test harness.
  [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
  command -v python3 >/dev/null || missing+=(python3)
  python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "    installing with apt: ${missing[*]}"
  apt_install "${missing[@]}"
else
  ok "cc, node $(node --version), npm $(npm --version)$([ "$browser" = 1 ] && echo ', chromium, chromedriver')$([ "$rabbitmq" = 1 ] && echo ', rabbitmq-server, python3')"
fi

if [ "$rabbitmq" = 1 ]; then
  # pip_pinned MODULE VERSION: installs that exact version from PyPI unless it is there already.
  pip_pinned() {
    if [ "$(python3 -c "import $1; print($1.__version__)" 2>/dev/null)" = "$2" ]; then
      ok "$1 $2"
      return
    fi
    # --break-system-packages: Debian's own python3 refuses pip installs otherwise (PEP 668); the
    # option is unknown to older pips, so retry without it.
    python3 -m pip install --quiet "$1==$2" --break-system-packages 2>/dev/null \
      || python3 -m pip install --quiet "$1==$2"
    ok "$1 $(python3 -c "import $1; print($1.__version__)")"
  }
  step "pika $PIKA_VERSION (the AMQP client of tests/rabbitmq/differential.py)"
  pip_pinned pika "$PIKA_VERSION"
  step "avro $AVRO_VERSION (the reference of tests/schema/avro_diff.py)"
  pip_pinned avro "$AVRO_VERSION"
fi

step "Rust toolchain: wasm32 target, rustfmt, clippy"
command -v rustup >/dev/null || { echo "rustup is required (https://rustup.rs)" >&2; exit 1; }
# Lists read whole first: `grep -q` closing the pipe early would fail the pipeline under pipefail.
targets=$(rustup target list --installed)
components=$(rustup component list --installed)
if grep -qx wasm32-unknown-unknown <<<"$targets"; then
  ok "wasm32-unknown-unknown"
else
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if grep -q "^$component" <<<"$components"; then
    ok "$component"
  else
    rustup component add "$component"
  fi
done

step "trunk $TRUNK_VERSION"
if command -v trunk >/dev/null && [ "$(trunk --version 2>/dev/null)" = "trunk $TRUNK_VERSION" ]; then
  ok "$(trunk --version)"
else
  echo "    cargo install trunk $TRUNK_VERSION (about 5 to 10 minutes the first time)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
fi

step "wasm-bindgen-cli (the version in Cargo.lock)"
# wasm-bindgen's CLI must match the library exactly; Cargo.lock is the single source of truth.
bindgen_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$bindgen_version" ] || { echo "could not read the wasm-bindgen version from Cargo.lock" >&2; exit 1; }
if command -v wasm-bindgen >/dev/null && command -v wasm-bindgen-test-runner >/dev/null \
  && [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $bindgen_version" ]; then
  ok "$(wasm-bindgen --version) (with wasm-bindgen-test-runner)"
else
  echo "    cargo install wasm-bindgen-cli $bindgen_version (a few minutes the first time)"
  # Not --locked: the CLI's own lock file of this version does not build with current compilers.
  cargo install wasm-bindgen-cli --version "$bindgen_version" --force
fi

step "npm tools in e2e/: binaryen (wasm-opt) and playwright-core"
# `npm ci` only when the lock file changed since the last install (npm writes this hidden copy).
if [ -x e2e/node_modules/.bin/wasm-opt ] && [ -d e2e/node_modules/playwright-core ] \
  && [ e2e/node_modules/.package-lock.json -nt e2e/package-lock.json ]; then
  ok "$(e2e/node_modules/.bin/wasm-opt --version), playwright-core $(node -p "require('./e2e/node_modules/playwright-core/package.json').version")"
else
  (cd e2e && npm ci --no-audit --no-fund)
fi

step "crates (cargo fetch, every target)"
# Without --target, cargo fetch downloads the dependencies of every platform, wasm32 included, so
# later builds (and trunk, which builds with --offline) need no network.
cargo fetch
# The scratch crate tests/export.rs type-checks the exported Rust in (its own lock file).
cargo fetch --manifest-path tests/export_check/Cargo.toml
ok "all crates of Cargo.lock (and tests/export_check/Cargo.lock) are in the cargo cache"

printf '\nsetup complete\n'
