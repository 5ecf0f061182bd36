//! A shot's quoted lines: who says each (and in which voice) and the
//! time it needs, and whether the shot is long enough for them.

use leptos::prelude::*;
use storyreel_core::{dialogue, problem::tenths};

use crate::state::Editor;

/// One quoted line: the cast member cited before it, the words, the
/// tenths of a second it needs, and the voice of a library character.
type Line = (Option<String>, String, u32, Option<String>);

#[component]
pub fn ShotDialogue(
    index: Memo<usize>,
    prompt: Memo<String>,
    duration: Memo<u32>,
) -> impl IntoView {
    let editor = Editor::expect();
    let board = editor.board;
    let speech = Memo::new(move |_| prompt.with(|p| dialogue::tenths_needed(p)));
    let lines = Memo::new(move |_| {
        let names = editor.names.get();
        let known = |n: &str| names.iter().any(|k| k == n);
        prompt.with(|p| {
            dialogue::lines(p, &known)
                .into_iter()
                .map(|l| {
                    // A library character with a voice speaks in it.
                    let voice = l.speaker.and_then(|s| {
                        board.with_outline(|b| {
                            b.reference(s)
                                .and_then(|r| r.character_link())
                                .and_then(|link| link.voice.as_ref())
                                .map(|v| v.name.clone())
                        })
                    });
                    (
                        l.speaker.map(str::to_string),
                        l.text.trim().to_string(),
                        (l.seconds * 10.0).ceil() as u32,
                        voice,
                    )
                })
                .collect::<Vec<Line>>()
        })
    });

    view! {
        <ul class="shot-lines" aria-label=move || format!("Dialogue in shot {}", index.get() + 1)>
            {move || lines.get().into_iter().map(line_view).collect_view()}
        </ul>
        <Show when=move || { speech.get() > 0 && speech.get() <= duration.get() * 10 }>
            <p class="speech-fit">
                {move || format!("Dialogue needs about {} s of this shot's {} s", tenths(speech.get()), duration.get())}
            </p>
        </Show>
    }
}

fn line_view((speaker, text, tenths_needed, voice): Line) -> impl IntoView {
    let unknown = speaker.is_none();
    let who = speaker
        .map(|s| format!("@{s}"))
        .unwrap_or_else(|| "no speaker cited".to_string());
    view! {
        <li>
            <span class="speaker" class:unknown=unknown>{who}</span>
            <q>{text}</q>
            {voice.map(|v| view! { <span class="spoken-in">{format!("spoken in {v}")}</span> })}
            <span class="needs">{format!("{} s", tenths(tenths_needed))}</span>
        </li>
    }
}
