//! A minimal ISO-BMFF (MP4) muxer: one H.264 video track and optionally one
//! FLAC audio track, `moov` before `mdat` so playback can start at once.
//! Samples are interleaved in one-second chunks.

/// The video track: length-prefixed NAL units per frame.
pub struct Video {
    pub width: u32,
    pub height: u32,
    pub fps: u32,
    pub sps: Vec<u8>,
    pub pps: Vec<u8>,
    pub samples: Vec<Vec<u8>>,
    pub sync: Vec<bool>,
}

/// The audio track: one FLAC frame per sample.
pub struct Audio {
    pub sample_rate: u32,
    pub channels: u16,
    /// The FLAC metadata blocks that go into `dfLa`.
    pub metadata: Vec<u8>,
    pub samples: Vec<Vec<u8>>,
    pub durations: Vec<u32>,
}

const MOVIE_TIMESCALE: u32 = 1000;

/// Builds the file. `seconds` is the exact length of the clip.
pub fn mux(video: &Video, audio: Option<&Audio>, seconds: u32) -> Vec<u8> {
    // Chunk plan: per second, the video frames then the audio frames that
    // start in that second.
    let mut chunks: Vec<(usize, usize, usize)> = Vec::new(); // (track, first, count)
    let fps = video.fps as usize;
    let mut audio_next = 0usize;
    let mut audio_start = 0u64;
    for s in 0..seconds as usize {
        let first = s * fps;
        let count = fps.min(video.samples.len().saturating_sub(first));
        if count > 0 {
            chunks.push((0, first, count));
        }
        if let Some(a) = audio {
            let end = (s as u64 + 1) * u64::from(a.sample_rate);
            let first = audio_next;
            while audio_next < a.samples.len() && audio_start < end {
                audio_start += u64::from(a.durations[audio_next]);
                audio_next += 1;
            }
            if audio_next > first {
                chunks.push((1, first, audio_next - first));
            }
        }
    }
    if let Some(a) = audio {
        if audio_next < a.samples.len() {
            chunks.push((1, audio_next, a.samples.len() - audio_next));
        }
    }

    let ftyp = bx(
        b"ftyp",
        &[
            b"isom".as_slice(),
            &512u32.to_be_bytes(),
            b"isom",
            b"iso2",
            b"avc1",
            b"mp41",
        ]
        .concat(),
    );
    // moov's size does not depend on the offsets, so build it twice.
    let probe = moov(video, audio, seconds, &chunks, 0);
    let data_start = (ftyp.len() + probe.len() + 8) as u64;
    let moov = moov(video, audio, seconds, &chunks, data_start);

    let mut mdat = Vec::new();
    for &(track, first, count) in &chunks {
        let list = samples_of(video, audio, track);
        for sample in &list[first..first + count] {
            mdat.extend_from_slice(sample);
        }
    }
    let mut out = ftyp;
    out.extend(moov);
    out.extend(((mdat.len() + 8) as u32).to_be_bytes());
    out.extend(b"mdat");
    out.extend(mdat);
    out
}

fn moov(
    video: &Video,
    audio: Option<&Audio>,
    seconds: u32,
    chunks: &[(usize, usize, usize)],
    data_start: u64,
) -> Vec<u8> {
    // Chunk offsets per track.
    let mut offsets: [Vec<u32>; 2] = [Vec::new(), Vec::new()];
    let mut counts: [Vec<u32>; 2] = [Vec::new(), Vec::new()];
    let mut pos = data_start;
    for &(track, first, count) in chunks {
        let list = samples_of(video, audio, track);
        offsets[track].push(pos as u32);
        counts[track].push(count as u32);
        pos += list[first..first + count]
            .iter()
            .map(|s| s.len() as u64)
            .sum::<u64>();
    }
    let duration = seconds * MOVIE_TIMESCALE;
    let mut body = mvhd(duration, if audio.is_some() { 3 } else { 2 });
    body.extend(video_trak(video, duration, &offsets[0], &counts[0]));
    if let Some(a) = audio {
        body.extend(audio_trak(a, duration, &offsets[1], &counts[1]));
    }
    bx(b"moov", &body)
}

