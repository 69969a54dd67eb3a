//! The handler the Rust targets share: `CallError` and `Outcome`, the effect and its idempotency
//! guard (a Redis dedup store through the `redis` crate 0.27, or the database's own), the circuit
//! breaker, the backoff schedule and `Handler::handle`, which runs the attempts on tokio.

use super::{Code, Plan, Target};
use crate::sim::config::choices::IdempotencyMode;
use crate::sim::config::downstream::WhenOpen;
use crate::sim::config::scenario::{BackoffPolicy, Jitter};
use crate::sim::kernel::numfmt::plain;
use crate::sim::policy::circuit_breaker::SlidingWindowType;

/// The first lines: what the code is, the crates it needs, and how to read it.
pub(super) fn header(c: &mut Code, p: &Plan, target: Target, client: &str) {
    c.comment(&format!("EDA Lab export: the scenario \"{}\" as {} code.", p.s.name, target.label()));
    let mut deps = vec![
        client.to_string(),
        "tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"time\"] }".into(),
    ];
    if p.dedup_store {
        deps.push("redis = { version = \"0.27\", features = [\"aio\", \"tokio-comp\"] }".into());
    }
    if p.s.processing.retry.jitter != Jitter::None && p.backs_off() {
        deps.push("rand = \"0.9\"".into());
    }
    c.comment(&format!("Cargo.toml [dependencies]: {}.", deps.join(", ")));
    c.comment("A skeleton generated from the scenario's settings: each line a setting decides names the setting and says why. charge_card() stands for the effect, one call to the payments API: fill it in. Call run() from your #[tokio::main].");
    if let Some(why) = p.mismatch(target) {
        c.comment(why);
    }
    c.line("");
}

/// A float literal Rust reads as one (`50.0`, not `50`).
fn float(v: f64) -> String {
    let text = plain(v);
    if text.contains(['.', 'e', 'E']) {
        text
    } else {
        text + ".0"
    }
}

/// Everything between the configuration and the consume loop.
pub(super) fn handler(c: &mut Code, p: &Plan) {
    types(c, p);
    if p.s.breaker.enabled {
        breaker(c, p);
    }
    if p.backs_off() {
        backoff(c, p);
    }
    handler_struct(c, p);
}

fn types(c: &mut Code, p: &Plan) {
    c.block(
        r#"

type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// How one attempt of the effect failed.
#[derive(Debug)]
pub enum CallError {
    /// Worth retrying: a timeout, a 503, a 429.
    Transient(String),"#,
    );
    if p.s.processing.classify_poison {
        c.line("    /// A 400 Bad Request: the payload is invalid and no retry can help.");
        c.set("processing.classify_poison", "", "    Poison(String),");
    }
    c.block(
        r#"
}

/// What became of a message.
pub enum Outcome {
    Done,
    /// Given up on: park it.
    Dead(String),
    /// Hand it back, to retry later.
    Retry,
}
"#,
    );
    let (stub, doc, sql) = match p.idempotency() {
        IdempotencyMode::Natural => ("set_order_paid", "The effect, written as a state to set rather than an amount to add.", "UPDATE orders SET status = 'paid' WHERE order_id = $1"),
        IdempotencyMode::Versioning => ("apply_if_newer", "The effect, applied only if the event is newer than the version stored with the state, in the transaction that writes it.", "UPDATE accounts SET balance = $1, version = $2 WHERE account_id = $3 AND version < $2"),
        IdempotencyMode::UniqueConstraint => ("insert_charge", "The effect and a row keyed by the event id, in one database transaction.", "INSERT INTO charges (event_id, order_id, amount) VALUES ($1, $2, $3)"),
        _ => ("charge_card", "The effect: one call to the payments API (pass the event id as its idempotency key).", ""),
    };
    c.line("");
    c.line(&format!("/// {doc}"));
    if !sql.is_empty() {
        c.line(&format!("/// `{sql}`"));
    }
    c.open(&format!("async fn {stub}(event_id: &str, payload: &[u8]) -> Result<(), CallError> {{"));
    c.line("let _ = (event_id, payload);");
    c.line("todo!(\"your effect here\")");
    c.close("}");
}

