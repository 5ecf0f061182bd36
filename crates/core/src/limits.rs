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
/// Characters in a reference name.
pub const MAX_NAME_CHARS: usize = 20;
/// Images and elements together.
pub const MAX_IMAGES_AND_ELEMENTS: usize = 7;
/// Images and elements together when a reference video is sent.
pub const MAX_IMAGES_AND_ELEMENTS_WITH_VIDEO: usize = 4;
/// Elements when a first (and maybe last) frame is used.
pub const MAX_ELEMENTS_WITH_FRAMES: usize = 3;
/// Images at which an end frame is no longer possible.
pub const MAX_IMAGES_WITH_END_FRAME: usize = 2;
/// Reference videos.
pub const MAX_VIDEOS: usize = 1;
