//! What each frame shows: the shot's colour, a big "SHOT n", the start of the
//! shot's label and a progress bar that fills up through the shot.
//!
//! Everything is laid out on the 16-pixel macroblock grid where it can be, so
//! most macroblocks are flat and cost a few bits.

use crate::font::{draw_text, GLYPH};
use crate::picture::{Picture, Yuv};

/// How many characters of a shot's label are shown at most.
pub const LABEL_CHARS: usize = 40;

/// The six shot colours, cycled.
const COLOURS: [[u8; 3]; 6] = [
    [200, 55, 55],  // red
    [40, 110, 210], // blue
    [40, 150, 70],  // green
    [215, 150, 20], // amber
    [140, 70, 180], // purple
    [20, 150, 160], // teal
];

const WHITE: [u8; 3] = [255, 255, 255];

pub fn shot_color(index: usize) -> [u8; 3] {
    COLOURS[index % COLOURS.len()]
}

/// A pixel left of every text and of the bar: always plain background.
pub fn sample_point(width: u32, height: u32) -> (u32, u32) {
    ((width / 20) & !1, (height / 2) & !1)
}

/// Left (and right) margin: a multiple of 16 that is more than width/20.
fn margin(width: usize) -> usize {
    (width / 10).div_ceil(16).max(1) * 16
}

struct Line {
    text: String,
    x: usize,
    y: usize,
    scale: usize,
}

/// The static part of one shot's frames, plus where its progress bar goes.
pub struct ShotScene {
    base: Picture,
    bar_x: usize,
    bar_y: usize,
    bar_cols: usize,
    fill: Yuv,
}

impl ShotScene {
    /// Lays out shot `index` (0-based) for a `width`×`height` picture.
    pub fn new(width: usize, height: usize, index: usize, label: &str) -> Self {
        let coded_w = width.div_ceil(16) * 16;
        let coded_h = height.div_ceil(16) * 16;
        let bg_rgb = shot_color(index);
        let bg = Yuv::from_rgb(bg_rgb);
        let white = Yuv::from_rgb(WHITE);
        let track = Yuv::from_rgb(bg_rgb.map(|c| c / 2));

        let mx = margin(width);
        let avail = width.saturating_sub(2 * mx).max(16);
        let bar_y = (height.saturating_sub(16 + height / 16) / 16) * 16;
        let text_bottom = bar_y.saturating_sub(16);
        let mut lines = Vec::new();

        // Big "SHOT n": the largest scale that fits, on one line or two.
        let number = (index + 1).to_string();
        let one = vec![format!("SHOT {number}")];
        let two = vec!["SHOT".to_string(), number];
        let top = (height / 10).div_ceil(16) * 16;
        let big_budget = (height * 2 / 5).max(8);
        let mut y = top;
        for (scale, words) in [16, 8, 4, 2, 1]
            .iter()
            .flat_map(|&s| [(s, &one), (s, &two)])
        {
            let widest = words.iter().map(|l| l.chars().count()).max().unwrap_or(0) * GLYPH * scale;
            let tall = words.len() * GLYPH * scale;
            if (widest <= avail && tall <= big_budget) || scale == 1 {
                for (i, text) in words.iter().enumerate() {
                    let w = text.chars().count() * GLYPH * scale;
                    let x = mx + (avail.saturating_sub(w) / 2) / 16 * 16;
                    lines.push(Line {
                        text: text.clone(),
                        x,
                        y: top + i * GLYPH * scale,
                        scale,
                    });
                }
                y = top + tall + 16;
                break;
            }
        }

        // The start of the label, word-wrapped onto at most two lines.
        // 16-pixel characters: one macroblock each, which keeps the few
        // macroblocks that need raw samples (I_PCM) to one per character.
        let scale = 2;
        let per_line = (avail / (GLYPH * scale)).max(1);
        let shown: String = label
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(LABEL_CHARS)
            .collect();
        for text in wrap(shown.trim(), per_line).into_iter().take(2) {
            let tall = GLYPH * scale;
            if y + tall > text_bottom {
                break;
            }
            lines.push(Line {
                text,
                x: mx,
                y,
                scale,
            });
            y += tall;
        }

        let mut base = Picture::new(coded_w, coded_h, bg);
        for l in &lines {
            draw_text(&mut base, &l.text, l.x, l.y, l.scale, white);
        }
        let bar_x = mx;
        let bar_cols = (width.saturating_sub(mx) / 16)
            .saturating_sub(mx / 16)
            .max(1);
        base.rect(bar_x, bar_y, bar_cols * 16, 16, track);
        Self {
            base,
            bar_x,
            bar_y,
            bar_cols,
            fill: white,
        }
    }

    /// Frame `frame` of `frames` in this shot: the bar has grown in whole
    /// macroblocks and is full on the last frame.
    pub fn frame(&self, frame: usize, frames: usize) -> Picture {
        let mut pic = self.base.clone();
        let done = ((frame + 1) * self.bar_cols).div_ceil(frames.max(1));
        pic.rect(
            self.bar_x,
            self.bar_y,
            done.min(self.bar_cols) * 16,
            16,
            self.fill,
        );
        pic
    }
}

/// Greedy word wrap; words longer than a line are cut.
fn wrap(text: &str, per_line: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut cur_len = 0;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut chars: Vec<char> = word.chars().collect();
        while !chars.is_empty() {
            let need = chars.len() + usize::from(cur_len > 0);
            if cur_len + need <= per_line {
                if cur_len > 0 {
                    cur.push(' ');
                }
                cur.extend(chars.drain(..));
                cur_len += need;
            } else if cur_len > 0 {
                lines.push(std::mem::take(&mut cur));
                cur_len = 0;
            } else {
                cur.extend(chars.drain(..per_line));
                lines.push(std::mem::take(&mut cur));
            }
        }
    }
    if cur_len > 0 {
        lines.push(cur);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words() {
        assert_eq!(wrap("a bb ccc", 4), vec!["a bb", "ccc"]);
        assert_eq!(wrap("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
        assert_eq!(wrap("", 4), Vec::<String>::new());
    }

    #[test]
    fn shot_colours_are_distinct() {
        for i in 0..6 {
            for j in 0..i {
                let d: i32 = (0..3)
                    .map(|k| (i32::from(shot_color(i)[k]) - i32::from(shot_color(j)[k])).abs())
                    .sum();
                assert!(d > 80, "shots {i} and {j} look alike");
            }
        }
        assert_eq!(shot_color(6), shot_color(0));
    }

    #[test]
    fn sample_point_is_background_in_every_frame() {
        for (w, h) in [
            (1280, 720),
            (720, 1280),
            (720, 720),
            (1920, 1080),
            (1080, 1920),
            (64, 64),
        ] {
            let scene = ShotScene::new(
                w,
                h,
                3,
                "A long label that wraps WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
            );
            let (sx, sy) = sample_point(w as u32, h as u32);
            let bg = Yuv::from_rgb(shot_color(3));
            for f in [0, 5, 9] {
                let pic = scene.frame(f, 10);
                let (sx, sy) = (sx as usize, sy as usize);
                assert_eq!(pic.y[sy * pic.width + sx], bg.y, "{w}x{h}");
                // The whole column left of the margin is background.
                assert!((0..h).all(|y| pic.y[y * pic.width + sx] == bg.y), "{w}x{h}");
            }
        }
    }
}
