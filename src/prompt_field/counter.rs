//! A prompt's label and its live character counter (near the limit and
//! over it marked).

use leptos::prelude::*;

#[component]
pub fn LabelRow(
    label: String,
    label_for: String,
    counter_id: String,
    chars: Memo<usize>,
    max: usize,
) -> impl IntoView {
    view! {
        <div class="prompt-label-row">
            <label for=label_for>{label}</label>
            <span
                id=counter_id
                class="counter"
                class:over=move || { chars.get() > max }
                class:near=move || { let c = chars.get(); c <= max && c * 10 >= max * 9 }
            >
                {move || format!("{} / {max}", chars.get())}
            </span>
        </div>
    }
}
