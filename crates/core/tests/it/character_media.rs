//! The character library's file checks at each limit, on small synthetic
//! files: a character's images, its video, and a voice clip (MP3 with and
//! without a Xing or VBRI header, WAV, MP4 with sound only).

use storyreel_core::limits::{MAX_IMAGE_BYTES, MAX_VIDEO_BYTES};
use storyreel_core::media::audio::{read_audio, sniff_audio, AudioKind, Mp3Length};
use storyreel_core::media::character::{check_character_file, check_element_video};
use storyreel_core::media::check::{check_file, check_image, MediaProblem, Role};
use storyreel_core::media::image::ImageInfo;
use storyreel_core::media::video::read_video;
use storyreel_core::media::{Kind, Verdict};

// ------------------------------------------------------------ builders

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut data = width.to_be_bytes().to_vec();
    data.extend(height.to_be_bytes());
    data.extend([8, 2, 0, 0, 0]);
    b.extend((data.len() as u32).to_be_bytes());
    let mut chunk = b"IHDR".to_vec();
    chunk.extend(&data);
    b.extend(&chunk);
    b.extend(crc32(&chunk).to_be_bytes());
    b
}

fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut b = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
    b.extend_from_slice(kind);
    b.extend_from_slice(payload);
    b
}

fn full(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut p = vec![0u8; 4];
    p.extend_from_slice(payload);
    bx(kind, &p)
}

/// `mvhd` or `mdhd`, version 0, in milliseconds.
fn time_header(kind: &[u8; 4], ms: u32) -> Vec<u8> {
    let mut p = vec![0u8; 8];
    p.extend(1000u32.to_be_bytes());
    p.extend(ms.to_be_bytes());
    p.extend([0u8; 80]);
    full(kind, &p)
}

fn hdlr(handler: &[u8; 4]) -> Vec<u8> {
    let mut p = vec![0u8; 4];
    p.extend(handler);
    p.extend([0u8; 13]);
    full(b"hdlr", &p)
}

/// An MP4 of `ms` milliseconds: a video track of `width`×`height` at 25
/// fps, or only a sound track when `width` is 0.
fn mp4(width: u32, height: u32, ms: u32, brand: &[u8; 4]) -> Vec<u8> {
    let mut ftyp = brand.to_vec();
    ftyp.extend([0, 0, 2, 0]);
    ftyp.extend(brand);
    let sound = bx(
        b"trak",
        &bx(b"mdia", &[time_header(b"mdhd", ms), hdlr(b"soun")].concat()),
    );
    let mut tracks = vec![sound];
    if width > 0 {
        let mut tkhd = vec![0u8; 20 + 52];
        tkhd.extend((width << 16).to_be_bytes());
        tkhd.extend((height << 16).to_be_bytes());
        let frames = ms / 40;
        let mut stts = 1u32.to_be_bytes().to_vec();
        stts.extend(frames.to_be_bytes());
        stts.extend(40u32.to_be_bytes());
        let mut stsd = 1u32.to_be_bytes().to_vec();
        stsd.extend(bx(b"avc1", &[0u8; 78]));
        let stbl = bx(
            b"stbl",
            &[full(b"stsd", &stsd), full(b"stts", &stts)].concat(),
        );
        let mdia = bx(
            b"mdia",
            &[time_header(b"mdhd", ms), hdlr(b"vide"), bx(b"minf", &stbl)].concat(),
        );
        tracks.push(bx(b"trak", &[full(b"tkhd", &tkhd), mdia].concat()));
    }
    let moov = bx(
        b"moov",
        &[vec![time_header(b"mvhd", ms)], tracks].concat().concat(),
    );
    [bx(b"ftyp", &ftyp), moov, bx(b"mdat", &[0u8; 16])].concat()
}

/// MPEG 1 layer III at 32 kHz, 128 kbps, stereo: 576 bytes and 36 ms a
/// frame. `header` is put in the first frame after its side information
/// (`Xing`/`Info` at 36, as for any stereo MPEG 1 frame; `VBRI` at 36 too).
fn mp3(frames: usize, id3: bool, header: Option<(&[u8; 4], u32)>) -> Vec<u8> {
    let mut out = Vec::new();
    if id3 {
        // ID3v2.4 with 20 bytes of frames (sync-safe size 0,0,0,20).
        out.extend(b"ID3\x04\x00\x00\x00\x00\x00\x14");
        out.extend([0u8; 20]);
    }
    for i in 0..frames {
        let mut frame = vec![0xFF, 0xFB, 0x98, 0x00];
        frame.resize(576, 0);
        if let (0, Some((tag, count))) = (i, header) {
            frame[36..40].copy_from_slice(tag);
            if tag == b"VBRI" {
                frame[36 + 14..36 + 18].copy_from_slice(&count.to_be_bytes());
            } else {
                frame[40..44].copy_from_slice(&1u32.to_be_bytes());
                frame[44..48].copy_from_slice(&count.to_be_bytes());
            }
        }
        out.extend(frame);
    }
    out
}

