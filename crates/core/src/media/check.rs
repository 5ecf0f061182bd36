//! A file against the limits of the role it is picked for: each problem
//! names the limit and the actual value in plain words, and the verdict
//! says whether the browser can fix the file by itself (re-encode it
//! smaller) or must refuse it.

use std::fmt;

use crate::limits::{
    MAX_IMAGE_ASPECT_DEN, MAX_IMAGE_ASPECT_NUM, MAX_IMAGE_BYTES, MAX_VIDEO_BYTES, MAX_VIDEO_FPS,
    MAX_VIDEO_PIXELS, MAX_VIDEO_SECONDS, MAX_VIDEO_SIDE_PX, MIN_IMAGE_SIDE_PX, MIN_VIDEO_FPS,
    MIN_VIDEO_SECONDS, MIN_VIDEO_SIDE_PX, VIDEO_FPS_TOLERANCE, VIDEO_SECONDS_TOLERANCE,
};
use crate::reference::ReferenceKind;

use super::audio::AudioKind;
use super::fit::{self, FitPlan, WORKING_MAX_SIDE};
use super::image::{self, ImageInfo, MAX_DECODE_PIXELS, MAX_DECODE_SIDE};
use super::sniff::{sniff, Kind, Sniffed};
use super::video::{self, VideoInfo};

/// What a file is picked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// An image reference in the cast.
    Image,
    /// A first or last frame (an image reference the board opens or closes
    /// with; the same limits).
    Frame,
    /// The reference video.
    Video,
    /// One of a library character's images (Kling's `image_refer`).
    ElementImage,
    /// The video a library character is made from (`video_refer`).
    ElementVideo,
    /// A clip a custom voice is made from (MP3, WAV, MP4 or MOV).
    VoiceClip,
}

impl Role {
    /// The role of a reference of this kind; `None` for a Kling element,
    /// which has no file.
    pub fn of(kind: &ReferenceKind) -> Option<Role> {
        match kind {
            ReferenceKind::Image { .. } => Some(Role::Image),
            ReferenceKind::Video { .. } => Some(Role::Video),
            ReferenceKind::Element { .. } => None,
        }
    }

    pub fn wants_image(self) -> bool {
        matches!(self, Role::Image | Role::Frame | Role::ElementImage)
    }

    fn noun(self) -> &'static str {
        match self {
            Role::Image => "images",
            Role::Frame => "frames",
            Role::Video => "reference videos",
            Role::ElementImage => "a character's images",
            Role::ElementVideo => "a character's videos",
            Role::VoiceClip => "voice clips",
        }
    }
}

