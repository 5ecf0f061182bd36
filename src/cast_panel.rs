//! The cast: references cited in prompts as `@name`. Files come in by the
//! picker, by dropping them on the panel or by pasting (see `intake`);
//! images by https address and Kling elements by id through the form.
//! Below the list, the first and last frames are picked from the images.

use leptos::ev;
use leptos::prelude::*;
use storyreel_core::cast::AddError;
use storyreel_core::reference::{name_problem, src_problem};
use storyreel_core::{Reference, VideoUse};

use crate::cast_item::CastItem;
use crate::frames_picker::FramesPicker;
use crate::intake::{self, Intakes, Stage};
use crate::settings::Settings;
use crate::state::Editor;

#[component]
pub fn CastPanel() -> impl IntoView {
    let editor = Editor::expect();
    let settings = Settings::expect();
    let board = editor.board;
    let intakes = Intakes::new();
    let dragging = RwSignal::new(false);
    let counts = Memo::new(move |_| {
        board.with_outline(|b| {
            (
                b.images().count() + b.elements().count(),
                b.max_images_and_elements(),
                b.has_video(),
            )
        })
    });

    // A paste with files anywhere but in a text field adds them.
    let paste = window_event_listener(ev::paste, move |ev: web_sys::ClipboardEvent| {
        let in_text = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA"));
        let files = intake::files_of(ev.clipboard_data().and_then(|d| d.files()));
        if !files.is_empty() && !in_text {
            ev.prevent_default();
            intake::take_files(editor, settings, intakes, files);
        }
    });
    on_cleanup(move || paste.remove());

    view! {
        <section
            class="cast"
            class:dragging=move || dragging.get()
            id="cast"
            aria-labelledby="cast-heading"
            tabindex="-1"
            on:dragover=move |ev: web_sys::DragEvent| {
                if has_files(&ev) {
                    ev.prevent_default();
                    dragging.set(true);
                }
            }
            on:dragleave=move |_| dragging.set(false)
            on:drop=move |ev: web_sys::DragEvent| {
                dragging.set(false);
                if has_files(&ev) {
                    ev.prevent_default();
                    let files = intake::files_of(ev.data_transfer().and_then(|d| d.files()));
                    intake::take_files(editor, settings, intakes, files);
                }
            }
        >
            <h2 id="cast-heading">
                "Cast "
                <small class="cast-count" id="cast-count">
                    {move || {
                        let (n, max, video) = counts.get();
                        format!("{n} of {max} images and elements{}", if video { " · 1 video" } else { "" })
                    }}
                </small>
            </h2>
            <ul class="cast-list">
                <For each=move || editor.names.get() key=|n| n.clone() let:ref_name>
                    <CastItem name=ref_name />
                </For>
            </ul>
            <IntakeList intakes=intakes />
            <div class="cast-drop" id="cast-drop">
                <label class="button" for="cast-file">"Add files…"</label>
                <input
                    id="cast-file"
                    class="visually-hidden"
                    type="file"
                    multiple=true
                    on:change=move |ev| {
                        let input: web_sys::HtmlInputElement = event_target(&ev);
                        let files = intake::files_of(input.files());
                        input.set_value("");
                        intake::take_files(editor, settings, intakes, files);
                    }
                />
                <span class="cast-drop-hint">
                    "or drop images and one video here, or paste. JPEG or PNG, at least 300 px a side; MP4 or MOV, 3–15.5 s."
                </span>
            </div>
            <AddByAddress intakes=intakes />
            <FramesPicker />
        </section>
    }
}

/// Whether a drag carries files (not a cast item or text).
fn has_files(ev: &web_sys::DragEvent) -> bool {
    ev.data_transfer().map(|d| d.types()).is_some_and(|types| {
        types
            .iter()
            .any(|t| t.as_string().as_deref() == Some("Files"))
    })
}

/// Files on their way in, and those refused with their reasons.
#[component]
fn IntakeList(intakes: Intakes) -> impl IntoView {
    view! {
        <ul class="intake-list" id="cast-intake" aria-live="polite">
            <For
                each=move || intakes.items.get()
                key=|i| (i.id, format!("{:?}", i.stage), i.note.clone())
                let:item
            >
                {
                    let id = item.id;
                    let refused = matches!(item.stage, Stage::Refused(_));
                    let done = matches!(item.stage, Stage::Added(_));
                    let status = match &item.stage {
                        Stage::Checking => "Checking…".to_string(),
                        Stage::Resizing => "Resizing…".to_string(),
                        Stage::Uploading(f) => format!("Uploading {}%", (f * 100.0).round() as u32),
                        Stage::Refused(_) => "Not added".to_string(),
                        Stage::Added(name) => format!("Added as @{name}"),
                    };
                    let fraction = match item.stage {
                        Stage::Uploading(f) => Some(f),
                        _ => None,
                    };
                    let reasons = match &item.stage {
                        Stage::Refused(r) => r.clone(),
                        _ => Vec::new(),
                    };
                    view! {
                        <li class="intake-item" class:refused=refused class:done=done data-file=item.file_name.clone()>
                            <span class="intake-file">{item.file_name.clone()}</span>
                            <span class="intake-status">{status}</span>
                            {fraction.map(|f| view! { <progress class="intake-progress" max="1" value=f></progress> })}
                            {item.note.clone().map(|n| view! { <span class="intake-note">{n}</span> })}
                            <ul class="intake-problems">
                                {reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                            </ul>
                            {(refused || done).then(|| view! {
                                <button class="small intake-dismiss" on:click=move |_| intakes.dismiss(id)>
                                    "Dismiss"
                                </button>
                            })}
                        </li>
                    }
                }
            </For>
        </ul>
    }
}

/// Adding an image or video by its https address, or a Kling element by id.
#[component]
fn AddByAddress(intakes: Intakes) -> impl IntoView {
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
            "element" => {
                let id = v.trim();
                if let Some(why) = storyreel_core::reference::element_id_problem(id) {
                    error.set(Some(format!("Element id: {why}.")));
                    return;
                }
                Reference::element(n.clone(), id)
            }
            other => {
                if let Some(why) = src_problem(&v) {
                    error.set(Some(format!("URL: {why}.")));
                    return;
                }
                if other == "video" {
                    Reference::video(n.clone(), v, VideoUse::Feature)
                } else {
                    Reference::image(n.clone(), v)
                }
            }
        };
        let on_the_way = intakes.on_the_way(None);
        let Some(added) = editor.add_to_cast(reference, on_the_way) else {
            return;
        };
        let added = match added {
            Ok(a) => a,
            Err(AddError::NoRoom(why)) => {
                error.set(Some(why.sentence()));
                return;
            }
            Err(AddError::BadName(why)) => {
                error.set(Some(format!("Name: {why}.")));
                return;
            }
            Err(e @ AddError::Taken(_)) => {
                error.set(Some(format!("Name: {e}.")));
                return;
            }
        };
        error.set(None);
        name.set(String::new());
        value.set(String::new());
        editor.say(if added.sound_turned_off {
            format!("@{n} added to the cast. Sound was turned off: Kling generates no audio with a reference video.")
        } else {
            format!("@{n} added to the cast.")
        });
    };

    view! {
        <details class="cast-by-address">
            <summary>"By address or element id"</summary>
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
        </details>
    }
}
