//! Every `@name` in a prompt must be in the cast.

use crate::board::Board;
use crate::mention;
use crate::problem::{Field, Problem, ProblemKind};

pub(super) fn check(board: &Board, out: &mut Vec<Problem>) {
    let known = |n: &str| board.reference(n).is_some();
    for (at, text) in super::prompts(board) {
        let mut seen: Vec<&str> = Vec::new();
        for m in mention::find(text, &known) {
            if !m.known && !seen.contains(&m.name) {
                seen.push(m.name);
                out.push(Problem::error(
                    at.clone(),
                    Field::Prompt,
                    ProblemKind::UnknownMention {
                        name: m.name.to_string(),
                    },
                ));
            }
        }
    }
}
