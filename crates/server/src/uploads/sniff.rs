//! What a file is, from its first bytes: the core's sniffer
//! (`storyreel_core::media::sniff`), the same one the browser runs before
//! an upload, so both take and refuse the same files. The four kinds the
//! board format takes (JPEG, PNG, MP4, MOV) are stored; anything else is
//! refused with a short description of what it is. File names and the
//! client's `Content-Type` are never trusted.

use storyreel_core::media::sniff::Sniffed;

pub use storyreel_core::media::sniff::{Kind, SNIFF_LEN};

/// The content types an upload may have, in the order messages list them.
pub const ACCEPTED: [&str; 4] = ["image/jpeg", "image/png", "video/mp4", "video/quicktime"];

/// The kind of the file that starts with `head` (its first [`SNIFF_LEN`]
/// bytes, or all of it if shorter); otherwise what it looks like, for the
/// error message ("a GIF image", "text", ...).
pub fn sniff(head: &[u8]) -> Result<Kind, String> {
    match storyreel_core::media::sniff(head) {
        Sniffed::Accepted(kind) => Ok(kind),
        other => Err(other.description()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
        let size = 16 + 4 * compatible.len();
        let mut b = (size as u32).to_be_bytes().to_vec();
        b.extend_from_slice(b"ftyp");
        b.extend_from_slice(major);
        b.extend_from_slice(&[0, 0, 2, 0]);
        for c in compatible {
            b.extend_from_slice(*c);
        }
        b.extend_from_slice(b"\0\0\0\x08free");
        b
    }

    #[test]
    fn the_four_kinds() {
        let png = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Ok(Kind::Jpeg));
        assert_eq!(sniff(&png), Ok(Kind::Png));
        assert_eq!(sniff(&ftyp(b"isom", &[b"isom", b"avc1"])), Ok(Kind::Mp4));
        assert_eq!(sniff(&ftyp(b"qt  ", &[b"qt  "])), Ok(Kind::Mov));
        assert_eq!(Kind::Mov.content_type(), ACCEPTED[3]);
    }

    #[test]
    fn lookalikes_are_refused_with_what_they_are() {
        assert_eq!(
            sniff(&ftyp(b"heic", &[b"mif1", b"heic", b"iso8"])),
            Err("a HEIC image".into())
        );
        assert_eq!(
            sniff(&ftyp(b"M4A ", &[b"M4A ", b"mp42", b"isom"])),
            Err("an M4A audio file".into())
        );
        assert_eq!(sniff(b"GIF89a..."), Err("a GIF image".into()));
        assert_eq!(sniff(b"hello, world\n"), Err("text".into()));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?>\n<svg/>"),
            Err("an SVG drawing".into())
        );
        assert_eq!(
            sniff(&[0, 1, 2, 0xFE]),
            Err("an unknown kind of file (it starts 00 01 02 fe)".into())
        );
        assert!(sniff(&[0xFF, 0xD8]).is_err());
    }
}
