//! Chart samples and the alert rules checked at each: the engine's bounded history of what it
//! measures, taken at every `metrics.sample_interval_ms` of sim time.

use super::Simulation;
use crate::sim::config::alerts::WINDOW_MS;
use crate::sim::event::JournalKind;
use crate::sim::kernel::ring::Ring;
use crate::sim::kernel::time::{SimDuration, SimTime};
use crate::sim::metrics::alerts::Alerts;
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
            let mut sample = self.sample_at(self.next_sample);
            self.check_alerts(&mut sample);
            self.history.push(sample);
            self.next_sample = self.next_sample + interval;
        }
    }

    fn sample_at(&mut self, time: SimTime) -> Sample {
        let [latency_p50_us, latency_p95_us, latency_p99_us] = self.ledger.take_latency_window();
        let c = self.ledger.counts();
        let consumer = self.consumer_stats();
        Sample {
            time_us: time.as_us(),
            produced: self.ledger.produced(),
            in_flight: c.in_flight,
            exactly_once: c.exactly_once,
            duplicated: c.duplicated,
            dead_lettered: c.dead_lettered,
            lost: c.lost,
            lag_total: self.lag_total(),
            dlq_size: self.pipelines.iter().map(|p| p.dlq().len() as u64).sum(),
            effects: self.ledger.effects_total(),
            failures: consumer.processing_failures,
            retries: consumer.retries,
            attempts: consumer.attempts,
            latency_p50_us,
            latency_p95_us,
            latency_p99_us,
            downstream_calls: self.pipelines.iter().map(|p| p.downstream().stats().downstream_calls).sum(),
            breaker: self.pipelines[0].breaker().state(),
            breaker_openings: self.breaker_openings(),
            alerts: 0,
        }
    }

    /// From now on, chart samples carry the time-in-system p50/p95/p99 of their interval (the
    /// page's live charts); headless runs leave it off, as it costs work on every settlement.
    pub fn track_latency_percentiles(&mut self) {
        self.ledger.track_latency_window(true);
    }

    /// Checks the alert rules at `sample`, the newest, marks the ones firing in it and notes in
    /// the journal each that fires or clears.
    fn check_alerts(&mut self, sample: &mut Sample) {
        let rules = self.settings.alerts;
        if rules.p99_above_ms.is_some() {
            // The p99 rule reads the interval's percentiles, which only a tracking run keeps.
            self.ledger.track_latency_window(true);
        }
        let time = SimTime::from_us(sample.time_us);
        let back = |n: u64| window_start(&self.history, sample.time_us.saturating_sub(n * WINDOW_MS * 1_000));
        // Only the error-rate and DLQ-growth rules read the windows; finding them scans the
        // history, a cost on every sample of a long run (7% of the benchmark's work).
        let windowed = rules.error_rate_above.is_some() || rules.dlq_growing;
        let windows = if windowed { [back(1), back(2)] } else { [None, None] };
        for change in self.alerts.check(&rules, windows, sample) {
            let (rule, value) = (change.rule, change.value);
            let kind = if change.fired {
                JournalKind::AlertFired { rule, value, threshold: change.threshold, held_us: change.held_us }
            } else {
                JournalKind::AlertCleared { rule, value, off: change.off }
            };
            self.journal.note(time, kind, &self.ledger);
        }
        sample.alerts = self.alerts.firing();
    }

    /// The alert rules' state: which fire now, and how often each fired.
    pub fn alerts(&self) -> &Alerts {
        &self.alerts
    }
}

/// The newest kept sample taken at or before `time_us`, else the oldest kept.
fn window_start(history: &Ring<Sample>, time_us: u64) -> Option<&Sample> {
    let mut found = history.iter().next();
    for s in history.iter() {
        if s.time_us > time_us {
            break;
        }
        found = Some(s);
    }
    found
}
