//! What a generation costs, from the published per-second prices.
//!
//! All prices live in [`PRICES`]; amounts are kept in thousandths of a
//! dollar so that sums are exact.

use crate::board::{Board, Provider, Resolution};

/// Where the prices come from, and when they were read.
pub const PRICE_SOURCE: &str =
    "Kling pricing page (video, 3.0 Omni; list price of 1 unit = $0.14), as collected in providers.md §0.6, 2026-09; fal O3 model pages (providers.md §2.9).";

/// Kling's list price of one unit, in thousandths of a dollar.
pub const MILLI_USD_PER_UNIT: u32 = 140;

/// Units per second of 3.0 Omni output at one resolution, in tenths of a
/// unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PriceRow {
    pub resolution: Resolution,
    /// No video input, no native audio.
    pub silent: u32,
    /// No video input, native audio.
    pub with_sound: u32,
    /// With a reference video (sound is always off then).
    pub with_video: u32,
}

impl PriceRow {
    /// Units per second (tenths) for a request with or without a reference
    /// video and sound.
    pub fn per_second(&self, has_video: bool, sound: bool) -> u32 {
        if has_video {
            self.with_video
        } else if sound {
            self.with_sound
        } else {
            self.silent
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

/// Units per second (tenths) of 3.0 Omni, by resolution (providers.md
/// §0.6). The legacy design's std and pro are 720p and 1080p.
#[rustfmt::skip]
pub const PRICES: [PriceRow; 3] = [
    PriceRow { resolution: Resolution::P720, silent: 6, with_sound: 8, with_video: 9 },
    PriceRow { resolution: Resolution::P1080, silent: 8, with_sound: 10, with_video: 12 },
    PriceRow { resolution: Resolution::K4, silent: 30, with_sound: 30, with_video: 30 },
];

/// What a custom voice costs (`POST /v1/general/custom-voices`), in
/// hundredths of a unit: 0.05 units (providers.md §0.5).
pub const CUSTOM_VOICE_UNIT_HUNDREDTHS: u32 = 5;

/// Where the voice price comes from.
pub const VOICE_PRICE_SOURCE: &str =
    "providers.md §0.5 (Kling's element and voice calls): a custom voice costs 0.05 units; 1 unit = $0.14 (§0.6).";

// Elements themselves (`POST /v1/general/advanced-custom-elements`): neither
// Kling's Element Management page nor providers.md §0.5 gives a price, so
// none is shown. (Kling's query answer carries `final_unit_deduction`,
// which the making keeps when Kling reports it.)

/// Thousandths of a dollar for a custom voice: 0.05 × $0.14 = $0.007.
pub fn custom_voice_milli_usd() -> u32 {
    CUSTOM_VOICE_UNIT_HUNDREDTHS * MILLI_USD_PER_UNIT / 100
}

/// The confirm step's words for a custom voice: `0.05 units (about
/// $0.007)`.
pub fn custom_voice_text() -> String {
    let h = CUSTOM_VOICE_UNIT_HUNDREDTHS;
    format!(
        "{}.{:02} units (about ${})",
        h / 100,
        h % 100,
        milli_text(custom_voice_milli_usd())
    )
}

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

/// The price row of a resolution.
pub fn row(resolution: Resolution) -> &'static PriceRow {
    // Every resolution has a row.
    PRICES
        .iter()
        .find(|r| r.resolution == resolution)
        .unwrap_or(&PRICES[1])
}

/// Units per second (tenths) of a request at `resolution`, with or
/// without a reference video and native audio: what the simulator bills
/// and what the estimate shows.
pub fn kling_unit_tenths_per_second(resolution: Resolution, has_video: bool, sound: bool) -> u32 {
    row(resolution).per_second(has_video, sound)
}

/// Units per second (tenths) for a board on Kling.
pub fn unit_tenths_per_second(board: &Board) -> u32 {
    kling_unit_tenths_per_second(board.resolution, board.has_video(), board.sound)
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
                unit_tenths: Some(per_second.saturating_mul(seconds)),
                milli_usd: Some(milli_usd(per_second, seconds)),
                note: if board.has_video() {
                    "Kling list price with a video input; an edited ('base') video is billed on its own length"
                } else {
                    "Kling list price per second of output"
                },
            }
        }
        Provider::Fal => {
            // fal's O3 per-second prices equal Kling's Omni list prices
            // (4K: $0.42 a second); fal publishes no O3 price with a
            // reference video below 4K.
            let per_second = (!board.has_video() || board.resolution == Resolution::K4)
                .then(|| unit_tenths_per_second(board));
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

/// The price of one second at `resolution` for this board's provider,
/// sound and cast, for the resolution picker: `$0.14/s`, or for Kling
/// `1 unit/s · $0.14/s`; `None` where no price is published.
pub fn per_second_text(board: &Board, resolution: Resolution) -> Option<String> {
    let one_second = Board {
        resolution,
        shots: vec![crate::board::Shot::new("", 1)],
        ..board.clone()
    };
    let e = estimate(&one_second);
    let usd = format!("${}/s", milli_text(e.milli_usd?));
    Some(match e.unit_tenths {
        Some(u) => {
            let plural = if u == 10 { "unit" } else { "units" };
            format!("{} {plural}/s · {usd}", units_number(u))
        }
        None => usd,
    })
}

/// Thousandths of a dollar as dollars with as many decimals as needed
/// (two to three): `0.14`, `0.084`.
fn milli_text(milli: u32) -> String {
    let text = format!("{}.{:03}", milli / 1000, milli % 1000);
    match text.strip_suffix('0') {
        Some(t) => t.to_string(),
        None => text,
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

    fn board(resolution: Resolution, sound: bool, seconds: &[u32]) -> Board {
        Board {
            resolution,
            sound,
            shots: seconds.iter().map(|s| Shot::new("x", *s)).collect(),
            ..Board::default()
        }
    }

    #[test]
    fn sound_difference_is_the_price_of_sound() {
        // pro: $0.14 a second with sound, $0.112 without; 10 s.
        let b = board(Resolution::P1080, false, &[5, 5]);
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
        let e = estimate(&board(Resolution::P1080, true, &[5, 5, 5]));
        assert_eq!(e.unit_tenths, Some(150));
        assert_eq!(e.milli_usd, Some(2100));
        assert_eq!(e.usd_text(), "$2.10");
        assert_eq!(e.units_text().as_deref(), Some("15 units"));
        // std silent: 0.6 unit = $0.084 a second.
        let e = estimate(&board(Resolution::P720, false, &[7]));
        assert_eq!(e.milli_usd, Some(588));
        assert_eq!(e.usd_text(), "$0.59");
        assert_eq!(e.units_text().as_deref(), Some("4.2 units"));
    }

    #[test]
    fn video_input_price() {
        let mut b = board(Resolution::P1080, false, &[5]);
        b.references
            .push(Reference::video("v", "https://x/v.mp4", VideoUse::Feature));
        assert_eq!(estimate(&b).milli_usd, Some(5 * 168));
    }

    #[test]
    fn first_frame_multi_shot_stays_on_omni() {
        // No detour to kling-v3 any more: 1.0 unit a second, 1080p with
        // sound, as without the frame.
        let mut b = board(Resolution::P1080, true, &[5, 5]);
        b.references.push(Reference::image("f", "https://x/f.png"));
        b.first_frame = Some("f".into());
        assert_eq!(estimate(&b).unit_tenths, Some(100));
    }

    #[test]
    fn per_second_prices_for_the_picker() {
        let b = board(Resolution::P1080, true, &[5, 5]);
        assert_eq!(
            per_second_text(&b, Resolution::P720).as_deref(),
            Some("0.8 units/s · $0.112/s")
        );
        assert_eq!(
            per_second_text(&b, Resolution::P1080).as_deref(),
            Some("1 unit/s · $0.14/s")
        );
        assert_eq!(
            per_second_text(&b, Resolution::K4).as_deref(),
            Some("3 units/s · $0.42/s")
        );
        let silent = board(Resolution::P720, false, &[5]);
        assert_eq!(
            per_second_text(&silent, Resolution::P720).as_deref(),
            Some("0.6 units/s · $0.084/s")
        );
        let fal = Board {
            provider: Provider::Fal,
            ..b.clone()
        };
        assert_eq!(
            per_second_text(&fal, Resolution::K4).as_deref(),
            Some("$0.42/s")
        );
        let replicate = Board {
            provider: Provider::Replicate,
            ..b
        };
        assert_eq!(per_second_text(&replicate, Resolution::P1080), None);
    }

    #[test]
    fn four_k_is_three_units_a_second_whatever_the_sound() {
        for sound in [true, false] {
            let e = estimate(&board(Resolution::K4, sound, &[5, 5]));
            assert_eq!(e.units_text().as_deref(), Some("30 units"));
            assert_eq!(e.usd_text(), "$4.20");
        }
        assert_eq!(
            sound_difference_text(&board(Resolution::K4, true, &[5])),
            None
        );
    }

    #[test]
    fn fal_first_frame_multi_shot_is_priced_as_o3() {
        // fal's O3 price: $0.14 a second at 1080p with sound.
        let mut b = board(Resolution::P1080, true, &[5, 5]);
        b.references.push(Reference::image("f", "https://x/f.png"));
        b.first_frame = Some("f".into());
        b.provider = Provider::Fal;
        assert_eq!(estimate(&b).milli_usd, Some(1400));
    }

    #[test]
    fn replicate_has_no_price() {
        let mut b = board(Resolution::P1080, true, &[5]);
        b.provider = Provider::Replicate;
        assert_eq!(estimate(&b).usd_text(), "price unknown");
        b.provider = Provider::Fal;
        assert_eq!(estimate(&b).milli_usd, Some(700));
    }
}
