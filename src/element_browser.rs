//! Kling's elements (stub).

use leptos::prelude::*;

#[component]
pub fn ElementBrowser() -> impl IntoView {
    view! { <div class="element-browser"></div> }
}
