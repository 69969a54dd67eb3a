#!/usr/bin/env python3
"""Differential test: every queue script (tests/rabbitmq/scripts/*.json, format in FORMAT.md) runs on a
real RabbitMQ server and on the engine (`eda-lab amqp SCRIPT --json`); the two observation lists must
be equal entry by entry.

    python3 tests/rabbitmq/differential.py                 server and engine, compared
    python3 tests/rabbitmq/differential.py --server-only   the server's observations as JSON
    options: --cli PATH (default target/release/eda-lab), --scripts GLOB, --port N (default 5699)

The server is the private one of scripts/rabbitmq.sh (start it first; scripts/rabbitmq-test.sh does
both). Standard library and pika only.
"""

import argparse
import fnmatch
import glob
import json
import os
import struct
import subprocess
import sys
import time

import pika
import pika.data
import pika.exceptions

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS_DIR = os.path.join(ROOT, "tests", "rabbitmq", "scripts")

# Where the engine deliberately differs from RabbitMQ. Each entry names the script (fnmatch pattern),
# optionally the step (an int, or "end") and the field, and says why. A mismatch is excused only when
# an entry matches it; nothing else is. Entry: {"script": "...", "step": 3, "field": "x_death",
# "reason": "..."}.
KNOWN_DIFFERENCES = []

# pika cannot encode a Python float in a field table; AMQP 0-9-1 has the 'd' (double) type, which
# RabbitMQ reads as an Erlang float. Headers with float values (headers-exchange scripts) need it.
_pika_encode_value = pika.data.encode_value


def _encode_value(pieces, value):
    if isinstance(value, float):
        pieces.append(struct.pack(">cd", b"d", value))
        return 9
    return _pika_encode_value(pieces, value)


pika.data.encode_value = _encode_value


class ScriptError(Exception):
    """The script is malformed, or the server refused part of it."""


