//! "Add partition": grows the running topic by one partition, as `kafka-topics.sh --alter
//! --partitions N` does to a live Kafka topic. An engine command (recorded, replayable) sent
//! through the run's dispatch like every live control; the event log then says how many keys
//! moved. A plain function rather than a component (a component costs the web build about 1 kB of
//! per-type machinery): three elements, redrawn with the lane.

use crate::sim::command::Command;
use crate::sim::config::limits::MAX_PARTITIONS;
use crate::ui::run::RunAction;
use yew::prelude::*;

/// `n`: the topic's partitions now.
pub fn add_partition(n: u32, on_run: &Callback<RunAction>) -> Html {
    let full = n >= MAX_PARTITIONS;
    let onclick = {
        let on_run = on_run.clone();
        Callback::from(move |_: MouseEvent| on_run.emit(RunAction::Command(Command::AddPartitions { count: n + 1 })))
    };
    let help = if full {
        format!("The topic has {MAX_PARTITIONS} partitions, the most this simulator allows.")
    } else {
        "Kafka adds partitions to a live topic, never removes them: records stay where they are, keys remap, and a moved key's order breaks across the change.".to_string()
    };
    html! {
        <div class="topic-tools">
            <span class="topic-count" data-testid="partition-count">{format!("Topic “orders”: {n} partition{}", if n == 1 { "" } else { "s" })}</span>
            <button id="btn-add-partition" type="button" class="btn btn-small" aria-describedby="add-partition-help"
                disabled={full} {onclick}><span aria-hidden="true">{"+ "}</span>{"Add partition"}</button>
            <span class="help" id="add-partition-help">{help}</span>
        </div>
    }
}
