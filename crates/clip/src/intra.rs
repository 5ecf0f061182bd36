//! Intra 16×16 and chroma prediction, and the search for a prediction that
//! reproduces a macroblock exactly with at most one constant DC offset per
//! plane (which CAVLC codes in a handful of bits).

use crate::picture::Picture;

/// Luma Intra_16x16 prediction modes (Table 8-4).
pub const LUMA_VERTICAL: u8 = 0;
pub const LUMA_HORIZONTAL: u8 = 1;
pub const LUMA_DC: u8 = 2;
/// intra_chroma_pred_mode values (Table 7-16).
pub const CHROMA_DC: u8 = 0;
pub const CHROMA_HORIZONTAL: u8 = 1;
pub const CHROMA_VERTICAL: u8 = 2;

/// How an Intra_16x16 macroblock reproduces its samples: prediction modes and
/// the constant residual added to every sample of each plane.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Intra16 {
    pub luma_mode: u8,
    pub chroma_mode: u8,
    pub luma_offset: i32,
    pub cb_offset: i32,
    pub cr_offset: i32,
}

/// Finds an exact Intra_16x16 coding for macroblock (mx, my) of `pic`, whose
/// neighbours above and to the left are already decoded (same slice).
pub fn find(pic: &Picture, mx: usize, my: usize) -> Option<Intra16> {
    if let Some(flat) = find_flat(pic, mx, my) {
        return Some(flat);
    }
    let (luma_mode, luma_offset) = best(&[LUMA_VERTICAL, LUMA_HORIZONTAL, LUMA_DC], |m| {
        constant_offset(&luma_block(pic, mx, my), &luma_pred(pic, mx, my, m)?)
    })?;
    let (chroma_mode, (cb_offset, cr_offset)) =
        best(&[CHROMA_DC, CHROMA_HORIZONTAL, CHROMA_VERTICAL], |m| {
            let cb = constant_offset(
                &chroma_block(&pic.cb, pic.width / 2, mx, my),
                &chroma_pred(&pic.cb, pic.width / 2, mx, my, m)?,
            )?;
            let cr = constant_offset(
                &chroma_block(&pic.cr, pic.width / 2, mx, my),
                &chroma_pred(&pic.cr, pic.width / 2, mx, my, m)?,
            )?;
            Some((cb, cr))
        })?;
    Some(Intra16 {
        luma_mode,
        chroma_mode,
        luma_offset,
        cb_offset,
        cr_offset,
    })
}

/// The same answer as the full search, found cheaply, for the common
/// case of a flat macroblock in a flat area (the background of a shot):
/// every plane holds one value and the neighbours the predictions read
/// hold it too, so the first mode of each list that reads them predicts
/// the macroblock exactly with no offset. None for anything else, which
/// the full search handles. This keeps the first picture of a 4K shot
/// (32,400 macroblocks) cheap.
fn find_flat(pic: &Picture, mx: usize, my: usize) -> Option<Intra16> {
    let w = pic.width;
    let cw = w / 2;
    let v = pic.y[my * 16 * w + mx * 16];
    let (cb, cr) = (pic.cb[my * 8 * cw + mx * 8], pic.cr[my * 8 * cw + mx * 8]);
    let row_is = |plane: &[u8], start: usize, len: usize, value: u8| {
        plane[start..start + len].iter().all(|&s| s == value)
    };
    let col_is = |plane: &[u8], stride: usize, start: usize, len: usize, value: u8| {
        (0..len).all(|r| plane[start + r * stride] == value)
    };
    let flat = (0..16).all(|r| row_is(&pic.y, (my * 16 + r) * w + mx * 16, 16, v))
        && (0..8).all(|r| {
            let s = (my * 8 + r) * cw + mx * 8;
            row_is(&pic.cb, s, 8, cb) && row_is(&pic.cr, s, 8, cr)
        });
    if !flat {
        return None;
    }
    // Luma: vertical is tried first, then horizontal.
    let top_luma = my > 0 && row_is(&pic.y, (my * 16 - 1) * w + mx * 16, 16, v);
    let left_luma = mx > 0 && col_is(&pic.y, w, my * 16 * w + mx * 16 - 1, 16, v);
    let luma_mode = if top_luma {
        LUMA_VERTICAL
    } else if left_luma {
        LUMA_HORIZONTAL
    } else {
        return None;
    };
    // Chroma: DC is tried first; it predicts the value exactly when every
    // neighbour it can read holds it (and at least one can be read).
    if mx == 0 && my == 0 {
        return None;
    }
    let top_ok = my == 0 || {
        let s = (my * 8 - 1) * cw + mx * 8;
        row_is(&pic.cb, s, 8, cb) && row_is(&pic.cr, s, 8, cr)
    };
    let left_ok = mx == 0 || {
        let s = my * 8 * cw + mx * 8 - 1;
        col_is(&pic.cb, cw, s, 8, cb) && col_is(&pic.cr, cw, s, 8, cr)
    };
    (top_ok && left_ok).then_some(Intra16 {
        luma_mode,
        chroma_mode: CHROMA_DC,
        luma_offset: 0,
        cb_offset: 0,
        cr_offset: 0,
    })
}

/// The first mode whose offsets are all zero, else the first that works at all.
fn best<T: Copy + Cost>(modes: &[u8], f: impl Fn(u8) -> Option<T>) -> Option<(u8, T)> {
    let found: Vec<(u8, T)> = modes.iter().filter_map(|&m| f(m).map(|t| (m, t))).collect();
    found.iter().copied().min_by_key(|(_, t)| t.cost())
}

