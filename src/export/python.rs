//! The handler the Python targets share: the effect and its idempotency guard (a Redis dedup
//! store through redis-py, or the database's own), the circuit breaker, the backoff schedule and
//! `handle`, which runs the attempts and says what became of the message: `"done"`, `"dead"`
//! (park it) or `"retry"` (hand it back: a retry topic, or a requeue).

use super::{seconds, Code, Plan, Target};
use crate::sim::config::choices::IdempotencyMode;
use crate::sim::config::downstream::WhenOpen;
use crate::sim::config::scenario::{BackoffPolicy, Jitter};
use crate::sim::kernel::numfmt::plain;
use crate::sim::policy::circuit_breaker::SlidingWindowType;

/// The first lines: what the code is, for which library and scenario, and how to read it.
pub(super) fn header(c: &mut Code, p: &Plan, target: Target, install: &str, notes: &[&str]) {
    let name = &p.s.name;
    c.comment(&format!("EDA Lab export: the scenario \"{name}\" as {} code.", target.label()));
    let redis = if p.dedup_store { " redis==5.2.1" } else { "" };
    c.comment(&format!("Install: pip install {install}{redis}"));
    c.comment("A skeleton generated from the scenario's settings: each line a setting decides names the setting and says why. charge_card() stands for the effect, one call to the payments API: fill it in.");
    for note in notes {
        c.comment(note);
    }
    if let Some(why) = p.mismatch(target) {
        c.comment(why);
    }
    c.line("");
}

/// The standard-library imports the handler needs.
pub(super) fn imports(c: &mut Code, p: &Plan) {
    if p.s.breaker.enabled {
        c.line("import collections");
    }
    if p.s.processing.retry.jitter != Jitter::None {
        c.line("import random");
    }
    c.line("import time");
}

/// The third-party import the dedup store needs (after the client library's).
pub(super) fn redis_import(c: &mut Code, p: &Plan) {
    if p.dedup_store {
        c.line("import redis");
    }
}

/// Everything between the configuration and the consume loop.
pub(super) fn handler(c: &mut Code, p: &Plan) {
    errors(c, p);
    effect(c, p);
    if p.s.breaker.enabled {
        breaker(c, p);
    }
    if p.backs_off() {
        backoff(c, p);
    }
    handle(c, p);
}

fn errors(c: &mut Code, p: &Plan) {
    c.line("");
    c.line("");
    c.open("class TransientError(Exception):");
    c.line("\"\"\"A failure worth retrying: a timeout, a 503, a 429.\"\"\"");
    c.close("");
    if p.s.processing.classify_poison {
        c.line("");
        c.line("");
        c.set_open(
            "processing.classify_poison",
            "a 400 is an error of its own, never retried.",
            "class PoisonError(Exception):",
        );
        c.line("\"\"\"A 400 Bad Request: the payload is invalid and no retry can help.\"\"\"");
        c.close("");
    }
}

/// The effect stub and the idempotency guard around it: `apply_effect(event_id, value)`.
fn effect(c: &mut Code, p: &Plan) {
    let mode = p.idempotency();
    c.line("");
    c.line("");
    let (stub, doc, sql) = match mode {
        IdempotencyMode::Natural => ("set_order_paid(event_id, value)", "The effect, written as a state to set rather than an amount to add.", "UPDATE orders SET status = 'paid' WHERE order_id = %s"),
        IdempotencyMode::Versioning => ("apply_if_newer(event_id, value)", "The effect, applied only if the event is newer than the version stored with the state, in the transaction that writes it.", "UPDATE accounts SET balance = %s, version = %s WHERE account_id = %s AND version < %s"),
        IdempotencyMode::UniqueConstraint => ("insert_charge(event_id, value)", "The effect and a row keyed by the event id, in one database transaction.", "INSERT INTO charges (event_id, order_id, amount) VALUES (%s, %s, %s)"),
        _ => ("charge_card(event_id, value)", "The effect: one call to the payments API (pass event_id as its idempotency key).", ""),
    };
    c.open(&format!("def {stub}:"));
    c.line(&format!("\"\"\"{doc}\"\"\""));
    if !sql.is_empty() {
        c.line(&format!("# {sql}"));
    }
    c.line("raise NotImplementedError(\"your effect here\")");
    c.close("");
    c.line("");
    c.line("");
    match mode {
        IdempotencyMode::DedupCheckThenAct | IdempotencyMode::DedupAtomic => dedup(c, p),
        _ => {
            let why = match mode {
                IdempotencyMode::None => "every delivery applies the effect again, so a redelivery is a second charge.",
                IdempotencyMode::Natural => "applying the same state twice changes nothing, so a redelivery is absorbed.",
                IdempotencyMode::Versioning => "a redelivery, or an older event arriving after a newer one, finds a version at least as new and changes nothing (an older event's update is never applied).",
                _ => "a second insert of the id violates the primary key and the transaction rolls back, however late the redelivery comes.",
            };
            c.note("idempotency.mode", why);
            c.open("def apply_effect(event_id, value):");
            c.line(stub);
            c.close("");
        }
    }
}

