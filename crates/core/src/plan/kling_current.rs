//! Kling's current design (`POST /omni-video/kling-3.0-omni`, `{contents,
//! settings, options}`; providers.md §0.3).
//!
//! - Every input is a `contents` item with an `id`, cited in the text as
//!   `@id`. Ids are positional, as in Kling's own examples: images
//!   (frames first, then references) `image_1`…, elements `element_1`…,
//!   the video `video_1`. Kling reads any `@id` in the text as a citation,
//!   so an id must not be a substring of another and must not appear after
//!   an `@` in the user's own text (an e-mail address): when the plain ids
//!   would, the next scheme of [`SCHEMES`] is taken.
//! - The whole prompt is one text. Several shots are written `shot n, m,
//!   words; …;`, so a `;` in a shot's words would end that shot early: it
//!   is sent as `,` (and the rules warn about it). The overall direction
//!   goes before the shot list, or into every shot
//!   ([`PromptPlacement`]).

use crate::board::Board;
use crate::mention;
use crate::options::PromptPlacement;
use crate::reference::{Reference, ReferenceKind, VideoUse};

/// The kind of a `contents` item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputKind {
    FirstFrame,
    LastFrame,
    ReferImage,
    Element,
    FeatureVideo,
    BaseVideo,
}

impl InputKind {
    /// Kling's `contents[].type`.
    pub fn as_str(self) -> &'static str {
        match self {
            InputKind::FirstFrame => "first_frame",
            InputKind::LastFrame => "last_frame",
            InputKind::ReferImage => "refer_image",
            InputKind::Element => "element",
            InputKind::FeatureVideo => "feature_video",
            InputKind::BaseVideo => "base_video",
        }
    }
}

/// One `contents` item other than the prompt.
#[derive(Debug, Clone, PartialEq)]
pub struct Input<'b> {
    pub kind: InputKind,
    pub id: String,
    pub reference: &'b Reference,
}

/// One shot as it appears in the shot list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShotText {
    /// The words as sent: mentions as `@id`, `;` as `,`, with the overall
    /// direction when it goes into every shot.
    pub words: String,
    /// How many `;` were sent as `,`.
    pub semicolons: usize,
}

/// What the board becomes on Kling's current design.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan<'b> {
    /// The items after the prompt, in the order sent.
    pub inputs: Vec<Input<'b>>,
    /// The one prompt text.
    pub text: String,
    /// Each shot's part of the text (one entry for a single shot).
    pub shots: Vec<ShotText>,
    /// `;` of the overall direction sent as `,` (several shots only).
    pub overall_semicolons: usize,
    /// `settings.multi_shot`.
    pub multi_shot: bool,
    /// Text after an `@` in the user's own words that every id scheme
    /// would turn into a citation; empty when the ids are safe.
    pub collisions: Vec<String>,
}

/// Id schemes, tried in order: (images, elements, video).
pub const SCHEMES: [(&str, &str, &str); 3] = [
    ("image", "element", "video"),
    ("img", "elem", "vid"),
    ("input_image", "input_element", "input_video"),
];

impl<'b> Plan<'b> {
    /// The id an input was given, by reference name (a frame's image is
    /// cited by its frame item).
    pub fn id_of(&self, name: &str) -> Option<&str> {
        self.inputs
            .iter()
            .find(|i| i.reference.name == name)
            .map(|i| i.id.as_str())
    }
}

/// The inputs in the order sent, with ids from `scheme`.
fn inputs<'b>(board: &'b Board, scheme: (&str, &str, &str)) -> Vec<Input<'b>> {
    let (image, element, video) = scheme;
    let mut out: Vec<Input<'b>> = Vec::new();
    let mut images = 0;
    let mut push_image = |out: &mut Vec<Input<'b>>, kind, r: &'b Reference| {
        images += 1;
        out.push(Input {
            kind,
            id: format!("{image}_{images}"),
            reference: r,
        });
    };
    if let Some(r) = super::frame(board, &board.first_frame) {
        push_image(&mut out, InputKind::FirstFrame, r);
    }
    if let Some(r) = super::frame(board, &board.last_frame) {
        push_image(&mut out, InputKind::LastFrame, r);
    }
    for r in board.images() {
        if !out.iter().any(|i| i.reference.name == r.name) {
            push_image(&mut out, InputKind::ReferImage, r);
        }
    }
    for (n, r) in board.elements().enumerate() {
        out.push(Input {
            kind: InputKind::Element,
            id: format!("{element}_{}", n + 1),
            reference: r,
        });
    }
    if let Some(r) = board.video() {
        let kind = match r.kind {
            ReferenceKind::Video {
                usage: VideoUse::Base,
                ..
            } => InputKind::BaseVideo,
            _ => InputKind::FeatureVideo,
        };
        out.push(Input {
            kind,
            id: format!("{video}_1"),
            reference: r,
        });
    }
    out
}

