//! The soundtrack: a short tone pulse every second, its pitch different for
//! each shot, the first pulse of a shot an octave higher so cuts are audible.
//! Between pulses it is silent, which FLAC stores in a few bytes.

/// Audio sample rate in Hz.
pub const SAMPLE_RATE: u32 = 48_000;

/// Tone frequencies (Hz) per shot, cycled: A4, C5, E5, G4, D5, F4.
const TONES: [f64; 6] = [440.0, 523.25, 659.25, 392.0, 587.33, 349.23];

const AMPLITUDE: f64 = 0.25 * 32767.0;
/// Length of each pulse; a multiple of the FLAC block (0.1 s) keeps the
/// silent blocks pure silence.
const PULSE_SECONDS: f64 = 0.3;
const FADE_SECONDS: f64 = 0.005;

/// The tone frequency of shot `index`.
pub fn tone_hz(index: usize) -> f64 {
    TONES[index % TONES.len()]
}

/// 16-bit mono samples for shots lasting `seconds` each.
pub fn synth(seconds: &[u32]) -> Vec<i16> {
    let rate = f64::from(SAMPLE_RATE);
    let total: usize = seconds
        .iter()
        .map(|&s| s as usize * SAMPLE_RATE as usize)
        .sum();
    let mut out = Vec::with_capacity(total);
    for (i, &s) in seconds.iter().enumerate() {
        let n = s as usize * SAMPLE_RATE as usize;
        let hz = tone_hz(i);
        for k in 0..n {
            let t = k as f64 / rate;
            let in_second = t.fract();
            if in_second >= PULSE_SECONDS {
                out.push(0);
                continue;
            }
            let freq = if t < 1.0 { hz * 2.0 } else { hz };
            // Short fades at both ends of the pulse avoid clicks.
            let edge = (in_second / FADE_SECONDS)
                .min((PULSE_SECONDS - in_second) / FADE_SECONDS)
                .min(1.0);
            let v = (2.0 * std::f64::consts::PI * freq * t).sin() * AMPLITUDE * edge;
            out.push(v.round() as i16);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_and_loudness() {
        let s = synth(&[1, 2]);
        assert_eq!(s.len(), 3 * SAMPLE_RATE as usize);
        let peak = s.iter().map(|v| v.unsigned_abs()).max().unwrap_or(0);
        assert!(peak > 6000 && peak < 9000, "peak {peak}");
        assert_eq!(s[0], 0);
        assert!(s.iter().filter(|&&v| v == 0).count() > s.len() / 2);
    }

    #[test]
    fn each_shot_has_its_own_pitch() {
        // Count zero crossings in the steady part of each one-second shot.
        // Shot 1 lasts 2 s: its second pulse is at its own pitch, the first
        // pulse of shot 2 an octave above shot 2's.
        let s = synth(&[2, 1]);
        let crossings = |part: &[i16]| part.windows(2).filter(|w| (w[0] < 0) != (w[1] < 0)).count();
        let rate = SAMPLE_RATE as usize;
        let window =
            |start: usize| crossings(&s[start + rate / 20..start + rate / 20 + rate / 5]) as f64;
        assert!(
            (window(rate) - 2.0 * tone_hz(0) / 5.0).abs() < 4.0,
            "{}",
            window(rate)
        );
        assert!(
            (window(2 * rate) - 2.0 * 2.0 * tone_hz(1) / 5.0).abs() < 4.0,
            "{}",
            window(2 * rate)
        );
        // Silence between pulses.
        assert!(s[rate / 2..rate].iter().all(|&v| v == 0));
    }
}
