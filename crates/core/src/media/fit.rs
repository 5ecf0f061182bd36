//! A resize plan for an image that is too many bytes or larger than it
//! needs to be: the size and format of the first re-encode, and what to
//! try next when the result is still over the byte limit. Pure arithmetic;
//! the browser does the drawing (canvas, `toBlob`) and reports back each
//! result's length.

use crate::limits::{MAX_IMAGE_BYTES, MIN_IMAGE_SIDE_PX};

use super::sniff::Kind;

/// The longest side an image is uploaded with. Kling states no maximum;
/// 4096 px is more than a 1080p video can show of a reference, and keeps
/// uploads (and the provider's fetch) small.
pub const WORKING_MAX_SIDE: u32 = 4096;
/// JPEG quality of the first re-encode, in percent (`toBlob`'s 0.9).
pub const JPEG_QUALITY_START: u8 = 90;
/// How much lower each retry's quality is.
pub const JPEG_QUALITY_STEP: u8 = 10;
/// The lowest quality tried before the picture is made smaller instead.
pub const JPEG_QUALITY_MIN: u8 = 60;
/// A retry that shrinks the picture makes each side at most this many
/// percent of the last try's.
pub const SHRINK_MAX_PERCENT: u32 = 80;

/// What to encode as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// JPEG at a quality in percent. A picture with transparency is drawn
    /// on white first.
    Jpeg {
        quality: u8,
    },
    Png,
}

impl Output {
    pub fn content_type(self) -> &'static str {
        match self {
            Output::Jpeg { .. } => "image/jpeg",
            Output::Png => "image/png",
        }
    }

    /// The quality argument of `canvas.toBlob` (0 to 1), for JPEG.
    pub fn quality(self) -> Option<f64> {
        match self {
            Output::Jpeg { quality } => Some(f64::from(quality) / 100.0),
            Output::Png => None,
        }
    }
}

/// One encode: the picture drawn at this size (as shown, after EXIF
/// orientation) and written in this format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub width: u32,
    pub height: u32,
    pub output: Output,
}

/// What to do after an encode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The result is within the byte limit: upload it.
    Done,
    /// Still too many bytes: encode again like this.
    Retry(Attempt),
    /// Still too many bytes, and a smaller picture would go under the
    /// minimum side: give up and tell the user.
    GiveUp,
}

/// A resize plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FitPlan {
    pub first: Attempt,
    /// The picture has no transparency, so a JPEG needs no white backing.
    pub opaque: bool,
    /// The byte limit every result must meet.
    pub max_bytes: u64,
}

/// `width`×`height` scaled to at most `max_side` a side, keeping the
/// aspect ratio (each side rounded, at least 1); unchanged if it fits.
pub fn fit_size(width: u32, height: u32, max_side: u32) -> (u32, u32) {
    let long = width.max(height);
    if long <= max_side || long == 0 {
        return (width, height);
    }
    let scale = |side: u32| -> u32 {
        let s = (u64::from(side) * u64::from(max_side) + u64::from(long) / 2) / u64::from(long);
        (s as u32).max(1)
    };
    (scale(width), scale(height))
}

/// The short side of a thumbnail, in pixels: the cast shows thumbnails
/// 40 px square (cropped to fill), so this is sharp up to a pixel ratio of
/// 2.4.
pub const THUMB_SHORT_SIDE: u32 = 96;

/// The size of the thumbnail of a `width`×`height` picture: its short side
/// [`THUMB_SHORT_SIDE`] (rounded, each side at least 1), or unchanged if
/// it is already that small.
pub fn thumb_size(width: u32, height: u32) -> (u32, u32) {
    let short = width.min(height);
    if short <= THUMB_SHORT_SIDE {
        return (width, height);
    }
    let scale = |side: u32| -> u32 {
        let s = (u64::from(side) * u64::from(THUMB_SHORT_SIDE) + u64::from(short) / 2)
            / u64::from(short);
        (s as u32).max(1)
    };
    (scale(width), scale(height))
}

