//! Component tests of the web app in headless Chromium: mount `App` into a div, check that the
//! outcome counters render and start at zero with a balanced ledger, press Step and see the clock
//! move, press Crash consumer and see the command applied, reset and see the run paused at 0, open
//! the settings drawer and close it with Escape, find one control per setting. Run with
//! `CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown --test wasm_ui`
//! (scripts/test.sh does).
#![cfg(target_arch = "wasm32")]

use eda_lab::ui::App;
use std::time::Duration;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a browser document")
}

/// Mounts a fresh `App` into its own div and waits for the first render.
async fn mount() -> Element {
    let root = document().create_element("div").expect("a div");
    document().body().expect("a body").append_child(&root).expect("appended");
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    root
}

fn text_of(root: &Element, testid: &str) -> String {
    root.query_selector(&format!("[data-testid=\"{testid}\"]"))
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("[data-testid={testid}] is not rendered"))
        .text_content()
        .unwrap_or_default()
        .trim()
        .to_string()
}

#[wasm_bindgen_test]
async fn counters_render_at_zero_with_a_balanced_ledger() {
    let root = mount().await;
    for id in [
        "count-produced",
        "count-in-flight",
        "count-exactly-once",
        "count-duplicated",
        "count-dead-lettered",
        "count-lost",
    ] {
        assert_eq!(text_of(&root, id), "0", "{id} before play");
    }
    assert_eq!(text_of(&root, "sim-time"), "0.000s");
    assert_eq!(text_of(&root, "trace-hash").len(), 16, "trace hash is 16 hex digits");
    let equation = root.query_selector("[data-testid=\"ledger-equation\"]").unwrap().expect("ledger equation");
    assert_eq!(equation.get_attribute("data-balanced").as_deref(), Some("true"));
    let play = root.query_selector("#btn-play").unwrap().expect("#btn-play");
    assert_eq!(play.get_attribute("aria-pressed").as_deref(), Some("false"), "paused on load");
    root.remove();
}

#[wasm_bindgen_test]
async fn step_advances_the_clock() {
    let root = mount().await;
    let before = text_of(&root, "events-processed");
    let step: HtmlElement = root.query_selector("#btn-step").unwrap().expect("#btn-step").dyn_into().unwrap();
    step.click();
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    assert_ne!(text_of(&root, "events-processed"), before, "Step processed at least one event");
    assert_ne!(text_of(&root, "sim-time"), "0.000s", "Step moved the clock");
    root.remove();
}

fn element(root: &Element, selector: &str) -> HtmlElement {
    root.query_selector(selector)
        .ok()
        .flatten()
        .unwrap_or_else(|| panic!("{selector} is not rendered"))
        .dyn_into()
        .expect("an HTML element")
}

#[wasm_bindgen_test]
async fn the_crash_button_sends_one_command_and_says_it_was_applied() {
    let root = mount().await;
    element(&root, "#btn-crash").click();
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    let notice = element(&root, ".notice").text_content().unwrap_or_default();
    assert!(notice.starts_with("Applied: "), "the notice after pressing Crash consumer: {notice:?}");
    assert!(notice.contains("consumer 0"), "it names the consumer: {notice:?}");
    root.remove();
}

#[wasm_bindgen_test]
async fn restarting_pauses_and_returns_the_clock_to_zero() {
    let root = mount().await;
    element(&root, "#btn-step").click();
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    assert_ne!(text_of(&root, "sim-time"), "0.000s", "Step moved the clock");
    element(&root, "#btn-play").click();
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(element(&root, "#btn-play").get_attribute("aria-pressed").as_deref(), Some("true"), "playing");
    element(&root, "#btn-reset").click();
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(element(&root, "#btn-play").get_attribute("aria-pressed").as_deref(), Some("false"), "reset pauses");
    assert_eq!(text_of(&root, "sim-time"), "0.000s", "reset returns to time 0");
    assert_eq!(text_of(&root, "count-produced"), "0");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_settings_button_opens_the_drawer_and_escape_closes_it() {
    let root = mount().await;
    let toggle = element(&root, "#btn-settings");
    assert_eq!(toggle.get_attribute("aria-expanded").as_deref(), Some("false"));
    toggle.click();
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(toggle.get_attribute("aria-expanded").as_deref(), Some("true"));
    let panel = element(&root, "#settings-panel");
    let open = |p: &HtmlElement| p.get_attribute("class").unwrap_or_default().split(' ').any(|c| c == "is-open");
    assert!(open(&panel), "the panel has the open class");
    // A keydown of Escape inside the panel, as the browser would send it.
    let press_escape = js_sys::Function::new_with_args(
        "el",
        "el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }))",
    );
    press_escape.call1(&wasm_bindgen::JsValue::NULL, &panel).unwrap();
    yew::platform::time::sleep(Duration::from_millis(50)).await;
    assert_eq!(toggle.get_attribute("aria-expanded").as_deref(), Some("false"), "Escape closes the drawer");
    assert!(!open(&panel), "the panel lost the open class");
    root.remove();
}

#[wasm_bindgen_test]
async fn the_settings_panel_has_one_control_per_described_setting() {
    use eda_lab::sim::config::settings::SETTINGS;
    let root = mount().await;
    let controls = root.query_selector_all("#settings-panel [data-setting]").unwrap();
    let mut found: Vec<String> = (0..controls.length())
        .filter_map(|i| controls.item(i))
        .filter_map(|n| n.dyn_into::<Element>().ok())
        .filter_map(|e| e.get_attribute("data-setting"))
        .collect();
    found.sort();
    let mut described: Vec<String> = SETTINGS.iter().map(|s| s.path.to_string()).collect();
    described.sort();
    assert_eq!(found, described, "one control per setting, none twice");
    root.remove();
}

#[wasm_bindgen_test]
fn a_run_stuck_at_one_instant_stops_and_says_why_instead_of_spinning() {
    use eda_lab::sim::Scenario;
    use eda_lab::ui::{RunAction, Runtime, Speed};
    // Valid (not certain to crash), but in practice a loop at one instant. From the earliest
    // offset: nothing is ever committed, so under latest the member would skip the record instead.
    let s = Scenario::from_json(
        r#"{"consumers": {"static_membership": true, "auto_offset_reset": "earliest",
            "crash": {"point": "after_receive", "probability": 0.9999999, "restart_delay_ms": 0}}}"#,
    )
    .unwrap();
    let mut rt = Runtime::new(s);
    rt.sim.set_instant_limit(50_000);
    let frame = RunAction::Frame { dt_ms: 16.0, speed: Speed::Max };
    let notice = (0..100).find_map(|_| rt.apply(frame.clone())).expect("the run stops within 100 frames");
    assert!(notice.error && notice.text.starts_with("Stopped: the run is stuck at "), "{}", notice.text);
    assert!(notice.text.contains("restart_delay_ms"), "it names the likely cause: {}", notice.text);
    // Later frames and steps do no work and say nothing more.
    let events = rt.sim.events_processed();
    assert!(rt.apply(frame).is_none());
    assert!(rt.apply(RunAction::Step).is_none());
    assert_eq!(rt.sim.events_processed(), events);
}
