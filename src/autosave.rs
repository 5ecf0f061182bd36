//! Saving the board as it changes: at once to local storage (read at
//! start-up), with a word to the other tabs on a `BroadcastChannel` at
//! most every [`ANNOUNCE_DELAY_MS`] (and when the page is hidden or left),
//! and a moment later to the library in IndexedDB.
//!
//! Two tabs on one board never overwrite each other silently: a tab that
//! hears of a newer version of its own board from another tab stops
//! saving and shows the conflict banner, where the user loads that version
//! (undoable) or keeps this tab's.

use leptos::prelude::*;
use leptos::task::spawn_local;
use storyreel_core::Board;
use wasm_bindgen::prelude::*;

use crate::library;
use crate::state::{Editor, Status};
use crate::storage;
use crate::tabs;

const CHANNEL: &str = "storyreel.boards";
/// How long the board must rest before it is written to the library.
const LIBRARY_DELAY_MS: u64 = 400;
/// How long a word to the other tabs may wait, so that a burst of typing
/// posts a few messages rather than one per key (a post copies the whole
/// board: about a tenth of a keystroke's time).
const ANNOUNCE_DELAY_MS: u64 = 250;

#[derive(Clone, Copy)]
pub struct Autosave {
    /// A newer version of this board, saved by another tab. While it is
    /// set, this tab saves nothing.
    pub conflict: RwSignal<Option<Board>>,
    /// Bumped whenever the library changed (here or in another tab).
    pub library_changed: RwSignal<u32>,
    /// When the board last changed (ms since the epoch), and whether the
    /// library write's timer is set.
    last_change: StoredValue<u64>,
    timer_armed: StoredValue<bool>,
    tab: StoredValue<String>,
    /// The board (its id and JSON) saved here but not yet announced.
    unannounced: StoredValue<Option<(String, String)>>,
}

impl Autosave {
    pub fn expect() -> Autosave {
        expect_context::<Autosave>()
    }

    /// Writes the current board to the library now and tells other tabs.
    pub async fn flush(&self, editor: Editor) -> Result<(), String> {
        if self.conflict.with_untracked(Option::is_some) {
            return Ok(());
        }
        let id = editor.board_id.get_untracked();
        let board = editor.board.get_untracked();
        library::put(&id, &board).await?;
        self.library_changed.update(|n| *n = n.wrapping_add(1));
        Ok(())
    }

    /// Tells the other tabs that `id` now holds the board written as
    /// `json`.
    pub fn announce(&self, id: &str, json: &str) {
        let message = js_sys::Object::new();
        let set = |k: &str, v: &JsValue| js_sys::Reflect::set(&message, &k.into(), v);
        let _ = set("tab", &JsValue::from_str(&self.tab.get_value()));
        let _ = set("id", &JsValue::from_str(id));
        let _ = set("board", &JsValue::from_str(json));
        tabs::post(CHANNEL, &message);
    }

    /// Announces `id` as `json` within [`ANNOUNCE_DELAY_MS`]: one timer at
    /// a time, carrying the latest version. A word still waiting about
    /// another board goes out first, at once.
    fn announce_soon(self, id: String, json: String) {
        let waiting = self
            .unannounced
            .try_update_value(|w| w.replace((id.clone(), json)))
            .flatten();
        match waiting {
            Some((other, its_json)) => {
                if other != id {
                    self.announce(&other, &its_json);
                }
            }
            None => set_timeout(
                move || self.announce_waiting(),
                std::time::Duration::from_millis(ANNOUNCE_DELAY_MS),
            ),
        }
    }

    /// Posts the word that is waiting, if any.
    fn announce_waiting(&self) {
        if let Some((id, json)) = self.unannounced.try_update_value(Option::take).flatten() {
            self.announce(&id, &json);
        }
    }

    /// Writes the board to the library once it has rested for
    /// [`LIBRARY_DELAY_MS`]: one timer at a time, however fast the board
    /// changes (a burst of typing re-arms it when it fires, not per key).
    fn library_later(self, editor: Editor) {
        self.last_change.set_value(crate::net::now_ms());
        if self.timer_armed.get_value() {
            return;
        }
        self.timer_armed.set_value(true);
        self.arm_library_timer(editor, LIBRARY_DELAY_MS);
    }

