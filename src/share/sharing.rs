//! The Share button's state and what its controls do: make the link,
//! select and copy it, upload the files only this browser holds.

use leptos::html::Input;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::clipboard::{copy_selection, write_clipboard};
use super::made::{Made, TakeOffer};
use super::place::popover_place;
use super::upload::{upload_all, UploadState};
use crate::settings::Settings;
use crate::state::{Editor, Status};
use crate::studio::Studio;

/// Every signal of the Share button and its popover, with the handles
/// its actions use; copied into each part.
#[derive(Clone, Copy)]
pub struct Sharing {
    editor: Editor,
    settings: Settings,
    studio: Studio,
    /// The link shown, if the popover is open.
    pub made: RwSignal<Option<Made>>,
    /// Where the popover opens: under the button, kept inside the window
    /// (the header wraps, so the button may be at either edge).
    pub place: RwSignal<String>,
    /// The link's text field.
    pub input: NodeRef<Input>,
    /// Whether the link carries the latest take's video.
    pub with_take: RwSignal<bool>,
    pub upload_state: RwSignal<UploadState>,
}

impl Sharing {
    /// Reads the context, so it is made while a component is built.
    pub fn new() -> Sharing {
        Sharing {
            editor: Editor::expect(),
            settings: Settings::expect(),
            studio: Studio::expect(),
            made: RwSignal::new(None),
            place: RwSignal::new(String::new()),
            input: NodeRef::new(),
            with_take: RwSignal::new(false),
            upload_state: RwSignal::new(UploadState::Idle),
        }
    }

    /// A link shows the board as it was: any edit closes it.
    pub fn close_on_edit(self) {
        let (board, made) = (self.editor.board, self.made);
        Effect::new(move |_| {
            board.track();
            // Only when a link is shown, so a keystroke notifies nothing here.
            if made.with_untracked(Option::is_some) {
                made.set(None);
            }
        });
    }

    /// The link as shown: with the take's video when that is chosen.
    pub fn shown_url(self) -> String {
        self.made.with(|m| {
            m.as_ref()
                .map(|m| match (&m.take, self.with_take.get()) {
                    (Some(TakeOffer::Public { url_with_take }), true) => url_with_take.clone(),
                    _ => m.url.clone(),
                })
                .unwrap_or_default()
        })
    }

    pub fn select_link(self) {
        if let Some(el) = self.input.get_untracked() {
            let _ = el.focus();
            el.select();
        }
    }

    /// Makes the link of the board as it is now and opens the popover,
    /// or says why the board cannot be shared.
    pub fn share_now(self) {
        let base = self.settings.public_uploads_base();
        let board = self.editor.board.get_untracked();
        spawn_local(async move {
            let outcome = link_of(board, base, self.studio).await;
            self.show(outcome);
        });
    }

    /// Opens the popover on a link just made, or says why there is none.
    fn show(self, outcome: Result<Made, String>) {
        match outcome {
            Ok(link) => {
                // The popover selects it (popover.rs).
                self.place.set(popover_place());
                self.made.set(Some(link));
            }
            Err(e) => {
                self.made.set(None);
                self.editor.status.set(Some(Status {
                    text: format!("Cannot share this board: {e}."),
                    is_error: true,
                }));
            }
        }
    }

    /// The Share button: a new link, any earlier upload's state gone.
    pub fn share(self) {
        self.upload_state.set(UploadState::Idle);
        self.share_now();
    }

    /// Uploads the files only this browser holds, then makes the link
    /// again.
    pub fn upload(self) {
        let (editor, settings, upload_state) = (self.editor, self.settings, self.upload_state);
        let names = self
            .made
            .with_untracked(|m| m.as_ref().map(|m| m.uploadable.clone()).unwrap_or_default());
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
                    request_animation_frame(move || self.share_now());
                }
                Err(why) => upload_state.set(UploadState::Failed(why)),
            }
        });
    }

    /// Copies the link, or leaves it selected for the user to copy.
    pub fn copy(self) {
        let url = self.shown_url();
        if url.is_empty() {
            return;
        }
        self.select_link();
        let editor = self.editor;
        spawn_local(async move {
            if write_clipboard(&url).await.is_ok() || copy_selection() {
                editor.say("Share link copied.");
            } else {
                editor.status.set(Some(Status {
                    text: "The browser did not allow copying; the link is selected, press Ctrl+C (⌘C) to copy it.".into(),
                    is_error: true,
                }));
                self.select_link();
            }
        });
    }
}

lazy! {
    /// The link of `board` (the share codec and its DEFLATE): code that
    /// loads the first time a link is made (`lazy!`, src/lazy.rs).
    fn link_of(board: storyreel_core::Board, base: Option<String>, studio: Studio) -> Result<Made, String> {
        Made::of(&board, base.as_deref(), studio).map_err(|e| e.to_string())
    }
}