/// The samples of track 0 (video) or 1 (audio).
fn samples_of<'a>(video: &'a Video, audio: Option<&'a Audio>, track: usize) -> &'a [Vec<u8>] {
    match (track, audio) {
        (1, Some(a)) => &a.samples,
        _ => &video.samples,
    }
}

fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 8);
    out.extend(((payload.len() + 8) as u32).to_be_bytes());
    out.extend(kind);
    out.extend(payload);
    out
}

fn full(kind: &[u8; 4], version: u8, flags: u32, payload: &[u8]) -> Vec<u8> {
    let mut p = vec![version];
    p.extend(&flags.to_be_bytes()[1..]);
    p.extend(payload);
    bx(kind, &p)
}

fn u32s(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_be_bytes()).collect()
}

const MATRIX: [u32; 9] = [0x0001_0000, 0, 0, 0, 0x0001_0000, 0, 0, 0, 0x4000_0000];

fn mvhd(duration: u32, next_track: u32) -> Vec<u8> {
    let mut p = u32s(&[0, 0, MOVIE_TIMESCALE, duration, 0x0001_0000]);
    p.extend([0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0]); // volume, reserved
    p.extend(u32s(&MATRIX));
    p.extend([0u8; 24]);
    p.extend(next_track.to_be_bytes());
    full(b"mvhd", 0, 0, &p)
}

fn tkhd(track: u32, duration: u32, volume: u16, width: u32, height: u32) -> Vec<u8> {
    let mut p = u32s(&[0, 0, track, 0, duration, 0, 0]);
    p.extend([0, 0, 0, 0]); // layer, alternate_group
    p.extend(volume.to_be_bytes());
    p.extend([0, 0]);
    p.extend(u32s(&MATRIX));
    p.extend(u32s(&[width << 16, height << 16]));
    full(b"tkhd", 0, 3, &p)
}

fn mdhd(timescale: u32, duration: u32) -> Vec<u8> {
    let mut p = u32s(&[0, 0, timescale, duration]);
    p.extend([0x55, 0xC4, 0, 0]); // language "und"
    full(b"mdhd", 0, 0, &p)
}

fn hdlr(kind: &[u8; 4], name: &str) -> Vec<u8> {
    let mut p = vec![0, 0, 0, 0];
    p.extend(kind);
    p.extend([0u8; 12]);
    p.extend(name.as_bytes());
    p.push(0);
    full(b"hdlr", 0, 0, &p)
}

fn dinf() -> Vec<u8> {
    let url = full(b"url ", 0, 1, &[]);
    let mut dref = u32s(&[1]);
    dref.extend(url);
    bx(b"dinf", &full(b"dref", 0, 0, &dref))
}

/// stts from per-sample durations, run-length coded.
fn stts(durations: impl Iterator<Item = u32>) -> Vec<u8> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for d in durations {
        match runs.last_mut() {
            Some((n, last)) if *last == d => *n += 1,
            _ => runs.push((1, d)),
        }
    }
    let mut p = u32s(&[runs.len() as u32]);
    for (n, d) in runs {
        p.extend(u32s(&[n, d]));
    }
    full(b"stts", 0, 0, &p)
}

fn stsc(counts: &[u32]) -> Vec<u8> {
    let mut entries: Vec<(u32, u32)> = Vec::new();
    for (i, &c) in counts.iter().enumerate() {
        if entries.last().is_none_or(|&(_, last)| last != c) {
            entries.push((i as u32 + 1, c));
        }
    }
    let mut p = u32s(&[entries.len() as u32]);
    for (first, c) in entries {
        p.extend(u32s(&[first, c, 1]));
    }
    full(b"stsc", 0, 0, &p)
}

fn stsz(samples: &[Vec<u8>]) -> Vec<u8> {
    let mut p = u32s(&[0, samples.len() as u32]);
    p.extend(samples.iter().flat_map(|s| (s.len() as u32).to_be_bytes()));
    full(b"stsz", 0, 0, &p)
}

