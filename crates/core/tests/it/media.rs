//! Files checked before upload (issue 5): every bad input of the issue and
//! the good kinds, built here byte by byte (and one real MP4 from
//! `storyreel-clip`).

use storyreel_core::media::check::{check_file, check_image, check_video, MediaProblem, Role};
use storyreel_core::media::fit::{self, Attempt, Next, Output};
use storyreel_core::media::image::{read_image, ImageError, ImageInfo};
use storyreel_core::media::video::{
    locate_moov, locate_moov_from, read_moov, read_video, MoovLocation, VideoError,
};
use storyreel_core::media::{sniff, Kind, Sniffed, Verdict};
use storyreel_core::reference::{ReferenceKind, VideoUse};

// ------------------------------------------------------------ builders

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    c.extend_from_slice(&crc32fast::hash(&c[4..]).to_be_bytes());
    c
}

/// A PNG header (and an empty IDAT/IEND): enough for a size.
fn png(width: u32, height: u32, color_type: u8, extra: &[(&[u8; 4], &[u8])]) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, color_type, 0, 0, 0]);
    b.extend(png_chunk(b"IHDR", &ihdr));
    for (k, d) in extra {
        b.extend(png_chunk(k, d));
    }
    b.extend(png_chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0x00]));
    b.extend(png_chunk(b"IEND", &[]));
    b
}

fn segment(marker: u8, body: &[u8]) -> Vec<u8> {
    let mut s = vec![0xFF, marker];
    s.extend(((body.len() + 2) as u16).to_be_bytes());
    s.extend_from_slice(body);
    s
}

fn exif(orientation: u16) -> Vec<u8> {
    let mut e = b"Exif\0\0MM\0*\0\0\0\x08\0\x01".to_vec();
    e.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1]);
    e.extend(orientation.to_be_bytes());
    e.extend([0, 0, 0, 0, 0, 0]);
    e
}

fn sof(marker: u8, width: u16, height: u16) -> Vec<u8> {
    let mut body = vec![8];
    body.extend(height.to_be_bytes());
    body.extend(width.to_be_bytes());
    body.extend([3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
    segment(marker, &body)
}

/// A JPEG as cameras write it: JFIF, EXIF with an orientation, a quant
/// table, the frame header, a Huffman table, the scan and EOI.
fn jpeg(width: u16, height: u16, orientation: Option<u16>) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8];
    b.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
    if let Some(o) = orientation {
        b.extend(segment(0xE1, &exif(o)));
    }
    b.extend(segment(0xDB, &[0u8; 65]));
    b.extend(sof(0xC0, width, height));
    b.extend(segment(0xC4, &[0u8; 29]));
    b.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    b.extend([0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD9]);
    b
}

fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut b = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
    b.extend_from_slice(kind);
    b.extend_from_slice(payload);
    b
}

fn full(kind: &[u8; 4], version: u8, payload: &[u8]) -> Vec<u8> {
    let mut p = vec![version, 0, 0, 0];
    p.extend_from_slice(payload);
    bx(kind, &p)
}

fn cat(parts: &[Vec<u8>]) -> Vec<u8> {
    parts.concat()
}

fn ftyp(major: &[u8; 4], compatible: &[&[u8; 4]]) -> Vec<u8> {
    let mut p = major.to_vec();
    p.extend([0, 0, 2, 0]);
    for c in compatible {
        p.extend_from_slice(*c);
    }
    bx(b"ftyp", &p)
}

/// What a test video says about itself.
#[derive(Clone, Copy)]
struct Movie {
    width: u32,
    height: u32,
    /// Frames per second as frames / (frame_delta / timescale).
    timescale: u32,
    frame_delta: u32,
    frames: u32,
    /// 64-bit times (version 1 headers).
    v1: bool,
    codec: &'static [u8; 4],
}

impl Movie {
    fn new(width: u32, height: u32, fps: u32, seconds: u32) -> Movie {
        Movie {
            width,
            height,
            timescale: fps * 1000,
            frame_delta: 1000,
            frames: fps * seconds,
            v1: false,
            codec: b"avc1",
        }
    }

    fn duration(&self) -> u64 {
        u64::from(self.frames) * u64::from(self.frame_delta)
    }

    fn time_header(&self, kind: &[u8; 4]) -> Vec<u8> {
        let mut p = Vec::new();
        if self.v1 {
            p.extend([0u8; 16]);
            p.extend(self.timescale.to_be_bytes());
            p.extend(self.duration().to_be_bytes());
        } else {
            p.extend([0u8; 8]);
            p.extend(self.timescale.to_be_bytes());
            p.extend((self.duration() as u32).to_be_bytes());
        }
        p.extend([0u8; 80]);
        full(kind, u8::from(self.v1), &p)
    }

