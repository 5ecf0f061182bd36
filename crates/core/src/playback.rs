//! A clip's shots on the player's time line: one chapter per shot, from the
//! durations of the board the clip was made from.

use crate::board::Board;

/// `[start, end)` in seconds, one per shot, in order.
pub type Chapter = (f64, f64);

/// The chapters of a clip made from `board`: shot after shot, each as long
/// as its duration.
pub fn chapters(board: &Board) -> Vec<Chapter> {
    let mut start = 0.0;
    board
        .shots
        .iter()
        .map(|s| {
            let end = start + f64::from(s.duration);
            let c = (start, end);
            start = end;
            c
        })
        .collect()
}

/// The chapters stretched (or shrunk) to a clip of `duration` seconds, as
/// a provider may deliver a clip a little longer or shorter than asked.
/// An unknown or absurd duration leaves them as they are.
pub fn fit(chapters: &[Chapter], duration: f64) -> Vec<Chapter> {
    let total = chapters.last().map_or(0.0, |c| c.1);
    if !(duration.is_finite() && duration > 0.0 && total > 0.0) {
        return chapters.to_vec();
    }
    let k = duration / total;
    chapters.iter().map(|(a, b)| (a * k, b * k)).collect()
}

/// The shot playing at `t` seconds. Before the start it is the first, at or
/// after the end the last; `None` only without chapters.
pub fn shot_at(chapters: &[Chapter], t: f64) -> Option<usize> {
    if chapters.is_empty() {
        return None;
    }
    if !t.is_finite() || t < 0.0 {
        return Some(0);
    }
    Some(
        chapters
            .iter()
            .position(|(_, end)| t < *end)
            .unwrap_or(chapters.len() - 1),
    )
}

/// How far into a shot "previous" still means "back to its start".
pub const RESTART_GRACE_S: f64 = 1.0;

/// Where "previous shot" goes from `t`: the start of the current shot when
/// more than [`RESTART_GRACE_S`] of it has played, else the start of the one
/// before (or of the first).
pub fn previous_start(chapters: &[Chapter], t: f64) -> f64 {
    let Some(i) = shot_at(chapters, t) else {
        return 0.0;
    };
    let (start, _) = chapters[i];
    if t - start > RESTART_GRACE_S || i == 0 {
        start
    } else {
        chapters[i - 1].0
    }
}

/// Where "next shot" goes from `t`: the start of the following shot, or
/// `None` in the last one.
pub fn next_start(chapters: &[Chapter], t: f64) -> Option<f64> {
    let i = shot_at(chapters, t)?;
    chapters.get(i + 1).map(|c| c.0)
}

/// A chapter's start and width as percentages of `total` seconds, for
/// drawing its mark on a scrubber.
pub fn percent(chapter: Chapter, total: f64) -> (f64, f64) {
    if !(total.is_finite() && total > 0.0) {
        return (0.0, 0.0);
    }
    let clamp = |x: f64| (x / total * 100.0).clamp(0.0, 100.0);
    let left = clamp(chapter.0);
    (left, clamp(chapter.1) - left)
}