/// The plan for an image shown at `width`×`height` (after EXIF
/// orientation) of `file_len` bytes, or `None` if it needs no change (no
/// side over [`WORKING_MAX_SIDE`], at most [`MAX_IMAGE_BYTES`]).
///
/// The first encode is at most [`WORKING_MAX_SIDE`] a side. It is JPEG at
/// [`JPEG_QUALITY_START`], except that a PNG with transparency stays PNG
/// when its bytes, scaled by the pixels kept, would be within the limit.
pub fn plan(
    width: u32,
    height: u32,
    kind: Kind,
    has_alpha: bool,
    file_len: u64,
) -> Option<FitPlan> {
    plan_with(width, height, kind, has_alpha, file_len, MAX_IMAGE_BYTES)
}

/// As [`plan`] with another byte limit.
pub fn plan_with(
    width: u32,
    height: u32,
    kind: Kind,
    has_alpha: bool,
    file_len: u64,
    max_bytes: u64,
) -> Option<FitPlan> {
    if width.max(height) <= WORKING_MAX_SIDE && file_len <= max_bytes {
        return None;
    }
    let (w, h) = fit_size(width, height, WORKING_MAX_SIDE);
    let old_pixels = u128::from(width) * u128::from(height);
    let new_pixels = u128::from(w) * u128::from(h);
    let estimate = u128::from(file_len) * new_pixels / old_pixels.max(1);
    let output = if kind == Kind::Png && has_alpha && estimate <= u128::from(max_bytes) {
        Output::Png
    } else {
        Output::Jpeg {
            quality: JPEG_QUALITY_START,
        }
    };
    Some(FitPlan {
        opaque: !has_alpha,
        first: Attempt {
            width: w,
            height: h,
            output,
        },
        max_bytes,
    })
}

impl FitPlan {
    /// What to do after `tried` gave `output_len` bytes: done if within the
    /// limit; else a PNG becomes JPEG at [`JPEG_QUALITY_START`], a JPEG's
    /// quality drops by [`JPEG_QUALITY_STEP`] down to [`JPEG_QUALITY_MIN`],
    /// and then the picture shrinks (each side by the square root of how
    /// far over it is, with a margin, and at least to
    /// [`SHRINK_MAX_PERCENT`]) until its short side would go under
    /// [`MIN_IMAGE_SIDE_PX`]. Each step lowers the quality or the size, so
    /// the retries end.
    pub fn next(&self, tried: &Attempt, output_len: u64) -> Next {
        if output_len <= self.max_bytes {
            return Next::Done;
        }
        match tried.output {
            Output::Png => {
                return Next::Retry(Attempt {
                    output: Output::Jpeg {
                        quality: JPEG_QUALITY_START,
                    },
                    ..*tried
                })
            }
            Output::Jpeg { quality } if quality >= JPEG_QUALITY_MIN + JPEG_QUALITY_STEP => {
                return Next::Retry(Attempt {
                    output: Output::Jpeg {
                        quality: quality - JPEG_QUALITY_STEP,
                    },
                    ..*tried
                })
            }
            Output::Jpeg { .. } => {}
        }
        // Bytes go roughly with pixels, so sides with its square root; 0.95
        // for a margin, and never less of a step than SHRINK_MAX_PERCENT.
        let by_bytes = (self.max_bytes as f64 / output_len as f64).sqrt() * 0.95;
        let factor = by_bytes.min(f64::from(SHRINK_MAX_PERCENT) / 100.0);
        let scale = |side: u32| ((f64::from(side) * factor).floor() as u32).max(1);
        let (width, height) = (scale(tried.width), scale(tried.height));
        if width.min(height) < MIN_IMAGE_SIDE_PX {
            return Next::GiveUp;
        }
        Next::Retry(Attempt {
            width,
            height,
            output: tried.output,
        })
    }
}