    fn tkhd(&self) -> Vec<u8> {
        let mut p = vec![0u8; if self.v1 { 32 } else { 20 }];
        p.extend([0u8; 8 + 8 + 36]);
        p.extend((self.width << 16).to_be_bytes());
        p.extend((self.height << 16).to_be_bytes());
        full(b"tkhd", u8::from(self.v1), &p)
    }

    fn moov(&self) -> Vec<u8> {
        let mut stsd = 1u32.to_be_bytes().to_vec();
        stsd.extend(bx(self.codec, &[0u8; 78]));
        let mut stts = 2u32.to_be_bytes().to_vec();
        // Two entries, as an encoder that ends a shot would write.
        let first = self.frames / 2;
        for n in [first, self.frames - first] {
            stts.extend(n.to_be_bytes());
            stts.extend(self.frame_delta.to_be_bytes());
        }
        let stbl = bx(
            b"stbl",
            &cat(&[full(b"stsd", 0, &stsd), full(b"stts", 0, &stts)]),
        );
        let minf = bx(b"minf", &cat(&[full(b"vmhd", 0, &[0; 8]), stbl]));
        let mut hdlr = vec![0u8; 4];
        hdlr.extend(b"vide");
        hdlr.extend([0u8; 12]);
        hdlr.extend(b"Video\0");
        let mdia = bx(
            b"mdia",
            &cat(&[self.time_header(b"mdhd"), full(b"hdlr", 0, &hdlr), minf]),
        );
        // An audio track first, which is not the video track.
        let mut shdlr = vec![0u8; 4];
        shdlr.extend(b"soun");
        shdlr.extend([0u8; 13]);
        let audio = bx(
            b"trak",
            &bx(
                b"mdia",
                &cat(&[self.time_header(b"mdhd"), full(b"hdlr", 0, &shdlr)]),
            ),
        );
        let trak = bx(b"trak", &cat(&[self.tkhd(), mdia]));
        bx(b"moov", &cat(&[self.time_header(b"mvhd"), audio, trak]))
    }

    fn mp4(&self) -> Vec<u8> {
        cat(&[
            ftyp(b"isom", &[b"isom", b"avc1"]),
            self.moov(),
            bx(b"mdat", &[0u8; 64]),
        ])
    }

    /// QuickTime, with `moov` after the media data.
    fn mov(&self) -> Vec<u8> {
        cat(&[
            ftyp(b"qt  ", &[b"qt  "]),
            bx(b"wide", &[]),
            bx(b"mdat", &[0u8; 64]),
            self.moov(),
        ])
    }
}

fn refused(v: &Verdict) -> Vec<String> {
    match v {
        Verdict::Refused(p) => p.iter().map(MediaProblem::message).collect(),
        other => panic!("not refused: {other:?}"),
    }
}

// ------------------------------------------------------- the bad inputs

#[test]
fn an_empty_file() {
    assert_eq!(sniff(&[]), Sniffed::Empty);
    for role in [Role::Image, Role::Frame, Role::Video] {
        let v = check_file(&[], Some("photo.jpg"), role);
        assert_eq!(v, Verdict::Refused(vec![MediaProblem::Empty]));
        assert_eq!(refused(&v), ["The file is empty (0 bytes)."]);
    }
}

#[test]
fn a_truncated_jpeg() {
    let whole = jpeg(1200, 800, Some(1));
    let sof_at = whole.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
    // Cut anywhere before the frame header's size bytes end.
    for cut in 3..sof_at + 9 {
        assert_eq!(
            read_image(&whole[..cut]),
            Err(ImageError::Truncated { kind: Kind::Jpeg }),
            "cut at {cut}"
        );
    }
    let v = check_file(&whole[..sof_at], Some("beach.jpg"), Role::Image);
    assert_eq!(
        refused(&v),
        ["The file cannot be read: the JPEG ends before its size is given."]
    );
    assert!(matches!(
        &v.problems()[0],
        MediaProblem::Unreadable {
            kind: Kind::Jpeg,
            ..
        }
    ));
}

#[test]
fn an_svg() {
    let svg = "\u{feff}\n  <?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- logo -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"800\"></svg>\n";
    assert_eq!(sniff(svg.as_bytes()), Sniffed::Svg);
    let v = check_file(svg.as_bytes(), Some("logo.png"), Role::Image);
    assert_eq!(
        refused(&v),
        ["This is an SVG drawing named logo.png; only JPEG and PNG images are accepted. Export it as PNG first."]
    );
    let v = check_file(svg.as_bytes(), None, Role::Frame);
    assert_eq!(
        refused(&v),
        ["This is an SVG drawing; only JPEG and PNG images are accepted. Export it as PNG first."]
    );
}