fn stco(offsets: &[u32]) -> Vec<u8> {
    let mut p = u32s(&[offsets.len() as u32]);
    p.extend(u32s(offsets));
    full(b"stco", 0, 0, &p)
}

fn video_trak(v: &Video, movie_duration: u32, offsets: &[u32], counts: &[u32]) -> Vec<u8> {
    let timescale = v.fps * 1000;
    let media_duration = v.samples.len() as u32 * 1000;

    let mut avcc = vec![1, v.sps[1], v.sps[2], v.sps[3], 0xFF, 0xE1];
    avcc.extend((v.sps.len() as u16).to_be_bytes());
    avcc.extend(&v.sps);
    avcc.push(1);
    avcc.extend((v.pps.len() as u16).to_be_bytes());
    avcc.extend(&v.pps);

    let mut entry = vec![0u8; 6];
    entry.extend([0, 1]); // data_reference_index
    entry.extend([0u8; 16]);
    entry.extend((v.width as u16).to_be_bytes());
    entry.extend((v.height as u16).to_be_bytes());
    entry.extend(u32s(&[0x0048_0000, 0x0048_0000, 0]));
    entry.extend([0, 1]); // frame_count
    entry.extend([0u8; 32]); // compressorname
    entry.extend([0x00, 0x18, 0xFF, 0xFF]); // depth, pre_defined = -1
    entry.extend(bx(b"avcC", &avcc));
    let mut stsd = u32s(&[1]);
    stsd.extend(bx(b"avc1", &entry));

    let sync: Vec<u32> = v
        .sync
        .iter()
        .enumerate()
        .filter(|(_, &s)| s)
        .map(|(i, _)| i as u32 + 1)
        .collect();
    let mut stss = u32s(&[sync.len() as u32]);
    stss.extend(u32s(&sync));

    let mut stbl = full(b"stsd", 0, 0, &stsd);
    stbl.extend(stts(std::iter::repeat_n(1000, v.samples.len())));
    stbl.extend(full(b"stss", 0, 0, &stss));
    stbl.extend(stsc(counts));
    stbl.extend(stsz(&v.samples));
    stbl.extend(stco(offsets));

    let mut minf = full(b"vmhd", 0, 1, &[0u8; 8]);
    minf.extend(dinf());
    minf.extend(bx(b"stbl", &stbl));

    let mut mdia = mdhd(timescale, media_duration);
    mdia.extend(hdlr(b"vide", "Storyreel video"));
    mdia.extend(bx(b"minf", &minf));

    let mut trak = tkhd(1, movie_duration, 0, v.width, v.height);
    trak.extend(bx(b"mdia", &mdia));
    bx(b"trak", &trak)
}

fn audio_trak(a: &Audio, movie_duration: u32, offsets: &[u32], counts: &[u32]) -> Vec<u8> {
    let media_duration: u32 = a.durations.iter().sum();

    let mut entry = vec![0u8; 6];
    entry.extend([0, 1]); // data_reference_index
    entry.extend([0u8; 8]);
    entry.extend(a.channels.to_be_bytes());
    entry.extend(16u16.to_be_bytes()); // samplesize
    entry.extend([0u8; 4]);
    entry.extend((a.sample_rate << 16).to_be_bytes());
    entry.extend(full(b"dfLa", 0, 0, &a.metadata));
    let mut stsd = u32s(&[1]);
    stsd.extend(bx(b"fLaC", &entry));

    let mut stbl = full(b"stsd", 0, 0, &stsd);
    stbl.extend(stts(a.durations.iter().copied()));
    stbl.extend(stsc(counts));
    stbl.extend(stsz(&a.samples));
    stbl.extend(stco(offsets));

    let mut minf = full(b"smhd", 0, 0, &[0u8; 4]);
    minf.extend(dinf());
    minf.extend(bx(b"stbl", &stbl));

    let mut mdia = mdhd(a.sample_rate, media_duration);
    mdia.extend(hdlr(b"soun", "Storyreel audio"));
    mdia.extend(bx(b"minf", &minf));

    let mut trak = tkhd(2, movie_duration, 0x0100, 0, 0);
    trak.extend(bx(b"mdia", &mdia));
    bx(b"trak", &trak)
}
