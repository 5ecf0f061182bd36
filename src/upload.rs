//! Sending a file to `storyreel-server` with progress: `POST /api/uploads`
//! through `XMLHttpRequest`, whose upload events `fetch` does not have.
//! The server stores it by its SHA-256 and answers `upload:<sha256>`.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::Promise;
use storyreel_core::wire::{RelayError, Uploaded};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// What the server stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Stored {
    /// `upload:<sha256>`, the board's `src`.
    pub reference: String,
    /// Where the server serves it (for thumbnails).
    pub url: String,
    pub bytes: u64,
}

/// Posts `blob` to `url`, calling `progress` with the fraction sent (0–1).
/// Errors are sentences for the item's message.
pub async fn send(
    url: &str,
    headers: &[(String, String)],
    blob: &web_sys::Blob,
    progress: impl Fn(f64) + 'static,
) -> Result<Stored, String> {
    let xhr = web_sys::XmlHttpRequest::new().map_err(|_| "this browser cannot upload files")?;
    xhr.open_with_async("POST", url, true)
        .map_err(|_| "the upload address is not valid".to_string())?;
    for (name, value) in headers {
        xhr.set_request_header(name, value)
            .map_err(|_| "the upload could not be prepared".to_string())?;
    }
    let upload = xhr
        .upload()
        .map_err(|_| "this browser cannot report upload progress")?;
    let on_progress =
        Closure::<dyn Fn(web_sys::ProgressEvent)>::new(move |ev: web_sys::ProgressEvent| {
            if ev.length_computable() && ev.total() > 0.0 {
                progress((ev.loaded() / ev.total()).clamp(0.0, 1.0));
            }
        });
    upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));

    // Resolves on loadend, whatever happened; the status says what.
    let slot: Rc<RefCell<Option<js_sys::Function>>> = Rc::new(RefCell::new(None));
    let done = Promise::new(&mut |resolve, _| {
        *slot.borrow_mut() = Some(resolve);
    });
    let resolve = slot.borrow_mut().take();
    let on_end = Closure::<dyn Fn()>::new(move || {
        if let Some(r) = &resolve {
            let _ = r.call0(&JsValue::NULL);
        }
    });
    xhr.set_onloadend(Some(on_end.as_ref().unchecked_ref()));
    xhr.send_with_opt_blob(Some(blob))
        .map_err(|_| "the upload could not start".to_string())?;
    let _ = JsFuture::from(done).await;
    upload.set_onprogress(None);
    xhr.set_onloadend(None);
    drop((on_progress, on_end));

    let status = xhr.status().unwrap_or(0);
    let body = xhr.response_text().ok().flatten().unwrap_or_default();
    answer(status, &body)
}

/// Posts `file` to the uploads of the server `settings` name, without
/// progress.
pub async fn send_file(
    settings: crate::settings::Settings,
    file: &web_sys::File,
) -> Result<Stored, String> {
    let transport = settings.transport();
    send(
        &transport.uploads_url(),
        &transport.api_headers(),
        file,
        |_| {},
    )
    .await
}

/// Reads the server's answer to an upload (the core's `Uploaded`, or its
/// `RelayError` when refused).
fn answer(status: u16, body: &str) -> Result<Stored, String> {
    if status == 0 {
        return Err("the server could not be reached; nothing was stored".into());
    }
    if !(200..300).contains(&status) {
        let why = RelayError::parse(body)
            .map(|e| e.message().to_string())
            .unwrap_or_else(|| format!("HTTP {status}"));
        return Err(format!("the server refused the file: {why}"));
    }
    let stored = Uploaded::parse(body).ok_or("the server's answer was not an upload")?;
    Ok(Stored {
        reference: stored.reference,
        url: stored.url,
        bytes: stored.bytes,
    })
}
