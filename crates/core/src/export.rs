//! A board's shot list as text to hand around: Markdown to paste into a
//! document or an issue, CSV to open in a spreadsheet.
//!
//! Both list every shot with its start time, length, prompt and the cast
//! it mentions. Text from the board is escaped so that it reads back as
//! written: in Markdown it cannot end a table cell, open HTML or add
//! emphasis; in CSV it round-trips through any RFC 4180 reader.

use std::fmt::Write as _;

use crate::board::Board;
use crate::cost;
use crate::mention;
use crate::reference::ReferenceKind;

/// The heading of a board without a title.
pub const UNTITLED: &str = "Untitled board";

/// The shot list of `board` in (GitHub-flavoured) Markdown: a heading, the
/// settings with the estimated price, the overall prompt, a table of shots
/// and, when there is one, the cast with the first and last frame.
///
/// Blocks are separated by a blank line; the text ends with one newline.
pub fn markdown(board: &Board) -> String {
    let title = board.title.trim();
    let title = if title.is_empty() { UNTITLED } else { title };
    let mut blocks = vec![format!("# {}", inline(title)), settings(board)];
    if !board.prompt.trim().is_empty() {
        blocks.push(format!("**Prompt:** {}", inline(board.prompt.trim())));
    }
    blocks.push(shot_table(board));
    if !board.references.is_empty() {
        blocks.push("## Cast".to_string());
        blocks.push(cast_list(board));
    }
    for (label, frame) in [
        ("First frame", &board.first_frame),
        ("Last frame", &board.last_frame),
    ] {
        if let Some(name) = frame {
            blocks.push(format!("{label}: {}", inline(&format!("@{name}"))));
        }
    }
    let mut out = blocks.join("\n\n");
    out.push('\n');
    out
}

/// `Kling · Pro 1080p · 16:9 · sound on · 12 s · est. $1.68`.
fn settings(board: &Board) -> String {
    let estimate = cost::estimate(board);
    let price = match estimate.milli_usd {
        Some(_) => format!("est. {}", estimate.usd_text()),
        None => estimate.usd_text(),
    };
    format!(
        "{} · {} · {} · sound {} · {} s · {}",
        board.provider.label(),
        board.resolution.label(),
        board.aspect_ratio.as_str(),
        if board.sound { "on" } else { "off" },
        board.total_seconds(),
        price,
    )
}

/// The shots as a table, one row each (no newline after the last).
fn shot_table(board: &Board) -> String {
    let mut out = String::from("| # | Start | Length | Prompt | Cast |\n|---|---|---|---|---|");
    for (i, (start, shot)) in starts(board).zip(&board.shots).enumerate() {
        let cast: Vec<String> = mentions(board, &shot.prompt)
            .into_iter()
            .map(|(name, known)| {
                let name = inline(&format!("@{name}"));
                if known {
                    name
                } else {
                    format!("{name} (not in cast)")
                }
            })
            .collect();
        // Writing to a String cannot fail.
        let _ = write!(
            out,
            "\n| {} | {}:{:02} | {} s | {} | {} |",
            i + 1,
            start / 60,
            start % 60,
            shot.duration,
            inline(shot.prompt.trim()),
            cast.join(", "),
        );
    }
    out
}

/// The cast as a list: `- @mia: image, https://example.com/mia.png`.
fn cast_list(board: &Board) -> String {
    let items: Vec<String> = board
        .references
        .iter()
        .map(|r| {
            let what = match &r.kind {
                ReferenceKind::Image { src } => format!("image, {}", inline(src)),
                ReferenceKind::Element { element_id, .. } => format!("element {element_id}"),
                ReferenceKind::Video {
                    src,
                    usage,
                    keep_sound,
                } => format!(
                    "video ({}{}), {}",
                    usage.as_str(),
                    if *keep_sound { ", keeps its sound" } else { "" },
                    inline(src)
                ),
            };
            format!("- {}: {what}", inline(&format!("@{}", r.name)))
        })
        .collect();
    items.join("\n")
}

/// The shot list of `board` as RFC 4180 CSV: a header row
/// `shot,start_s,duration_s,prompt,mentions`, then one row per shot, with
/// CRLF line ends. `mentions` holds the names the prompt cites, without
/// their `@`, separated by spaces, in order of first mention.
///
/// Prompts are written as they are (only quoted where needed); a
/// spreadsheet may read a prompt starting with `=`, `+`, `-` or `@` as a
/// formula.
pub fn csv(board: &Board) -> String {
    let mut out = String::from("shot,start_s,duration_s,prompt,mentions\r\n");
    for (i, (start, shot)) in starts(board).zip(&board.shots).enumerate() {
        let names: Vec<&str> = mentions(board, &shot.prompt)
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        let _ = write!(
            out,
            "{},{},{},{},{}\r\n",
            i + 1,
            start,
            shot.duration,
            csv_field(&shot.prompt),
            csv_field(&names.join(" ")),
        );
    }
    out
}

/// Each shot's start in seconds from the start of the video (in `u64`, so
/// that absurd durations in a hand-written file cannot wrap around).
fn starts(board: &Board) -> impl Iterator<Item = u64> + '_ {
    board.shots.iter().scan(0u64, |at, shot| {
        let start = *at;
        *at = at.saturating_add(u64::from(shot.duration));
        Some(start)
    })
}

/// The names `text` mentions, each once, in order of first mention, with
/// whether the board's cast has it.
fn mentions<'a>(board: &Board, text: &'a str) -> Vec<(&'a str, bool)> {
    let known = |name: &str| board.reference(name).is_some();
    let mut out: Vec<(&str, bool)> = Vec::new();
    for m in mention::find(text, &known) {
        if !out.iter().any(|(name, _)| *name == m.name) {
            out.push((m.name, m.known));
        }
    }
    out
}

/// `text` as inline Markdown that shows it as written and stays on one
/// line: line breaks become `<br>`, HTML's special characters become
/// entities, and the characters that would end a table cell or mark up
/// the text are backslash-escaped.
fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' => {
                // CRLF is one line break.
                chars.next_if_eq(&'\n');
                out.push_str("<br>");
            }
            '\n' => out.push_str("<br>"),
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '|' | '`' | '*' | '_' | '~' | '[' | ']' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// One CSV field: quoted, with its quotes doubled, when it holds a comma,
/// a quote, CR or LF; as it is otherwise.
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}
