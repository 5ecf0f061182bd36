//! What a file is, from its content: the four kinds the board format takes
//! (JPEG, PNG, MP4, MOV), or what it is instead, for the message. A file
//! name is never trusted; it is only named in messages ("a text file named
//! photo.png").

use std::fmt;

/// How many leading bytes [`sniff`] needs to tell every kind it knows (an
/// SVG may open with an XML declaration, a comment or a doctype before its
/// `<svg`). Fewer work for everything but a long SVG preamble.
pub const SNIFF_LEN: usize = 1024;

/// A kind of file a board takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
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

    pub fn is_video(self) -> bool {
        !self.is_image()
    }

    /// "JPEG", "PNG", "MP4", "MOV".
    pub fn name(self) -> &'static str {
        match self {
            Kind::Jpeg => "JPEG",
            Kind::Png => "PNG",
            Kind::Mp4 => "MP4",
            Kind::Mov => "MOV",
        }
    }
}

/// What [`sniff`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sniffed {
    /// One of the kinds a board takes.
    Accepted(Kind),
    WebP,
    Gif,
    /// HEIF with HEVC images (`ftyp` brand `heic`, `heix`, ...): iPhone photos.
    Heic,
    /// Other HEIF (`mif1`, `msf1`, ...).
    Heif,
    Avif,
    /// An SVG drawing (XML text with an `<svg` element).
    Svg,
    /// UTF-8 text (not an SVG).
    Text,
    /// 0 bytes.
    Empty,
    /// Another kind known by its signature, described ("a PDF document").
    Other(&'static str),
    /// An ISO media file (`ftyp`) of a brand that is not MP4 or QuickTime.
    IsoBrand([u8; 4]),
    /// Nothing known; the first (up to 8) bytes, for the message.
    Unknown(Vec<u8>),
}

impl Sniffed {
    /// The accepted kind, if it is one.
    pub fn kind(&self) -> Option<Kind> {
        match self {
            Sniffed::Accepted(k) => Some(*k),
            _ => None,
        }
    }

    /// A still image of a kind the board does not take (converting it to
    /// JPEG or PNG would help).
    pub fn is_other_image(&self) -> bool {
        matches!(
            self,
            Sniffed::WebP | Sniffed::Gif | Sniffed::Heic | Sniffed::Heif | Sniffed::Avif
        )
    }

    /// A few words for a message: "a JPEG image", "a HEIC image", "text".
    pub fn description(&self) -> String {
        match self {
            Sniffed::Accepted(Kind::Jpeg) => "a JPEG image".into(),
            Sniffed::Accepted(Kind::Png) => "a PNG image".into(),
            Sniffed::Accepted(Kind::Mp4) => "an MP4 video".into(),
            Sniffed::Accepted(Kind::Mov) => "a MOV (QuickTime) video".into(),
            Sniffed::WebP => "a WebP image".into(),
            Sniffed::Gif => "a GIF image".into(),
            Sniffed::Heic => "a HEIC image".into(),
            Sniffed::Heif => "a HEIF image".into(),
            Sniffed::Avif => "an AVIF image".into(),
            Sniffed::Svg => "an SVG drawing".into(),
            Sniffed::Text => "text".into(),
            Sniffed::Empty => "an empty file".into(),
            Sniffed::Other(what) => (*what).into(),
            Sniffed::IsoBrand(brand) => format!(
                "an ISO media file of brand \"{}\"",
                String::from_utf8_lossy(brand).trim_end()
            ),
            Sniffed::Unknown(first) => {
                let shown: Vec<String> = first.iter().map(|b| format!("{b:02x}")).collect();
                format!("an unknown kind of file (it starts {})", shown.join(" "))
            }
        }
    }

    /// As [`description`](Self::description), naming the file when a name
    /// is given and the content is not what a file would be taken for:
    /// "a text file named photo.png". The name never decides the kind.
    pub fn description_named(&self, name: Option<&str>) -> String {
        let Some(name) = name.filter(|n| !n.trim().is_empty()) else {
            return self.description();
        };
        match self {
            Sniffed::Text => format!("a text file named {name}"),
            Sniffed::Empty => format!("an empty file named {name}"),
            Sniffed::Unknown(_) => format!("a file named {name} of an unknown kind"),
            _ => format!("{} named {name}", self.description()),
        }
    }
}

impl fmt::Display for Sniffed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.description())
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

