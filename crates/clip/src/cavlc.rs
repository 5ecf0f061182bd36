//! The CAVLC residual blocks this encoder needs: a block whose only non-zero
//! coefficient (if any) is the first in scan order.

use crate::bits::BitWriter;

/// Which coeff_token table (Table 9-5) a block uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenTable {
    /// Luma, chosen by nC (the predicted number of non-zero coefficients).
    Luma(u32),
    /// Chroma DC for 4:2:0 (nC = -1).
    ChromaDc,
}

/// (length, code) for TotalCoeff/TrailingOnes = 0/0, 1/0 and 1/1.
fn tokens(table: TokenTable) -> [(u32, u32); 3] {
    match table {
        TokenTable::Luma(nc) if nc < 2 => [(1, 0b1), (6, 0b000101), (2, 0b01)],
        TokenTable::Luma(nc) if nc < 4 => [(2, 0b11), (6, 0b001011), (2, 0b10)],
        TokenTable::Luma(nc) if nc < 8 => [(4, 0b1111), (6, 0b001111), (4, 0b1110)],
        TokenTable::Luma(_) => [(6, 0b000011), (6, 0b000000), (6, 0b000001)],
        TokenTable::ChromaDc => [(2, 0b01), (6, 0b000111), (1, 0b1)],
    }
}

/// Writes residual_block_cavlc for a block whose coefficients are all zero
/// except possibly the first one, `level` (|level| <= 2063).
pub fn write_first_only(w: &mut BitWriter, table: TokenTable, level: i32) {
    let [zero, one, trailing_one] = tokens(table);
    if level == 0 {
        w.bits(zero.0, zero.1);
        return;
    }
    if level.abs() == 1 {
        w.bits(trailing_one.0, trailing_one.1);
        w.bit(level < 0);
    } else {
        w.bits(one.0, one.1);
        // First level after fewer than three trailing ones: the code is
        // lowered by 2 (the decoder adds it back); suffixLength starts at 0.
        let code = if level > 0 {
            2 * level - 2
        } else {
            -2 * level - 1
        } as u32
            - 2;
        if code < 14 {
            w.unary(code);
        } else if code < 30 {
            w.unary(14);
            w.bits(4, code - 14);
        } else {
            w.unary(15);
            w.bits(12, code - 30);
        }
    }
    // total_zeros = 0 with TotalCoeff = 1 is "1" in both Table 9-7 and 9-9a.
    w.bit(true);
}
