//! The exactly-once stage's transactions, for scenarios that run them: how many are open, how
//! many committed and aborted (with their output records), commits fenced, and committed outputs a
//! read_committed reader cannot see yet because an earlier transaction is still open.

use super::runtime::RtHandle;
use crate::sim::client::transactions::TxnStats;
use crate::sim::config::transactions::Isolation;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct TxnProps {
    pub rt: RtHandle,
    pub version: u64,
}

#[function_component(TxnPanel)]
pub fn txn_panel(props: &TxnProps) -> Html {
    let rt = props.rt.0.borrow();
    let sim = &rt.sim;
    let cfg = &sim.scenario().transactions;
    let (mut stats, mut open, mut held) = (TxnStats::default(), 0, 0);
    for p in sim.pipelines() {
        stats.add(&p.transactions().stats());
        open += p.transactions().open_count();
        held += p.transactions().held_back();
    }
    let reader = match cfg.isolation {
        Isolation::ReadCommitted => {
            "read_committed: it sees a transaction's records once it commits, and none past one still open"
        }
        Isolation::ReadUncommitted => "read_uncommitted: it sees every record as it is written, aborted ones too",
    };
    let effect = if cfg.external_effect {
        "The counted effect is the card charge made while processing, which no transaction covers."
    } else {
        "The counted effect is each input's output record as the reader sees it."
    };
    html! {
        <section class="panel txns" aria-labelledby="txn-h">
            <h2 id="txn-h">{"Transactions"}</h2>
            <p class="panel-note">{format!(
                "Each consumer commits its output records and its input offsets in one transaction every {} ms; one open longer than {} ms is aborted. The output topic's reader is {reader}. {effect}",
                cfg.commit_interval_ms, cfg.timeout_ms)}</p>
            <dl class="txn-stats" data-testid="txn-stats">
                <div><dt>{"open"}</dt><dd>{open}</dd></div>
                <div><dt>{"committed"}</dt><dd>{format!("{} ({} outputs)", stats.committed, stats.outputs_committed)}</dd></div>
                <div><dt>{"aborted"}</dt><dd>{format!("{} ({} outputs)", stats.aborted, stats.outputs_aborted)}</dd></div>
                <div><dt>{"fenced"}</dt><dd>{stats.fenced}</dd></div>
                <div title="Committed output records waiting behind an earlier transaction still open (the last stable offset)"><dt>{"held back"}</dt><dd>{held}</dd></div>
            </dl>
        </section>
    }
}
