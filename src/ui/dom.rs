//! Small, failure-tolerant helpers over the browser APIs the app uses. None of them panics: a
//! missing API (an old browser, a sandbox without storage) degrades to a sensible default.

use super::state::Theme;

const THEME_KEY: &str = "eda-lab.theme";

/// `performance.now()` in milliseconds (0 when unavailable).
pub fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

fn media_matches(query: &str) -> bool {
    web_sys::window().and_then(|w| w.match_media(query).ok().flatten()).map(|m| m.matches()).unwrap_or(false)
}

pub fn prefers_reduced_motion() -> bool {
    media_matches("(prefers-reduced-motion: reduce)")
}

/// The stored theme, else the system preference.
pub fn initial_theme() -> Theme {
    let stored = web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .and_then(|s| s.get_item(THEME_KEY).ok().flatten());
    match stored.as_deref() {
        Some("dark") => Theme::Dark,
        Some("light") => Theme::Light,
        _ if media_matches("(prefers-color-scheme: dark)") => Theme::Dark,
        _ => Theme::Light,
    }
}

/// Puts `data-theme` on the root element and remembers the choice.
pub fn apply_theme(theme: Theme) {
    let Some(window) = web_sys::window() else { return };
    if let Some(root) = window.document().and_then(|d| d.document_element()) {
        let _ = root.set_attribute("data-theme", theme.attr());
    }
    if let Some(storage) = window.local_storage().ok().flatten() {
        let _ = storage.set_item(THEME_KEY, theme.attr());
    }
}

/// Calls `on_change(reduced)` whenever the reduced-motion preference changes. Returns a guard
/// that removes the listener when dropped.
pub fn watch_reduced_motion(on_change: impl Fn(bool) + 'static) -> Option<impl Drop> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let query = web_sys::window()?.match_media("(prefers-reduced-motion: reduce)").ok().flatten()?;
    let q = query.clone();
    let listener = Closure::<dyn Fn()>::new(move || on_change(q.matches()));
    query.add_event_listener_with_callback("change", listener.as_ref().unchecked_ref()).ok()?;
    struct Guard(web_sys::MediaQueryList, Closure<dyn Fn()>);
    impl Drop for Guard {
        fn drop(&mut self) {
            let _ = self.0.remove_event_listener_with_callback("change", self.1.as_ref().unchecked_ref());
        }
    }
    Some(Guard(query, listener))
}

/// Focuses an element (an HTML or SVG element that can take focus); nothing when it cannot.
pub fn focus_element(el: &web_sys::Element) {
    use wasm_bindgen::JsCast;
    if let Some(h) = el.dyn_ref::<web_sys::HtmlElement>() {
        let _ = h.focus();
    } else if let Some(s) = el.dyn_ref::<web_sys::SvgElement>() {
        let _ = s.focus();
    }
}

/// The share link in this page's address (`#run=...`), if there is one.
pub fn run_link() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    hash.starts_with("#run=").then_some(hash)
}

/// This page's address without its fragment (where share links point).
pub fn page_url() -> String {
    let location = web_sys::window().map(|w| w.location());
    let href = location.and_then(|l| l.href().ok()).unwrap_or_default();
    href.split('#').next().unwrap_or_default().to_string()
}

/// Takes the fragment out of the address bar without reloading (a link that could not be
/// opened: a reload then shows the clean default page).
pub fn clear_hash() {
    let Some(window) = web_sys::window() else { return };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&page_url()));
    }
}

/// Calls `on_link(text)` whenever the address's fragment changes to a share link (a link pasted
/// into the address bar of an open page does not reload it). The guard removes the listener.
pub fn watch_run_link(on_link: impl Fn(String) + 'static) -> Option<impl Drop> {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let window = web_sys::window()?;
    let listener = Closure::<dyn Fn()>::new(move || {
        if let Some(link) = run_link() {
            on_link(link);
        }
    });
    window.add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref()).ok()?;
    struct Guard(web_sys::Window, Closure<dyn Fn()>);
    impl Drop for Guard {
        fn drop(&mut self) {
            let _ = self.0.remove_event_listener_with_callback("hashchange", self.1.as_ref().unchecked_ref());
        }
    }
    Some(Guard(window, listener))
}

/// Copies `text` to the clipboard; `done(true)` once it is there, `done(false)` when the browser
/// refuses (no permission, an insecure page, no clipboard API).
pub fn copy_text(text: &str, done: impl Fn(bool) + 'static) {
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    let promise = (|| {
        let navigator = Reflect::get(&JsValue::from(web_sys::window()?), &"navigator".into()).ok()?;
        let clipboard = Reflect::get(&navigator, &"clipboard".into()).ok()?;
        let write = Reflect::get(&clipboard, &"writeText".into()).ok()?.dyn_into::<Function>().ok()?;
        write.call1(&clipboard, &JsValue::from_str(text)).ok()?.dyn_into::<Promise>().ok()
    })();
    let Some(promise) = promise else { return done(false) };
    let done = std::rc::Rc::new(done);
    let (ok, err) = (done.clone(), done);
    let on_ok = Closure::once(move |_: JsValue| ok(true));
    let on_err = Closure::once(move |_: JsValue| err(false));
    let _ = promise.then2(&on_ok, &on_err);
    // Each runs at most once; the pair is kept for the life of the page (a few bytes per click).
    on_ok.forget();
    on_err.forget();
}

/// Reads the first file chosen in a file input as text: `done(Ok(text))`, or `done(Err(why))`.
pub fn read_chosen_file(input: &web_sys::HtmlInputElement, done: impl Fn(Result<String, String>) + 'static) {
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    let promise = (|| {
        let file = Reflect::get(&Reflect::get(input, &"files".into()).ok()?, &0.into()).ok()?;
        let text = Reflect::get(&file, &"text".into()).ok()?.dyn_into::<Function>().ok()?;
        text.call0(&file).ok()?.dyn_into::<Promise>().ok()
    })();
    let Some(promise) = promise else { return done(Err("no file chosen".into())) };
    let done = std::rc::Rc::new(done);
    let (ok, err) = (done.clone(), done);
    let on_ok = Closure::once(move |t: JsValue| ok(t.as_string().ok_or_else(|| "not text".to_string())));
    let on_err = Closure::once(move |_: JsValue| err(Err("the browser could not read the file".into())));
    let _ = promise.then2(&on_ok, &on_err);
    // Each runs at most once; the pair is kept for the life of the page (a few bytes per click).
    on_ok.forget();
    on_err.forget();
}