/// A WAV of `bytes` bytes of 8 kHz 8-bit mono sound (8000 bytes a second),
/// with a `LIST` chunk of odd length before `fmt `.
fn wav(bytes: usize) -> Vec<u8> {
    let mut body = b"WAVE".to_vec();
    body.extend(b"LIST\x03\x00\x00\x00abc\x00");
    body.extend(b"fmt \x10\x00\x00\x00");
    body.extend(1u16.to_le_bytes());
    body.extend(1u16.to_le_bytes());
    body.extend(8000u32.to_le_bytes());
    body.extend(8000u32.to_le_bytes());
    body.extend(1u16.to_le_bytes());
    body.extend(8u16.to_le_bytes());
    body.extend(b"data");
    body.extend((bytes as u32).to_le_bytes());
    body.resize(body.len() + bytes, 0x80);
    let mut out = b"RIFF".to_vec();
    out.extend((body.len() as u32).to_le_bytes());
    out.extend(body);
    out
}

fn problems(v: &Verdict) -> Vec<MediaProblem> {
    match v {
        Verdict::Refused(p) => p.clone(),
        Verdict::Ok => vec![],
        other => panic!("neither ok nor refused: {other:?}"),
    }
}

fn voice(bytes: &[u8]) -> Verdict {
    check_character_file(bytes, Some("clip"), Role::VoiceClip)
}

// ------------------------------------------------------------ images

#[test]
fn element_images_at_each_limit() {
    let role = Role::ElementImage;
    assert_eq!(check_file(&png(300, 300), None, role), Verdict::Ok);
    assert_eq!(
        check_character_file(&png(300, 750), None, role),
        Verdict::Ok
    );
    let small = problems(&check_file(&png(299, 300), None, role));
    assert_eq!(
        small,
        vec![MediaProblem::ImageTooSmall {
            width: 299,
            height: 300,
            min: 300
        }]
    );
    assert!(small[0].message().contains("299×300") && small[0].message().contains("300 px"));
    let wide = problems(&check_file(&png(751, 300), None, role));
    assert_eq!(
        wide,
        vec![MediaProblem::ImageAspect {
            width: 751,
            height: 300
        }]
    );
    // 10 MiB is the limit, read as the server's upload limit ("10MB").
    let info = ImageInfo {
        kind: Kind::Png,
        width: 1000,
        height: 1000,
        orientation: 1,
        has_alpha: false,
    };
    assert_eq!(check_image(&info, MAX_IMAGE_BYTES), Verdict::Ok);
    let over = check_image(&info, MAX_IMAGE_BYTES + 1);
    assert_eq!(
        over.problems(),
        &[MediaProblem::ImageTooManyBytes {
            bytes: MAX_IMAGE_BYTES + 1,
            max: MAX_IMAGE_BYTES
        }]
    );
    // Not an image.
    let video = mp4(1920, 1080, 5000, b"isom");
    let p = problems(&check_file(&video, Some("me.mp4"), role));
    assert!(
        p[0].message()
            .contains("a character's images must be JPEG or PNG"),
        "{}",
        p[0].message()
    );
}

// ------------------------------------------------------------ video

#[test]
fn element_video_length_at_each_limit() {
    let role = Role::ElementVideo;
    for ms in [3000, 8000, 5000] {
        assert_eq!(
            check_character_file(&mp4(1920, 1080, ms, b"isom"), None, role),
            Verdict::Ok,
            "{ms} ms"
        );
    }
    for ms in [2999, 8001] {
        let p = problems(&check_character_file(
            &mp4(1920, 1080, ms, b"isom"),
            None,
            role,
        ));
        assert_eq!(p.len(), 1, "{ms} ms: {p:?}");
        assert!(
            matches!(p[0], MediaProblem::ElementVideoLength { min, max, .. } if min == 3.0 && max == 8.0)
        );
        assert_eq!(p[0].limit().as_deref(), Some("3 to 8 s"));
    }
    let p = problems(&check_file(&mp4(1920, 1080, 8001, b"qt  "), None, role));
    assert_eq!(
        p[0].message(),
        "The video is 8.001 s long; a character's video must be 3 to 8 s."
    );
}

