//! Quoted speech that cannot be said in its shot's time.

use crate::board::Board;
use crate::dialogue;
use crate::problem::{Field, Location, Problem, ProblemKind};

pub(super) fn check(board: &Board, out: &mut Vec<Problem>) {
    for (i, shot) in board.shots.iter().enumerate() {
        let needed_tenths = dialogue::tenths_needed(&shot.prompt);
        if needed_tenths > shot.duration.saturating_mul(10) {
            out.push(Problem::warning(
                Location::Shot(i),
                Field::Prompt,
                ProblemKind::DialogueTooLong {
                    needed_tenths,
                    duration: shot.duration,
                },
            ));
        }
    }
}
