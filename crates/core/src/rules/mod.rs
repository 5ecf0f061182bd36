//! The rules engine: every rule of the board format and of Kling O3, as a
//! list of structured problems.

mod cast;
mod dialogue;
mod frames;
mod mentions;
mod route;
mod shots;

use crate::board::Board;
use crate::problem::{Location, Problem, Severity};

/// The problems of one board, errors first.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    pub problems: Vec<Problem>,
}

impl Report {
    pub fn has_errors(&self) -> bool {
        self.problems.iter().any(Problem::is_error)
    }

    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| !p.is_error())
    }

    pub fn error_count(&self) -> usize {
        self.errors().count()
    }

    /// Problems about one place, e.g. shot 2.
    pub fn at<'a>(&'a self, location: &'a Location) -> impl Iterator<Item = &'a Problem> {
        self.problems
            .iter()
            .filter(move |p| &p.location == location)
    }
}

/// Checks a board against every rule.
pub fn check(board: &Board) -> Report {
    let mut problems = Vec::new();
    shots::check(board, &mut problems);
    cast::check(board, &mut problems);
    mentions::check(board, &mut problems);
    frames::check(board, &mut problems);
    route::check(board, &mut problems);
    dialogue::check(board, &mut problems);
    problems.sort_by_key(|p| p.severity == Severity::Warning);
    Report { problems }
}
