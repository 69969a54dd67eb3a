use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

type KeyFn = Rc<RefCell<Box<dyn Fn(&KeyboardEvent)>>>;

/// Listens to every `keydown` on the document for the component's lifetime, calling the newest
/// `on_key` (the listener is registered once and removed on unmount).
#[hook]
pub fn use_document_keydown<F>(on_key: F)
where
    F: Fn(&KeyboardEvent) + 'static,
{
    let latest: KeyFn = use_mut_ref(|| Box::new(|_: &KeyboardEvent| {}) as Box<dyn Fn(&KeyboardEvent)>);
    *latest.borrow_mut() = Box::new(on_key);
    use_effect_with((), move |_| {
        let listener = Closure::<dyn Fn(KeyboardEvent)>::new(move |e: KeyboardEvent| (latest.borrow())(&e));
        let document = web_sys::window().and_then(|w| w.document());
        if let Some(d) = &document {
            let _ = d.add_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
        }
        move || {
            if let Some(d) = &document {
                let _ = d.remove_event_listener_with_callback("keydown", listener.as_ref().unchecked_ref());
            }
            drop(listener);
        }
    });
}

/// Page-wide shortcuts: `on_key` returns true when it handled the key (the default action is then
/// prevented). Keys typed into form fields, buttons or anything with `role="button"` are left alone.
#[hook]
pub fn use_global_keys<F>(on_key: F)
where
    F: Fn(&KeyboardEvent) -> bool + 'static,
{
    use_document_keydown(move |e: &KeyboardEvent| {
        if e.ctrl_key() || e.meta_key() || e.alt_key() || is_interactive(e.target()) {
            return;
        }
        if on_key(e) {
            e.prevent_default();
        }
    });
}

fn is_interactive(target: Option<web_sys::EventTarget>) -> bool {
    let Some(el) = target.and_then(|t| t.dyn_into::<web_sys::Element>().ok()) else { return false };
    let tag = el.tag_name().to_ascii_uppercase();
    matches!(tag.as_str(), "INPUT" | "SELECT" | "TEXTAREA" | "BUTTON")
        || el.get_attribute("role").as_deref() == Some("button")
        || el.closest("[role=button]").ok().flatten().is_some()
}