/// resilience4j's breaker in miniature: its states, window, thresholds and waits.
fn breaker(c: &mut Code, p: &Plan) {
    let b = &p.s.breaker.config;
    c.line("");
    c.note("breaker.enabled", "a sketch of resilience4j's CircuitBreaker rules (CLOSED, OPEN, HALF_OPEN), one per process as the consumers share one.");
    c.set(
        "breaker.config.failure_rate_threshold",
        "",
        &format!("const FAILURE_RATE: f32 = {};", float(b.failure_rate_threshold as f64)),
    );
    c.set(
        "breaker.config.slow_call_rate_threshold",
        "",
        &format!("const SLOW_RATE: f32 = {};", float(b.slow_call_rate_threshold as f64)),
    );
    c.set(
        "breaker.config.slow_call_duration_threshold_ms",
        "",
        &format!("const SLOW_CALL: Duration = Duration::from_millis({});", b.slow_call_duration_threshold_ms),
    );
    let (count, why) = match b.sliding_window_type {
        SlidingWindowType::CountBased => ("true", "the window is the last WINDOW calls."),
        SlidingWindowType::TimeBased => ("false", "the window is the calls of the last WINDOW seconds."),
    };
    c.set("breaker.config.sliding_window_type", why, &format!("const COUNT_WINDOW: bool = {count};"));
    c.set("breaker.config.sliding_window_size", "", &format!("const WINDOW: u32 = {};", b.sliding_window_size));
    c.set(
        "breaker.config.minimum_number_of_calls",
        "no rate is judged before the window holds this many calls (a count window caps it at its size).",
        &format!("const MIN_CALLS: u32 = {};", b.minimum_number_of_calls),
    );
    c.set(
        "breaker.config.wait_duration_in_open_state_ms",
        "",
        &format!("const WAIT_IN_OPEN: Duration = Duration::from_millis({});", b.wait_duration_in_open_state_ms),
    );
    c.set(
        "breaker.config.permitted_number_of_calls_in_half_open_state",
        "",
        &format!("const HALF_OPEN_CALLS: u32 = {};", b.permitted_number_of_calls_in_half_open_state),
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
    c.block(BREAKER_RS);
}

const BREAKER_RS: &str = r#"

#[derive(Clone, Copy, PartialEq)]
enum State {
    Closed,
    Open,
    HalfOpen,
}

struct CircuitBreaker {
    state: State,
    /// (time, failed, slow) of the calls in the window.
    calls: VecDeque<(Instant, bool, bool)>,
    opened_at: Instant,
    trials: u32,
}

impl CircuitBreaker {
    fn new() -> CircuitBreaker {
        CircuitBreaker { state: State::Closed, calls: VecDeque::new(), opened_at: Instant::now(), trials: 0 }
    }

    fn allow(&mut self) -> bool {
        if self.state == State::Open && self.opened_at.elapsed() >= WAIT_IN_OPEN {
            (self.state, self.trials) = (State::HalfOpen, 0);
            self.calls.clear();
        }
        if self.state == State::HalfOpen && self.trials < HALF_OPEN_CALLS {
            self.trials += 1;
            return true;
        }
        self.state == State::Closed
    }

    fn record(&mut self, failed: bool, took: Duration) {
        let now = Instant::now();
        self.calls.push_back((now, failed, took > SLOW_CALL));
        let window = Duration::from_secs(u64::from(WINDOW));
        while self.calls.len() > WINDOW as usize && COUNT_WINDOW
            || !COUNT_WINDOW && self.calls.front().is_some_and(|c| now - c.0 > window)
        {
            self.calls.pop_front();
        }
        let needed = if self.state == State::HalfOpen { HALF_OPEN_CALLS } else { MIN_CALLS };
        let needed = if COUNT_WINDOW { needed.min(WINDOW) } else { needed };
        if (self.calls.len() as u32) < needed {
            return;
        }
        let n = self.calls.len() as f32;
        let failures = 100.0 * self.calls.iter().filter(|c| c.1).count() as f32 / n;
        let slow = 100.0 * self.calls.iter().filter(|c| c.2).count() as f32 / n;
        if failures >= FAILURE_RATE || slow >= SLOW_RATE {
            (self.state, self.opened_at) = (State::Open, now);
        } else if self.state == State::HalfOpen {
            self.state = State::Closed;
            self.calls.clear();
        }
    }
}
"#;

/// The retry schedule: `backoff(retry, previous)`, the wait before retry `retry` (from 1).
fn backoff(c: &mut Code, p: &Plan) {
    let r = &p.s.processing.retry;
    c.line("");
    c.set(
        "processing.retry.max_retries",
        "retries after the first attempt.",
        &format!("const MAX_RETRIES: u32 = {};", p.retries),
    );
    c.set(
        "processing.retry.backoff_ms",
        "",
        &format!("const BASE: Duration = Duration::from_millis({});", r.backoff_ms),
    );
    if r.policy == BackoffPolicy::Exponential {
        c.set("processing.retry.multiplier", "", &format!("const MULTIPLIER: u32 = {};", r.multiplier));
        c.set("processing.retry.cap_ms", "", &format!("const CAP: Duration = Duration::from_millis({});", r.cap_ms));
    }
    c.line("");
    c.open("fn backoff(retry: u32, previous: Duration) -> Duration {");
    let (wait, why) = match r.policy {
        BackoffPolicy::Exponential => (
            "let wait = BASE.saturating_mul(MULTIPLIER.saturating_pow(retry - 1)).min(CAP);",
            "the base, times the multiplier per retry, up to the cap.",
        ),
        BackoffPolicy::Fixed => ("let wait = BASE;", "the base before every retry."),
        BackoffPolicy::Immediate => ("let wait = Duration::ZERO;", "retry at once."),
        BackoffPolicy::None => ("let wait = Duration::ZERO;", "no retries: a failed message is given up on at once."),
    };
    c.line("let _ = (retry, previous);");
    c.set("processing.retry.policy", why, wait);
    let (ret, why) = match r.jitter {
        Jitter::None => ("wait", "the schedule's wait, exactly."),
        Jitter::Full => (
            "Duration::from_secs_f64(rand::random_range(0.0..=wait.as_secs_f64()))",
            "anywhere from 0 to the wait (AWS, \"Exponential Backoff and Jitter\").",
        ),
        Jitter::Equal => (
            "wait / 2 + Duration::from_secs_f64(rand::random_range(0.0..=wait.as_secs_f64() / 2.0))",
            "from half the wait to all of it.",
        ),
        Jitter::Decorrelated => (
            "Duration::from_secs_f64(rand::random_range(BASE.as_secs_f64()..=previous.as_secs_f64() * 3.0)).min(CAP)",
            "from the base to three times the previous wait, up to the cap.",
        ),
    };
    c.set("processing.retry.jitter", why, ret);
    c.close("}");
}

/// The `Handler`: what it keeps between messages, and its methods.
fn handler_struct(c: &mut Code, p: &Plan) {
    c.line("");
    c.line("/// What the handler keeps between messages.");
    c.open("pub struct Handler {");
    if p.dedup_store {
        c.line("dedup: redis::aio::MultiplexedConnection,");
    }
    if p.s.breaker.enabled {
        c.line("breaker: CircuitBreaker,");
    }
    c.close("}");
    c.line("");
    c.open("impl Handler {");
    c.open("pub async fn new() -> Result<Handler, BoxError> {");
    c.open("Ok(Handler {");
    if p.dedup_store {
        c.line("dedup: redis::Client::open(\"redis://127.0.0.1/\")?.get_multiplexed_async_connection().await?,");
    }
    if p.s.breaker.enabled {
        c.line("breaker: CircuitBreaker::new(),");
    }
    c.close("})");
    c.close("}");
    effect(c, p);
    if p.s.breaker.enabled {
        call_through_breaker(c, p);
    }
    handle(c, p);
    c.close("}");
}

/// `apply_effect`: the effect inside its idempotency guard.
fn effect(c: &mut Code, p: &Plan) {
    let mode = p.idempotency();
    c.line("");
    if !p.dedup_store {
        let (stub, why) = match mode {
            IdempotencyMode::None => ("charge_card", "every delivery applies the effect again, so a redelivery is a second charge."),
            IdempotencyMode::Natural => ("set_order_paid", "applying the same state twice changes nothing, so a redelivery is absorbed."),
            IdempotencyMode::Versioning => ("apply_if_newer", "a redelivery, or an older event arriving after a newer one, finds a version at least as new and changes nothing (an older event's update is never applied)."),
            _ => ("insert_charge", "a second insert of the id violates the primary key and the transaction rolls back, however late the redelivery comes."),
        };
        c.note("idempotency.mode", why);
        c.open("async fn apply_effect(&mut self, event_id: &str, payload: &[u8]) -> Result<(), CallError> {");
        c.line(&format!("{stub}(event_id, payload).await"));
        c.close("}");
        return;
    }
    dedup(c, p);
}

fn dedup(c: &mut Code, p: &Plan) {
    let ttl = match p.dedup_ttl_s() {
        Some(s) => (
            format!(".arg(\"EX\").arg({s}u64)"),
            format!("the mark expires after {s} s: a duplicate arriving later slips through."),
        ),
        None => (String::new(), "no EX: the mark never expires, and the store keeps one key per message.".to_string()),
    };
    c.open("async fn apply_effect(&mut self, event_id: &str, payload: &[u8]) -> Result<(), CallError> {");
    c.line("let transient = |e: redis::RedisError| CallError::Transient(e.to_string());");
    c.line("let key = format!(\"processed:{event_id}\");");
    if p.idempotency() == IdempotencyMode::DedupCheckThenAct {
        c.note("idempotency.mode", "check, charge, then mark, as the guide's example does. A crash after the charge, before the mark, lets the redelivery charge again.");
        c.line(
            "let seen: bool = redis::cmd(\"EXISTS\").arg(&key).query_async(&mut self.dedup).await.map_err(transient)?;",
        );
        c.open("if seen {");
        c.line("return Ok(());");
        c.close("}");
        c.line("charge_card(event_id, payload).await?;");
        c.set("idempotency.dedup_ttl_ms", &ttl.1, &format!("let () = redis::cmd(\"SET\").arg(&key).arg(1){}.query_async(&mut self.dedup).await.map_err(transient)?;", ttl.0));
        c.line("Ok(())");
    } else {
        c.note("idempotency.mode", "SET NX EX checks and marks in one atomic step: of two deliveries of an id only the first goes on. Redis cannot join the charge's own transaction (the simulator marks in the effect's database transaction): here a crash after the mark, before the charge, leaves the id marked and the charge not made. A failed charge removes its mark so that a retry may claim it again.");
        c.set("idempotency.dedup_ttl_ms", &ttl.1, &format!("let fresh: Option<String> = redis::cmd(\"SET\").arg(&key).arg(1).arg(\"NX\"){}.query_async(&mut self.dedup).await.map_err(transient)?;", ttl.0));
        c.open("if fresh.is_none() {");
        c.line("return Ok(());");
        c.close("}");
        c.open("if let Err(e) = charge_card(event_id, payload).await {");
        c.line("let _: Result<i64, _> = redis::cmd(\"DEL\").arg(&key).query_async(&mut self.dedup).await;");
        c.line("return Err(e);");
        c.close("}");
        c.line("Ok(())");
    }
    c.close("}");
}

/// `call`: the effect through the breaker, pausing or failing fast when open.
fn call_through_breaker(c: &mut Code, p: &Plan) {
    c.line("");
    c.open("async fn call(&mut self, event_id: &str, payload: &[u8]) -> Result<(), CallError> {");
    match p.s.breaker.when_open {
        WhenOpen::Pause => {
            c.note(
                "breaker.when_open",
                "the consumer keeps the message and waits while the breaker refuses calls: lag grows, nothing is lost.",
            );
            c.open("while !self.breaker.allow() {");
            c.line("tokio::time::sleep(Duration::from_millis(100)).await;");
            c.close("}");
        }
        WhenOpen::FailFast => {
            c.note("breaker.when_open", "a refused call is a failed attempt (resilience4j's CallNotPermittedException), for the retries and the dead-letter queue.");
            c.open("if !self.breaker.allow() {");
            c.line("return Err(CallError::Transient(\"the circuit breaker is open\".into()));");
            c.close("}");
        }
    }
    c.line("let started = Instant::now();");
    c.line("let result = self.apply_effect(event_id, payload).await;");
    if p.s.processing.classify_poison {
        c.comment("A 400 says nothing of the API's health: the breaker ignores it.");
        c.open("if !matches!(result, Err(CallError::Poison(_))) {");
        c.line("self.breaker.record(result.is_err(), started.elapsed());");
        c.close("}");
    } else {
        c.line("self.breaker.record(result.is_err(), started.elapsed());");
    }
    c.line("result");
    c.close("}");
}

/// `handle`: the attempts, and what became of the message.
fn handle(c: &mut Code, p: &Plan) {
    let call = if p.s.breaker.enabled { "call" } else { "apply_effect" };
    c.line("");
    c.open("pub async fn handle(&mut self, event_id: &str, payload: &[u8], retries: u32) -> Outcome {");
    if p.backs_off() && !p.hands_back() {
        c.line("let (mut retries, mut wait) = (retries, BASE);");
    }
    c.open("loop {");
    c.open(&format!("match self.{call}(event_id, payload).await {{"));
    c.line("Ok(()) => return Outcome::Done,");
    if p.s.processing.classify_poison {
        c.set(
            "processing.classify_poison",
            "a 400 goes straight to the dead-letter queue.",
            "Err(CallError::Poison(why)) => return Outcome::Dead(why),",
        );
    }
    c.open("Err(CallError::Transient(why)) => {");
    give_up_or_retry(c, p);
    c.close("}");
    c.close("}");
    c.close("}");
    c.close("}");
}

fn give_up_or_retry(c: &mut Code, p: &Plan) {
    if p.hands_back() {
        let why = "the message goes back (a retry topic, a wait queue or a requeue) and the consumer moves on; per-key order breaks.";
        if p.s.processing.dead_letter_queue {
            c.set(
                "processing.retry.mode",
                why,
                "return if retries < MAX_RETRIES { Outcome::Retry } else { Outcome::Dead(why) };",
            );
        } else {
            c.note(
                "processing.dead_letter_queue",
                "there is nowhere to park it, so it goes back again however often it failed.",
            );
            c.line("let _ = (why, retries);");
            c.set("processing.retry.mode", why, "return Outcome::Retry;");
        }
        return;
    }
    if !p.backs_off() {
        c.line("let _ = retries;");
        c.set("processing.dead_letter_queue", "no retries: park it at once.", "return Outcome::Dead(why);");
        return;
    }
    c.open("if retries >= MAX_RETRIES {");
    if p.s.processing.dead_letter_queue {
        c.set("processing.dead_letter_queue", "retries ran out: park it.", "return Outcome::Dead(why);");
    } else {
        c.note("processing.dead_letter_queue", "there is nowhere to park it, so it is tried again after the schedule's last wait; in place, a poison message stalls its partition for good.");
        c.line("let _ = why;");
        c.line("tokio::time::sleep(backoff(MAX_RETRIES.max(1), wait)).await;");
        c.line("continue;");
    }
    c.close("}");
    c.line("retries += 1;");
    c.line("wait = backoff(retries, wait);");
    c.set(
        "processing.retry.mode",
        "the consumer waits and retries here; every partition it owns waits behind it.",
        "tokio::time::sleep(wait).await;",
    );
}
