//! The link alphabet: base64url without padding (RFC 4648 §5), which is
//! safe in a URL fragment and survives being pasted into chat and mail.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::ShareError;

pub(super) fn is_link_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

pub(super) fn encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes `text`; `offset` is how many characters precede it in the
/// fragment, so a bad character's position counts from the fragment's start.
pub(super) fn decode(text: &str, offset: usize) -> Result<Vec<u8>, ShareError> {
    if let Some((i, c)) = text.chars().enumerate().find(|(_, c)| !is_link_char(*c)) {
        return Err(ShareError::BadAlphabet {
            position: offset + i + 1,
            found: c,
        });
    }
    URL_SAFE_NO_PAD.decode(text).map_err(|e| {
        ShareError::Corrupt(match e {
            base64::DecodeError::InvalidLength(_) => {
                format!(
                    "{} characters cannot be a whole link (cut short?)",
                    text.len()
                )
            }
            base64::DecodeError::InvalidLastSymbol(..) => {
                "the last character does not end the link (cut short or changed?)".into()
            }
            other => other.to_string(),
        })
    })
}
