//! A YUV 4:2:0 picture at macroblock-aligned (coded) size, and the few
//! drawing operations the frames need.

/// One colour as limited-range BT.601 Y, Cb, Cr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Yuv {
    pub y: u8,
    pub cb: u8,
    pub cr: u8,
}

impl Yuv {
    /// Converts 8-bit RGB to limited-range BT.601 (Y 16..235, C 16..240), so
    /// no sample is ever zero.
    pub fn from_rgb([r, g, b]: [u8; 3]) -> Self {
        let (r, g, b) = (i32::from(r), i32::from(g), i32::from(b));
        let y = ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
        let cb = ((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128;
        let cr = ((112 * r - 94 * g - 18 * b + 128) >> 8) + 128;
        Self {
            y: y.clamp(16, 235) as u8,
            cb: cb.clamp(16, 240) as u8,
            cr: cr.clamp(16, 240) as u8,
        }
    }
}

/// Planar 4:2:0 samples; `width` and `height` are multiples of 16.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    pub width: usize,
    pub height: usize,
    pub y: Vec<u8>,
    pub cb: Vec<u8>,
    pub cr: Vec<u8>,
}

impl Picture {
    pub fn new(width: usize, height: usize, fill: Yuv) -> Self {
        let chroma = (width / 2) * (height / 2);
        Self {
            width,
            height,
            y: vec![fill.y; width * height],
            cb: vec![fill.cb; chroma],
            cr: vec![fill.cr; chroma],
        }
    }

    pub fn mb_cols(&self) -> usize {
        self.width / 16
    }

    pub fn mb_rows(&self) -> usize {
        self.height / 16
    }

    /// Fills a rectangle clipped to the picture. Even coordinates and sizes keep
    /// the chroma exact; odd ones are rounded outward for chroma.
    pub fn rect(&mut self, x: usize, y: usize, w: usize, h: usize, c: Yuv) {
        let x1 = (x + w).min(self.width);
        let y1 = (y + h).min(self.height);
        if x >= x1 || y >= y1 {
            return;
        }
        for row in y..y1 {
            self.y[row * self.width + x..row * self.width + x1].fill(c.y);
        }
        let cw = self.width / 2;
        let (cx0, cx1, cy0, cy1) = (x / 2, x1.div_ceil(2), y / 2, y1.div_ceil(2));
        for row in cy0..cy1 {
            self.cb[row * cw + cx0..row * cw + cx1].fill(c.cb);
            self.cr[row * cw + cx0..row * cw + cx1].fill(c.cr);
        }
    }

    /// The 256 luma, 64 Cb and 64 Cr samples of macroblock (mx, my), raster order.
    pub fn mb_samples(&self, mx: usize, my: usize) -> [u8; 384] {
        let mut out = [0u8; 384];
        for r in 0..16 {
            let start = (my * 16 + r) * self.width + mx * 16;
            out[r * 16..r * 16 + 16].copy_from_slice(&self.y[start..start + 16]);
        }
        let cw = self.width / 2;
        for r in 0..8 {
            let start = (my * 8 + r) * cw + mx * 8;
            out[256 + r * 8..256 + r * 8 + 8].copy_from_slice(&self.cb[start..start + 8]);
            out[320 + r * 8..320 + r * 8 + 8].copy_from_slice(&self.cr[start..start + 8]);
        }
        out
    }

    /// Whether the whole row `my` of macroblocks has the same samples in
    /// both pictures: three contiguous comparisons, where comparing
    /// macroblock by macroblock takes 32 short ones per macroblock. Most
    /// rows of a frame are unchanged (only the progress bar moves), which
    /// keeps a 4K frame cheap.
    pub fn mb_row_equal(&self, other: &Picture, my: usize) -> bool {
        let luma = my * 16 * self.width..(my + 1) * 16 * self.width;
        let cw = self.width / 2;
        let chroma = my * 8 * cw..(my + 1) * 8 * cw;
        self.y[luma.clone()] == other.y[luma]
            && self.cb[chroma.clone()] == other.cb[chroma.clone()]
            && self.cr[chroma.clone()] == other.cr[chroma]
    }

    /// Whether macroblock (mx, my) has the same samples in both pictures.
    pub fn mb_equal(&self, other: &Picture, mx: usize, my: usize) -> bool {
        let w = self.width;
        for r in 0..16 {
            let s = (my * 16 + r) * w + mx * 16;
            if self.y[s..s + 16] != other.y[s..s + 16] {
                return false;
            }
        }
        let cw = w / 2;
        for r in 0..8 {
            let s = (my * 8 + r) * cw + mx * 8;
            if self.cb[s..s + 8] != other.cb[s..s + 8] || self.cr[s..s + 8] != other.cr[s..s + 8] {
                return false;
            }
        }
        true
    }
}
