//! One lane: one run and its panels — the diagram with the run's clock and trace hash, the outcome
//! counters and charts beside it, the event log below, and the monitoring panel under them. The lane reads the run through its handle
//! and changes it only by sending [`RunAction`]s; a compare view holds one lane per run.

use super::charts::Charts;
use super::dom::now_ms;
use super::event_log::EventLog;
use super::legend::Legend;
use super::live_panel::LivePanel;
use super::monitoring::Monitoring;
use super::run::RunAction;
use super::runtime::RtHandle;
use super::state::{LogFilter, Speed};
use super::topology::{AddPartition, Topology};
use crate::sim::event::Category;
use crate::sim::{ConsumerId, MessageId};
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
}

#[function_component(Lane)]
pub fn lane(props: &LaneProps) -> Html {
    let on_consumer = {
        let on_run = props.on_run.clone();
        use_callback((), move |id: ConsumerId, _| on_run.emit(RunAction::ToggleConsumer(id)))
    };
    let [log_version, charts_version, monitor_version] =
        props.rt.0.borrow_mut().panel_versions(now_ms(), props.playing);
    let rt = &props.rt;
    let partitions = rt.0.borrow().sim.partitions().len() as u32;
    html! {
        <div class="lane">
            <section class="panel stage" aria-labelledby="stage-h">
                <div class="stage-head">
                    <h2 id="stage-h">{"Topology"}</h2>
                    { run_info(rt) }
                </div>
                <AddPartition {partitions} on_run={props.on_run.clone()} />
                <Topology rt={rt.clone()} version={props.version} speed={props.speed} reduced_motion={props.reduced_motion} {on_consumer} on_message={props.on_message.clone()} playing={props.playing} />
                <Legend />
            </section>
            <div class="lane-side">
                <LivePanel rt={rt.clone()} version={props.version} />
                <Charts rt={rt.clone()} sample_key={charts_version} />
            </div>
            <EventLog rt={rt.clone()} version={log_version} filter={props.log_filter} on_category={props.on_category.clone()}
                on_notable={props.on_notable.clone()} playing={props.playing} on_message={props.on_message.clone()} />
            <Monitoring rt={rt.clone()} sample_key={monitor_version} />
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
