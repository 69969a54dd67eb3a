use gloo_render::{request_animation_frame, AnimationFrame};
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

type FrameFn = Rc<RefCell<Box<dyn Fn(f64)>>>;

/// Calls `on_frame(timestamp_ms)` on every animation frame while `active` is true. The loop is
/// cancelled (its `AnimationFrame` handle dropped) as soon as `active` turns false or the
/// component unmounts. The newest `on_frame` is always the one called.
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
            schedule(slot.clone(), latest);
        }
        move || {
            // Dropping the pending frame cancels it and breaks the slot <-> closure cycle.
            slot.borrow_mut().take();
        }
    });
}

fn schedule(slot: Rc<RefCell<Option<AnimationFrame>>>, on_frame: FrameFn) {
    let next_slot = slot.clone();
    let frame = request_animation_frame(move |timestamp| {
        // The loop was stopped while this frame was already queued: do nothing.
        if next_slot.borrow().is_none() {
            return;
        }
        (on_frame.borrow())(timestamp);
        schedule(next_slot, on_frame);
    });
    *slot.borrow_mut() = Some(frame);
}
