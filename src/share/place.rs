//! Where the share popover opens.

use leptos::prelude::*;

/// Width of the popover in CSS pixels (as in `style/main.css`).
const POPOVER_WIDTH: f64 = 460.0;

/// `top`/`left` for the fixed popover, from the Share button's box.
pub fn popover_place() -> String {
    let Some(button) = document().get_element_by_id("share") else {
        return String::new();
    };
    let rect = button.get_bounding_client_rect();
    let view = window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .unwrap_or(1280.0);
    let width = POPOVER_WIDTH.min(view - 24.0);
    let left = (rect.right() - width).clamp(12.0, (view - width - 12.0).max(12.0));
    format!("top: {:.0}px; left: {left:.0}px;", rect.bottom() + 8.0)
}