/// One thing wrong with a file, with the numbers its message names.
#[derive(Debug, Clone, PartialEq)]
pub enum MediaProblem {
    /// 0 bytes.
    Empty,
    /// Not a kind the role takes (by content; `name` only for the message).
    WrongKind {
        found: Sniffed,
        name: Option<String>,
        role: Role,
    },
    /// A JPEG, PNG, MP4 or MOV whose header cannot be read.
    Unreadable { kind: Kind, reason: String },
    /// A side under [`MIN_IMAGE_SIDE_PX`].
    ImageTooSmall { width: u32, height: u32, min: u32 },
    /// Longer than 2.5:1 either way.
    ImageAspect { width: u32, height: u32 },
    /// Over the decode budget ([`MAX_DECODE_PIXELS`], [`MAX_DECODE_SIDE`]):
    /// the browser must not open it.
    ImageTooLargeToOpen { width: u32, height: u32 },
    /// Over [`MAX_IMAGE_BYTES`] (fixable: re-encoded smaller).
    ImageTooManyBytes { bytes: u64, max: u64 },
    /// A side over [`WORKING_MAX_SIDE`] (fixable: scaled down).
    ImageLargerThanNeeded {
        width: u32,
        height: u32,
        max_side: u32,
    },
    /// Outside 3–15.5 s.
    VideoLength { seconds: f64, min: f64, max: f64 },
    /// A side outside 700–4553 px.
    VideoSize {
        width: u32,
        height: u32,
        min: u32,
        max: u32,
    },
    /// More pixels a frame than Kling takes.
    VideoPixels { width: u32, height: u32, max: u64 },
    /// Width over height outside 0.4–2.
    VideoAspect { width: u32, height: u32 },
    /// An average frame rate outside 24–60 fps.
    VideoFps {
        width: u32,
        height: u32,
        fps: f64,
        min: f64,
        max: f64,
    },
    /// Over [`MAX_VIDEO_BYTES`].
    VideoTooManyBytes { bytes: u64, max: u64 },
    /// The video track has no frames, so it has no frame rate.
    VideoNoFrames,
    /// A character's video outside 3–8 s.
    ElementVideoLength { seconds: f64, min: f64, max: f64 },
    /// A character's video whose short side is not 1080 px ("1080P").
    ElementVideoResolution {
        width: u32,
        height: u32,
        short_side: u32,
    },
    /// A character's video that is not 16:9 or 9:16.
    ElementVideoAspect { width: u32, height: u32 },
    /// A character's video over [`crate::limits::MAX_VIDEO_BYTES`].
    ElementVideoTooManyBytes { bytes: u64, max: u64 },
    /// A voice clip outside 5–30 s.
    VoiceLength { seconds: f64, min: f64, max: f64 },
    /// An MP3 or WAV whose header cannot be read.
    AudioUnreadable { kind: AudioKind, reason: String },
}

impl MediaProblem {
    /// Whether re-encoding the image smaller fixes it.
    pub fn is_fixable(&self) -> bool {
        matches!(
            self,
            MediaProblem::ImageTooManyBytes { .. } | MediaProblem::ImageLargerThanNeeded { .. }
        )
    }

    /// The sentence shown to the user.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The limit the message names, as text.
    pub fn limit(&self) -> Option<String> {
        use MediaProblem::*;
        Some(match self {
            Empty => "at least 1 byte".into(),
            WrongKind { role, .. } if role.wants_image() => "JPEG or PNG".into(),
            WrongKind {
                role: Role::VoiceClip,
                ..
            } => "MP3, WAV, MP4 or MOV".into(),
            WrongKind { .. } => "MP4 or MOV".into(),
            Unreadable { .. } | VideoNoFrames | AudioUnreadable { .. } => return None,
            ImageTooSmall { min, .. } => format!("{min} px"),
            ImageAspect { .. } => "1:2.5 to 2.5:1".into(),
            ImageTooLargeToOpen { .. } => format!("{} megapixels", MAX_DECODE_PIXELS / 1_000_000),
            ImageTooManyBytes { max, .. }
            | VideoTooManyBytes { max, .. }
            | ElementVideoTooManyBytes { max, .. } => mib(*max),
            ImageLargerThanNeeded { max_side, .. } => format!("{max_side} px"),
            VideoLength { min, max, .. } => format!("{} to {} s", num(*min), num(*max)),
            VideoSize { min, max, .. } => format!("{min} to {max} px"),
            VideoFps { min, max, .. } => format!("{} to {} fps", num(*min), num(*max)),
            VideoPixels { max, .. } => format!("{max} pixels"),
            VideoAspect { .. } => "0.4 to 2 (width ÷ height)".into(),
            ElementVideoLength { min, max, .. } | VoiceLength { min, max, .. } => {
                format!("{} to {} s", num(*min), num(*max))
            }
            ElementVideoResolution { short_side, .. } => {
                format!("1080p ({} px on the short side)", short_side)
            }
            ElementVideoAspect { .. } => "16:9 or 9:16".into(),
        })
    }

