//! The rules engine: every rule of the board format, and the rules of the
//! provider the board goes to (Kling, fal or Replicate), as a list of
//! structured problems.
//!
//! The format's own rules (shots, cast, mentions, frames, dialogue, library
//! characters) apply to every board; `kling`, `fal` and `replicate` apply only when the board goes
//! to that provider. Where a provider's limits are UNCONFIRMED in
//! providers.md, the fal and Replicate rules follow [`RequestOptions`]
//! ([`check`] uses the defaults, which are the safe choices).

mod cast;
mod characters;
mod consistency;
mod dialogue;
mod fal;
mod frames;
pub mod kling;
mod mentions;
mod replicate;
mod shots;

use crate::board::{Board, Provider};
use crate::limits::{MAX_BOARD_PROMPT_CHARS, MAX_SHOT_PROMPT_CHARS};
use crate::options::RequestOptions;
use crate::problem::{Field, Location, Problem, ProblemKind, Severity};
use crate::text::char_len;

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

/// The overall prompt and every shot prompt, each with its place.
pub(crate) fn prompts(board: &Board) -> impl Iterator<Item = (Location, &str)> {
    std::iter::once((Location::Board, board.prompt.as_str())).chain(
        board
            .shots
            .iter()
            .enumerate()
            .map(|(i, s)| (Location::Shot(i), s.prompt.as_str())),
    )
}

/// Checks a board against every rule, for the board's own provider, with
/// the default options.
pub fn check(board: &Board) -> Report {
    check_with(board, &RequestOptions::default())
}

/// [`check`] with the provider options the request would be mapped with.
pub fn check_with(board: &Board, opts: &RequestOptions) -> Report {
    check_for(board, board.provider, opts)
}

/// Checks a board as it would go to `provider`, whatever `board.provider`
/// says (`storyreel-server request --provider` maps any board anywhere).
pub fn check_for(board: &Board, provider: Provider, opts: &RequestOptions) -> Report {
    run(board, provider, opts)
}

fn run(board: &Board, provider: Provider, opts: &RequestOptions) -> Report {
    let mut problems = Vec::new();
    shots::check(board, &mut problems);
    cast::check(board, &mut problems);
    mentions::check(board, &mut problems);
    frames::check(board, &mut problems);
    match provider {
        Provider::Kling => {
            kling::check(board, opts.kling_api, opts.prompt_placement, &mut problems)
        }
        Provider::Fal => fal::check(board, &opts.fal, &mut problems),
        Provider::Replicate => replicate::check(board, &opts.replicate, &mut problems),
    }
    dialogue::check(board, &mut problems);
    characters::check(board, provider, &opts.roster, &mut problems);
    consistency::check(board, &mut problems);
    // Errors first, each group in the order found (a stable partition,
    // not a sort: no sorting code in the editor's first load).
    let (mut problems, warnings): (Vec<_>, Vec<_>) = problems
        .into_iter()
        .partition(|p| p.severity != Severity::Warning);
    problems.extend(warnings);
    Report { problems }
}

/// Prompt lengths as the provider receives them (`sent`, one per shot):
/// at most 2500 characters for a single shot, 512 for each shot of several.
/// Only checked where the board's own texts are within their limits
/// (otherwise that problem is already reported).
fn sent_prompt_lengths(board: &Board, sent: &[String], provider: Provider, out: &mut Vec<Problem>) {
    if char_len(&board.prompt) > MAX_BOARD_PROMPT_CHARS {
        return;
    }
    let max = if board.shots.len() <= 1 {
        MAX_BOARD_PROMPT_CHARS
    } else {
        MAX_SHOT_PROMPT_CHARS
    };
    for (i, (text, shot)) in sent.iter().zip(&board.shots).enumerate() {
        let chars = char_len(text);
        if chars > max && char_len(&shot.prompt) <= MAX_SHOT_PROMPT_CHARS {
            out.push(Problem::error(
                Location::Shot(i),
                Field::Prompt,
                ProblemKind::SentPromptTooLong {
                    provider,
                    chars,
                    max,
                },
            ));
        }
    }
}

/// fal and Replicate take no Kling element-library ids. fal takes a
/// library character (its pictures become one of fal's `elements`);
/// Replicate documents no elements at all, so a character is refused
/// there too.
fn elements_refused(board: &Board, provider: Provider, out: &mut Vec<Problem>) {
    for r in board.elements() {
        let crate::reference::ReferenceKind::Element {
            element_id,
            character,
        } = &r.kind
        else {
            continue;
        };
        let kind = match (character, provider) {
            (Some(_), Provider::Fal) => continue,
            (Some(_), _) => ProblemKind::CharacterNotOnProvider {
                provider,
                name: r.name.clone(),
            },
            (None, _) => ProblemKind::ElementNotOnProvider {
                provider,
                name: r.name.clone(),
                element_id: element_id.clone(),
            },
        };
        out.push(Problem::error(
            Location::Reference(r.name.clone()),
            Field::References,
            kind,
        ));
    }
}

/// A start or end frame with several shots, where the provider's support
/// for it is UNCONFIRMED (unless the options allow it).
fn frames_with_multi_shot(
    board: &Board,
    provider: Provider,
    allowed: bool,
    out: &mut Vec<Problem>,
) {
    let shots = board.shots.len();
    if allowed || shots < 2 {
        return;
    }
    let field = if board.first_frame.is_some() {
        Field::FirstFrame
    } else if board.last_frame.is_some() {
        Field::LastFrame
    } else {
        return;
    };
    out.push(Problem::error(
        Location::Board,
        field,
        ProblemKind::FramesWithMultiShotUnconfirmed { provider, shots },
    ));
}
