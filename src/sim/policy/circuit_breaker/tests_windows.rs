//! resilience4j-core's `FixedSizeSlidingWindowMetricsTest` and `SlidingTimeWindowMetricsTest`,
//! case by case (the synchronized windows; the lock-free ones count the same).

use super::aggregation::{Outcome, Snapshot};
use super::count_window::CountWindow;
use super::time_window::TimeWindow;
use crate::sim::kernel::time::SimTime;

const MS: u64 = 1_000;

/// (calls, successful, failed, slow, slow successful, slow failed, total ms, average ms)
type Counts = (u32, u32, u32, u32, u32, u32, u64, u64);

fn counts(s: Snapshot) -> Counts {
    (
        s.total_calls(),
        s.successful_calls(),
        s.failed_calls(),
        s.slow_calls(),
        s.slow_successful_calls(),
        s.slow_failed_calls(),
        s.total_duration_ms(),
        s.average_duration_ms(),
    )
}

mod fixed_size_sliding_window_metrics_test {
    use super::*;

    #[test]
    fn check_initial_bucket_creation() {
        let s = CountWindow::new(5).snapshot();
        assert_eq!(counts(s), (0, 0, 0, 0, 0, 0, 0, 0));
        assert_eq!(s.failure_rate(), 0.0);
    }

    #[test]
    fn test_record_success() {
        let s = CountWindow::new(5).record(100 * MS, Outcome::Success);
        assert_eq!(counts(s), (1, 1, 0, 0, 0, 0, 100, 100));
        assert_eq!(s.failure_rate(), 0.0);
    }

    #[test]
    fn test_record_error() {
        let s = CountWindow::new(5).record(100 * MS, Outcome::Error);
        assert_eq!(counts(s), (1, 0, 1, 0, 0, 0, 100, 100));
        assert_eq!(s.failure_rate(), 100.0);
    }

    #[test]
    fn test_record_slow_success() {
        let s = CountWindow::new(5).record(100 * MS, Outcome::SlowSuccess);
        assert_eq!(counts(s), (1, 1, 0, 1, 1, 0, 100, 100));
        assert_eq!(s.failure_rate(), 0.0);
    }

    #[test]
    fn test_slow_calls_percentage() {
        let mut w = CountWindow::new(5);
        w.record(10_000 * MS, Outcome::SlowSuccess);
        w.record(10_000 * MS, Outcome::SlowError);
        for _ in 0..3 {
            w.record(100 * MS, Outcome::Success);
        }
        let s = w.snapshot();
        assert_eq!(counts(s), (5, 4, 1, 2, 1, 1, 20_300, 4_060));
        assert_eq!(s.slow_call_rate(), 40.0);
    }

    #[test]
    fn test_move_head_index_by_one() {
        let mut w = CountWindow::new(3);
        let mut heads = vec![w.head()];
        for _ in 0..4 {
            w.move_head_for_test();
            heads.push(w.head());
        }
        assert_eq!(heads, [0, 1, 2, 0, 1]);
    }

    #[test]
    fn test_sliding_window_metrics() {
        let mut w = CountWindow::new(4);
        let steps = [
            (Outcome::Error, (1, 0, 1, 0, 0, 0, 100, 100), 100.0),
            (Outcome::Success, (2, 1, 1, 0, 0, 0, 200, 100), 50.0),
            (Outcome::Success, (3, 2, 1, 0, 0, 0, 300, 100), 33.333332),
            (Outcome::Success, (4, 3, 1, 0, 0, 0, 400, 100), 25.0),
            (Outcome::Success, (4, 4, 0, 0, 0, 0, 400, 100), 0.0),
        ];
        for (outcome, expected, rate) in steps {
            let s = w.record(100 * MS, outcome);
            assert_eq!(counts(s), expected);
            assert_eq!(s.failure_rate(), rate);
        }
    }

    #[test]
    fn test_sliding_window_metrics_with_slow_calls() {
        let mut w = CountWindow::new(2);
        let steps = [
            (Outcome::SlowError, (1, 0, 1, 1, 0, 1, 100, 100), 100.0),
            (Outcome::SlowSuccess, (2, 1, 1, 2, 1, 1, 200, 100), 50.0),
            (Outcome::Success, (2, 2, 0, 1, 1, 0, 200, 100), 0.0),
            (Outcome::Success, (2, 2, 0, 0, 0, 0, 200, 100), 0.0),
            (Outcome::Success, (2, 2, 0, 0, 0, 0, 200, 100), 0.0),
        ];
        for (outcome, expected, rate) in steps {
            let s = w.record(100 * MS, outcome);
            assert_eq!(counts(s), expected);
            assert_eq!(s.failure_rate(), rate);
        }
    }
}

mod sliding_time_window_metrics_test {
    use super::*;

    /// The test's `MockClock.at(2019, 8, 4, 12, 0, 0, UTC)`.
    const START_S: u64 = 1_564_920_000;

