//! A voice's trial audio: a short WAV the simulator writes itself, so a
//! browser has something real to play. Each voice gets its own pitch,
//! taken from its id, and a few syllable-like swells.

/// Samples per second.
pub const RATE: u32 = 16_000;
/// Length of a trial, in seconds.
pub const SECONDS: u32 = 2;

/// A pitch from 150 to 400 Hz for `id`, the same every time.
pub fn pitch_of(id: &str) -> f64 {
    // FNV-1a: stable across runs and platforms.
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    150.0 + (hash % 250) as f64
}

/// A 16-bit mono PCM WAV file of [`SECONDS`] at `hz`.
pub fn wav(hz: f64) -> Vec<u8> {
    let samples = RATE * SECONDS;
    let data_len = samples * 2;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&RATE.to_le_bytes());
    out.extend_from_slice(&(RATE * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    let tau = std::f64::consts::TAU;
    for n in 0..samples {
        let t = f64::from(n) / f64::from(RATE);
        // Four swells a second, silent at the ends, like syllables.
        let swell = (tau * 2.0 * t).sin().abs();
        let fade = (t / 0.05)
            .min((f64::from(SECONDS) - t) / 0.05)
            .clamp(0.0, 1.0);
        let wave = (tau * hz * t).sin() + 0.3 * (tau * 2.0 * hz * t).sin();
        let v = (wave / 1.3 * swell * fade * 0.5 * f64::from(i16::MAX)) as i16;
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trial_is_a_wav_of_two_seconds() {
        let w = wav(220.0);
        assert_eq!(&w[..4], b"RIFF");
        assert_eq!(&w[8..16], b"WAVEfmt ");
        assert_eq!(w.len(), 44 + (RATE * SECONDS * 2) as usize);
        assert!(w[44..].iter().any(|b| *b != 0), "not silent");
    }

    #[test]
    fn pitches_differ_by_voice_and_stay_put() {
        assert_eq!(pitch_of("a"), pitch_of("a"));
        assert_ne!(
            pitch_of("829000000000000001"),
            pitch_of("829000000000000002")
        );
        assert!((150.0..400.0).contains(&pitch_of("x")));
    }
}
