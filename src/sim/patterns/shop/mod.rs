//! CQRS without event sourcing, as the guide's e-commerce case: the write side is a shop's order
//! database (products with stock and price, orders), which publishes one event per change; the
//! read side is a product catalogue and a customers' orders view built by consuming those events.
//! Writes (orders) and reads (shoppers browsing the catalogue) come in very different amounts and
//! are served by different models, so each side scales on its own.

pub mod event;
pub mod inventory;
pub mod service;
pub mod views;
