//! The numbers of the board format and of Kling O3 (see `shared/docs`).

/// Shots in one request.
pub const MAX_SHOTS: usize = 6;
/// Shortest shot, in whole seconds.
pub const MIN_SHOT_SECONDS: u32 = 1;
/// Shortest video.
pub const MIN_TOTAL_SECONDS: u32 = 3;
/// Longest video.
pub const MAX_TOTAL_SECONDS: u32 = 15;
/// Longest video when a reference video is sent.
pub const MAX_TOTAL_SECONDS_WITH_VIDEO: u32 = 10;
/// Characters in one shot prompt.
pub const MAX_SHOT_PROMPT_CHARS: usize = 512;
/// Characters in the overall prompt.
pub const MAX_BOARD_PROMPT_CHARS: usize = 2500;
/// Digits in a Kling element id. Kling's ids are numbers written as
/// strings (18 digits in its examples); 19 digits always fit the legacy
/// design's 64-bit `element_id` and a version-1 share link.
pub const MAX_ELEMENT_ID_DIGITS: usize = 19;
/// Characters in a reference name.
pub const MAX_NAME_CHARS: usize = 20;
/// Images and elements together.
pub const MAX_IMAGES_AND_ELEMENTS: usize = 7;
/// Images and elements together when a reference video is sent.
pub const MAX_IMAGES_AND_ELEMENTS_WITH_VIDEO: usize = 4;
/// Elements when a first (and maybe last) frame is used.
pub const MAX_ELEMENTS_WITH_FRAMES: usize = 3;
/// Elements made from a video of a real person (Kling's "video character"
/// elements) in one request (providers.md §0.3).
pub const MAX_VIDEO_CHARACTERS: usize = 3;
/// Images and image elements together when video-character elements are
/// sent (providers.md §0.3).
pub const MAX_IMAGES_WITH_VIDEO_CHARACTERS: usize = 4;
/// Video-character elements with a reference video, and then no image
/// elements beside them (providers.md §0.3).
pub const MAX_VIDEO_CHARACTERS_WITH_VIDEO: usize = 1;
/// Images at which an end frame is no longer possible.
pub const MAX_IMAGES_WITH_END_FRAME: usize = 2;
/// Reference videos.
pub const MAX_VIDEOS: usize = 1;

// ------------------------------------------------------------ media files
// Kling O3's media limits (providers.md §1.5, storyboard-format.md). The
// documents say "MB" without saying which, and 10 MiB and 200 MiB are
// read here. The server's uploads take their limits from these constants
// (`crates/server/src/uploads/store.rs`: images, and the default
// `--upload-max-bytes`), so a file the browser passes is one the server
// stores.

/// Shortest side of an image reference or frame, in pixels.
pub const MIN_IMAGE_SIDE_PX: u32 = 300;
/// Largest image file: 10 MiB (the server's upload limit for images).
pub const MAX_IMAGE_BYTES: u64 = 10 * 1024 * 1024;
/// Widest image aspect ratio, long side to short side, as the fraction
/// `MAX_IMAGE_ASPECT_NUM / MAX_IMAGE_ASPECT_DEN` (2.5:1 either way), so
/// the check is exact in integers.
pub const MAX_IMAGE_ASPECT_NUM: u64 = 5;
pub const MAX_IMAGE_ASPECT_DEN: u64 = 2;
/// Shortest reference video, in seconds.
pub const MIN_VIDEO_SECONDS: f64 = 3.0;
/// Longest reference video, in seconds (Kling's Omni page since
/// 2026-06: 3 to 15.5 s).
pub const MAX_VIDEO_SECONDS: f64 = 15.5;
/// How far past [`MAX_VIDEO_SECONDS`] a video may run. Kling's 15.5 s
/// already leaves half a second for the few milliseconds a 15 s
/// recording runs over (the last frame's duration, an audio priming
/// sample), so none is added. The minimum has none either.
pub const VIDEO_SECONDS_TOLERANCE: f64 = 0.0;
/// Smallest side of a reference video, in pixels.
pub const MIN_VIDEO_SIDE_PX: u32 = 700;
/// Largest side of a reference video, in pixels.
pub const MAX_VIDEO_SIDE_PX: u32 = 4553;
/// Most pixels in one frame of a reference video (3840×2160).
pub const MAX_VIDEO_PIXELS: u64 = 8_294_400;
/// Lowest average frame rate of a reference video.
pub const MIN_VIDEO_FPS: f64 = 24.0;
/// Highest average frame rate of a reference video.
pub const MAX_VIDEO_FPS: f64 = 60.0;
/// How far an average frame rate may be below [`MIN_VIDEO_FPS`] or above
/// [`MAX_VIDEO_FPS`]: NTSC's 23.976 (24000/1001) fps is "24 fps" to
/// everyone, and an average over a variable-rate phone recording wobbles
/// by a few hundredths.
pub const VIDEO_FPS_TOLERANCE: f64 = 0.1;
/// Largest video file: 200 MiB (the server's default upload limit).
pub const MAX_VIDEO_BYTES: u64 = 200 * 1024 * 1024;

