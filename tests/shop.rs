//! CQRS for the guide's e-commerce case: the shop's write side (products and orders) decides and
//! publishes one event per change; the catalogue and orders views consume them through the same
//! delivery seam as any consumer. Properties: the write side never sells what it does not have
//! and its tables equal the fold of its events; the views converge on the write side once the
//! writes stop, whatever crashed, when the consumers are idempotent; without, a view is wrong
//! only when an event was applied twice, exactly when the ledger counts a duplicate. The read load
//! never changes a write, and the read side scales on its own.

#[path = "common/audited.rs"]
mod audited;

use audited::run_audited;
use eda_lab::sim::builtins::builtin;
use eda_lab::sim::config::scenario::{BrokerKind, CrashPoint, IdempotencyMode, Scenario};
use eda_lab::sim::patterns::shop::event::Product;
use eda_lab::sim::patterns::shop::inventory::{Inventory, Refusal, ShopCommand};
use eda_lab::sim::patterns::shop::views::{ShopView, ShopViewKind};
use eda_lab::sim::{Command, Simulation};
use proptest::prelude::*;
use serde_json::json;
use std::collections::BTreeMap;

fn shop() -> Scenario {
    builtin("cqrs-shop").expect("built in")
}

/// Runs `s` with writes until `write_ms`, then stops the producer and runs until everything
/// settled (or `settle_ms` more), auditing the ledger every 250 ms.
fn run(s: &Scenario, write_ms: u64, settle_ms: u64) -> Simulation {
    let mut sim = Simulation::new(s).unwrap();
    run_audited(&mut sim, write_ms);
    let stop = Command::Set { setting: "producer.rate_per_sec".into(), value: json!(0.0) };
    sim.handle(stop).unwrap();
    let end = write_ms + settle_ms;
    while sim.ledger().counts().in_flight > 0 && sim.now().as_ms() < end {
        let t = sim.now().as_ms() + 1_000;
        run_audited(&mut sim, t.min(end));
    }
    sim
}

