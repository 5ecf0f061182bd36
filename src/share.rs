//! The Share button: the whole board in a link (`share::encode_checked`),
//! shown in a small popover with a Copy button and a warning naming the
//! references that only this browser can reach.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::share;
use wasm_bindgen::{JsCast, JsValue};

use crate::state::{Editor, Status};

/// A link just made, and the references it cannot carry.
#[derive(Clone, Debug, PartialEq)]
struct Made {
    url: String,
    local_only: Vec<String>,
    /// That the Kling element ids it cites work for this account only.
    element_note: Option<String>,
    take: Option<TakeOffer>,
    /// References held only by this browser that an upload would fix.
    uploadable: Vec<String>,
    /// Whether the server serves uploads at a public address.
    public_uploads: bool,
}

/// The newest take of exactly this board, for the link.
#[derive(Clone, Debug, PartialEq)]
enum TakeOffer {
    /// Its video has a public address: the link may carry it.
    Public { url_with_take: String },
    /// Its video is only in this browser or on this machine.
    LocalOnly,
}

/// The offer for the newest take of `board`, if there is one.
fn take_offer(
    studio: crate::studio::Studio,
    board: &storyreel_core::Board,
    fragment_with: impl Fn(&str) -> Option<String>,
) -> Option<TakeOffer> {
    let video = studio.takes.with_untracked(|takes| {
        takes
            .iter()
            .rev()
            .find(|t| t.take.board == *board)
            .map(|t| t.take.video_url.clone())
    })?;
    if share::is_local_only(&video) || share::check_take_url(&video).is_err() {
        return Some(TakeOffer::LocalOnly);
    }
    Some(match fragment_with(&video) {
        Some(fragment) => TakeOffer::Public {
            url_with_take: link_for(&fragment),
        },
        None => TakeOffer::LocalOnly,
    })
}

/// The page's address without its fragment, followed by `#fragment`.
fn link_for(fragment: &str) -> String {
    let location = window().location();
    format!(
        "{}{}#{fragment}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    )
}

/// `navigator.clipboard.writeText(text)`, when the browser has it.
async fn write_clipboard(text: &str) -> Result<(), JsValue> {
    let navigator = js_sys::Reflect::get(&window(), &JsValue::from_str("navigator"))?;
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err(JsValue::from_str("no clipboard"));
    }
    let write: js_sys::Function =
        js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))?.dyn_into()?;
    let promise: js_sys::Promise = write
        .call1(&clipboard, &JsValue::from_str(text))?
        .dyn_into()?;
    wasm_bindgen_futures::JsFuture::from(promise).await?;
    Ok(())
}

