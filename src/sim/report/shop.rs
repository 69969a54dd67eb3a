//! The report's lines for the shop: its write side's commands and events, the shoppers' reads
//! against it, and each read model's lag.

use crate::sim::engine::Simulation;
use crate::sim::kernel::numfmt::fixed;
use crate::sim::patterns::shop::views::ShopViewKind;
use serde::Serialize;
use std::fmt::Write;

/// What the shop's two sides did.
#[derive(Clone, Debug, Serialize)]
pub struct ShopReport {
    pub commands: u64,
    pub events: u64,
    pub orders: u64,
    pub cancelled: u64,
    pub out_of_stock: u64,
    pub reads: u64,
    pub stale_reads: u64,
    pub phantom_stock_reads: u64,
    pub old_price_reads: u64,
    pub read_age_p99_ms: f64,
    pub views: Vec<ShopViewReport>,
}

/// One read model.
#[derive(Clone, Debug, Serialize)]
pub struct ShopViewReport {
    pub kind: ShopViewKind,
    pub applied: u64,
    pub applied_twice: u64,
    /// Events the write side published that the view has not applied yet.
    pub behind: u64,
    /// Products (catalogue) or customers (orders) the view has wrong.
    pub wrong: usize,
    pub staleness_p50_ms: f64,
    pub staleness_p99_ms: f64,
}

pub fn report(sim: &Simulation) -> Option<ShopReport> {
    if !sim.scenario().shop.enabled {
        return None;
    }
    let shop = sim.shop();
    let w = shop.stats();
    let r = shop.reads;
    let ms = |us: u64| us as f64 / 1e3;
    let views = shop
        .views()
        .iter()
        .enumerate()
        .map(|(k, m)| ShopViewReport {
            kind: m.view.kind,
            applied: m.applied,
            applied_twice: m.applied_twice,
            behind: shop.behind(k),
            wrong: m.wrong().len(),
            staleness_p50_ms: ms(m.staleness.percentile(0.50)),
            staleness_p99_ms: ms(m.staleness.percentile(0.99)),
        })
        .collect();
    Some(ShopReport {
        commands: w.commands + shop.full,
        events: w.published,
        orders: w.orders,
        cancelled: w.cancelled,
        out_of_stock: w.out_of_stock,
        reads: r.reads,
        stale_reads: r.stale,
        phantom_stock_reads: r.phantom_stock,
        old_price_reads: r.old_price,
        read_age_p99_ms: ms(shop.read_age.percentile(0.99)),
        views,
    })
}

impl ShopReport {
    pub fn write(&self, out: &mut String) {
        let pct = |n: u64| if self.reads == 0 { 0.0 } else { 100.0 * n as f64 / self.reads as f64 };
        let _ = writeln!(
            out,
            "shop writes     {} commands, {} events published: {} orders ({} cancelled), {} refused out of stock",
            self.commands, self.events, self.orders, self.cancelled, self.out_of_stock
        );
        let _ = writeln!(
            out,
            "shop reads      {} catalogue reads: {} stale ({}%), {} showed stock that was gone, {} an old price; read age p99 {} ms",
            self.reads,
            self.stale_reads,
            fixed(pct(self.stale_reads), 1),
            self.phantom_stock_reads,
            self.old_price_reads,
            fixed(self.read_age_p99_ms, 1)
        );
        for v in &self.views {
            let (kind, what) =
                if v.kind == ShopViewKind::Catalogue { ("catalogue", "products") } else { ("orders", "customers") };
            let _ = writeln!(
                out,
                "read model      {kind} view: {} applied ({} twice), {} behind, {} {what} wrong, staleness p50 {} ms p99 {} ms",
                v.applied,
                v.applied_twice,
                v.behind,
                v.wrong,
                fixed(v.staleness_p50_ms, 1),
                fixed(v.staleness_p99_ms, 1)
            );
        }
    }
}
