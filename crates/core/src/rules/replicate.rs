//! Rules of Replicate's `kwaivgi/kling-v3-omni-video`, applied only when the
//! board goes to Replicate: no Kling elements, frames with several shots
//! only when allowed (UNCONFIRMED; see [`ReplicateOptions`]), an edited
//! video sets the length, and prompt lengths as Replicate receives them.

use crate::board::{Board, Provider, Resolution};
use crate::options::ReplicateOptions;
use crate::plan::replicate;
use crate::problem::{Field, Location, Problem, ProblemKind};

pub(super) fn check(board: &Board, opts: &ReplicateOptions, out: &mut Vec<Problem>) {
    super::elements_refused(board, Provider::Replicate, out);
    if board.resolution == Resolution::K4 {
        out.push(Problem::error(
            Location::Board,
            Field::Resolution,
            ProblemKind::ResolutionNotOnProvider {
                provider: Provider::Replicate,
                resolution: board.resolution,
                what: format!(
                    "output on {} (its modes are standard and pro)",
                    replicate::MODEL
                ),
            },
        ));
    }
    super::frames_with_multi_shot(
        board,
        Provider::Replicate,
        opts.allow_frames_with_multi_shot,
        out,
    );

    if let Some(video) = board.base_video() {
        out.push(Problem::warning(
            Location::Board,
            Field::Duration,
            ProblemKind::ReplicateBaseVideoSetsLength {
                video: video.name.clone(),
                total: board.total_seconds(),
            },
        ));
    }

    let sent = replicate::sent_prompts(board);
    super::sent_prompt_lengths(board, &sent, Provider::Replicate, out);
    // With several shots the required `prompt` is the overall direction (or
    // the first shot's sent prompt): it is in front of every shot's sent
    // prompt, so the 512 check above also keeps it within 2500.
}
