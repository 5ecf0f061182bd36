//! A failure in plain words: what went wrong, what the provider said,
//! which shot or reference is at fault, and whether anything was charged.

use super::charge::{cash_text, units_text};
use super::failure::RELAY_CODE;
use crate::board::{Board, Provider};
use crate::response::{Charged, Failure, FailureCategory};

/// `text` ending with a full stop.
pub(super) fn sentence(text: &str) -> String {
    let t = text.trim_end();
    if t.ends_with(['.', '!', '?']) {
        t.to_string()
    } else {
        format!("{t}.")
    }
}

/// The first sentence of a failure, in plain words.
pub fn headline(failure: &Failure) -> &'static str {
    if failure.code.as_deref() == Some(RELAY_CODE) {
        return "The app's server could not pass the request on.";
    }
    match failure.category {
        FailureCategory::ContentSafety => {
            "Blocked by the provider's content safety check: change the prompt or the references."
        }
        other => other.plain(),
    }
}

/// Whether it cost anything, in plain words.
pub fn charged_sentence(charged: Charged) -> String {
    match charged {
        Charged::Nothing => "Nothing was charged (no credits spent).".into(),
        Charged::Units(0.0) => "Nothing was charged (0 units).".into(),
        Charged::Units(u) => format!("The provider charged {} units.", units_text(u)),
        Charged::Cash(cash) => format!("The provider charged {}.", cash_text(cash)),
        Charged::Unknown => {
            "Whether credits were charged is not known; check the provider's dashboard.".into()
        }
    }
}

/// What went wrong, what the provider said, where (when known) and whether
/// it cost anything.
pub fn explain(failure: &Failure, board: &Board, provider: Provider) -> String {
    let mut out = headline(failure).to_string();
    let message = failure.message.trim();
    if !message.is_empty() {
        let who = if failure.code.as_deref() == Some(RELAY_CODE) {
            "The server"
        } else {
            "The provider"
        };
        out.push_str(&format!(" {who} said: “{message}”"));
        match (&failure.code, failure.http_status) {
            (Some(code), _) if code != RELAY_CODE => out.push_str(&format!(" (code {code})")),
            (_, Some(status)) => out.push_str(&format!(" (HTTP {status})")),
            _ => {}
        }
        out.push('.');
    } else if let Some(code) = failure.code.as_deref().filter(|c| *c != RELAY_CODE) {
        out.push_str(&format!(" (code {code})"));
    }
    if let Some(place) = at_fault(message, board, provider) {
        out.push_str(&format!(" It concerns {place}."));
    }
    out.push(' ');
    out.push_str(&charged_sentence(failure.charged));
    out
}

/// The shot or reference a provider's message points at, where it names
/// one: a request field with an index (`multi_prompt[1]`,
/// `image_urls.0`), a frame or video field, or an `@name` of the cast.
pub fn at_fault(message: &str, board: &Board, provider: Provider) -> Option<String> {
    let lower = message.to_ascii_lowercase();
    if let Some(i) = indexed(&lower, "multi_prompt") {
        if i < board.shots.len() {
            return Some(format!("shot {}", i + 1));
        }
    }
    if let Some(n) = shot_named(&lower, board.shots.len()) {
        return Some(format!("shot {n}"));
    }
    let images: Vec<&str> = match provider {
        Provider::Kling => {
            let mut names: Vec<&str> = Vec::new();
            for n in [&board.first_frame, &board.last_frame]
                .into_iter()
                .flatten()
            {
                names.push(n);
            }
            for r in board.images() {
                if !names.contains(&r.name.as_str()) {
                    names.push(&r.name);
                }
            }
            names
        }
        _ => crate::request::reference_images(board)
            .into_iter()
            .map(|r| r.name.as_str())
            .collect(),
    };
    for field in ["image_list", "image_urls", "reference_images"] {
        if let Some(name) = indexed(&lower, field).and_then(|i| images.get(i)) {
            return Some(format!("reference '{name}'"));
        }
    }
    if let Some(i) = indexed(&lower, "element_list") {
        if let Some(r) = board.elements().nth(i) {
            return Some(format!("reference '{}'", r.name));
        }
    }
    let frame_fields = [
        ("start_image", &board.first_frame),
        ("first_frame", &board.first_frame),
        ("end_image", &board.last_frame),
        ("end_frame", &board.last_frame),
    ];
    for (field, name) in frame_fields {
        if let (true, Some(name)) = (lower.contains(field), name) {
            return Some(format!("reference '{name}'"));
        }
    }
    if ["video_url", "video_list", "reference_video"]
        .iter()
        .any(|f| lower.contains(f))
    {
        if let Some(v) = board.video() {
            return Some(format!("reference '{}'", v.name));
        }
    }
    board
        .references
        .iter()
        .find(|r| message.contains(&format!("@{}", r.name)))
        .map(|r| format!("reference '{}'", r.name))
}

/// The index after `field` in `field[3]`, `field.3` or `field/3`.
fn indexed(text: &str, field: &str) -> Option<usize> {
    let mut rest = text;
    while let Some(at) = rest.find(field) {
        let after = &rest[at + field.len()..];
        let digits = after
            .strip_prefix('[')
            .or_else(|| after.strip_prefix('.'))
            .or_else(|| after.strip_prefix('/'))
            .or_else(|| after.strip_prefix(" "));
        if let Some(d) = digits {
            let n: String = d.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(i) = n.parse() {
                return Some(i);
            }
        }
        rest = after;
    }
    None
}

/// The first shot a message names (`shot 2`, `Shot 3 is too long`) that
/// the board has. On Kling's current design the shots are one text
/// (`shot 1, 4, words; shot 2, ...`), so a message may quote it: a number
/// followed by `, <seconds>` is that syntax, not a shot being named.
fn shot_named(text: &str, shots: usize) -> Option<usize> {
    let mut rest = text;
    while let Some(at) = rest.find("shot ") {
        let after = &rest[at + "shot ".len()..];
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let tail = after[digits.len()..].trim_start();
        let quoted = tail
            .strip_prefix(',')
            .is_some_and(|t| t.trim_start().starts_with(|c: char| c.is_ascii_digit()));
        if let Ok(n) = digits.parse::<usize>() {
            if !quoted && (1..=shots).contains(&n) {
                return Some(n);
            }
        }
        rest = after;
    }
    None
}
