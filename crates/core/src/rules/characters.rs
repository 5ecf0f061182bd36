//! Library characters on a board: whether the Kling element each one
//! names can be sent (made, not still being made, not failed, not deleted,
//! by what the library's [`Roster`] says), and what their voices mean for
//! dialogue.
//!
//! fal sends a character's pictures, not its element, so only Kling is
//! held to the element. The voice warnings apply everywhere: the voice a
//! line is said in is the editor's to show ([`crate::dialogue::voices_for_shot`]).

use crate::board::{Board, Provider};
use crate::character::{ElementStatus, Roster};
use crate::dialogue;
use crate::limits::{
    MAX_IMAGES_WITH_VIDEO_CHARACTERS, MAX_VIDEO_CHARACTERS, MAX_VIDEO_CHARACTERS_WITH_VIDEO,
};
use crate::mention;
use crate::plan::is_mentioned;
use crate::problem::{Field, Location, Problem, ProblemKind};
use crate::reference::ReferenceKind;

pub(super) fn check(board: &Board, provider: Provider, roster: &Roster, out: &mut Vec<Problem>) {
    if provider == Provider::Kling {
        elements(board, roster, out);
        video_characters(board, out);
    }
    voices(board, out);
}

/// Each character's Kling element: made, and as the library knows it.
fn elements(board: &Board, roster: &Roster, out: &mut Vec<Problem>) {
    for r in board.elements() {
        let ReferenceKind::Element {
            element_id,
            character: Some(link),
        } = &r.kind
        else {
            continue;
        };
        let at = Location::Reference(r.name.clone());
        let name = r.name.clone();
        let kind = match roster.get(&link.id) {
            Some(ElementStatus::Making { .. }) => ProblemKind::CharacterElementMaking { name },
            Some(ElementStatus::Failed { reason }) => ProblemKind::CharacterElementFailed {
                name,
                reason: reason.clone(),
            },
            Some(ElementStatus::Deleted { element_id: gone }) => {
                ProblemKind::CharacterElementDeleted {
                    name,
                    element_id: if element_id.is_empty() {
                        gone.clone()
                    } else {
                        element_id.clone()
                    },
                }
            }
            _ if element_id.is_empty() => ProblemKind::CharacterWithoutElement { name },
            // The app brings the board up to date when it sees the
            // library's new id; until then the board's own id is sent,
            // which may still work, so this only warns.
            Some(ElementStatus::Ready { element_id: now }) if now != element_id => {
                out.push(Problem::warning(
                    at,
                    Field::ElementId,
                    ProblemKind::CharacterElementChanged {
                        name,
                        board_id: element_id.clone(),
                        library_id: now.clone(),
                    },
                ));
                continue;
            }
            _ => continue,
        };
        out.push(Problem::error(at, Field::ElementId, kind));
    }
}

/// Kling's counts for elements made from a video of a real person
/// (providers.md §0.3). Only a library character is known to be one; a
/// bare element id counts as an image element.
fn video_characters(board: &Board, out: &mut Vec<Problem>) {
    let is_video_character =
        |r: &&crate::reference::Reference| r.character_link().is_some_and(|l| l.look.is_video());
    let count = board.elements().filter(is_video_character).count();
    if count == 0 {
        return;
    }
    let image_elements = board.elements().count() - count;
    let mut push = |kind| out.push(Problem::error(Location::Board, Field::References, kind));
    if board.video().is_some() {
        if count > MAX_VIDEO_CHARACTERS_WITH_VIDEO || image_elements > 0 {
            push(ProblemKind::VideoCharactersWithVideo {
                count,
                images: image_elements,
                max: MAX_VIDEO_CHARACTERS_WITH_VIDEO,
            });
        }
        return;
    }
    if count > MAX_VIDEO_CHARACTERS {
        push(ProblemKind::TooManyVideoCharacters {
            count,
            max: MAX_VIDEO_CHARACTERS,
        });
    }
    let images = board.images().count() + image_elements;
    if images > MAX_IMAGES_WITH_VIDEO_CHARACTERS {
        push(ProblemKind::TooManyImagesWithVideoCharacters {
            count: images,
            max: MAX_IMAGES_WITH_VIDEO_CHARACTERS,
        });
    }
}

/// A voice that will not be heard, and speech no character says.
fn voices(board: &Board, out: &mut Vec<Problem>) {
    if !board.sound {
        for r in board.elements() {
            let Some(voice) = r.character_link().and_then(|l| l.voice.as_ref()) else {
                continue;
            };
            if is_mentioned(board, &r.name) {
                out.push(Problem::warning(
                    Location::Reference(r.name.clone()),
                    Field::Sound,
                    ProblemKind::VoiceWithSoundOff {
                        name: r.name.clone(),
                        voice: voice.name.clone(),
                    },
                ));
            }
        }
    }
    // Only on a board with characters: without any, who speaks is the
    // prompt's to say, as it always was.
    if !board.elements().any(|r| r.character_link().is_some()) {
        return;
    }
    let known = |n: &str| board.reference(n).is_some();
    for (i, shot) in board.shots.iter().enumerate() {
        if !dialogue::has_speech(&shot.prompt) {
            continue;
        }
        let cites_character = mention::find(&shot.prompt, &known).iter().any(|m| {
            board
                .reference(m.name)
                .is_some_and(|r| r.character_link().is_some())
        });
        if !cites_character {
            out.push(Problem::warning(
                Location::Shot(i),
                Field::Prompt,
                ProblemKind::SpeechWithoutCharacter,
            ));
        }
    }
}
