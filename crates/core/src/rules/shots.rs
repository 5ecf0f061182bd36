//! Shot count, durations, the video's length, prompt lengths.

use crate::board::Board;
use crate::limits::*;
use crate::problem::{Field, Location, Problem, ProblemKind};
use crate::text::char_len;

pub(super) fn check(board: &Board, out: &mut Vec<Problem>) {
    let count = board.shots.len();
    if count == 0 {
        out.push(Problem::error(
            Location::Board,
            Field::Shots,
            ProblemKind::NoShots,
        ));
    } else if count > MAX_SHOTS {
        out.push(Problem::error(
            Location::Board,
            Field::Shots,
            ProblemKind::TooManyShots {
                count,
                max: MAX_SHOTS,
            },
        ));
    }

    for (i, shot) in board.shots.iter().enumerate() {
        if shot.duration < MIN_SHOT_SECONDS {
            out.push(Problem::error(
                Location::Shot(i),
                Field::Duration,
                ProblemKind::ShotTooShort {
                    duration: shot.duration,
                    min: MIN_SHOT_SECONDS,
                },
            ));
        }
        let chars = char_len(&shot.prompt);
        if shot.prompt.trim().is_empty() {
            out.push(Problem::error(
                Location::Shot(i),
                Field::Prompt,
                ProblemKind::EmptyPrompt,
            ));
        } else if chars > MAX_SHOT_PROMPT_CHARS {
            out.push(Problem::error(
                Location::Shot(i),
                Field::Prompt,
                ProblemKind::PromptTooLong {
                    chars,
                    max: MAX_SHOT_PROMPT_CHARS,
                },
            ));
        }
    }

    if count > 0 {
        let total = board.total_seconds();
        let max = board.max_total_seconds();
        if total < MIN_TOTAL_SECONDS {
            out.push(Problem::error(
                Location::Board,
                Field::Duration,
                ProblemKind::TotalTooShort {
                    total,
                    min: MIN_TOTAL_SECONDS,
                },
            ));
        } else if total > max {
            out.push(Problem::error(
                Location::Board,
                Field::Duration,
                ProblemKind::TotalTooLong {
                    total,
                    max,
                    with_video: board.has_video(),
                },
            ));
        }
    }

    let chars = char_len(&board.prompt);
    if chars > MAX_BOARD_PROMPT_CHARS {
        out.push(Problem::error(
            Location::Board,
            Field::Prompt,
            ProblemKind::PromptTooLong {
                chars,
                max: MAX_BOARD_PROMPT_CHARS,
            },
        ));
    }
}
