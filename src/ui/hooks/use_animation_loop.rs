use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

type FrameFn = Rc<RefCell<Box<dyn Fn(f64)>>>;

/// Wall time assumed for the first frame after the loop starts (one frame at 60 Hz).
const FIRST_FRAME_MS: f64 = 1000.0 / 60.0;

/// Calls `on_frame(dt_ms)` on every animation frame while `active` is true, with the wall time
/// since the previous frame (the first frame after a start counts as one 60 Hz frame, so a pause
/// is never played back). The loop is cancelled (its `AnimationFrame` handle dropped) as soon as
/// `active` turns false or the component unmounts. The newest `on_frame` is always the one called.
#[hook]
pub fn use_animation_loop<F>(active: bool, on_frame: F)
where
    F: Fn(f64) + 'static,
{
    let latest: FrameFn = use_mut_ref(|| Box::new(|_| {}) as Box<dyn Fn(f64)>);
    *latest.borrow_mut() = Box::new(on_frame);
    use_effect_with(active, move |&active| {
        let slot: Rc<RefCell<Option<AnimationFrame>>> = Rc::new(RefCell::new(None));
        if active {
            schedule(slot.clone(), latest, None);
        }
        move || {
            // Dropping the pending frame cancels it and breaks the slot <-> closure cycle.
            slot.borrow_mut().take();
        }
    });
}

fn schedule(slot: Rc<RefCell<Option<AnimationFrame>>>, on_frame: FrameFn, previous: Option<f64>) {
    let next_slot = slot.clone();
    let frame = request_animation_frame(move |timestamp| {
        // The loop was stopped while this frame was already queued: do nothing.
        if next_slot.borrow().is_none() {
            return;
        }
        let dt = previous.map(|p| timestamp - p).unwrap_or(FIRST_FRAME_MS);
        (on_frame.borrow())(dt);
        schedule(next_slot, on_frame, Some(timestamp));
    });
    *slot.borrow_mut() = Some(frame);
}
