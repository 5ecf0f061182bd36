//! The cast: references cited in prompts as `@name`. This panel adds them
//! by URL or element id; uploads and media checks come with the cast issue.

use leptos::prelude::*;
use storyreel_core::reference::{name_problem, src_problem};
use storyreel_core::{Reference, ReferenceKind, VideoUse};

use crate::state::Editor;

#[component]
pub fn CastPanel() -> impl IntoView {
    let editor = Editor::expect();
    let board = editor.board;
    let name = RwSignal::new(String::new());
    let kind = RwSignal::new("image".to_string());
    let value = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);

    let add = move || {
        let n = name.get_untracked().trim().to_string();
        let v = value.get_untracked().trim().to_string();
        let k = kind.get_untracked();
        if let Some(why) = name_problem(&n) {
            error.set(Some(format!("Name: {why}.")));
            return;
        }
        if board.with_untracked(|b| b.reference(&n).is_some()) {
            error.set(Some(format!(
                "Name: '{n}' is already in the cast; names must be unique."
            )));
            return;
        }
        let reference = match k.as_str() {
            "element" => match v.parse::<u64>() {
                Ok(id) if id > 0 => Reference::element(n.clone(), id),
                _ => {
                    error.set(Some(
                        "Element id: a Kling element id is a positive whole number.".into(),
                    ));
                    return;
                }
            },
            other => {
                if let Some(why) = src_problem(&v) {
                    error.set(Some(format!("URL: {why}.")));
                    return;
                }
                if other == "video" {
                    let (has_video, total) =
                        board.with_untracked(|b| (b.has_video(), b.total_seconds()));
                    if has_video {
                        error.set(Some(
                            "Video: a board takes one reference video; remove the other first."
                                .into(),
                        ));
                        return;
                    }
                    let max = storyreel_core::limits::MAX_TOTAL_SECONDS_WITH_VIDEO;
                    if total > max {
                        error.set(Some(format!(
                            "Video: with a reference video the limit is {max} s; the shots use {total} s. Shorten them first."
                        )));
                        return;
                    }
                    Reference::video(n.clone(), v, VideoUse::Feature)
                } else {
                    Reference::image(n.clone(), v)
                }
            }
        };
        let is_video = matches!(reference.kind, ReferenceKind::Video { .. });
        board.update(|b| {
            b.references.push(reference);
            if is_video {
                b.sound = false;
            }
        });
        error.set(None);
        name.set(String::new());
        value.set(String::new());
        editor.say(if is_video {
            format!("@{n} added to the cast. Sound was turned off: Kling takes no sound with a reference video.")
        } else {
            format!("@{n} added to the cast.")
        });
    };

    view! {
        <section class="cast" id="cast" aria-labelledby="cast-heading" tabindex="-1">
            <h2 id="cast-heading">"Cast"</h2>
            <ul class="cast-list">
                <For
                    each=move || editor.names.get()
                    key=|n| n.clone()
                    let:ref_name
                >
                    {
                        let shown = ref_name.clone();
                        let for_remove = ref_name.clone();
                        // A reference is added whole and never edited in place,
                        // so its detail is read once.
                        let detail = board.with_untracked(|b| {
                            b.reference(&ref_name)
                                .map(|r| match &r.kind {
                                    ReferenceKind::Image { src } => format!("image · {src}"),
                                    ReferenceKind::Element { element_id } => format!("element · {element_id}"),
                                    ReferenceKind::Video { src, .. } => format!("video · {src}"),
                                })
                                .unwrap_or_default()
                        });
                        view! {
                            <li class="cast-item" id=format!("ref-{ref_name}") tabindex="-1">
                                <span class="cast-name">"@" {shown}</span>
                                <span class="cast-detail">{detail}</span>
                                <button
                                    class="danger small"
                                    aria-label=format!("Remove @{for_remove}")
                                    on:click=move |_| {
                                        let n = for_remove.clone();
                                        board.update(|b| b.references.retain(|r| r.name != n));
                                        editor.say(format!("@{} removed from the cast.", for_remove));
                                    }
                                >
                                    "Remove"
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <form
                class="cast-add"
                on:submit=move |ev| {
                    ev.prevent_default();
                    add();
                }
            >
                <label>
                    <span>"Name"</span>
                    <input
                        id="cast-name"
                        type="text"
                        placeholder="mia"
                        maxlength="40"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    <span>"Kind"</span>
                    <select id="cast-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                        <option value="image" selected=move || kind.get() == "image">"Image URL"</option>
                        <option value="element" selected=move || kind.get() == "element">"Kling element id"</option>
                        <option value="video" selected=move || kind.get() == "video">"Video URL"</option>
                    </select>
                </label>
                <label class="wide">
                    <span>{move || if kind.get() == "element" { "Element id" } else { "URL (https)" }}</span>
                    <input
                        id="cast-value"
                        type="text"
                        placeholder=move || if kind.get() == "element" { "831204" } else { "https://…/mia.png" }
                        prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev))
                    />
                </label>
                <button type="submit" id="cast-add">"Add to cast"</button>
                <p class="form-error" role="alert">{move || error.get().unwrap_or_default()}</p>
            </form>
        </section>
    }
}