/// The Redis dedup store: check-then-act as the guide's example, or the atomic `SET NX EX`.
fn dedup(c: &mut Code, p: &Plan) {
    let ttl = match p.dedup_ttl_s() {
        Some(s) => (format!("DEDUP_TTL_S = {s}"), "a duplicate arriving after this slips through."),
        None => (
            "DEDUP_TTL_S = None".to_string(),
            "redis-py sends no EX when ex is None, so a mark never expires and the store keeps one key per message.",
        ),
    };
    c.set("idempotency.dedup_ttl_ms", ttl.1, &ttl.0);
    c.line("dedup = redis.Redis(host=\"localhost\", port=6379)");
    c.line("");
    c.line("");
    c.open("def apply_effect(event_id, value):");
    c.line("key = f\"processed:{event_id}\"");
    if p.idempotency() == IdempotencyMode::DedupCheckThenAct {
        c.note("idempotency.mode", "check, charge, then mark, as the guide's example does. A crash after the charge, before the mark, lets the redelivery charge again.");
        c.open("if dedup.exists(key):");
        c.line("return");
        c.close("");
        c.line("charge_card(event_id, value)");
        c.line("dedup.set(key, 1, ex=DEDUP_TTL_S)");
    } else {
        c.note("idempotency.mode", "SET NX EX checks and marks in one atomic step: of two deliveries of an id only the first goes on. Redis cannot join the charge's own transaction (the simulator marks in the effect's database transaction): here a crash after the mark, before the charge, leaves the id marked and the charge not made. A failed charge removes its mark so that a retry may claim it again.");
        c.open("if not dedup.set(key, 1, nx=True, ex=DEDUP_TTL_S):");
        c.line("return");
        c.close("");
        c.open("try:");
        c.line("charge_card(event_id, value)");
        c.close("");
        c.open("except Exception:");
        c.line("dedup.delete(key)");
        c.line("raise");
        c.close("");
    }
    c.close("");
}

/// resilience4j's breaker in miniature: its states, window, thresholds and waits.
fn breaker(c: &mut Code, p: &Plan) {
    let b = &p.s.breaker.config;
    c.line("");
    c.line("");
    c.note("breaker.enabled", "a sketch of resilience4j's CircuitBreaker rules (CLOSED, OPEN, HALF_OPEN), one per process as the consumers share one.");
    c.set(
        "breaker.config.failure_rate_threshold",
        "",
        &format!("FAILURE_RATE = {}", plain(b.failure_rate_threshold as f64)),
    );
    c.set(
        "breaker.config.slow_call_rate_threshold",
        "",
        &format!("SLOW_RATE = {}", plain(b.slow_call_rate_threshold as f64)),
    );
    c.set(
        "breaker.config.slow_call_duration_threshold_ms",
        "",
        &format!("SLOW_CALL_S = {}", seconds(b.slow_call_duration_threshold_ms)),
    );
    let (kind, why) = match b.sliding_window_type {
        SlidingWindowType::CountBased => ("\"count\"", "the window is the last WINDOW calls."),
        SlidingWindowType::TimeBased => ("\"time\"", "the window is the calls of the last WINDOW seconds."),
    };
    c.set("breaker.config.sliding_window_type", why, &format!("WINDOW_TYPE = {kind}"));
    c.set("breaker.config.sliding_window_size", "", &format!("WINDOW = {}", b.sliding_window_size));
    c.set(
        "breaker.config.minimum_number_of_calls",
        "no rate is judged before the window holds this many calls (a count window caps it at its size).",
        &format!("MIN_CALLS = {}", b.minimum_number_of_calls),
    );
    c.set(
        "breaker.config.wait_duration_in_open_state_ms",
        "",
        &format!("WAIT_IN_OPEN_S = {}", seconds(b.wait_duration_in_open_state_ms)),
    );
    c.set(
        "breaker.config.permitted_number_of_calls_in_half_open_state",
        "",
        &format!("HALF_OPEN_CALLS = {}", b.permitted_number_of_calls_in_half_open_state),
    );
    if b.automatic_transition_from_open_to_half_open_enabled {
        c.note(
            "breaker.config.automatic_transition_from_open_to_half_open_enabled",
            "resilience4j moves to HALF_OPEN on a timer; this sketch moves at the first allow() after the wait.",
        );
    }
    if b.max_wait_duration_in_half_open_state_ms > 0 {
        c.note("breaker.config.max_wait_duration_in_half_open_state_ms", "this sketch leaves HALF_OPEN only when its test calls have decided; resilience4j also reopens after this wait.");
    }
    c.block(BREAKER_PY);
}

