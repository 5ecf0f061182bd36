//! Copying the link: the clipboard API, else the older copy of the
//! selection.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

/// `navigator.clipboard.writeText(text)`, when the browser has it.
pub async fn write_clipboard(text: &str) -> Result<(), JsValue> {
    let navigator = js_sys::Reflect::get(&window(), &JsValue::from_str("navigator"))?;
    let clipboard = js_sys::Reflect::get(&navigator, &JsValue::from_str("clipboard"))?;
    if clipboard.is_undefined() || clipboard.is_null() {
        return Err(JsValue::from_str("no clipboard"));
    }
    let write: js_sys::Function =
        js_sys::Reflect::get(&clipboard, &JsValue::from_str("writeText"))?.dyn_into()?;
    let promise: js_sys::Promise = write
        .call1(&clipboard, &JsValue::from_str(text))?
        .dyn_into()?;
    wasm_bindgen_futures::JsFuture::from(promise).await?;
    Ok(())
}

/// `document.execCommand('copy')` on the selected link: older browsers and
/// pages without clipboard permission.
pub fn copy_selection() -> bool {
    let doc = document();
    js_sys::Reflect::get(&doc, &JsValue::from_str("execCommand"))
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .and_then(|f| f.call1(&doc, &JsValue::from_str("copy")).ok())
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}
