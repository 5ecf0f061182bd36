//! Share links: a whole board in a URL fragment, so nothing reaches a server.
//!
//! A link's fragment is `b2.` followed by the board in the link alphabet:
//!
//! 1. the board in a compact binary layout (`layout.rs`: one byte of
//!    settings, varints, strings with a length in front);
//! 2. compressed with raw DEFLATE primed by a preset dictionary of
//!    storyboard words (`pack.rs`, `dictionary.rs`);
//! 3. written in base64url without padding (`alphabet.rs`).
//!
//! Links made before board format 2 start `b1.`: the same steps with
//! version 1 of the layout (a mode bit where version 2 has the
//! resolution, element ids as numbers). They are still read, upgraded as
//! a version-1 board file is (std → 720p, pro → 1080p, an element id
//! number → its digits); only `b2.` is written.
//!
//! A link may also carry the URL of the board's finished take video, so
//! the shared view can play it ([`encode_shared`], [`decode_shared`]): an
//! optional section after the board in the layout, which links made
//! without it simply lack (they read exactly as before). The URL must be
//! one a `<video>` may be given (`take.rs`, [`check_take_url`]); a link
//! with any other is refused with [`ShareError::BadTakeUrl`].
//!
//! [`decode`] refuses, with a [`ShareError`] naming the problem and the
//! limit, a fragment over [`MAX_FRAGMENT_CHARS`], a version it does not
//! know, a character outside the alphabet, damaged data, data unpacking to
//! more than [`MAX_PAYLOAD_BYTES`], and a board the editor could not hold
//! (the checks of [`Board::from_json_draft`]). It never panics; the fuzz
//! target (`crates/core/fuzz`, body in `fuzz.rs`) holds it to that.
//!
//! References travel by URL. One that only this browser has (an upload,
//! a `blob:` or `data:` URL, a file, a loopback host) would be useless to
//! whoever opens the link: [`local_only_references`] names them so the
//! editor (and `storyreel-server share`) can say so before sharing. A
//! library character travels with its element id, its pictures and its
//! voice (layout version 2's character section); the element id works
//! only for the same Kling account, which [`element_note`] tells the
//! recipient.

mod alphabet;
mod dictionary;
mod error;
mod fuzz;
mod layout;
mod pack;
mod take;

pub use error::ShareError;
#[doc(hidden)]
pub use fuzz::{fuzz_accepted, fuzz_decode, fuzz_layout, fuzz_layout_v1};
pub use take::{check_take_url, MAX_TAKE_URL_CHARS};

use crate::board::Board;
use crate::format::BoardError;
use crate::problem::Problem;
pub use crate::reference::is_local_only;
use crate::reference::{publish_upload, ReferenceKind};
use crate::rules;
use layout::Layout;

/// The version this code writes (it reads this one and [`VERSION_V1`]).
pub const VERSION: u32 = 2;
/// What a fragment of the version written starts with.
pub const PREFIX: &str = "b2.";
/// The first version, still read.
pub const VERSION_V1: u32 = 1;
/// What a version-1 fragment starts with.
pub const PREFIX_V1: &str = "b1.";
/// The longest fragment [`decode`] reads, in characters (after any `#`).
/// Every board within the format's prompt limits fits, in any script, with
/// a take video URL at its limit too.
pub const MAX_FRAGMENT_CHARS: usize = 32 * 1024;
/// The most bytes a fragment may unpack to (the binary layout's size).
pub const MAX_PAYLOAD_BYTES: usize = 64 * 1024;

/// What a link holds: the board and, if the link carries one, the URL of
/// its take video.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    pub board: Board,
    pub take_url: Option<String>,
}

/// The fragment for `board` (without `#`), with no take. Deterministic:
/// the same board always gives the same text. A board too large to share
/// gives a fragment that [`decode`] refuses; [`encode_checked`] says so up
/// front.
pub fn encode(board: &Board) -> String {
    fragment_of(&layout::write(board, None))
}

fn fragment_of(payload: &[u8]) -> String {
    let packed = pack::compress(payload);
    let mut out = String::with_capacity(PREFIX.len() + packed.len() * 4 / 3 + 4);
    out.push_str(PREFIX);
    out.push_str(&alphabet::encode(&packed));
    out
}

/// [`encode`], refusing a board that [`decode`] would refuse for its size.
pub fn encode_checked(board: &Board) -> Result<String, ShareError> {
    encode_shared(board, None)
}

/// The fragment for `board` carrying `take_url` as its take video (none
/// gives [`encode`]'s fragment), refusing what [`decode_shared`] would
/// refuse: a take URL that [`check_take_url`] refuses, or a link too
/// large (the take counts toward the caps, but every board within the
/// prompt limits fits with any take URL).
pub fn encode_shared(board: &Board, take_url: Option<&str>) -> Result<String, ShareError> {
    if let Some(url) = take_url {
        check_take_url(url)?;
    }
    let payload = layout::write(board, take_url);
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(ShareError::TooLarge {
            max: MAX_PAYLOAD_BYTES,
        });
    }
    let fragment = fragment_of(&payload);
    if fragment.len() > MAX_FRAGMENT_CHARS {
        return Err(ShareError::TooLong {
            len: fragment.len(),
            max: MAX_FRAGMENT_CHARS,
        });
    }
    Ok(fragment)
}

/// The board in a fragment. Accepts the fragment alone, with its `#`, or a
/// whole URL (everything up to the first `#` is ignored); surrounding
/// whitespace is ignored. A take the link carries is checked (a link with
/// a bad one is refused) and left out: [`decode_shared`] gives it.
pub fn decode(text: &str) -> Result<Board, ShareError> {
    decode_shared(text).map(|shared| shared.board)
}