const BREAKER_PY: &str = r#"

class CircuitBreaker:
    def __init__(self):
        self.state = "CLOSED"
        self.calls = collections.deque()  # (time, failed, slow) of the calls in the window
        self.opened_at = 0.0
        self.trials = 0

    def allow(self):
        if self.state == "OPEN" and time.monotonic() - self.opened_at >= WAIT_IN_OPEN_S:
            self.state, self.calls, self.trials = "HALF_OPEN", collections.deque(), 0
        if self.state == "HALF_OPEN" and self.trials < HALF_OPEN_CALLS:
            self.trials += 1
            return True
        return self.state == "CLOSED"

    def record(self, failed, took_s):
        now = time.monotonic()
        self.calls.append((now, failed, took_s > SLOW_CALL_S))
        if WINDOW_TYPE == "count":
            while len(self.calls) > WINDOW:
                self.calls.popleft()
        else:
            while now - self.calls[0][0] > WINDOW:
                self.calls.popleft()
        needed = HALF_OPEN_CALLS if self.state == "HALF_OPEN" else MIN_CALLS
        if WINDOW_TYPE == "count":
            needed = min(needed, WINDOW)
        if len(self.calls) < needed:
            return
        failures = 100.0 * sum(1 for c in self.calls if c[1]) / len(self.calls)
        slow = 100.0 * sum(1 for c in self.calls if c[2]) / len(self.calls)
        if failures >= FAILURE_RATE or slow >= SLOW_RATE:
            self.state, self.opened_at = "OPEN", now
        elif self.state == "HALF_OPEN":
            self.state, self.calls = "CLOSED", collections.deque()


breaker = CircuitBreaker()
"#;

/// The retry schedule: `backoff_s(retry, previous_s)`, the wait before retry `retry` (from 1).
fn backoff(c: &mut Code, p: &Plan) {
    let r = &p.s.processing.retry;
    c.line("");
    c.line("");
    c.set("processing.retry.max_retries", "retries after the first attempt.", &format!("MAX_RETRIES = {}", p.retries));
    c.set("processing.retry.backoff_ms", "", &format!("BASE_S = {}", seconds(r.backoff_ms)));
    if r.policy == BackoffPolicy::Exponential {
        c.set("processing.retry.multiplier", "", &format!("MULTIPLIER = {}", r.multiplier));
        c.set("processing.retry.cap_ms", "", &format!("CAP_S = {}", seconds(r.cap_ms)));
    }
    c.line("");
    c.line("");
    c.open("def backoff_s(retry, previous_s):");
    let (wait, why) = match r.policy {
        BackoffPolicy::Exponential => (
            "wait = min(CAP_S, BASE_S * MULTIPLIER ** (retry - 1))",
            "the base, times the multiplier per retry, up to the cap.",
        ),
        BackoffPolicy::Fixed => ("wait = BASE_S", "the base before every retry."),
        BackoffPolicy::Immediate => ("wait = 0.0", "retry at once."),
        BackoffPolicy::None => ("wait = 0.0", "no retries: a failed message is given up on at once."),
    };
    c.set("processing.retry.policy", why, wait);
    let (ret, why) = match r.jitter {
        Jitter::None => ("return wait", "the schedule's wait, exactly."),
        Jitter::Full => {
            ("return random.uniform(0, wait)", "anywhere from 0 to the wait (AWS, \"Exponential Backoff and Jitter\").")
        }
        Jitter::Equal => ("return wait / 2 + random.uniform(0, wait / 2)", "from half the wait to all of it."),
        Jitter::Decorrelated => (
            "return min(CAP_S, random.uniform(BASE_S, previous_s * 3))",
            "from the base to three times the previous wait, up to the cap.",
        ),
    };
    c.set("processing.retry.jitter", why, ret);
    c.close("");
}

