//! Test-only H.264 decoder for exactly the subset the encoder emits (I_PCM,
//! Intra_16x16 with a DC-only residual, P_Skip), written from the standard's
//! formulas rather than from the encoder's shortcuts. It reads the MP4 back
//! with the `mp4` crate and rebuilds every picture.

use std::io::Cursor;

use crate::picture::Picture;

struct Reader<'a> {
    data: Vec<u8>,
    pos: usize,
    _p: std::marker::PhantomData<&'a ()>,
}

impl Reader<'_> {
    /// Takes a NAL payload (after the header byte) and removes emulation prevention.
    fn new(escaped: &[u8]) -> Self {
        let mut data = Vec::with_capacity(escaped.len());
        let mut zeros = 0;
        for &b in escaped {
            if zeros >= 2 && b == 3 {
                zeros = 0;
                continue;
            }
            zeros = if b == 0 { zeros + 1 } else { 0 };
            data.push(b);
        }
        Self {
            data,
            pos: 0,
            _p: std::marker::PhantomData,
        }
    }
    fn bit(&mut self) -> u32 {
        let b = (self.data[self.pos / 8] >> (7 - self.pos % 8)) & 1;
        self.pos += 1;
        u32::from(b)
    }
    fn u(&mut self, n: u32) -> u32 {
        (0..n).fold(0, |acc, _| (acc << 1) | self.bit())
    }
    fn ue(&mut self) -> u32 {
        let mut zeros = 0;
        while self.bit() == 0 {
            zeros += 1;
        }
        ((1u64 << zeros) - 1 + u64::from(self.u(zeros))) as u32
    }
    fn se(&mut self) -> i32 {
        let k = self.ue() as i64;
        (if k % 2 == 1 { (k + 1) / 2 } else { -(k / 2) }) as i32
    }
    fn aligned(&self) -> bool {
        self.pos.is_multiple_of(8)
    }
    /// more_rbsp_data(): anything before the final stop bit?
    fn more_rbsp_data(&self) -> bool {
        let last = self.data.iter().rposition(|&b| b != 0).expect("empty rbsp");
        let stop = last * 8 + 7 - self.data[last].trailing_zeros() as usize;
        self.pos < stop
    }
    /// Reads bits until they match one of `codes` (as strings of 0/1).
    fn code(&mut self, codes: &[&str]) -> usize {
        let mut s = String::new();
        loop {
            s.push(if self.bit() == 1 { '1' } else { '0' });
            if let Some(i) = codes.iter().position(|c| *c == s) {
                return i;
            }
            assert!(s.len() <= 16, "unsupported code {s} (known {codes:?})");
        }
    }
}

pub struct Decoded {
    pub width: usize,
    pub height: usize,
    pub frames: Vec<Picture>,
    pub sync: Vec<bool>,
    pub mb_kinds: Vec<[usize; 3]>,
    /// The SPS's level_idc (10 × the level).
    pub level_idc: u8,
}

struct Params {
    mb_cols: usize,
    mb_rows: usize,
    log2_max_frame_num: u32,
    crop: (usize, usize),
    qp: i32,
    chroma_offset: i32,
}

fn parse_sps(nal: &[u8]) -> Params {
    assert_eq!(nal[0] & 0x1F, 7);
    let mut r = Reader::new(&nal[1..]);
    assert_eq!(r.u(8), 66, "profile");
    r.u(16);
    assert_eq!(r.ue(), 0);
    let log2_max_frame_num = r.ue() + 4;
    assert_eq!(r.ue(), 2, "poc type");
    assert_eq!(r.ue(), 1, "ref frames");
    r.bit();
    let mb_cols = r.ue() as usize + 1;
    let mb_rows = r.ue() as usize + 1;
    assert_eq!(r.bit(), 1, "frame_mbs_only");
    r.bit();
    let mut crop = (0, 0);
    if r.bit() == 1 {
        assert_eq!(r.ue(), 0);
        crop.0 = r.ue() as usize * 2;
        assert_eq!(r.ue(), 0);
        crop.1 = r.ue() as usize * 2;
    }
    Params {
        mb_cols,
        mb_rows,
        log2_max_frame_num,
        crop,
        qp: 0,
        chroma_offset: 0,
    }
}

