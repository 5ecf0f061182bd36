//! The body of the share-link fuzz target (`crates/core/fuzz`), here so the
//! stable test `tests/it/share_fuzz.rs` can replay its corpus without nightly.
//!
//! Each input is tried four ways, each reaching further in: as the text a
//! user might paste (lossy UTF-8), as the packed bytes of a link (written
//! in the link alphabet after `b2.`, so the inflater sees them), and as a
//! binary layout packed the way the encoder packs it, once after `b2.` and
//! once after `b1.` (so each version's layout reader sees every byte). A
//! refusal is fine. A board that is accepted must survive being shared
//! again: its layout is the only one it has in the version it was read
//! from, and encoding it (always as version 2) with its take and decoding
//! the result gives both back. A panic from here is a finding.

use super::layout::{self, Layout};
use super::{alphabet, decode_shared, encode_shared, fragment_of, pack};
use super::{ShareError, Shared, MAX_PAYLOAD_BYTES, PREFIX, PREFIX_V1};
use crate::board::Board;

/// Decodes `data` every way a link can be given and checks that whatever
/// is accepted round-trips. Panics only on a broken round trip.
#[doc(hidden)]
pub fn fuzz_decode(data: &[u8]) {
    fuzz_accepted(data);
}

/// [`fuzz_decode`], saying how many of the four readings of `data` were
/// accepted (and so round-tripped): a replay can tell that its inputs reach
/// the checks.
#[doc(hidden)]
pub fn fuzz_accepted(data: &[u8]) -> usize {
    let mut accepted = usize::from(round_trips(&String::from_utf8_lossy(data), None));
    accepted += usize::from(round_trips(
        &format!("{PREFIX}{}", alphabet::encode(data)),
        None,
    ));
    if data.len() <= MAX_PAYLOAD_BYTES {
        accepted += usize::from(round_trips(&fragment_of(data), Some((Layout::V2, data))));
        let v1 = format!("{PREFIX_V1}{}", alphabet::encode(&pack::compress(data)));
        accepted += usize::from(round_trips(&v1, Some((Layout::V1, data))));
    }
    accepted
}

/// The version-2 binary layout of `board` with `take_url` (for seeding
/// the fuzzer: fed to [`fuzz_decode`], it is decoded as a layout).
#[doc(hidden)]
pub fn fuzz_layout(board: &Board, take_url: Option<&str>) -> Vec<u8> {
    layout::write(board, take_url)
}

/// The version-1 binary layout of `board` with `take_url`, as links were
/// written before board format 2, or `None` if version 1 cannot hold the
/// board (4K, an element id that is not a number).
#[doc(hidden)]
pub fn fuzz_layout_v1(board: &Board, take_url: Option<&str>) -> Option<Vec<u8>> {
    layout::write_v1(board, take_url)
}

/// If `text` is accepted, what it holds is shared again unchanged; `read`
/// is the layout it was packed from, and its version, when known. Whether
/// it was accepted.
fn round_trips(text: &str, read: Option<(Layout, &[u8])>) -> bool {
    let Ok(shared) = decode_shared(text) else {
        return false;
    };
    let take = shared.take_url.as_deref();
    let written = layout::write(&shared.board, take);
    if let Some((version, read)) = read {
        let again = match version {
            Layout::V2 => Some(written.clone()),
            Layout::V1 => layout::write_v1(&shared.board, take),
        };
        let Some(again) = again else {
            panic!("a board read from a version-1 layout has none: {shared:?}");
        };
        if again != read {
            let at = again
                .iter()
                .zip(read)
                .position(|(w, r)| w != r)
                .unwrap_or(again.len().min(read.len()));
            panic!(
                "a second {version:?} layout for one board: the layout read ({} bytes) and \
                 the one written ({} bytes) differ from byte {at}: {shared:?}",
                read.len(),
                again.len()
            );
        }
    }
    match layout::read(Layout::V2, &written) {
        Ok((board, take_url)) => assert_eq!(
            Shared { board, take_url },
            shared,
            "the layout does not read back"
        ),
        Err(e) => panic!("the layout of an accepted board is refused ({e}): {shared:?}"),
    }
    match encode_shared(&shared.board, take) {
        Ok(fragment) => assert_eq!(
            decode_shared(&fragment).as_ref(),
            Ok(&shared),
            "shared again, the link reads differently: {fragment}"
        ),
        // The link's maker may have packed tighter than our compressor.
        Err(ShareError::TooLong { .. }) => {}
        Err(e) => panic!("an accepted board cannot be shared again ({e}): {shared:?}"),
    }
    true
}
