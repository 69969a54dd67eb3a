//! What the page shows of the lessons, apart from the run: the lesson map (closed, the list, or
//! one lesson's intro), the hints revealed, the last challenge's result, the lessons passed and
//! the catalogue. A reducer, as the page's other state (`state.rs`); the lesson itself, which
//! locks controls, lives with the run (`session.rs`).

use super::progress;
use crate::sim::lessons::catalogue::FILES;
use crate::sim::lessons::check::Outcome;
use crate::sim::lessons::lesson::{Lesson, Track};
use std::collections::BTreeSet;
use std::rc::Rc;
use yew::Reducible;

/// The lessons that parse, in catalogue order. A file that does not (one being written) is
/// named and left out rather than hiding the others.
#[derive(Debug, PartialEq)]
pub struct Catalogue {
    pub lessons: Vec<Rc<Lesson>>,
    pub unreadable: Vec<&'static str>,
}

impl Catalogue {
    pub fn load() -> Catalogue {
        let mut c = Catalogue { lessons: Vec::new(), unreadable: Vec::new() };
        for (id, text) in FILES {
            match serde_json::from_str::<Lesson>(text) {
                Ok(l) => c.lessons.push(Rc::new(l)),
                Err(_) => c.unreadable.push(id),
            }
        }
        c
    }

    pub fn in_track(&self, track: Track) -> impl Iterator<Item = &Rc<Lesson>> {
        self.lessons.iter().filter(move |l| l.track == track)
    }

    /// The lesson after `id` in the map's order (tracks in order, then the catalogue's).
    pub fn next_after(&self, id: &str) -> Option<Rc<Lesson>> {
        let order: Vec<&Rc<Lesson>> = Track::ALL.iter().flat_map(|t| self.in_track(*t)).collect();
        let at = order.iter().position(|l| l.id == id)?;
        order.get(at + 1).map(|l| Rc::clone(l))
    }
}

/// The last challenge: its checklist, or why it could not be judged.
#[derive(Debug, PartialEq)]
pub struct Challenge {
    pub outcome: Result<Outcome, String>,
}

/// What the lesson map shows.
#[derive(Clone, Debug)]
pub enum Map {
    Closed,
    List,
    Intro(Rc<Lesson>),
}

#[derive(Clone, Debug)]
pub struct LessonUi {
    pub map: Map,
    /// Hints revealed so far in the lesson being taken.
    pub hints: usize,
    pub result: Option<Rc<Challenge>>,
    /// The ids of the lessons passed in this browser.
    pub done: Rc<BTreeSet<String>>,
    pub catalogue: Rc<Catalogue>,
}

/// By identity where a deep comparison would cost every frame (the page compares it on each).
impl PartialEq for LessonUi {
    fn eq(&self, o: &Self) -> bool {
        let map = match (&self.map, &o.map) {
            (Map::Intro(a), Map::Intro(b)) => Rc::ptr_eq(a, b),
            (a, b) => std::mem::discriminant(a) == std::mem::discriminant(b),
        };
        let result = match (&self.result, &o.result) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (a, b) => a.is_none() && b.is_none(),
        };
        map && result
            && self.hints == o.hints
            && Rc::ptr_eq(&self.done, &o.done)
            && Rc::ptr_eq(&self.catalogue, &o.catalogue)
    }
}

impl LessonUi {
    pub fn map_open(&self) -> bool {
        !matches!(self.map, Map::Closed)
    }

    pub fn new() -> LessonUi {
        LessonUi {
            map: Map::Closed,
            hints: 0,
            result: None,
            done: Rc::new(progress::load()),
            catalogue: Rc::new(Catalogue::load()),
        }
    }
}

pub enum LessonUiAction {
    /// Open the map at its list, or close it.
    ToggleMap,
    CloseMap,
    /// The map's list again (from a lesson's intro).
    BackToList,
    /// Show a lesson's intro.
    Choose(Rc<Lesson>),
    /// A lesson starts (or the learner left one): the map closes, hints and result go.
    Started,
    ShowHint,
    Judged(Rc<Challenge>),
    ClearResult,
    Done(Rc<BTreeSet<String>>),
}

impl Reducible for LessonUi {
    type Action = LessonUiAction;

    fn reduce(self: Rc<Self>, action: LessonUiAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LessonUiAction::ToggleMap => {
                next.map = if next.map_open() { Map::Closed } else { Map::List };
            }
            LessonUiAction::CloseMap => next.map = Map::Closed,
            LessonUiAction::BackToList => next.map = Map::List,
            LessonUiAction::Choose(l) => next.map = Map::Intro(l),
            LessonUiAction::Started => {
                (next.map, next.hints, next.result) = (Map::Closed, 0, None);
            }
            LessonUiAction::ShowHint => next.hints += 1,
            LessonUiAction::Judged(c) => next.result = Some(c),
            LessonUiAction::ClearResult => next.result = None,
            LessonUiAction::Done(d) => next.done = d,
        }
        Rc::new(next)
    }
}