fn parse_pps(nal: &[u8], p: &mut Params) {
    assert_eq!(nal[0] & 0x1F, 8);
    let mut r = Reader::new(&nal[1..]);
    r.ue();
    r.ue();
    assert_eq!(r.bit(), 0, "CAVLC");
    r.bit();
    assert_eq!(r.ue(), 0);
    r.ue();
    r.ue();
    r.bit();
    r.u(2);
    p.qp = 26 + r.se();
    r.se();
    p.chroma_offset = r.se();
    assert_eq!(r.bit(), 1, "deblocking control present");
    assert_eq!(r.bit(), 0, "constrained intra pred");
}

/// Table 9-5 rows for TotalCoeff 0/1 by nC: (0,0), (T1=0,1), (T1=1,1).
fn token_codes(nc: i32) -> [&'static str; 3] {
    match nc {
        -1 => ["01", "000111", "1"],
        0..=1 => ["1", "000101", "01"],
        2..=3 => ["11", "001011", "10"],
        4..=7 => ["1111", "001111", "1110"],
        _ => ["000011", "000000", "000001"],
    }
}

/// Parses a residual block that has at most one coefficient; returns the
/// coefficient list in scan order.
fn residual_block(r: &mut Reader, nc: i32, max: usize) -> Vec<i32> {
    let mut coeffs = vec![0; max];
    let token = r.code(&token_codes(nc));
    if token == 0 {
        return coeffs;
    }
    let level = if token == 2 {
        if r.bit() == 1 {
            -1
        } else {
            1
        }
    } else {
        let mut prefix = 0;
        while r.bit() == 0 {
            prefix += 1;
        }
        let suffix_size = match prefix {
            14 => 4,
            p if p >= 15 => p - 3,
            _ => 0,
        };
        let mut code = prefix.min(15) + if suffix_size > 0 { r.u(suffix_size) } else { 0 };
        if prefix >= 15 {
            code += 15;
        }
        code += 2; // first non-trailing-one level with TrailingOnes < 3
        if code % 2 == 0 {
            (code as i32 + 2) >> 1
        } else {
            (-(code as i32) - 1) >> 1
        }
    };
    // total_zeros with TotalCoeff = 1: tables 9-7 / 9-9a.
    let total_zeros = if max == 4 {
        r.code(&["1", "01", "001", "000"])
    } else {
        r.code(&[
            "1",
            "011",
            "010",
            "0011",
            "0010",
            "00011",
            "00010",
            "000011",
            "000010",
            "0000011",
            "0000010",
            "00000011",
            "00000010",
            "000000011",
            "000000010",
            "000000001",
        ])
    };
    coeffs[total_zeros] = level;
    coeffs
}

const NORM: [i32; 6] = [10, 11, 13, 14, 16, 18];

fn clip(v: i32) -> u8 {
    v.clamp(0, 255) as u8
}

/// The transform of 8.5.12.2 applied to a block whose only coefficient is DC.
fn idct_dc_only(d00: i32) -> i32 {
    // With only d00 non-zero every h_ij equals d00.
    (d00 + 32) >> 6
}