#[test]
fn a_heic() {
    let heic = cat(&[
        ftyp(b"heic", &[b"mif1", b"heic", b"iso8"]),
        full(b"meta", 0, &[0u8; 32]),
    ]);
    assert_eq!(sniff(&heic), Sniffed::Heic);
    let v = check_file(&heic, Some("IMG_0001.HEIC"), Role::Image);
    assert_eq!(
        refused(&v),
        ["This is a HEIC image named IMG_0001.HEIC; only JPEG and PNG images are accepted. Convert it to JPEG first."]
    );
    assert_eq!(
        refused(&check_file(&heic, None, Role::Image)),
        ["This is a HEIC image; only JPEG and PNG images are accepted. Convert it to JPEG first."]
    );
    // Nor is it a video, though its brands name iso8.
    assert_eq!(
        refused(&check_file(&heic, None, Role::Video)),
        ["This is a HEIC image, not a video."]
    );
    let avif = ftyp(b"avif", &[b"avif", b"mif1", b"miaf"]);
    assert_eq!(sniff(&avif), Sniffed::Avif);
    let heif = ftyp(b"mif1", &[b"mif1"]);
    assert_eq!(
        refused(&check_file(&heif, None, Role::Image)),
        ["This is a HEIF image; only JPEG and PNG images are accepted. Convert it to JPEG first."]
    );
}

#[test]
fn a_png_that_declares_30000_by_30000() {
    let bomb = png(30_000, 30_000, 6, &[]);
    let info = read_image(&bomb).unwrap();
    assert_eq!((info.width, info.height), (30_000, 30_000));
    assert!(info.has_alpha);
    assert!(!info.decodable());
    let v = check_file(&bomb, Some("huge.png"), Role::Image);
    let Verdict::Refused(problems) = &v else {
        panic!("{v:?}")
    };
    assert_eq!(
        problems[0],
        MediaProblem::ImageTooLargeToOpen {
            width: 30_000,
            height: 30_000
        }
    );
    assert_eq!(
        problems[0].message(),
        "The image is 30000×30000 px (900 megapixels); opening it would take about 3.6 GB of memory, and at most 50 megapixels (16384 px a side) are opened here. Make it smaller first."
    );
    // The resize it would also need is listed after what refuses it.
    assert!(problems[1].is_fixable());
    assert_eq!(problems.len(), 2);
    // A long thin one over the side limit but not the pixel budget.
    let info = read_image(&png(17_000, 8_000, 2, &[])).unwrap();
    assert!(!info.decodable());
}

#[test]
fn a_text_file_named_png() {
    let text = "this is not a picture of a cat, just text\n".repeat(20);
    assert_eq!(sniff(text.as_bytes()), Sniffed::Text);
    let v = check_file(text.as_bytes(), Some("photo.png"), Role::Image);
    assert_eq!(
        v,
        Verdict::Refused(vec![MediaProblem::WrongKind {
            found: Sniffed::Text,
            name: Some("photo.png".into()),
            role: Role::Image
        }])
    );
    assert_eq!(
        refused(&v),
        ["This is a text file named photo.png, not an image."]
    );
    assert_eq!(
        refused(&check_file(text.as_bytes(), Some("clip.mp4"), Role::Video)),
        ["This is a text file named clip.mp4, not a video."]
    );
    // The name never decides: a real PNG named .txt is a PNG.
    let good = png(640, 480, 2, &[]);
    assert_eq!(
        check_file(&good, Some("notes.txt"), Role::Image),
        Verdict::Ok
    );
}

#[test]
fn a_16_second_video() {
    // Kling takes reference videos of 3 to 15.5 s since 2026-06.
    let ok = Movie::new(1920, 1080, 30, 12);
    assert_eq!(read_video(&ok.mp4()).unwrap().seconds(), 12.0);
    assert_eq!(check_file(&ok.mp4(), None, Role::Video), Verdict::Ok);
    let movie = Movie::new(1920, 1080, 30, 16);
    let info = read_video(&movie.mp4()).unwrap();
    assert_eq!(info.seconds(), 16.0);
    let v = check_file(&movie.mp4(), Some("long.mp4"), Role::Video);
    assert_eq!(
        v,
        Verdict::Refused(vec![MediaProblem::VideoLength {
            seconds: 16.0,
            min: 3.0,
            max: 15.5
        }])
    );
    assert_eq!(
        refused(&v),
        ["The video is 16.0 s long; reference videos must be 3 to 15.5 s."]
    );
}

#[test]
fn video_sides_pixels_and_aspect_just_inside_and_outside() {
    let verdict = |w, h| check_file(&Movie::new(w, h, 30, 5).mp4(), None, Role::Video);
    // Sides 700 to 4553 px.
    assert_eq!(verdict(700, 1000), Verdict::Ok);
    assert_eq!(
        refused(&verdict(699, 1000)),
        ["The video is 699×1000 px; each side must be 700 to 4553 px."]
    );
    // At most 8,294,400 pixels a frame: 3840×2160 is exactly that.
    assert_eq!(verdict(3840, 2160), Verdict::Ok);
    assert_eq!(
        refused(&verdict(3842, 2160)),
        ["The video is 3842×2160 px, 8298720 pixels a frame; reference videos may have at most 8294400."]
    );
    // Width over height from 0.4 to 2.
    assert_eq!(verdict(2000, 1000), Verdict::Ok);
    assert_eq!(verdict(800, 2000), Verdict::Ok);
    assert_eq!(
        refused(&verdict(2002, 1000)),
        ["The video is 2002×1000 px, 2.00 wide for each unit of height; reference videos must be between 0.4 and 2."]
    );
    let narrow = verdict(798, 2000);
    assert!(matches!(
        narrow,
        Verdict::Refused(ref p) if p == &[MediaProblem::VideoAspect { width: 798, height: 2000 }]
    ));
}

