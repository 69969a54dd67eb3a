//! The legend of outcome glyphs and consumer states.

use super::shapes::glyph_icon;
use crate::sim::Outcome;
use yew::prelude::*;

/// A plain function rather than a component: it has no state and no props, and a component costs the
/// web build about 1 kB of per-type machinery.
pub fn legend() -> Html {
    let item = |o: Outcome, text: &'static str| {
        html! { <li class={super::shapes::outcome_class(o)}>{ glyph_icon(o) }<span>{text}</span></li> }
    };
    html! {
        <div class="legend" aria-label="Legend">
            <ul class="legend-outcomes">
                { item(Outcome::InFlight, "in flight") }
                { item(Outcome::ExactlyOnce, "effect applied once") }
                { item(Outcome::Duplicated, "duplicated") }
                { item(Outcome::DeadLettered, "dead-lettered") }
                { item(Outcome::Lost, "lost") }
            </ul>
            <ul class="legend-states">
                <li><span class="dot st-idle"></span>{"idle"}</li>
                <li><span class="dot st-processing"></span>{"processing"}</li>
                <li><span class="dot st-retry"></span>{"retry-wait"}</li>
                <li><span class="dot st-rebalancing"></span>{"rebalancing"}</li>
                <li><span class="dot st-crashed"></span>{"crashed"}</li>
            </ul>
        </div>
    }
}
