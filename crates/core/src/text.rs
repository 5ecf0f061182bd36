//! Text positions: characters as the limits count them, UTF-16 offsets as
//! the browser reports carets.

/// Characters as Kling's limits count them (Unicode scalar values).
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// The byte offset of a UTF-16 offset (clamped to the text, and to a char boundary).
pub fn utf16_to_byte(s: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in s.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    s.len()
}

/// The UTF-16 offset of a byte offset (clamped to the text).
pub fn byte_to_utf16(s: &str, byte: usize) -> usize {
    s.char_indices()
        .take_while(|(i, _)| *i < byte)
        .map(|(_, c)| c.len_utf16())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_round_trip_over_astral_chars() {
        let s = "a😀b";
        assert_eq!(char_len(s), 3);
        assert_eq!(utf16_to_byte(s, 0), 0);
        assert_eq!(utf16_to_byte(s, 1), 1);
        assert_eq!(utf16_to_byte(s, 3), 5);
        assert_eq!(utf16_to_byte(s, 99), s.len());
        assert_eq!(byte_to_utf16(s, 5), 3);
        assert_eq!(byte_to_utf16(s, s.len()), 4);
    }
}
