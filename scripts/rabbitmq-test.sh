#!/usr/bin/env bash
# The differential test against a real RabbitMQ, as one step (scripts/test.sh runs it after `cli`):
# starts the private server (scripts/rabbitmq.sh), runs every queue script on it and on the engine
# (tests/rabbitmq/differential.py), and stops the server whatever happened.
#
#   bash scripts/rabbitmq-test.sh [--cli PATH] [other differential.py options]
#
# Assumes scripts/setup.sh --rabbitmq has run (rabbitmq-server and pika) and the CLI is built
# (cargo build --release --bin eda-lab; default path target/release/eda-lab).
set -euo pipefail

cd "$(dirname "$0")/.."

# Stop on every exit (failure, Ctrl-C, success): a server left behind would hold the ports and the
# state folder for the next run.
trap 'bash scripts/rabbitmq.sh stop || true' EXIT
# A fresh, empty broker every time: stop first in case one was left running (by hand or by a killed
# run), since `start` would otherwise reuse it with whatever state it has.
bash scripts/rabbitmq.sh stop
bash scripts/rabbitmq.sh start

cli=${CARGO_TARGET_DIR:-target}/release/eda-lab
status=0
python3 tests/rabbitmq/differential.py --cli "$cli" "$@" || status=$?
exit "$status"