    fn arm_library_timer(self, editor: Editor, wait_ms: u64) {
        set_timeout(
            move || {
                let rested = crate::net::now_ms().saturating_sub(self.last_change.get_value());
                if rested < LIBRARY_DELAY_MS {
                    self.arm_library_timer(editor, LIBRARY_DELAY_MS - rested);
                    return;
                }
                self.timer_armed.set_value(false);
                spawn_local(async move {
                    if let Err(why) = self.flush(editor).await {
                        show_error(
                            editor,
                            format!(
                                "Not saved to the library: {why}. The board is still open here; export it to keep a copy."
                            ),
                        );
                    }
                });
            },
            std::time::Duration::from_millis(wait_ms),
        );
    }
}

fn show_error(editor: Editor, text: String) {
    editor.status.set(Some(Status {
        text,
        is_error: true,
    }));
}

/// Starts saving `editor`'s board and listening to the other tabs.
pub fn start(editor: Editor, tab: String) -> Autosave {
    let autosave = Autosave {
        conflict: RwSignal::new(None),
        library_changed: RwSignal::new(0),
        last_change: StoredValue::new(0),
        timer_armed: StoredValue::new(false),
        tab: StoredValue::new(tab.clone()),
        unannounced: StoredValue::new(None),
    };

    tabs::listen(CHANNEL, move |data| hear(editor, autosave, &tab, &data));
    // A page being left or hidden says what it saved at once.
    for event in ["pagehide", "visibilitychange"] {
        let handler = Closure::<dyn FnMut()>::new(move || autosave.announce_waiting());
        let _ = window().add_event_listener_with_callback(event, handler.as_ref().unchecked_ref());
        // Lives as long as the page.
        handler.forget();
    }

    Effect::new(move |_| {
        let id = editor.board_id.get();
        if autosave.conflict.with(Option::is_some) {
            return;
        }
        // Written as JSON once, for this tab's storage and the others.
        let json = editor.board.with(Board::to_json);
        let saved = storage::save_json(&json);
        // With the board, always: another tab on another board may have
        // written its own id in between.
        if storage::current_id().as_deref() != Some(id.as_str()) {
            storage::set_current_id(&id);
        }
        autosave.announce_soon(id, json);
        if let Err(why) = saved {
            show_error(editor, format!("Not saved: {why}."));
        }
        autosave.library_later(editor);
    });
    autosave
}

/// A message from another tab: a board was saved there.
fn hear(editor: Editor, autosave: Autosave, my_tab: &str, data: &JsValue) {
    let text = |k: &str| js_sys::Reflect::get(data, &k.into()).ok()?.as_string();
    let (Some(tab), Some(id), Some(json)) = (text("tab"), text("id"), text("board")) else {
        return;
    };
    autosave.library_changed.update(|n| *n = n.wrapping_add(1));
    if tab == my_tab || editor.board_id.with_untracked(|mine| *mine != id) {
        return;
    }
    let Ok(theirs) = Board::from_json_draft(&json) else {
        return;
    };
    if editor.board.with_untracked(|mine| *mine == theirs) {
        autosave.conflict.set(None);
        return;
    }
    autosave.conflict.set(Some(theirs));
}

/// Shown while another tab has saved a different version of this board.
#[component]
pub fn ConflictBanner() -> impl IntoView {
    let editor = Editor::expect();
    let autosave = Autosave::expect();
    let load = move |_| {
        if let Some(theirs) = autosave.conflict.get_untracked() {
            editor.replace(theirs);
            autosave.conflict.set(None);
            editor.say("Loaded the version from the other tab. Undo brings yours back.");
        }
    };
    let keep = move |_| {
        autosave.conflict.set(None);
        editor.say("Kept this tab's version; it is saved over the other tab's.");
    };
    view! {
        <Show when=move || autosave.conflict.with(Option::is_some)>
            <div id="tab-conflict" class="conflict" role="alert">
                <span>
                    "This board was changed in another tab. Nothing from this tab is saved until you choose."
                </span>
                <button id="conflict-load" on:click=load>
                    "Load that version"
                </button>
                <button id="conflict-keep" on:click=keep>
                    "Keep this tab's version"
                </button>
            </div>
        </Show>
    }
}