// ------------------------------------------------------------ characters
// Kling's Element Management and Voice Management pages (providers.md
// §0.5). A character's images have the same limits as a reference image
// above (jpg/png, "10MB", at least 300 px, 1:2.5 to 2.5:1), so they share
// those constants, and "200MB" for its video is [`MAX_VIDEO_BYTES`], read
// as MiB for the same reason as above.

/// Shortest video a character is made from (`video_refer`), in seconds.
pub const MIN_ELEMENT_VIDEO_SECONDS: f64 = 3.0;
/// Longest video a character is made from, in seconds.
pub const MAX_ELEMENT_VIDEO_SECONDS: f64 = 8.0;
/// The short side of a character's video: Kling asks for "1080P" with an
/// aspect ratio of 16:9 or 9:16. "1080P" names 1080 lines of the frame's
/// short side (1080p is 1920×1080; held upright, 1080×1920), so with
/// 16:9 or 9:16 the only sizes are 1920×1080 and 1080×1920. A 720p or 4K
/// video is not "1080P", and Kling does not say it rescales, so neither
/// is taken.
pub const ELEMENT_VIDEO_SHORT_SIDE_PX: u32 = 1080;
/// The element video's aspect ratio, long side to short side (16:9,
/// either way), exact in integers.
pub const ELEMENT_VIDEO_ASPECT_LONG: u64 = 16;
pub const ELEMENT_VIDEO_ASPECT_SHORT: u64 = 9;
/// Shortest voice clip for a custom voice, in seconds ("no less than 5
/// seconds").
pub const MIN_VOICE_SECONDS: f64 = 5.0;
/// Longest voice clip for a custom voice, in seconds ("no longer than 30
/// seconds").
pub const MAX_VOICE_SECONDS: f64 = 30.0;

// ------------------------------------------------------------ per model
/// The limits of one Kling model on one design that differ between models
/// or designs. A later model (Kling 4.0 is rolling out with longer videos
/// and more references) is a new row, not a rewrite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModelLimits {
    /// The whole prompt text as sent, in characters (`None`: the design
    /// sends no single text, only per-shot prompts).
    pub max_text_chars: Option<usize>,
    /// Past this, a warning: Kling recommends shorter prompts.
    pub recommended_text_chars: Option<usize>,
    /// One shot's words in a multi-shot request, in characters.
    pub max_shot_chars: usize,
}

/// Kling 3.0 Omni on the current design (providers.md §0.3).
pub const OMNI_3_CURRENT: ModelLimits = ModelLimits {
    max_text_chars: Some(3072),
    recommended_text_chars: Some(2500),
    max_shot_chars: 512,
};

/// Kling 3.0 Omni on the legacy design (providers.md §1.3–1.5).
pub const OMNI_3_LEGACY: ModelLimits = ModelLimits {
    max_text_chars: None,
    recommended_text_chars: None,
    max_shot_chars: 512,
};
