//! A small FLAC encoder for 16-bit mono: fixed-predictor or order-2 LPC
//! subframes (or a constant subframe for silence) with Rice-coded residuals.

use crate::bits::BitWriter;

/// Samples per FLAC frame (the last frame may be shorter).
pub const BLOCK_SIZE: usize = 4800;

/// An encoded stream: the STREAMINFO body and the frames, one per MP4 sample.
#[derive(Debug, Clone)]
pub struct FlacStream {
    pub sample_rate: u32,
    /// The 34-byte STREAMINFO metadata block body.
    pub streaminfo: [u8; 34],
    pub frames: Vec<Vec<u8>>,
    /// Samples in each frame.
    pub frame_samples: Vec<u32>,
}

impl FlacStream {
    /// The metadata blocks as they appear after "fLaC" in a native stream and
    /// inside the MP4 `dfLa` box: STREAMINFO, marked as the last block.
    pub fn metadata_blocks(&self) -> Vec<u8> {
        let mut out = vec![0x80, 0, 0, 34];
        out.extend_from_slice(&self.streaminfo);
        out
    }
}

/// Encodes mono 16-bit `samples` at `sample_rate` (48000 or 44100).
pub fn encode(samples: &[i16], sample_rate: u32) -> FlacStream {
    let mut frames = Vec::new();
    let mut frame_samples = Vec::new();
    for (n, block) in samples.chunks(BLOCK_SIZE).enumerate() {
        frames.push(encode_frame(block, n as u64, sample_rate));
        frame_samples.push(block.len() as u32);
    }
    let min_frame = frames.iter().map(Vec::len).min().unwrap_or(0) as u32;
    let max_frame = frames.iter().map(Vec::len).max().unwrap_or(0) as u32;
    let block = if samples.len() >= BLOCK_SIZE {
        BLOCK_SIZE as u32
    } else {
        samples.len().max(16) as u32
    };
    let mut w = BitWriter::new();
    w.bits(16, block); // minimum block size (the last block may be shorter)
    w.bits(16, block); // maximum block size
    w.bits(24, min_frame);
    w.bits(24, max_frame);
    w.bits(20, sample_rate);
    w.bits(3, 0); // channels - 1
    w.bits(5, 15); // bits per sample - 1
    let total = samples.len() as u64;
    w.bits(4, (total >> 32) as u32);
    w.bits(32, total as u32);
    w.bytes(&[0; 16]); // MD5 unknown
    let mut streaminfo = [0u8; 34];
    streaminfo.copy_from_slice(w.as_bytes());
    FlacStream {
        sample_rate,
        streaminfo,
        frames,
        frame_samples,
    }
}

fn sample_rate_code(rate: u32) -> u32 {
    match rate {
        88_200 => 0b0001,
        176_400 => 0b0010,
        192_000 => 0b0011,
        8_000 => 0b0100,
        16_000 => 0b0101,
        22_050 => 0b0110,
        24_000 => 0b0111,
        32_000 => 0b1000,
        44_100 => 0b1001,
        48_000 => 0b1010,
        96_000 => 0b1011,
        _ => 0b0000, // take it from STREAMINFO
    }
}

fn encode_frame(block: &[i16], number: u64, sample_rate: u32) -> Vec<u8> {
    let mut w = BitWriter::new();
    w.bits(15, 0b111_1111_1111_1100); // sync code, reserved bit
    w.bit(false); // fixed block size
    let size_code = 0b0111; // 16-bit block size after the frame number
    w.bits(4, size_code);
    w.bits(4, sample_rate_code(sample_rate));
    w.bits(4, 0); // mono
    w.bits(3, 0b100); // 16 bits per sample
    w.bit(false);
    w.bytes(&utf8_number(number));
    if size_code == 0b0111 {
        w.bits(16, block.len() as u32 - 1);
    }
    let crc = crc8(w.as_bytes());
    w.bits(8, u32::from(crc));

    subframe(&mut w, block);
    w.align_zero();
    let crc = crc16(w.as_bytes());
    w.bits(16, u32::from(crc));
    w.into_bytes()
}

/// The frame number in FLAC's UTF-8-like variable-length coding.
fn utf8_number(n: u64) -> Vec<u8> {
    if n < 0x80 {
        return vec![n as u8];
    }
    let count: u32 = match n {
        0..0x800 => 2,
        0x800..0x1_0000 => 3,
        0x1_0000..0x20_0000 => 4,
        0x20_0000..0x400_0000 => 5,
        0x400_0000..0x8000_0000 => 6,
        _ => 7,
    };
    let lead = (0xFF00u16 >> count) as u8 | (n >> (6 * (count - 1))) as u8;
    let mut out = vec![lead];
    for i in (0..count - 1).rev() {
        out.push(0x80 | ((n >> (6 * i)) & 0x3F) as u8);
    }
    out
}

