//! The contact sheet: every shot card of the board drawn on a canvas and
//! saved as a PNG, for printing or pasting into a pitch.

use leptos::prelude::*;
use storyreel_core::{mention, Board};
use wasm_bindgen::{JsCast, JsValue};

const COLUMNS: usize = 3;
const CARD_W: f64 = 420.0;
const CARD_H: f64 = 250.0;
const GAP: f64 = 20.0;
const HEADER_H: f64 = 86.0;
/// Card colours, one per shot in turn (the timeline's tones).
const TONES: [&str; 6] = [
    "#f2a541", "#5fb3f0", "#6fd08c", "#d77cf2", "#f27c7c", "#e8d25b",
];

fn clock(seconds: u32) -> String {
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

/// Splits `text` into lines no wider than `width`, at most `max_lines`;
/// the last line ends in `…` when text was left out.
fn wrap(
    ctx: &web_sys::CanvasRenderingContext2d,
    text: &str,
    width: f64,
    max_lines: usize,
) -> Vec<String> {
    let fits = |s: &str| {
        ctx.measure_text(s)
            .map(|m| m.width() <= width)
            .unwrap_or(true)
    };
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        if fits(&candidate) || line.is_empty() {
            line = candidate;
        } else {
            lines.push(std::mem::replace(&mut line, word.to_string()));
        }
        if lines.len() == max_lines {
            break;
        }
    }
    if !line.is_empty() && lines.len() < max_lines {
        lines.push(line);
    } else if lines.len() == max_lines {
        if let Some(last) = lines.last_mut() {
            while !last.is_empty() && !fits(&format!("{last}…")) {
                last.pop();
            }
            last.push('…');
        }
    }
    lines
}

lazy! {
    /// [`png_url`], in a file of its own that loads on the first export
    /// (`lazy!`, src/lazy.rs).
    pub fn drawn(board: Board) -> Result<String, String> {
        png_url(&board).map_err(|e| format!("{e:?}"))
    }
}

/// The board's contact sheet as a `data:image/png` URL.
fn png_url(board: &Board) -> Result<String, JsValue> {
    let rows = board.shots.len().div_ceil(COLUMNS).max(1);
    let width = GAP + COLUMNS as f64 * (CARD_W + GAP);
    let height = HEADER_H + rows as f64 * (CARD_H + GAP) + GAP;
    let canvas: web_sys::HtmlCanvasElement = document().create_element("canvas")?.unchecked_into();
    canvas.set_width(width as u32);
    canvas.set_height(height as u32);
    let ctx: web_sys::CanvasRenderingContext2d = canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("no 2d context"))?
        .unchecked_into();

    ctx.set_fill_style_str("#15171c");
    ctx.fill_rect(0.0, 0.0, width, height);
    ctx.set_fill_style_str("#e8e9ee");
    ctx.set_font("600 26px system-ui, sans-serif");
    let title = if board.title.trim().is_empty() {
        "Untitled board"
    } else {
        board.title.as_str()
    };
    ctx.fill_text(title, GAP, 42.0)?;
    ctx.set_fill_style_str("#9aa0ad");
    ctx.set_font("15px system-ui, sans-serif");
    let seconds: u32 = board.shots.iter().map(|s| s.duration).sum();
    let summary = format!(
        "{} · {} · {} · sound {} · {} s in {} shot{}",
        board.provider.label(),
        board.resolution.label(),
        board.aspect_ratio.as_str(),
        if board.sound { "on" } else { "off" },
        seconds,
        board.shots.len(),
        if board.shots.len() == 1 { "" } else { "s" }
    );
    ctx.fill_text(&summary, GAP, 68.0)?;

    let mut start = 0;
    for (i, shot) in board.shots.iter().enumerate() {
        let x = GAP + (i % COLUMNS) as f64 * (CARD_W + GAP);
        let y = HEADER_H + (i / COLUMNS) as f64 * (CARD_H + GAP);
        ctx.set_fill_style_str("#1d2027");
        ctx.fill_rect(x, y, CARD_W, CARD_H);
        ctx.set_fill_style_str(TONES[i % TONES.len()]);
        ctx.fill_rect(x, y, CARD_W, 6.0);
        ctx.set_fill_style_str("#e8e9ee");
        ctx.set_font("600 18px system-ui, sans-serif");
        ctx.fill_text(&format!("Shot {}", i + 1), x + 14.0, y + 34.0)?;
        ctx.set_fill_style_str("#9aa0ad");
        ctx.set_font("14px system-ui, sans-serif");
        let end = start + shot.duration;
        ctx.fill_text(
            &format!("{} s · {}–{}", shot.duration, clock(start), clock(end)),
            x + 110.0,
            y + 34.0,
        )?;
        start = end;
        ctx.set_fill_style_str("#e8e9ee");
        ctx.set_font("15px system-ui, sans-serif");
        let prompt = if shot.prompt.trim().is_empty() {
            "(no prompt)"
        } else {
            shot.prompt.as_str()
        };
        for (n, line) in wrap(&ctx, prompt, CARD_W - 28.0, 8).iter().enumerate() {
            ctx.fill_text(line, x + 14.0, y + 62.0 + n as f64 * 20.0)?;
        }
        let known = |name: &str| board.reference_names().any(|n| n == name);
        let mut cast: Vec<String> = mention::find(&shot.prompt, &known)
            .into_iter()
            .filter(|m| m.known)
            .map(|m| format!("@{}", m.name))
            .collect();
        cast.dedup();
        if !cast.is_empty() {
            ctx.set_fill_style_str("#5fb3f0");
            ctx.set_font("13px system-ui, sans-serif");
            let line = wrap(&ctx, &cast.join(" "), CARD_W - 28.0, 1);
            ctx.fill_text(&line.concat(), x + 14.0, y + CARD_H - 14.0)?;
        }
    }
    canvas.to_data_url_with_type("image/png")
}
