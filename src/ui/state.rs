//! The page's own state: what the user chose to look at and how fast to play. Nothing here is part
//! of the simulation; the run lives in [`super::runtime::Runtime`] and is changed only through
//! [`super::run::RunAction`]s. Side effects (theme attribute, storage, timers) live in effects in
//! `app.rs`.

use crate::sim::event::Category;
use crate::sim::MessageId;
use std::rc::Rc;
use yew::Reducible;

/// Playback speed: sim seconds per wall second, or as fast as the per-frame event budget allows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Speed {
    Times(f64),
    Max,
}

impl Speed {
    /// Every choice the speed picker offers, with the value the `#speed` select uses.
    pub const CHOICES: [(&'static str, &'static str, Speed); 9] = [
        ("0.1", "0.1× slow motion", Speed::Times(0.1)),
        ("0.25", "0.25×", Speed::Times(0.25)),
        ("0.5", "0.5×", Speed::Times(0.5)),
        ("1", "1× real time", Speed::Times(1.0)),
        ("2", "2×", Speed::Times(2.0)),
        ("5", "5×", Speed::Times(5.0)),
        ("20", "20×", Speed::Times(20.0)),
        ("100", "100×", Speed::Times(100.0)),
        ("max", "Fast-forward", Speed::Max),
    ];

    pub fn from_value(v: &str) -> Option<Speed> {
        Self::CHOICES.iter().find(|(value, _, _)| *value == v).map(|c| c.2)
    }

    pub fn value(self) -> &'static str {
        Self::CHOICES.iter().find(|c| c.2 == self).map(|c| c.0).unwrap_or("1")
    }

    /// Sim time a message token takes to cross one edge, in microseconds: about half a wall
    /// second at every finite speed, so slow motion shows every hop and fast speeds blur them.
    pub fn token_travel_us(self) -> u64 {
        match self {
            Speed::Times(x) => ((450_000.0 * x) as u64).max(20_000),
            Speed::Max => 60_000_000,
        }
    }

    /// At these speeds the topology labels the edges with flow rates instead of drawing every hop.
    pub fn shows_rates(self) -> bool {
        match self {
            Speed::Times(x) => x >= 20.0,
            Speed::Max => true,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    Light,
    Dark,
}

impl Theme {
    pub fn attr(self) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }
    pub fn other(self) -> Theme {
        match self {
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::Light,
        }
    }
}

/// Which lines the event log shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct LogFilter {
    pub category: Option<Category>,
    pub notable_only: bool,
}

/// A one-line message to the user about the last thing they did to the run (a command applied or
/// refused, a restart).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub error: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub playing: bool,
    pub speed: Speed,
    pub theme: Theme,
    pub reduced_motion: bool,
    pub log_filter: LogFilter,
    /// The settings drawer is open (it is a drawer on narrow screens only).
    pub settings_open: bool,
    /// The message whose journey is shown, if any.
    pub journey: Option<MessageId>,
    /// The share and import panel is open.
    pub share_open: bool,
}

impl State {
    pub fn new(theme: Theme, reduced_motion: bool) -> Self {
        State {
            playing: false,
            speed: Speed::Times(1.0),
            theme,
            reduced_motion,
            log_filter: LogFilter::default(),
            settings_open: false,
            journey: None,
            share_open: false,
        }
    }
}

pub enum Action {
    TogglePlay,
    Play,
    Pause,
    SetSpeed(Speed),
    ToggleTheme,
    SetCategory(Option<Category>),
    SetNotableOnly(bool),
    SetReducedMotion(bool),
    ToggleSettings,
    CloseSettings,
    ShowJourney(MessageId),
    CloseJourney,
    /// Opens the share panel (pausing, so the link stands at one instant) or closes it.
    ToggleShare,
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::TogglePlay => next.playing = !next.playing,
            Action::Play => next.playing = true,
            Action::Pause => next.playing = false,
            Action::SetSpeed(s) => next.speed = s,
            Action::ToggleTheme => next.theme = next.theme.other(),
            Action::SetCategory(c) => next.log_filter.category = c,
            Action::SetNotableOnly(b) => next.log_filter.notable_only = b,
            Action::SetReducedMotion(b) => next.reduced_motion = b,
            Action::ToggleSettings => next.settings_open = !next.settings_open,
            Action::CloseSettings => next.settings_open = false,
            Action::ShowJourney(msg) => next.journey = Some(msg),
            Action::CloseJourney => next.journey = None,
            Action::ToggleShare => {
                next.share_open = !next.share_open;
                next.playing &= !next.share_open;
            }
        }
        if next == *self {
            self
        } else {
            Rc::new(next)
        }
    }
}
