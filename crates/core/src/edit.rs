//! Edits the editor makes to a board. Each either applies in full or is
//! refused with a reason, so the editor can never build a board whose shots
//! break the count or the time budget.

use thiserror::Error;

use crate::board::{Board, Shot};
use crate::limits::{MAX_SHOTS, MIN_SHOT_SECONDS};

/// Length of a new shot when the budget allows it.
pub const NEW_SHOT_SECONDS: u32 = 3;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum EditError {
    #[error("a video holds at most {max} shots")]
    ShotLimit { max: usize },
    #[error("no time left: the shots already use all {max} s")]
    NoTimeLeft { max: u32 },
    #[error("shot {shot} is {needed} s but only {left} s are left of {max} s")]
    NotEnoughTime {
        shot: usize,
        needed: u32,
        left: u32,
        max: u32,
    },
    #[error("{asked} s would make the video {total} s; the limit is {max} s, so this shot can last at most {longest} s")]
    OverBudget {
        asked: u32,
        total: u32,
        max: u32,
        /// The longest this shot may be now.
        longest: u32,
    },
    #[error("a shot lasts at least {min} s")]
    TooShort { min: u32 },
    #[error("a board needs at least one shot")]
    LastShot,
    #[error("there is no shot {0}")]
    NoSuchShot(usize),
}

fn shot_index(board: &Board, index: usize) -> Result<(), EditError> {
    if index < board.shots.len() {
        Ok(())
    } else {
        Err(EditError::NoSuchShot(index + 1))
    }
}

/// Appends an empty shot of up to [`NEW_SHOT_SECONDS`]; returns its index.
pub fn add_shot(board: &mut Board) -> Result<usize, EditError> {
    can_add_shot(board)?;
    let duration = NEW_SHOT_SECONDS.min(board.seconds_left());
    board.shots.push(Shot::new("", duration));
    Ok(board.shots.len() - 1)
}

/// Why a shot cannot be added now, if it cannot.
pub fn can_add_shot(board: &Board) -> Result<(), EditError> {
    if board.shots.len() >= MAX_SHOTS {
        return Err(EditError::ShotLimit { max: MAX_SHOTS });
    }
    if board.seconds_left() < MIN_SHOT_SECONDS {
        return Err(EditError::NoTimeLeft {
            max: board.max_total_seconds(),
        });
    }
    Ok(())
}

/// Inserts a copy of shot `index` after it; returns the copy's index.
pub fn duplicate_shot(board: &mut Board, index: usize) -> Result<usize, EditError> {
    shot_index(board, index)?;
    if board.shots.len() >= MAX_SHOTS {
        return Err(EditError::ShotLimit { max: MAX_SHOTS });
    }
    let copy = board.shots[index].clone();
    let left = board.seconds_left();
    if copy.duration > left {
        return Err(EditError::NotEnoughTime {
            shot: index + 1,
            needed: copy.duration,
            left,
            max: board.max_total_seconds(),
        });
    }
    board.shots.insert(index + 1, copy);
    Ok(index + 1)
}

/// Removes shot `index`; the last shot cannot be removed. Returns it.
pub fn delete_shot(board: &mut Board, index: usize) -> Result<Shot, EditError> {
    shot_index(board, index)?;
    if board.shots.len() == 1 {
        return Err(EditError::LastShot);
    }
    Ok(board.shots.remove(index))
}

/// Moves shot `from` to position `to` (both 0-based, `to` clamped).
pub fn move_shot(board: &mut Board, from: usize, to: usize) -> Result<usize, EditError> {
    shot_index(board, from)?;
    let to = to.min(board.shots.len() - 1);
    let shot = board.shots.remove(from);
    board.shots.insert(to, shot);
    Ok(to)
}

/// Sets shot `index` to `seconds`, refusing a length below the minimum or
/// one that would take the video past its limit.
pub fn set_duration(board: &mut Board, index: usize, seconds: u32) -> Result<(), EditError> {
    shot_index(board, index)?;
    if seconds < MIN_SHOT_SECONDS {
        return Err(EditError::TooShort {
            min: MIN_SHOT_SECONDS,
        });
    }
    let others = board.total_seconds() - board.shots[index].duration;
    let max = board.max_total_seconds();
    let total = others.saturating_add(seconds);
    if total > max && seconds > board.shots[index].duration {
        return Err(EditError::OverBudget {
            asked: seconds,
            total,
            max,
            longest: max.saturating_sub(others).max(board.shots[index].duration),
        });
    }
    board.shots[index].duration = seconds;
    Ok(())
}

/// The longest shot `index` may become now.
pub fn max_duration(board: &Board, index: usize) -> u32 {
    let current = board.shots.get(index).map_or(0, |s| s.duration);
    let others = board.total_seconds() - current;
    board
        .max_total_seconds()
        .saturating_sub(others)
        .max(current)
}
