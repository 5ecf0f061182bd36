//! Cost estimates against Kling's price table (providers.md §0.6) and fal's
//! (§2.9).

use storyreel_core::cost::{estimate, unit_tenths_per_second, Estimate, PRICES};
use storyreel_core::{Board, Provider, Reference, Resolution, Shot, VideoUse};

fn board(
    resolution: Resolution,
    sound: bool,
    video: bool,
    first_frame: bool,
    shots: &[u32],
) -> Board {
    let mut b = Board {
        resolution,
        sound,
        shots: shots.iter().map(|d| Shot::new("x", *d)).collect(),
        ..Board::default()
    };
    if video {
        b.references.push(Reference::video(
            "v",
            "https://example.com/v.mp4",
            VideoUse::Feature,
        ));
    }
    if first_frame {
        b.references
            .push(Reference::image("f", "https://example.com/f.png"));
        b.first_frame = Some("f".into());
    }
    b
}

/// providers.md §0.6, $ per second of output, in thousandths. A first
/// frame with several shots stays on Omni: the same price as without.
#[test]
fn kling_prices_match_the_published_table() {
    use Resolution::*;
    // (resolution, sound, video, first frame, milli-$ a second)
    let table = [
        (P720, false, false, false, 84),
        (P720, true, false, false, 112),
        (P720, false, true, false, 126),
        (P1080, false, false, false, 112),
        (P1080, true, false, false, 140),
        (P1080, false, true, false, 168),
        (K4, false, false, false, 420),
        (K4, true, false, false, 420),
        (K4, false, true, false, 420),
        (P720, false, false, true, 84),
        (P720, true, false, true, 112),
        (P1080, false, false, true, 112),
        (P1080, true, false, true, 140),
        (K4, true, false, true, 420),
    ];
    for (resolution, sound, video, frame, per_second) in table {
        let shots: &[u32] = if frame { &[4, 3] } else { &[7] };
        let b = board(resolution, sound, video, frame, shots);
        let e = estimate(&b);
        assert_eq!(e.seconds, 7);
        assert_eq!(
            e.milli_usd,
            Some(per_second * 7),
            "{resolution:?} sound={sound} video={video} frame={frame}"
        );
        // Units at $0.14 each.
        assert_eq!(e.unit_tenths.map(|u| u * 14), Some(per_second * 7));
    }
}

#[test]
fn every_price_row_is_reachable() {
    assert_eq!(PRICES.len(), 3);
    let b = board(Resolution::P720, true, false, false, &[5]);
    assert_eq!(unit_tenths_per_second(&b), 8);
}

#[test]
fn cost_follows_the_total_length() {
    let one = estimate(&board(Resolution::P1080, true, false, false, &[3]));
    let two = estimate(&board(Resolution::P1080, true, false, false, &[3, 3]));
    assert_eq!(two.milli_usd, one.milli_usd.map(|m| m * 2));
    assert_eq!(
        estimate(&board(Resolution::P1080, true, false, false, &[5, 5, 5])).usd_text(),
        "$2.10"
    );
}

#[test]
fn text_rounds_to_the_cent() {
    let e = |m: u32| Estimate {
        seconds: 1,
        unit_tenths: None,
        milli_usd: Some(m),
        note: "",
    };
    assert_eq!(e(0).usd_text(), "$0.00");
    assert_eq!(e(4).usd_text(), "$0.00");
    assert_eq!(e(5).usd_text(), "$0.01");
    assert_eq!(e(1234).usd_text(), "$1.23");
    assert_eq!(e(1235).usd_text(), "$1.24");
    assert_eq!(e(10_000).usd_text(), "$10.00");
    let units = |t: u32| Estimate {
        seconds: 1,
        unit_tenths: Some(t),
        milli_usd: None,
        note: "",
    };
    assert_eq!(units(0).units_text().as_deref(), Some("0 units"));
    assert_eq!(units(7).units_text().as_deref(), Some("0.7 units"));
    assert_eq!(units(150).units_text().as_deref(), Some("15 units"));
    assert_eq!(units(84).units_text().as_deref(), Some("8.4 units"));
    assert_eq!(units(84).usd_text(), "price unknown");
}

#[test]
fn fal_and_replicate() {
    // fal O3: same per-second price as Kling's list (§2.9), no units.
    let mut b = board(Resolution::P720, false, false, false, &[5]);
    b.provider = Provider::Fal;
    let e = estimate(&b);
    assert_eq!((e.milli_usd, e.unit_tenths), (Some(420), None));
    // fal publishes no O3 price with a reference video.
    let mut b = board(Resolution::P1080, false, true, false, &[5]);
    b.provider = Provider::Fal;
    assert_eq!(estimate(&b).milli_usd, None);
    assert!(estimate(&b).note.contains("reference video"));
    // Replicate publishes none at all.
    b.provider = Provider::Replicate;
    assert_eq!(estimate(&b).usd_text(), "price unknown");
}

#[test]
fn absurd_lengths_saturate_instead_of_panicking() {
    let b = board(Resolution::P1080, true, false, false, &[u32::MAX, u32::MAX]);
    let e = estimate(&b);
    assert_eq!(e.seconds, u32::MAX);
    assert_eq!(e.milli_usd, Some(u32::MAX / 10));
}