    /// The actual value the message names, as text.
    pub fn actual(&self) -> Option<String> {
        use MediaProblem::*;
        Some(match self {
            Empty => "0 bytes".into(),
            WrongKind { found, .. } => found.description(),
            Unreadable { reason, .. } | AudioUnreadable { reason, .. } => reason.clone(),
            VideoNoFrames => "0 frames".into(),
            ImageTooSmall { width, height, .. }
            | ImageTooLargeToOpen { width, height }
            | ImageLargerThanNeeded { width, height, .. }
            | VideoSize { width, height, .. }
            | ElementVideoResolution { width, height, .. }
            | ElementVideoAspect { width, height } => format!("{width}×{height} px"),
            ImageAspect { width, height } => ratio(*width, *height),
            ImageTooManyBytes { bytes, .. }
            | VideoTooManyBytes { bytes, .. }
            | ElementVideoTooManyBytes { bytes, .. } => mib(*bytes),
            VideoLength {
                seconds, min, max, ..
            }
            | ElementVideoLength { seconds, min, max }
            | VoiceLength { seconds, min, max } => {
                format!("{} s", shown(*seconds, &[*min, *max], 1))
            }
            VideoFps { fps, .. } => format!("{} fps", fps_text(*fps)),
            VideoPixels { width, height, .. } => {
                format!("{} pixels", u64::from(*width) * u64::from(*height))
            }
            VideoAspect { width, height } => {
                format!("{:.2}", f64::from(*width) / f64::from((*height).max(1)))
            }
        })
    }
}

impl fmt::Display for MediaProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use MediaProblem::*;
        match self {
            Empty => f.write_str("The file is empty (0 bytes)."),
            WrongKind { found, name, role } => wrong_kind(f, found, name.as_deref(), *role),
            Unreadable { reason, .. } => write!(f, "The file cannot be read: {reason}."),
            ImageTooSmall { width, height, min } => write!(
                f,
                "The image is {width}×{height} px; each side must be at least {min} px."
            ),
            ImageAspect { width, height } => write!(
                f,
                "The aspect ratio is {}; it must be between 1:2.5 and 2.5:1.",
                ratio(*width, *height)
            ),
            ImageTooLargeToOpen { width, height } => {
                let pixels = u64::from(*width) * u64::from(*height);
                write!(
                    f,
                    "The image is {width}×{height} px ({} megapixels); opening it would take about {:.1} GB of memory, and at most {} megapixels ({MAX_DECODE_SIDE} px a side) are opened here. Make it smaller first.",
                    pixels.div_ceil(1_000_000),
                    (pixels * 4) as f64 / 1e9,
                    MAX_DECODE_PIXELS / 1_000_000,
                )
            }
            ImageTooManyBytes { bytes, max } => write!(
                f,
                "The image is {}; images must be at most {}.",
                mib(*bytes),
                mib(*max)
            ),
            ImageLargerThanNeeded {
                width,
                height,
                max_side,
            } => write!(
                f,
                "The image is {width}×{height} px; it is uploaded at most {max_side} px a side."
            ),
            VideoLength { seconds, min, max } => write!(
                f,
                "The video is {} s long; reference videos must be {} to {} s.",
                shown(*seconds, &[*min, *max], 1),
                num(*min),
                num(*max)
            ),
            VideoSize {
                width,
                height,
                min,
                max,
            } => write!(
                f,
                "The video is {width}×{height} px; each side must be {min} to {max} px."
            ),
            VideoFps {
                width,
                height,
                fps,
                min,
                max,
            } => write!(
                f,
                "The video is {width}×{height} at {} fps; reference videos must be {} to {} fps.",
                fps_text(*fps),
                num(*min),
                num(*max)
            ),
            VideoTooManyBytes { bytes, max } => write!(
                f,
                "The video is {}; reference videos must be at most {}.",
                mib(*bytes),
                mib(*max)
            ),
            VideoPixels { width, height, max } => write!(
                f,
                "The video is {width}×{height} px, {} pixels a frame; reference videos may have at most {max}.",
                u64::from(*width) * u64::from(*height)
            ),
            VideoAspect { width, height } => write!(
                f,
                "The video is {width}×{height} px, {:.2} wide for each unit of height; reference videos must be between 0.4 and 2.",
                f64::from(*width) / f64::from((*height).max(1))
            ),
            VideoNoFrames => f.write_str("The video track has no frames."),
            ElementVideoLength { seconds, min, max } => write!(
                f,
                "The video is {} s long; a character's video must be {} to {} s.",
                shown(*seconds, &[*min, *max], 1),
                num(*min),
                num(*max)
            ),
            ElementVideoResolution { width, height, short_side } => write!(
                f,
                "The video is {width}×{height} px; a character's video must be 1080p, {short_side} px on its short side (1920×1080 or 1080×1920)."
            ),
            ElementVideoAspect { width, height } => write!(
                f,
                "The video is {width}×{height} px, {} wide for each unit of height; a character's video must be 16:9 or 9:16.",
                format_args!("{:.2}", f64::from(*width) / f64::from((*height).max(1)))
            ),
            ElementVideoTooManyBytes { bytes, max } => write!(
                f,
                "The video is {}; a character's video must be at most {}.",
                mib(*bytes),
                mib(*max)
            ),
            VoiceLength { seconds, min, max } => write!(
                f,
                "The clip is {} s long; a voice clip must be {} to {} s of one clean voice.",
                shown(*seconds, &[*min, *max], 1),
                num(*min),
                num(*max)
            ),
            AudioUnreadable { reason, .. } => write!(f, "The file cannot be read: {reason}."),
        }
    }
}

