//! Outcome glyphs. Outcome is encoded by colour *and* shape, so it reads without colour too:
//! exactly once = filled circle, duplicated = diamond, lost = cross, dead-lettered = square,
//! in flight = hollow circle. The shapes are defined once (`GlyphDefs`) and reused with `<use>`.

use crate::sim::Outcome;
use yew::prelude::*;

pub fn glyph_id(o: Outcome) -> &'static str {
    match o {
        Outcome::InFlight => "#g-flight",
        Outcome::ExactlyOnce => "#g-once",
        Outcome::Duplicated => "#g-dup",
        Outcome::DeadLettered => "#g-dlq",
        Outcome::Lost => "#g-lost",
    }
}

/// The CSS class that colours an outcome (`color`, used by the glyphs as `currentColor`).
pub fn outcome_class(o: Outcome) -> &'static str {
    match o {
        Outcome::InFlight => "o-flight",
        Outcome::ExactlyOnce => "o-once",
        Outcome::Duplicated => "o-dup",
        Outcome::DeadLettered => "o-dlq",
        Outcome::Lost => "o-lost",
    }
}

/// One glyph centred at (x, y) inside an SVG.
pub fn glyph(o: Outcome, x: f64, y: f64) -> Html {
    html! {
        <use href={glyph_id(o)} x={fmt1(x)} y={fmt1(y)} class={outcome_class(o)} />
    }
}

/// A small stand-alone SVG with one glyph, for HTML text (legend, counters).
pub fn glyph_icon(o: Outcome) -> Html {
    html! {
        <svg class={classes!("glyph-icon", outcome_class(o))} viewBox="-8 -8 16 16" width="14" height="14" aria-hidden="true" focusable="false">
            <use href={glyph_id(o)} />
        </svg>
    }
}

/// Coordinates with one decimal: short attribute strings, no visible precision loss.
pub fn fmt1(v: f64) -> String {
    format!("{:.1}", v)
}

/// The glyph definitions; rendered once, hidden, at the top of the app.
#[function_component(GlyphDefs)]
pub fn glyph_defs() -> Html {
    html! {
        <svg class="glyph-defs" width="0" height="0" aria-hidden="true" focusable="false">
            <defs>
                <g id="g-flight">
                    <circle r="4.6" fill="var(--surface)" stroke="currentColor" stroke-width="2.2" />
                </g>
                <g id="g-once">
                    <circle r="5.4" fill="currentColor" />
                </g>
                <g id="g-dup">
                    <path d="M0 -7.2 L7.2 0 L0 7.2 L-7.2 0 Z" fill="currentColor" />
                    <path d="M0 -3 L3 0 L0 3 L-3 0 Z" fill="var(--surface)" />
                </g>
                <g id="g-dlq">
                    <rect x="-5" y="-5" width="10" height="10" fill="currentColor" />
                </g>
                <g id="g-lost">
                    <path d="M-5 -5 L5 5 M5 -5 L-5 5" stroke="currentColor" stroke-width="3" stroke-linecap="round" />
                </g>
            </defs>
        </svg>
    }
}
