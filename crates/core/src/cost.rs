//! What a generation costs, from the published per-second prices.
//!
//! All prices live in [`PRICES`]; amounts are kept in thousandths of a
//! dollar so that sums are exact.

use crate::board::{Board, Mode, Provider};
use crate::kling::Route;

/// Where the prices come from, and when they were read.
pub const PRICE_SOURCE: &str =
    "Kling 3.0 API specification, prepaid resource packs (list price); fal O3 model pages. As collected in providers.md §1.11 and §2.9, 2026-11.";

/// Kling's list price of one unit, in thousandths of a dollar.
pub const MILLI_USD_PER_UNIT: u32 = 140;

/// Which model family a price row is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// `kling-v3-omni` (O3).
    Omni,
    /// `kling-v3`, used for first-frame multi-shot.
    V3,
}

/// Units per second of output, in tenths of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceRow {
    pub model: Model,
    pub mode: Mode,
    pub silent: u32,
    pub with_sound: u32,
    /// With a reference video (sound is always off then).
    pub with_video: Option<u32>,
}

impl PriceRow {
    /// Units per second (tenths) for a request with or without a reference
    /// video and sound; `None` where no price is published.
    pub fn per_second(&self, has_video: bool, sound: bool) -> Option<u32> {
        if has_video {
            self.with_video
        } else if sound {
            Some(self.with_sound)
        } else {
            Some(self.silent)
        }
    }
}

/// Units as a decimal number: `12`, `8.4`.
pub fn units_number(tenths: u32) -> String {
    if tenths.is_multiple_of(10) {
        (tenths / 10).to_string()
    } else {
        format!("{}.{}", tenths / 10, tenths % 10)
    }
}

/// Units per second (tenths), Kling prepaid resource packs.
#[rustfmt::skip]
pub const PRICES: [PriceRow; 4] = [
    PriceRow { model: Model::Omni, mode: Mode::Std, silent: 6, with_sound: 8, with_video: Some(9) },
    PriceRow { model: Model::Omni, mode: Mode::Pro, silent: 8, with_sound: 10, with_video: Some(12) },
    PriceRow { model: Model::V3, mode: Mode::Std, silent: 6, with_sound: 9, with_video: None },
    PriceRow { model: Model::V3, mode: Mode::Pro, silent: 8, with_sound: 12, with_video: None },
];

/// An estimate shown before anything is spent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimate {
    pub seconds: u32,
    /// Kling units in tenths, where the provider bills in units.
    pub unit_tenths: Option<u32>,
    /// Thousandths of a dollar; `None` where no price is published.
    pub milli_usd: Option<u32>,
    /// What the figure assumes, or why there is none.
    pub note: &'static str,
}

impl Estimate {
    /// `$1.68`, or `price unknown`.
    pub fn usd_text(&self) -> String {
        match self.milli_usd {
            Some(m) => {
                let cents = (m + 5) / 10;
                format!("${}.{:02}", cents / 100, cents % 100)
            }
            None => "price unknown".to_string(),
        }
    }

    /// `12 units`, `8.4 units`.
    pub fn units_text(&self) -> Option<String> {
        self.unit_tenths
            .map(|t| format!("{} units", units_number(t)))
    }
}

/// The price row of `model` in `mode`.
pub fn row(model: Model, mode: Mode) -> &'static PriceRow {
    // Every (model, mode) pair has a row.
    PRICES
        .iter()
        .find(|r| r.model == model && r.mode == mode)
        .unwrap_or(&PRICES[1])
}

/// Units per second (tenths) for a board on Kling, if published.
pub fn unit_tenths_per_second(board: &Board) -> Option<u32> {
    let model = match Route::of(board) {
        Route::FirstFrameMultiShot => Model::V3,
        _ => Model::Omni,
    };
    model_tenths_per_second(model, board)
}

/// Units per second (tenths) for a board on `model`, if published.
fn model_tenths_per_second(model: Model, board: &Board) -> Option<u32> {
    row(model, board.mode).per_second(board.has_video(), board.sound)
}

/// Thousandths of a dollar for `seconds` at `unit_tenths` a second
/// (saturating: an unchecked board may be absurdly long).
fn milli_usd(unit_tenths: u32, seconds: u32) -> u32 {
    unit_tenths
        .saturating_mul(seconds)
        .saturating_mul(MILLI_USD_PER_UNIT)
        / 10
}

