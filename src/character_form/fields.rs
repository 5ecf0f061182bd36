//! The character form's fields: a text field (name, description) and the
//! kind.

use leptos::prelude::*;
use storyreel_core::character::Tag;

use super::draft::Draft;

/// The kind Kling files the element under.
#[component]
pub fn TagField(draft: Draft) -> impl IntoView {
    let tag = draft.tag;
    view! {
        <label>
            <span>"Kind"</span>
            <select
                id=draft.id("tag")
                on:change=move |ev| {
                    let v = event_target_value(&ev);
                    if let Some(t) = Tag::ALL.into_iter().find(|t| t.kling_id() == v) {
                        tag.set(t);
                    }
                }
            >
                {Tag::ALL
                    .into_iter()
                    .map(|t| {
                        view! {
                            <option value=t.kling_id() selected=move || tag.get() == t>
                                {t.label()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// A labelled one-line text input bound to `value`, cut at `max`
/// characters (the name, the description).
#[component]
pub fn TextField(
    label: &'static str,
    #[prop(optional)] wide: bool,
    id: String,
    max: usize,
    placeholder: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <label class=wide.then_some("wide")>
            <span>{label}</span>
            <input
                id=id
                type="text"
                maxlength=max.to_string()
                placeholder=placeholder
                prop:value=move || value.get()
                on:input=move |ev| value.set(event_target_value(&ev))
            />
        </label>
    }
}
