//! Quoted speech in shot prompts, and how long it takes to say.
//!
//! Speech is text between double quotes of any common style. A natural pace
//! is taken as 2.5 words a second (150 words a minute) for languages written
//! with spaces, and 4 characters a second for Chinese, Japanese and Korean.

use crate::board::{Board, Shot};
use crate::mention;

pub const WORDS_PER_SECOND: f64 = 2.5;
pub const CJK_CHARS_PER_SECOND: f64 = 4.0;

const QUOTES: [(char, char); 6] = [
    ('"', '"'),
    ('“', '”'),
    ('„', '“'),
    ('«', '»'),
    ('「', '」'),
    ('『', '』'),
];

/// One quoted line. `start..end` spans it with its quotes, in bytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Line<'a> {
    pub start: usize,
    pub end: usize,
    pub text: &'a str,
    /// The last cast member mentioned before the line, if any.
    pub speaker: Option<&'a str>,
    pub seconds: f64,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF)
}

/// Seconds needed to say `text` at a natural pace.
pub fn seconds_to_say(text: &str) -> f64 {
    let cjk = text.chars().filter(|c| is_cjk(*c)).count();
    let words = text
        .split(|c: char| c.is_whitespace() || is_cjk(c))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count();
    words as f64 / WORDS_PER_SECOND + cjk as f64 / CJK_CHARS_PER_SECOND
}

/// The quoted lines of a prompt, in order. An unclosed quote is not a line.
pub fn lines<'a>(prompt: &'a str, known: &dyn Fn(&str) -> bool) -> Vec<Line<'a>> {
    // Found on the first line only: most prompts quote no one.
    let mut mentions: Option<Vec<mention::Mention<'a>>> = None;
    let mut out: Vec<Line<'a>> = Vec::new();
    let mut pos = 0;
    while pos < prompt.len() {
        let Some((open_at, close)) = prompt[pos..].char_indices().find_map(|(i, c)| {
            QUOTES
                .iter()
                .find(|(open, _)| *open == c)
                .map(|(_, close)| (pos + i, *close))
        }) else {
            break;
        };
        let open_len = prompt[open_at..].chars().next().map_or(1, char::len_utf8);
        let body_start = open_at + open_len;
        let Some(rel_close) = prompt[body_start..].find(close) else {
            break;
        };
        let body_end = body_start + rel_close;
        let end = body_end + close.len_utf8();
        let text = &prompt[body_start..body_end];
        let after_previous = out.last().map_or(0, |l| l.end);
        let mentions = mentions.get_or_insert_with(|| mention::find(prompt, known));
        let speaker = mentions
            .iter()
            .rev()
            .find(|m| m.known && m.end <= open_at && m.start >= after_previous)
            .or_else(|| mentions.iter().rev().find(|m| m.known && m.end <= open_at))
            .map(|m| m.name);
        if !text.trim().is_empty() {
            out.push(Line {
                start: open_at,
                end,
                text,
                speaker,
                seconds: seconds_to_say(text),
            });
        }
        pos = end;
    }
    out
}

/// Seconds the quoted lines of a prompt need, in tenths, rounded up.
pub fn tenths_needed(prompt: &str) -> u32 {
    let seconds: f64 = lines(prompt, &|_| false).iter().map(|l| l.seconds).sum();
    (seconds * 10.0).ceil() as u32
}

/// Whether a prompt holds quoted speech.
pub fn has_speech(prompt: &str) -> bool {
    !lines(prompt, &|_| false).is_empty()
}

/// The voices a shot's quoted speech will be spoken in: each library
/// character the shot cites that has a voice bound, as (its name in the
/// cast, the voice's name), in the order first cited. Empty when the shot
/// has no quoted speech. The editor shows these beside the shot.
pub fn voices_for_shot<'b>(board: &'b Board, shot: &Shot) -> Vec<(&'b str, &'b str)> {
    if !has_speech(&shot.prompt) {
        return Vec::new();
    }
    let known = |n: &str| board.reference(n).is_some();
    let mut out: Vec<(&'b str, &'b str)> = Vec::new();
    for m in mention::find(&shot.prompt, &known) {
        let Some(r) = board.reference(m.name) else {
            continue;
        };
        let Some(voice) = r.character_link().and_then(|l| l.voice.as_ref()) else {
            continue;
        };
        if !out.iter().any(|(n, _)| *n == r.name) {
            out.push((r.name.as_str(), voice.name.as_str()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_lines_and_speakers() {
        let p = "Close-up on @mia. She says: \"Have you seen my brother?\" @stall shrugs: “No.”";
        let known = |n: &str| n == "mia" || n == "stall";
        let ls = lines(p, &known);
        assert_eq!(ls.len(), 2);
        assert_eq!(ls[0].text, "Have you seen my brother?");
        assert_eq!(ls[0].speaker, Some("mia"));
        assert!((ls[0].seconds - 2.0).abs() < 1e-9);
        assert_eq!(ls[1].text, "No.");
        assert_eq!(ls[1].speaker, Some("stall"));
    }

    #[test]
    fn unclosed_and_empty_quotes_are_not_lines() {
        assert!(lines("He says \"wait", &|_| false).is_empty());
        assert!(lines("\"\" and \" \"", &|_| false).is_empty());
    }

    #[test]
    fn cjk_counts_characters() {
        // 8 characters at 4 a second.
        assert!((seconds_to_say("你见过我的弟弟吗") - 2.0).abs() < 1e-9);
        assert_eq!(tenths_needed("她说：「你见过我的弟弟吗」"), 20);
    }
}
