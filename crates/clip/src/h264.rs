//! A tiny H.264 Constrained Baseline encoder for pictures made of flat areas.
//!
//! Every macroblock is coded exactly (the decoder's picture equals ours):
//! unchanged ones are P_Skip, the rest Intra_16x16 (a prediction plus at most
//! one constant DC offset per plane) or, failing that, I_PCM. CAVLC, one
//! slice per picture, deblocking off, QP 28 (where a DC level of L adds
//! exactly L to every sample, luma and, with chroma_qp_index_offset -6, chroma).

use crate::bits::{escape, BitWriter};
use crate::cavlc::{write_first_only, TokenTable};
use crate::intra;
use crate::picture::Picture;

/// QP'Y of every macroblock.
pub const QP: i32 = 28;
/// chroma_qp_index_offset, giving QP'C = 22.
pub const CHROMA_QP_OFFSET: i32 = -6;
/// log2_max_frame_num.
pub const LOG2_MAX_FRAME_NUM: u32 = 16;

const NAL_SPS: u8 = 7;
const NAL_PPS: u8 = 8;
const NAL_IDR: u8 = 5;
const NAL_SLICE: u8 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum MbKind {
    Pcm,
    Intra16,
    Skip,
}

/// Encodes a sequence of pictures of one size.
pub struct Encoder {
    width: u32,
    height: u32,
    fps: u32,
    frame_num: u32,
    idr_count: u32,
    prev: Option<Picture>,
}

/// Counts of macroblock kinds, for tests and tuning.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    pub pcm: usize,
    pub intra16: usize,
    pub skip: usize,
}

impl Encoder {
    /// `width` and `height` are the visible size (even); pictures passed to
    /// [`Encoder::encode`] have the size rounded up to 16.
    pub fn new(width: u32, height: u32, fps: u32) -> Self {
        Self {
            width,
            height,
            fps,
            frame_num: 0,
            idr_count: 0,
            prev: None,
        }
    }

    pub fn coded_size(&self) -> (usize, usize) {
        (
            self.width.div_ceil(16) as usize * 16,
            self.height.div_ceil(16) as usize * 16,
        )
    }

    /// profile_idc, constraint flags byte, level_idc.
    pub fn profile(&self) -> (u8, u8, u8) {
        (66, 0b1100_0000, self.level())
    }

    fn level(&self) -> u8 {
        let (w, h) = self.coded_size();
        let frame_mbs = (w / 16 * h / 16) as u64;
        let mbps = frame_mbs * u64::from(self.fps);
        // (level_idc, MaxFS, MaxMBPS) from Table A-1.
        const LEVELS: [(u8, u64, u64); 9] = [
            (30, 1620, 40_500),
            (31, 3600, 108_000),
            (32, 5120, 216_000),
            (40, 8192, 245_760),
            (42, 8704, 522_240),
            (50, 22_080, 589_824),
            (51, 36_864, 983_040),
            (52, 36_864, 2_073_600),
            (60, 139_264, 4_177_920),
        ];
        let max_side = (w.max(h) / 16) as u64;
        LEVELS
            .iter()
            .find(|&&(_, fs, mbps_max)| {
                frame_mbs <= fs && mbps <= mbps_max && max_side * max_side <= fs * 8
            })
            .map_or(60, |l| l.0)
    }