/// `handle(event_id, value, retries)`: the attempts, and what became of the message.
fn handle(c: &mut Code, p: &Plan) {
    c.line("");
    c.line("");
    if p.s.breaker.enabled {
        call_through_breaker(c, p);
    }
    let call = if p.s.breaker.enabled { "call" } else { "apply_effect" };
    c.open("def handle(event_id, value, retries=0):");
    c.line("\"\"\"Returns \"done\", \"dead\" (park it) or \"retry\" (hand it back to retry later).\"\"\"");
    if p.backs_off() {
        c.line("wait_s = BASE_S");
    }
    c.open("while True:");
    c.open("try:");
    c.line(&format!("{call}(event_id, value)"));
    c.line("return \"done\"");
    c.close("");
    if p.s.processing.classify_poison {
        c.open("except PoisonError:");
        c.set("processing.classify_poison", "a 400 goes straight to the dead-letter queue.", "return \"dead\"");
        c.close("");
    }
    c.open("except TransientError:");
    give_up_or_retry(c, p);
    c.close("");
    c.close("");
    c.close("");
}

/// What a transient failure leads to: a wait and another attempt here, a hand-back, or parking.
fn give_up_or_retry(c: &mut Code, p: &Plan) {
    let dlq = p.s.processing.dead_letter_queue;
    if p.hands_back() {
        let why = "the message goes back (a retry topic, a wait queue or a requeue) and the consumer moves on; per-key order breaks.";
        if dlq {
            c.set("processing.retry.mode", why, "return \"retry\" if retries < MAX_RETRIES else \"dead\"");
        } else {
            c.note(
                "processing.dead_letter_queue",
                "there is nowhere to park it, so it goes back again however often it failed.",
            );
            c.set("processing.retry.mode", why, "return \"retry\"");
        }
        return;
    }
    if !p.backs_off() {
        c.set("processing.dead_letter_queue", "no retries: park it at once.", "return \"dead\"");
        return;
    }
    c.open("if retries >= MAX_RETRIES:");
    if dlq {
        c.set("processing.dead_letter_queue", "retries ran out: park it.", "return \"dead\"");
    } else {
        c.note("processing.dead_letter_queue", "there is nowhere to park it, so it is tried again after the schedule's last wait; in place, a poison message stalls its partition for good.");
        c.line("time.sleep(backoff_s(max(MAX_RETRIES, 1), wait_s))");
        c.line("continue");
    }
    c.close("");
    c.line("retries += 1");
    c.line("wait_s = backoff_s(retries, wait_s)");
    c.set(
        "processing.retry.mode",
        "the consumer waits and retries here; every partition it owns waits behind it.",
        "time.sleep(wait_s)",
    );
}

/// `call(event_id, value)`: the effect through the breaker, pausing or failing fast when open.
fn call_through_breaker(c: &mut Code, p: &Plan) {
    c.open("def call(event_id, value):");
    match p.s.breaker.when_open {
        WhenOpen::Pause => {
            c.note(
                "breaker.when_open",
                "the consumer keeps the message and waits while the breaker refuses calls: lag grows, nothing is lost.",
            );
            c.open("while not breaker.allow():");
            c.line("time.sleep(0.1)");
            c.close("");
        }
        WhenOpen::FailFast => {
            c.note("breaker.when_open", "a refused call is a failed attempt (resilience4j's CallNotPermittedException), for the retries and the dead-letter queue.");
            c.open("if not breaker.allow():");
            c.line("raise TransientError(\"the circuit breaker is open\")");
            c.close("");
        }
    }
    c.line("started = time.monotonic()");
    c.open("try:");
    c.line("apply_effect(event_id, value)");
    c.close("");
    if p.s.processing.classify_poison {
        c.open("except PoisonError:");
        c.line("raise  # a 400 says nothing of the API's health: the breaker ignores it");
        c.close("");
    }
    c.open("except Exception:");
    c.line("breaker.record(True, time.monotonic() - started)");
    c.line("raise");
    c.close("");
    c.line("breaker.record(False, time.monotonic() - started)");
    c.close("");
    c.line("");
    c.line("");
}
