//! Compression: raw DEFLATE (RFC 1951, `miniz_oxide`, no C) primed with a
//! preset dictionary of storyboard words (`dictionary.rs`).
//!
//! The compressor first takes the dictionary and sync-flushes; what it
//! writes for the board after that point is a stream of its own whose
//! back-references may reach into the dictionary. The decompressor starts
//! with the dictionary already in its window (the output buffer begins with
//! it) and stops at a fixed output size, so a small link can never unpack
//! into more than [`super::MAX_PAYLOAD_BYTES`].

use miniz_oxide::deflate::core::{
    compress_to_output, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};
use miniz_oxide::inflate::core::inflate_flags::TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF;
use miniz_oxide::inflate::core::{self as inflate, DecompressorOxide};
use miniz_oxide::inflate::TINFLStatus;

use super::dictionary::DICTIONARY;
use super::{ShareError, MAX_PAYLOAD_BYTES};

/// miniz's best level; negative window bits mean raw DEFLATE (no zlib header).
const LEVEL: i32 = 10;

pub(super) fn compress(payload: &[u8]) -> Vec<u8> {
    let flags = create_comp_flags_from_zip_params(LEVEL, -15, 0);
    let mut c = CompressorOxide::new(flags);
    // The dictionary's own output is thrown away.
    let (status, _) = compress_to_output(&mut c, DICTIONARY, TDEFLFlush::Sync, |_| true);
    debug_assert_eq!(status, TDEFLStatus::Okay);
    let mut out = Vec::with_capacity(payload.len() / 2 + 16);
    let (status, _) = compress_to_output(&mut c, payload, TDEFLFlush::Finish, |chunk| {
        out.extend_from_slice(chunk);
        true
    });
    debug_assert_eq!(status, TDEFLStatus::Done);
    out
}

pub(super) fn decompress(data: &[u8]) -> Result<Vec<u8>, ShareError> {
    let start = DICTIONARY.len();
    let mut window = vec![0u8; start + MAX_PAYLOAD_BYTES];
    window[..start].copy_from_slice(DICTIONARY);
    let mut state = DecompressorOxide::new();
    let (status, used, written) = inflate::decompress(
        &mut state,
        data,
        &mut window,
        start,
        TINFL_FLAG_USING_NON_WRAPPING_OUTPUT_BUF,
    );
    match status {
        TINFLStatus::Done if used == data.len() => {
            window.truncate(start + written);
            window.drain(..start);
            Ok(window)
        }
        TINFLStatus::Done => Err(ShareError::Corrupt(format!(
            "{} bytes follow the end of the data",
            data.len() - used
        ))),
        TINFLStatus::HasMoreOutput => Err(ShareError::TooLarge {
            max: MAX_PAYLOAD_BYTES,
        }),
        TINFLStatus::NeedsMoreInput | TINFLStatus::FailedCannotMakeProgress => Err(
            ShareError::Corrupt("the data ends too early (cut short?)".into()),
        ),
        _ => Err(ShareError::Corrupt(
            "the compressed data is not valid".into(),
        )),
    }
}
