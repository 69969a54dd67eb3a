//! Event sourcing: a bank whose accounts are streams of events in an append-only store, their
//! state a fold over those events, snapshots as a cache of that fold, corrections as
//! compensating events and old event schemas upcast when read. `projection` holds the read
//! models a CQRS read side builds from the same events.

pub mod account;
pub mod bank;
pub mod event;
pub mod projection;
pub mod service;
pub mod store;