#[test]
fn a_4k_120_fps_video() {
    let movie = Movie::new(3840, 2160, 120, 5);
    let info = read_video(&movie.mov()).unwrap();
    assert_eq!((info.width, info.height), (3840, 2160));
    assert_eq!(info.fps(), Some(120.0));
    assert_eq!(
        refused(&check_file(&movie.mov(), None, Role::Video)),
        ["The video is 3840×2160 at 120 fps; reference videos must be 24 to 60 fps.",]
    );
}

// ------------------------------------------------------- the good inputs

#[test]
fn a_good_jpeg_turned_by_exif() {
    let file = jpeg(1600, 1000, Some(6));
    let info = read_image(&file).unwrap();
    assert_eq!(
        info,
        ImageInfo {
            kind: Kind::Jpeg,
            width: 1600,
            height: 1000,
            orientation: 6,
            has_alpha: false
        }
    );
    assert_eq!(info.display_size(), (1000, 1600));
    assert_eq!(check_file(&file, Some("a.jpg"), Role::Image), Verdict::Ok);
    // Orientations 1 to 4 keep the size.
    for o in 1..=4 {
        let info = read_image(&jpeg(1600, 1000, Some(o))).unwrap();
        assert_eq!(
            (info.orientation, info.display_size()),
            (o as u8, (1600, 1000))
        );
    }
    assert_eq!(read_image(&jpeg(1600, 1000, None)).unwrap().orientation, 1);
}

#[test]
fn a_turned_jpeg_is_checked_as_shown() {
    // 2000×700 is 2.86:1 stored; turned, 700×2000 is 1:2.86 either way, but
    // 350×800 stored with orientation 8 is shown 800×350.
    let v = check_image(&read_image(&jpeg(800, 250, Some(8))).unwrap(), 10_000);
    assert_eq!(
        refused(&v),
        [
            "The image is 250×800 px; each side must be at least 300 px.",
            "The aspect ratio is 1:3.2; it must be between 1:2.5 and 2.5:1.",
        ]
    );
}

#[test]
fn a_good_png() {
    let file = png(1024, 768, 2, &[(b"pHYs", &[0, 0, 11, 19, 0, 0, 11, 19, 1])]);
    let info = read_image(&file).unwrap();
    assert_eq!((info.kind, info.width, info.height), (Kind::Png, 1024, 768));
    assert!(!info.has_alpha);
    assert_eq!(check_file(&file, None, Role::Image), Verdict::Ok);
    // Transparency from a tRNS chunk of a palette image.
    let pal = png(400, 400, 3, &[(b"PLTE", &[0; 6]), (b"tRNS", &[0])]);
    assert!(read_image(&pal).unwrap().has_alpha);
}

#[test]
fn good_mp4_and_mov() {
    let movie = Movie::new(1920, 1080, 30, 5);
    let info = read_video(&movie.mp4()).unwrap();
    assert_eq!(
        (info.width, info.height, info.seconds(), info.fps()),
        (1920, 1080, 5.0, Some(30.0))
    );
    assert_eq!((info.frames, info.codec_str().as_str()), (150, "avc1"));
    assert_eq!(check_file(&movie.mp4(), None, Role::Video), Verdict::Ok);

    let mov = Movie {
        v1: true,
        codec: b"hvc1",
        ..Movie::new(1080, 1920, 60, 10)
    };
    assert_eq!(sniff(&mov.mov()), Sniffed::Accepted(Kind::Mov));
    let info = read_video(&mov.mov()).unwrap();
    assert_eq!(
        (info.width, info.height, info.seconds(), info.fps()),
        (1080, 1920, 10.0, Some(60.0))
    );
    assert_eq!(info.codec_str(), "hvc1");
    assert_eq!(check_file(&mov.mov(), None, Role::Video), Verdict::Ok);
}