def table_to_json(value):
    """An AMQP table value as pika decodes it, made JSON-friendly (bytes become str)."""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    if isinstance(value, dict):
        return {k: table_to_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [table_to_json(v) for v in value]
    return value


def x_death_of(properties):
    """The x-death header as FORMAT.md's list: newest first (the server's own order), each entry
    queue, reason, count, exchange, routing_keys. Other fields (`time`, `original-expiration`) are
    not compared and dropped."""
    headers = properties.headers or {}
    entries = headers.get("x-death") or []
    result = []
    for entry in entries:
        entry = table_to_json(entry)
        result.append(
            {
                "queue": entry.get("queue"),
                "reason": entry.get("reason"),
                "count": entry.get("count"),
                "exchange": entry.get("exchange"),
                "routing_keys": entry.get("routing-keys", []),
            }
        )
    return result


def resolve_redrive(q):
    """SQS's redrive policy as the engine expands it (queue.rs, RedrivePolicy): a quorum queue with
    x-delivery-limit max_receive_count - 1, dead-lettering via the default exchange to the DLQ."""
    policy = q.get("redrive_policy")
    if policy is None:
        return q
    q = dict(q)
    q["type"] = "quorum"
    q["delivery_limit"] = policy["max_receive_count"] - 1
    q["dead_letter_exchange"] = ""
    q["dead_letter_routing_key"] = policy["dead_letter_queue"]
    return q


def queue_arguments(q):
    args = {}
    q = resolve_redrive(q)
    qtype = q.get("type") or "classic"
    if qtype not in ("classic", "quorum"):
        raise ScriptError(f"queue {q['name']}: unknown type {qtype!r}")
    if qtype == "quorum":
        args["x-queue-type"] = "quorum"
    for field, arg in (
        ("message_ttl_ms", "x-message-ttl"),
        ("max_length", "x-max-length"),
        ("max_length_bytes", "x-max-length-bytes"),
        ("overflow", "x-overflow"),
        ("dead_letter_exchange", "x-dead-letter-exchange"),
        ("dead_letter_routing_key", "x-dead-letter-routing-key"),
        ("delivery_limit", "x-delivery-limit"),
    ):
        if q.get(field) is not None:
            args[arg] = q[field]
    return args


def settle(channel, tag, how):
    if how == "ack":
        channel.basic_ack(tag)
    elif how == "nack":
        channel.basic_nack(tag, requeue=False)
    elif how == "nack_requeue":
        channel.basic_nack(tag, requeue=True)
    elif how == "reject":
        channel.basic_reject(tag, requeue=False)
    elif how == "reject_requeue":
        channel.basic_reject(tag, requeue=True)
    else:
        raise ScriptError(f"unknown settlement {how!r}")


def get_observation(step, queue, method, properties):
    if method is None:
        return {"step": step, "op": "get", "queue": queue, "id": None, "redelivered": False, "x_death": []}
    return {
        "step": step,
        "op": "get",
        "queue": queue,
        "id": properties.message_id,
        "redelivered": bool(method.redelivered),
        "x_death": x_death_of(properties),
    }


def delete_declared(channel, script):
    """Deletes the script's queues and exchanges (also before the run: a failed earlier run may have
    left them). Deleting a missing queue or exchange is not an error in RabbitMQ."""
    for q in script.get("queues", []):
        channel.queue_delete(q["name"])
    for e in script.get("exchanges", []):
        channel.exchange_delete(e["name"])


def run_on_server(script, port):
    """Runs one script on the server; returns the observation list of FORMAT.md."""
    params = pika.ConnectionParameters(
        host="127.0.0.1",
        port=port,
        credentials=pika.PlainCredentials("guest", "guest"),
        heartbeat=0,
        blocked_connection_timeout=30,
    )
    connection = pika.BlockingConnection(params)
    try:
        channel = connection.channel()
        delete_declared(channel, script)
        channel.confirm_delivery()

        for e in script.get("exchanges", []):
            args = {}
            if e.get("alternate_exchange") is not None:
                args["alternate-exchange"] = e["alternate_exchange"]
            channel.exchange_declare(e["name"], exchange_type=e["type"], durable=True, arguments=args or None)
        for q in script.get("queues", []):
            channel.queue_declare(q["name"], durable=True, arguments=queue_arguments(q) or None)
        for b in script.get("bindings", []):
            args = b.get("arguments") or None
            key = b.get("key", "")
            if ("queue" in b) == ("exchange" in b):
                raise ScriptError(f"binding {b}: exactly one of queue or exchange")
            if "queue" in b:
                channel.queue_bind(b["queue"], b["source"], routing_key=key, arguments=args)
            else:
                channel.exchange_bind(b["exchange"], b["source"], routing_key=key, arguments=args)

        observations = []
        kept = {}  # id -> delivery tag, in the order kept
        for i, step in enumerate(script.get("steps", [])):
            op = step["op"]
            if op == "publish":
                expiration = step.get("expiration_ms")
                props = pika.BasicProperties(
                    message_id=step["id"],
                    headers=step.get("headers") or None,
                    delivery_mode=2,
                    expiration=None if expiration is None else str(expiration),
                )
                returned, confirm = False, "ack"
                try:
                    channel.basic_publish(
                        step.get("exchange", ""),
                        step.get("routing_key", ""),
                        b"x" * step.get("body_bytes", 10),
                        properties=props,
                        mandatory=bool(step.get("mandatory", False)),
                    )
                except pika.exceptions.UnroutableError:
                    returned = True
                except pika.exceptions.NackError as err:
                    confirm = "nack"
                    returned = bool(err.messages)
                observations.append(
                    {"step": i, "op": "publish", "id": step["id"], "returned": returned, "confirm": confirm}
                )
            elif op == "get":
                method, properties, _body = channel.basic_get(step["queue"], auto_ack=False)
                observations.append(get_observation(i, step["queue"], method, properties))
                if method is not None:
                    then = step.get("then", "ack")
                    if then == "keep":
                        kept[properties.message_id] = method.delivery_tag
                    else:
                        settle(channel, method.delivery_tag, then)
            elif op == "settle":
                if step["id"] not in kept:
                    raise ScriptError(f"step {i}: settle {step['id']!r}, which is not kept")
                settle(channel, kept.pop(step["id"]), step["then"])
                observations.append({"step": i, "op": "settle", "id": step["id"]})
            elif op == "wait":
                # The blocking connection processes its I/O while sleeping.
                connection.sleep(step["ms"] / 1000.0)
            else:
                raise ScriptError(f"step {i}: unknown op {op!r}")

        # The end: kept messages back with requeue, in the order kept, then every queue drained.
        for tag in kept.values():
            channel.basic_nack(tag, requeue=True)
        # Only messages are observed: the get that finds the queue empty ends its drain unrecorded.
        for q in script.get("queues", []):
            while True:
                method, properties, _body = channel.basic_get(q["name"], auto_ack=False)
                if method is None:
                    break
                observations.append(get_observation("end", q["name"], method, properties))
                channel.basic_ack(method.delivery_tag)

        delete_declared(channel, script)
        return observations
    finally:
        if connection.is_open:
            connection.close()


def run_engine(cli, path):
    proc = subprocess.run([cli, "amqp", path, "--json"], capture_output=True, text=True, timeout=120)
    if proc.returncode != 0:
        raise ScriptError(f"{cli} amqp {path} --json exited {proc.returncode}: {proc.stderr.strip()}")
    try:
        return json.loads(proc.stdout)
    except json.JSONDecodeError as err:
        raise ScriptError(f"the engine's output is not JSON ({err}): {proc.stdout[:500]!r}")


def known(script_name, step, field):
    """The KNOWN_DIFFERENCES entry that excuses this mismatch, or None."""
    for entry in KNOWN_DIFFERENCES:
        if not fnmatch.fnmatch(script_name, entry["script"]):
            continue
        if "step" in entry and entry["step"] != step:
            continue
        if "field" in entry and entry["field"] != field:
            continue
        return entry
    return None


def compare(script_name, server, engine):
    """(unexcused, excused) mismatch lines: one per differing field of an entry, or per missing entry."""
    unexcused, excused = [], []

    def report(step, field, text):
        entry = known(script_name, step, field)
        if entry is None:
            unexcused.append(text)
        else:
            excused.append(f"{text}  [known: {entry['reason']}]")

    for n in range(max(len(server), len(engine))):
        s = server[n] if n < len(server) else None
        e = engine[n] if n < len(engine) else None
        step = (s or e).get("step")
        where = f"{script_name}: observation {n} (step {step}, {(s or e).get('op')})"
        if s is None:
            report(step, None, f"{where}: only the engine has {json.dumps(e)}")
            continue
        if e is None:
            report(step, None, f"{where}: only the server has {json.dumps(s)}")
            continue
        for field in sorted(set(s) | set(e)):
            if s.get(field, "<absent>") != e.get(field, "<absent>"):
                report(
                    step,
                    field,
                    f"{where}: field {field}: server {json.dumps(s.get(field, '<absent>'))}"
                    f" != engine {json.dumps(e.get(field, '<absent>'))}",
                )
    return unexcused, excused


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-only", action="store_true", help="only run on the server; print its observations")
    parser.add_argument("--scripts", default="*.json", help="glob of script files in tests/rabbitmq/scripts/")
    parser.add_argument("--port", type=int, default=int(os.environ.get("EDALAB_RABBITMQ_PORT", 5699)))
    parser.add_argument("--cli", default=os.path.join(ROOT, "target", "release", "eda-lab"))
    args = parser.parse_args()

    pattern = args.scripts if os.path.dirname(args.scripts) else os.path.join(SCRIPTS_DIR, args.scripts)
    paths = sorted(glob.glob(pattern))
    if not paths:
        print(f"differential.py: no scripts match {pattern}", file=sys.stderr)
        return 2
    if not args.server_only and not os.access(args.cli, os.X_OK):
        print(f"differential.py: no CLI at {args.cli} (cargo build --release, or --cli PATH)", file=sys.stderr)
        return 2

    failures = 0
    all_server = {}
    for path in paths:
        with open(path) as f:
            script = json.load(f)
        name = script.get("name") or os.path.basename(path)
        t0 = time.monotonic()
        try:
            server = run_on_server(script, args.port)
        except (ScriptError, pika.exceptions.AMQPError) as err:
            print(f"FAIL {name}: the server run failed: {err!r}", file=sys.stderr)
            failures += 1
            continue
        if args.server_only:
            all_server[name] = server
            print(f"ran {name} on the server in {time.monotonic() - t0:.1f}s", file=sys.stderr)
            continue
        try:
            engine = run_engine(args.cli, path)
        except (ScriptError, subprocess.TimeoutExpired) as err:
            print(f"FAIL {name}: the engine run failed: {err}", file=sys.stderr)
            failures += 1
            continue
        unexcused, excused = compare(name, server, engine)
        for line in excused:
            print(f"  known difference: {line}")
        if unexcused:
            failures += 1
            print(f"FAIL {name} ({len(unexcused)} differences):")
            for line in unexcused:
                print(f"  {line}")
            print(f"  server: {json.dumps(server)}")
            print(f"  engine: {json.dumps(engine)}")
        else:
            print(f"ok   {name} ({len(server)} observations{', known differences excused' if excused else ''})")

    if args.server_only:
        # One observation a line: easy to read and to diff between runs.
        print("{")
        for k, (name, observations) in enumerate(all_server.items()):
            print(f" {json.dumps(name)}: [")
            print(",\n".join(f"  {json.dumps(o)}" for o in observations))
            print(" ]" + ("," if k + 1 < len(all_server) else ""))
        print("}")
    print(
        f"differential.py: {len(paths) - failures} of {len(paths)} scripts "
        f"{'ran on the server' if args.server_only else 'agree'}"
        + (f", {failures} failed" if failures else ""),
        file=sys.stderr,
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
