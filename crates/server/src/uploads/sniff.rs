//! What a file is, from its first bytes: the four kinds the board format
//! takes (JPEG, PNG, MP4, MOV), or a short description of what it is
//! instead. File names and the client's `Content-Type` are never trusted.

/// How many leading bytes [`sniff`] looks at (enough for an `ftyp` box
/// with a few compatible brands).
pub const SNIFF_LEN: usize = 64;

/// The content types an upload may have, in the order messages list them.
pub const ACCEPTED: [&str; 4] = ["image/jpeg", "image/png", "video/mp4", "video/quicktime"];

/// A kind of file the server stores.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Mp4,
    Mov,
}

impl Kind {
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Jpeg => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Mp4 => "video/mp4",
            Kind::Mov => "video/quicktime",
        }
    }

    pub fn is_image(self) -> bool {
        matches!(self, Kind::Jpeg | Kind::Png)
    }
}

const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// `ftyp` brands of MP4 video (ISO base media and its MP4 profiles).
const MP4_BRANDS: [&[u8; 4]; 17] = [
    b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9", b"mp41",
    b"mp42", b"avc1", b"M4V ", b"M4VH", b"M4VP", b"mmp4", b"dash",
];

/// QuickTime's brand.
const MOV_BRAND: &[u8; 4] = b"qt  ";

/// Major brands of files that have an `ftyp` box but are no video:
/// HEIF/AVIF still images and MPEG-4 audio. Their compatible brands often
/// name `isom` or `mp42`, so they are refused before those are looked at.
const NOT_VIDEO_BRANDS: [(&[u8; 4], &str); 14] = [
    (b"heic", "a HEIC image"),
    (b"heix", "a HEIC image"),
    (b"heim", "a HEIC image"),
    (b"heis", "a HEIC image"),
    (b"hevc", "a HEIF image sequence"),
    (b"hevx", "a HEIF image sequence"),
    (b"mif1", "a HEIF image"),
    (b"msf1", "a HEIF image sequence"),
    (b"avif", "an AVIF image"),
    (b"avis", "an AVIF image sequence"),
    (b"M4A ", "an M4A audio file"),
    (b"M4B ", "an M4B audio book"),
    (b"M4P ", "a protected M4P audio file"),
    (b"crx ", "a Canon raw photo"),
];

/// The kind of the file that starts with `head` (its first [`SNIFF_LEN`]
/// bytes, or all of it if shorter); otherwise what it looks like, for the
/// error message ("a GIF image", "text", ...).
pub fn sniff(head: &[u8]) -> Result<Kind, String> {
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Kind::Jpeg);
    }
    if head.starts_with(&PNG_SIGNATURE) {
        return Ok(Kind::Png);
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return iso_media(head);
    }
    Err(describe(head))
}

/// An ISO base media file (`ftyp` at offset 4): MOV if QuickTime's brand
/// is the major one, MP4 if the major or a compatible brand is an MP4
/// brand (QuickTime's as a compatible one makes it MOV).
fn iso_media(head: &[u8]) -> Result<Kind, String> {
    let major: &[u8; 4] = head[8..12].try_into().unwrap_or(&[0; 4]);
    if let Some((_, what)) = NOT_VIDEO_BRANDS.iter().find(|(b, _)| *b == major) {
        return Err((*what).to_string());
    }
    if major == MOV_BRAND {
        return Ok(Kind::Mov);
    }
    if MP4_BRANDS.contains(&major) {
        return Ok(Kind::Mp4);
    }
    // size(4) "ftyp" major(4) minor_version(4), then compatible brands.
    let box_end = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
    let end = box_end.min(head.len());
    let compatible: Vec<&[u8]> = head
        .get(16..end)
        .unwrap_or_default()
        .chunks_exact(4)
        .collect();
    if compatible.contains(&MOV_BRAND.as_slice()) {
        return Ok(Kind::Mov);
    }
    if compatible
        .iter()
        .any(|b| MP4_BRANDS.iter().any(|m| m.as_slice() == *b))
    {
        return Ok(Kind::Mp4);
    }
    Err(format!(
        "an ISO media file of brand \"{}\"",
        String::from_utf8_lossy(major).trim_end()
    ))
}

/// A few words on a file that is none of the accepted kinds.
fn describe(head: &[u8]) -> String {
    let signatures: [(&[u8], usize, &str); 11] = [
        (b"GIF8", 0, "a GIF image"),
        (b"WEBP", 8, "a WebP image"),
        (b"AVI ", 8, "an AVI video"),
        (b"WAVE", 8, "a WAV audio file"),
        (&[0x1A, 0x45, 0xDF, 0xA3], 0, "a WebM or Matroska video"),
        (b"%PDF", 0, "a PDF document"),
        (b"PK\x03\x04", 0, "a ZIP archive"),
        (b"II*\0", 0, "a TIFF image"),
        (b"MM\0*", 0, "a TIFF image"),
        (b"ID3", 0, "an MP3 audio file"),
        (b"\x1F\x8B", 0, "a gzip archive"),
    ];
    for (sig, at, what) in signatures {
        if head.get(at..at + sig.len()) == Some(sig) {
            return what.to_string();
        }
    }
    if looks_like_text(head) {
        return "text".to_string();
    }
    let shown: Vec<String> = head.iter().take(8).map(|b| format!("{b:02x}")).collect();
    format!("an unknown kind of file (it starts {})", shown.join(" "))
}

/// UTF-8 (possibly cut in the middle of a character at the end) with no
/// control characters but tab, line feed and carriage return.
fn looks_like_text(head: &[u8]) -> bool {
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&head[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return false,
    };
    !valid.is_empty()
        && valid
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r'))
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
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Ok(Kind::Jpeg));
        assert_eq!(sniff(&PNG_SIGNATURE), Ok(Kind::Png));
        assert_eq!(sniff(&ftyp(b"isom", &[b"isom", b"avc1"])), Ok(Kind::Mp4));
        assert_eq!(sniff(&ftyp(b"qt  ", &[b"qt  "])), Ok(Kind::Mov));
        // An unusual major brand is taken for its compatible ones.
        assert_eq!(sniff(&ftyp(b"XAVC", &[b"mp42", b"iso2"])), Ok(Kind::Mp4));
        assert_eq!(sniff(&ftyp(b"abcd", &[b"qt  "])), Ok(Kind::Mov));
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
        assert_eq!(
            sniff(&ftyp(b"3gp4", &[b"3gp4"])),
            Err("an ISO media file of brand \"3gp4\"".into())
        );
        assert_eq!(sniff(b"GIF89a..."), Err("a GIF image".into()));
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Err("a WebP image".into()));
        assert_eq!(sniff(b"hello, world\n"), Err("text".into()));
        assert_eq!(sniff("caf\u{e9}".as_bytes()), Err("text".into()));
        // Cut inside a character at the end: still text.
        assert_eq!(sniff(&"\u{e9}t\u{e9}".as_bytes()[..4]), Err("text".into()));
        assert_eq!(
            sniff(&[0, 1, 2, 0xFE]),
            Err("an unknown kind of file (it starts 00 01 02 fe)".into())
        );
        // Too short to be anything.
        assert!(sniff(&[0xFF, 0xD8]).is_err());
        assert!(sniff(&PNG_SIGNATURE[..7]).is_err());
    }
}
