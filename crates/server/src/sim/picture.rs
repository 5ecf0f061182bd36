//! A preset element's picture: a small PNG the simulator draws itself (a
//! figure on a coloured ground), so the browser can show the presets.
//! Written by hand: palette colours, the image data in stored (not
//! compressed) deflate blocks, CRC-32 and Adler-32.

/// Kling takes element images of at least 300 px a side.
pub const WIDTH: u32 = 320;
pub const HEIGHT: u32 = 400;

/// The picture for `seed` (an element id): its colours follow the seed;
/// `side` draws the figure off-centre, as a second view.
pub fn png(seed: u64, side: bool) -> Vec<u8> {
    let hue = |shift: u32| -> [u8; 3] {
        let h = (seed >> shift) as u8;
        [h.wrapping_mul(37), h.wrapping_mul(91), h.wrapping_mul(53)]
    };
    let ground = hue(0).map(|c| 160 + c / 3);
    let figure = hue(3).map(|c| c / 2);
    let palette = [ground, figure, [240, 230, 210]];

    // Rows: a filter byte (0) then one palette index per pixel.
    let cx = if side {
        WIDTH as i64 * 3 / 5
    } else {
        WIDTH as i64 / 2
    };
    let mut raw = Vec::with_capacity(((WIDTH + 1) * HEIGHT) as usize);
    for y in 0..HEIGHT as i64 {
        raw.push(0);
        for x in 0..WIDTH as i64 {
            let (dx, dy) = (x - cx, y - 130);
            let head = dx * dx + dy * dy < 55 * 55;
            let face = (dx + if side { 12 } else { 0 }).pow(2) + dy * dy < 40 * 40;
            let body = y > 190 && (x - cx).abs() < 40 + (y - 190) / 2;
            raw.push(if face && head {
                2
            } else if head || body {
                1
            } else {
                0
            });
        }
    }

    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&WIDTH.to_be_bytes());
    ihdr.extend_from_slice(&HEIGHT.to_be_bytes());
    ihdr.extend_from_slice(&[8, 3, 0, 0, 0]); // 8-bit palette
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"PLTE", &palette.concat());
    chunk(&mut out, b"IDAT", &zlib_stored(&raw));
    chunk(&mut out, b"IEND", &[]);
    out
}

fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let crc = crc32(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// A zlib stream of stored deflate blocks (at most 65535 bytes each).
fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut out = vec![0x78, 0x01];
    let mut blocks = data.chunks(0xFFFF).peekable();
    while let Some(block) = blocks.next() {
        out.push(u8::from(blocks.peek().is_none()));
        let len = block.len() as u16;
        out.extend_from_slice(&len.to_le_bytes());
        out.extend_from_slice(&(!len).to_le_bytes());
        out.extend_from_slice(block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    out.extend_from_slice(&((b << 16) | a).to_be_bytes());
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_matches_the_png_specs_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
        // The CRC of an empty IEND chunk, as every PNG ends.
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }

    #[test]
    fn the_core_reads_its_size() {
        let p = png(880_000_000_001, false);
        let info = storyreel_core::media::image::read_image(&p).expect("a PNG the core reads");
        assert_eq!((info.width, info.height), (WIDTH, HEIGHT));
        assert_ne!(png(1, false), png(1, true));
    }
}