fn subframe(w: &mut BitWriter, block: &[i16]) {
    let samples: Vec<i32> = block.iter().map(|&s| i32::from(s)).collect();
    if samples.iter().all(|&s| s == samples[0]) {
        w.bits(8, 0b0000_0000); // pad, CONSTANT, no wasted bits
        w.bits(16, samples[0] as u16 as u32);
        return;
    }
    // Fixed predictor of order 0..=4, or LPC, with the smallest residual cost.
    let mut best: Option<(Predictor, u32, u64, Vec<i32>)> = None;
    let mut consider = |p: Predictor, residual: Vec<i32>| {
        let (k, bits) = rice_parameter(&residual);
        let bits = bits + p.header_bits();
        if best.as_ref().is_none_or(|b| bits < b.2) {
            best = Some((p, k, bits, residual));
        }
    };
    for order in 0..=4.min(samples.len()) {
        consider(Predictor::Fixed(order), fixed_residual(&samples, order));
    }
    if let Some(coefs) = lpc2(&samples) {
        consider(Predictor::Lpc(coefs), lpc_residual(&samples, coefs));
    }
    let Some((predictor, k, _, residual)) = best else {
        return;
    };
    let order = match predictor {
        Predictor::Fixed(order) => {
            w.bits(8, (0b001000 | order as u32) << 1);
            order
        }
        Predictor::Lpc(_) => {
            w.bits(8, (0b100000 | (LPC_ORDER as u32 - 1)) << 1);
            LPC_ORDER
        }
    };
    for &s in &samples[..order] {
        w.bits(16, s as u16 as u32);
    }
    if let Predictor::Lpc(coefs) = predictor {
        w.bits(4, LPC_PRECISION - 1);
        w.bits(5, LPC_SHIFT);
        for c in coefs {
            w.bits(LPC_PRECISION, (c as u32) & ((1 << LPC_PRECISION) - 1));
        }
    }
    w.bits(2, 0); // Rice coding with 4-bit parameters
    w.bits(4, 0); // partition order 0
    w.bits(4, k);
    for &r in &residual {
        let u = zigzag(r);
        w.unary(u >> k);
        w.bits(k, u & ((1 << k) - 1));
    }
}

#[derive(Debug, Clone, Copy)]
enum Predictor {
    Fixed(usize),
    Lpc([i32; LPC_ORDER]),
}

impl Predictor {
    fn header_bits(&self) -> u64 {
        match self {
            Predictor::Fixed(order) => 16 * *order as u64,
            Predictor::Lpc(_) => {
                16 * LPC_ORDER as u64 + 9 + u64::from(LPC_PRECISION) * LPC_ORDER as u64
            }
        }
    }
}

const LPC_ORDER: usize = 2;
const LPC_PRECISION: u32 = 15;
const LPC_SHIFT: u32 = 13;

/// Order-2 linear prediction coefficients (from the autocorrelation),
/// quantised to LPC_PRECISION bits with LPC_SHIFT fractional bits.
fn lpc2(s: &[i32]) -> Option<[i32; LPC_ORDER]> {
    let r = |lag: usize| {
        s.iter()
            .zip(&s[lag..])
            .map(|(&a, &b)| f64::from(a) * f64::from(b))
            .sum::<f64>()
    };
    let (r0, r1, r2) = (r(0), r(1), r(2));
    let det = r0 * r0 - r1 * r1;
    if s.len() < 8 || det.abs() < 1e-9 {
        return None;
    }
    let a1 = (r1 * r0 - r1 * r2) / det;
    let a2 = (r0 * r2 - r1 * r1) / det;
    let limit = f64::from(1 << (LPC_PRECISION - 1)) - 1.0;
    let q = |a: f64| {
        let v = (a * f64::from(1 << LPC_SHIFT)).round();
        (v.abs() <= limit).then_some(v as i32)
    };
    Some([q(a1)?, q(a2)?])
}

fn lpc_residual(s: &[i32], c: [i32; LPC_ORDER]) -> Vec<i32> {
    (LPC_ORDER..s.len())
        .map(|i| {
            let pred = (i64::from(c[0]) * i64::from(s[i - 1])
                + i64::from(c[1]) * i64::from(s[i - 2]))
                >> LPC_SHIFT;
            (i64::from(s[i]) - pred) as i32
        })
        .collect()
}

