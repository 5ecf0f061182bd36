//! One member of the cast: its thumbnail, name (renamed in place, with its
//! mentions), where it is used, and removal that asks first when shots
//! cite it. Dragging it onto a shot cites it there. Its parts in
//! `cast_item/`: `name.rs` (the name and its rename in place),
//! `detail.rs` (what the reference is) and `confirm.rs` (the question
//! before removing a cited one).

use leptos::prelude::*;
use storyreel_core::cast::{self, describe_usages};
use storyreel_core::character::Look;
use storyreel_core::transport::Transport;
use storyreel_core::ReferenceKind;

use crate::settings::Settings;
use crate::state::Editor;

mod confirm;
mod detail;
mod name;

use confirm::RemoveConfirm;
use name::CastName;

/// The data type a dragged cast item carries besides its `@name` text.
pub const DRAG_TYPE: &str = "application/x-storyreel-ref";

/// What a thumbnail shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Thumb {
    Image(String),
    Video(String),
    Element(String),
    None,
}

/// The thumbnail of reference `name`, as this browser can load it.
pub fn thumb_of(editor: Editor, settings: Settings, name: &str) -> Thumb {
    let transport = settings.transport();
    editor
        .board
        .with(|b| match b.reference(name).map(|r| &r.kind) {
            Some(ReferenceKind::Image { src }) => image_thumb(src, &transport),
            Some(ReferenceKind::Video { src, .. }) => {
                transport.view_url(src).map_or(Thumb::None, Thumb::Video)
            }
            Some(ReferenceKind::Element {
                character: Some(link),
                ..
            }) => look_thumb(&link.look, &transport),
            Some(ReferenceKind::Element { element_id, .. }) => Thumb::Element(element_id.clone()),
            None => Thumb::None,
        })
}

/// The thumbnail of a character's look: its frontal image or its video.
pub fn look_thumb(look: &Look, transport: &Transport) -> Thumb {
    match look {
        Look::Images { frontal, .. } => image_thumb(frontal, transport),
        Look::Video { src } => transport.view_url(src).map_or(Thumb::None, Thumb::Video),
    }
}

/// An image by the picture this browser keeps of it, or its address.
fn image_thumb(src: &str, transport: &Transport) -> Thumb {
    crate::thumbs::url_for(src)
        .or_else(|| transport.view_url(src))
        .map_or(Thumb::None, Thumb::Image)
}

/// A small square picture of a reference.
#[component]
pub fn ThumbView(thumb: Thumb, #[prop(into)] name: String) -> impl IntoView {
    match thumb {
        Thumb::Image(url) => {
            view! { <img class="thumb" src=url alt="" loading="lazy" decoding="async" /> }.into_any()
        }
        // The first frame, without downloading the whole video.
        Thumb::Video(url) => view! {
            <video class="thumb" src=format!("{url}#t=0.5") preload="metadata" muted=true aria-hidden="true"></video>
        }
        .into_any(),
        Thumb::Element(_) => {
            view! { <span class="thumb thumb-badge" aria-hidden="true">"EL"</span> }.into_any()
        }
        Thumb::None => {
            // A cast name is ASCII (`reference::is_name_char`).
            let initial = name.chars().next().unwrap_or('?').to_ascii_uppercase().to_string();
            view! { <span class="thumb thumb-badge" aria-hidden="true">{initial}</span> }.into_any()
        }
    }
}

#[component]
pub fn CastItem(name: String) -> impl IntoView {
    let editor = Editor::expect();
    let settings = Settings::expect();
    let board = editor.board;
    let name = StoredValue::new(name);
    let confirming = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let usages = Memo::new(move |_| board.with(|b| cast::usages(b, &name.get_value())));
    let detail = Memo::new(move |_| detail::line(editor, &name.get_value()));
    let thumb = thumb_of(editor, settings, &name.get_value());
    let dom_id = format!("ref-{}", name.get_value());
    let remove = Callback::new(move |()| {
        let n = name.get_value();
        if editor.remove_reference(&n).is_ok() {
            editor.say(format!(
                "@{n} removed from the cast. Undo (Ctrl+Z) brings it back."
            ));
        }
    });

    view! {
        <li
            class="cast-item"
            id=dom_id
            tabindex="-1"
            draggable="true"
            on:dragstart=move |ev| {
                if let Some(dt) = ev.data_transfer() {
                    let n = name.get_value();
                    let _ = dt.set_data("text/plain", &format!("@{n} "));
                    let _ = dt.set_data(DRAG_TYPE, &n);
                    dt.set_effect_allowed("copy");
                }
            }
        >
            <ThumbView thumb=thumb name=name.get_value() />
            <div class="cast-main">
                <CastName name=name.get_value() error />
                <span class="cast-detail">{detail}</span>
                <span class="cast-usage">
                    {move || {
                        let u = usages.get();
                        if u.is_empty() {
                            "not used yet".to_string()
                        } else {
                            format!("in {}", describe_usages(&u))
                        }
                    }}
                </span>
                <p class="cast-item-error error-text" role="alert">{move || error.get().unwrap_or_default()}</p>
                <Show when=move || confirming.get()>
                    <RemoveConfirm name=name.get_value() usages confirming remove />
                </Show>
            </div>
            <button
                class="danger small cast-remove"
                aria-label=move || format!("Remove @{}", name.get_value())
                on:click=move |_| {
                    if usages.with_untracked(Vec::is_empty) {
                        remove.run(());
                    } else {
                        confirming.set(true);
                    }
                }
            >
                "Remove"
            </button>
        </li>
    }
}

/// A source as shown on the item: uploads by a short hash.
pub fn short_src(src: &str) -> String {
    match src.strip_prefix("upload:") {
        Some(sha) => format!("uploaded · {}", &sha[..sha.len().min(10)]),
        None => src.to_string(),
    }
}
