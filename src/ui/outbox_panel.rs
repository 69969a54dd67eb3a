//! The producing service's publishing, for scenarios with a dual write or an outbox: rows waiting
//! in the outbox, rows published (and again after a relay crash), relay crashes, and events a dual
//! write lost.

use super::runtime::RtHandle;
use crate::sim::config::outbox::Publish;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct OutboxProps {
    pub rt: RtHandle,
    pub version: u64,
}

#[function_component(OutboxPanel)]
pub fn outbox_panel(props: &OutboxProps) -> Html {
    let rt = props.rt.0.borrow();
    let sim = &rt.sim;
    let cfg = &sim.scenario().outbox;
    let o = sim.outbox().stats();
    let (title, note) = match cfg.mode {
        Publish::DualWrite => ("Dual write", "The service commits each state change to its database, then publishes the event: two writes, no transaction across them. A crash between them loses the event for good."),
        _ => ("Outbox", "Each state change and its event's outbox row commit in one local transaction. The relay publishes the rows and marks them sent once the broker acknowledged them; a crash before the mark publishes them again."),
    };
    html! {
        <section class="panel txns" aria-labelledby="outbox-h">
            <h2 id="outbox-h">{title}</h2>
            <p class="panel-note">{note}</p>
            <dl class="txn-stats" data-testid="outbox-stats">
                if cfg.mode == Publish::DualWrite {
                    <div><dt>{"lost by a crash"}</dt><dd>{o.dual_write_lost}</dd></div>
                } else {
                    <div><dt>{"rows waiting"}</dt><dd>{sim.outbox().rows()}</dd></div>
                    <div><dt>{"published"}</dt><dd>{o.published}</dd></div>
                    <div><dt>{"published again"}</dt><dd>{o.republished}</dd></div>
                    <div><dt>{"relay crashes"}</dt><dd>{o.relay_crashes}</dd></div>
                }
            </dl>
        </section>
    }
}
