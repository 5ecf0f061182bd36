//! Text positions: characters as the limits count them, UTF-16 offsets as
//! the browser reports carets; and bytes written as hex digits.

/// Characters as Kling's limits count them (Unicode scalar values).
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// `bytes` as lower-case hex, two digits a byte: job keys and the app's
/// random ids (board, character, tab); the one hex encoder of core and the
/// app. (Not the `hex` crate, which the server uses: with it the app's
/// release wasm was 1.8 KB larger after wasm-opt than with this.)
pub fn lower_hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0xf)]));
    }
    out
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

    #[test]
    fn hex_is_two_lower_case_digits_a_byte() {
        assert_eq!(lower_hex(&[0, 1, 0xab, 0xff, 0x10]), "0001abff10");
        assert_eq!(lower_hex(&[]), "");
    }
}
