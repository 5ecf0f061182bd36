//! The browser side of the core's HTTP calls: `fetch`, timers, the clock
//! and random bytes.

use js_sys::{Promise, Uint8Array};
use leptos::prelude::*;
use storyreel_core::transport::{Answer, HttpCall};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    js_sys::Date::now() as u64
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: u64) {
    let promise = Promise::new(&mut |resolve, _| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
            &resolve,
            ms.min(i32::MAX as u64) as i32,
        );
    });
    let _ = JsFuture::from(promise).await;
}

/// `n` bytes from `crypto.getRandomValues`; `None` without a crypto
/// source.
pub fn random_bytes(n: usize) -> Option<Vec<u8>> {
    let mut bytes = vec![0u8; n];
    window()
        .crypto()
        .ok()?
        .get_random_values_with_u8_array(&mut bytes)
        .ok()?;
    Some(bytes)
}

/// A number in 0–1 for backoff jitter.
pub fn jitter() -> f64 {
    js_sys::Math::random()
}

fn js_text(value: &JsValue) -> String {
    value
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| value.as_string())
        .unwrap_or_else(|| "the request failed".to_string())
}

fn request(call: &HttpCall) -> Result<web_sys::Request, JsValue> {
    let init = web_sys::RequestInit::new();
    init.set_method(&call.method);
    init.set_mode(web_sys::RequestMode::Cors);
    let headers = web_sys::Headers::new()?;
    for (name, value) in &call.headers {
        headers.append(name, value)?;
    }
    init.set_headers(&headers);
    if let Some(body) = &call.body {
        init.set_body(&JsValue::from_str(body));
    }
    web_sys::Request::new_with_str_and_init(&call.url, &init)
}

async fn fetch(call: &HttpCall) -> Result<web_sys::Response, String> {
    let req = request(call).map_err(|e| js_text(&e))?;
    let res = JsFuture::from(window().fetch_with_request(&req))
        .await
        .map_err(|e| js_text(&e))?;
    res.dyn_into::<web_sys::Response>()
        .map_err(|_| "not a response".to_string())
}

/// Sends `call`; any answer with a status is an [`Answer::Http`].
pub async fn send(call: &HttpCall) -> Answer {
    let res = match fetch(call).await {
        Ok(r) => r,
        Err(message) => return Answer::Network { message },
    };
    let status = res.status();
    let body = match res.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    Answer::Http { status, body }
}

/// GETs `url` as a blob; an error says why (status, network, not a video).
pub async fn fetch_blob(call: &HttpCall) -> Result<web_sys::Blob, String> {
    let res = fetch(call).await?;
    if !res.ok() {
        return Err(format!("HTTP {}", res.status()));
    }
    let kind = res
        .headers()
        .get("content-type")
        .ok()
        .flatten()
        .unwrap_or_default();
    if kind.starts_with("text/html") || kind.starts_with("application/json") {
        return Err(format!("not a video ({kind})"));
    }
    let blob = JsFuture::from(res.blob().map_err(|e| js_text(&e))?)
        .await
        .map_err(|e| js_text(&e))?;
    blob.dyn_into::<web_sys::Blob>()
        .map_err(|_| "not a blob".to_string())
}

/// The bytes of a blob (for tests).
#[allow(dead_code)]
pub async fn blob_bytes(blob: &web_sys::Blob) -> Vec<u8> {
    match JsFuture::from(blob.array_buffer()).await {
        Ok(buf) => Uint8Array::new(&buf).to_vec(),
        Err(_) => Vec::new(),
    }
}

/// Fetches `src` (a `data:` or `blob:` URL of this page) as a blob.
pub async fn blob_of(src: &str) -> Result<web_sys::Blob, String> {
    let res = JsFuture::from(window().fetch_with_str(src))
        .await
        .map_err(|e| js_text(&e))?
        .dyn_into::<web_sys::Response>()
        .map_err(|_| "not a response".to_string())?;
    let blob = JsFuture::from(res.blob().map_err(|e| js_text(&e))?)
        .await
        .map_err(|e| js_text(&e))?;
    blob.dyn_into::<web_sys::Blob>()
        .map_err(|_| "not a blob".to_string())
}

/// `POST`s `blob` as the raw body with `headers`; the answer's status and
/// text.
pub async fn post_blob(url: &str, headers: &[(String, String)], blob: &web_sys::Blob) -> Answer {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    init.set_mode(web_sys::RequestMode::Cors);
    init.set_body(blob);
    if let Ok(h) = web_sys::Headers::new() {
        for (name, value) in headers {
            let _ = h.append(name, value);
        }
        init.set_headers(&h);
    }
    let req = match web_sys::Request::new_with_str_and_init(url, &init) {
        Ok(r) => r,
        Err(e) => {
            return Answer::Network {
                message: js_text(&e),
            }
        }
    };
    let res = match JsFuture::from(window().fetch_with_request(&req)).await {
        Ok(r) => r,
        Err(e) => {
            return Answer::Network {
                message: js_text(&e),
            }
        }
    };
    let Ok(res) = res.dyn_into::<web_sys::Response>() else {
        return Answer::Network {
            message: "not a response".into(),
        };
    };
    let status = res.status();
    let body = match res.text() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|v| v.as_string())
            .unwrap_or_default(),
        Err(_) => String::new(),
    };
    Answer::Http { status, body }
}

/// Sends a list call to Kling (the account's elements, the preset
/// voices…) and reads its answer with `parse`: the items, or why not, in
/// words.
pub async fn browse<T, E: std::fmt::Display>(
    call: &HttpCall,
    parse: impl FnOnce(u16, &str) -> Result<storyreel_core::response::kling_general::Browse<T>, E>,
) -> Result<Vec<T>, String> {
    use storyreel_core::response::kling_general::Browse;
    match send(call).await {
        Answer::Network { message } => Err(format!("the server could not be reached ({message})")),
        Answer::Http { status, body } => match parse(status, &body) {
            Ok(Browse::Items(v)) => Ok(v),
            Ok(Browse::Refused(f)) => Err(format!("Kling refused: {}", f.message)),
            Err(e) => Err(format!("the answer could not be read ({e})")),
        },
    }
}
