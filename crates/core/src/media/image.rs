//! An image's size from its header, without decoding it: PNG's `IHDR`,
//! JPEG's `SOFn` (walking the segments before it) and JPEG's EXIF
//! orientation. The browser calls this before it lets a decoder near the
//! file, so a PNG that declares 30000×30000 pixels is refused by its
//! declared size instead of taking 3.6 GB to open.

use std::fmt;

use super::sniff::Kind;

/// The decode budget: the most pixels the browser decodes (to check or
/// resize an image), 50 megapixels, 200 MB as RGBA. Phone photos are 12
/// to 48 megapixels; past this a tab may run out of memory, and a file
/// that declares far more (a "decompression bomb") is refused by its
/// header alone.
pub const MAX_DECODE_PIXELS: u64 = 50_000_000;
/// The longest side the browser decodes (part of the decode budget): no
/// camera comes near 16384 px, and a panorama past it is better cut
/// before it is a reference.
pub const MAX_DECODE_SIDE: u32 = 16_384;

/// The largest size a PNG may declare (2^31 − 1, PNG's own limit); a JPEG
/// cannot declare more than 65535.
const PNG_MAX_SIDE: u32 = 0x7FFF_FFFF;

/// What an image's header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImageInfo {
    pub kind: Kind,
    /// Width and height as stored (before EXIF orientation).
    pub width: u32,
    pub height: u32,
    /// EXIF orientation, 1 to 8 (1 when there is none or it is invalid).
    pub orientation: u8,
    /// A PNG with an alpha channel or a transparency chunk (`tRNS`) before
    /// its image data. Always false for JPEG.
    pub has_alpha: bool,
}

impl ImageInfo {
    /// Width and height as shown: swapped for EXIF orientations 5 to 8
    /// (the ones that turn the picture a quarter).
    pub fn display_size(&self) -> (u32, u32) {
        if (5..=8).contains(&self.orientation) {
            (self.height, self.width)
        } else {
            (self.width, self.height)
        }
    }

    pub fn pixels(&self) -> u64 {
        u64::from(self.width) * u64::from(self.height)
    }

    /// Whether the browser may decode it (see [`MAX_DECODE_PIXELS`]).
    pub fn decodable(&self) -> bool {
        self.pixels() <= MAX_DECODE_PIXELS
            && self.width <= MAX_DECODE_SIDE
            && self.height <= MAX_DECODE_SIDE
    }
}

/// Why no size could be read from an image header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageError {
    /// Not a JPEG or PNG (see `sniff`).
    NotAnImage,
    /// The file ends before its size is given.
    Truncated { kind: Kind },
    /// A JPEG whose image data (or end) comes before any frame header.
    NoSize,
    /// The header gives a width or height of 0, or more than the format
    /// allows.
    BadSize { kind: Kind, width: u32, height: u32 },
    /// The header is not what the format says it must be.
    Malformed { kind: Kind, what: &'static str },
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImageError::NotAnImage => f.write_str("the file is not a JPEG or PNG image"),
            ImageError::Truncated { kind } => {
                write!(f, "the {} ends before its size is given", kind.name())
            }
            ImageError::NoSize => {
                f.write_str("the JPEG's image data starts before its size is given")
            }
            ImageError::BadSize {
                kind,
                width,
                height,
            } => write!(
                f,
                "the {} declares an impossible size of {width}×{height} pixels",
                kind.name()
            ),
            ImageError::Malformed { kind, what } => {
                write!(f, "the {} is damaged: {what}", kind.name())
            }
        }
    }
}

impl std::error::Error for ImageError {}