#[test]
fn element_video_is_1080p_16_9_either_way() {
    let role = Role::ElementVideo;
    assert_eq!(
        check_file(&mp4(1080, 1920, 4000, b"isom"), None, role),
        Verdict::Ok
    );
    // 720p and 4K at 16:9: the resolution only.
    for (w, h) in [(1280, 720), (3840, 2160), (1440, 2560)] {
        let p = problems(&check_file(&mp4(w, h, 4000, b"isom"), None, role));
        assert_eq!(
            p,
            vec![MediaProblem::ElementVideoResolution {
                width: w,
                height: h,
                short_side: 1080
            }],
            "{w}×{h}"
        );
    }
    // 1080 lines but not 16:9: the aspect only.
    for (w, h) in [(1440, 1080), (1080, 1080), (1921, 1080), (1080, 1919)] {
        let p = problems(&check_file(&mp4(w, h, 4000, b"isom"), None, role));
        assert_eq!(
            p,
            vec![MediaProblem::ElementVideoAspect {
                width: w,
                height: h
            }],
            "{w}×{h}"
        );
        assert_eq!(p[0].limit().as_deref(), Some("16:9 or 9:16"));
    }
    let p = problems(&check_file(&mp4(1280, 720, 4000, b"isom"), None, role));
    assert!(p[0].message().contains("1280×720") && p[0].message().contains("1080p"));
}

#[test]
fn element_video_bytes_at_the_limit() {
    let info = read_video(&mp4(1920, 1080, 4000, b"isom")).unwrap();
    assert_eq!(check_element_video(&info, MAX_VIDEO_BYTES), Verdict::Ok);
    let p = problems(&check_element_video(&info, MAX_VIDEO_BYTES + 1));
    assert_eq!(
        p,
        vec![MediaProblem::ElementVideoTooManyBytes {
            bytes: MAX_VIDEO_BYTES + 1,
            max: MAX_VIDEO_BYTES
        }]
    );
    assert_eq!(
        p[0].message(),
        "The video is 200 MiB; a character's video must be at most 200 MiB."
    );
    // An image is not a video.
    let p = problems(&check_file(
        &png(400, 400),
        Some("me.png"),
        Role::ElementVideo,
    ));
    assert!(p[0]
        .message()
        .contains("a character's videos must be MP4 or MOV"));
}

// ------------------------------------------------------------ voice

#[test]
fn mp3_without_a_header_is_timed_by_its_bit_rate() {
    // 139 frames of 36 ms: 5.004 s; 138: 4.968 s.
    let ok = mp3(139, false, None);
    assert_eq!(sniff_audio(&ok), Some(AudioKind::Mp3));
    let info = read_audio(&ok).unwrap();
    assert_eq!(info.mp3_length, Some(Mp3Length::ConstantBitRate));
    assert!((info.seconds - 5.004).abs() < 1e-9, "{}", info.seconds);
    assert_eq!(voice(&ok), Verdict::Ok);
    let short = problems(&voice(&mp3(138, true, None)));
    assert_eq!(
        short,
        vec![MediaProblem::VoiceLength {
            seconds: 4.968,
            min: 5.0,
            max: 30.0
        }]
    );
    assert_eq!(
        short[0].message(),
        "The clip is 4.97 s long; a voice clip must be 5 to 30 s of one clean voice."
    );
    // 833 frames: 29.988 s; 834: 30.024 s.
    assert_eq!(voice(&mp3(833, true, None)), Verdict::Ok);
    assert!(matches!(
        problems(&voice(&mp3(834, false, None)))[..],
        [MediaProblem::VoiceLength { .. }]
    ));
}

#[test]
fn an_id3v1_tag_at_the_end_is_not_sound() {
    // 139 frames are 5.004 s; 128 more bytes of sound would be 5.012.
    let mut file = mp3(139, true, None);
    let mut tag = b"TAG".to_vec();
    tag.resize(128, b' ');
    file.extend(tag);
    let info = read_audio(&file).unwrap();
    assert!((info.seconds - 5.004).abs() < 1e-9, "{}", info.seconds);
}

