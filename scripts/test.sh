#!/usr/bin/env bash
# The complete test of EDA Lab, as CI runs it (.ci/run). From a fresh clone:
#
#   bash scripts/test.sh
#
# 1. setup         scripts/setup.sh --browser --rabbitmq (tools, crates, Chromium, RabbitMQ and pika;
#                  quick when all is present)
# 2. fmt           cargo fmt --check
# 3. clippy        native, all targets, warnings are errors
# 4. clippy-wasm   wasm32: the library, the web app and the browser tests (tests/wasm_*.rs)
# 5. test          cargo test --release (native: unit, property, reference and fixture tests)
#    export-rust   the exported Rust of every built-in scenario type-checked against the crates it
#                  names (rdkafka, lapin, redis) in a scratch crate under target/tmp/export-check/:
#                  cargo test --release --test export -- --ignored (the first run builds the bundled
#                  librdkafka, about 3 minutes on 2 cores; later runs take seconds)
# 6. test-wasm     tests/wasm_*.rs in headless Chromium (wasm-bindgen-test-runner + chromedriver)
# 7. site          trunk build --release (dist/)
# 8. cli           cargo build --release (the native CLI the e2e compares the page with)
# 9. rabbitmq      scripts/rabbitmq-test.sh: every tests/rabbitmq/scripts/*.json on a private real
#                  RabbitMQ and on the CLI (`eda-lab amqp`), observations compared
#    avro          tests/schema/avro_diff.py: `eda-lab schema compatible` against the PyPI avro
#                  package (the reference implementation) on Avro's own cases and 3000 random pairs
# 10. e2e          e2e/e2e.mjs: the built site in headless Chromium (screenshots in e2e/artifacts/)
# 11. size         scripts/size.sh: raw, gzip and brotli bytes of dist/
#
# Every step runs even when an earlier one failed, unless it needs that step's output; the last line
# says which steps failed. The exit status is non-zero when any step failed.
set -uo pipefail

cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PWD/e2e/node_modules/.bin:$PATH"
# trunk would otherwise ask crates.io for a newer version on every run.
export TRUNK_SKIP_VERSION_CHECK=true
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"

start_all=$SECONDS
passed=()
failed=()
skipped=()
timings=()

# run_step NAME COMMAND...: runs one step, records its result and time.
run_step() {
  local name=$1
  shift
  local t0=$SECONDS
  printf '\n======== %s: %s\n' "$name" "$*"
  if "$@"; then
    passed+=("$name")
    timings+=("$name $((SECONDS - t0))s ok")
  else
    failed+=("$name")
    timings+=("$name $((SECONDS - t0))s FAILED")
    printf '######## %s FAILED\n' "$name"
  fi
}

# skip_step NAME REASON: records a step that could not run.
skip_step() {
  skipped+=("$1")
  timings+=("$1 skipped ($2)")
  printf '\n======== %s: skipped (%s)\n' "$1" "$2"
}

did_pass() {
  local s
  for s in "${passed[@]}"; do [ "$s" = "$1" ] && return 0; done
  return 1
}

# The browser tests, one --test flag per tests/wasm_*.rs file.
wasm_tests=()
for f in tests/wasm_*.rs; do
  [ -e "$f" ] && wasm_tests+=(--test "$(basename "$f" .rs)")
done

run_step setup bash scripts/setup.sh --browser --rabbitmq
if ! did_pass setup; then
  echo "setup failed: nothing else can run" >&2
  echo "test.sh: FAILED (setup) after $((SECONDS - start_all))s"
  exit 1
fi

run_step fmt cargo fmt --check
run_step clippy cargo clippy --all-targets -- -D warnings
run_step clippy-wasm cargo clippy --target wasm32-unknown-unknown --lib --bins "${wasm_tests[@]}" -- -D warnings
run_step test cargo test --release
run_step export-rust cargo test --release --test export -- --ignored
if [ "${#wasm_tests[@]}" -gt 0 ]; then
  run_step test-wasm cargo test --target wasm32-unknown-unknown "${wasm_tests[@]}"
else
  skip_step test-wasm "no tests/wasm_*.rs"
fi
run_step site trunk build --release
run_step cli cargo build --release --bin eda-lab
if did_pass cli; then
  run_step rabbitmq bash scripts/rabbitmq-test.sh --cli "${CARGO_TARGET_DIR:-target}/release/eda-lab"
  run_step avro python3 tests/schema/avro_diff.py --bin "${CARGO_TARGET_DIR:-target}/release/eda-lab"
else
  skip_step rabbitmq "needs the CLI"
  skip_step avro "needs the CLI"
fi
if did_pass site && did_pass cli; then
  run_step e2e node e2e/e2e.mjs --dist dist --cli target/release/eda-lab
  run_step size bash scripts/size.sh dist
else
  skip_step e2e "needs the site and the CLI"
  skip_step size "needs the site"
fi

total=$((SECONDS - start_all))
printf '\n======== summary\n'
printf '  %s\n' "${timings[@]}"
# The last line is the plain "N passed, N failed" count of steps (skipped steps count as failed).
if [ "${#failed[@]}" -eq 0 ] && [ "${#skipped[@]}" -eq 0 ]; then
  echo "test.sh: PASSED, all ${#passed[@]} steps in $((total / 60))m$((total % 60))s"
  echo "steps: ${#passed[@]} passed, 0 failed"
  exit 0
fi
echo "test.sh: FAILED: ${#failed[@]} failed (${failed[*]:-none}), ${#skipped[@]} skipped (${skipped[*]:-none}), ${#passed[@]} passed, in $((total / 60))m$((total % 60))s"
echo "steps: ${#passed[@]} passed, $(( ${#failed[@]} + ${#skipped[@]} )) failed"
exit 1
