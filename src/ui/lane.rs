//! One lane: one run and its panels — the diagram with the run's clock and trace hash, the outcome
//! counters and charts beside it, the dead-letter queue, the event log, the event-sourced bank's
//! and the shop's panels (when the scenario has them) and the monitoring panel below. The lane
//! reads the run through its handle and changes it only by sending [`RunAction`]s; a compare view
//! holds one lane per run.

use super::breaker_panel::BreakerPanel;
use super::charts::Charts;
use super::cluster_panel::ClusterPanel;
use super::dlq_panel::DlqPanel;
use super::dom::now_ms;
use super::event_log::EventLog;
use super::legend::legend;
use super::live_panel::LivePanel;
use super::monitoring::Monitoring;
use super::outbox_panel::OutboxPanel;
use super::run::RunAction;
use super::runtime::RtHandle;
use super::schema_panel::SchemaPanel;
use super::shop_panel::ShopPanel;
use super::sourcing_panel::SourcingPanel;
use super::state::{LogFilter, Notice, Speed};
use super::topology::{add_partition, Topology};
use super::txn_panel::TxnPanel;
use crate::sim::event::Category;
use crate::sim::{ConsumerId, MessageId};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LaneProps {
    pub rt: RtHandle,
    /// The run's version: moves on every change to the run.
    pub version: u64,
    pub playing: bool,
    pub speed: Speed,
    pub reduced_motion: bool,
    pub log_filter: LogFilter,
    pub on_run: Callback<RunAction>,
    pub on_category: Callback<Option<Category>>,
    pub on_notable: Callback<bool>,
    /// Show this message's journey.
    pub on_message: Callback<MessageId>,
    /// What the last action said (the dead-letter queue repeats a redrive's answer).
    pub notice: Option<Rc<Notice>>,
}

#[function_component(Lane)]
pub fn lane(props: &LaneProps) -> Html {
    let on_consumer = {
        let on_run = props.on_run.clone();
        use_callback((), move |id: ConsumerId, _| on_run.emit(RunAction::ToggleConsumer(id)))
    };
    let keys = props.rt.0.borrow_mut().panel_versions(now_ms(), props.playing);
    let rt = &props.rt;
    let partitions = rt.0.borrow().sim.partitions().len() as u32;
    // A queue has no partitions to add.
    let queue = rt.0.borrow().sim.queue().is_some();
    html! {
        <div class="lane">
            <section class="panel stage" aria-labelledby="stage-h">
                <div class="stage-head">
                    <h2 id="stage-h">{"Topology"}</h2>
                    { run_info(rt) }
                </div>
                if !queue { { add_partition(partitions, &props.on_run) } }
                <Topology rt={rt.clone()} version={props.version} speed={props.speed} reduced_motion={props.reduced_motion} {on_consumer} on_message={props.on_message.clone()} playing={props.playing} />
                { legend() }
            </section>
            <div class="lane-side">
                <LivePanel rt={rt.clone()} version={props.version} />
                <BreakerPanel rt={rt.clone()} version={props.version} />
                if rt.0.borrow().sim.replication().is_some() {
                    <ClusterPanel rt={rt.clone()} version={props.version} on_run={props.on_run.clone()} />
                }
                if rt.0.borrow().sim.scenario().outbox.mode != crate::sim::scenario::Publish::Direct {
                    <OutboxPanel rt={rt.clone()} version={props.version} />
                }
                if rt.0.borrow().sim.scenario().transactions.enabled {
                    <TxnPanel rt={rt.clone()} version={props.version} />
                }
                <Charts rt={rt.clone()} sample_key={keys.charts} />
            </div>
            <DlqPanel rt={rt.clone()} dlq_key={keys.dlq} on_run={props.on_run.clone()} on_message={props.on_message.clone()} notice={props.notice.clone()} />
            <EventLog rt={rt.clone()} version={keys.log} filter={props.log_filter} on_category={props.on_category.clone()}
                on_notable={props.on_notable.clone()} playing={props.playing} on_message={props.on_message.clone()} />
            if rt.0.borrow().sim.scenario().schema.enabled {
                <SchemaPanel rt={rt.clone()} version={props.version} on_run={props.on_run.clone()} />
            }
            if rt.0.borrow().sim.scenario().sourcing.enabled {
                <SourcingPanel rt={rt.clone()} version={props.version} on_run={props.on_run.clone()} />
            }
            if rt.0.borrow().sim.scenario().shop.enabled {
                <ShopPanel rt={rt.clone()} version={props.version} on_run={props.on_run.clone()} />
            }
            <Monitoring rt={rt.clone()} sample_key={keys.monitor} />
        </div>
    }
}

/// The run's clock, event count and trace hash (and a warning when frames hit their event budget).
fn run_info(rt: &RtHandle) -> Html {
    let r = rt.0.borrow();
    let sim = &r.sim;
    html! {
        <dl class="run-info">
            <div><dt>{"sim time"}</dt><dd data-testid="sim-time">{sim.now().to_string()}</dd></div>
            <div><dt>{"events"}</dt><dd data-testid="events-processed">{sim.events_processed()}</dd></div>
            <div title="A digest of every event and command so far: the same scenario, seed and commands give the same hash, here and on the command line">
                <dt>{"trace"}</dt><dd class="mono" data-testid="trace-hash">{sim.trace_hash().hex()}</dd>
            </div>
            if r.budget_hit {
                <div class="budget" title="The engine hit its per-frame event budget: the run is slower than the chosen speed"><dt>{"⚠"}</dt><dd>{"at budget"}</dd></div>
            }
        </dl>
    }
}