/// Decodes the whole video track of an MP4 file.
pub fn decode_mp4(bytes: &[u8]) -> Decoded {
    let mut mp4 = mp4::Mp4Reader::read_header(Cursor::new(bytes), bytes.len() as u64).expect("mp4");
    let (track_id, sps, pps) = mp4
        .tracks()
        .iter()
        .find(|(_, t)| t.track_type().ok() == Some(mp4::TrackType::Video))
        .map(|(&id, t)| {
            (
                id,
                t.sequence_parameter_set().expect("sps").to_vec(),
                t.picture_parameter_set().expect("pps").to_vec(),
            )
        })
        .expect("video track");
    let mut p = parse_sps(&sps);
    parse_pps(&pps, &mut p);
    let (w, h) = (p.mb_cols * 16, p.mb_rows * 16);
    let mut frames: Vec<Picture> = Vec::new();
    let mut sync = Vec::new();
    let mut mb_kinds = Vec::new();
    let count = mp4.sample_count(track_id).expect("count");
    let mut expect_frame_num = 0u32;
    let mut last_idr_id = None;
    for i in 1..=count {
        let sample = mp4.read_sample(track_id, i).expect("read").expect("sample");
        let data = sample.bytes.to_vec();
        let len = u32::from_be_bytes([data[0], data[1], data[2], data[3]]) as usize;
        assert_eq!(len + 4, data.len(), "one NAL per sample");
        let nal = &data[4..];
        let idr = nal[0] & 0x1F == 5;
        assert!(idr || nal[0] & 0x1F == 1);
        assert_eq!(sample.is_sync, idr);
        sync.push(idr);
        let mut r = Reader::new(&nal[1..]);
        assert_eq!(r.ue(), 0, "first_mb");
        let slice_type = r.ue();
        assert_eq!(slice_type, if idr { 7 } else { 5 });
        r.ue();
        let frame_num = r.u(p.log2_max_frame_num);
        if idr {
            expect_frame_num = 0;
            let id = r.ue();
            assert_ne!(Some(id), last_idr_id, "neighbouring IDRs share idr_pic_id");
            last_idr_id = Some(id);
        } else {
            assert_eq!(r.bit(), 0);
            assert_eq!(r.bit(), 0);
        }
        assert_eq!(frame_num, expect_frame_num);
        expect_frame_num += 1;
        if idr {
            r.u(2);
        } else {
            assert_eq!(r.bit(), 0);
        }
        let mut qp = p.qp + r.se();
        assert_eq!(r.ue(), 1, "deblocking off");

        let mut pic = if idr {
            Picture::new(w, h, crate::picture::Yuv { y: 0, cb: 0, cr: 0 })
        } else {
            frames.last().expect("ref").clone()
        };
        let mut pcm = vec![false; p.mb_cols * p.mb_rows];
        let mut kinds = [0usize; 3];
        let mut addr = 0;
        let total = p.mb_cols * p.mb_rows;
        while addr < total {
            if !idr {
                let run = r.ue() as usize;
                kinds[2] += run;
                addr += run; // P_Skip with zero motion: the reference samples stay
                if addr >= total {
                    break;
                }
                if run > 0 && !r.more_rbsp_data() {
                    break;
                }
            }
            let (mx, my) = (addr % p.mb_cols, addr / p.mb_cols);
            let mut mb_type = r.ue();
            if !idr {
                assert!(
                    mb_type >= 5,
                    "inter macroblocks other than P_Skip are not emitted"
                );
                mb_type -= 5;
            }
            if mb_type == 25 {
                kinds[0] += 1;
                pcm[addr] = true;
                while !r.aligned() {
                    assert_eq!(r.bit(), 0);
                }
                for y in 0..16 {
                    for x in 0..16 {
                        pic.y[(my * 16 + y) * w + mx * 16 + x] = r.u(8) as u8;
                    }
                }
                for plane in [&mut pic.cb, &mut pic.cr] {
                    for y in 0..8 {
                        for x in 0..8 {
                            plane[(my * 8 + y) * (w / 2) + mx * 8 + x] = r.u(8) as u8;
                        }
                    }
                }
            } else {
                assert!((1..=24).contains(&mb_type), "mb_type {mb_type}");
                kinds[1] += 1;
                let t = mb_type - 1;
                let luma_mode = t % 4;
                let cbp_chroma = (t / 4) % 3;
                assert!(t < 12, "no luma AC is emitted");
                let chroma_mode = r.ue();
                qp += r.se();
                let n = |a: usize| if pcm[a] { 16 } else { 0 };
                let na = (mx > 0).then(|| n(addr - 1));
                let nb = (my > 0).then(|| n(addr - p.mb_cols));
                let nc = match (na, nb) {
                    (Some(a), Some(b)) => (a + b + 1) >> 1,
                    (Some(a), None) => a,
                    (None, Some(b)) => b,
                    (None, None) => 0,
                };
                let dc = residual_block(&mut r, nc, 16);
                // Intra16x16 DC: inverse Hadamard, then scaling (8.5.10).
                let mut c = vec![0; 16];
                for (k, &v) in dc.iter().enumerate() {
                    c[ZIGZAG[k]] = v;
                }
                let f = hadamard4(&c);
                let ls = 16 * NORM[(qp % 6) as usize];
                let dcy: Vec<i32> = f
                    .iter()
                    .map(|&v| {
                        if qp >= 36 {
                            (v * ls) << (qp / 6 - 6)
                        } else {
                            (v * ls + (1 << (5 - qp / 6))) >> (6 - qp / 6)
                        }
                    })
                    .collect();
                let pred =
                    crate::intra::luma_pred(&pic, mx, my, luma_mode as u8).expect("mode available");
                for y in 0..16 {
                    for x in 0..16 {
                        let blk = (y / 4) * 4 + x / 4;
                        pic.y[(my * 16 + y) * w + mx * 16 + x] =
                            clip(i32::from(pred[y * 16 + x]) + idct_dc_only(dcy[blk]));
                    }
                }
                let qpc = chroma_qp(qp + p.chroma_offset);
                let mut chroma_dc = [[0i32; 4]; 2];
                if cbp_chroma > 0 {
                    for dcs in chroma_dc.iter_mut() {
                        let c = residual_block(&mut r, -1, 4);
                        // 2×2 inverse transform and scaling (8.5.11.2).
                        let f = [
                            c[0] + c[1] + c[2] + c[3],
                            c[0] - c[1] + c[2] - c[3],
                            c[0] + c[1] - c[2] - c[3],
                            c[0] - c[1] - c[2] + c[3],
                        ];
                        for k in 0..4 {
                            dcs[k] = ((f[k] * 16 * NORM[(qpc % 6) as usize]) << (qpc / 6)) >> 5;
                        }
                    }
                }
                assert!(cbp_chroma < 2, "no chroma AC is emitted");
                for (plane_i, plane) in [&mut pic.cb, &mut pic.cr].into_iter().enumerate() {
                    let pred = crate::intra::chroma_pred(plane, w / 2, mx, my, chroma_mode as u8)
                        .expect("chroma mode available");
                    for y in 0..8 {
                        for x in 0..8 {
                            let blk = (y / 4) * 2 + x / 4;
                            plane[(my * 8 + y) * (w / 2) + mx * 8 + x] = clip(
                                i32::from(pred[y * 8 + x]) + idct_dc_only(chroma_dc[plane_i][blk]),
                            );
                        }
                    }
                }
            }
            addr += 1;
            if !r.more_rbsp_data() {
                break;
            }
        }
        assert!(addr >= total, "slice ended at macroblock {addr} of {total}");
        assert!(!r.more_rbsp_data(), "data after the last macroblock");
        frames.push(pic);
        mb_kinds.push(kinds);
    }
    Decoded {
        width: w - p.crop.0,
        height: h - p.crop.1,
        frames,
        sync,
        mb_kinds,
        level_idc: sps[3],
    }
}