/// The estimated price of generating `board` on its provider.
pub fn estimate(board: &Board) -> Estimate {
    let seconds = board.total_seconds();
    match board.provider {
        Provider::Kling => {
            let per_second = unit_tenths_per_second(board);
            Estimate {
                seconds,
                unit_tenths: per_second.map(|u| u.saturating_mul(seconds)),
                milli_usd: per_second.map(|u| milli_usd(u, seconds)),
                note: if board.has_video() {
                    "Kling list price with a video input; an edited ('base') video is billed on its own length"
                } else {
                    "Kling list price per second of output"
                },
            }
        }
        Provider::Fal => {
            // fal's O3 per-second prices equal Kling's Omni list prices; fal
            // publishes no O3 price with a reference video. Every fal
            // endpoint is O3 (a first frame with several shots does not go
            // to kling-v3 there), so the Omni row applies.
            let per_second = (!board.has_video())
                .then(|| model_tenths_per_second(Model::Omni, board))
                .flatten();
            Estimate {
                seconds,
                unit_tenths: None,
                milli_usd: per_second.map(|u| milli_usd(u, seconds)),
                note: if board.has_video() {
                    "fal publishes no O3 price with a reference video"
                } else {
                    "fal's O3 price per second of output"
                },
            }
        }
        Provider::Replicate => Estimate {
            seconds,
            unit_tenths: None,
            milli_usd: None,
            note: "Replicate publishes no price for this model; check your Replicate dashboard",
        },
    }
}

/// What sound adds to the price: the estimate with sound on minus the
/// estimate with it off, as `+$0.42`; `None` where either has no price or
/// they are equal.
pub fn sound_difference_text(board: &Board) -> Option<String> {
    let with = |sound: bool| {
        let mut b = board.clone();
        b.sound = sound;
        estimate(&b).milli_usd
    };
    let (on, off) = (with(true)?, with(false)?);
    let delta = i64::from(on) - i64::from(off);
    if delta == 0 {
        return None;
    }
    let cents = (delta.unsigned_abs() + 5) / 10;
    let sign = if delta > 0 { '+' } else { '−' };
    Some(format!("{sign}${}.{:02}", cents / 100, cents % 100))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::board::Shot;
    use crate::reference::{Reference, VideoUse};

    fn board(mode: Mode, sound: bool, seconds: &[u32]) -> Board {
        Board {
            mode,
            sound,
            shots: seconds.iter().map(|s| Shot::new("x", *s)).collect(),
            ..Board::default()
        }
    }

    #[test]
    fn sound_difference_is_the_price_of_sound() {
        // pro: $0.14 a second with sound, $0.112 without; 10 s.
        let b = board(Mode::Pro, false, &[5, 5]);
        let on = estimate(&Board {
            sound: true,
            ..b.clone()
        })
        .milli_usd
        .unwrap();
        let off = estimate(&b).milli_usd.unwrap();
        assert!(on > off);
        let cents = (on - off + 5) / 10;
        assert_eq!(
            sound_difference_text(&b),
            Some(format!("+${}.{:02}", cents / 100, cents % 100))
        );
        assert_eq!(
            sound_difference_text(&b),
            sound_difference_text(&Board {
                sound: true,
                ..b.clone()
            })
        );
        let replicate = Board {
            provider: Provider::Replicate,
            ..b
        };
        assert_eq!(sound_difference_text(&replicate), None);
    }

    #[test]
    fn omni_prices_per_second() {
        // pro with sound: 1.0 unit = $0.14 a second.
        let e = estimate(&board(Mode::Pro, true, &[5, 5, 5]));
        assert_eq!(e.unit_tenths, Some(150));
        assert_eq!(e.milli_usd, Some(2100));
        assert_eq!(e.usd_text(), "$2.10");
        assert_eq!(e.units_text().as_deref(), Some("15 units"));
        // std silent: 0.6 unit = $0.084 a second.
        let e = estimate(&board(Mode::Std, false, &[7]));
        assert_eq!(e.milli_usd, Some(588));
        assert_eq!(e.usd_text(), "$0.59");
        assert_eq!(e.units_text().as_deref(), Some("4.2 units"));
    }

    #[test]
    fn video_input_price() {
        let mut b = board(Mode::Pro, false, &[5]);
        b.references
            .push(Reference::video("v", "https://x/v.mp4", VideoUse::Feature));
        assert_eq!(estimate(&b).milli_usd, Some(5 * 168));
    }

    #[test]
    fn first_frame_multi_shot_is_priced_as_v3() {
        let mut b = board(Mode::Pro, true, &[5, 5]);
        b.references.push(Reference::image("f", "https://x/f.png"));
        b.first_frame = Some("f".into());
        assert_eq!(estimate(&b).unit_tenths, Some(120));
    }

    #[test]
    fn fal_first_frame_multi_shot_is_priced_as_o3() {
        // On Kling this board goes to kling-v3 (1.2 units a second, pro with
        // sound); on fal it stays on O3: $0.14 a second.
        let mut b = board(Mode::Pro, true, &[5, 5]);
        b.references.push(Reference::image("f", "https://x/f.png"));
        b.first_frame = Some("f".into());
        b.provider = Provider::Fal;
        assert_eq!(estimate(&b).milli_usd, Some(1400));
    }

    #[test]
    fn replicate_has_no_price() {
        let mut b = board(Mode::Pro, true, &[5]);
        b.provider = Provider::Replicate;
        assert_eq!(estimate(&b).usd_text(), "price unknown");
        b.provider = Provider::Fal;
        assert_eq!(estimate(&b).milli_usd, Some(700));
    }
}
