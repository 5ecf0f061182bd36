//! The question before removing a cast member that shots cite.

use leptos::prelude::*;
use storyreel_core::cast::{describe_usages, Usage};

#[component]
pub fn RemoveConfirm(
    name: String,
    usages: Memo<Vec<Usage>>,
    confirming: RwSignal<bool>,
    remove: Callback<()>,
) -> impl IntoView {
    let question = move || {
        format!(
            "@{name} is used in {}. Remove it anyway? Its mentions stay in the prompts.",
            describe_usages(&usages.get()),
        )
    };
    view! {
        <div class="cast-confirm" role="alertdialog" aria-label="Remove from the cast?">
            <p>{question}</p>
            <button
                class="danger small cast-remove-confirm"
                on:click=move |_| {
                    confirming.set(false);
                    remove.run(());
                }
            >
                "Remove"
            </button>
            <button class="small cast-remove-cancel" on:click=move |_| confirming.set(false)>
                "Keep"
            </button>
        </div>
    }
}
