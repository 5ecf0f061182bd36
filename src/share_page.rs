//! The share page (`share.html`, its own small wasm): the board of a share
//! link, read-only. Making it one's own saves it (keeping the board it
//! replaces) and opens the editor; the editor then says what happened and
//! offers Undo.
//!
//! Links made before the share page pointed at the editor's address
//! (`/#b2.…`); `index.html` sends those here before the editor loads.

use leptos::prelude::*;
use storyreel_core::Board;

use crate::shared_view::{self, SharedView};
use crate::storage;

/// The share page's file, next to the editor's `index.html`.
pub const PAGE: &str = "share.html";

/// The share page's address for `fragment` (with its `#`), beside the
/// page at `pathname`: `/` and `/sub/index.html` give `/share.html` and
/// `/sub/share.html`.
pub fn address(pathname: &str, search: &str, fragment: &str) -> String {
    format!("{}{PAGE}{search}{fragment}", folder(pathname))
}

/// The folder of the page at `pathname`, with its last `/`.
fn folder(pathname: &str) -> &str {
    match pathname.rfind('/') {
        Some(i) => &pathname[..=i],
        None => "/",
    }
}

/// Opens the share page in place of this one when the address is a share
/// link; true if it did.
pub fn open_if_link() -> bool {
    let location = window().location();
    let hash = location.hash().unwrap_or_default();
    if !shared_view::is_link(&hash) {
        return false;
    }
    let to = address(
        &location.pathname().unwrap_or_default(),
        &location.search().unwrap_or_default(),
        &hash,
    );
    location.replace(&to).is_ok()
}

/// The editor, beside this page; replacing this page, so Back does not
/// return to the link.
fn open_editor() {
    let location = window().location();
    let pathname = location.pathname().unwrap_or_default();
    let _ = location.replace(folder(&pathname));
}

/// The page: the link's board, or why it cannot be opened; a page with no
/// link opens the editor.
#[component]
pub fn SharePage() -> impl IntoView {
    let Some(outcome) = shared_view::from_location() else {
        open_editor();
        return ().into_any();
    };
    let on_copy = Callback::new(move |board: Board| -> Result<(), String> {
        storage::copy_shared(&board)?;
        open_editor();
        Ok(())
    });
    let on_editor = Callback::new(move |()| open_editor());
    view! { <SharedView outcome on_copy on_editor /> }.into_any()
}

#[cfg(test)]
mod tests {
    use super::address;
    use crate::shared_view::is_link;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_share_page_sits_beside_the_editor() {
        assert_eq!(address("/", "", "#b2.x"), "/share.html#b2.x");
        assert_eq!(address("/sub/", "?a", "#b1.y"), "/sub/share.html?a#b1.y");
        assert_eq!(
            address("/sub/index.html", "", "#b2.z"),
            "/sub/share.html#b2.z"
        );
        assert_eq!(address("", "", "#b2.z"), "/share.html#b2.z");
    }

    #[wasm_bindgen_test]
    fn only_versioned_links_are_links() {
        assert!(is_link("#b2.abc"));
        assert!(is_link("#b1.abc"));
        assert!(!is_link("#board"));
        assert!(!is_link("#b"));
        assert!(!is_link(""));
    }
}
