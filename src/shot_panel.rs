//! One panel per shot: its prompt, duration stepper and actions.

use leptos::prelude::*;
use storyreel_core::limits::MAX_SHOT_PROMPT_CHARS;
use storyreel_core::{cast, dialogue, problem::tenths, Location};
use wasm_bindgen::JsCast;

use crate::cast_item::{thumb_of, ThumbView, DRAG_TYPE};
use crate::dom;
use crate::prompt_field::PromptField;
use crate::settings::Settings;
use crate::state::Editor;

#[component]
pub fn ShotPanels() -> impl IntoView {
    let editor = Editor::expect();
    view! {
        <section class="shots" aria-labelledby="shots-heading">
            <h2 id="shots-heading" class="visually-hidden">"Shots"</h2>
            <ol class="shot-list">
                <For each=move || editor.keys.get() key=|k| *k let:key>
                    <ShotPanel key=key />
                </For>
            </ol>
        </section>
    }
}

#[component]
fn ShotPanel(key: u32) -> impl IntoView {
    let editor = Editor::expect();
    let board = editor.board;
    let index = Memo::new(move |_| editor.index_of(key).unwrap_or(0));
    let count = Memo::new(move |_| editor.keys.with(Vec::len));
    // This shot alone: the views below follow it, so a keystroke in
    // another shot's prompt re-runs none of them.
    let shot = Memo::new(move |_| {
        let i = index.get();
        board.with(|b| b.shots.get(i).cloned()).unwrap_or_default()
    });
    let prompt = Memo::new(move |_| shot.with(|s| s.prompt.clone()));
    let duration = Memo::new(move |_| shot.with(|s| s.duration));
    // `edit::max_duration` from the board's seconds and this shot's.
    let max_here = Memo::new(move |_| {
        let (total, max) = editor.seconds.get();
        let current = duration.get();
        max.saturating_sub(total.saturating_sub(current))
            .max(current)
    });
    let speech = Memo::new(move |_| prompt.with(|p| dialogue::tenths_needed(p)));
    // Each quoted line with who says it (the cast member cited before it).
    let lines = Memo::new(move |_| {
        let names = editor.names.get();
        let known = |n: &str| names.iter().any(|k| k == n);
        prompt.with(|p| {
            dialogue::lines(p, &known)
                .into_iter()
                .map(|l| {
                    // A library character with a voice speaks in it.
                    let voice = l.speaker.and_then(|s| {
                        board.with(|b| {
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
                .collect::<Vec<_>>()
        })
    });
    let problems = Memo::new(move |_| {
        let i = index.get();
        editor.report.with(|r| {
            r.at(&Location::Shot(i))
                .map(|p| (p.is_error(), p.message()))
                .collect::<Vec<_>>()
        })
    });
    let on_prompt = Callback::new(move |text: String| editor.set_shot_prompt(key, text));
    let settings = Settings::expect();
    // The cast this shot cites, for the chips.
    let chips = Memo::new(move |_| {
        editor.names.with(|names| {
            prompt.with(|p| {
                cast::mentioned_in(p, names.iter().map(String::as_str))
                    .into_iter()
                    .map(str::to_string)
                    .collect::<Vec<_>>()
            })
        })
    });
    // A cast item dropped on the shot (not on its prompt, where the
    // browser inserts the `@name` at the drop point) is cited at the end.
    let on_drop = move |ev: web_sys::DragEvent| {
        let Some(dt) = ev.data_transfer() else { return };
        let Ok(name) = dt.get_data(DRAG_TYPE) else {
            return;
        };
        let on_text = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .is_some_and(|el| el.tag_name() == "TEXTAREA");
        if name.is_empty() || on_text {
            return;
        }
        ev.prevent_default();
        let text = prompt.get_untracked();
        let joined = if text.trim().is_empty() {
            format!("@{name} ")
        } else {
            format!("{} @{name}", text.trim_end())
        };
        editor.set_shot_prompt(key, joined);
        editor.say(format!(
            "@{name} cited in shot {}.",
            index.get_untracked() + 1
        ));
    };
    let step = move |delta: i32| {
        let next = (duration.get_untracked() as i32 + delta).max(0) as u32;
        editor.set_duration(key, next);
    };

    view! {
        <li
            class="shot-panel"
            id=move || format!("shot-{}", index.get())
            on:dragover=move |ev: web_sys::DragEvent| {
                let ours = ev
                    .data_transfer()
                    .is_some_and(|d| d.types().iter().any(|t| t.as_string().as_deref() == Some(DRAG_TYPE)));
                if ours {
                    ev.prevent_default();
                }
            }
            on:drop=on_drop
        >
            <div class="shot-head">
                <h3>{move || format!("Shot {}", index.get() + 1)}</h3>
                <div class="stepper" role="group" aria-label=move || format!("Length of shot {}", index.get() + 1)>
                    <button
                        id=move || format!("shot-{}-shorter", index.get())
                        aria-label="One second shorter"
                        disabled=move || { duration.get() <= 1 }
                        on:click=move |_| step(-1)
                    >
                        "−"
                    </button>
                    <output id=move || format!("shot-{}-duration", index.get()) tabindex="-1" aria-live="polite">
                        {move || format!("{} s", duration.get())}
                    </output>
                    <button
                        id=move || format!("shot-{}-longer", index.get())
                        aria-label="One second longer"
                        aria-disabled=move || { if duration.get() >= max_here.get() { "true" } else { "false" } }
                        class:looks-disabled=move || { duration.get() >= max_here.get() }
                        on:click=move |_| step(1)
                    >
                        "+"
                    </button>
                </div>
                <div class="shot-actions">
                    <button
                        aria-label=move || format!("Move shot {} earlier", index.get() + 1)
                        disabled=move || index.get() == 0
                        on:click=move |_| {
                            editor.move_shot(key, index.get_untracked().saturating_sub(1));
                        }
                    >
                        "←"
                    </button>
                    <button
                        aria-label=move || format!("Move shot {} later", index.get() + 1)
                        disabled=move || { index.get() + 1 >= count.get() }
                        on:click=move |_| editor.move_shot(key, index.get_untracked() + 1)
                    >
                        "→"
                    </button>
                    <button
                        class="shot-duplicate"
                        aria-label=move || format!("Duplicate shot {}", index.get() + 1)
                        on:click=move |_| {
                            if let Some(k) = editor.duplicate_shot(key) {
                                if let Some(i) = editor.index_of(k) {
                                    dom::focus_id_later(format!("shot-{i}-prompt"));
                                }
                            }
                        }
                    >
                        "Duplicate"
                    </button>
                    <button
                        class="shot-delete danger"
                        aria-label=move || format!("Delete shot {}", index.get() + 1)
                        disabled=move || { count.get() <= 1 }
                        on:click=move |_| editor.delete_shot(key)
                    >
                        "Delete"
                    </button>
                </div>
            </div>
            {move || {
                let i = index.get();
                view! {
                    <PromptField
                        dom_id=format!("shot-{i}-prompt")
                        label=format!("Shot {} prompt", i + 1)
                        placeholder="What happens? Cite the cast with @name; put dialogue in quotes.".to_string()
                        value=prompt
                        max=MAX_SHOT_PROMPT_CHARS
                        on_change=on_prompt
                    />
                }
            }}
            <ul class="shot-chips" aria-label=move || format!("Cast in shot {}", index.get() + 1)>
                <For each=move || chips.get() key=|n| n.clone() let:n>
                    {
                        let target = format!("ref-{n}");
                        let thumb = thumb_of(editor, settings, &n);
                        view! {
                            <li>
                                <button
                                    class="chip"
                                    data-ref=n.clone()
                                    title=format!("@{n}: show in the cast")
                                    on:click=move |_| dom::focus_id(&target)
                                >
                                    <ThumbView thumb=thumb name=n.clone() />
                                    <span>"@" {n.clone()}</span>
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
            <ul class="shot-lines" aria-label=move || format!("Dialogue in shot {}", index.get() + 1)>
                {move || {
                    lines
                        .get()
                        .into_iter()
                        .map(|(speaker, text, tenths_needed, voice)| {
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
                        })
                        .collect_view()
                }}
            </ul>
            <Show when=move || { speech.get() > 0 && speech.get() <= duration.get() * 10 }>
                <p class="speech-fit">
                    {move || format!("Dialogue needs about {} s of this shot's {} s", tenths(speech.get()), duration.get())}
                </p>
            </Show>
            <ul class="shot-problems">
                {move || {
                    problems
                        .get()
                        .into_iter()
                        .map(|(is_error, msg)| {
                            view! { <li class:error=is_error class:warning=!is_error>{msg}</li> }
                        })
                        .collect_view()
                }}
            </ul>
        </li>
    }
}
