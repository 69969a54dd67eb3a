//! Outcome glyphs. Outcome is encoded by colour *and* shape, so it reads without colour too:
//! applied once = filled circle, duplicated = diamond, lost = cross, dead-lettered = square,
//! in flight = hollow circle. Each glyph is one `<path>` centred on the origin and placed with a
//! `transform`, so moving it is a single attribute write.

use crate::sim::kernel::numfmt::{fixed, Fixed};
use crate::sim::{MessageId, Outcome};
use yew::prelude::*;

/// The glyph's outline, centred on the origin.
pub fn glyph_path(o: Outcome) -> &'static str {
    match o {
        Outcome::InFlight => "M-4.6 0a4.6 4.6 0 1 0 9.2 0a4.6 4.6 0 1 0-9.2 0Z",
        Outcome::ExactlyOnce => "M-5.4 0a5.4 5.4 0 1 0 10.8 0a5.4 5.4 0 1 0-10.8 0Z",
        Outcome::Duplicated => "M0-7.4L7.4 0L0 7.4L-7.4 0ZM0-2.8L-2.8 0L0 2.8L2.8 0Z",
        Outcome::DeadLettered => "M-5-5h10v10h-10Z",
        Outcome::Lost => "M-5-5L5 5M5-5L-5 5",
    }
}

/// The CSS class that colours an outcome (`color`; glyphs paint with `currentColor`).
pub fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::InFlight => "o-flight",
        Outcome::ExactlyOnce => "o-once",
        Outcome::Duplicated => "o-dup",
        Outcome::DeadLettered => "o-dlq",
        Outcome::Lost => "o-lost",
    }
}

/// The CSS class that says how a glyph is painted (filled, hollow or stroked).
fn paint_class(o: Outcome) -> &'static str {
    match o {
        Outcome::InFlight => "gl gl-hollow",
        Outcome::Lost => "gl gl-stroke",
        _ => "gl gl-fill",
    }
}

/// One glyph centred at (x, y) inside an SVG: a single `<path>`, cheap to create and to move.
pub fn glyph(o: Outcome, x: f64, y: f64) -> Html {
    html! {
        <path d={glyph_path(o)} class={classes!(paint_class(o), outcome_class(o))} transform={format!("translate({} {})", Fixed(x, 1), Fixed(y, 1))} />
    }
}

/// A glyph with a stable key, for lists whose items move (tokens), carrying its message's number
/// (`data-msg`) for a click.
pub fn glyph_keyed(key: u64, o: Outcome, x: f64, y: f64, msg: MessageId) -> Html {
    html! {
        <path key={key} d={glyph_path(o)} class={classes!(paint_class(o), outcome_class(o))} transform={format!("translate({} {})", Fixed(x, 1), Fixed(y, 1))}
            data-msg={msg.0.to_string()} />
    }
}

/// A small stand-alone SVG with one glyph, for HTML text (legend, counters).
pub fn glyph_icon(o: Outcome) -> Html {
    html! {
        <svg class={classes!("glyph-icon", outcome_class(o))} viewBox="-8 -8 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <path d={glyph_path(o)} class={paint_class(o)} />
        </svg>
    }
}

/// Coordinates with one decimal: short attribute strings, no visible precision loss.
pub fn fmt1(v: f64) -> String {
    fixed(v, 1)
}
