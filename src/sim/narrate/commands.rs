//! Commands in plain words: what the user or the fault schedule did.

use crate::sim::command::Command;
use crate::sim::engine::Simulation;
use crate::sim::kernel::numfmt::{Fixed, Plain};

/// Finds the command with this fingerprint (the user's newest first, then the fault schedule) and
/// says what it did.
pub(super) fn describe_command_fingerprint(fingerprint: u64, sim: &Simulation) -> String {
    let user = sim.commands().iter().rev().take(8).map(|c| &c.command).find(|c| c.fingerprint() == fingerprint);
    if let Some(c) = user {
        return format!("you: {}", describe_command(c));
    }
    let scheduled = sim.scenario().faults.iter().map(|f| &f.command).find(|c| c.fingerprint() == fingerprint);
    match scheduled {
        Some(c) => format!("fault schedule: {}", describe_command(c)),
        None => "command applied".into(),
    }
}

/// A command in plain words.
pub fn describe_command(c: &Command) -> String {
    use crate::sim::config::choices::{CommitStrategy, IdempotencyMode};
    match c {
        Command::CrashConsumer { consumer, at: None } => format!("crash consumer {consumer} now"),
        Command::CrashConsumer { consumer, at: Some(p) } => {
            format!("arm consumer {consumer} to crash {}", p.describe())
        }
        Command::RestartConsumer { consumer } => format!("restart consumer {consumer}"),
        Command::SlowConsumer { consumer, factor: 1 } => format!("consumer {consumer} back to its own pace"),
        Command::SlowConsumer { consumer, factor } => format!("consumer {consumer} processes {factor}× slower"),
        Command::AddConsumer => "add a consumer to the group".into(),
        Command::RemoveConsumer => "remove the newest consumer from the group".into(),
        Command::AddPartitions { count } => format!("grow the topic to {count} partitions"),
        Command::RestartBroker => "restart the queue broker's node".into(),
        Command::CrashBroker { broker } => format!("crash broker {broker}"),
        Command::StartBroker { broker } => format!("start broker {broker} again"),
        Command::Redrive { msg: Some(msg) } => format!("redrive {msg} from the dead-letter queue"),
        Command::Redrive { msg: None } => "redrive every message in the dead-letter queue".into(),
        Command::DeploySchema { version } => format!("deploy a producer writing with schema v{version}"),
        Command::RebuildProjection { subscriber } => {
            format!("rebuild subscriber {subscriber}'s projection from position 0")
        }
        Command::SetCommitStrategy { commit } => match commit {
            CommitStrategy::BeforeProcessing => "commit before processing (at-most-once)".into(),
            CommitStrategy::AfterProcessing => "commit after processing (at-least-once)".into(),
            CommitStrategy::Auto { interval_ms } => format!("auto-commit every {interval_ms} ms"),
        },
        Command::SetIdempotency { mode, dedup_ttl_ms } => {
            let m = match mode {
                IdempotencyMode::None => "no idempotency",
                IdempotencyMode::DedupCheckThenAct => "dedup store, check then act",
                IdempotencyMode::DedupAtomic => "dedup store, marked atomically",
                IdempotencyMode::Natural => "naturally idempotent effect",
                IdempotencyMode::Versioning => "versioning (newer versions only)",
                IdempotencyMode::UniqueConstraint => "unique constraint on insert",
            };
            match dedup_ttl_ms {
                Some(ttl) if mode.has_dedup_store() => {
                    format!("{m} (TTL {ttl} ms)")
                }
                _ => m.to_string(),
            }
        }
        Command::SetProducerRate { rate_per_sec } => format!("producer rate {} msg/s", Plain(*rate_per_sec)),
        Command::SetProducerIdempotent { enabled } => {
            format!("idempotent producer {}", if *enabled { "on" } else { "off" })
        }
        Command::SetNetworkLoss { request_loss, ack_loss } => {
            format!(
                "network loss: requests {}%, acknowledgements {}%",
                Fixed(request_loss * 100.0, 0),
                Fixed(ack_loss * 100.0, 0)
            )
        }
        Command::SetFailureProbability { probability } => {
            format!("processing failure rate {}%", Fixed(probability * 100.0, 0))
        }
        Command::SetCrash { point, probability } => {
            format!("random crashes {}% per message, {}", Fixed(probability * 100.0, 1), point.describe())
        }
        Command::SetServiceMean { mean_ms } => format!("mean processing time {} ms", Plain(*mean_ms)),
        Command::Set { setting, value } => match crate::sim::config::settings::find(setting) {
            Some(s) => s.describe(value),
            None => format!("{setting} {value}"),
        },
    }
}
