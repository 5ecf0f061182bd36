//! 8×8 bitmap glyphs (public-domain `font8x8`) drawn scaled into a picture.

use font8x8::UnicodeFonts;

use crate::picture::{Picture, Yuv};

/// Side of one glyph cell in font pixels.
pub const GLYPH: usize = 8;

/// The glyph for `c`, or the one for '?' when the font has none.
pub fn glyph(c: char) -> [u8; 8] {
    lookup(c).or_else(|| lookup('?')).unwrap_or([0; 8])
}

fn lookup(c: char) -> Option<[u8; 8]> {
    font8x8::BASIC_FONTS
        .get(c)
        .or_else(|| font8x8::LATIN_FONTS.get(c))
        .or_else(|| font8x8::GREEK_FONTS.get(c))
        .or_else(|| font8x8::BOX_FONTS.get(c))
        .or_else(|| font8x8::BLOCK_FONTS.get(c))
        .or_else(|| font8x8::HIRAGANA_FONTS.get(c))
        .or_else(|| font8x8::MISC_FONTS.get(c))
}

/// Draws `text` with its top-left corner at (x, y), every font pixel a
/// `scale`×`scale` square.
pub fn draw_text(pic: &mut Picture, text: &str, x: usize, y: usize, scale: usize, colour: Yuv) {
    for (i, c) in text.chars().enumerate() {
        let rows = glyph(c);
        let gx = x + i * GLYPH * scale;
        for (ry, bits) in rows.iter().enumerate() {
            for rx in 0..GLYPH {
                if bits & (1 << rx) != 0 {
                    pic.rect(gx + rx * scale, y + ry * scale, scale, scale, colour);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_characters_become_question_marks() {
        assert_eq!(glyph('\u{1F600}'), glyph('?'));
        assert_ne!(glyph('A'), glyph('?'));
        assert_ne!(glyph('é'), glyph('?'));
        assert_ne!(glyph('λ'), glyph('?'));
    }

    #[test]
    fn draws_scaled_pixels() {
        let bg = Yuv {
            y: 50,
            cb: 100,
            cr: 150,
        };
        let fg = Yuv {
            y: 200,
            cb: 128,
            cr: 128,
        };
        let mut pic = Picture::new(32, 32, bg);
        draw_text(&mut pic, "I", 0, 0, 2, fg);
        let lit = pic.y.iter().filter(|&&v| v == 200).count();
        let font_pixels: u32 = glyph('I').iter().map(|b| b.count_ones()).sum();
        assert_eq!(lit, font_pixels as usize * 4);
    }
}