#[test]
fn ntsc_rates_and_fifteen_and_a_half_seconds_pass() {
    // 23.976 fps: 1001 ticks of 24000 a frame; 371 frames = 15.47 s.
    let ntsc = Movie {
        timescale: 24_000,
        frame_delta: 1001,
        frames: 371,
        ..Movie::new(1280, 720, 24, 15)
    };
    let info = read_video(&ntsc.mp4()).unwrap();
    assert!((info.fps().unwrap() - 23.976).abs() < 0.001);
    assert!((info.seconds() - 15.474).abs() < 0.001);
    assert_eq!(check_video(&info, 1_000_000), Verdict::Ok);
    // 15.5 s passes, 15.53 s is over; 2.99 s is under, and is not shown
    // as "3.0".
    let limit = Movie {
        frames: 465,
        ..Movie::new(1280, 720, 30, 15)
    };
    assert_eq!(check_file(&limit.mp4(), None, Role::Video), Verdict::Ok);
    let over = Movie {
        frames: 466,
        ..Movie::new(1280, 720, 30, 15)
    };
    assert_eq!(
        refused(&check_file(&over.mp4(), None, Role::Video)),
        ["The video is 15.53 s long; reference videos must be 3 to 15.5 s."]
    );
    let under = Movie {
        timescale: 100,
        frame_delta: 1,
        frames: 299,
        ..Movie::new(1280, 720, 30, 3)
    };
    let msg = refused(&check_file(&under.mp4(), None, Role::Video));
    assert_eq!(
        msg[0],
        "The video is 2.99 s long; reference videos must be 3 to 15.5 s."
    );
    // 100 fps from that time base is also refused.
    assert_eq!(msg.len(), 2);
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn a_real_mp4_from_the_clip_renderer() {
    use storyreel_clip::{render_mp4, ClipSpec, ShotSpec};
    let spec = ClipSpec {
        width: 160,
        height: 96,
        fps: 24,
        shots: vec![
            ShotSpec {
                seconds: 2,
                label: "one".into(),
            },
            ShotSpec {
                seconds: 1,
                label: "two".into(),
            },
        ],
        sound: true,
    };
    let file = render_mp4(&spec).unwrap();
    assert_eq!(sniff(&file), Sniffed::Accepted(Kind::Mp4));
    let info = read_video(&file).unwrap();
    assert_eq!((info.width, info.height), (160, 96));
    assert_eq!(info.seconds(), 3.0);
    assert_eq!(info.fps(), Some(24.0));
    assert_eq!((info.frames, info.codec_str().as_str()), (72, "avc1"));
    // In time and rate, but too small for a reference video.
    assert_eq!(
        refused(&check_file(&file, Some("sim.mp4"), Role::Video)),
        ["The video is 160×96 px; each side must be 700 to 4553 px."]
    );
    // moov first: found in the first bytes.
    assert!(matches!(
        locate_moov(&file[..file.len().min(64 * 1024)], file.len() as u64),
        Ok(MoovLocation::InHead(_))
    ));
}

// ------------------------------------------------- moov at the file's end

#[test]
fn moov_after_a_large_mdat_is_found_in_steps() {
    let movie = Movie::new(1280, 720, 25, 4);
    let moov = movie.moov();
    // ftyp, then an mdat of 150 MB (its header only), then moov.
    let head_boxes = ftyp(b"isom", &[b"mp42"]);
    let mdat_len: u64 = 150_000_000;
    let mut head = head_boxes.clone();
    head.extend((mdat_len as u32).to_be_bytes());
    head.extend(b"mdat");
    head.extend([0xAB; 4000]);
    let moov_at = head_boxes.len() as u64 + mdat_len;
    let file_len = moov_at + moov.len() as u64;

    assert_eq!(
        locate_moov(&head, file_len),
        Ok(MoovLocation::ReadAt { offset: moov_at })
    );
    // Reading only 16 bytes there names the whole box.
    assert_eq!(
        locate_moov_from(&moov[..16], moov_at, file_len),
        Ok(MoovLocation::At {
            offset: moov_at,
            len: moov.len() as u64
        })
    );
    // Reading it all, it is in those bytes.
    assert_eq!(
        locate_moov_from(&moov, moov_at, file_len),
        Ok(MoovLocation::InHead(0..moov.len()))
    );
    let info = read_moov(&moov).unwrap();
    assert_eq!((info.seconds(), info.fps()), (4.0, Some(25.0)));
    // A file that ends where moov should be has none.
    assert_eq!(locate_moov(&head, moov_at), Ok(MoovLocation::NotFound));
    // A file shorter than its mdat says is cut off.
    assert!(matches!(
        locate_moov(&head, moov_at - 1),
        Err(VideoError::Truncated { .. })
    ));
    // A 64-bit mdat size.
    let mut big = head_boxes.clone();
    big.extend(1u32.to_be_bytes());
    big.extend(b"mdat");
    big.extend((5_000_000_000u64).to_be_bytes());
    let at = head_boxes.len() as u64 + 5_000_000_000;
    assert_eq!(
        locate_moov(&big, at + moov.len() as u64),
        Ok(MoovLocation::ReadAt { offset: at })
    );
}

#[test]
fn videos_that_cannot_be_read() {
    let movie = Movie::new(1280, 720, 25, 4);
    // No moov at all (a recording cut off before its index was written).
    let cut = cat(&[ftyp(b"isom", &[b"isom"]), bx(b"mdat", &[0; 100])]);
    assert_eq!(read_video(&cut), Err(VideoError::NoMoov));
    assert_eq!(
        refused(&check_file(&cut, None, Role::Video)),
        ["The file cannot be read: the video has no index (moov box); it may be incomplete."]
    );
    // Fragmented.
    let frag = bx(
        b"moov",
        &cat(&[movie.time_header(b"mvhd"), bx(b"mvex", &[])]),
    );
    assert_eq!(read_moov(&frag), Err(VideoError::Fragmented));
    // Audio only.
    let audio = bx(b"moov", &movie.time_header(b"mvhd"));
    assert_eq!(read_moov(&audio), Err(VideoError::NoVideoTrack));
    // No frames: no frame rate (and no length).
    let empty = Movie { frames: 0, ..movie };
    assert_eq!(
        refused(&check_file(&empty.mp4(), None, Role::Video)),
        [
            "The video is 0.0 s long; reference videos must be 3 to 15.5 s.",
            "The video track has no frames.",
        ]
    );
    // Cut at every length: an error, never a panic, never a size.
    let file = movie.mp4();
    for n in 0..file.len() - 64 - 8 {
        assert!(read_video(&file[..n]).is_err(), "cut at {n}");
    }
}

// ------------------------------------------------------------ JPEG walk

#[test]
fn the_jpeg_walk_skips_what_it_must() {
    // Fill bytes before markers, an RST and a TEM standing alone, an APP
    // segment holding FF D9 and FF C0 in its body, a stray byte, then a
    // progressive frame header.
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xFF, 0xFF];
    b.extend(segment(0xE2, &[0xFF, 0xD9, 0xFF, 0xC0, 0, 17, 0, 1, 0, 9]));
    b.extend([0xFF, 0xD3, 0xFF, 0x01, 0x00]);
    b.extend(segment(0xFE, b"a comment"));
    b.extend(segment(0xC4, &[0; 20]));
    b.extend([0xFF, 0xFF]);
    b.extend(sof(0xC2, 4000, 3000));
    let info = read_image(&b).unwrap();
    assert_eq!((info.width, info.height), (4000, 3000));
    // The scan before any frame header: no size.
    let mut no_sof = vec![0xFF, 0xD8];
    no_sof.extend(segment(0xDA, &[1, 1, 0, 0, 0x3F, 0]));
    no_sof.extend([0x11, 0x22]);
    assert_eq!(read_image(&no_sof), Err(ImageError::NoSize));
    // A height of 0 (given later by DNL) and a bad segment length.
    let mut dnl = vec![0xFF, 0xD8];
    dnl.extend(sof(0xC0, 640, 0));
    assert!(matches!(
        read_image(&dnl),
        Err(ImageError::BadSize { height: 0, .. })
    ));
    assert!(matches!(
        read_image(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 1, 0, 0]),
        Err(ImageError::Malformed { .. })
    ));
}

