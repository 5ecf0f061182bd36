//! Small browser helpers: focusing elements by id, timing marks.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Focuses the element with `id` (and scrolls it into view), if present.
pub fn focus_id(id: &str) {
    if let Some(el) = document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        el.scroll_into_view_with_bool(false);
        let _ = el.focus();
    }
}

/// Focuses `id` after the next render.
pub fn focus_id_later(id: String) {
    request_animation_frame(move || focus_id(&id));
}

/// Marks the editor as interactive: `performance.mark("storyreel-ready")`
/// and `data-ready` on `<body>`, read by tests and benchmarks.
pub fn mark_ready() {
    if let Some(perf) = window().performance() {
        let _ = perf.mark("storyreel-ready");
    }
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-ready", "1");
    }
}
