//! The simulation kernel: integer time, the event queue, seeded random streams, the trace hash,
//! bounded rings and histograms. It knows nothing of messages, brokers or clients.

pub mod histogram;
pub mod numfmt;
pub mod numparse;
pub mod ring;
pub mod rng;
pub mod scheduler;
pub mod sort;
pub mod time;
pub mod trace;
pub mod window_histogram;