#[test]
fn absurd_png_sizes_are_errors() {
    assert!(matches!(
        read_image(&png(0, 400, 2, &[])),
        Err(ImageError::BadSize { width: 0, .. })
    ));
    assert!(matches!(
        read_image(&png(0x8000_0000, 400, 2, &[])),
        Err(ImageError::BadSize { .. })
    ));
    let good = png(400, 400, 2, &[]);
    // Cut before the end of IHDR's data (its CRC is not needed).
    for cut in 8..29 {
        assert!(read_image(&good[..cut]).is_err(), "cut at {cut}");
    }
    assert_eq!(read_image(&good[..29]).unwrap().width, 400);
    // The first chunk must be IHDR.
    let mut bad = good.clone();
    bad[12..16].copy_from_slice(b"iCCP");
    assert!(matches!(
        read_image(&bad),
        Err(ImageError::Malformed { .. })
    ));
}

// ------------------------------------------------------------ the checks

#[test]
fn image_limits_name_the_value_and_the_limit() {
    let info = |w, h| ImageInfo {
        kind: Kind::Png,
        width: w,
        height: h,
        orientation: 1,
        has_alpha: false,
    };
    assert_eq!(
        refused(&check_image(&info(250, 900), 50_000)),
        [
            "The image is 250×900 px; each side must be at least 300 px.",
            "The aspect ratio is 1:3.6; it must be between 1:2.5 and 2.5:1.",
        ]
    );
    // Exactly 2.5:1 and 300 px pass; a hair over 2.5:1 does not, and is
    // not shown as 2.5:1.
    assert_eq!(check_image(&info(750, 300), 50_000), Verdict::Ok);
    assert_eq!(check_image(&info(300, 300), 50_000), Verdict::Ok);
    assert_eq!(
        refused(&check_image(&info(1003, 400), 50_000)),
        ["The aspect ratio is 2.51:1; it must be between 1:2.5 and 2.5:1."]
    );
    let p = &check_image(&info(250, 900), 50_000).problems()[0].clone();
    assert_eq!(p.limit().as_deref(), Some("300 px"));
    assert_eq!(p.actual().as_deref(), Some("250×900 px"));
}