fn wrong_kind(
    f: &mut fmt::Formatter<'_>,
    found: &Sniffed,
    name: Option<&str>,
    role: Role,
) -> fmt::Result {
    let what = found.description_named(name);
    if role == Role::VoiceClip {
        return match found {
            Sniffed::Other("an M4A audio file" | "an M4B audio book")
            | Sniffed::Other("a WebM or Matroska video" | "an AVI video") => write!(
                f,
                "This is {what}; voice clips must be MP3, WAV, MP4 or MOV. Convert it to MP3 or WAV first."
            ),
            _ => write!(f, "This is {what}; voice clips must be MP3, WAV, MP4 or MOV."),
        };
    }
    if role.wants_image() {
        match found {
            Sniffed::Heic | Sniffed::Heif | Sniffed::Avif => write!(
                f,
                "This is {what}; only JPEG and PNG images are accepted. Convert it to JPEG first."
            ),
            Sniffed::WebP | Sniffed::Gif | Sniffed::Other("a TIFF image" | "a BMP image") => {
                write!(
                    f,
                    "This is {what}; only JPEG and PNG images are accepted. Convert it to PNG or JPEG first."
                )
            }
            Sniffed::Svg => write!(
                f,
                "This is {what}; only JPEG and PNG images are accepted. Export it as PNG first."
            ),
            Sniffed::Accepted(k) if k.is_video() => write!(
                f,
                "This is {what}; {} must be JPEG or PNG images.",
                role.noun()
            ),
            _ => write!(f, "This is {what}, not an image."),
        }
    } else {
        match found {
            Sniffed::Accepted(k) if k.is_image() => write!(
                f,
                "This is {what}; {} must be MP4 or MOV videos.",
                role.noun()
            ),
            Sniffed::Other("a WebM or Matroska video" | "an AVI video") => write!(
                f,
                "This is {what}; only MP4 and MOV videos are accepted. Convert it to MP4 first."
            ),
            _ => write!(f, "This is {what}, not a video."),
        }
    }
}

/// `1:3.6` (taller) or `3.6:1` (wider); more decimals when one would
/// show a refused ratio as the limit itself.
fn ratio(width: u32, height: u32) -> String {
    let (long, short) = (width.max(height), width.min(height).max(1));
    let r = shown(
        f64::from(long) / f64::from(short),
        &[MAX_IMAGE_ASPECT_NUM as f64 / MAX_IMAGE_ASPECT_DEN as f64],
        1,
    );
    if width < height {
        format!("1:{r}")
    } else {
        format!("{r}:1")
    }
}

