//! Export and import of the character library (stub).

use leptos::prelude::*;

#[component]
pub fn LibraryFile() -> impl IntoView {
    view! { <span></span> }
}
