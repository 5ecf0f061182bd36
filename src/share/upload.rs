//! Uploading the files only this browser holds, so a link carries their
//! public addresses.

use crate::state::Editor;

/// The upload offered in the share popover.
#[derive(Clone, Debug, PartialEq)]
pub enum UploadState {
    Idle,
    Busy,
    Failed(String),
}

/// Uploads the browser-only files of the references `names` to the
/// server and points each reference at its stored copy (`upload:<sha>`,
/// one undoable edit per file). Stops at the first failure, which leaves
/// that reference as it was.
pub async fn upload_all(
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
            storyreel_core::transport::Answer::Http { status, body }
                if (200..300).contains(&status) =>
            {
                storyreel_core::wire::Uploaded::parse(&body)
                    .map(|u| u.reference)
                    .ok_or_else(|| format!("the server's answer for @{name} was not an upload"))?
            }
            storyreel_core::transport::Answer::Http { body, status } => {
                let why = storyreel_core::wire::RelayError::parse(&body)
                    .map(|e| e.message().to_string())
                    .unwrap_or_else(|| format!("HTTP {status}"));
                return Err(format!("the server refused @{name}: {why}"));
            }
            storyreel_core::transport::Answer::Network { message } => {
                return Err(format!("the server could not be reached ({message})"));
            }
        };
        editor.set_reference_src(name, &stored);
        done += 1;
    }
    Ok(done)
}
