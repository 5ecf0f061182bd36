//! Upper and lower case through the browser's own `String` methods.
//!
//! Rust's `to_lowercase` and `to_uppercase` bring Unicode's case tables
//! (about 24 KB) into the wasm, and every table sits in the editor's first
//! load whichever lazy part uses it. The browser already has them.

use js_sys::JsString;

/// `text` in lower case, as JavaScript's `toLowerCase` gives it.
pub fn lower(text: &str) -> String {
    JsString::from(text).to_lower_case().into()
}

/// `text` in upper case, as JavaScript's `toUpperCase` gives it.
pub fn upper(text: &str) -> String {
    JsString::from(text).to_upper_case().into()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn case_follows_unicode_beyond_ascii() {
        assert_eq!(lower("ÉMILE Straße ΟΔΟΣ"), "émile straße οδος");
        assert_eq!(upper("émile"), "ÉMILE");
        assert_eq!(upper("ß"), "SS");
        assert_eq!(lower("ABC"), "abc");
    }
}
