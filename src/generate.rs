//! The Generate button: disabled with the reason while the board cannot be
//! sent, then a confirm step that names the price, so one stray click
//! never spends money. The job is journaled before anything is sent, and a
//! second Generate for the same board (a double click, another tab) is
//! refused by the journal, not only by the button.

use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::cost::{self, Estimate};
use storyreel_core::job::{key_from_random, Job};
use storyreel_core::journal::{busy_with, Entry};

use crate::database::{self, NotAdded};
use crate::settings::{ServerState, Settings};
use crate::state::{Editor, Status};
use crate::studio::Studio;
use crate::{dom, jobs, net};

/// How long the confirm step waits for its click.
const CONFIRM_FOR: Duration = Duration::from_secs(6);

fn price(e: &Estimate) -> String {
    match (e.milli_usd.is_some(), e.units_text()) {
        (true, Some(units)) => format!("~{} ({units})", e.usd_text()),
        (true, None) => format!("~{}", e.usd_text()),
        (false, _) => "an unknown amount".to_string(),
    }
}

#[component]
pub fn Generate() -> impl IntoView {
    let editor = Editor::expect();
    let studio = Studio::expect();
    let settings = Settings::expect();
    let board = editor.board;
    let estimate = Memo::new(move |_| board.with_outline(cost::estimate));
    let armed = RwSignal::new(false);
    let arm_count = StoredValue::new(0u32);

    // Why Generate cannot be pressed now, if it cannot.
    let blocked = Memo::new(move |_| {
        let errors = editor.report.with(|r| r.errors().count());
        if errors > 0 {
            return Some(format!(
                "Fix {errors} problem{} first.",
                if errors == 1 { "" } else { "s" }
            ));
        }
        if board.with(|b| b.shots.iter().all(|s| s.prompt.trim().is_empty())) {
            return Some("Write a prompt first.".to_string());
        }
        let busy = studio
            .entries
            .with(|all| board.with(|b| busy_with(all, b).is_some()));
        if busy {
            return Some("This board is generating; see Jobs.".to_string());
        }
        let provider = board.with(|b| b.provider);
        let own_key = settings.fal_key.with(Option::is_some);
        // fal with the user's own key does not go through this server.
        let direct = provider == storyreel_core::Provider::Fal && own_key;
        if settings.token_missing() && !direct {
            return Some(
                "This server needs its access token: enter it in the Server settings.".to_string(),
            );
        }
        settings.server.with(|s| match s {
            ServerState::Known(st) => st
                .refusal(provider, own_key)
                .map(|r| format!("{r}."))
                .or_else(|| board.with(|b| st.uploads.refusal(b, provider, direct))),
            _ => None,
        })
    });

    let disarm_later = move || {
        let n = arm_count.get_value();
        set_timeout(
            move || {
                if arm_count.get_value() == n {
                    armed.set(false);
                }
            },
            CONFIRM_FOR,
        );
    };

    let arm = move |_| {
        if blocked.with_untracked(Option::is_some) || armed.get_untracked() {
            return;
        }
        arm_count.update_value(|n| *n += 1);
        armed.set(true);
        disarm_later();
        dom::focus_id_later("generate-confirm".to_string());
    };

    let confirm = move |_| {
        armed.set(false);
        arm_count.update_value(|n| *n += 1);
        if studio.submitting.get_value() {
            return; // the click before this one is being journaled
        }
        if let Some(why) = blocked.get_untracked() {
            editor.say(format!("Not sent: {why}"));
            return;
        }
        studio.submitting.set_value(true);
        spawn_local(submit(editor, studio, settings, estimate.get_untracked()));
    };

    let confirm_text = move || {
        let e = estimate.get();
        let provider = board.with_outline(|b| b.provider.label());
        if settings.simulated()
            && board.with_outline(|b| b.provider) == storyreel_core::Provider::Kling
        {
            format!(
                "Simulated run: nothing is charged. On Kling this would spend {}.",
                price(&e)
            )
        } else {
            format!("Spend {} on {provider}?", price(&e))
        }
    };

    view! {
        <div
            class="generate"
            role="group"
            aria-label="Generate"
            on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Escape" && armed.get_untracked() {
                    armed.set(false);
                    dom::focus_id_later("generate".to_string());
                }
            }
        >
            <button
                id="generate"
                class="primary generate-button"
                class:armed=move || armed.get()
                disabled=move || blocked.with(Option::is_some)
                aria-describedby="generate-why"
                aria-expanded=move || if armed.get() { "true" } else { "false" }
                aria-controls="generate-confirm-box"
                title=move || blocked.get().unwrap_or_default()
                on:click=arm
            >
                "Generate"
            </button>
            <Show when=move || armed.get()>
                <div id="generate-confirm-box" class="confirm-pop" role="dialog" aria-label="Confirm the spend">
                    <p>{confirm_text}</p>
                    <div class="row">
                        <button id="generate-confirm" class="primary confirm" on:click=confirm>
                            "Confirm"
                        </button>
                        <button
                            id="generate-cancel"
                            on:click=move |_| {
                                armed.set(false);
                                dom::focus_id_later("generate".to_string());
                            }
                        >
                            "Cancel"
                        </button>
                    </div>
                </div>
            </Show>
            <span id="generate-why" class="why">
                {move || blocked.get().unwrap_or_default()}
            </span>
        </div>
    }
}

fn error(editor: Editor, text: String) {
    editor.status.set(Some(Status {
        text,
        is_error: true,
    }));
}

lazy! {
    /// Journals a new job for the board as it is, then starts it; the caller
    /// has set `studio.submitting`. Its code (the provider's request) loads
    /// on the first Generate (`lazy!`, src/lazy.rs).
    fn submit(editor: Editor, studio: Studio, settings: Settings, estimate: Estimate) {
        let board = editor.board.get_untracked();
        let Some(key) = net::random_bytes(16).and_then(|b| key_from_random(&b).ok()) else {
            studio.submitting.set_value(false);
            error(
                editor,
                "Not sent: this browser has no secure random source.".into(),
            );
            return;
        };
        let created = match settings.transport().create(board.provider, &board, &key) {
            Ok(c) => c,
            Err(e) => {
                studio.submitting.set_value(false);
                error(editor, format!("Not sent: {e}."));
                return;
            }
        };
        let now = net::now_ms();
        let provider = board.provider;
        let mut entry = Entry::new(Job::new(key, provider, now), board, created.target);
        entry.estimate = Some(format!(
            "{}{}",
            estimate.usd_text(),
            estimate
                .units_text()
                .map(|u| format!(" · {u}"))
                .unwrap_or_default()
        ));
        entry.claim(&studio.tab.get_value(), now, 0);
        spawn_local(async move {
            match database::add_if_free(&entry).await {
                Ok(()) => {
                    editor.say(format!(
                        "Generation started on {}: follow it under Jobs.",
                        provider.label()
                    ));
                    jobs::started(studio, settings, entry);
                }
                Err(NotAdded::Busy(other)) => error(
                    editor,
                    format!(
                        "Not sent: this board is already generating (job {other}); a second job was not started."
                    ),
                ),
                Err(NotAdded::Storage(why)) => error(
                    editor,
                    format!("Not sent: the job could not be written to browser storage ({why}), so nothing was sent."),
                ),
            }
            studio.submitting.set_value(false);
        });
    }
}