    fn start() -> SimTime {
        SimTime::from_secs(START_S)
    }

    #[test]
    fn check_initial_bucket_creation() {
        let w = TimeWindow::new(5, start());
        assert_eq!(w.epoch_seconds(), (START_S..START_S + 5).collect::<Vec<_>>());
        let s = w.snapshot_at(start());
        assert_eq!(counts(s), (0, 0, 0, 0, 0, 0, 0, 0));
        assert_eq!(s.failure_rate(), 0.0);
    }

    #[test]
    fn test_record_success() {
        let s = TimeWindow::new(5, start()).record(100 * MS, Outcome::Success, start());
        assert_eq!(counts(s), (1, 1, 0, 0, 0, 0, 100, 100));
        assert_eq!(s.failure_rate(), 0.0);
    }

    #[test]
    fn test_record_error() {
        let s = TimeWindow::new(5, start()).record(100 * MS, Outcome::Error, start());
        assert_eq!(counts(s), (1, 0, 1, 0, 0, 0, 100, 100));
        assert_eq!(s.failure_rate(), 100.0);
    }

    #[test]
    fn test_record_slow_success() {
        let s = TimeWindow::new(5, start()).record(100 * MS, Outcome::SlowSuccess, start());
        assert_eq!(counts(s), (1, 1, 0, 1, 1, 0, 100, 100));
        assert_eq!(s.failure_rate(), 0.0);
    }

    #[test]
    fn test_slow_calls_percentage() {
        let mut w = TimeWindow::new(5, start());
        w.record(10_000 * MS, Outcome::SlowSuccess, start());
        w.record(10_000 * MS, Outcome::SlowError, start());
        for _ in 0..3 {
            w.record(100 * MS, Outcome::Success, start());
        }
        let s = w.snapshot_at(start());
        assert_eq!(counts(s), (5, 4, 1, 2, 1, 1, 20_300, 4_060));
        assert_eq!(s.slow_call_rate(), 40.0);
    }

    #[test]
    fn should_clear_sliding_time_window_metrics() {
        let mut w = TimeWindow::new(5, start());
        let mut t = start();
        let s = w.record(100 * MS, Outcome::Error, t);
        assert_eq!((counts(s), s.failure_rate()), ((1, 0, 1, 0, 0, 0, 100, 100), 100.0));
        t = t.plus_ms(100);
        let s = w.record(100 * MS, Outcome::Success, t);
        assert_eq!((counts(s), s.failure_rate()), ((2, 1, 1, 0, 0, 0, 200, 100), 50.0));
        t = t.plus_ms(700);
        let s = w.record(1_000 * MS, Outcome::SlowError, t);
        assert_eq!(counts(s), (3, 1, 2, 1, 0, 1, 1_200, 400));
        t = t.plus_ms(4_000);
        assert_eq!(counts(w.snapshot_at(t)), (3, 1, 2, 1, 0, 1, 1_200, 400));
        t = t.plus_ms(1_000);
        let s = w.snapshot_at(t);
        assert_eq!((counts(s), s.failure_rate()), ((0, 0, 0, 0, 0, 0, 0, 0), 0.0));
        t = t.plus_ms(100);
        let s = w.record(100 * MS, Outcome::Success, t);
        assert_eq!((counts(s), s.failure_rate()), ((1, 1, 0, 0, 0, 0, 100, 100), 0.0));
        t = t.plus_ms(5_000);
        let s = w.record(100 * MS, Outcome::Success, t);
        assert_eq!((counts(s), s.failure_rate()), ((1, 1, 0, 0, 0, 0, 100, 100), 0.0));
    }

    #[test]
    fn test_sliding_time_window_metrics() {
        let mut w = TimeWindow::new(5, start());
        let mut t = start();
        // (advance ms, outcome, calls, successful, failed, total ms) after each record
        let steps = [
            (0, Outcome::Error, 1, 0, 1, 100),
            (100, Outcome::Success, 2, 1, 1, 200),
            (100, Outcome::Success, 3, 2, 1, 300),
            (1_000, Outcome::Success, 4, 3, 1, 400),
            (1_000, Outcome::Success, 5, 4, 1, 500),
            (1_000, Outcome::Error, 6, 4, 2, 600),
            (1_000, Outcome::Success, 7, 5, 2, 700),
            (1_000, Outcome::Success, 5, 4, 1, 500),
            (1_000, Outcome::Success, 5, 4, 1, 500),
            (5_000, Outcome::Success, 1, 1, 0, 100),
        ];
        for (advance_ms, outcome, calls, successful, failed, total_ms) in steps {
            t = t.plus_ms(advance_ms);
            let s = w.record(100 * MS, outcome, t);
            let got = (s.total_calls(), s.successful_calls(), s.failed_calls(), s.total_duration_ms());
            assert_eq!(got, (calls, successful, failed, total_ms), "after {advance_ms} ms more");
        }
    }
}