/// The board in a fragment and the take video's URL, if the link carries
/// one; read as [`decode`] reads it.
pub fn decode_shared(text: &str) -> Result<Shared, ShareError> {
    let text = text.trim();
    let fragment = match text.find('#') {
        Some(i) => &text[i + 1..],
        None => text,
    };
    // Measured in bytes first, so a huge input is refused before any work;
    // in a valid link bytes and characters are the same.
    if fragment.len() > MAX_FRAGMENT_CHARS {
        if fragment.chars().nth(MAX_FRAGMENT_CHARS).is_some() {
            return Err(ShareError::TooLong {
                len: fragment.chars().count(),
                max: MAX_FRAGMENT_CHARS,
            });
        }
        // Under the cap in characters, over it in bytes: not a link's text.
        return Err(first_bad_char(fragment));
    }
    if fragment.is_empty() {
        return Err(ShareError::Empty);
    }
    let (version, body) = version_body(fragment)?;
    let packed = alphabet::decode(body, fragment.len() - body.len())?;
    let payload = pack::decompress(&packed)?;
    let (board, take_url) = layout::read(version, &payload).map_err(ShareError::Corrupt)?;
    check_draft(&board)?;
    if let Some(url) = &take_url {
        check_take_url(url)?;
    }
    Ok(Shared { board, take_url })
}

/// A fragment under the byte cap only because of multi-byte characters:
/// its first non-alphabet character is the problem worth naming.
fn first_bad_char(fragment: &str) -> ShareError {
    fragment
        .chars()
        .enumerate()
        .find(|(_, c)| !(alphabet::is_link_char(*c) || *c == '.'))
        .map(|(i, c)| ShareError::BadAlphabet {
            position: i + 1,
            found: c,
        })
        .unwrap_or(ShareError::NotALink)
}

/// The layout version and the text after its marker, or why there is
/// none we read.
fn version_body(fragment: &str) -> Result<(Layout, &str), ShareError> {
    if let Some(body) = fragment.strip_prefix(PREFIX) {
        return Ok((Layout::V2, body));
    }
    if let Some(body) = fragment.strip_prefix(PREFIX_V1) {
        return Ok((Layout::V1, body));
    }
    // `b<digits>.`: a version, just not ours.
    if let Some(rest) = fragment.strip_prefix('b') {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 && rest.as_bytes().get(digits) == Some(&b'.') {
            let found: String = rest[..digits].chars().take(12).collect();
            return Err(ShareError::UnknownVersion {
                found,
                known: VERSION,
            });
        }
    }
    Err(ShareError::NotALink)
}

/// The checks of [`Board::from_json_draft`]: the timeline's hard limits,
/// which the editor never lets a board break.
fn check_draft(board: &Board) -> Result<(), ShareError> {
    let problems: Vec<Problem> = rules::check(board)
        .problems
        .into_iter()
        .filter(|p| p.is_error() && p.kind.breaks_timeline())
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ShareError::Invalid(BoardError::Invalid { problems }))
    }
}

/// The names of the references whose `src` only this browser (or this
/// machine) can reach, in cast order: anything but an `https` URL to a
/// host other than a loopback one. An element travels by its id, but a
/// library character's pictures (which fal is sent) are listed like any
/// image when one is out of reach.
pub fn local_only_references(board: &Board) -> Vec<&str> {
    board
        .references
        .iter()
        .filter(|r| {
            r.src().is_some_and(is_local_only)
                || r.character_link()
                    .is_some_and(|c| c.look.sources().into_iter().any(is_local_only))
        })
        .map(|r| r.name.as_str())
        .collect()
}

/// What whoever opens the link should know about the Kling elements it
/// cites, if it cites any by id: they work only for the Kling account
/// that made them. `None` when the board cites no element id.
pub fn element_note(board: &Board) -> Option<String> {
    let names: Vec<String> = board
        .elements()
        .filter(|r| matches!(&r.kind, ReferenceKind::Element { element_id, .. } if !element_id.is_empty()))
        .map(|r| format!("@{}", r.name))
        .collect();
    if names.is_empty() {
        return None;
    }
    let (what, them) = if names.len() == 1 {
        ("a Kling element", "it works")
    } else {
        ("Kling elements", "they work")
    };
    Some(format!(
        "This board cites {what} by id ({}); {them} only for the Kling account that made {}. With another account, make {} again from the character's pictures, or send the board to fal.",
        names.join(", "),
        if names.len() == 1 { "it" } else { "them" },
        if names.len() == 1 { "it" } else { "them" },
    ))
}

/// The board as a recipient needs it: each `upload:<sha256>` source
/// becomes `{public_uploads_base}/<sha256>` when the server that holds the
/// files has a public address; without one, uploads stay as they are (and
/// [`local_only_references`] names them).
pub fn for_recipients(board: &Board, public_uploads_base: Option<&str>) -> Board {
    let mut out = board.clone();
    let Some(base) = public_uploads_base.map(|b| b.trim_end_matches('/')) else {
        return out;
    };
    for reference in &mut out.references {
        match &mut reference.kind {
            ReferenceKind::Image { src } | ReferenceKind::Video { src, .. } => {
                publish_upload(src, base)
            }
            ReferenceKind::Element {
                character: Some(c), ..
            } => c
                .look
                .sources_mut()
                .into_iter()
                .for_each(|src| publish_upload(src, base)),
            ReferenceKind::Element { .. } => {}
        }
    }
    out
}

/// Whether a `src` is a file only this browser holds (`data:` or
/// `blob:`), which an upload to the server could make shareable.
pub fn is_browser_only(src: &str) -> bool {
    src.starts_with("data:") || src.starts_with("blob:")
}
