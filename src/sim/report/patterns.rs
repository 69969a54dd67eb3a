//! The report's lines for the patterns a run may carry: the event-sourced bank and its
//! projections, the shop's write and read sides (`shop.rs`), the schema registry.

use crate::sim::engine::Simulation;
use crate::sim::patterns::sourcing::projection::ViewKind;
use serde::Serialize;
use std::fmt::Write;

/// Each pattern's report, when the run has it (flattened into the report's JSON).
#[derive(Clone, Debug, Serialize)]
pub struct PatternReports {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sourcing: Option<SourcingReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shop: Option<super::shop::ShopReport>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<SchemaReport>,
}

impl PatternReports {
    pub fn of(sim: &Simulation) -> Self {
        PatternReports { sourcing: sourcing(sim), shop: super::shop::report(sim), schema: schema(sim) }
    }

    /// The text lines of each.
    pub fn write(&self, out: &mut String) {
        write(self.sourcing.as_ref(), self.schema.as_ref(), out);
        if let Some(s) = &self.shop {
            s.write(out);
        }
    }
}

/// What the event-sourced bank and its projections did.
#[derive(Clone, Debug, Serialize)]
pub struct SourcingReport {
    pub commands: u64,
    pub appended: u64,
    pub refused: u64,
    pub refunds: u64,
    /// Appends refused because another handler appended first (each retried on a fresh read).
    pub conflicts: u64,
    /// Appends decided on a stale read and let in (the version check off).
    pub lost_updates: u64,
    /// Lost updates the account's state at the time would have refused.
    pub would_refuse: u64,
    pub store_head: u64,
    pub views: Vec<ViewReport>,
}

/// One projection.
#[derive(Clone, Debug, Serialize)]
pub struct ViewReport {
    pub kind: ViewKind,
    pub applied: u64,
    pub applied_twice: u64,
    /// Accounts whose balance in the view differs from the store at the view's version.
    pub wrong_accounts: usize,
    pub staleness_p50_ms: f64,
    pub staleness_p99_ms: f64,
    pub rebuilds: u32,
}

/// What the schema registry did.
#[derive(Clone, Debug, Serialize)]
pub struct SchemaReport {
    pub mode: &'static str,
    pub writer_version: u32,
    pub reader_version: u32,
    pub registered: Vec<u32>,
    pub deploys_refused: usize,
    pub undecodable: u64,
}

fn sourcing(sim: &Simulation) -> Option<SourcingReport> {
    if !sim.scenario().sourcing.enabled {
        return None;
    }
    let es = sim.sourcing();
    let b = es.stats();
    let ms = |us: u64| us as f64 / 1e3;
    let views = es
        .views()
        .iter()
        .enumerate()
        .map(|(k, m)| ViewReport {
            kind: m.view.kind,
            applied: m.staleness.count(),
            applied_twice: m.applied_twice(),
            wrong_accounts: es.wrong_accounts(k).len(),
            staleness_p50_ms: ms(m.staleness.percentile(0.50)),
            staleness_p99_ms: ms(m.staleness.percentile(0.99)),
            rebuilds: m.rebuilds,
        })
        .collect();
    let (commands, refused) = (b.commands + es.full, b.rejected + es.full);
    Some(SourcingReport {
        commands,
        appended: b.appended,
        refused,
        refunds: b.refunds,
        conflicts: b.conflicts,
        lost_updates: b.lost_updates,
        would_refuse: b.would_refuse,
        store_head: es.store().head(),
        views,
    })
}

fn schema(sim: &Simulation) -> Option<SchemaReport> {
    let cfg = &sim.scenario().schema;
    if !cfg.enabled {
        return None;
    }
    let reg = sim.schemas();
    Some(SchemaReport {
        mode: cfg.mode.as_str(),
        writer_version: reg.writer(),
        reader_version: cfg.reader_version,
        registered: reg.registered(),
        deploys_refused: reg.deploys().iter().filter(|d| !d.refused.is_empty()).count(),
        undecodable: reg.undecodable,
    })
}

/// The text lines of both, when the run has them.
fn write(sourcing: Option<&SourcingReport>, schema: Option<&SchemaReport>, out: &mut String) {
    use crate::sim::kernel::numfmt::fixed;
    if let Some(s) = sourcing {
        let _ = writeln!(
            out,
            "event store     {} events: {} commands, {} of them refused; {} by transfers' second steps ({} refunds)",
            s.store_head,
            s.commands,
            s.refused,
            s.store_head - s.appended,
            s.refunds
        );
        let _ = writeln!(
            out,
            "concurrency     {} conflicts (retried on a fresh read), {} lost updates ({} of them the account's state at the time would have refused)",
            s.conflicts, s.lost_updates, s.would_refuse
        );
        for v in &s.views {
            let kind = if v.kind == ViewKind::Balance { "balance" } else { "statement" };
            let _ = writeln!(
                out,
                "projection      {kind} view: {} applied ({} twice), {} accounts wrong, staleness p50 {} ms p99 {} ms, {} rebuilds",
                v.applied,
                v.applied_twice,
                v.wrong_accounts,
                fixed(v.staleness_p50_ms, 1),
                fixed(v.staleness_p99_ms, 1),
                v.rebuilds
            );
        }
    }
    if let Some(s) = schema {
        let registered: Vec<String> = s.registered.iter().map(|v| format!("v{v}")).collect();
        let _ = writeln!(
            out,
            "schema          {}: producer writes v{}, consumers read v{}, registered {}; {} deploys refused, {} failed to decode",
            s.mode,
            s.writer_version,
            s.reader_version,
            registered.join(", "),
            s.deploys_refused,
            s.undecodable
        );
    }
}