/// The user's own text with every known mention taken out: what Kling
/// would read as plain words, lowercased. A text with no `@` left cannot
/// cite anything and is left out.
fn plain_texts(board: &Board) -> Vec<String> {
    let known = |n: &str| board.reference(n).is_some();
    std::iter::once(board.prompt.as_str())
        .chain(board.shots.iter().map(|s| s.prompt.as_str()))
        .filter(|t| t.contains('@'))
        .map(|t| mention::rewrite(t, &known, &|_| Some(" ".to_string())))
        .filter(|t| t.contains('@'))
        .map(|t| t.to_ascii_lowercase())
        .collect()
}

/// The `@…` of the user's plain words (lowercased, from [`plain_texts`])
/// that an id of `inputs` would match, or an id that is a substring of
/// another.
fn clashes(inputs: &[Input<'_>], plain: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for input in inputs {
        let cited = format!("@{}", input.id).to_ascii_lowercase();
        for text in plain {
            if text.contains(&cited) && !out.contains(&cited) {
                out.push(cited.clone());
            }
        }
        for other in inputs {
            if other.id != input.id && other.id.contains(&input.id) {
                out.push(format!("@{}", input.id));
            }
        }
    }
    out
}

/// `text` with `;` sent as `,`, and how many there were.
fn without_semicolons(text: &str) -> (String, usize) {
    let count = text.matches(';').count();
    (text.replace(';', ","), count)
}

/// The plan of `board` on Kling's current design.
pub fn plan(board: &Board, placement: PromptPlacement) -> Plan<'_> {
    let plain = plain_texts(board);
    let mut chosen = None;
    let mut first_clashes = Vec::new();
    for (i, scheme) in SCHEMES.into_iter().enumerate() {
        let candidate = inputs(board, scheme);
        let found = clashes(&candidate, &plain);
        if found.is_empty() {
            chosen = Some(candidate);
            break;
        }
        if i == 0 {
            first_clashes = found;
        }
    }
    let (inputs, collisions) = match chosen {
        Some(inputs) => (inputs, Vec::new()),
        None => (inputs(board, SCHEMES[0]), first_clashes),
    };

    let tag = |name: &str| {
        inputs
            .iter()
            .find(|i| i.reference.name == name)
            .map(|i| format!("@{}", i.id))
    };
    let overall = super::spelled(board, &board.prompt, &tag)
        .trim()
        .to_string();
    let multi_shot = board.shots.len() > 1;
    if !multi_shot {
        let words = board
            .shots
            .first()
            .map(|s| super::spelled(board, &s.prompt, &tag))
            .unwrap_or_default();
        let text = super::joined(&overall, &words);
        return Plan {
            inputs,
            shots: vec![ShotText {
                words: text.clone(),
                semicolons: 0,
            }],
            text,
            overall_semicolons: 0,
            multi_shot,
            collisions,
        };
    }

    let (overall, overall_semicolons) = without_semicolons(&overall);
    let shots: Vec<ShotText> = board
        .shots
        .iter()
        .map(|s| {
            let (words, semicolons) =
                without_semicolons(super::spelled(board, &s.prompt, &tag).trim());
            let words = match placement {
                PromptPlacement::EveryShot => super::joined(&overall, &words),
                PromptPlacement::BeforeShots => words,
            };
            ShotText { words, semicolons }
        })
        .collect();
    let list = board
        .shots
        .iter()
        .zip(&shots)
        .enumerate()
        .map(|(i, (s, t))| format!("shot {}, {}, {};", i + 1, s.duration, t.words))
        .collect::<Vec<_>>()
        .join(" ");
    let text = match placement {
        PromptPlacement::BeforeShots => super::joined(&overall, &list),
        PromptPlacement::EveryShot => list,
    };
    Plan {
        inputs,
        text,
        shots,
        overall_semicolons: match placement {
            PromptPlacement::BeforeShots => overall_semicolons,
            PromptPlacement::EveryShot => overall_semicolons * board.shots.len(),
        },
        multi_shot,
        collisions,
    }
}

/// The shape of the request in words: `multi-shot (3 shots) from a first
/// frame`, `single shot`.
pub(super) fn shape_words(board: &Board) -> String {
    let shots = match board.shots.len() {
        0 | 1 => "single shot".to_string(),
        n => format!("multi-shot ({n} shots)"),
    };
    let frames = match (&board.first_frame, &board.last_frame) {
        (Some(_), Some(_)) => " between a first and a last frame",
        (Some(_), None) => " from a first frame",
        _ => "",
    };
    format!("{shots}{frames}, {}", board.resolution.label())
}

/// Where the board goes, in words.
pub fn describe(board: &Board) -> String {
    format!("Kling 3.0 Omni, {}", shape_words(board))
}
