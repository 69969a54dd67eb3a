//! Chart samples: what the engine records at each boundary of `metrics.sample_interval_ms`, for
//! the page's charts (and the command line's history), in a ring of fixed size.

use super::Simulation;
use crate::sim::kernel::time::{SimDuration, SimTime};
use crate::sim::metrics::sample::Sample;

impl Simulation {
    /// Takes chart samples for every boundary strictly before `t`.
    pub(super) fn sample_before(&mut self, t: SimTime) {
        let interval = SimDuration::from_ms(self.settings.metrics.sample_interval_ms);
        // After a long quiet gap only the last `capacity` samples can survive: skip the rest.
        let span = interval.times(self.history.capacity() as u64);
        if t > self.next_sample + span {
            let skip = (t.as_us() - self.next_sample.as_us() - span.as_us()) / interval.as_us();
            self.next_sample = self.next_sample + interval.times(skip);
        }
        while self.next_sample < t {
            let sample = self.sample_at(self.next_sample);
            self.history.push(sample);
            self.next_sample = self.next_sample + interval;
        }
    }

    fn sample_at(&mut self, time: SimTime) -> Sample {
        let [latency_p50_us, latency_p95_us, latency_p99_us] = self.ledger.take_latency_window();
        let c = self.ledger.counts();
        let consumer = self.pipeline.stats_ref();
        Sample {
            time_us: time.as_us(),
            produced: self.ledger.produced(),
            in_flight: c.in_flight,
            exactly_once: c.exactly_once,
            duplicated: c.duplicated,
            dead_lettered: c.dead_lettered,
            lost: c.lost,
            lag_total: self.lag_total(),
            dlq_size: self.pipeline.dlq().len() as u64,
            effects: self.ledger.effects_total(),
            failures: consumer.processing_failures,
            retries: consumer.retries,
            latency_p50_us,
            latency_p95_us,
            latency_p99_us,
            downstream_calls: self.pipeline.downstream().stats().downstream_calls,
            breaker: self.pipeline.breaker().state(),
            breaker_openings: self.pipeline.breaker().openings(),
        }
    }

    /// From now on, chart samples carry the time-in-system p50/p95/p99 of their interval (the
    /// page's live charts); headless runs leave it off, as it costs work on every settlement.
    pub fn track_latency_percentiles(&mut self) {
        self.ledger.track_latency_window(true);
    }
}
