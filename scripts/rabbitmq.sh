#!/usr/bin/env bash
# A private RabbitMQ server on loopback for the differential test (tests/rabbitmq/differential.py):
#
#   bash scripts/rabbitmq.sh start    starts it and waits until it accepts AMQP (a few seconds)
#   bash scripts/rabbitmq.sh stop     stops the server and the epmd this script started
#   bash scripts/rabbitmq.sh status   says whether it runs (exit 0) or not (exit 1)
#
# The instance shares nothing with a system-wide RabbitMQ (the Debian package's service): its own node
# name, AMQP port, distribution port, epmd port and a fresh state folder (mnesia, logs, feature flags,
# config, plugins, Erlang cookie) that `start` creates empty and `stop` removes, so every run starts
# from an empty broker. Processes are stopped by the ids recorded in that folder, never by name.
# Needs the `rabbitmq-server` package (scripts/setup.sh --rabbitmq) and root (it runs the server as
# the `rabbitmq` user). Override with the environment variables below.
set -euo pipefail

DIR=${EDALAB_RABBITMQ_DIR:-/tmp/edalab-rabbitmq}
NODE=${EDALAB_RABBITMQ_NODE:-edalab@localhost}
AMQP_PORT=${EDALAB_RABBITMQ_PORT:-5699}
DIST_PORT=${EDALAB_RABBITMQ_DIST_PORT:-25699}
EPMD_PORT=${EDALAB_RABBITMQ_EPMD_PORT:-4399}
RUN_AS=rabbitmq
RMQ_BIN=/usr/lib/rabbitmq/bin

# The server runs as the rabbitmq user and stop reads /proc of its processes: both need root. Like
# setup.sh, use sudo when not root.
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "rabbitmq.sh: run as root" >&2; exit 1; }
  exec sudo -n --preserve-env=EDALAB_RABBITMQ_DIR,EDALAB_RABBITMQ_NODE,EDALAB_RABBITMQ_PORT,EDALAB_RABBITMQ_DIST_PORT,EDALAB_RABBITMQ_EPMD_PORT bash "$0" "$@"
fi

say() { printf 'rabbitmq.sh: %s\n' "$*"; }
die() { printf 'rabbitmq.sh: %s\n' "$*" >&2; exit 1; }

# Every variable the server and its CLI read (passed with `env -i`): nothing comes from /etc/rabbitmq,
# /var/lib/rabbitmq or the caller's environment.
RMQ_ENV=(
  PATH=/usr/sbin:/usr/bin:/sbin:/bin
  LANG=C.UTF-8 LC_ALL=C.UTF-8
  HOME="$DIR/home"
  RABBITMQ_NODENAME="$NODE"
  RABBITMQ_USE_LONGNAME=false
  RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
  RABBITMQ_NODE_PORT="$AMQP_PORT"
  RABBITMQ_DIST_PORT="$DIST_PORT"
  ERL_EPMD_ADDRESS=127.0.0.1
  ERL_EPMD_PORT="$EPMD_PORT"
  RABBITMQ_CONF_ENV_FILE="$DIR/rabbitmq-env.conf"
  RABBITMQ_CONFIG_FILE="$DIR/rabbitmq.conf"
  RABBITMQ_ADVANCED_CONFIG_FILE="$DIR/advanced.config"
  RABBITMQ_ENABLED_PLUGINS_FILE="$DIR/enabled_plugins"
  RABBITMQ_PLUGINS_EXPAND_DIR="$DIR/plugins-expand"
  RABBITMQ_FEATURE_FLAGS_FILE="$DIR/feature_flags"
  RABBITMQ_MNESIA_BASE="$DIR/mnesia"
  RABBITMQ_MNESIA_DIR="$DIR/mnesia/$NODE"
  RABBITMQ_QUORUM_DIR="$DIR/mnesia/$NODE/quorum"
  RABBITMQ_STREAM_DIR="$DIR/mnesia/$NODE/stream"
  RABBITMQ_LOG_BASE="$DIR/log"
  RABBITMQ_PID_FILE="$DIR/beam.pid"
  # The node uses the epmd started below and never spawns a daemon of its own we could not stop by id.
  RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-start_epmd false"
)
# setpriv switches to the rabbitmq user and execs (unlike su or runuser, which stay as a parent), so
# `( exec env -i ... "${AS_RABBITMQ[@]}" CMD ) &` leaves `$!` the id of CMD itself.
AS_RABBITMQ=(setpriv --reuid="$RUN_AS" --regid="$RUN_AS" --init-groups)

# rabbitmqctl against our node, bounded: a hung node must not hang `stop`.
ctl() {
  env -i "${RMQ_ENV[@]}" timeout 30 "${AS_RABBITMQ[@]}" "$RMQ_BIN/rabbitmqctl" -n "$NODE" "$@"
}

alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
# ours PID: alive and started by this script (its environment, set by `env -i` above, names our state
# folder), so a recorded id that the system has since given to another process, or a system-wide
# RabbitMQ, is never signalled.
# The environment is read whole first: `grep -q` closing a pipe early would fail it under pipefail.
ours() {
  local environ
  alive "${1:-}" || return 1
  environ=$(tr '\0' '\n' 2>/dev/null <"/proc/$1/environ") || return 1
  grep -qxF "RABBITMQ_PID_FILE=$DIR/beam.pid" <<<"$environ"
}
pid_of() { if [ -s "$DIR/$1" ]; then cat "$DIR/$1"; fi; }