/// Major brands of files that have an `ftyp` box but are no video: HEIF
/// and AVIF still images and MPEG-4 audio. Their compatible brands often
/// name `isom` or `mp42`, so they are told apart before those are looked
/// at.
const NOT_VIDEO_BRANDS: [(&[u8; 4], Sniffed); 14] = [
    (b"heic", Sniffed::Heic),
    (b"heix", Sniffed::Heic),
    (b"heim", Sniffed::Heic),
    (b"heis", Sniffed::Heic),
    (b"hevc", Sniffed::Other("a HEIF image sequence")),
    (b"hevx", Sniffed::Other("a HEIF image sequence")),
    (b"mif1", Sniffed::Heif),
    (b"msf1", Sniffed::Other("a HEIF image sequence")),
    (b"avif", Sniffed::Avif),
    (b"avis", Sniffed::Other("an AVIF image sequence")),
    (b"M4A ", Sniffed::Other("an M4A audio file")),
    (b"M4B ", Sniffed::Other("an M4B audio book")),
    (b"M4P ", Sniffed::Other("a protected M4P audio file")),
    (b"crx ", Sniffed::Other("a Canon raw photo")),
];

/// What the file that starts with `head` is: pass its first
/// [`SNIFF_LEN`] bytes, or all of it if shorter.
pub fn sniff(head: &[u8]) -> Sniffed {
    if head.is_empty() {
        return Sniffed::Empty;
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Sniffed::Accepted(Kind::Jpeg);
    }
    if head.starts_with(&PNG_SIGNATURE) {
        return Sniffed::Accepted(Kind::Png);
    }
    if head.len() >= 12 && &head[4..8] == b"ftyp" {
        return iso_media(head);
    }
    describe(head)
}

/// An ISO base media file (`ftyp` at offset 4): MOV if QuickTime's brand
/// is the major one, MP4 if the major or a compatible brand is an MP4
/// brand (QuickTime's as a compatible one makes it MOV). A HEIF or AVIF
/// image is known by its major brand, or, with another major brand, by a
/// compatible `mif1`/`msf1` when no video brand is there.
fn iso_media(head: &[u8]) -> Sniffed {
    let major: [u8; 4] = [head[8], head[9], head[10], head[11]];
    if let Some((_, what)) = NOT_VIDEO_BRANDS.iter().find(|(b, _)| **b == major) {
        return what.clone();
    }
    if &major == MOV_BRAND {
        return Sniffed::Accepted(Kind::Mov);
    }
    if MP4_BRANDS.contains(&&major) {
        return Sniffed::Accepted(Kind::Mp4);
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
        return Sniffed::Accepted(Kind::Mov);
    }
    if compatible
        .iter()
        .any(|b| MP4_BRANDS.iter().any(|m| m.as_slice() == *b))
    {
        return Sniffed::Accepted(Kind::Mp4);
    }
    for b in &compatible {
        match *b {
            b"avif" => return Sniffed::Avif,
            b"heic" | b"heix" => return Sniffed::Heic,
            b"mif1" | b"msf1" => return Sniffed::Heif,
            _ => {}
        }
    }
    Sniffed::IsoBrand(major)
}

