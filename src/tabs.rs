//! Talking to the app's other tabs: this tab's id and one
//! `BroadcastChannel` per topic (the boards, the jobs), opened once and
//! posted to by name.

use std::cell::RefCell;
use std::collections::HashMap;

use leptos::prelude::window;
use wasm_bindgen::prelude::*;

use crate::net;

const TAB_KEY: &str = "storyreel.tab";

thread_local! {
    static CHANNELS: RefCell<HashMap<&'static str, web_sys::BroadcastChannel>> =
        RefCell::new(HashMap::new());
}

/// This tab's id: kept in session storage, so a reload resumes its own
/// jobs at once.
pub fn tab_id() -> String {
    let store = window().session_storage().ok().flatten();
    if let Some(id) = store
        .as_ref()
        .and_then(|s| s.get_item(TAB_KEY).ok().flatten())
    {
        return id;
    }
    let id = net::random_bytes(8)
        .map(|b| storyreel_core::text::lower_hex(&b))
        .unwrap_or_else(|| format!("{}", net::now_ms()));
    let id = format!("tab-{id}");
    if let Some(s) = store {
        let _ = s.set_item(TAB_KEY, &id);
    }
    id
}

/// Opens the channel `name` and calls `on_message` with what other tabs
/// post on it. A browser without `BroadcastChannel` leaves the tab on its
/// own: posts go nowhere and nothing is heard.
pub fn listen(name: &'static str, on_message: impl FnMut(JsValue) + 'static) {
    let Ok(ch) = web_sys::BroadcastChannel::new(name) else {
        return;
    };
    let mut on_message = on_message;
    let handler =
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            on_message(ev.data())
        });
    ch.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    // The channel lives as long as the page.
    handler.forget();
    CHANNELS.with(|c| c.borrow_mut().insert(name, ch));
}

/// Posts `message` to the other tabs listening on `name`.
pub fn post(name: &'static str, message: &JsValue) {
    CHANNELS.with(|c| {
        if let Some(ch) = c.borrow().get(name) {
            let _ = ch.post_message(message);
        }
    });
}