# kill_wait PID: SIGTERM, then up to 10 s for the process to end, then SIGKILL.
kill_wait() {
  local pid=$1
  ours "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    alive "$pid" || return 0
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
}

# amqp_ready: the port answers an AMQP 0-9-1 protocol header with connection.start (frame type 1).
amqp_ready() {
  python3 - "$AMQP_PORT" <<'EOF' 2>/dev/null
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=1)
s.sendall(b"AMQP\x00\x00\x09\x01")
s.settimeout(2)
sys.exit(0 if s.recv(1) == b"\x01" else 1)
EOF
}

running() {
  ours "$(pid_of server.pid)" && amqp_ready
}

do_stop() {
  local server beam epmd
  server=$(pid_of server.pid)
  beam=$(pid_of beam.pid)
  epmd=$(pid_of epmd.pid)
  if { ours "$beam" || ours "$server"; } && ours "$epmd"; then
    # A clean shutdown first (it returns when the node is down); the signals below are the fallback.
    # Only with our epmd up: the CLI must find the node there, not start an epmd of its own.
    ctl -q shutdown >/dev/null 2>&1 || true
  fi
  kill_wait "$beam"
  kill_wait "$server"
  kill_wait "$epmd"
  rm -rf "$DIR"
}

# `stop` removes DIR: never let a mistaken override point it at / or a top-level folder.
case "$DIR" in
  /?*/?*) ;;
  *) die "EDALAB_RABBITMQ_DIR must be an absolute path at least two levels deep (got '$DIR')" ;;
esac

case "${1:-}" in
  start)
    [ -x "$RMQ_BIN/rabbitmq-server" ] || die "rabbitmq-server is not installed (bash scripts/setup.sh --rabbitmq)"
    if running; then
      say "already running: $NODE, AMQP on 127.0.0.1:$AMQP_PORT"
      exit 0
    fi
    # Leftovers of an earlier run that did not stop cleanly: end its processes, drop its state.
    do_stop
    t0=$(date +%s.%N)
    mkdir -p "$DIR"/{home,log,mnesia,plugins-expand}
    : >"$DIR/rabbitmq-env.conf"
    # No plugins (no management UI); loopback only; guest/guest is allowed on loopback by default.
    echo '[].' >"$DIR/enabled_plugins"
    cat >"$DIR/rabbitmq.conf" <<EOF
listeners.tcp.1 = 127.0.0.1:$AMQP_PORT
loopback_users.guest = true
log.file.level = info
log.console = false
# The default free-disk limit (50 MB) would block publishers on a nearly full CI disk; the test
# stores a few kilobytes.
disk_free_limit.absolute = 10MB
EOF
    echo '[].' >"$DIR/advanced.config"
    # A private Erlang cookie: the CLI below finds it through HOME.
    head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$DIR/home/.erlang.cookie"
    chmod 400 "$DIR/home/.erlang.cookie"
    chown -R "$RUN_AS:$RUN_AS" "$DIR"
    chmod 700 "$DIR"
    # Our own epmd on our own port, started before the node so the node registers there and does not
    # spawn a daemon we could not identify; run in the foreground so `$!` is its id.
    (exec env -i "${RMQ_ENV[@]}" "${AS_RABBITMQ[@]}" epmd -address 127.0.0.1 -port "$EPMD_PORT" \
      >"$DIR/log/epmd.log" 2>&1 </dev/null) &
    echo $! >"$DIR/epmd.pid"
    for _ in $(seq 50); do
      env -i "${RMQ_ENV[@]}" epmd -names >/dev/null 2>&1 && break
      sleep 0.1
    done
    # setsid: the server gets its own session, so a Ctrl-C or the end of the calling shell does not
    # reach it; `stop` ends it.
    (exec env -i "${RMQ_ENV[@]}" "${AS_RABBITMQ[@]}" setsid "$RMQ_BIN/rabbitmq-server" \
      >"$DIR/log/server.out" 2>&1 </dev/null) &
    echo $! >"$DIR/server.pid"
    for _ in $(seq 600); do
      amqp_ready && break
      if ! ours "$(pid_of server.pid)"; then
        tail -n 40 "$DIR/log/server.out" "$DIR"/log/*.log >&2 || true
        do_stop
        die "the server exited during start"
      fi
      sleep 0.1
    done
    if ! amqp_ready; then
      tail -n 40 "$DIR/log/server.out" "$DIR"/log/*.log >&2 || true
      do_stop
      die "the server did not accept AMQP within 60 s"
    fi
    t1=$(date +%s.%N)
    say "started $NODE in $(python3 -c "print(f'{$t1 - $t0:.1f}')") s: AMQP on 127.0.0.1:$AMQP_PORT (guest/guest), state in $DIR"
    ;;
  stop)
    if [ -d "$DIR" ]; then
      do_stop
      say "stopped"
    else
      say "not running"
    fi
    ;;
  status)
    if running; then
      say "running: $NODE, AMQP on 127.0.0.1:$AMQP_PORT, server pid $(pid_of server.pid), beam pid $(pid_of beam.pid), epmd pid $(pid_of epmd.pid)"
    else
      say "not running"
      exit 1
    fi
    ;;
  *)
    sed -n '2,7p' "$0"
    exit 2
    ;;
esac