/// Zig-zag scan position → raster index in a 4×4 block.
const ZIGZAG: [usize; 16] = [0, 1, 4, 8, 5, 2, 3, 6, 9, 12, 13, 10, 7, 11, 14, 15];

/// f = H c H for the 4×4 luma DC block (c in raster order), blocks in raster order.
fn hadamard4(c: &[i32]) -> Vec<i32> {
    const H: [[i32; 4]; 4] = [[1, 1, 1, 1], [1, 1, -1, -1], [1, -1, -1, 1], [1, -1, 1, -1]];
    let mut t = [[0i32; 4]; 4];
    for i in 0..4 {
        for j in 0..4 {
            t[i][j] = (0..4).map(|k| H[i][k] * c[k * 4 + j]).sum();
        }
    }
    let mut f = vec![0; 16];
    for i in 0..4 {
        for j in 0..4 {
            // f_ij is the DC of the 4×4 block at row i, column j of the macroblock.
            f[i * 4 + j] = (0..4).map(|k| t[i][k] * H[k][j]).sum();
        }
    }
    f
}

/// QP'C from qPI (Table 8-15).
fn chroma_qp(qpi: i32) -> i32 {
    const T: [i32; 22] = [
        29, 30, 31, 32, 32, 33, 34, 34, 35, 35, 36, 36, 37, 37, 37, 38, 38, 38, 39, 39, 39, 39,
    ];
    let q = qpi.clamp(0, 51);
    if q < 30 {
        q
    } else {
        T[(q - 30) as usize]
    }
}