fn fixed_residual(s: &[i32], order: usize) -> Vec<i32> {
    (order..s.len())
        .map(|i| match order {
            0 => s[i],
            1 => s[i] - s[i - 1],
            2 => s[i] - 2 * s[i - 1] + s[i - 2],
            3 => s[i] - 3 * s[i - 1] + 3 * s[i - 2] - s[i - 3],
            _ => s[i] - 4 * s[i - 1] + 6 * s[i - 2] - 4 * s[i - 3] + s[i - 4],
        })
        .collect()
}

fn zigzag(v: i32) -> u32 {
    ((v << 1) ^ (v >> 31)) as u32
}

/// The Rice parameter (0..=14) with the fewest bits, and that bit count.
fn rice_parameter(residual: &[i32]) -> (u32, u64) {
    (0..=14u32)
        .map(|k| {
            let bits: u64 = residual
                .iter()
                .map(|&r| u64::from(zigzag(r) >> k) + 1 + u64::from(k))
                .sum();
            (k, bits)
        })
        .min_by_key(|&(_, b)| b)
        .unwrap_or((0, 0))
}

/// CRC-8, polynomial x^8 + x^2 + x + 1 (0x07), initial 0: the frame header check.
pub fn crc8(data: &[u8]) -> u8 {
    let mut crc = 0u8;
    for &b in data {
        crc ^= b;
        for _ in 0..8 {
            crc = if crc & 0x80 != 0 {
                (crc << 1) ^ 0x07
            } else {
                crc << 1
            };
        }
    }
    crc
}

/// CRC-16, polynomial x^16 + x^15 + x^2 + 1 (0x8005), initial 0: the frame check.
pub fn crc16(data: &[u8]) -> u16 {
    let mut crc = 0u16;
    for &b in data {
        crc ^= u16::from(b) << 8;
        for _ in 0..8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x8005
            } else {
                crc << 1
            };
        }
    }
    crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc8_check_value() {
        // The standard check input "123456789" for CRC-8 (poly 0x07, init 0).
        assert_eq!(crc8(b"123456789"), 0xF4);
        assert_eq!(crc8(&[]), 0);
    }

    #[test]
    fn crc16_check_value() {
        // CRC-16/UMTS (a.k.a. BUYPASS): poly 0x8005, init 0, no reflection.
        assert_eq!(crc16(b"123456789"), 0xFEE8);
        assert_eq!(crc16(&[]), 0);
    }

    #[test]
    fn frame_numbers_use_utf8_coding() {
        assert_eq!(utf8_number(0), vec![0]);
        assert_eq!(utf8_number(0x7F), vec![0x7F]);
        assert_eq!(utf8_number(0x80), vec![0xC2, 0x80]);
        assert_eq!(utf8_number(0x7FF), vec![0xDF, 0xBF]);
        assert_eq!(utf8_number(0x800), vec![0xE0, 0xA0, 0x80]);
        assert_eq!(utf8_number(0xFFFF), vec![0xEF, 0xBF, 0xBF]);
        assert_eq!(utf8_number(0x10000), vec![0xF0, 0x90, 0x80, 0x80]);
    }

    #[test]
    fn silence_is_tiny_and_tones_compress() {
        let silence = encode(&vec![0i16; 48_000], 48_000);
        assert_eq!(silence.frames.len(), 10);
        assert!(silence.frames.iter().all(|f| f.len() < 20));
        let tone: Vec<i16> = (0..45_000)
            .map(|i| ((i as f64 * 0.05).sin() * 8000.0) as i16)
            .collect();
        let enc = encode(&tone, 48_000);
        let bytes: usize = enc.frames.iter().map(Vec::len).sum();
        assert!(bytes < 20_000, "{bytes} bytes for 90000 bytes of PCM");
        assert_eq!(enc.frame_samples.iter().sum::<u32>(), 45_000);
        assert_eq!(*enc.frame_samples.last().unwrap_or(&0), 45_000 - 9 * 4800);
    }

    #[test]
    fn claxon_decodes_the_exact_samples() {
        let mut samples: Vec<i16> = (0..30_000)
            .map(|i| ((i as f64 * 0.031).sin() * 12000.0) as i16)
            .collect();
        samples.extend(vec![0; 6000]);
        samples.extend((0..7001).map(|i| ((i * 7919) % 65536 - 32768) as i16));
        let enc = encode(&samples, 44_100);
        let mut native = b"fLaC".to_vec();
        native.extend(enc.metadata_blocks());
        for f in &enc.frames {
            native.extend(f);
        }
        let mut reader = claxon::FlacReader::new(std::io::Cursor::new(native)).expect("header");
        assert_eq!(reader.streaminfo().sample_rate, 44_100);
        let decoded: Vec<i32> = reader.samples().collect::<Result<_, _>>().expect("decodes");
        let want: Vec<i32> = samples.iter().map(|&s| i32::from(s)).collect();
        assert_eq!(decoded, want);
    }
}
