//! Makes small, real, playable MP4 clips in-process: H.264 video (a tiny
//! Constrained Baseline encoder of our own) and optionally FLAC audio, with
//! no external programs and no C code. Storyreel's Kling simulator uses it to
//! produce the "finished video" of a fake generation task.
//!
//! Each shot is a solid colour ([`shot_color`]) with a big "SHOT n", the
//! start of the shot's label and a progress bar that fills through the shot;
//! [`sample_point`] is a pixel that always shows the plain colour.

mod bits;
mod cavlc;
mod error;
mod flac;
mod font;
mod h264;
mod intra;
mod mp4;
mod picture;
mod scene;
mod tone;

#[cfg(test)]
mod testdec;

pub use error::ClipError;
pub use scene::{sample_point, shot_color};

/// Smallest and largest picture side in pixels.
pub const MIN_SIDE: u32 = 64;
pub const MAX_SIDE: u32 = 4096;
/// Highest frame rate.
pub const MAX_FPS: u32 = 60;
/// Most shots in one clip.
pub const MAX_SHOTS: usize = 64;
/// Longest clip in seconds.
pub const MAX_SECONDS: u32 = 120;

/// What to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClipSpec {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    pub shots: Vec<ShotSpec>,
    /// Add a FLAC soundtrack (a tone per shot).
    pub sound: bool,
}

/// One shot: how long it lasts and the text shown under "SHOT n" (its first
/// 40 characters; characters the font lacks show as '?').
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShotSpec {
    pub seconds: u32,
    pub label: String,
}

impl ClipSpec {
    /// The clip's length: the sum of the shots.
    pub fn total_seconds(&self) -> u32 {
        self.shots.iter().map(|s| s.seconds).sum()
    }

    /// Checks every limit; [`render_mp4`] does this first.
    pub fn validate(&self) -> Result<(), ClipError> {
        for (what, v) in [("width", self.width), ("height", self.height)] {
            if v == 0 || v % 2 != 0 {
                return Err(ClipError::OddSize { what, value: v });
            }
            if v < MIN_SIDE {
                return Err(ClipError::TooSmall {
                    what,
                    value: v,
                    min: MIN_SIDE,
                });
            }
            if v > MAX_SIDE {
                return Err(ClipError::TooBig {
                    what,
                    value: v,
                    max: MAX_SIDE,
                });
            }
        }
        if self.fps == 0 || self.fps > MAX_FPS {
            return Err(ClipError::Fps {
                fps: self.fps,
                max: MAX_FPS,
            });
        }
        if self.shots.is_empty() {
            return Err(ClipError::NoShots);
        }
        if self.shots.len() > MAX_SHOTS {
            return Err(ClipError::TooManyShots {
                count: self.shots.len(),
                max: MAX_SHOTS,
            });
        }
        if let Some(i) = self.shots.iter().position(|s| s.seconds == 0) {
            return Err(ClipError::EmptyShot { shot: i + 1 });
        }
        let total: u64 = self.shots.iter().map(|s| u64::from(s.seconds)).sum();
        if total > u64::from(MAX_SECONDS) {
            return Err(ClipError::TooLong {
                seconds: total,
                max: MAX_SECONDS,
            });
        }
        Ok(())
    }
}

/// Renders the clip as a complete MP4 file (moov first).
pub fn render_mp4(spec: &ClipSpec) -> Result<Vec<u8>, ClipError> {
    spec.validate()?;
    let mut encoder = h264::Encoder::new(spec.width, spec.height, spec.fps);
    let mut samples = Vec::new();
    let mut sync = Vec::new();
    for_each_frame(spec, |pic, idr| {
        let (nal, _) = encoder.encode(pic, idr);
        let mut sample = (nal.len() as u32).to_be_bytes().to_vec();
        sample.extend(nal);
        samples.push(sample);
        sync.push(idr);
    });
    let video = mp4::Video {
        width: spec.width,
        height: spec.height,
        fps: spec.fps,
        sps: encoder.sps(),
        pps: encoder.pps(),
        samples,
        sync,
    };
    let audio = spec.sound.then(|| {
        let seconds: Vec<u32> = spec.shots.iter().map(|s| s.seconds).collect();
        let stream = flac::encode(&tone::synth(&seconds), tone::SAMPLE_RATE);
        mp4::Audio {
            sample_rate: stream.sample_rate,
            channels: 1,
            metadata: stream.metadata_blocks(),
            durations: stream.frame_samples.clone(),
            samples: stream.frames,
        }
    });
    Ok(mp4::mux(&video, audio.as_ref(), spec.total_seconds()))
}

