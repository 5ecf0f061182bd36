//! An MSB-first bit writer (shared by the H.264 and FLAC encoders) and the
//! H.264 emulation prevention step.

/// Collects bits most significant first into bytes.
#[derive(Debug, Default, Clone)]
pub struct BitWriter {
    bytes: Vec<u8>,
    /// Bits already used in the last byte (0 means the last byte is full or there is none).
    used: u8,
}

impl BitWriter {
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes the low `n` bits of `value` (n <= 32).
    pub fn bits(&mut self, n: u32, value: u32) {
        debug_assert!(n <= 32);
        for i in (0..n).rev() {
            self.bit((value >> i) & 1 == 1);
        }
    }

    pub fn bit(&mut self, b: bool) {
        if self.used == 0 {
            self.bytes.push(0);
        }
        if b {
            let last = self.bytes.len() - 1;
            self.bytes[last] |= 0x80 >> self.used;
        }
        self.used = (self.used + 1) % 8;
    }

    /// Unsigned Exp-Golomb code, ue(v).
    pub fn ue(&mut self, value: u32) {
        let v = u64::from(value) + 1;
        let len = 64 - v.leading_zeros();
        for _ in 1..len {
            self.bit(false);
        }
        for i in (0..len).rev() {
            self.bit((v >> i) & 1 == 1);
        }
    }

    /// Signed Exp-Golomb code, se(v): 1 → 1, -1 → 2, 2 → 3, ...
    pub fn se(&mut self, value: i32) {
        let mapped = if value > 0 {
            (value as u32) * 2 - 1
        } else {
            value.unsigned_abs() * 2
        };
        self.ue(mapped);
    }

    /// `n` zero bits followed by a one (FLAC's unary code and H.264's level_prefix).
    pub fn unary(&mut self, zeros: u32) {
        for _ in 0..zeros {
            self.bit(false);
        }
        self.bit(true);
    }

    /// Whole bytes; the writer must be aligned.
    pub fn bytes(&mut self, data: &[u8]) {
        if self.is_aligned() {
            self.bytes.extend_from_slice(data);
        } else {
            for &b in data {
                self.bits(8, u32::from(b));
            }
        }
    }

    pub fn is_aligned(&self) -> bool {
        self.used == 0
    }

    /// Pads with zero bits to the next byte boundary.
    pub fn align_zero(&mut self) {
        while !self.is_aligned() {
            self.bit(false);
        }
    }

    /// H.264 rbsp_trailing_bits: a one, then zeros to the byte boundary.
    pub fn trailing_bits(&mut self) {
        self.bit(true);
        self.align_zero();
    }

    #[cfg(test)]
    pub fn bit_len(&self) -> usize {
        self.bytes.len() * 8
            - if self.used == 0 {
                0
            } else {
                8 - self.used as usize
            }
    }

    /// The bytes written so far (the last one zero-padded).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// Inserts emulation prevention bytes so that no 0x000000..0x000003 sequence
/// appears in a NAL unit payload.
pub fn escape(rbsp: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(rbsp.len() + rbsp.len() / 64 + 4);
    let mut zeros = 0usize;
    for &b in rbsp {
        if zeros >= 2 && b <= 3 {
            out.push(3);
            zeros = 0;
        }
        out.push(b);
        if b == 0 {
            zeros += 1;
        } else {
            zeros = 0;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bitstring(w: &BitWriter) -> String {
        let mut s = String::new();
        for i in 0..w.bit_len() {
            let byte = w.as_bytes()[i / 8];
            s.push(if byte & (0x80 >> (i % 8)) != 0 {
                '1'
            } else {
                '0'
            });
        }
        s
    }

    #[test]
    fn ue_golden_values() {
        let cases = [
            (0, "1"),
            (1, "010"),
            (2, "011"),
            (3, "00100"),
            (6, "00111"),
            (7, "0001000"),
            (30, "000011111"),
        ];
        for (v, want) in cases {
            let mut w = BitWriter::new();
            w.ue(v);
            assert_eq!(bitstring(&w), want, "ue({v})");
        }
        let mut w = BitWriter::new();
        w.ue(u32::MAX - 1);
        assert_eq!(w.bit_len(), 63);
    }

    #[test]
    fn se_golden_values() {
        let cases = [
            (0, "1"),
            (1, "010"),
            (-1, "011"),
            (2, "00100"),
            (-2, "00101"),
            (-6, "0001101"),
        ];
        for (v, want) in cases {
            let mut w = BitWriter::new();
            w.se(v);
            assert_eq!(bitstring(&w), want, "se({v})");
        }
    }

    #[test]
    fn bits_unary_and_trailing() {
        let mut w = BitWriter::new();
        w.bits(3, 0b101);
        w.unary(2);
        w.trailing_bits();
        assert_eq!(bitstring(&w), "10100110");
        w.bits(4, 0xF);
        assert_eq!(w.bit_len(), 12);
        w.align_zero();
        assert_eq!(w.as_bytes(), &[0b1010_0110, 0xF0]);
    }

    #[test]
    fn escape_inserts_prevention_bytes() {
        assert_eq!(escape(&[0, 0, 0]), vec![0, 0, 3, 0]);
        assert_eq!(escape(&[0, 0, 1, 0, 0, 2]), vec![0, 0, 3, 1, 0, 0, 3, 2]);
        assert_eq!(escape(&[0, 0, 4, 0, 0]), vec![0, 0, 4, 0, 0]);
        assert_eq!(escape(&[0, 0, 0, 0]), vec![0, 0, 3, 0, 0]);
        assert_eq!(escape(&[0, 0, 0, 0, 0, 0]), vec![0, 0, 3, 0, 0, 3, 0, 0]);
        assert_eq!(escape(&[1, 0, 0, 3]), vec![1, 0, 0, 3, 3]);
    }
}
