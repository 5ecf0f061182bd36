//! A board opened from a share link (`#b2.…`, or an older `#b1.…`, read
//! upgraded): read-only, with an animatic of the shots, and a way to make
//! it the user's own board without losing the one already saved.
//!
//! The parts: `head` (title, summary, make a copy, back), `animatic`
//! (the shots played in turn, with its clock), `take_video` (the take a
//! link carries, which the animatic follows) and `cast`.

mod animatic;
mod cast;
mod head;
mod take_video;

use leptos::prelude::*;
use storyreel_core::{share, Board};

use animatic::{starts_of, Animatic};
use cast::SharedCast;
use head::SharedHead;
use take_video::TakeVideo;

/// The board (and take video, if linked) in the page's fragment, if the
/// fragment looks like a share link (`#b` and a version number); `Err`
/// says why it cannot be opened.
pub fn from_location() -> Option<Result<share::Shared, String>> {
    let hash = window().location().hash().ok()?;
    if !is_link(&hash) {
        return None;
    }
    let perf = window().performance();
    if let Some(p) = &perf {
        let _ = p.mark("storyreel-decode-start");
    }
    let decoded = share::decode_shared(&hash).map_err(|e| e.to_string());
    // Read by `cargo xtask bench`: the decode time of the link.
    if let Some(p) = &perf {
        let _ = p.mark("storyreel-decode-end");
        let _ = p.measure_with_start_mark_and_end_mark(
            "storyreel-share-decode",
            "storyreel-decode-start",
            "storyreel-decode-end",
        );
    }
    Some(decoded)
}

/// True when a fragment (with its `#`) is a share link: `#b` and a
/// version number.
pub fn is_link(fragment: &str) -> bool {
    fragment
        .strip_prefix("#b")
        .and_then(|rest| rest.chars().next())
        .is_some_and(|c| c.is_ascii_digit())
}

fn summary(board: &Board) -> String {
    let shots = board.shots.len();
    format!(
        "{} · {} · {} · sound {} · {} s in {} shot{}",
        board.provider.label(),
        board.resolution.label(),
        board.aspect_ratio.as_str(),
        if board.sound { "on" } else { "off" },
        board.total_seconds(),
        shots,
        if shots == 1 { "" } else { "s" }
    )
}

/// The page for a share link. `on_copy` makes the board the user's own
/// (its error is shown here); `on_editor` leaves for the user's editor.
#[component]
pub fn SharedView(
    outcome: Result<share::Shared, String>,
    on_copy: Callback<Board, Result<(), String>>,
    on_editor: Callback<()>,
) -> impl IntoView {
    let body = match outcome {
        Ok(share::Shared { board, take_url }) => {
            view! { <Shared board take_url on_copy on_editor /> }.into_any()
        }
        Err(why) => view! {
            <section id="shared-error" class="shared-error" role="alert">
                <h2>"This share link cannot be opened"</h2>
                <p class="shared-error-why">{sentence(&why)}</p>
                <p>"Your own board is untouched."</p>
                <button id="open-editor" class="primary" on:click=move |_| on_editor.run(())>
                    "Open the editor"
                </button>
            </section>
        }
        .into_any(),
    };
    view! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">"▮▮▮"</span>
                <h1>"Storyreel"</h1>
            </div>
            <span class="shared-badge">"Shared board · read-only"</span>
        </header>
        <main id="shared-view" class="shared-view">{body}</main>
    }
}

/// `why` as a sentence: first letter in upper case, a full stop at the end.
fn sentence(why: &str) -> String {
    let mut chars = why.chars();
    match chars.next() {
        Some(first) => format!(
            "{}{}.",
            crate::case::upper(first.encode_utf8(&mut [0; 4])),
            chars.as_str()
        ),
        None => String::new(),
    }
}

#[component]
fn Shared(
    board: Board,
    take_url: Option<String>,
    on_copy: Callback<Board, Result<(), String>>,
    on_editor: Callback<()>,
) -> impl IntoView {
    let durations: Vec<u32> = board.shots.iter().map(|s| s.duration.max(1)).collect();
    let prompts: Vec<String> = board.shots.iter().map(|s| s.prompt.clone()).collect();
    let starts = starts_of(&durations);
    let current = RwSignal::new(0usize);
    let playing = RwSignal::new(!durations.is_empty());

    let title = if board.title.trim().is_empty() {
        "Untitled board".to_string()
    } else {
        board.title.clone()
    };
    let overall = board.prompt.clone();
    let element_note = share::element_note(&board);
    let references = board.references.clone();
    let summary_text = summary(&board);

    view! {
        <SharedHead title summary=summary_text board on_copy on_editor />
        {(!overall.trim().is_empty())
            .then(|| {
                view! {
                    <section class="shared-overall">
                        <h2>"Direction for every shot"</h2>
                        <p>{overall}</p>
                    </section>
                }
            })}
        {take_url.map(|url| view! { <TakeVideo url starts current playing /> })}
        <Animatic durations prompts current playing />
        <SharedCast references element_note />
        <p class="shared-note">
            "Nothing here is saved until you make a copy. Making a copy keeps your current board."
        </p>
    }
}