/// Reads the size of a JPEG or PNG from its first bytes (for a JPEG, up to
/// its frame header: after EXIF and other metadata, usually within the
/// first 64 KiB; pass the whole file if it is at hand).
pub fn read_image(bytes: &[u8]) -> Result<ImageInfo, ImageError> {
    match super::sniff::sniff(bytes).kind() {
        Some(Kind::Png) => read_png(bytes),
        Some(Kind::Jpeg) => read_jpeg(bytes),
        _ => Err(ImageError::NotAnImage),
    }
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// PNG: the signature, then `IHDR` (length 13: width, height, bit depth,
/// colour type, ...) must be the first chunk. Later chunks are walked up
/// to the image data only to find a `tRNS` (transparency).
pub fn read_png(bytes: &[u8]) -> Result<ImageInfo, ImageError> {
    let kind = Kind::Png;
    let truncated = ImageError::Truncated { kind };
    if bytes.len() < 8 + 8 + 13 {
        return Err(truncated);
    }
    if be32(bytes, 8) != Some(13) || &bytes[12..16] != b"IHDR" {
        return Err(ImageError::Malformed {
            kind,
            what: "its first chunk is not the image header (IHDR)",
        });
    }
    let width = be32(bytes, 16).ok_or(truncated.clone())?;
    let height = be32(bytes, 20).ok_or(truncated)?;
    if width == 0 || height == 0 || width > PNG_MAX_SIDE || height > PNG_MAX_SIDE {
        return Err(ImageError::BadSize {
            kind,
            width,
            height,
        });
    }
    let color_type = bytes[25];
    let mut has_alpha = matches!(color_type, 4 | 6);
    // Chunks after IHDR (8 + 8 + 13 + 4 CRC), until IDAT or the bytes end.
    let mut at = 33usize;
    while let (Some(len), Some(name)) = (be32(bytes, at), bytes.get(at + 4..at + 8)) {
        match name {
            b"tRNS" => {
                has_alpha = true;
                break;
            }
            b"IDAT" | b"IEND" => break,
            _ => {}
        }
        match at.checked_add(12).and_then(|a| a.checked_add(len as usize)) {
            Some(next) => at = next,
            None => break,
        }
    }
    Ok(ImageInfo {
        kind,
        width,
        height,
        orientation: 1,
        has_alpha,
    })
}

/// JPEG: after SOI, segments `FF xx` with a 2-byte length (which counts
/// itself), until a start-of-frame (`SOF0`–`SOF15` but `DHT` C4, `JPG` C8
/// and `DAC` CC) gives precision, height and width. Fill bytes (extra
/// `FF`s) before a marker are skipped; `RSTn`, `TEM` and a repeated `SOI`
/// stand alone; stray bytes between segments are skipped as libjpeg does.
/// An EXIF `APP1` before the frame gives the orientation.
pub fn read_jpeg(bytes: &[u8]) -> Result<ImageInfo, ImageError> {
    let kind = Kind::Jpeg;
    let truncated = ImageError::Truncated { kind };
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return Err(ImageError::NotAnImage);
    }
    let mut orientation = 1;
    let mut at = 2usize;
    loop {
        // Find the next marker: skip stray bytes, then fill bytes.
        while *bytes.get(at).ok_or(truncated.clone())? != 0xFF {
            at += 1;
        }
        while *bytes.get(at).ok_or(truncated.clone())? == 0xFF {
            at += 1;
        }
        let marker = bytes[at];
        at += 1;
        match marker {
            // A stuffed zero outside entropy-coded data: a stray byte.
            0x00 => continue,
            0x01 | 0xD0..=0xD8 => continue,
            0xD9 | 0xDA => return Err(ImageError::NoSize),
            _ => {}
        }
        let len = be16(bytes, at).ok_or(truncated.clone())? as usize;
        if len < 2 {
            return Err(ImageError::Malformed {
                kind,
                what: "a segment's length is less than 2",
            });
        }
        let body = at + 2..at + len;
        match marker {
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                let seg = bytes.get(body).ok_or(truncated)?;
                if seg.len() < 6 {
                    return Err(ImageError::Malformed {
                        kind,
                        what: "its frame header is too short",
                    });
                }
                let height = u32::from(be16(seg, 1).unwrap_or(0));
                let width = u32::from(be16(seg, 3).unwrap_or(0));
                if width == 0 || height == 0 {
                    // Height 0 means "given later by a DNL marker", which
                    // browsers do not read.
                    return Err(ImageError::BadSize {
                        kind,
                        width,
                        height,
                    });
                }
                return Ok(ImageInfo {
                    kind,
                    width,
                    height,
                    orientation,
                    has_alpha: false,
                });
            }
            0xE1 => {
                if let Some(seg) = bytes.get(body.clone()) {
                    if let Some(o) = exif_orientation(seg) {
                        orientation = o;
                    }
                }
            }
            _ => {}
        }
        at = body.end;
    }
}

/// The orientation (tag 0x0112 in IFD0) of an `APP1` segment's body that
/// starts `Exif\0\0` and a TIFF header; `None` if it has none or it is not
/// 1 to 8.
pub fn exif_orientation(app1: &[u8]) -> Option<u8> {
    let tiff = app1.strip_prefix(b"Exif\0\0")?;
    let little = match tiff.get(0..4)? {
        b"II*\0" => true,
        b"MM\0*" => false,
        _ => return None,
    };
    let u16_at = |at: usize| -> Option<u16> {
        let b: [u8; 2] = tiff.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if little {
            u16::from_le_bytes(b)
        } else {
            u16::from_be_bytes(b)
        })
    };
    let u32_at = |at: usize| -> Option<u32> {
        let b: [u8; 4] = tiff.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let ifd = u32_at(4)? as usize;
    let count = u16_at(ifd)? as usize;
    for i in 0..count {
        let entry = ifd.checked_add(2 + 12 * i)?;
        if u16_at(entry)? == 0x0112 {
            // Type SHORT (3), count 1: the value sits in the first two
            // bytes of the value field.
            if u16_at(entry + 2)? != 3 {
                return None;
            }
            let v = u16_at(entry + 8)?;
            return (1..=8).contains(&v).then_some(v as u8);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exif_in_both_byte_orders() {
        let mut mm = b"Exif\0\0MM\0*\0\0\0\x08\0\x01".to_vec();
        mm.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
        assert_eq!(exif_orientation(&mm), Some(6));
        let mut ii = b"Exif\0\0II*\0\x08\0\0\0\x02\0".to_vec();
        ii.extend([0x0F, 0x01, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0]);
        ii.extend([0x12, 0x01, 3, 0, 1, 0, 0, 0, 8, 0, 0, 0]);
        assert_eq!(exif_orientation(&ii), Some(8));
        // Out of range, cut short, or not EXIF.
        let mut bad = mm.clone();
        bad[6 + 8 + 2 + 9] = 9;
        assert_eq!(exif_orientation(&bad), None);
        assert_eq!(exif_orientation(&mm[..mm.len() - 3]), None);
        assert_eq!(exif_orientation(b"http://ns.adobe.com/xap/1.0/\0"), None);
    }
}