#[test]
fn too_many_bytes_or_pixels_is_fixable() {
    let photo = ImageInfo {
        kind: Kind::Jpeg,
        width: 6000,
        height: 4000,
        orientation: 6,
        has_alpha: false,
    };
    let bytes = 14 * 1024 * 1024 + 300 * 1024;
    let Verdict::Fixable { plan, reasons } = check_image(&photo, bytes) else {
        panic!()
    };
    let messages: Vec<String> = reasons.iter().map(MediaProblem::message).collect();
    assert_eq!(
        messages,
        [
            "The image is 14.3 MiB; images must be at most 10 MiB.",
            "The image is 4000×6000 px; it is uploaded at most 4096 px a side.",
        ]
    );
    // Planned as shown (turned): 4000×6000 → 2731×4096.
    assert_eq!(
        plan.first,
        Attempt {
            width: 2731,
            height: 4096,
            output: Output::Jpeg { quality: 90 }
        }
    );
    assert_eq!(plan.first.output.quality(), Some(0.9));
    // A small file with big sides: fixable too.
    assert!(matches!(
        check_image(&photo, 3_000_000),
        Verdict::Fixable { reasons, .. } if reasons.len() == 1
    ));
}

#[test]
fn wrong_kinds_for_the_role() {
    let j = jpeg(1200, 800, None);
    assert_eq!(
        refused(&check_file(&j, Some("a.jpg"), Role::Video)),
        ["This is a JPEG image named a.jpg; reference videos must be MP4 or MOV videos."]
    );
    let m = Movie::new(1920, 1080, 30, 5).mp4();
    assert_eq!(
        refused(&check_file(&m, None, Role::Frame)),
        ["This is an MP4 video; frames must be JPEG or PNG images."]
    );
    assert_eq!(
        refused(&check_file(b"GIF89a\x01\0\x01\0", None, Role::Image)),
        ["This is a GIF image; only JPEG and PNG images are accepted. Convert it to PNG or JPEG first."]
    );
    assert_eq!(
        refused(&check_file(b"RIFF\x10\0\0\0WEBPVP8 ", None, Role::Image)),
        ["This is a WebP image; only JPEG and PNG images are accepted. Convert it to PNG or JPEG first."]
    );
    assert_eq!(
        refused(&check_file(&[0x1A, 0x45, 0xDF, 0xA3, 1], None, Role::Video)),
        ["This is a WebM or Matroska video; only MP4 and MOV videos are accepted. Convert it to MP4 first."]
    );
    assert_eq!(
        refused(&check_file(&[0, 1, 2, 3, 0xFE], Some("x.png"), Role::Image)),
        ["This is a file named x.png of an unknown kind, not an image."]
    );
    assert_eq!(
        Role::of(&ReferenceKind::Video {
            src: String::new(),
            usage: VideoUse::Base,
            keep_sound: false
        }),
        Some(Role::Video)
    );
    assert_eq!(
        Role::of(&ReferenceKind::Element {
            element_id: "3".into(),
            character: None,
        }),
        None
    );
}

// --------------------------------------------------------------- fitting

#[test]
fn thumbnails_have_a_short_side_of_96_px() {
    assert_eq!(fit::thumb_size(4096, 2736), (144, 96));
    assert_eq!(fit::thumb_size(2736, 4096), (96, 144));
    assert_eq!(fit::thumb_size(2500, 1000), (240, 96));
    assert_eq!(fit::thumb_size(300, 300), (96, 96));
    // Already small: unchanged.
    assert_eq!(fit::thumb_size(96, 400), (96, 400));
    assert_eq!(fit::thumb_size(50, 20), (50, 20));
}

#[test]
fn fit_sizes_keep_the_aspect_ratio() {
    assert_eq!(fit::fit_size(6000, 4000, 4096), (4096, 2731));
    assert_eq!(fit::fit_size(4000, 6000, 4096), (2731, 4096));
    assert_eq!(fit::fit_size(8192, 8192, 4096), (4096, 4096));
    assert_eq!(fit::fit_size(20_000, 8_001, 4096), (4096, 1639));
    assert_eq!(fit::fit_size(4096, 100, 4096), (4096, 100));
    assert_eq!(fit::fit_size(1, 100_000, 4096), (1, 4096));
}

#[test]
fn no_plan_when_nothing_is_over() {
    assert_eq!(
        fit::plan(4096, 3000, Kind::Jpeg, false, 10 * 1024 * 1024),
        None
    );
    assert!(fit::plan(4097, 3000, Kind::Jpeg, false, 1).is_some());
    assert!(fit::plan(1000, 1000, Kind::Jpeg, false, 10 * 1024 * 1024 + 1).is_some());
}

