//! Thumbnails of cast images made on their way in, by the `upload:` source
//! they were stored as. The page shows these small local pictures instead
//! of fetching and decoding each full upload for a 40 px square. They last
//! for the session; after a reload the thumbnails come from the server.

use std::cell::RefCell;
use std::collections::HashMap;

thread_local! {
    /// `upload:<sha256>` → an object URL of the thumbnail.
    static THUMBS: RefCell<HashMap<String, String>> = RefCell::new(HashMap::new());
}

/// Keeps `blob` as the thumbnail of `src`.
pub fn remember(src: &str, blob: &web_sys::Blob) {
    let Ok(url) = web_sys::Url::create_object_url_with_blob(blob) else {
        return;
    };
    let old = THUMBS.with(|t| t.borrow_mut().insert(src.to_string(), url));
    if let Some(old) = old {
        let _ = web_sys::Url::revoke_object_url(&old);
    }
}

/// The thumbnail kept for `src`, if any.
pub fn url_for(src: &str) -> Option<String> {
    THUMBS.with(|t| t.borrow().get(src).cloned())
}
