//! The commands of the patterns a run may carry: rebuilding an event-sourced projection, deploying
//! a producer schema version to the registry.

use super::Simulation;
use crate::sim::command::Command;
use crate::sim::config::schema::deploy_refusal;
use crate::sim::config::sourcing::rebuild_refusal;
use crate::sim::ctx::Ctx;
use crate::sim::errors::CommandError;
use crate::sim::patterns::shop::service::{ShopService, ShopShape};
use crate::sim::patterns::sourcing::service::BankService;

impl Simulation {
    /// The producing service's domain, when the scenario gives it one: the event-sourced bank or
    /// the shop, each with one read model per subscriber.
    pub(super) fn start_services(&mut self) {
        let s = &self.settings;
        let subscribers = self.pipelines.len();
        self.sourcing = BankService::new(s.sourcing.enabled, s.seed, s.sourcing.snapshot_every, subscribers);
        let shape = s.shop.enabled.then_some(ShopShape {
            customers: s.shop.customers,
            stock: s.shop.stock,
            reads_per_write: s.shop.reads_per_write,
        });
        self.shop = ShopService::new(shape, s.seed, subscribers);
    }

    /// Why `command` (a pattern's) cannot apply now.
    pub(super) fn pattern_refusal(&self, command: &Command) -> Result<(), CommandError> {
        match *command {
            Command::RebuildProjection { subscriber } => {
                if let Some(message) = rebuild_refusal(&self.settings.sourcing, subscriber, self.pipelines.len()) {
                    return Err(CommandError::Invalid { field: "subscriber", message });
                }
            }
            Command::DeploySchema { version } => {
                if let Some(message) = deploy_refusal(&self.settings.schema, version) {
                    return Err(CommandError::Invalid { field: "version", message });
                }
            }
            _ => {}
        }
        Ok(())
    }
}

/// Applies a pattern's command. A deploy the registry refuses still applies: the registry
/// answered, and the producer keeps writing with the version it had.
pub(super) fn apply(command: &Command, ctx: &mut Ctx) {
    match *command {
        Command::RebuildProjection { subscriber } => {
            ctx.sourcing.rebuild(usize::from(subscriber), ctx.settings.sourcing.projection_bug);
        }
        Command::DeploySchema { version } => {
            ctx.schemas.deploy(version, ctx.settings.schema.mode, ctx.now.as_us());
        }
        _ => {}
    }
}