/// `document.execCommand('copy')` on the selected link: older browsers and
/// pages without clipboard permission.
fn copy_selection() -> bool {
    let doc = document();
    js_sys::Reflect::get(&doc, &JsValue::from_str("execCommand"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&doc, &JsValue::from_str("copy")).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

/// Width of the popover in CSS pixels (as in `style/main.css`).
const POPOVER_WIDTH: f64 = 460.0;

/// `top`/`left` for the fixed popover, from the Share button's box.
fn popover_place() -> String {
    let Some(button) = document().get_element_by_id("share") else {
        return String::new();
    };
    let rect = button.get_bounding_client_rect();
    let view = window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .unwrap_or(1280.0);
    let width = POPOVER_WIDTH.min(view - 24.0);
    let left = (rect.right() - width).clamp(12.0, (view - width - 12.0).max(12.0));
    format!("top: {:.0}px; left: {left:.0}px;", rect.bottom() + 8.0)
}

#[component]
pub fn ShareButton() -> impl IntoView {
    let editor = Editor::expect();
    let made = RwSignal::new(None::<Made>);
    // Where the popover opens: under the button, kept inside the window
    // (the header wraps, so the button may be at either edge).
    let place = RwSignal::new(String::new());
    let input = NodeRef::<leptos::html::Input>::new();
    let with_take = RwSignal::new(false);
    let studio = crate::studio::Studio::expect();
    let settings = crate::settings::Settings::expect();
    let upload_state = RwSignal::new(UploadState::Idle);
    let shown_url = move || {
        made.with(|m| {
            m.as_ref()
                .map(|m| match (&m.take, with_take.get()) {
                    (Some(TakeOffer::Public { url_with_take }), true) => url_with_take.clone(),
                    _ => m.url.clone(),
                })
                .unwrap_or_default()
        })
    };

    // A link shows the board as it was: any edit makes it stale.
    Effect::new(move |_| {
        editor.board.track();
        // Only when a link is shown, so a keystroke notifies nothing here.
        if made.with_untracked(Option::is_some) {
            made.set(None);
        }
    });

    let select_link = move || {
        if let Some(el) = input.get_untracked() {
            let _ = el.focus();
            el.select();
        }
    };

    let share_now = move || {
        let base = settings.public_uploads_base();
        let outcome = editor.board.with_untracked(|mine| {
            // What the recipient gets: server files by their public links.
            let b = &share::for_recipients(mine, base.as_deref());
            share::encode_checked(b).map(|fragment| Made {
                url: link_for(&fragment),
                local_only: share::local_only_references(b)
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
                element_note: share::element_note(b),
                take: take_offer(studio, b, |video| share::encode_shared(b, Some(video)).ok()),
                uploadable: b
                    .references
                    .iter()
                    .filter(|r| r.src().is_some_and(share::is_browser_only))
                    .map(|r| r.name.clone())
                    .collect(),
                public_uploads: base.is_some(),
            })
        });
        match outcome {
            Ok(link) => {
                place.set(popover_place());
                made.set(Some(link));
                request_animation_frame(select_link);
            }
            Err(e) => {
                made.set(None);
                editor.status.set(Some(Status {
                    text: format!("Cannot share this board: {e}."),
                    is_error: true,
                }));
            }
        }
    };
    let on_share = move |_| {
        upload_state.set(UploadState::Idle);
        share_now();
    };
    let on_upload = move |_| {
        let names =
            made.with_untracked(|m| m.as_ref().map(|m| m.uploadable.clone()).unwrap_or_default());
        upload_state.set(UploadState::Busy);
        spawn_local(async move {
            match upload_all(editor, settings, &names).await {
                Ok(count) => {
                    upload_state.set(UploadState::Idle);
                    editor.say(format!(
                        "Uploaded {count} file{}; the link now carries their public addresses.",
                        if count == 1 { "" } else { "s" }
                    ));
                    // The edit closed the popover: open it again on the new board.
                    request_animation_frame(share_now);
                }
                Err(why) => upload_state.set(UploadState::Failed(why)),
            }
        });
    };

    let on_copy = move |_| {
        let url = shown_url();
        if url.is_empty() {
            return;
        }
        select_link();
        spawn_local(async move {
            if write_clipboard(&url).await.is_ok() || copy_selection() {
                editor.say("Share link copied.");
            } else {
                editor.status.set(Some(Status {
                    text: "The browser did not allow copying; the link is selected, press Ctrl+C (⌘C) to copy it.".into(),
                    is_error: true,
                }));
                select_link();
            }
        });
    };

    view! {
        <div class="share">
            <button
                id="share"
                title="A link that holds the whole board; nothing is uploaded"
                aria-expanded=move || made.with(Option::is_some).to_string()
                aria-controls="share-popover"
                on:click=on_share
            >
                "Share"
            </button>
            <Show when=move || made.with(Option::is_some)>
                <div
                    id="share-popover"
                    class="share-popover"
                    style=move || place.get()
                    role="dialog"
                    aria-label="Share link"
                    on:keydown=move |ev| {
                        if ev.key() == "Escape" {
                            made.set(None);
                            crate::dom::focus_id("share");
                        }
                    }
                >
                    <div class="share-popover-head">
                        <label for="share-link">"Share link"</label>
                        <button
                            class="status-close"
                            id="share-close"
                            aria-label="Close"
                            on:click=move |_| made.set(None)
                        >
                            "×"
                        </button>
                    </div>
                    <div class="share-row">
                        <input
                            id="share-link"
                            type="text"
                            readonly
                            node_ref=input
                            prop:value=shown_url
                            on:focus=move |_| select_link()
                        />
                        <button id="share-copy" class="primary" on:click=on_copy>
                            "Copy"
                        </button>
                    </div>
                    <p class="share-note">
                        "The whole board is inside the link; nothing is uploaded. Later edits are not in it."
                    </p>
                    {move || {
                        made.with(|m| match m.as_ref().and_then(|m| m.take.clone()) {
                            Some(TakeOffer::Public { .. }) => Some(view! {
                                <label class="share-take check">
                                    <input
                                        id="share-take"
                                        type="checkbox"
                                        prop:checked=with_take
                                        on:change=move |ev| {
                                            with_take.set(event_target_checked(&ev));
                                            request_animation_frame(select_link);
                                        }
                                    />
                                    " Include the video of the latest take (its link is in the address)"
                                </label>
                            }.into_any()),
                            Some(TakeOffer::LocalOnly) => Some(view! {
                                <p id="share-take-local" class="share-note">
                                    "The latest take's video is stored only on this machine, so the link cannot include it."
                                </p>
                            }.into_any()),
                            None => None,
                        })
                    }}
                    {move || {
                        made.with(|m| m.as_ref().and_then(|m| m.element_note.clone())).map(|note| {
                            view! { <p id="share-element-note" class="share-note" role="note">{note}</p> }
                        })
                    }}
                    {move || {
                        made.with(|m| {
                            m.as_ref()
                                .filter(|m| !m.local_only.is_empty())
                                .map(|m| {
                                    let offer = (!m.uploadable.is_empty() && m.public_uploads)
                                        .then(|| {
                                            let n = m.uploadable.len();
                                            view! {
                                                <button
                                                    id="share-upload"
                                                    class="small"
                                                    disabled=move || upload_state.with(|s| *s == UploadState::Busy)
                                                    on:click=on_upload
                                                >
                                                    {move || if upload_state.with(|s| *s == UploadState::Busy) {
                                                        "Uploading…".to_string()
                                                    } else {
                                                        format!("Upload {n} file{} and share", if n == 1 { "" } else { "s" })
                                                    }}
                                                </button>
                                            }
                                        });
                                    let no_public = (!m.public_uploads).then(|| view! {
                                        <span class="share-hint">
                                            " Files kept by this server can't be opened by others either: it has no public address (start it with --public-base-url)."
                                        </span>
                                    });
                                    view! {
                                        <p id="share-warning" class="share-warning" role="note">
                                            {format!(
                                                "These references are only in this browser/server and won't open for others: {}.",
                                                m.local_only.join(", "),
                                            )}
                                            {no_public}
                                        </p>
                                        {offer}
                                        <p id="share-upload-error" class="error-text" role="alert">
                                            {move || match upload_state.get() {
                                                UploadState::Failed(why) => format!("Not uploaded: {why}. The board is unchanged."),
                                                _ => String::new(),
                                            }}
                                        </p>
                                    }
                                })
                        })
                    }}
                </div>
            </Show>
        </div>
    }
}

/// The upload offered in the share popover.
#[derive(Clone, Debug, PartialEq)]
enum UploadState {
    Idle,
    Busy,
    Failed(String),
}

/// Uploads the browser-only files of the references `names` to the
/// server and points each reference at its stored copy (`upload:<sha>`,
/// one undoable edit per file). Stops at the first failure, which leaves
/// that reference as it was.
async fn upload_all(
    editor: Editor,
    settings: crate::settings::Settings,
    names: &[String],
) -> Result<usize, String> {
    let transport = settings.transport();
    let url = transport.uploads_url();
    let headers = transport.api_headers();
    let mut done = 0;
    for name in names {
        let Some(src) = editor.board.with_untracked(|b| {
            b.references
                .iter()
                .find(|r| &r.name == name)
                .and_then(|r| r.src().map(str::to_string))
        }) else {
            continue;
        };
        let blob = crate::net::blob_of(&src)
            .await
            .map_err(|e| format!("@{name} could not be read ({e})"))?;
        let stored = match crate::net::post_blob(&url, &headers, &blob).await {
            storyreel_core::journal::Answer::Http { status, body }
                if (200..300).contains(&status) =>
            {
                storyreel_core::wire::Uploaded::parse(&body)
                    .map(|u| u.reference)
                    .ok_or_else(|| format!("the server's answer for @{name} was not an upload"))?
            }
            storyreel_core::journal::Answer::Http { body, status } => {
                let why = storyreel_core::wire::RelayError::parse(&body)
                    .map(|e| e.message().to_string())
                    .unwrap_or_else(|| format!("HTTP {status}"));
                return Err(format!("the server refused @{name}: {why}"));
            }
            storyreel_core::journal::Answer::Network { message } => {
                return Err(format!("the server could not be reached ({message})"));
            }
        };
        editor.set_reference_src(name, &stored);
        done += 1;
    }
    Ok(done)
}
