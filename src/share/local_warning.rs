//! The warning naming the references a recipient cannot open, with an
//! upload of the files only this browser holds when the server has a
//! public address.

use leptos::prelude::*;

use super::made::Made;
use super::sharing::Sharing;
use super::upload::UploadState;

#[component]
pub fn LocalWarning(sharing: Sharing) -> impl IntoView {
    move || {
        sharing.made.with(|m| {
            m.as_ref()
                .filter(|m| !m.local_only.is_empty())
                .map(|m| warning(m, sharing))
        })
    }
}

fn warning(m: &Made, sharing: Sharing) -> impl IntoView {
    let upload_state = sharing.upload_state;
    let busy = move || upload_state.with(|s| *s == UploadState::Busy);
    let offer = (!m.uploadable.is_empty() && m.public_uploads).then(|| {
        let n = m.uploadable.len();
        view! {
            <button id="share-upload" class="small" disabled=busy on:click=move |_| sharing.upload()>
                {move || if busy() {
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
}