/// `value` with `decimals` decimals, or more (up to 3) while it would read
/// as one of `limits` without being it.
fn shown(value: f64, limits: &[f64], decimals: usize) -> String {
    let mut d = decimals;
    loop {
        let s = format!("{value:.d$}");
        let reads_as_limit = limits
            .iter()
            .any(|l| s.parse::<f64>().ok() == Some(*l) && value != *l);
        if !reads_as_limit || d >= 3 {
            return s;
        }
        d += 1;
    }
}

/// `24`, `10.05`: a limit without trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{v:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `120`, `23.98`.
fn fps_text(fps: f64) -> String {
    if (fps - fps.round()).abs() < 0.005 {
        format!("{}", fps.round())
    } else {
        format!("{fps:.2}")
    }
}

/// `10 MiB`, `14.3 MiB`.
fn mib(bytes: u64) -> String {
    num_1(bytes as f64 / (1024.0 * 1024.0)) + " MiB"
}

fn num_1(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// What to do with a file.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Upload it as it is.
    Ok,
    /// Re-encode it by the plan first; `reasons` are the fixable problems.
    Fixable {
        plan: FitPlan,
        reasons: Vec<MediaProblem>,
    },
    /// Refuse it; the problems that refuse it come first, then any
    /// fixable ones.
    Refused(Vec<MediaProblem>),
}

impl Verdict {
    /// Every problem, fixable or not.
    pub fn problems(&self) -> &[MediaProblem] {
        match self {
            Verdict::Ok => &[],
            Verdict::Fixable { reasons, .. } => reasons,
            Verdict::Refused(problems) => problems,
        }
    }

    pub fn messages(&self) -> Vec<String> {
        self.problems().iter().map(MediaProblem::message).collect()
    }

    pub fn is_refused(&self) -> bool {
        matches!(self, Verdict::Refused(_))
    }

    fn from_problems(mut problems: Vec<MediaProblem>, plan: Option<FitPlan>) -> Verdict {
        if problems.is_empty() {
            return Verdict::Ok;
        }
        if problems.iter().any(|p| !p.is_fixable()) {
            problems.sort_by_key(MediaProblem::is_fixable);
            return Verdict::Refused(problems);
        }
        match plan {
            Some(plan) => Verdict::Fixable {
                plan,
                reasons: problems,
            },
            None => Verdict::Refused(problems),
        }
    }
}

/// The kind of a sniffed file if `role` takes it, else the problem.
pub fn check_kind(found: &Sniffed, name: Option<&str>, role: Role) -> Result<Kind, MediaProblem> {
    if *found == Sniffed::Empty {
        return Err(MediaProblem::Empty);
    }
    match found.kind() {
        Some(k) if k.is_image() == role.wants_image() => Ok(k),
        _ => Err(MediaProblem::WrongKind {
            found: found.clone(),
            name: name.map(str::to_string),
            role,
        }),
    }
}

/// An image's header against the image limits (the same for references
/// and frames). Sizes are as shown (after EXIF orientation).
pub fn check_image(info: &ImageInfo, file_len: u64) -> Verdict {
    let (width, height) = info.display_size();
    let mut problems = Vec::new();
    if width.min(height) < MIN_IMAGE_SIDE_PX {
        problems.push(MediaProblem::ImageTooSmall {
            width,
            height,
            min: MIN_IMAGE_SIDE_PX,
        });
    }
    let (long, short) = (u64::from(width.max(height)), u64::from(width.min(height)));
    if long * MAX_IMAGE_ASPECT_DEN > short * MAX_IMAGE_ASPECT_NUM {
        problems.push(MediaProblem::ImageAspect { width, height });
    }
    if !info.decodable() {
        problems.push(MediaProblem::ImageTooLargeToOpen { width, height });
    }
    if file_len > MAX_IMAGE_BYTES {
        problems.push(MediaProblem::ImageTooManyBytes {
            bytes: file_len,
            max: MAX_IMAGE_BYTES,
        });
    }
    if width.max(height) > WORKING_MAX_SIDE {
        problems.push(MediaProblem::ImageLargerThanNeeded {
            width,
            height,
            max_side: WORKING_MAX_SIDE,
        });
    }
    let plan = fit::plan(width, height, info.kind, info.has_alpha, file_len);
    Verdict::from_problems(problems, plan)
}