    /// The sequence parameter set NAL unit (header byte included, no start code).
    pub fn sps(&self) -> Vec<u8> {
        let (cw, ch) = self.coded_size();
        let (profile, constraints, level) = self.profile();
        let mut w = BitWriter::new();
        w.bits(8, u32::from(profile));
        w.bits(8, u32::from(constraints));
        w.bits(8, u32::from(level));
        w.ue(0); // seq_parameter_set_id
        w.ue(LOG2_MAX_FRAME_NUM - 4);
        w.ue(2); // pic_order_cnt_type: output order = decoding order
        w.ue(1); // max_num_ref_frames
        w.bit(false); // gaps_in_frame_num_value_allowed_flag
        w.ue((cw / 16 - 1) as u32);
        w.ue((ch / 16 - 1) as u32);
        w.bit(true); // frame_mbs_only_flag
        w.bit(true); // direct_8x8_inference_flag
        let crop_right = (cw as u32 - self.width) / 2;
        let crop_bottom = (ch as u32 - self.height) / 2;
        if crop_right > 0 || crop_bottom > 0 {
            w.bit(true);
            w.ue(0);
            w.ue(crop_right);
            w.ue(0);
            w.ue(crop_bottom);
        } else {
            w.bit(false);
        }
        w.bit(true); // vui_parameters_present_flag
        self.vui(&mut w);
        w.trailing_bits();
        nal(3, NAL_SPS, w.as_bytes())
    }

    /// Video usability information: BT.601 limited-range colour, the frame
    /// rate, and no frame reordering (so decoders output frames at once).
    fn vui(&self, w: &mut BitWriter) {
        w.bit(false); // aspect_ratio_info_present_flag
        w.bit(false); // overscan_info_present_flag
        w.bit(true); // video_signal_type_present_flag
        w.bits(3, 5); // video_format: unspecified
        w.bit(false); // video_full_range_flag
        w.bit(true); // colour_description_present_flag
        w.bits(8, 6); // colour_primaries: SMPTE 170M
        w.bits(8, 6); // transfer_characteristics: SMPTE 170M
        w.bits(8, 6); // matrix_coefficients: BT.601
        w.bit(false); // chroma_loc_info_present_flag
        w.bit(true); // timing_info_present_flag
        w.bits(32, 1); // num_units_in_tick
        w.bits(32, 2 * self.fps); // time_scale
        w.bit(true); // fixed_frame_rate_flag
        w.bit(false); // nal_hrd_parameters_present_flag
        w.bit(false); // vcl_hrd_parameters_present_flag
        w.bit(false); // pic_struct_present_flag
        w.bit(true); // bitstream_restriction_flag
        w.bit(true); // motion_vectors_over_pic_boundaries_flag
        w.ue(0); // max_bytes_per_pic_denom
        w.ue(0); // max_bits_per_mb_denom
        w.ue(16); // log2_max_mv_length_horizontal
        w.ue(16); // log2_max_mv_length_vertical
        w.ue(0); // max_num_reorder_frames
        w.ue(1); // max_dec_frame_buffering
    }

    /// The picture parameter set NAL unit.
    pub fn pps(&self) -> Vec<u8> {
        let mut w = BitWriter::new();
        w.ue(0); // pic_parameter_set_id
        w.ue(0); // seq_parameter_set_id
        w.bit(false); // entropy_coding_mode_flag: CAVLC
        w.bit(false); // bottom_field_pic_order_in_frame_present_flag
        w.ue(0); // num_slice_groups_minus1
        w.ue(0); // num_ref_idx_l0_default_active_minus1
        w.ue(0); // num_ref_idx_l1_default_active_minus1
        w.bit(false); // weighted_pred_flag
        w.bits(2, 0); // weighted_bipred_idc
        w.se(QP - 26); // pic_init_qp_minus26
        w.se(0); // pic_init_qs_minus26
        w.se(CHROMA_QP_OFFSET);
        w.bit(true); // deblocking_filter_control_present_flag
        w.bit(false); // constrained_intra_pred_flag
        w.bit(false); // redundant_pic_cnt_present_flag
        w.trailing_bits();
        nal(3, NAL_PPS, w.as_bytes())
    }

