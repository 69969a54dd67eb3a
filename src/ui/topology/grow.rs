//! "Add partition": grows the running topic by one partition, as `kafka-topics.sh --alter
//! --partitions N` does to a live Kafka topic. An engine command (recorded, replayable) sent
//! through the run's dispatch like every live control; the event log then says how many keys
//! moved. Redrawn only when the partition count changes.

use crate::sim::command::Command;
use crate::sim::config::limits::MAX_PARTITIONS;
use crate::ui::run::RunAction;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct AddPartitionProps {
    /// The topic's partitions now.
    pub partitions: u32,
    pub on_run: Callback<RunAction>,
}

#[function_component(AddPartition)]
pub fn add_partition(props: &AddPartitionProps) -> Html {
    let n = props.partitions;
    let full = n >= MAX_PARTITIONS;
    let onclick = {
        let on_run = props.on_run.clone();
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
