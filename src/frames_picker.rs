//! The first and last frame, picked from the cast's images. The rules of
//! the board format hold as the user picks: a last frame needs a first,
//! and where frames send the request (or why they cannot) is shown here
//! with the frame problems of the rules engine.

use leptos::prelude::*;
use storyreel_core::{Field, ReferenceKind};

use crate::state::Editor;

#[component]
pub fn FramesPicker() -> impl IntoView {
    let editor = Editor::expect();
    let board = editor.board;
    let images = Memo::new(move |_| {
        board.with_outline(|b| {
            b.references
                .iter()
                .filter(|r| matches!(r.kind, ReferenceKind::Image { .. }))
                .map(|r| r.name.clone())
                .collect::<Vec<_>>()
        })
    });
    let first = Memo::new(move |_| board.with_outline(|b| b.first_frame.clone()));
    let last = Memo::new(move |_| board.with_outline(|b| b.last_frame.clone()));
    let kling_api = editor.kling_api;
    let destination = Memo::new(move |_| {
        let api = kling_api.get();
        board.with_outline(|b| storyreel_core::plan::destination(b, api))
    });
    let problems = Memo::new(move |_| {
        editor.report.with(|r| {
            r.problems
                .iter()
                .filter(|p| matches!(p.field, Field::FirstFrame | Field::LastFrame))
                .map(|p| (p.is_error(), p.message()))
                .collect::<Vec<_>>()
        })
    });

    let options = move |chosen: Memo<Option<String>>| {
        view! {
            <option value="" selected=move || chosen.get().is_none()>"None"</option>
            <For each=move || images.get() key=|n| n.clone() let:n>
                {
                    let value = n.clone();
                    let label = format!("@{n}");
                    view! {
                        <option value=value.clone() selected=move || chosen.get().as_deref() == Some(value.as_str())>
                            {label}
                        </option>
                    }
                }
            </For>
        }
    };
    let pick = move |which: Field, value: String| {
        let value = (!value.is_empty()).then_some(value);
        match which {
            // A last frame needs a first: clearing the first clears both.
            Field::FirstFrame => editor.set_first_frame(value),
            _ => editor.set_last_frame(value),
        }
    };

    view! {
        <fieldset class="frames" id="frames">
            <legend>"Frames"</legend>
            <label>
                <span>"First frame"</span>
                <select
                    id="first-frame"
                    disabled=move || images.with(Vec::is_empty)
                    on:change=move |ev| pick(Field::FirstFrame, event_target_value(&ev))
                >
                    {options(first)}
                </select>
            </label>
            <label>
                <span>"Last frame"</span>
                <select
                    id="last-frame"
                    disabled=move || first.get().is_none()
                    title=move || if first.get().is_none() { "A last frame needs a first frame" } else { "" }
                    on:change=move |ev| pick(Field::LastFrame, event_target_value(&ev))
                >
                    {options(last)}
                </select>
            </label>
            <p class="frames-note" id="frames-note">
                {move || {
                    if images.with(Vec::is_empty) {
                        "Add an image to the cast to open or close the video on it.".to_string()
                    } else if first.get().is_none() {
                        "No frames: the video opens as the prompts describe. A last frame needs a first.".to_string()
                    } else {
                        format!("Goes to {}.", destination.get())
                    }
                }}
            </p>
            <ul class="frames-problems" id="frames-problems">
                {move || {
                    problems
                        .get()
                        .into_iter()
                        .map(|(is_error, msg)| view! { <li class:error=is_error class:warning=!is_error>{msg}</li> })
                        .collect_view()
                }}
            </ul>
        </fieldset>
    }
}