/// A file that is none of the accepted kinds.
fn describe(head: &[u8]) -> Sniffed {
    if head.starts_with(b"GIF87a") || head.starts_with(b"GIF89a") {
        return Sniffed::Gif;
    }
    if head.starts_with(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        return Sniffed::WebP;
    }
    let signatures: [(&[u8], usize, &'static str); 10] = [
        (b"AVI ", 8, "an AVI video"),
        (b"WAVE", 8, "a WAV audio file"),
        (&[0x1A, 0x45, 0xDF, 0xA3], 0, "a WebM or Matroska video"),
        (b"%PDF", 0, "a PDF document"),
        (b"PK\x03\x04", 0, "a ZIP archive"),
        (b"II*\0", 0, "a TIFF image"),
        (b"MM\0*", 0, "a TIFF image"),
        (b"ID3", 0, "an MP3 audio file"),
        (b"\x1F\x8B", 0, "a gzip archive"),
        (b"BM", 0, "a BMP image"),
    ];
    for (sig, at, what) in signatures {
        if head.get(at..at + sig.len()) == Some(sig) {
            // "BM" is two letters: only a BMP if the rest is not text.
            if sig == b"BM" && looks_like_text(head) {
                continue;
            }
            return Sniffed::Other(what);
        }
    }
    if let Some(text) = as_text(head) {
        return if is_svg(text) {
            Sniffed::Svg
        } else {
            Sniffed::Text
        };
    }
    Sniffed::Unknown(head.iter().take(8).copied().collect())
}

/// An SVG: after a byte order mark and white space, markup (`<?xml`,
/// `<!--`, `<!DOCTYPE`, `<svg`) that has an `<svg` element within the
/// bytes seen.
fn is_svg(text: &str) -> bool {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if !t.starts_with('<') {
        return false;
    }
    let lower = t.to_ascii_lowercase();
    lower.match_indices("<svg").any(|(i, _)| {
        // `<svg` followed by white space, `>` or `/` (not `<svgfoo`), or
        // the end of the bytes seen.
        matches!(
            lower.as_bytes().get(i + 4),
            None | Some(b' ' | b'\t' | b'\n' | b'\r' | b'>' | b'/')
        )
    })
}

fn looks_like_text(head: &[u8]) -> bool {
    as_text(head).is_some()
}

/// The bytes as text: UTF-8 (possibly cut in the middle of a character at
/// the end) with no control characters but tab, line feed, carriage return
/// and form feed.
fn as_text(head: &[u8]) -> Option<&str> {
    let valid = match std::str::from_utf8(head) {
        Ok(s) => s,
        Err(e) if e.error_len().is_none() => std::str::from_utf8(&head[..e.valid_up_to()]).ok()?,
        Err(_) => return None,
    };
    let ok = !valid.is_empty()
        && valid
            .chars()
            .all(|c| !c.is_control() || matches!(c, '\t' | '\n' | '\r' | '\u{c}'));
    ok.then_some(valid)
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
        let jpeg = Sniffed::Accepted(Kind::Jpeg);
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), jpeg);
        assert_eq!(sniff(&PNG_SIGNATURE), Sniffed::Accepted(Kind::Png));
        let mp4 = Sniffed::Accepted(Kind::Mp4);
        let mov = Sniffed::Accepted(Kind::Mov);
        assert_eq!(sniff(&ftyp(b"isom", &[b"isom", b"avc1"])), mp4);
        assert_eq!(sniff(&ftyp(b"qt  ", &[b"qt  "])), mov);
        // An unusual major brand is taken for its compatible ones.
        assert_eq!(sniff(&ftyp(b"XAVC", &[b"mp42", b"iso2"])), mp4);
        assert_eq!(sniff(&ftyp(b"abcd", &[b"qt  "])), mov);
    }

    #[test]
    fn lookalikes() {
        assert_eq!(sniff(&ftyp(b"heic", &[b"mif1", b"heic"])), Sniffed::Heic);
        assert_eq!(sniff(&ftyp(b"mif1", &[b"mif1", b"miaf"])), Sniffed::Heif);
        assert_eq!(sniff(&ftyp(b"avif", &[b"avif", b"mif1"])), Sniffed::Avif);
        assert_eq!(sniff(&ftyp(b"miaf", &[b"avif", b"mif1"])), Sniffed::Avif);
        assert_eq!(
            sniff(&ftyp(b"3gp4", &[b"3gp4"])).description(),
            "an ISO media file of brand \"3gp4\""
        );
        assert_eq!(sniff(b"GIF89a..."), Sniffed::Gif);
        assert_eq!(sniff(b"RIFF\0\0\0\0WEBPVP8 "), Sniffed::WebP);
        assert_eq!(sniff(b"BM is my initials"), Sniffed::Text);
        assert_eq!(
            sniff(b"BM\x36\x00\x0c\x00\0\0"),
            Sniffed::Other("a BMP image")
        );
        assert_eq!(sniff("caf\u{e9}".as_bytes()), Sniffed::Text);
        assert_eq!(sniff(&"\u{e9}t\u{e9}".as_bytes()[..4]), Sniffed::Text);
        assert_eq!(
            sniff(&[0, 1, 2, 0xFE]).description(),
            "an unknown kind of file (it starts 00 01 02 fe)"
        );
        // Too short to be anything.
        assert_ne!(sniff(&[0xFF, 0xD8]), Sniffed::Accepted(Kind::Jpeg));
        assert_ne!(sniff(&PNG_SIGNATURE[..7]), Sniffed::Accepted(Kind::Png));
    }

    #[test]
    fn svg_in_its_many_openings() {
        for s in [
            "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "\u{feff}  \n<?xml version=\"1.0\"?>\n<svg>",
            "<?xml version=\"1.0\"?><!-- made by hand --><!DOCTYPE svg><SVG width=\"3\">",
            "\n\t<svg",
        ] {
            assert_eq!(sniff(s.as_bytes()), Sniffed::Svg, "{s:?}");
        }
        for s in [
            "<html><body>svg</body></html>",
            "<svgfoo/>",
            "see <svg> here",
        ] {
            assert_eq!(sniff(s.as_bytes()), Sniffed::Text, "{s:?}");
        }
    }
}