/// A video's index against the reference video limits.
pub fn check_video(info: &VideoInfo, file_len: u64) -> Verdict {
    let mut problems = Vec::new();
    let seconds = info.seconds();
    if !(MIN_VIDEO_SECONDS..=MAX_VIDEO_SECONDS + VIDEO_SECONDS_TOLERANCE).contains(&seconds) {
        problems.push(MediaProblem::VideoLength {
            seconds,
            min: MIN_VIDEO_SECONDS,
            max: MAX_VIDEO_SECONDS,
        });
    }
    let (width, height) = (info.width, info.height);
    let side_ok = |s: u32| (MIN_VIDEO_SIDE_PX..=MAX_VIDEO_SIDE_PX).contains(&s);
    if !side_ok(width) || !side_ok(height) {
        problems.push(MediaProblem::VideoSize {
            width,
            height,
            min: MIN_VIDEO_SIDE_PX,
            max: MAX_VIDEO_SIDE_PX,
        });
    }
    let pixels = u64::from(width) * u64::from(height);
    if side_ok(width) && side_ok(height) && pixels > MAX_VIDEO_PIXELS {
        problems.push(MediaProblem::VideoPixels {
            width,
            height,
            max: MAX_VIDEO_PIXELS,
        });
    }
    // 0.4 ≤ width / height ≤ 2, in integers: 2·w ≥ 0.8·h… as 5w ≥ 2h and
    // w ≤ 2h.
    let (w, h) = (u64::from(width), u64::from(height));
    if h > 0 && (5 * w < 2 * h || w > 2 * h) {
        problems.push(MediaProblem::VideoAspect { width, height });
    }
    match info.fps() {
        Some(fps)
            if (MIN_VIDEO_FPS - VIDEO_FPS_TOLERANCE..=MAX_VIDEO_FPS + VIDEO_FPS_TOLERANCE)
                .contains(&fps) => {}
        Some(fps) => problems.push(MediaProblem::VideoFps {
            width,
            height,
            fps,
            min: MIN_VIDEO_FPS,
            max: MAX_VIDEO_FPS,
        }),
        None => problems.push(MediaProblem::VideoNoFrames),
    }
    if file_len > MAX_VIDEO_BYTES {
        problems.push(MediaProblem::VideoTooManyBytes {
            bytes: file_len,
            max: MAX_VIDEO_BYTES,
        });
    }
    Verdict::from_problems(problems, None)
}

/// A whole file in memory, picked for `role`; `name` (the file's name, if
/// known) is only used in messages.
pub fn check_file(bytes: &[u8], name: Option<&str>, role: Role) -> Verdict {
    if matches!(role, Role::ElementVideo | Role::VoiceClip) {
        return super::character::check_character_file(bytes, name, role);
    }
    let kind = match check_kind(&sniff(bytes), name, role) {
        Ok(kind) => kind,
        Err(p) => return Verdict::Refused(vec![p]),
    };
    let len = bytes.len() as u64;
    if kind.is_image() {
        match image::read_image(bytes) {
            Ok(info) => check_image(&info, len),
            Err(e) => Verdict::Refused(vec![MediaProblem::Unreadable {
                kind,
                reason: e.to_string(),
            }]),
        }
    } else {
        match video::read_video(bytes) {
            Ok(info) => check_video(&info, len),
            Err(e) => Verdict::Refused(vec![MediaProblem::Unreadable {
                kind,
                reason: e.to_string(),
            }]),
        }
    }
}