#[test]
fn a_png_with_alpha_stays_png_unless_over_the_limit() {
    // 8000×8000, 12 MiB: a quarter of the pixels kept, about 3 MiB: PNG.
    let p = fit::plan(8000, 8000, Kind::Png, true, 12 * 1024 * 1024).unwrap();
    assert_eq!(
        p.first,
        Attempt {
            width: 4096,
            height: 4096,
            output: Output::Png
        }
    );
    assert!(!p.opaque);
    // Not resized and over the limit: JPEG at once, drawn on white.
    let p = fit::plan(3000, 3000, Kind::Png, true, 12 * 1024 * 1024).unwrap();
    assert_eq!(p.first.output, Output::Jpeg { quality: 90 });
    assert!(!p.opaque);
    // Without alpha a PNG becomes JPEG, with nothing behind it.
    let p = fit::plan(8000, 8000, Kind::Png, false, 1_000_000).unwrap();
    assert_eq!(p.first.output, Output::Jpeg { quality: 90 });
    assert!(p.opaque);
    // A PNG result still over the limit is tried as JPEG.
    let p = fit::plan(8000, 8000, Kind::Png, true, 12 * 1024 * 1024).unwrap();
    assert_eq!(
        p.next(&p.first, 11 * 1024 * 1024),
        Next::Retry(Attempt {
            output: Output::Jpeg { quality: 90 },
            ..p.first
        })
    );
    assert_eq!(p.next(&p.first, 9 * 1024 * 1024), Next::Done);
}

#[test]
fn retries_lower_the_quality_then_the_size_then_give_up() {
    let p = fit::plan_with(6000, 4000, Kind::Jpeg, false, 30_000_000, 1_000_000).unwrap();
    let mut tried = p.first;
    let mut seen = vec![tried];
    // Always twice the limit: every step is taken.
    loop {
        match p.next(&tried, 2_000_000) {
            Next::Retry(a) => {
                tried = a;
                seen.push(a);
            }
            Next::GiveUp => break,
            Next::Done => panic!("not done"),
        }
        assert!(seen.len() < 50, "bounded");
    }
    let q: Vec<Option<f64>> = seen.iter().take(4).map(|a| a.output.quality()).collect();
    assert_eq!(q, [Some(0.9), Some(0.8), Some(0.7), Some(0.6)]);
    // Then the sides shrink at quality 60: 4096×2731 times sqrt(1/2)·0.95
    // (0.672), rounded down.
    assert_eq!(
        seen[4],
        Attempt {
            width: 2751,
            height: 1834,
            output: Output::Jpeg { quality: 60 }
        }
    );
    // Every shrink keeps the ratio and the short side at least 300 px.
    for a in &seen[4..] {
        assert!(a.height >= 300);
        let r = f64::from(a.width) / f64::from(a.height);
        assert!((r - 1.5).abs() < 0.01, "{a:?}");
    }
    assert!(seen.last().unwrap().height * 67 / 100 < 300);
}

// ------------------------------------------------------- no input panics

/// xorshift64*, so the mutations are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[test]
fn mutated_headers_never_panic() {
    let seeds = [
        jpeg(1600, 1000, Some(6)),
        png(1024, 768, 6, &[(b"tRNS", &[0])]),
        Movie::new(1920, 1080, 30, 5).mp4(),
        Movie {
            v1: true,
            ..Movie::new(1280, 720, 24, 4)
        }
        .mov(),
    ];
    let mut rng = Rng(0x005E_ED0F_5702_7EE1);
    let mut parsed = 0;
    for round in 0..4000 {
        let mut b = seeds[round % seeds.len()].clone();
        for _ in 0..1 + rng.below(4) {
            let i = rng.below(b.len());
            match rng.below(4) {
                // A byte flipped, set to an edge value, a cut, a length
                // field set big.
                0 => b[i] ^= 1 << rng.below(8),
                1 => b[i] = [0x00, 0x01, 0x7F, 0x80, 0xFF][rng.below(5)],
                2 => b.truncate(i),
                _ => {
                    let end = (i + 4).min(b.len());
                    for x in &mut b[i..end] {
                        *x = 0xFF;
                    }
                }
            }
            if b.is_empty() {
                break;
            }
        }
        let _ = sniff(&b);
        if read_image(&b).is_ok() {
            parsed += 1;
        }
        if read_video(&b).is_ok() {
            parsed += 1;
        }
        let _ = locate_moov(&b[..b.len() / 2], b.len() as u64);
        let _ = locate_moov(&b, u64::MAX);
        let _ = read_moov(&b);
        for role in [Role::Image, Role::Video] {
            let v = check_file(&b, Some("f"), role);
            let _ = v.messages();
        }
    }
    // Most mutations leave a readable header: the parsers were reached.
    assert!(parsed > 1000, "{parsed}");
}
