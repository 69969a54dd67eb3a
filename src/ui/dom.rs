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
