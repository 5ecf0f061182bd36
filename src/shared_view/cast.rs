//! A shared board's cast: each reference's picture when a recipient can
//! fetch it, its name and kind, and what is not reachable from here.

use leptos::prelude::*;
use storyreel_core::reference::ReferenceKind;
use storyreel_core::{share, Reference};
use wasm_bindgen::JsCast;

/// Nothing when the board has no cast. `element_note` says that element
/// ids work only for the Kling account that made them.
#[component]
pub fn SharedCast(references: Vec<Reference>, element_note: Option<String>) -> impl IntoView {
    (!references.is_empty()).then(|| {
        let items = references
            .into_iter()
            .map(|reference| view! { <SharedRef reference /> })
            .collect_view();
        view! {
            <section class="shared-cast">
                <h2>"Cast"</h2>
                <ul>{items}</ul>
                {element_note
                    .map(|note| {
                        view! {
                            <p id="shared-element-note" class="hint" role="note">
                                {note}
                            </p>
                        }
                    })}
            </section>
        }
    })
}

#[component]
fn SharedRef(reference: Reference) -> impl IntoView {
    let r = reference;
    let thumb = match &r.kind {
        ReferenceKind::Image { src } if !share::is_local_only(src) => Some(src.clone()),
        _ => None,
    };
    let local = r.src().is_some_and(share::is_local_only);
    view! {
        <li class="shared-ref">
            {thumb
                .map(|src| {
                    view! {
                        <img
                            class="shared-thumb"
                            src=src
                            alt=""
                            loading="lazy"
                            referrerpolicy="no-referrer"
                            on:error=move |ev| {
                                if let Some(img) = ev
                                    .target()
                                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                                {
                                    let _ = img.class_list().add_1("broken");
                                }
                            }
                        />
                    }
                })}
            <span class="shared-ref-name">{format!("@{}", r.name)}</span>
            <span class="shared-ref-kind">{r.kind.label()}</span>
            {local.then(|| view! { <span class="shared-ref-local">"not reachable from here"</span> })}
        </li>
    }
}
