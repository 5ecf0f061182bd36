//! Files for the cast tests, built byte by byte: PNG headers of any
//! declared size and MP4 indexes of any length, size and frame rate.
//! Real pictures are drawn by the browser itself (see `tests/e2e/cast.rs`).

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut c = (data.len() as u32).to_be_bytes().to_vec();
    c.extend_from_slice(kind);
    c.extend_from_slice(data);
    c.extend_from_slice(&crc32fast::hash(&c[4..]).to_be_bytes());
    c
}

/// A PNG that declares `width`×`height` (RGB) with an empty image.
pub fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut b = vec![0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    b.extend(png_chunk(b"IHDR", &ihdr));
    b.extend(png_chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0x00]));
    b.extend(png_chunk(b"IEND", &[]));
    b
}

fn bx(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut b = ((payload.len() + 8) as u32).to_be_bytes().to_vec();
    b.extend_from_slice(kind);
    b.extend_from_slice(payload);
    b
}

fn full(kind: &[u8; 4], payload: &[u8]) -> Vec<u8> {
    let mut p = vec![0, 0, 0, 0];
    p.extend_from_slice(payload);
    bx(kind, &p)
}

/// Version-0 `mvhd`/`mdhd`: `duration` units of `timescale` a second.
fn time_header(kind: &[u8; 4], timescale: u32, duration: u32) -> Vec<u8> {
    let mut p = vec![0u8; 8];
    p.extend(timescale.to_be_bytes());
    p.extend(duration.to_be_bytes());
    p.extend([0u8; 80]);
    full(kind, &p)
}

/// An MP4 whose index says `seconds` long, `width`×`height`, `fps`
/// frames a second (H.264), with a small `mdat` after it.
pub fn mp4(width: u32, height: u32, fps: u32, seconds: u32) -> Vec<u8> {
    let timescale = fps * 1000;
    let frames = fps * seconds;
    let duration = frames * 1000;
    let mut ftyp = b"isom".to_vec();
    ftyp.extend([0, 0, 2, 0]);
    ftyp.extend(b"isomavc1");
    let mut tkhd = vec![0u8; 20];
    tkhd.extend([0u8; 52]);
    tkhd.extend((width << 16).to_be_bytes());
    tkhd.extend((height << 16).to_be_bytes());
    let mut stsd = 1u32.to_be_bytes().to_vec();
    stsd.extend(bx(b"avc1", &[0u8; 78]));
    let mut stts = 1u32.to_be_bytes().to_vec();
    stts.extend(frames.to_be_bytes());
    stts.extend(1000u32.to_be_bytes());
    let stbl = bx(
        b"stbl",
        &[full(b"stsd", &stsd), full(b"stts", &stts)].concat(),
    );
    let minf = bx(b"minf", &[full(b"vmhd", &[0; 8]), stbl].concat());
    let mut hdlr = vec![0u8; 4];
    hdlr.extend(b"vide");
    hdlr.extend([0u8; 12]);
    hdlr.extend(b"Video\0");
    let mdia = bx(
        b"mdia",
        &[
            time_header(b"mdhd", timescale, duration),
            full(b"hdlr", &hdlr),
            minf,
        ]
        .concat(),
    );
    let trak = bx(b"trak", &[full(b"tkhd", &tkhd), mdia].concat());
    let moov = bx(
        b"moov",
        &[time_header(b"mvhd", timescale, duration), trak].concat(),
    );
    [bx(b"ftyp", &ftyp), moov, bx(b"mdat", &[0u8; 256])].concat()
}

/// A HEIC's first bytes (an `ftyp` of brand `heic`).
pub fn heic() -> Vec<u8> {
    let mut p = b"heic".to_vec();
    p.extend([0, 0, 0, 0]);
    p.extend(b"mif1heic");
    let mut b = bx(b"ftyp", &p);
    b.extend(bx(b"meta", &[0u8; 64]));
    b
}