    /// Encodes one picture as a single-slice NAL unit. `idr` starts a new
    /// coded video sequence (always true for the first picture). The
    /// picture is kept as the reference for the next one.
    pub fn encode(&mut self, pic: Picture, idr: bool) -> (Vec<u8>, Stats) {
        let idr = idr || self.prev.is_none();
        let mut w = BitWriter::new();
        if idr {
            self.frame_num = 0;
        }
        // Slice header.
        w.ue(0); // first_mb_in_slice
        w.ue(if idr { 7 } else { 5 }); // slice_type: I or P, all slices alike
        w.ue(0); // pic_parameter_set_id
        w.bits(LOG2_MAX_FRAME_NUM, self.frame_num);
        if idr {
            w.ue(self.idr_count % 2); // idr_pic_id differs between neighbours
            self.idr_count += 1;
        } else {
            w.bit(false); // num_ref_idx_active_override_flag
            w.bit(false); // ref_pic_list_modification_flag_l0
        }
        if idr {
            w.bit(false); // no_output_of_prior_pics_flag
            w.bit(false); // long_term_reference_flag
        } else {
            w.bit(false); // adaptive_ref_pic_marking_mode_flag
        }
        w.se(0); // slice_qp_delta
        w.ue(1); // disable_deblocking_filter_idc

        let stats = self.slice_data(&mut w, &pic, idr);
        w.trailing_bits();
        self.frame_num = (self.frame_num + 1) % (1 << LOG2_MAX_FRAME_NUM);
        self.prev = Some(pic);
        (
            nal(3, if idr { NAL_IDR } else { NAL_SLICE }, w.as_bytes()),
            stats,
        )
    }

    fn slice_data(&self, w: &mut BitWriter, pic: &Picture, idr: bool) -> Stats {
        let (cols, rows) = (pic.mb_cols(), pic.mb_rows());
        let mut kinds = vec![MbKind::Skip; cols * rows];
        let mut stats = Stats::default();
        let mut skip_run = 0u32;
        let mb_type_base = if idr { 0 } else { 5 };
        for my in 0..rows {
            if !idr && self.prev.as_ref().is_some_and(|p| p.mb_row_equal(pic, my)) {
                // kinds[] of the row stay Skip.
                stats.skip += cols;
                skip_run += cols as u32;
                continue;
            }
            for mx in 0..cols {
                let addr = my * cols + mx;
                if !idr && self.prev.as_ref().is_some_and(|p| p.mb_equal(pic, mx, my)) {
                    kinds[addr] = MbKind::Skip;
                    stats.skip += 1;
                    skip_run += 1;
                    continue;
                }
                if !idr {
                    w.ue(skip_run);
                    skip_run = 0;
                }
                if let Some(m) = intra::find(pic, mx, my) {
                    kinds[addr] = MbKind::Intra16;
                    stats.intra16 += 1;
                    let cbp_chroma = u32::from(m.cb_offset != 0 || m.cr_offset != 0);
                    w.ue(mb_type_base + 1 + u32::from(m.luma_mode) + 4 * cbp_chroma);
                    w.ue(u32::from(m.chroma_mode));
                    w.se(0); // mb_qp_delta
                    let count = |k: MbKind| if k == MbKind::Pcm { 16 } else { 0 };
                    let na = (mx > 0).then(|| count(kinds[addr - 1]));
                    let nb = (my > 0).then(|| count(kinds[addr - cols]));
                    let nc = match (na, nb) {
                        (Some(a), Some(b)) => (a + b + 1) >> 1,
                        (Some(a), None) => a,
                        (None, Some(b)) => b,
                        (None, None) => 0,
                    };
                    write_first_only(w, TokenTable::Luma(nc), m.luma_offset);
                    if cbp_chroma != 0 {
                        write_first_only(w, TokenTable::ChromaDc, m.cb_offset);
                        write_first_only(w, TokenTable::ChromaDc, m.cr_offset);
                    }
                } else {
                    kinds[addr] = MbKind::Pcm;
                    stats.pcm += 1;
                    w.ue(mb_type_base + 25);
                    w.align_zero();
                    w.bytes(&pic.mb_samples(mx, my));
                }
            }
        }
        if skip_run > 0 {
            w.ue(skip_run);
        }
        stats
    }
}

/// Wraps an RBSP into a NAL unit: header byte plus escaped payload.
fn nal(ref_idc: u8, kind: u8, rbsp: &[u8]) -> Vec<u8> {
    let mut out = vec![(ref_idc << 5) | kind];
    out.extend(escape(rbsp));
    out
}