/// Calls `f` with every frame in order and whether it starts a shot.
/// Each picture is handed over (the encoder keeps it as the reference
/// for the next one), so no 12 MB 4K picture is copied for that.
fn for_each_frame(spec: &ClipSpec, mut f: impl FnMut(picture::Picture, bool)) {
    let (w, h) = (spec.width as usize, spec.height as usize);
    for (i, shot) in spec.shots.iter().enumerate() {
        let scene = scene::ShotScene::new(w, h, i, &shot.label);
        let frames = (shot.seconds * spec.fps) as usize;
        for n in 0..frames {
            f(scene.frame(n, frames), n == 0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(width: u32, height: u32, seconds: &[u32], sound: bool) -> ClipSpec {
        ClipSpec {
            width,
            height,
            fps: 24,
            shots: seconds
                .iter()
                .enumerate()
                .map(|(i, &s)| ShotSpec {
                    seconds: s,
                    label: format!("Shot {i}: a café at dawn — 日本 λ {}", "x".repeat(i * 7)),
                })
                .collect(),
            sound,
        }
    }

    /// Decodes the file with the test decoder and compares every picture
    /// with the one the encoder was given.
    fn round_trip(spec: &ClipSpec) {
        let bytes = render_mp4(spec).expect("renders");
        let decoded = testdec::decode_mp4(&bytes);
        assert_eq!(
            (decoded.width, decoded.height),
            (spec.width as usize, spec.height as usize)
        );
        let mut expected = Vec::new();
        let mut starts = Vec::new();
        for_each_frame(spec, |pic, idr| {
            expected.push(pic);
            starts.push(idr);
        });
        assert_eq!(decoded.frames.len(), expected.len());
        assert_eq!(decoded.sync, starts);
        for (i, (got, want)) in decoded.frames.iter().zip(&expected).enumerate() {
            assert!(
                got == want,
                "frame {i} of {}x{} differs",
                spec.width,
                spec.height
            );
        }
        // The sample point shows each shot's colour.
        let (sx, sy) = sample_point(spec.width, spec.height);
        let mut frame = 0;
        for (i, shot) in spec.shots.iter().enumerate() {
            let mid = &decoded.frames[frame + (shot.seconds * spec.fps) as usize / 2];
            let y = mid.y[sy as usize * mid.width + sx as usize];
            assert_eq!(y, picture::Yuv::from_rgb(shot_color(i)).y, "shot {i}");
            frame += (shot.seconds * spec.fps) as usize;
        }
    }

    #[test]
    fn decodes_exactly_landscape() {
        round_trip(&spec(1280, 720, &[2, 1, 3], false));
    }

    #[test]
    fn decodes_exactly_portrait_1080_with_cropping() {
        round_trip(&spec(1080, 1920, &[1, 2], true));
    }

    #[test]
    fn decodes_exactly_odd_sizes() {
        round_trip(&spec(722, 98, &[1, 1, 1, 1, 1, 1, 1], false));
        round_trip(&spec(64, 64, &[1, 1], false));
    }

    /// Kling's 4K sizes (landscape, portrait, square) decode at their
    /// size, and the SPS names a level whose frame size and macroblock
    /// rate allow them (Table A-1: 5.1 for 3840×2160 at 24 fps).
    #[test]
    fn decodes_4k_sizes_with_a_level_that_allows_them() {
        // Two frames a second keep the test's memory small (a 4K picture
        // is 12 MB); the level is checked at Kling's 24 fps below.
        round_trip(&ClipSpec {
            fps: 2,
            ..spec(3840, 2160, &[1, 1], false)
        });
        for (w, h, level) in [(3840, 2160, 51), (2160, 3840, 51), (2160, 2160, 50)] {
            let bytes = render_mp4(&ClipSpec {
                fps: 1,
                ..spec(w, h, &[1], false)
            })
            .expect("renders");
            let decoded = testdec::decode_mp4(&bytes);
            assert_eq!((decoded.width, decoded.height), (w as usize, h as usize));
            assert_eq!(decoded.level_idc, level, "{w}x{h} in the file");
            assert_eq!(
                h264::Encoder::new(w, h, 24).profile().2,
                level,
                "{w}x{h} at 24 fps"
            );
        }
        // 60 fps at 3840×2160 is 1,944,000 macroblocks a second: 5.2.
        assert_eq!(h264::Encoder::new(3840, 2160, 60).profile().2, 52);
    }

    #[test]
    fn most_macroblocks_are_cheap() {
        let s = spec(1920, 1080, &[2, 2], false);
        let bytes = render_mp4(&s).expect("renders");
        let decoded = testdec::decode_mp4(&bytes);
        let [pcm, intra, skip] = decoded.mb_kinds[0];
        assert_eq!(skip, 0);
        assert!(
            pcm * 20 < intra,
            "{pcm} PCM vs {intra} intra macroblocks in the IDR"
        );
        let [pcm, _, skip] = decoded.mb_kinds[1];
        assert_eq!(pcm, 0);
        assert!(skip > 8000);
    }

    #[test]
    fn rejects_bad_specs() {
        let good = spec(1280, 720, &[3], false);
        assert!(good.validate().is_ok());
        let cases: Vec<(ClipSpec, &str)> = vec![
            (
                ClipSpec {
                    width: 0,
                    ..good.clone()
                },
                "width is 0",
            ),
            (
                ClipSpec {
                    height: 721,
                    ..good.clone()
                },
                "height is 721",
            ),
            (
                ClipSpec {
                    width: 32,
                    ..good.clone()
                },
                "minimum of 64",
            ),
            (
                ClipSpec {
                    width: 4098,
                    ..good.clone()
                },
                "maximum of 4096",
            ),
            (
                ClipSpec {
                    fps: 0,
                    ..good.clone()
                },
                "between 1 and 60",
            ),
            (
                ClipSpec {
                    fps: 61,
                    ..good.clone()
                },
                "61 fps",
            ),
            (
                ClipSpec {
                    shots: vec![],
                    ..good.clone()
                },
                "no shots",
            ),
            (spec(1280, 720, &[2, 0], false), "shot 2 lasts 0 seconds"),
            (
                spec(1280, 720, &[60, 61], false),
                "121 seconds, more than the maximum of 120",
            ),
            (spec(1280, 720, &[1; 65], false), "65 shots"),
        ];
        for (s, msg) in cases {
            let err = render_mp4(&s).expect_err(msg);
            assert!(err.to_string().contains(msg), "{err} lacks {msg:?}");
        }
    }
}