fn command() -> impl Strategy<Value = (u32, ShopCommand)> {
    let c = prop_oneof![
        (1i64..100, 0u32..10).prop_map(|(p, stock)| ShopCommand::List { price_cents: p * 100, stock }),
        (1u32..5).prop_map(|qty| ShopCommand::Restock { qty }),
        (1i64..100).prop_map(|p| ShopCommand::ChangePrice { price_cents: p * 100 }),
        (0u32..4, 1u32..4).prop_map(|(customer, qty)| ShopCommand::PlaceOrder { customer, qty }),
        (0u64..40).prop_map(|order| ShopCommand::CancelOrder { order }),
    ];
    (0u32..3, c)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// For random command sequences: stock never goes below zero; each product equals the fold
    /// of its events at every version; a view fed every event once equals the write side; the
    /// orders view's totals are those of the orders not cancelled.
    #[test]
    fn the_write_side_is_the_fold_of_its_events(commands in prop::collection::vec(command(), 0..120)) {
        let mut inv = Inventory::default();
        let mut units: BTreeMap<u32, i64> = BTreeMap::new();
        for (i, &(product, c)) in commands.iter().enumerate() {
            let before = inv.product(product);
            match inv.handle(product, c, i as u64) {
                Ok(p) => prop_assert_eq!(inv.get(p).map(|r| r.product), Some(product)),
                Err(Refusal::OutOfStock { available }) => {
                    prop_assert_eq!(available, before.stock);
                    let short = matches!(c, ShopCommand::PlaceOrder { qty, .. } if i64::from(qty) > before.stock);
                    prop_assert!(short, "refused {:?} with {} in stock", c, before.stock);
                }
                Err(_) => prop_assert_eq!(inv.product(product), before),
            }
            let p = inv.product(product);
            prop_assert!(p.stock >= 0, "sold what it did not have: {:?}", p);
            *units.entry(product).or_default() = p.stock;
        }
        let mut catalogue = ShopView::new(ShopViewKind::Catalogue);
        let mut orders = ShopView::new(ShopViewKind::Orders);
        for r in inv.records() {
            catalogue.apply(r);
            orders.apply(r);
        }
        for (id, p) in inv.products() {
            prop_assert_eq!(inv.product_at(id, p.version), p);
            prop_assert_eq!(catalogue.products.get(&id).map(|e| e.product), Some(p));
            for v in 0..=p.version {
                let mut folded = Product::default();
                inv.history(id).take(v as usize).for_each(|r| folded.apply(&r.event));
                prop_assert_eq!(inv.product_at(id, v), folded);
            }
        }
        let mut spent: BTreeMap<u32, i64> = BTreeMap::new();
        let mut o = 0;
        while let Some(order) = inv.order(o) {
            if !order.cancelled {
                *spent.entry(order.customer).or_default() += order.price_cents * i64::from(order.qty);
            }
            o += 1;
        }
        for (c, total) in &spent {
            prop_assert_eq!(orders.customers.get(c).map(|v| v.spent_cents), Some(*total));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]

    /// Under random consumer crashes, idempotent views converge on the write side once the writes
    /// stop; without idempotency a view is wrong only where it applied an event twice, and the
    /// views applied one twice exactly when the ledger counts a duplicate.
    #[test]
    fn read_models_converge_once_writes_stop(
        seed in 1u64..1_000_000,
        crash_p in 0.0f64..0.08,
        point in prop::sample::select(vec![CrashPoint::AfterEffect, CrashPoint::AfterReceive, CrashPoint::AfterCommit]),
        idempotent in any::<bool>(),
        catalogue_consumers in 1u32..4,
    ) {
        let mut s = shop();
        s.seed = seed;
        s.faults.clear();
        s.subscribers[0].consumers = Some(catalogue_consumers);
        s.consumers.crash.probability = crash_p;
        s.consumers.crash.point = point;
        s.consumers.crash.restart_delay_ms = Some(300);
        s.idempotency.mode = if idempotent { IdempotencyMode::DedupAtomic } else { IdempotencyMode::None };
        let sim = run(&s, 6_000, 300_000);
        prop_assert_eq!(sim.ledger().counts().in_flight, 0, "settled");
        let shop = sim.shop();
        prop_assert!(shop.stats().published > 100);
        let mut twice = 0;
        for (k, m) in shop.views().iter().enumerate() {
            twice += m.applied_twice;
            prop_assert_eq!(shop.behind(k), 0, "view {} applied every event", k);
            prop_assert!(m.wrong().is_empty() || m.applied_twice > 0, "view {} wrong {:?}", k, m.wrong());
        }
        prop_assert_eq!(twice > 0, sim.ledger().counts().duplicated > 0);
        if idempotent {
            prop_assert_eq!(twice, 0);
            let catalogue = &shop.views()[0].view;
            for (id, p) in shop.inventory().products() {
                prop_assert_eq!(catalogue.products.get(&id).map(|e| e.product), Some(p), "product {}", id);
            }
        }
    }
}

#[test]
fn the_lesson_applies_an_order_twice_and_dedup_keeps_the_catalogue_right() {
    let sim = run(&shop(), 20_000, 20_000);
    let shop_ = sim.shop();
    assert!(shop_.stats().out_of_stock > 0, "some orders find too little stock: {:?}", shop_.stats());
    assert!(shop_.reads.stale > 0 && shop_.reads.phantom_stock > 0, "{:?}", shop_.reads);
    assert!(!shop_.views()[0].wrong().is_empty(), "the crash after the effect applied an event twice");
    assert!(shop_.views()[1].wrong().is_empty(), "the orders view never crashed");
    let mut fixed = shop();
    fixed.idempotency.mode = IdempotencyMode::DedupAtomic;
    let sim = run(&fixed, 20_000, 20_000);
    assert!(sim.shop().views().iter().all(|m| m.wrong().is_empty() && m.applied_twice == 0));
}

/// The reads never reach the write side: any read load leaves every write as it was, and the
/// same seed draws the same reads whatever the read side does.
#[test]
fn the_read_load_changes_no_write() {
    let events = |reads: u32, consumers: u32| {
        let mut s = shop();
        s.shop.reads_per_write = reads;
        s.subscribers[0].consumers = Some(consumers);
        let sim = run(&s, 10_000, 0);
        let shop = sim.shop();
        (shop.inventory().records().to_vec(), shop.reads.reads)
    };
    let (none, zero) = events(0, 2);
    let (many, reads) = events(200, 2);
    assert_eq!(zero, 0);
    assert!(reads > 50_000, "{reads}");
    assert_eq!(none, many, "the write side's events do not depend on the read load");
    assert_eq!(events(200, 4).1, reads, "the read load does not depend on the read side");
}

/// More consumers on the catalogue view (the read side alone) make fewer stale reads; the write
/// side is untouched.
#[test]
fn the_read_side_scales_on_its_own() {
    let stale = |consumers: u32| {
        let mut s = shop();
        s.faults.clear();
        s.topic.partitions = 8;
        s.subscribers[0].consumers = Some(consumers);
        let sim = run(&s, 20_000, 0);
        let shop = sim.shop();
        (shop.reads.stale as f64 / shop.reads.reads as f64, shop.views()[0].staleness.percentile(0.99), shop.stats())
    };
    let (one, p99_one, w1) = stale(1);
    let (four, p99_four, w4) = stale(4);
    assert_eq!(w1, w4);
    assert!(four < one, "stale reads {four} with 4 consumers vs {one} with 1");
    assert!(p99_four < p99_one, "{p99_four} vs {p99_one}");
}

#[test]
fn the_same_seed_runs_the_same_shop() {
    let a = run(&shop(), 5_000, 0);
    let b = run(&shop(), 5_000, 0);
    assert_eq!(a.trace_hash(), b.trace_hash());
    assert_eq!(a.shop().reads, b.shop().reads);
}

#[test]
fn the_shop_refuses_what_it_cannot_run_with() {
    let refused = |f: &dyn Fn(&mut Scenario)| {
        let mut s = shop();
        f(&mut s);
        Simulation::new(&s).err().map(|e| e.to_string()).unwrap_or_default()
    };
    assert!(refused(&|s| s.broker = BrokerKind::Queue).contains("broker"));
    assert!(refused(&|s| s.sourcing.enabled = true).contains("shop.enabled"));
    assert!(refused(&|s| s.producer.keys.count = 0).contains("producer.keys.count"));
    assert!(refused(&|s| s.shop.customers = 0).contains("shop.customers"));
    assert!(refused(&|s| s.shop.reads_per_write = 1_001).contains("shop.reads_per_write"));
    assert!(refused(&|_| {}).is_empty());
}