#[test]
fn xing_info_and_vbri_count_frames() {
    // The file holds 3 frames; the header says how many there are.
    for tag in [b"Xing", b"Info", b"VBRI"] {
        let inside = read_audio(&mp3(3, true, Some((tag, 139)))).unwrap();
        assert!((inside.seconds - 5.004).abs() < 1e-9, "{tag:?}");
        let expected = if tag == b"VBRI" {
            Mp3Length::Vbri
        } else {
            Mp3Length::Xing
        };
        assert_eq!(inside.mp3_length, Some(expected));
        assert_eq!(voice(&mp3(3, false, Some((tag, 139)))), Verdict::Ok);
        assert_eq!(voice(&mp3(3, false, Some((tag, 833)))), Verdict::Ok);
        for frames in [138, 834] {
            assert!(
                matches!(
                    problems(&voice(&mp3(3, false, Some((tag, frames)))))[..],
                    [MediaProblem::VoiceLength { .. }]
                ),
                "{tag:?} {frames}"
            );
        }
    }
}

#[test]
fn wav_is_timed_by_its_data_chunk() {
    // 8000 bytes a second: 40000 bytes are 5 s, 240000 are 30 s.
    assert_eq!(sniff_audio(&wav(10)), Some(AudioKind::Wav));
    for bytes in [40_000, 240_000] {
        assert_eq!(voice(&wav(bytes)), Verdict::Ok, "{bytes}");
    }
    for bytes in [39_999, 240_001] {
        let p = problems(&voice(&wav(bytes)));
        assert!(
            matches!(p[..], [MediaProblem::VoiceLength { .. }]),
            "{bytes}"
        );
    }
    let p = problems(&voice(&wav(39_999)));
    // 4.999875 s is not shown as the limit.
    assert_eq!(
        p[0].message(),
        "The clip is 5.000 s long; a voice clip must be 5 to 30 s of one clean voice."
    );
    // A data chunk that claims more than the file holds.
    let mut cut = wav(40_000);
    cut.truncate(cut.len() - 1);
    let p = problems(&voice(&cut));
    assert!(
        matches!(&p[..], [MediaProblem::AudioUnreadable { kind: AudioKind::Wav, reason }] if reason.contains("sound data")),
        "{p:?}"
    );
}

#[test]
fn mp4_and_mov_clips_are_timed_by_their_movie_header() {
    // Sound only: no video track is needed.
    for brand in [b"isom", b"qt  "] {
        assert_eq!(voice(&mp4(0, 0, 5000, brand)), Verdict::Ok);
        assert_eq!(voice(&mp4(0, 0, 30_000, brand)), Verdict::Ok);
        for ms in [4999, 30_001] {
            assert!(matches!(
                problems(&voice(&mp4(0, 0, ms, brand)))[..],
                [MediaProblem::VoiceLength { .. }]
            ));
        }
    }
    // With a picture too.
    assert_eq!(voice(&mp4(640, 360, 12_000, b"isom")), Verdict::Ok);
}

#[test]
fn other_files_are_not_voice_clips() {
    let p = problems(&voice(&png(400, 400)));
    assert_eq!(
        p[0].message(),
        "This is a PNG image named clip; voice clips must be MP3, WAV, MP4 or MOV."
    );
    assert_eq!(p[0].limit().as_deref(), Some("MP3, WAV, MP4 or MOV"));
    let m4a = mp4(0, 0, 5000, b"M4A ");
    let p = problems(&voice(&m4a));
    assert!(
        p[0].message().contains("Convert it to MP3 or WAV"),
        "{}",
        p[0].message()
    );
    assert_eq!(problems(&voice(&[])), vec![MediaProblem::Empty]);
    // Text that starts like nothing.
    let p = problems(&voice(b"hello there"));
    assert!(p[0].message().contains("voice clips must be"));
    // An ID3 tag with no frames after it.
    let p = problems(&voice(b"ID3\x04\x00\x00\x00\x00\x00\x00"));
    assert!(
        matches!(
            &p[..],
            [MediaProblem::AudioUnreadable {
                kind: AudioKind::Mp3,
                ..
            }]
        ),
        "{p:?}"
    );
}

#[test]
fn cut_voice_clips_never_panic() {
    for file in [
        mp3(5, true, Some((b"Xing", 200))),
        mp3(5, false, Some((b"VBRI", 200))),
        wav(300),
        mp4(0, 0, 5000, b"isom"),
    ] {
        for n in 0..file.len().min(700) {
            let _ = voice(&file[..n]);
        }
        let mut flipped = file.clone();
        for i in 0..flipped.len().min(200) {
            flipped[i] ^= 0xA5;
            let _ = voice(&flipped);
            flipped[i] ^= 0xA5;
        }
    }
}