trait Cost {
    fn cost(&self) -> u32;
}

impl Cost for i32 {
    fn cost(&self) -> u32 {
        self.unsigned_abs()
    }
}

impl Cost for (i32, i32) {
    fn cost(&self) -> u32 {
        self.0.unsigned_abs() + self.1.unsigned_abs()
    }
}

fn constant_offset(actual: &[u8], pred: &[u8]) -> Option<i32> {
    let d = i32::from(actual[0]) - i32::from(pred[0]);
    actual
        .iter()
        .zip(pred)
        .all(|(&a, &p)| i32::from(a) - i32::from(p) == d)
        .then_some(d)
}

fn luma_block(pic: &Picture, mx: usize, my: usize) -> [u8; 256] {
    let mut out = [0; 256];
    for r in 0..16 {
        let s = (my * 16 + r) * pic.width + mx * 16;
        out[r * 16..r * 16 + 16].copy_from_slice(&pic.y[s..s + 16]);
    }
    out
}

fn chroma_block(plane: &[u8], stride: usize, mx: usize, my: usize) -> [u8; 64] {
    let mut out = [0; 64];
    for r in 0..8 {
        let s = (my * 8 + r) * stride + mx * 8;
        out[r * 8..r * 8 + 8].copy_from_slice(&plane[s..s + 8]);
    }
    out
}

/// The Intra_16x16 luma prediction for `mode`, or None when it needs a
/// neighbour that is outside the picture.
pub fn luma_pred(pic: &Picture, mx: usize, my: usize, mode: u8) -> Option<[u8; 256]> {
    let w = pic.width;
    let top: Option<Vec<u8>> = (my > 0).then(|| {
        let s = (my * 16 - 1) * w + mx * 16;
        pic.y[s..s + 16].to_vec()
    });
    let left: Option<Vec<u8>> = (mx > 0).then(|| {
        (0..16)
            .map(|r| pic.y[(my * 16 + r) * w + mx * 16 - 1])
            .collect()
    });
    let mut out = [0u8; 256];
    match mode {
        LUMA_VERTICAL => {
            let top = top?;
            for r in 0..16 {
                out[r * 16..r * 16 + 16].copy_from_slice(&top);
            }
        }
        LUMA_HORIZONTAL => {
            let left = left?;
            for r in 0..16 {
                out[r * 16..r * 16 + 16].fill(left[r]);
            }
        }
        LUMA_DC => {
            let sum = |v: &Vec<u8>| v.iter().map(|&s| u32::from(s)).sum::<u32>();
            let dc = match (&top, &left) {
                (Some(t), Some(l)) => (sum(t) + sum(l) + 16) >> 5,
                (None, Some(l)) => (sum(l) + 8) >> 4,
                (Some(t), None) => (sum(t) + 8) >> 4,
                (None, None) => 128,
            };
            out.fill(dc as u8);
        }
        _ => return None,
    }
    Some(out)
}

/// The 8×8 chroma prediction of one plane for intra_chroma_pred_mode `mode`.
pub fn chroma_pred(
    plane: &[u8],
    stride: usize,
    mx: usize,
    my: usize,
    mode: u8,
) -> Option<[u8; 64]> {
    let top: Option<Vec<u8>> = (my > 0).then(|| {
        let s = (my * 8 - 1) * stride + mx * 8;
        plane[s..s + 8].to_vec()
    });
    let left: Option<Vec<u8>> = (mx > 0).then(|| {
        (0..8)
            .map(|r| plane[(my * 8 + r) * stride + mx * 8 - 1])
            .collect()
    });
    let mut out = [0u8; 64];
    match mode {
        CHROMA_VERTICAL => {
            let top = top?;
            for r in 0..8 {
                out[r * 8..r * 8 + 8].copy_from_slice(&top);
            }
        }
        CHROMA_HORIZONTAL => {
            let left = left?;
            for r in 0..8 {
                out[r * 8..r * 8 + 8].fill(left[r]);
            }
        }
        CHROMA_DC => {
            for (xo, yo) in [(0usize, 0usize), (4, 0), (0, 4), (4, 4)] {
                let st = top
                    .as_ref()
                    .map(|t| t[xo..xo + 4].iter().map(|&s| u32::from(s)).sum::<u32>());
                let sl = left
                    .as_ref()
                    .map(|l| l[yo..yo + 4].iter().map(|&s| u32::from(s)).sum::<u32>());
                let dc = match (xo, yo, st, sl) {
                    // Blocks on the diagonal use both neighbours when they can.
                    (0, 0, Some(t), Some(l)) | (4, 4, Some(t), Some(l)) => (t + l + 4) >> 3,
                    // The top-right block prefers the top, the bottom-left the left.
                    (4, 0, Some(t), _) => (t + 2) >> 2,
                    (0, 4, _, Some(l)) => (l + 2) >> 2,
                    (_, _, _, Some(l)) => (l + 2) >> 2,
                    (_, _, Some(t), None) => (t + 2) >> 2,
                    (_, _, None, None) => 128,
                };
                for r in yo..yo + 4 {
                    out[r * 8 + xo..r * 8 + xo + 4].fill(dc as u8);
                }
            }
        }
        _ => return None,
    }
    Some(out)
}
