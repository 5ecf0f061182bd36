//! Reads rendered clips back with independent parsers: `mp4` for the
//! container, `h264-reader` for the parameter sets, `claxon` for the FLAC audio.

use std::io::Cursor;

use h264_reader::nal::pps::PicParameterSet;
use h264_reader::nal::sps::SeqParameterSet;
use h264_reader::rbsp::{BitReader, ByteReader};
use storyreel_clip::{render_mp4, ClipSpec, ShotSpec};

fn spec(width: u32, height: u32, seconds: &[u32], sound: bool) -> ClipSpec {
    ClipSpec {
        width,
        height,
        fps: 24,
        shots: seconds
            .iter()
            .map(|&s| ShotSpec {
                seconds: s,
                label: format!("A {s}-second shot of the harbour at night"),
            })
            .collect(),
        sound,
    }
}

fn find_box<'a>(file: &'a [u8], kind: &[u8; 4]) -> Option<&'a [u8]> {
    let at = file.windows(4).position(|w| w == kind)?;
    let size = u32::from_be_bytes(file[at - 4..at].try_into().ok()?) as usize;
    file.get(at + 4..at - 4 + size)
}

fn check(spec: &ClipSpec) {
    let bytes = render_mp4(spec).expect("renders");
    let total = spec.shots.iter().map(|s| s.seconds).sum::<u32>();
    let frames = total * spec.fps;
    assert_eq!(&bytes[4..8], b"ftyp");
    let moov_at = bytes.windows(4).position(|w| w == b"moov").expect("moov");
    let mdat_at = bytes.windows(4).position(|w| w == b"mdat").expect("mdat");
    assert!(moov_at < mdat_at, "moov must come first");

    let mut mp4 =
        mp4::Mp4Reader::read_header(Cursor::new(&bytes), bytes.len() as u64).expect("mp4 parses");
    assert_eq!(mp4.duration().as_millis(), u128::from(total) * 1000);
    assert_eq!(mp4.tracks().len(), if spec.sound { 2 } else { 1 });
    let (&vid, video) = mp4
        .tracks()
        .iter()
        .find(|(_, t)| t.track_type().ok() == Some(mp4::TrackType::Video))
        .expect("video track");
    assert_eq!(
        (u32::from(video.width()), u32::from(video.height())),
        (spec.width, spec.height)
    );
    assert_eq!(video.sample_count(), frames);
    assert_eq!(video.duration().as_millis(), u128::from(total) * 1000);
    assert!((video.frame_rate() - f64::from(spec.fps)).abs() < 1e-9);
    let sps = video.sequence_parameter_set().expect("sps").to_vec();
    let pps = video.picture_parameter_set().expect("pps").to_vec();

    let sps =
        SeqParameterSet::from_bits(BitReader::new(ByteReader::skipping_h264_header(&sps[..])))
            .expect("sps parses");
    assert_eq!(
        sps.pixel_dimensions().expect("dimensions"),
        (spec.width, spec.height)
    );
    assert_eq!(sps.profile_idc, 66.into());
    assert!(
        sps.constraint_flags.flag0() && sps.constraint_flags.flag1(),
        "Constrained Baseline"
    );
    let vui = sps.vui_parameters.as_ref().expect("vui");
    let timing = vui.timing_info.as_ref().expect("timing");
    assert_eq!(timing.time_scale, 2 * spec.fps * timing.num_units_in_tick);
    let mut ctx = h264_reader::Context::new();
    ctx.put_seq_param_set(sps);
    let pps = PicParameterSet::from_bits(
        &ctx,
        BitReader::new(ByteReader::skipping_h264_header(&pps[..])),
    )
    .expect("pps parses");
    assert!(!pps.entropy_coding_mode_flag);

    // Key frames exactly where shots start.
    let mut starts = Vec::new();
    let mut f = 0;
    for s in &spec.shots {
        starts.push(f);
        f += s.seconds * spec.fps;
    }
    let mut sync = Vec::new();
    let mut video_bytes = 0;
    for i in 0..frames {
        let sample = mp4.read_sample(vid, i + 1).expect("read").expect("sample");
        assert_eq!(sample.duration, 1000);
        video_bytes += sample.bytes.len();
        if sample.is_sync {
            sync.push(i);
            assert_eq!(sample.bytes[4] & 0x1F, 5, "sync samples are IDR pictures");
        }
    }
    assert_eq!(sync, starts);

    if spec.sound {
        let (&aid, audio) = mp4
            .tracks()
            .iter()
            .find(|(_, t)| t.track_type().ok() == Some(mp4::TrackType::Audio))
            .expect("audio track");
        assert_eq!(audio.timescale(), 48_000);
        assert_eq!(audio.duration().as_millis(), u128::from(total) * 1000);
        let count = audio.sample_count();
        assert_eq!(count, (total * 48_000).div_ceil(4800));
        // Rebuild a native FLAC stream from dfLa and the samples, and decode it.
        let dfla = find_box(&bytes, b"dfLa").expect("dfLa");
        let mut native = b"fLaC".to_vec();
        native.extend(&dfla[4..]);
        for i in 1..=count {
            native.extend(
                mp4.read_sample(aid, i)
                    .expect("read")
                    .expect("sample")
                    .bytes
                    .iter(),
            );
        }
        let mut flac = claxon::FlacReader::new(Cursor::new(native)).expect("flac header");
        let info = flac.streaminfo();
        assert_eq!(
            (info.sample_rate, info.channels, info.bits_per_sample),
            (48_000, 1, 16)
        );
        assert_eq!(info.samples, Some(u64::from(total) * 48_000));
        let pcm: Vec<i32> = flac
            .samples()
            .collect::<Result<_, _>>()
            .expect("flac decodes");
        assert_eq!(pcm.len(), total as usize * 48_000);
        let loud = pcm.iter().filter(|v| v.abs() > 1000).count();
        assert!(loud > pcm.len() / 10, "the soundtrack is audible");
    }
    eprintln!(
        "{}x{} {total} s sound={}: {} bytes ({} video)",
        spec.width,
        spec.height,
        spec.sound,
        bytes.len(),
        video_bytes
    );
}

#[test]
fn pro_landscape_with_sound() {
    check(&spec(1920, 1080, &[3, 3, 3, 2, 2, 2], true));
}

#[test]
fn pro_portrait_and_square() {
    check(&spec(1080, 1920, &[5, 5], false));
    check(&spec(1080, 1080, &[4], true));
}

#[test]
fn std_sizes() {
    check(&spec(1280, 720, &[3, 2], true));
    check(&spec(720, 1280, &[1, 1, 1], false));
    check(&spec(720, 720, &[15], true));
}

#[test]
fn rendering_is_deterministic() {
    let s = spec(720, 720, &[1, 2], true);
    assert_eq!(
        render_mp4(&s).expect("renders"),
        render_mp4(&s).expect("renders")
    );
}
